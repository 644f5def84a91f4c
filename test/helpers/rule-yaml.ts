/**
 * One rule of a rules file, for tests that build a catalog from text: the metadata the schema
 * requires around `match` (indented YAML lines under `match:`), with trivial tests of its own.
 */
export function ruleYaml(id: string, match: string, languages = '[javascript]'): string {
  return `  - id: ${id}
    title: Rule ${id}
    severity: high
    category: injection
    cwe: [CWE-78]
    languages: ${languages}
    message: A message long enough for the schema to accept it here.
    match:
${match}
    tests:
      valid: [{ code: "x()" }]
      invalid: [{ code: "y()" }]
`;
}

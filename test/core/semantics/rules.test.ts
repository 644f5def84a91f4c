import { describe, expect, it } from 'vitest';
import { parseRuleFile, RuleFileError } from '../../../src/core/rules/schema.js';
import { compileRule } from '../../../src/core/scan/compile.js';
import { calleeHides, callRuleMatches, showValue } from '../../../src/core/semantics/rules.js';

function rule(match: string, languages = '[javascript]'): ReturnType<typeof compileRule> {
  const yaml = `rules:
  - id: js.test.call-rule
    title: A call rule
    severity: high
    category: test
    cwe: [CWE-78]
    languages: ${languages}
    message: A message long enough for the schema.
    match:
${match}
    tests:
      valid: [{ code: "x" }]
      invalid: [{ code: "y" }]
`;
  return compileRule(parseRuleFile('rules/t.yml', yaml)[0]!, 'rules/t.yml');
}

const EXEC_DYNAMIC = rule(`      call:
        name: [child_process.exec]
        arg-is: [dynamic]`);

describe('call rules', () => {
  it('fire on the canonical name however it is imported, only on added lines', () => {
    const code = "const { exec: run } = require('child_process');\nrun(a);\nrun(b);\n";
    const { matches, gaveUp } = callRuleMatches([EXEC_DYNAMIC], 'javascript', code, [3]);
    expect(gaveUp).toBeNull();
    expect(matches.map((m) => [m.line, m.column, m.text])).toEqual([[3, 1, 'run(b)']]);
    expect(matches[0]!.message).toContain('Resolves to: child_process.exec.');
  });

  it('a constant-only command is not dynamic; one built from a variable is', () => {
    const code = "const cp = require('child_process');\ncp.exec('ls');\ncp.exec('ls ' + d);\n";
    expect(callRuleMatches([EXEC_DYNAMIC], 'javascript', code, [1, 2, 3]).matches.map((m) => m.line)).toEqual([3]);
  });

  it('a computed constant is shown decoded in the message', () => {
    const r = rule(`      call:
        name: [eval]
        arg-is: [computed]`);
    const code = "eval('x');\neval(atob('YWxlcnQoMSk='));\n";
    const { matches } = callRuleMatches([r], 'javascript', code, [1, 2]);
    expect(matches).toHaveLength(1);
    expect(matches[0]!.message).toContain('The argument decodes to: alert(1)');
  });

  it('hidden-callee leaves plainly spelled calls to pattern rules', () => {
    const r = rule(`      call:
        name: [eval]
        hidden-callee: true`);
    const code = 'eval(a);\nwindow.eval(b);\n(0, eval)(c);\nconst e = eval;\ne(d);\n';
    expect(callRuleMatches([r], 'javascript', code, [1, 2, 3, 4, 5]).matches.map((m) => m.line)).toEqual([3, 5]);
  });

  it('a file the analysis gives up on is reported as such, with no matches', () => {
    const code = `${'f('.repeat(5_000)}x${')'.repeat(5_000)};\neval(y);\n`;
    const { matches, gaveUp } = callRuleMatches([EXEC_DYNAMIC], 'javascript', code, [1, 2]);
    expect(matches).toEqual([]);
    expect(gaveUp).toMatch(/nesting/);
  });

  it('are refused at load for languages the semantic layer does not support', () => {
    expect(() => rule('      call:\n        name: [os.system]', '[go]')).toThrow(RuleFileError);
    expect(() => rule('      call:\n        name: [os.system]', '[go]')).toThrow(/semantic layer supports \(not go\)/);
  });

  it('names must be dotted names', () => {
    expect(() => rule('      call:\n        name: ["a b"]')).toThrow(/dotted name/);
  });
});

describe('helpers', () => {
  it('calleeHides', () => {
    expect(calleeHides('cp.exec', 'child_process.exec')).toBe(false);
    expect(calleeHides('exec', 'child_process.exec')).toBe(false);
    expect(calleeHides('run', 'child_process.exec')).toBe(true);
    expect(calleeHides("cp['ex' + 'ec']", 'child_process.exec')).toBe(true);
    expect(calleeHides('execute', 'eval')).toBe(true);
  });
  it('showValue escapes control characters and clips', () => {
    expect(showValue('a\nb')).toBe('a\\nb');
    expect(showValue('x'.repeat(500))).toHaveLength(201);
  });
});

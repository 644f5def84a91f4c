import type { Confidence, Severity } from '../../model.js';
import { splitLines } from '../../text.js';
import { LANGUAGES, RuleFileError, readRulesList, ruleContextSchema, type Language, type RuleSpec } from '../schema.js';
import type { RuleTestCase, RuleTests } from '../types.js';
import { TAINT_KEYS, translateTaint } from './taint.js';
import { Unsupported, translateTopLevel } from './translate.js';

// A Semgrep rule file (`rules: [{id, message, severity, languages, pattern…}]`) loaded as
// ordinary rule specs, so its rules go through the same catalog, pre-filter, diff filter,
// fingerprints and suppressions as the shipped ones. Test files beside it (same base name, a
// language's extension) carry `ruleid: <id>` / `ok: <id>` comments, Semgrep's convention.

/** A file beside the rule file: a candidate test file. */
export interface CompanionFile {
  /** Repository-relative or display name, e.g. `rules/semgrep/flask.py`. */
  name: string;
  text: string;
}

const SEVERITY: Record<string, Severity> = {
  CRITICAL: 'critical',
  ERROR: 'high',
  HIGH: 'high',
  WARNING: 'medium',
  MEDIUM: 'medium',
  INFO: 'low',
  LOW: 'low',
  INVENTORY: 'info',
  EXPERIMENT: 'info',
};

/** Semgrep's `metadata.confidence` (the registry writes HIGH, MEDIUM, LOW). */
const CONFIDENCE: Record<string, Confidence> = {
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
};

/** A rule's `metadata.confidence`, case-insensitive; undefined when absent. */
function confidenceOf(value: unknown): Confidence | undefined {
  if (value === undefined) return undefined;
  const confidence = typeof value === 'string' ? CONFIDENCE[value.trim().toUpperCase()] : undefined;
  if (!confidence) throw new Unsupported('metadata.confidence', `expected one of ${Object.keys(CONFIDENCE).join(', ')}`);
  return confidence;
}

/** A rule's `metadata.context` (Airlock's file-context table, docs/rules.md); undefined when absent. */
function contextOf(value: unknown): RuleSpec['context'] {
  if (value === undefined) return undefined;
  const parsed = ruleContextSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Unsupported(['metadata.context', ...issue.path].join('.'), issue.message);
}

const LANGUAGE_ALIASES: Record<string, Language[]> = {
  python: ['python'],
  python3: ['python'],
  py: ['python'],
  javascript: ['javascript'],
  js: ['javascript'],
  typescript: ['typescript', 'tsx'],
  ts: ['typescript', 'tsx'],
  go: ['go'],
  golang: ['go'],
  java: ['java'],
  ruby: ['ruby'],
  rb: ['ruby'],
  php: ['php'],
  bash: ['bash'],
  sh: ['bash'],
  yaml: ['yaml'],
};

/** Languages in which only regex rules make sense. */
const TEXT_LANGUAGES = new Set(['generic', 'regex', 'none']);

/** Keys of a rule that carry no matching logic and are accepted as they are. */
const INERT_KEYS = new Set(['id', 'message', 'severity', 'languages', 'metadata', 'paths', 'fix', 'min-version', 'max-version', 'mode']);
const TOP_OPERATORS = ['pattern', 'patterns', 'pattern-either', 'pattern-regex'];

/** ids a suppression comment can name (see scan/suppression.ts). */
const ID = /^[a-z0-9][a-z0-9.-]*$/;

export const TEST_EXTENSIONS: Record<string, Language> = {
  '.py': 'python',
  '.js': 'javascript',
  '.jsx': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.ts': 'typescript',
  '.tsx': 'tsx',
  '.go': 'go',
  '.java': 'java',
  '.rb': 'ruby',
  '.php': 'php',
  '.sh': 'bash',
  '.bash': 'bash',
  '.yml': 'yaml',
  '.yaml': 'yaml',
};

function stringList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === 'string' && v.length > 0)) throw new Unsupported(field, 'expected a string or a list of strings');
  return list as string[];
}

/**
 * Semgrep path patterns are gitignore-like: one without a slash matches a file or directory of
 * that name at any depth; a leading slash anchors at the root.
 */
export function semgrepGlobs(patterns: string[]): string[] {
  return patterns.flatMap((p) => {
    const dir = p.endsWith('/');
    const body = p.replace(/^\/+/, '').replace(/\/+$/, '');
    const anchored = p.startsWith('/') || body.includes('/');
    const base = anchored ? body : `**/${body}`;
    return dir ? [`${base}/**`] : [base, `${base}/**`];
  });
}

function languagesOf(value: unknown): { languages: Language[]; text: boolean } {
  const names = stringList(value, 'languages');
  if (names.length === 0) throw new Unsupported('languages', 'required');
  const languages = new Set<Language>();
  let text = false;
  for (const name of names) {
    const lower = name.toLowerCase();
    if (TEXT_LANGUAGES.has(lower)) text = true;
    else if (LANGUAGE_ALIASES[lower]) for (const l of LANGUAGE_ALIASES[lower]) languages.add(l);
    else throw new Unsupported('languages', `${name} is not supported (supported: ${[...LANGUAGES].join(', ')}, generic, regex)`);
  }
  if (text && languages.size > 0) throw new Unsupported('languages', 'generic/regex cannot be mixed with a programming language');
  return { languages: [...languages], text };
}

/** `CWE-78: Improper neutralization…` or a list of them → ["CWE-78"]. */
function cweOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return [...new Set(list.flatMap((v) => (typeof v === 'string' ? [...v.matchAll(/CWE-\d+/g)].map((m) => m[0]) : [])))];
}

function titleOf(message: string): string {
  const first = message.trim().split(/(?<=[.!?])\s|\n/)[0]!.trim();
  const title = first.length > 120 ? `${first.slice(0, 117)}...` : first;
  return title.length >= 3 ? title : `${title}...`;
}

function isUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const ANNOTATION = /(?:\/\/|#|<!--|\/\*)\s*(ruleid|ok|todoruleid|todook)\s*:\s*([A-Za-z0-9._,\s-]+)/;

/** `ruleid:` / `ok:` annotations in a test file: for each rule id, the lines it must report. */
export function parseAnnotations(text: string): { expected: Map<string, number[]>; mentioned: Set<string> } {
  const lines = splitLines(text);
  const expected = new Map<string, number[]>();
  const mentioned = new Set<string>();
  lines.forEach((line, i) => {
    const m = ANNOTATION.exec(line);
    if (!m) return;
    const ids = m[2]!.split(/[\s,]+/).filter(Boolean);
    // Alone on its line, an annotation is about the next line that is not itself one.
    let target = i;
    if (line.slice(0, m.index).trim() === '') {
      target = i + 1;
      while (target < lines.length && ANNOTATION.test(lines[target]!) && lines[target]!.slice(0, ANNOTATION.exec(lines[target]!)!.index).trim() === '') target++;
    }
    for (const id of ids) {
      mentioned.add(id);
      if (m[1] !== 'ruleid' && m[1] !== 'todook') continue;
      const list = expected.get(id) ?? [];
      list.push(target + 1);
      expected.set(id, list);
    }
  });
  return { expected, mentioned };
}

function extensionOf(name: string): string {
  const at = name.lastIndexOf('.');
  return at > name.lastIndexOf('/') ? name.slice(at).toLowerCase() : '';
}

/** The rule's cases from the test files in its languages: exactly its `ruleid:` lines, nothing else. */
export function testsFromCompanions(id: string, languages: Language[] | null, companions: CompanionFile[]): RuleTests {
  const tests: RuleTests = { valid: [], invalid: [] };
  for (const file of companions) {
    const language = TEST_EXTENSIONS[extensionOf(file.name)];
    if (languages && (!language || !languages.includes(language))) continue;
    const { expected, mentioned } = parseAnnotations(file.text);
    if (!mentioned.has(id)) continue;
    const path = file.name.slice(file.name.lastIndexOf('/') + 1);
    const lines = [...new Set(expected.get(id) ?? [])].sort((a, b) => a - b);
    const testCase: RuleTestCase = { path, code: file.text };
    if (lines.length > 0) tests.invalid.push({ ...testCase, lines });
    else tests.valid.push(testCase);
  }
  return tests;
}

/** Deeper rules are refused before they reach ast-grep, whose native rule parser recurses. */
export const MAX_RULE_DEPTH = 64;

function depthOf(value: unknown, limit: number): number {
  if (value === null || typeof value !== 'object') return 0;
  let deepest = 0;
  for (const inner of Object.values(value)) {
    deepest = Math.max(deepest, depthOf(inner, limit - 1));
    if (deepest >= limit) break;
  }
  return deepest + 1;
}

/** A search-mode rule's one top-level operator as an AST or regex match. */
function searchMatch(rule: Record<string, unknown>, languages: Language[]): RuleSpec['match'] {
  const operators = TOP_OPERATORS.filter((k) => k in rule);
  if (operators.length !== 1) throw new Unsupported('(rule)', `expected exactly one of ${TOP_OPERATORS.join(', ')}, got ${operators.length === 0 ? 'none' : operators.join(', ')}`);
  const key = operators[0]!;
  const translated = translateTopLevel(key, rule[key], languages);
  return translated.kind === 'regex'
    ? { regex: translated.regex, ...(translated.regexNot ? { 'regex-not': translated.regexNot } : {}) }
    : {
        ast: {
          rule: translated.rule,
          ...(Object.keys(translated.constraints).length > 0 ? { constraints: translated.constraints } : {}),
          ...(translated.focus ? { focus: translated.focus } : {}),
          ...(translated.compare.length > 0 ? { compare: translated.compare } : {}),
        },
      };
}

function translateRule(raw: unknown, companions: CompanionFile[]): RuleSpec {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Unsupported('(rule)', 'expected a mapping');
  if (depthOf(raw, MAX_RULE_DEPTH + 1) > MAX_RULE_DEPTH) throw new Unsupported('(rule)', `nested more than ${MAX_RULE_DEPTH} levels deep`);
  const rule = raw as Record<string, unknown>;
  const taint = rule.mode === 'taint';
  if (rule.mode !== undefined && rule.mode !== 'search' && !taint) {
    throw new Unsupported('mode', `${String(rule.mode)} is not supported (search and taint are)`);
  }
  for (const key of Object.keys(rule)) {
    if (!INERT_KEYS.has(key) && !(taint ? TAINT_KEYS : TOP_OPERATORS).includes(key)) {
      const why =
        key === 'match' ? 'the newer match: syntax is not supported, use pattern operators'
        : key === 'taint' ? 'the newer taint: syntax is not supported, use pattern-sources and pattern-sinks'
        : key.startsWith('pattern-') && TAINT_KEYS.includes(key) ? `${key} needs mode: taint`
        : TOP_OPERATORS.includes(key) ? `${key} is not allowed in a mode: taint rule (use pattern-sources and pattern-sinks)`
        : `${key} is not supported`;
      throw new Unsupported(key, why);
    }
  }
  const id = rule.id as string;
  if (!ID.test(id)) throw new Unsupported('id', 'must be lowercase letters, digits, "-" and "." so that airlock-ignore can name it');
  if (typeof rule.message !== 'string' || rule.message.trim().length < 3) throw new Unsupported('message', 'required');
  const severity = typeof rule.severity === 'string' ? SEVERITY[rule.severity.toUpperCase()] : undefined;
  if (!severity) throw new Unsupported('severity', `expected one of ${Object.keys(SEVERITY).join(', ')}`);
  const { languages, text } = languagesOf(rule.languages);
  const metadata = rule.metadata === undefined ? {} : rule.metadata;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) throw new Unsupported('metadata', 'expected a mapping');
  const meta = metadata as Record<string, unknown>;
  const confidence = confidenceOf(meta.confidence);
  const context = contextOf(meta.context);
  const match = taint ? { taint: translateTaint(rule, text ? [] : languages, meta) } : searchMatch(rule, text ? [] : languages);

  const paths = rule.paths === undefined ? undefined : rule.paths;
  if (paths !== undefined && (paths === null || typeof paths !== 'object' || Array.isArray(paths))) throw new Unsupported('paths', 'expected a mapping');
  const pathRecord = (paths ?? {}) as Record<string, unknown>;
  const unknownPath = Object.keys(pathRecord).find((k) => k !== 'include' && k !== 'exclude');
  if (unknownPath) throw new Unsupported(`paths.${unknownPath}`, 'is not supported');
  const include = semgrepGlobs(stringList(pathRecord.include, 'paths.include'));
  const exclude = semgrepGlobs(stringList(pathRecord.exclude, 'paths.exclude'));
  const fix = rule.fix === undefined ? undefined : `Suggested replacement: ${stringList(rule.fix, 'fix')[0]!}`;
  const message = rule.message.trim();

  return {
    id,
    title: typeof meta.title === 'string' && meta.title.trim().length >= 3 ? meta.title.trim().slice(0, 120) : titleOf(message),
    severity,
    ...(confidence ? { confidence } : {}),
    category: typeof meta.category === 'string' && meta.category.length >= 2 ? meta.category : 'semgrep',
    ...(context !== undefined ? { context } : {}),
    cwe: cweOf(meta.cwe),
    ...(text ? {} : { languages }),
    ...(include.length > 0 || exclude.length > 0
      ? { paths: { ...(include.length > 0 ? { include } : {}), ...(exclude.length > 0 ? { exclude } : {}) } }
      : {}),
    message: message.length >= 10 ? message : `${message} (${id})`,
    ...(fix ? { fix } : {}),
    references: (Array.isArray(meta.references) ? meta.references : [meta.references]).filter(isUrl),
    match,
    tests: testsFromCompanions(id, text ? null : languages, companions),
  };
}

/**
 * Loads a Semgrep rule file as rule specs. Throws RuleFileError with one line naming the file,
 * the rule id and the field: `org/rules.yml: rule no-eval: patterns[1].pattern-inside: …`.
 */
export function parseSemgrepFile(fileName: string, text: string, companions: CompanionFile[] = []): RuleSpec[] {
  const seen = new Set<string>();
  return readRulesList(fileName, text).map((raw, index) => {
    const id =
      raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
    if (id === null) throw new RuleFileError(fileName, `rule #${index + 1}: id: required`);
    if (seen.has(id)) throw new RuleFileError(fileName, `rule ${id}: id: defined twice in this file`);
    seen.add(id);
    try {
      return translateRule(raw, companions);
    } catch (err) {
      if (err instanceof Unsupported) throw new RuleFileError(fileName, `rule ${id}: ${err.message}`);
      throw err;
    }
  });
}

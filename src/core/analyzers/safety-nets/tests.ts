// Tests weakened by the change, judged against the base version of each test file: test cases
// that disappear, tests whose assertions are all gone, assertions that can no longer fail, and
// coverage or warning thresholds moved the permissive way. Skips, deleted test files and
// non-blocking CI steps have their own rules (rules/*.yml, ci/workflows.ts).

import { classifyFile } from '../../context/classify.js';
import { mapVersions, removesFromBase } from '../../diff/lines.js';
import type { ChangedFile } from '../../model.js';
import type { Analyzer, AnalyzerInput, RawFinding } from '../../rules/types.js';

const RULE = {
  removed: 'safety-net.test-removed',
  emptied: 'safety-net.test-assertions-removed',
  tautology: 'safety-net.tautological-assertion',
  threshold: 'safety-net.threshold-lowered',
  swallowed: 'safety-net.assertion-swallowed',
} as const;

/** Where a test case starts, and its name: JS/TS, Python, Go, Java/Kotlin, Ruby, PHP. */
const TEST_START: readonly RegExp[] = [
  /^\s*(?:it|test|specify)(?:\.(?:only|concurrent|each\([^)]*\)))?\s*\(\s*(['"`])(.+?)\1/,
  /^\s*(?:async\s+)?def\s+(test\w*)\s*\(/,
  /^\s*func\s+(Test\w+)\s*\(\s*\w+\s+\*testing\.T\b/,
  /^\s*(?:public\s+|protected\s+|private\s+)?(?:fun|void)\s+(`[^`]+`|\w+)\s*\([^)]*\)\s*(?::\s*\w+\s*)?(?:throws\s+[\w.,\s]+)?\{?\s*$/,
  /^\s*(?:it|specify|test)\s+(['"])(.+?)\1\s+do\b/,
  /^\s*public\s+function\s+(test\w+)\s*\(/,
];

/** Java/Kotlin methods count as tests only under an @Test annotation. */
const JAVA_TEST_ANNOTATION = /^\s*@(?:Test|ParameterizedTest|RepeatedTest|TestFactory)\b/;

/** Lines that check something: assertion calls of the common frameworks. */
const ASSERTION =
  /\b(?:expect|assert\w*|should|must|verify|check|require\.\w+|t\.(?:Error|Errorf|Fatal|Fatalf|Fail|FailNow)|self\.assert\w+|pytest\.raises|assertThat|assertEquals|assertTrue|assertFalse|assertThrows|assertNull|assertNotNull|\$this->assert\w+)\b|\.should\b|\.to\.|\.toBe|\.toEqual|\.toMatch|\.toThrow|\.toHave/;

/** Assertions that compare a constant with itself: they pass whatever the code does. */
const TAUTOLOGY: readonly RegExp[] = [
  /\bexpect\(\s*(true|false|null|undefined|\d+|'[^']*'|"[^"]*")\s*\)\s*\.\s*(?:toBe|toEqual|toStrictEqual)\(\s*\1\s*\)/,
  /\bexpect\(\s*true\s*\)\s*\.\s*(?:toBeTruthy|toBeDefined)\(\s*\)/,
  /\bexpect\(\s*(?:true|1)\s*\)\s*\.\s*to\s*\.\s*be\s*\.\s*(?:true|ok)\b/,
  /^\s*assert\s+(?:True|1|not\s+False|(\d+|True|'[^']*'|"[^"]*")\s*==\s*\1)\s*(?:#.*)?$/,
  /\b(?:self\.)?assertTrue\(\s*(?:True|true|1)\s*\)/,
  /\b(?:self\.)?assertFalse\(\s*(?:False|false|0)\s*\)/,
  /\b(?:self\.)?assertEquals?\(\s*(\d+|true|True|'[^']*'|"[^"]*")\s*,\s*\1\s*\)/,
  /\bassert(?:\.ok)?\(\s*true\s*\)/,
  /\bassert\.(?:equal|strictEqual|deepEqual)\(\s*(\d+|true|'[^']*'|"[^"]*")\s*,\s*\1\s*\)/,
  /\bassert\.(?:True|Equal)\(\s*t\s*,\s*(?:true|(\d+|"[^"]*")\s*,\s*\1)\s*\)/,
  /\$this->assertTrue\(\s*true\s*\)/,
];

interface TestCase {
  name: string;
  /** 1-based line of its start. */
  line: number;
  /** Assertion lines in its body (up to the next test or the end of the file). */
  assertions: number;
}

/** The test cases of a file, in order. A case's body runs to the next case's start. */
export function testCases(lines: readonly string[]): TestCase[] {
  const cases: TestCase[] = [];
  let javaAnnotated = false;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (JAVA_TEST_ANNOTATION.test(text)) {
      javaAnnotated = true;
      continue;
    }
    let name: string | null = null;
    for (const [index, pattern] of TEST_START.entries()) {
      if (index === 3 && !javaAnnotated) continue;
      const m = pattern.exec(text);
      if (m) {
        name = (m[2] ?? m[1] ?? '').trim();
        break;
      }
    }
    if (name !== null) {
      javaAnnotated = false;
      cases.push({ name, line: i + 1, assertions: 0 });
      continue;
    }
    const current = cases[cases.length - 1];
    if (current && ASSERTION.test(text) && !isComment(text)) current.assertions++;
  }
  return cases;
}

function isComment(text: string): boolean {
  return /^\s*(?:\/\/|#|\*|\/\*)/.test(text);
}

function isTestFile(file: ChangedFile, lines: readonly string[]): boolean {
  return classifyFile(file.path, lines).kind === 'test';
}

// --- Swallowed assertions ----------------------------------------------------------------------

/** A line that asserts, in a try body: stricter than ASSERTION (no `check`/`verify` helpers). */
const TRY_ASSERTION =
  /\bexpect\s*\(|\bassert\w*\s*[.(]|^\s*assert\b|\bself\.assert\w+|\bassertThat\s*\(|\.should\b|\bt\.(?:Error|Errorf|Fatal|Fatalf)\b/;
/** A handler that still fails the test, reports the error or asserts on it. */
const HANDLED =
  /\bthrow\b|\braise\b|\bfail\s*\(|\.fail\s*\(|\bdone\s*\(\s*[A-Za-z_$]|\breject\s*\(|\bexpect\s*\(|\bassert\w*\b|\bself\.(?:assert\w+|fail|skipTest)\b|\bpytest\.(?:fail|skip|xfail)\b|\bassertThat\b|\.should\b/;
/** Java/Kotlin catch types that an assertion failure falls into. */
const JAVA_ASSERTION_CATCH = /\b(?:AssertionError|AssertionFailedError|ComparisonFailure|Throwable|Error)\b/;
/** Python except clauses that an AssertionError falls into (a bare except too). */
const PYTHON_ASSERTION_EXCEPT = /^\s*except\s*(?::|\(?[^:]*\b(?:AssertionError|Exception|BaseException)\b[^:]*:)/;
const MAX_BLOCK_LINES = 400;

/** Code without its trailing `//` or `#` comment and string contents, for brace counting and handler tests. */
function codeOf(text: string, python: boolean): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) {
        quote = '';
        out += c;
      }
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      quote = c;
      out += c;
      continue;
    }
    if (!python && c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) break;
      i = end + 1;
      continue;
    }
    if (python ? c === '#' : c === '/' && text[i + 1] === '/') break;
    out += c;
  }
  return out;
}

/** The line and column just past the `}` that closes the `{` at (line, col), or null. 0-based lines. */
function closingBrace(code: readonly string[], line: number, col: number): { line: number; col: number } | null {
  let depth = 0;
  for (let l = line; l < code.length && l <= line + MAX_BLOCK_LINES; l++) {
    const text = code[l]!;
    for (let c = l === line ? col : 0; c < text.length; c++) {
      if (text[c] === '{') depth++;
      else if (text[c] === '}' && --depth === 0) return { line: l, col: c + 1 };
    }
  }
  return null;
}

function between(code: readonly string[], from: { line: number; col: number }, to: { line: number; col: number }): string {
  if (from.line === to.line) return code[from.line]!.slice(from.col, to.col);
  return [code[from.line]!.slice(from.col), ...code.slice(from.line + 1, to.line), code[to.line]!.slice(0, to.col)].join('\n');
}

interface Swallow {
  /** 0-based lines of the try and of the handler. */
  tryLine: number;
  catchLine: number;
}

/** try { …assertion… } catch (…) { …nothing that fails… } in brace languages. */
function braceSwallows(lines: readonly string[], java: boolean): Swallow[] {
  const code = lines.map((l) => (l.length > 2000 ? '' : codeOf(l, false)));
  const found: Swallow[] = [];
  for (let i = 0; i < code.length; i++) {
    const at = code[i]!.search(/\btry\s*\{/);
    if (at < 0) continue;
    const open = code[i]!.indexOf('{', at);
    const close = closingBrace(code, i, open);
    if (!close) continue;
    const body = between(code, { line: i, col: open + 1 }, { line: close.line, col: close.col - 1 });
    if (!body.split('\n').some((l) => TRY_ASSERTION.test(l))) continue;
    // The handler: after the try's `}` on its line, or on the next non-blank line.
    let catchLine = close.line;
    let rest = code[close.line]!.slice(close.col);
    while (rest.trim() === '' && catchLine + 1 < code.length && catchLine < close.line + 3) rest = code[++catchLine]!;
    const handler = /^\s*catch\s*(?:\(([^)]*)\))?\s*\{/.exec(rest);
    if (!handler) continue;
    if (java && !JAVA_ASSERTION_CATCH.test(handler[1] ?? '')) continue;
    const offset = catchLine === close.line ? close.col : 0;
    const hOpen = offset + rest.indexOf('{', handler.index + handler[0].length - 1);
    const hClose = closingBrace(code, catchLine, hOpen);
    if (!hClose) continue;
    if (HANDLED.test(between(code, { line: catchLine, col: hOpen + 1 }, { line: hClose.line, col: hClose.col - 1 }))) continue;
    found.push({ tryLine: i, catchLine });
  }
  return found;
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

/** try: …assert… / except (AssertionError|Exception|BaseException|bare): …nothing that fails… */
function pythonSwallows(lines: readonly string[]): Swallow[] {
  const found: Swallow[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*try\s*:\s*(?:#.*)?$/.test(lines[i]!)) continue;
    const indent = indentOf(lines[i]!);
    const inside = (j: number) => lines[j]!.trim() === '' || indentOf(lines[j]!) > indent;
    let j = i + 1;
    let asserts = false;
    for (; j < lines.length && j <= i + MAX_BLOCK_LINES && inside(j); j++) if (TRY_ASSERTION.test(codeOf(lines[j]!, true))) asserts = true;
    if (!asserts) continue;
    // Each except clause at the try's indent.
    while (j < lines.length && indentOf(lines[j]!) === indent && /^\s*except\b/.test(lines[j]!)) {
      const clause = j;
      const head = codeOf(lines[clause]!, true);
      let handler = head.slice(head.indexOf(':', head.search(/\bexcept\b/)) + 1);
      for (j = clause + 1; j < lines.length && j <= clause + MAX_BLOCK_LINES && inside(j); j++) handler += `\n${codeOf(lines[j]!, true)}`;
      if (PYTHON_ASSERTION_EXCEPT.test(head) && !HANDLED.test(handler)) {
        found.push({ tryLine: i, catchLine: clause });
        break;
      }
    }
  }
  return found;
}

function analyzeSwallowed(input: AnalyzerInput, out: RawFinding[]): void {
  const { lines, added, file } = input;
  const python = /\.pyw?$/.test(file.path);
  const swallows = python ? pythonSwallows(lines) : braceSwallows(lines, /\.(?:java|kt|kts|groovy|scala)$/.test(file.path));
  for (const { tryLine, catchLine } of swallows) {
    if (!added.has(tryLine + 1) && !added.has(catchLine + 1)) continue;
    const handler = lines[catchLine]!.trim();
    out.push({
      ruleId: RULE.swallowed,
      line: catchLine + 1,
      snippet: handler.slice(0, 200),
      message:
        `The assertions in the try block at line ${tryLine + 1} are caught by \`${handler.slice(0, 60)}\`, which neither rethrows, fails the test ` +
        'nor asserts on the error: the test can no longer fail on them and passes whatever the code does.',
    });
  }
}

// --- Thresholds ---------------------------------------------------------------------------------

/** Files that set coverage or warning thresholds. */
const THRESHOLD_FILE =
  /(?:^|\/)(?:package\.json|jest\.config\.[cm]?[jt]s|vitest\.config\.[cm]?[jt]s|vite\.config\.[cm]?[jt]s|karma\.conf\.[cm]?js|\.nycrc(?:\.json|\.ya?ml)?|\.c8rc(?:\.json)?|nyc\.config\.[cm]?js|\.coveragerc|setup\.cfg|tox\.ini|pyproject\.toml|pytest\.ini|codecov\.ya?ml|\.codecov\.ya?ml|\.golangci\.ya?ml|Makefile|[^/]+\.mk|\.github\/workflows\/[^/]+\.ya?ml|\.gitlab-ci\.yml|\.pre-commit-config\.yaml|\.eslintrc(?:\.json|\.ya?ml|\.[cm]?js)?|eslint\.config\.[cm]?[jt]s)$/;

/**
 * A threshold setting and its number. `higherIsStricter`: coverage minimums; false for warning
 * budgets (`--max-warnings`, golangci `max-issues-per-linter`), where raising it weakens.
 */
interface ThresholdPattern {
  regex: RegExp;
  higherIsStricter: boolean;
}

const THRESHOLDS: readonly ThresholdPattern[] = [
  { regex: /["']?\b(branches|functions|lines|statements)["']?\s*[:=]\s*(-?\d+(?:\.\d+)?)/g, higherIsStricter: true },
  { regex: /(--cov-fail-under|--fail-under|\bfail_under|\bfail-under|--check-coverage|--lines|--branches|--functions|--statements|\bmin_coverage|\bminimum_coverage|\bcoverage_threshold|--min-coverage)["']?\s*[=:\s]\s*["']?(\d+(?:\.\d+)?)/g, higherIsStricter: true },
  { regex: /\b(target|threshold)["']?\s*:\s*["']?(\d+(?:\.\d+)?)%?/g, higherIsStricter: true },
  { regex: /(--max-warnings|\bmax-warnings|\bmaxWarnings|\bmax-issues-per-linter|\bmax-same-issues)["']?\s*[=:\s]\s*["']?(-?\d+)/g, higherIsStricter: false },
];

interface Threshold {
  key: string;
  value: number;
  line: number;
  higherIsStricter: boolean;
}

function thresholdsOf(lines: readonly string[]): Threshold[] {
  const out: Threshold[] = [];
  lines.forEach((text, i) => {
    if (text.length > 2000) return;
    for (const { regex, higherIsStricter } of THRESHOLDS) {
      regex.lastIndex = 0;
      for (let m = regex.exec(text); m; m = regex.exec(text)) {
        out.push({ key: m[1]!.replace(/^-+/, '').toLowerCase(), value: Number(m[2]), line: i + 1, higherIsStricter });
      }
    }
  });
  return out;
}

/** A warning budget of -1 or 0 in ESLint means "no limit" or "none": -1 is the loosest. */
function loosened(t: Threshold, before: number): boolean {
  if (t.higherIsStricter) return t.value < before;
  if (before === -1) return false;
  return t.value === -1 || t.value > before;
}

// --- The analyzer --------------------------------------------------------------------------------

function analyzeTests(input: AnalyzerInput, out: RawFinding[]): void {
  const { lines, added, file, base } = input;
  // Assertions that cannot fail, wherever the change adds them to a test.
  for (const line of added) {
    const text = lines[line - 1];
    if (text === undefined || text.length > 2000 || isComment(text)) continue;
    const pattern = TAUTOLOGY.find((p) => p.test(text));
    if (!pattern) continue;
    out.push({
      ruleId: RULE.tautology,
      line,
      snippet: text.trim().slice(0, 200),
      message: `This assertion compares a constant with itself (\`${text.trim().slice(0, 80)}\`): it passes whatever the code under test does, so the test checks nothing.`,
    });
  }
  if (!base || base.text === null) return;
  const before = testCases(base.lines);
  if (before.length === 0) return;
  const after = testCases(lines);
  const afterByName = new Map<string, TestCase[]>();
  for (const c of after) afterByName.set(c.name, [...(afterByName.get(c.name) ?? []), c]);
  const map = mapVersions(base.lines, lines, file.addedLines);
  const removed: TestCase[] = [];
  for (const c of before) {
    const same = afterByName.get(c.name);
    if (!same || same.length === 0) {
      removed.push(c);
      continue;
    }
    const now = same.shift()!;
    if (c.assertions > 0 && now.assertions === 0) {
      out.push({
        ruleId: RULE.emptied,
        line: now.line,
        snippet: lines[now.line - 1]!.trim().slice(0, 200),
        message: `The test "${c.name.slice(0, 100)}" had ${c.assertions} assertion line${c.assertions === 1 ? '' : 's'} in the base version and has none now: it still runs and passes, but checks nothing.`,
        removal: true,
        groupKey: `emptied:${c.name}`,
      });
    }
  }
  // A test renamed in place is not removed: only count names gone with no new test in their stead.
  const added_ = after.filter((c) => !before.some((b) => b.name === c.name)).length;
  if (removed.length > added_) {
    const first = removed[0]!;
    const names = removed.slice(0, 5).map((c) => `"${c.name.slice(0, 60)}"`).join(', ');
    out.push({
      ruleId: RULE.removed,
      line: map.headLineOf(first.line),
      snippet: base.lines[first.line - 1]!.trim().slice(0, 200),
      message: `This change removes ${removed.length} test${removed.length === 1 ? '' : 's'} that the base version has (${names}${removed.length > 5 ? ', …' : ''}) and adds ${added_ === 0 ? 'none' : `only ${added_}`} in their place. A test deleted alongside a change to the code it covered hides what the change breaks.`,
      removal: true,
      groupKey: `removed:${file.path}`,
    });
  }
}

function analyzeThresholds(input: AnalyzerInput, out: RawFinding[]): void {
  const { base, lines, added } = input;
  if (!base || base.text === null) return;
  const baseThresholds = thresholdsOf(base.lines);
  if (baseThresholds.length === 0) return;
  const byKey = new Map<string, number>();
  for (const t of baseThresholds) if (!byKey.has(t.key)) byKey.set(t.key, t.value);
  const seen = new Set<string>();
  for (const t of thresholdsOf(lines)) {
    if (!added.has(t.line) || seen.has(t.key)) continue;
    seen.add(t.key);
    const was = byKey.get(t.key);
    if (was === undefined || !loosened(t, was)) continue;
    out.push({
      ruleId: RULE.threshold,
      line: t.line,
      snippet: lines[t.line - 1]!.trim().slice(0, 200),
      message: t.higherIsStricter
        ? `This change lowers the ${t.key} threshold from ${was} to ${t.value}: code can lose tests or checks and still pass the gate.`
        : `This change raises the ${t.key} budget from ${was} to ${t.value === -1 ? 'unlimited (-1)' : t.value}: new warnings no longer fail the check.`,
      groupKey: `threshold:${t.key}`,
    });
  }
}

const TEST_REFERENCES = ['https://cwe.mitre.org/data/definitions/1164.html', 'https://arxiv.org/abs/2502.09876'];

export const testsAnalyzer: Analyzer = {
  name: 'weakened-tests',
  rules: [
    {
      meta: {
        id: RULE.removed,
        title: 'Change removes test cases',
        severity: 'medium',
        confidence: 'medium',
        category: 'safety-net',
        cwe: ['CWE-1164'],
        message: 'The change removes test cases that the base version of the file has, without adding others in their place.',
        fix: 'Keep the tests, or say in the pull request why they no longer apply.',
        references: TEST_REFERENCES,
      },
      tests: {
        valid: [
          { path: 'test/a.test.js', base: "it('adds', () => {\n  expect(add(1, 2)).toBe(3);\n});\n", code: "it('adds two numbers', () => {\n  expect(add(1, 2)).toBe(3);\n});\n" },
          { path: 'tests/test_a.py', base: 'def test_a():\n    assert f() == 1\n', code: 'def test_a():\n    assert f() == 1\n\ndef test_b():\n    assert g()\n' },
        ],
        invalid: [
          {
            path: 'test/a.test.js',
            base: "it('adds', () => {\n  expect(add(1, 2)).toBe(3);\n});\nit('rejects strings', () => {\n  expect(() => add('a')).toThrow();\n});\n",
            code: "it('adds', () => {\n  expect(add(1, 2)).toBe(3);\n});\n",
          },
          { path: 'pkg/a_test.go', base: 'func TestA(t *testing.T) {\n\tif f() != 1 {\n\t\tt.Fatal("f")\n\t}\n}\n\nfunc TestB(t *testing.T) {\n\tt.Error("x")\n}\n', code: 'func TestA(t *testing.T) {\n\tif f() != 1 {\n\t\tt.Fatal("f")\n\t}\n}\n' },
        ],
      },
    },
    {
      meta: {
        id: RULE.emptied,
        title: 'Test keeps running but no longer asserts anything',
        severity: 'medium',
        confidence: 'high',
        category: 'safety-net',
        cwe: ['CWE-1164'],
        message: 'A test that had assertions in the base version has none left: it passes whatever the code does.',
        fix: 'Restore the assertions, or delete the test openly and say why.',
        references: TEST_REFERENCES,
      },
      tests: {
        valid: [
          { path: 'tests/test_a.py', base: 'def test_a():\n    assert f() == 1\n', code: 'def test_a():\n    assert f() == 2\n' },
          { path: 'test/a.spec.ts', base: "it('a', () => {\n  run();\n});\n", code: "it('a', () => {\n  run(1);\n});\n" },
        ],
        invalid: [
          { path: 'tests/test_a.py', base: 'def test_a():\n    result = f()\n    assert result == 1\n', code: 'def test_a():\n    result = f()\n    pass\n', lines: [1] },
          { path: 'test/a.spec.ts', base: "it('a', () => {\n  expect(run()).toEqual(1);\n});\n", code: "it('a', () => {\n  run();\n});\n" },
        ],
      },
    },
    {
      meta: {
        id: RULE.tautology,
        title: 'Assertion that cannot fail',
        severity: 'medium',
        confidence: 'high',
        category: 'safety-net',
        cwe: ['CWE-1164'],
        message: 'The change adds an assertion that compares a constant with itself: it passes whatever the code under test does.',
        fix: 'Assert on the value the code under test produces.',
        references: TEST_REFERENCES,
      },
      tests: {
        valid: [
          { path: 'test/a.test.js', code: 'expect(result).toBe(true);\nexpect(count).toBe(1);\n' },
          { path: 'tests/test_a.py', code: 'assert ok is True\nassert len(items) == 1\n' },
        ],
        invalid: [
          { path: 'test/a.test.js', code: "it('works', () => {\n  expect(true).toBe(true);\n});\n", lines: [2] },
          { path: 'tests/test_a.py', code: 'def test_a():\n    assert True\n', lines: [2] },
          { path: 'src/test/java/ATest.java', code: '@Test\nvoid a() {\n  assertTrue(true);\n}\n', lines: [3] },
        ],
      },
    },
    {
      meta: {
        id: RULE.swallowed,
        title: 'Test assertion inside a try that swallows its failure',
        severity: 'medium',
        confidence: 'medium',
        category: 'safety-net',
        cwe: ['CWE-1164', 'CWE-390'],
        message:
          'The change wraps assertions in a try block whose catch (except) neither rethrows, fails the test nor asserts on the error: ' +
          'a failing assertion is caught and the test passes.',
        fix: 'Remove the try/catch, or fail the test in the handler (throw, fail(), pytest.fail) or assert on the caught error.',
        references: [...TEST_REFERENCES, 'https://docs.pytest.org/en/stable/how-to/assert.html#assertions-about-expected-exceptions'],
      },
      tests: {
        valid: [
          { path: 'test/a.test.js', code: "it('a', () => {\n  try {\n    parse('{');\n    fail('should throw');\n  } catch (e) {\n    expect(e).toBeInstanceOf(SyntaxError);\n  }\n});\n" },
          { path: 'tests/test_a.py', code: 'def test_a():\n    try:\n        assert f()\n    except AssertionError:\n        pytest.fail("f broke")\n' },
          { path: 'test/a.test.js', base: "it('a', () => {\n  try {\n    expect(a).toBe(1);\n  } catch (e) {}\n});\n", code: "it('a', () => {\n  try {\n    expect(a).toBe(2);\n  } catch (e) {}\n});\n" },
        ],
        invalid: [
          { path: 'test/a.test.js', code: "it('a', () => {\n  try {\n    expect(a).toBe(1);\n  } catch (e) {\n    console.log(e);\n  }\n});\n" },
          { path: 'tests/test_a.py', code: 'def test_a():\n    try:\n        assert f() == 1\n    except AssertionError:\n        pass\n' },
          { path: 'src/test/java/ATest.java', code: '@Test\nvoid a() {\n  try { assertEquals(1, f()); } catch (AssertionError e) { }\n}\n' },
          { path: 'test/a.test.js', base: "it('a', () => {\n  expect(a).toBe(1);\n});\n", code: "it('a', () => {\n  try {\n    expect(a).toBe(1);\n  } catch (e) {}\n});\n" },
        ],
      },
    },
    {
      meta: {
        id: RULE.threshold,
        title: 'Coverage or warning threshold loosened',
        severity: 'medium',
        confidence: 'high',
        category: 'safety-net',
        cwe: ['CWE-1164'],
        message: 'The change moves a coverage minimum down, or a warning budget up, from what the base version requires.',
        fix: 'Keep the threshold, and add the tests or fix the warnings that fall short of it.',
        references: ['https://jestjs.io/docs/configuration#coveragethreshold-object', 'https://coverage.readthedocs.io/en/latest/config.html#report-fail-under', 'https://eslint.org/docs/latest/use/command-line-interface#--max-warnings'],
      },
      tests: {
        valid: [
          { path: '.coveragerc', base: '[report]\nfail_under = 80\n', code: '[report]\nfail_under = 85\n' },
          { path: 'package.json', base: '{ "scripts": { "lint": "eslint . --max-warnings 10" } }\n', code: '{ "scripts": { "lint": "eslint . --max-warnings 0" } }\n' },
        ],
        invalid: [
          { path: 'jest.config.js', base: 'module.exports = {\n  coverageThreshold: { global: { branches: 90, lines: 95 } },\n};\n', code: 'module.exports = {\n  coverageThreshold: { global: { branches: 60, lines: 95 } },\n};\n', lines: [2] },
          { path: 'pyproject.toml', base: '[tool.coverage.report]\nfail_under = 90\n', code: '[tool.coverage.report]\nfail_under = 70\n' },
          { path: 'package.json', base: '{ "scripts": { "lint": "eslint . --max-warnings 0" } }\n', code: '{ "scripts": { "lint": "eslint . --max-warnings 50" } }\n' },
        ],
      },
    },
  ],
  appliesTo: (file) => file.status !== 'deleted',
  wantsBase: (file) => removesFromBase(file) && (THRESHOLD_FILE.test(file.path) || classifyFile(file.path).kind === 'test'),
  analyze(input) {
    const out: RawFinding[] = [];
    if (input.text === null) return out;
    if (isTestFile(input.file, input.lines)) {
      analyzeTests(input, out);
      analyzeSwallowed(input, out);
    }
    if (THRESHOLD_FILE.test(input.file.path)) analyzeThresholds(input, out);
    return out;
  },
};

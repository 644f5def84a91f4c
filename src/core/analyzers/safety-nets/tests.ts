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
    if (isTestFile(input.file, input.lines)) analyzeTests(input, out);
    if (THRESHOLD_FILE.test(input.file.path)) analyzeThresholds(input, out);
    return out;
  },
};

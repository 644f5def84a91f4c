import { describe, expect, it } from 'vitest';
import { testCases, testsAnalyzer } from '../../../../src/core/analyzers/safety-nets/tests.js';
import { describeAnalyzerRules, runAnalyzer } from '../../../helpers/analyzers.js';

describeAnalyzerRules(testsAnalyzer);

const ids = (path: string, code: string, base?: string) =>
  runAnalyzer(testsAnalyzer, { path, code, ...(base !== undefined ? { base } : {}) }).map((f) => [f.ruleId, f.line]);

describe('test cases of a file', () => {
  it('finds cases and counts their assertions across frameworks', () => {
    expect(testCases(["describe('x', () => {", "  it('a', () => {", '    expect(1 + 1).toBe(2);', '  });', "  test('b', async () => {});", '});'])).toEqual([
      { name: 'a', line: 2, assertions: 1 },
      { name: 'b', line: 5, assertions: 0 },
    ]);
    expect(testCases(['@Test', 'void parsesDates() {', '  assertEquals(1, f());', '}', 'void helper() {', '}']).map((c) => c.name)).toEqual(['parsesDates']);
    expect(testCases(['class T(unittest.TestCase):', '    def test_a(self):', '        self.assertEqual(f(), 1)']).map((c) => [c.name, c.assertions])).toEqual([['test_a', 1]]);
  });
});

describe('weakened tests', () => {
  it('reports the removal where the removed test stood, on a line the change does not touch', () => {
    const base = "it('a', () => {\n  expect(a()).toBe(1);\n});\nit('b', () => {\n  expect(b()).toBe(2);\n});\nit('c', () => {\n  expect(c()).toBe(3);\n});\n";
    const head = "it('a', () => {\n  expect(a()).toBe(1);\n});\nit('c', () => {\n  expect(c()).toBe(3);\n});\n";
    expect(ids('src/x.test.ts', head, base)).toEqual([['safety-net.test-removed', 4]]);
  });

  it('does not read production files as tests, nor report without a base', () => {
    expect(ids('src/x.ts', "it('a', () => {\n});\n", "it('a', () => {\n  expect(1).toBe(2);\n});\nit('b', () => {});\n")).toEqual([]);
    expect(ids('src/x.test.ts', "it('a', () => {\n  run();\n});\n")).toEqual([]);
  });

  it('compares thresholds key by key, and only where the change edits them', () => {
    const base = '{\n  "jest": { "coverageThreshold": { "global": { "branches": 80, "lines": 90 } } }\n}\n';
    expect(ids('package.json', '{\n  "jest": { "coverageThreshold": { "global": { "branches": 80, "lines": 85 } } }\n}\n', base)).toEqual([['safety-net.threshold-lowered', 2]]);
    expect(ids('package.json', '{\n  "jest": { "coverageThreshold": { "global": { "branches": 85, "lines": 90 } } }\n}\n', base)).toEqual([]);
    expect(ids('.golangci.yml', 'issues:\n  max-issues-per-linter: 0\n', 'issues:\n  max-issues-per-linter: 50\n')).toEqual([]);
    expect(ids('.golangci.yml', 'issues:\n  max-issues-per-linter: 50\n', 'issues:\n  max-issues-per-linter: 10\n')).toEqual([['safety-net.threshold-lowered', 2]]);
  });
});

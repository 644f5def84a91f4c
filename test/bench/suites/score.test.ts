import { describe, expect, it } from 'vitest';
import { caseIndex, caseOfPath, compareFamilies, compareRuns, familyOfCwe, parseExpectedResults, scoreSuite } from '../../../bench/suites/score.mjs';

const GROUND_TRUTH = `# test name, category, real vulnerability, cwe, Benchmark version: 0.0
T1,cmdi,true,78
T2,cmdi,false,78
T3,sqli,true,89
T4,sqli,false,89
T5,pathtraver,true,22
T6,hash,true,328
`;

const finding = (path: string, ruleId: string, cwe: string[], line = 10) => ({ path, ruleId, cwe, line, snippet: `${ruleId} at ${line}` });

const FINDINGS = [
  finding('src/T1.java', 'cmd-rule', ['CWE-78']),
  finding('src/T2.java', 'cmd-rule', ['CWE-78']),
  // Another family's rule on a SQL case: noise, and T3 is not caught by it.
  finding('src/T3.java', 'eval-rule', ['CWE-95'], 3),
  finding('src/T3.java', 'sql-rule', ['CWE-89'], 4),
  finding('src/T3.java', 'sql-rule', ['CWE-89'], 9),
  // T10 is no case: "T1" must not be matched by prefix.
  finding('src/T10.java', 'sql-rule', ['CWE-89']),
  finding('helpers/Db.java', 'sql-rule', ['CWE-89']),
  // A case's companion file counts for the case; a rule with several CWEs counts for each family.
  finding('web/T6.html', 'hash-rule', ['CWE-327', 'CWE-328']),
];

describe('bench:suites scoring', () => {
  const cases = parseExpectedResults(GROUND_TRUTH, 'expectedresults-0.0.csv');
  const score = scoreSuite({ cases, findings: FINDINGS, notReviewed: [{ path: 'src/T5.py', reason: 'binary file' }] });
  const row = (family: string) => score.families.find((r) => r.family === family);

  it('reads the ground truth', () => {
    expect(cases).toHaveLength(6);
    expect(cases[0]).toEqual({ name: 'T1', category: 'cmdi', vulnerable: true, cwe: 78 });
    expect(cases[1]!.vulnerable).toBe(false);
  });

  it('counts recall and false-positive rate per CWE family', () => {
    expect(row('cmdi')).toMatchObject({ vulnerable: 1, caught: 1, recall: 1, safe: 1, flagged: 1, fpRate: 1 });
    expect(row('sqli')).toMatchObject({ vulnerable: 1, caught: 1, recall: 1, safe: 1, flagged: 0, fpRate: 0 });
    expect(row('hash')).toMatchObject({ vulnerable: 1, caught: 1, safe: 0, fpRate: null });
    expect(row('pathtraver')).toMatchObject({ vulnerable: 1, caught: 0, recall: 0, notReviewedVulnerable: 1 });
    expect(score.families.map((r) => r.family)).toEqual(['cmdi', 'sqli', 'pathtraver', 'hash']);
    expect(row('pathtraver')!.missed).toEqual(['T5']);
    expect(row('cmdi')!.missed).toEqual([]);
    expect(score.total).toMatchObject({ vulnerable: 4, caught: 3, recall: 0.75, safe: 2, flagged: 1, fpRate: 0.5, notReviewedVulnerable: 1 });
  });

  it('gives each rule its catches, false alarms and precision', () => {
    expect(score.byRule.rules).toEqual([
      { ruleId: 'cmd-rule', family: 'cmdi', caught: 1, flagged: 1, precision: 0.5 },
      { ruleId: 'hash-rule', family: 'hash', caught: 1, flagged: 0, precision: 1 },
      { ruleId: 'sql-rule', family: 'sqli', caught: 1, flagged: 0, precision: 1 },
    ]);
  });

  it('counts a rule once per case, however often it fires there', () => {
    expect(score.byRule.catches.find((t) => t.ruleId === 'sql-rule')).toMatchObject({ count: 1, examples: [{ path: 'src/T3.java', line: 4 }] });
    expect(score.byRule.falseAlarms).toEqual([{ ruleId: 'cmd-rule', family: 'cmdi', count: 1, examples: [{ path: 'src/T2.java', line: 10, snippet: 'cmd-rule at 10' }] }]);
  });

  it('sets apart findings of another CWE and findings outside the cases', () => {
    expect(score.noise.otherCweOnCases).toEqual([{ ruleId: 'eval-rule', family: 'codeinj', count: 1, examples: [{ path: 'src/T3.java', line: 3, snippet: 'eval-rule at 3' }] }]);
    expect(score.noise.outsideCases).toMatchObject([{ ruleId: 'sql-rule', family: 'sqli', count: 2 }]);
    expect(score.noise.outsideCases[0]!.examples.map((e) => e.path)).toEqual(['src/T10.java', 'helpers/Db.java']);
  });

  it('lists which rules flagged each case, for comparing two runs', () => {
    expect(score.cases.find((c) => c.name === 'T3')).toEqual({ name: 'T3', family: 'sqli', vulnerable: true, flaggedBy: ['sql-rule'], notReviewed: false });
    const after = scoreSuite({ cases, findings: [finding('src/T5.py', 'path-rule', ['CWE-22']), finding('src/T1.java', 'cmd-rule', ['CWE-78']), finding('src/T3.java', 'sql-rule', ['CWE-89']), finding('src/T4.java', 'sql-rule', ['CWE-89'])] });
    expect(compareRuns(score, after)).toEqual([
      { name: 'T2', family: 'cmdi', kind: 'false alarm gone', rules: ['cmd-rule'] },
      { name: 'T4', family: 'sqli', kind: 'new false alarm', rules: ['sql-rule'] },
      { name: 'T5', family: 'pathtraver', kind: 'now caught', rules: ['path-rule'] },
      { name: 'T6', family: 'hash', kind: 'no longer caught', rules: ['hash-rule'] },
    ]);
    const rates = compareFamilies(score, after);
    expect(rates.find((r) => r.family === 'pathtraver')).toEqual({ family: 'pathtraver', label: 'path traversal', before: { recall: 0, fpRate: null }, after: { recall: 1, fpRate: null } });
    expect(rates.find((r) => r.family === 'cmdi')).toMatchObject({ before: { recall: 1, fpRate: 1 }, after: { recall: 1, fpRate: 0 } });
    expect(rates.at(-1)).toEqual({ family: 'all', label: 'all', before: { recall: 0.75, fpRate: 0.5 }, after: { recall: 0.75, fpRate: 0.5 } });
  });

  it('maps CWEs to families and keeps unknown ones apart', () => {
    expect(familyOfCwe('CWE-95')).toBe('codeinj');
    expect(familyOfCwe(94)).toBe('codeinj');
    expect(familyOfCwe('CWE-1321')).toBe('CWE-1321');
    expect(() => familyOfCwe('CWE-x')).toThrow('not a CWE: "CWE-x"');
    const names = caseIndex(['T1', 'BenchmarkTest00001']);
    expect(caseOfPath('a/b/T1.java', names)).toBe('T1');
    expect(caseOfPath('a/T1x.java', names)).toBeNull();
    expect(caseOfPath('testcode/benchmark_test_00001.py', names)).toBe('BenchmarkTest00001');
  });

  it('refuses a malformed ground truth with the file and line', () => {
    expect(() => parseExpectedResults('T1,cmdi,maybe,78\n', 'x.csv')).toThrow('x.csv:1: real vulnerability must be true or false, got "maybe"');
    expect(() => parseExpectedResults('# h\nT1,cmdi,true,78\nT1,cmdi,false,78\n', 'x.csv')).toThrow('x.csv:3: test T1 listed twice');
    expect(() => parseExpectedResults('T1,cmdi,true\n', 'x.csv')).toThrow('x.csv:1: expected "test name,category,true|false,CWE"');
    expect(() => parseExpectedResults('# only a header\n', 'x.csv')).toThrow('x.csv: no test cases');
  });
});

import { diffLines } from '../diff/lines.js';
import { blocks, type ChangeSet, type ChangedFile, type Finding } from '../model.js';
import type { AstTextSearch } from '../scan/ast-batch.js';
import { Scanner } from '../scan/engine.js';
import { splitLines } from '../text.js';
import type { RuleCatalog } from './catalog.js';
import type { Language } from './schema.js';
import type { Analyzer, RuleTestCase, RuleTests, ScanData } from './types.js';

// Runs every rule's own valid/invalid cases through the real engine, the way ESLint's
// RuleTester does: each case is a one-file change, scanned with only that rule enabled.

export const DEFAULT_FILE: Record<Language, string> = {
  javascript: 'test.js',
  typescript: 'test.ts',
  tsx: 'test.tsx',
  python: 'test.py',
  go: 'test.go',
  java: 'Test.java',
  ruby: 'test.rb',
  php: 'test.php',
  bash: 'test.sh',
  yaml: 'test.yml',
};

export interface RuleTestFailure {
  ruleId: string;
  kind: 'valid' | 'invalid';
  /** 1-based index of the case within its list. */
  index: number;
  problem: string;
}

export interface RuleTestReport {
  rules: number;
  cases: number;
  failures: RuleTestFailure[];
}

/** A case's file as a change: a new file, or with `base` a modification of it. */
export function caseChangedFile(testCase: RuleTestCase, path: string): ChangedFile {
  const head = splitLines(testCase.code);
  const status = testCase.status ?? (testCase.base !== undefined ? 'modified' : 'added');
  const diff = testCase.base !== undefined ? diffLines(splitLines(testCase.base), status === 'deleted' ? [] : head) : null;
  return {
    path,
    oldPath: null,
    status,
    addedLines: status === 'deleted' ? [] : (testCase.added ?? diff?.added ?? head.map((_, i) => i + 1)),
    deletedLineCount: diff ? diff.deleted : status === 'deleted' ? head.length : 0,
    removedAfter: diff?.removedAfter ?? [],
    binary: false,
    oldMode: null,
    newMode: null,
    size: new TextEncoder().encode(testCase.code).length,
    unavailable: null,
  };
}

function caseChangeSet(testCase: RuleTestCase, defaultPath: string): ChangeSet {
  const path = testCase.path ?? defaultPath;
  const bytes = new TextEncoder().encode(testCase.code);
  const file = caseChangedFile(testCase, path);
  const base = testCase.base !== undefined ? new TextEncoder().encode(testCase.base) : null;
  return {
    base: 'base',
    head: 'head',
    files: [file],
    loadHead: async (p) => (p === path ? bytes : null),
    // A deleted file's code is its base version unless the case gives one.
    loadBase: async (p) => (p !== path ? null : (base ?? (file.status === 'added' ? null : bytes))),
  };
}

/**
 * A valid case passes when the rule reports nothing, or only findings that the file's context
 * (a test, a fixture, generated code, …) lowered below the default blocking thresholds: that is
 * how a rule says "this construct is fine here" without going blind to it (docs/rules.md).
 */
function countsAgainstValid(f: Finding): boolean {
  return !f.context?.original || blocks(f, 'high', 'high');
}

async function runCases(
  ruleId: string,
  tests: RuleTests,
  defaultPath: string,
  catalog: RuleCatalog,
  data: ScanData,
  failures: RuleTestFailure[],
  astSearch: AstTextSearch | undefined,
): Promise<number> {
  const scanner = new Scanner({ catalog, data, ...(astSearch ? { astSearch } : {}) });
  let cases = 0;
  for (const kind of ['valid', 'invalid'] as const) {
    for (const [i, testCase] of tests[kind].entries()) {
      cases++;
      const fail = (problem: string) => failures.push({ ruleId, kind, index: i + 1, problem });
      const result = await scanner.scan(caseChangeSet(testCase, defaultPath));
      const hits = result.findings.filter((f) => f.ruleId === ruleId && (kind === 'invalid' || countsAgainstValid(f)));
      if (result.notReviewed.length > 0) {
        fail(`not reviewed: ${result.notReviewed.map((n) => n.reason).join('; ')}`);
      } else if (kind === 'valid' && hits.length > 0) {
        fail(`expected no finding, got ${hits.length} on line(s) ${hits.map((h) => h.line).join(', ')}`);
      } else if (kind === 'invalid' && hits.length === 0) {
        fail('expected a finding, got none');
      } else if (kind === 'invalid' && testCase.lines) {
        const got = [...new Set(hits.map((h) => h.line))].sort((a, b) => a - b);
        const want = [...testCase.lines].sort((a, b) => a - b);
        if (got.join(',') !== want.join(',')) fail(`expected line(s) ${want.join(', ')}, got ${got.join(', ')}`);
      }
    }
  }
  return cases;
}

/**
 * Runs the tests of every rule whose id starts with `prefix` (all rules when empty), with the
 * AST rules run file by file or, given `astSearch`, through the batch search a scan uses.
 */
export async function runRuleTests(
  catalog: RuleCatalog,
  data: ScanData,
  prefix = '',
  { astSearch }: { astSearch?: AstTextSearch } = {},
): Promise<RuleTestReport> {
  const failures: RuleTestFailure[] = [];
  let rules = 0;
  let cases = 0;
  for (const rule of catalog.rules) {
    if (!rule.meta.id.startsWith(prefix)) continue;
    rules++;
    const only: RuleCatalog = { ...catalog, rules: [rule], analyzers: [], disabled: new Set() };
    const first = rule.languages ? [...rule.languages][0]! : null;
    cases += await runCases(rule.meta.id, rule.tests, first ? DEFAULT_FILE[first] : 'test.txt', only, data, failures, astSearch);
  }
  for (const analyzer of catalog.analyzers) {
    for (const r of analyzer.rules) {
      if (!r.meta.id.startsWith(prefix)) continue;
      rules++;
      const only: RuleCatalog = { ...catalog, rules: [], analyzers: [analyzer as Analyzer], disabled: new Set() };
      cases += await runCases(r.meta.id, r.tests, 'test.txt', only, data, failures, astSearch);
    }
  }
  return { rules, cases, failures };
}

import { describe, expect, it } from 'vitest';
import { adjustFinding, resolveContext } from '../../src/core/context/adjust.js';
import { classifyFile } from '../../src/core/context/classify.js';
import { blocks, type ChangedFile } from '../../src/core/model.js';
import { buildCatalog } from '../../src/core/rules/catalog.js';
import { caseChangedFile, runRuleTests } from '../../src/core/rules/rule-tests.js';
import type { Analyzer, AnalyzerRule, RawFinding, RuleTestCase, ScanData } from '../../src/core/rules/types.js';
import { splitLines } from '../../src/core/text.js';

export const NO_DATA: ScanData = { popularNpm: new Map(), popularPypi: new Map() };

export interface AnalyzerCase extends RuleTestCase {
  oldPath?: string;
}

export interface RunOptions {
  /** Path when the case names none. */
  defaultPath?: string;
  data?: ScanData;
  /** Status of a file whose case lists its added lines (default: added, like a new file). */
  partialStatus?: ChangedFile['status'];
  /** Head texts of other files of the change (AnalyzerInput.related). */
  related?: ReadonlyMap<string, string>;
}

/**
 * Runs one analyzer directly, as the engine would: a new file unless the case says otherwise,
 * no head text for a deleted file, and findings kept only where they touch an added line.
 */
export function runAnalyzer(analyzer: Analyzer, tc: AnalyzerCase, options: RunOptions = {}): RawFinding[] {
  const lines = splitLines(tc.code);
  const path = tc.path ?? options.defaultPath ?? 'file.txt';
  const status = tc.status ?? (tc.base === undefined && tc.added ? (options.partialStatus ?? 'added') : undefined);
  const file: ChangedFile = { ...caseChangedFile({ ...tc, ...(status ? { status } : {}) }, path), oldPath: tc.oldPath ?? null };
  if (!analyzer.appliesTo(file)) return [];
  const added = new Set(file.addedLines);
  const deleted = file.status === 'deleted';
  // As the engine does: the base only when asked, and a deleted file's code is its base.
  const baseCode = tc.base ?? (deleted ? tc.code : undefined);
  const base = file.status !== 'added' && analyzer.wantsBase?.(file) && baseCode !== undefined ? { text: baseCode, lines: splitLines(baseCode) } : null;
  const findings = analyzer.analyze({
    file,
    text: deleted ? null : tc.code,
    lines: deleted ? [] : lines,
    added,
    data: options.data ?? NO_DATA,
    base,
    ...(options.related ? { related: options.related } : {}),
  });
  if (deleted || lines.length === 0) return findings;
  return findings.filter((f) => {
    if (f.removal) return true;
    for (let l = f.line; l <= (f.endLine ?? f.line); l++) if (added.has(l)) return true;
    return false;
  });
}

/**
 * True when the engine would lower this finding, by the file context of the case, below the
 * default blocking thresholds: a valid case may report such findings (docs/rules.md).
 */
function loweredByContext(rule: AnalyzerRule, tc: AnalyzerCase, path: string, f: RawFinding): boolean {
  const context = classifyFile(path, splitLines(tc.code));
  if (context.kind === 'production') return false;
  const confidence = f.confidence ?? rule.meta.confidence;
  const adjusted = adjustFinding(rule.meta.severity, confidence, resolveContext(rule.meta.category, rule.meta.context)[context.kind]);
  const lowered = adjusted.severity !== rule.meta.severity || adjusted.confidence !== confidence;
  return lowered && !blocks(adjusted, 'high', 'high');
}

/**
 * The declared self-tests of an analyzer's rules, as vitest tests: all of them through the scan
 * engine (as `airlock rules test` runs them), then each rule's metadata and each of its cases
 * run directly, so a failure names the rule and the case.
 */
export function describeAnalyzerRules(analyzer: Analyzer, options: RunOptions = {}): void {
  describe(`${analyzer.name} rules: declared self-tests`, () => {
    it('pass through the scan engine', async () => {
      const report = await runRuleTests(buildCatalog([], [analyzer]), options.data ?? NO_DATA);
      expect(report.failures).toEqual([]);
      expect(report.rules).toBe(analyzer.rules.length);
    });
    it('have unique ids', () => {
      const ids = analyzer.rules.map((r) => r.meta.id);
      expect(new Set(ids).size).toBe(ids.length);
    });
    for (const rule of analyzer.rules) {
      const id = rule.meta.id;
      it(`${id} has complete metadata and both kinds of cases`, () => {
        expect(id).toMatch(/^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/);
        expect(rule.meta.title.length).toBeGreaterThan(3);
        expect(rule.meta.message.length).toBeGreaterThan(20);
        expect(rule.meta.references.length).toBeGreaterThan(0);
        for (const ref of rule.meta.references) expect(ref).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]+\//);
        for (const cwe of rule.meta.cwe) expect(cwe).toMatch(/^CWE-\d+$/);
        expect(rule.tests.valid.length).toBeGreaterThan(0);
        expect(rule.tests.invalid.length).toBeGreaterThan(0);
      });
      rule.tests.valid.forEach((tc, i) => {
        const path = tc.path ?? options.defaultPath ?? 'file.txt';
        it(`${id} valid case ${i + 1} (${path}) reports nothing, or only what its file's context keeps from blocking`, () => {
          const hits = runAnalyzer(analyzer, tc, options).filter((f) => f.ruleId === id);
          expect(hits.filter((f) => !loweredByContext(rule, tc, path, f))).toEqual([]);
        });
      });
      rule.tests.invalid.forEach((tc, i) => {
        it(`${id} invalid case ${i + 1} (${tc.path ?? options.defaultPath ?? 'file.txt'}) is reported`, () => {
          const hits = runAnalyzer(analyzer, tc, options).filter((f) => f.ruleId === id);
          expect(hits.length).toBeGreaterThan(0);
          if (tc.lines) expect([...new Set(hits.map((h) => h.line))].sort((a, b) => a - b)).toEqual(tc.lines);
        });
      });
    }
  });
}

import { describe, expect, it } from 'vitest';
import { runRuleTests } from '../../src/core/rules/rule-tests.js';
import { unguardedAstRules } from '../../src/core/scan/compile.js';
import { parseRuleSource } from '../../src/core/rules/catalog.js';
import { loadShippedCatalog, readRuleSources } from '../../src/io/rules-dir.js';
import { loadScanData } from '../../src/io/scan-data.js';

// Every shipped rule and analyzer rule runs its own valid/invalid cases, one vitest test per
// rule, so a failure names the rule. `airlock rules test` runs the same cases.
const catalog = await loadShippedCatalog();
const data = await loadScanData();
const ids = [...catalog.meta.keys()].sort();

describe('shipped rules', () => {
  it('every rule has metadata a reviewer can use', () => {
    for (const meta of catalog.meta.values()) {
      expect(meta.message.length, meta.id).toBeGreaterThan(30);
      expect(meta.cwe.length, `${meta.id} has a CWE`).toBeGreaterThan(0);
    }
  });

  it('every rule declares its confidence on purpose rather than taking the default', async () => {
    // The default (high) is for an organisation's own rules; a shipped rule says what it knows.
    const undeclared = (await readRuleSources()).flatMap((source) => parseRuleSource(source).filter((spec) => spec.confidence === undefined).map((spec) => `${source.name}: ${spec.id}`));
    expect(undeclared).toEqual([]);
    for (const meta of catalog.meta.values()) expect(['high', 'medium', 'low'], meta.id).toContain(meta.confidence);
  });

  it('every AST rule names a word the pre-filter can look for, or is marked every-file', () => {
    // A rule without one makes every file of its languages be parsed and searched.
    expect(unguardedAstRules(catalog.rules).map((r) => `${r.source}: ${r.meta.id}`)).toEqual([]);
  });

  it('every rule in Semgrep syntax has annotated positive and negative lines', () => {
    const semgrep = catalog.rules.filter((r) => r.source.startsWith('rules/semgrep/'));
    expect(semgrep.length).toBeGreaterThanOrEqual(10);
    for (const rule of semgrep) {
      const id = rule.meta.id;
      const reported = rule.tests.invalid.flatMap((c) => c.lines ?? []);
      expect(reported.length, `${id}: ruleid lines`).toBeGreaterThanOrEqual(2);
      const okLines = rule.tests.invalid.concat(rule.tests.valid).flatMap((c) => c.code.split('\n').filter((l) => new RegExp(`\\bok: ${id.replaceAll('.', '\\.')}\\b`).test(l)));
      expect(okLines.length, `${id}: ok lines`).toBeGreaterThanOrEqual(2);
    }
  });

  it.each(ids)('%s passes its valid and invalid cases', async (id) => {
    const report = await runRuleTests(catalog, data, id);
    const mine = report.failures.filter((f) => f.ruleId === id);
    expect(mine.map((f) => `${f.kind} case ${f.index}: ${f.problem}`)).toEqual([]);
  });
});

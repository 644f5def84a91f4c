import { describe, expect, it } from 'vitest';
import { runRuleTests } from '../../src/core/rules/rule-tests.js';
import { scanChangeSet } from '../../src/core/scan/engine.js';
import { appCatalog } from '../../src/github/app.js';
import { loadScanData } from '../../src/io/scan-data.js';
import { changeSetOf } from '../helpers/changeset.js';

const CONFIG_CHANGE_RULE = 'airlock.config-changed';

describe('changes to .github/airlock.yml', () => {
  it('passes its own rule test cases', async () => {
    const report = await runRuleTests(await appCatalog(), await loadScanData(), CONFIG_CHANGE_RULE);
    expect([report.rules, report.cases]).toEqual([1, 4]);
    expect(report.failures).toEqual([]);
  });

  it('flags an edit, a rename onto the file and a deletion, with a fingerprint that survives edits', async () => {
    const options = { catalog: await appCatalog(), data: await loadScanData() };
    const edit = await scanChangeSet(changeSetOf([{ path: '.github/airlock.yml', code: 'review: ai\nfail_on: low\n', added: [2], status: 'modified' }]), options);
    const other = await scanChangeSet(changeSetOf([{ path: '.github/airlock.yml', code: 'review: all\nfail_on: info\n', added: [1, 2], status: 'modified' }]), options);
    const removed = await scanChangeSet(changeSetOf([{ path: '.github/airlock.yml', code: '', added: [], status: 'deleted' }]), options);
    const trimmed = await scanChangeSet(changeSetOf([{ path: '.github/airlock.yml', code: 'review: ai\n', added: [], status: 'modified' }]), options);
    const ids = (r: typeof edit) => r.findings.filter((f) => f.ruleId === CONFIG_CHANGE_RULE).map((f) => [f.line, f.severity]);
    expect(ids(edit)).toEqual([[2, 'high']]);
    expect(ids(other)).toEqual([[1, 'high']]);
    expect(ids(removed)).toHaveLength(1);
    expect(ids(trimmed)).toEqual([[1, 'high']]);
    expect(edit.findings[0]!.fingerprint).toBe(other.findings.find((f) => f.ruleId === CONFIG_CHANGE_RULE)!.fingerprint);
  });
});

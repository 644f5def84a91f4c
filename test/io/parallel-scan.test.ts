import { describe, expect, it } from 'vitest';
import type { ChangedFile } from '../../src/core/model.js';
import { configureCatalog } from '../../src/core/rules/catalog.js';
import { scanChangeSet } from '../../src/core/scan/engine.js';
import { loadShippedCatalog, shippedRuleSources } from '../../src/io/rules-dir.js';
import { loadScanData } from '../../src/io/scan-data.js';
import { changeSetOf } from '../helpers/changeset.js';
import type * as ParallelScan from '../../src/io/parallel-scan.js';

// Worker threads run compiled JavaScript, so this test drives the built scanner (npm test builds first).
const builtScanner = '../../dist/io/parallel-scan.js';
const { createParallelScanner, shardFiles } = (await import(builtScanner)) as typeof ParallelScan;

const catalog = await loadShippedCatalog();
const data = await loadScanData();

function bigChange() {
  const files = Array.from({ length: 40 }, (_, n) => {
    const lines = Array.from({ length: 60 }, (_, i) => `const v${i} = compute(${n}, ${i});`);
    if (n % 3 === 0) lines[10] = "const out = require('child_process').exec('ls ' + process.argv[2]);";
    if (n % 5 === 0) lines[20] = 'const key = "AKIAZ7Q3XK2M4PLW9RTB";';
    return { path: `src/f${n}.js`, code: `${lines.join('\n')}\n` };
  });
  files.push({ path: 'img.png', code: '\u0000\u0001' });
  return changeSetOf(files);
}

describe('parallel scan', () => {
  it('gives exactly the result of a one-thread scan', async () => {
    const options = { catalog, data };
    const single = await scanChangeSet(bigChange(), options);
    const scanner = createParallelScanner(await shippedRuleSources(), { threads: 3, minAddedLines: 100 });
    const parallel = await scanner.scan(bigChange(), options, {});
    expect(single.findings.length).toBeGreaterThan(10);
    expect(parallel.findings).toEqual(single.findings);
    expect(parallel.notReviewed).toEqual(single.notReviewed);
    expect(parallel.stats.addedLines).toBe(single.stats.addedLines);
    expect(parallel.stats.filesScanned).toBe(single.stats.filesScanned);
  });

  it('applies rule overrides in the workers too', async () => {
    const scanner = createParallelScanner(await shippedRuleSources(), { threads: 2, minAddedLines: 100 });
    const overrides = { 'secrets.*': 'off' as const };
    const result = await scanner.scan(bigChange(), { catalog: configureCatalog(catalog, overrides), data }, overrides);
    expect(result.findings.some((f) => f.ruleId.startsWith('secrets.'))).toBe(false);
    expect(result.findings.some((f) => f.ruleId.startsWith('js.'))).toBe(true);
  });

  it('splits files into shards of about equal added lines, in order', () => {
    const files = [5, 5, 90, 5, 5].map((n, i) => ({ path: `f${i}`, addedLines: Array.from({ length: n }, (_, k) => k + 1) })) as ChangedFile[];
    expect(shardFiles(files, 2).map((s) => s.map((f) => f.path))).toEqual([['f0', 'f1', 'f2'], ['f3', 'f4']]);
    expect(shardFiles(files, 1)).toHaveLength(1);
  });
});

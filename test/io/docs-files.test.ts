// The committed rule pages and configuration reference are exactly what the generators write:
// a rule, a rule case or a schema description changed without `npm run docs` fails here.
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadShippedCatalog } from '../../src/io/rules-dir.js';
import { CONFIG_REFERENCE, docsDrift, generatedDocs, writeDocs } from '../../src/io/docs-files.js';
import { PACKAGE_ROOT } from '../../src/io/package-root.js';
import { ruleDocFileName } from '../../src/core/docs/links.js';

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('generated docs', () => {
  it('the committed docs/rules/ and docs/configuration.md are what `npm run docs` writes', async () => {
    const problems = await docsDrift(PACKAGE_ROOT, await generatedDocs());
    expect(problems, `out of date, run \`npm run docs\`:\n${problems.join('\n')}`).toEqual([]);
  }, 60_000);

  it('has one page per shipped rule, plus the index and the configuration reference', async () => {
    const catalog = await loadShippedCatalog();
    const generated = await generatedDocs(catalog);
    expect(generated.size).toBe(catalog.meta.size + 2);
    for (const id of catalog.meta.keys()) expect(generated.has(`docs/rules/${ruleDocFileName(id)}`), id).toBe(true);
    expect(generated.has(CONFIG_REFERENCE)).toBe(true);
  }, 60_000);

  it('reports a changed, a missing and a stray page, and writeDocs repairs all three', async () => {
    const root = mkdtempSync(join(tmpdir(), 'airlock-docs-'));
    scratch.push(root);
    const generated = new Map([
      ['docs/rules/a.one.md', '# one\n'],
      ['docs/rules/README.md', '# index\n'],
      [CONFIG_REFERENCE, '# config\n'],
    ]);
    mkdirSync(join(root, 'docs/rules'), { recursive: true });
    writeFileSync(join(root, 'docs/rules/a.one.md'), '# one, edited by hand\n');
    writeFileSync(join(root, 'docs/rules/gone.rule.md'), '# a rule that no longer exists\n');
    writeFileSync(join(root, CONFIG_REFERENCE), '# config\n');
    expect(await docsDrift(root, generated)).toEqual([
      'docs/rules/a.one.md differs from what the generator writes',
      'docs/rules/README.md is missing',
      'docs/rules/gone.rule.md belongs to no shipped rule',
    ]);
    expect(await writeDocs(root, generated)).toEqual(['docs/rules/a.one.md', 'docs/rules/README.md', 'docs/rules/gone.rule.md (removed)']);
    expect(await docsDrift(root, generated)).toEqual([]);
    expect(readdirSync(join(root, 'docs/rules')).sort()).toEqual(['README.md', 'a.one.md']);
  });
});

import { describe, expect, it } from 'vitest';
import { mapVersions, diffLines } from '../../../src/core/diff/lines.js';
import { buildCatalog } from '../../../src/core/rules/catalog.js';
import type { Analyzer, AnalyzerInput } from '../../../src/core/rules/types.js';
import { scanChangeSet } from '../../../src/core/scan/engine.js';
import { NO_DATA } from '../../helpers/analyzers.js';
import { changeSetOf, withBase } from '../../helpers/changeset.js';

const meta = (id: string) => ({
  meta: { id, title: 'Removed line', severity: 'high' as const, confidence: 'high' as const, category: 'safety-net', cwe: [], message: 'A line was removed here.', fix: null, references: ['https://example.com/'] },
  tests: { valid: [], invalid: [] },
});

/** Reports every removed base line where it stood in the head, and records what it saw. */
function recorder(seen: AnalyzerInput[], wants: (path: string) => boolean): Analyzer {
  return {
    name: 'recorder',
    rules: [meta('test.removed')],
    appliesTo: () => true,
    wantsBase: (file) => wants(file.path),
    analyze(input) {
      seen.push(input);
      if (!input.base?.text) return [];
      const map = mapVersions(input.base.lines, input.lines, input.file.addedLines);
      return map.removed.map((b) => ({ ruleId: 'test.removed', line: map.headLineOf(b), snippet: input.base!.lines[b - 1]!, removal: true }));
    },
  };
}

describe('base versions in the scan', () => {
  it('loads the base only for files an analyzer asks about, and reports removals on unchanged head lines', async () => {
    const seen: AnalyzerInput[] = [];
    const catalog = buildCatalog([], [recorder(seen, (p) => p.endsWith('.py'))]);
    const asked: string[] = [];
    const set = withBase(
      changeSetOf([
        { path: 'views.py', code: 'def admin(request):\n    pass\n', added: [], status: 'modified' },
        { path: 'notes.txt', code: 'hello\n', added: [], status: 'modified' },
        { path: 'new.py', code: 'x = 1\n' },
      ]),
      { 'views.py': '@login_required\ndef admin(request):\n    pass\n', 'notes.txt': 'hi\n' },
      asked,
    );
    const result = await scanChangeSet(set, { catalog, data: NO_DATA });
    expect(asked).toEqual(['views.py']);
    expect(result.findings.map((f) => [f.path, f.line, f.snippet])).toEqual([['views.py', 1, '@login_required']]);
    expect(result.notReviewed).toEqual([]);
    expect(seen.find((s) => s.file.path === 'notes.txt')?.base).toBeNull();
    expect(seen.find((s) => s.file.path === 'new.py')?.base).toBeNull();
  });

  it('gives a deleted file its base, and reads a renamed file at its old path', async () => {
    const seen: AnalyzerInput[] = [];
    const catalog = buildCatalog([], [recorder(seen, () => true)]);
    const asked: string[] = [];
    const set = changeSetOf([
      { path: 'gone.py', code: '', status: 'deleted' },
      { path: 'moved.py', code: 'a = 1\n', added: [], status: 'renamed' },
    ]);
    set.files[1]!.oldPath = 'old.py';
    const result = await scanChangeSet(withBase(set, { 'gone.py': 'def test_a():\n    assert f()\n', 'old.py': 'a = 1\n' }, asked), { catalog, data: NO_DATA });
    expect(asked.sort()).toEqual(['gone.py', 'old.py']);
    expect(seen.find((s) => s.file.path === 'gone.py')?.base?.lines).toEqual(['def test_a():', '    assert f()']);
    // One finding per rule and line: both removals stand on line 1 of a deleted file.
    expect(result.findings.map((f) => [f.path, f.line])).toEqual([['gone.py', 1]]);
    expect(result.notReviewed).toEqual([]);
  });

  it('lists a file whose base could not be read as not fully reviewed, with the reason, and still reviews its head', async () => {
    const seen: AnalyzerInput[] = [];
    const catalog = buildCatalog([], [recorder(seen, () => true)]);
    const set = withBase(
      changeSetOf([
        { path: 'a.py', code: 'x = 1\n', added: [], status: 'modified' },
        { path: 'b.py', code: 'y = 1\n', added: [], status: 'modified' },
        { path: 'c.py', code: 'z = 1\n', added: [], status: 'modified' },
      ]),
      { 'a.py': new Error('HTTP 502 from the server'), 'b.py': 'y = 1\n'.repeat(50) },
      [],
    );
    const result = await scanChangeSet(set, { catalog, data: NO_DATA, limits: { maxFileBytes: 100 } });
    expect(result.notReviewed).toEqual([
      { path: 'a.py', reason: 'base version could not be read: HTTP 502 from the server' },
      { path: 'b.py', reason: 'base version could not be read: 300 bytes, over the 100-byte limit' },
      { path: 'c.py', reason: 'base version could not be read: file missing at base' },
    ]);
    expect(seen.map((s) => s.base)).toEqual([
      { text: null, lines: [] },
      { text: null, lines: [] },
      { text: null, lines: [] },
    ]);
    expect(result.stats.filesScanned).toBe(3);
  });

  it('without a base loader, analyzers see the head only', async () => {
    const seen: AnalyzerInput[] = [];
    const catalog = buildCatalog([], [recorder(seen, () => true)]);
    const result = await scanChangeSet(changeSetOf([{ path: 'a.py', code: 'x = 1\n', added: [], status: 'modified' }]), { catalog, data: NO_DATA });
    expect(seen[0]?.base).toBeNull();
    expect(result.notReviewed).toEqual([]);
  });
});

describe('line maps between versions', () => {
  it('finds removed base lines and where they stood in the head', () => {
    const base = ['a', 'b', 'c', 'd', 'e'];
    const head = ['a', 'X', 'd', 'e'];
    const map = mapVersions(base, head, [2]);
    expect(map.removed).toEqual([2, 3]);
    expect(map.headLineOf(2)).toBe(3);
    expect(map.headLineOf(4)).toBe(3);
    expect(map.headLineOf(5)).toBe(4);
    expect(mapVersions(['a', 'b'], ['a'], []).headLineOf(2)).toBe(1);
  });

  it('diffs two small texts like git does for tests', () => {
    expect(diffLines(['a', 'b', 'c'], ['a', 'x', 'c', 'd'])).toEqual({ added: [2, 4], removedAfter: [1], deleted: 1 });
    expect(diffLines([], ['a'])).toEqual({ added: [1], removedAfter: [], deleted: 0 });
    expect(diffLines(['a'], [])).toEqual({ added: [], removedAfter: [0], deleted: 1 });
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { BlobReader, type BlobRef } from '../../src/io/git-blobs.js';
import { limiter, runGit, type GitRunOptions } from '../../src/io/git-run.js';
import { cleanupRepos, makeRepo } from '../helpers/git-repo.js';

afterAll(cleanupRepos);

/** Eight bytes each. */
const content = (i: number) => `file ${String(i).padStart(2, '0')}\n`;

function setup(count: number) {
  const repo = makeRepo();
  for (let i = 0; i < count; i++) repo.write(`f${i}.txt`, content(i));
  repo.commit('files');
  const refs: BlobRef[] = Array.from({ length: count }, (_, i) => ({
    key: `f${i}.txt`,
    sha: repo.git('rev-parse', `HEAD:f${i}.txt`),
    size: content(i).length,
    readAhead: true,
  }));
  const run = (args: readonly string[], opts: Omit<GitRunOptions, 'label'> = {}) => runGit(repo.dir, args, { ...opts, label: 'test' });
  const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString());
  return { repo, refs, run, text };
}

describe('BlobReader', () => {
  it('reads files in order with one git process per batch', async () => {
    const { refs, run, text } = setup(25);
    const reader = new BlobReader(run, limiter(4), refs, { batchCount: 10, batchBytes: 1 << 20, aheadBytes: 1 << 20 });
    for (let i = 0; i < 25; i++) expect(text(await reader.read(`f${i}.txt`))).toBe(content(i));
    expect(reader.batches).toBe(3);
    // Reading again works (and batches again).
    expect(text(await reader.read('f3.txt'))).toBe(content(3));
    expect(text(await reader.read('f4.txt'))).toBe(content(4));
    expect(reader.batches).toBe(4);
  });

  it('serves concurrent readers from shared batches', async () => {
    const { refs, run, text } = setup(30);
    const reader = new BlobReader(run, limiter(4), refs, { batchCount: 16, batchBytes: 1 << 20, aheadBytes: 1 << 20 });
    const all = await Promise.all(refs.map((ref) => reader.read(ref.key)));
    expect(all.map(text)).toEqual(refs.map((_, i) => content(i)));
    expect(reader.batches).toBe(2);
  });

  it('keeps batches within the byte limits and skips files not meant to be read ahead', async () => {
    const { refs, run, text } = setup(6);
    refs[1]!.readAhead = false;
    const reader = new BlobReader(run, limiter(2), refs, { batchCount: 10, batchBytes: 1 << 20, aheadBytes: 1 << 20 });
    expect(text(await reader.read('f0.txt'))).toBe(content(0));
    expect(reader.batches).toBe(1);
    expect(text(await reader.read('f2.txt'))).toBe(content(2));
    expect(reader.batches).toBe(1);
    expect(text(await reader.read('f1.txt'))).toBe(content(1));
    expect(reader.batches).toBe(2);

    const small = new BlobReader(run, limiter(2), refs, { batchCount: 10, batchBytes: 16, aheadBytes: 1 << 20 });
    for (let i = 0; i < 6; i++) await small.read(`f${i}.txt`);
    // Each file is 8 bytes, so a batch holds two: [0, 2], [1, 3], [4, 5].
    expect(small.batches).toBe(3);
  });

  it('drops what readers pass by, so skipped files do not fill the read-ahead budget', async () => {
    const { refs, run, text } = setup(40);
    const reader = new BlobReader(run, limiter(2), refs, { batchCount: 40, batchBytes: 1 << 20, aheadBytes: 8 * 4 });
    for (let i = 0; i < 40; i += 2) expect(text(await reader.read(`f${i}.txt`))).toBe(content(i));
    // A budget of four files ahead (32 bytes): [0-4] on the first read, then, whenever half of
    // what is ahead has been used, as many next files as the budget allows: [5, 6], [7-10],
    // [11, 12], [13-16], … Without dropping the skipped odd files the budget would stay full.
    expect(reader.batches).toBe(10);
  });

  it('reads on before the reader reaches the end of what was read ahead', async () => {
    const { refs, run, text } = setup(40);
    const reader = new BlobReader(run, limiter(4), refs, { batchCount: 10, batchBytes: 1 << 20, aheadBytes: 1 << 20 });
    expect(text(await reader.read('f0.txt'))).toBe(content(0));
    expect(reader.batches).toBe(1);
    for (let i = 1; i <= 3; i++) await reader.read(`f${i}.txt`);
    expect(reader.batches).toBe(1);
    // Half of the batch of ten is used: the next ten are read while the reader works.
    await reader.read('f4.txt');
    expect(reader.batches).toBe(2);
    for (let i = 6; i < 40; i++) expect(text(await reader.read(`f${i}.txt`))).toBe(content(i));
    expect(reader.batches).toBe(4);
  });

  it('returns null for names it does not know and blobs git does not have', async () => {
    const { refs, run } = setup(1);
    const reader = new BlobReader(run, limiter(1), [...refs, { key: 'ghost', sha: 'f'.repeat(40), size: 1, readAhead: true }]);
    expect(reader.has('nope')).toBe(false);
    expect(await reader.read('nope')).toBeNull();
    expect(await reader.read('ghost')).toBeNull();
  });
});

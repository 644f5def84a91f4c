import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstLine, GitError, limiter, oneLine, runGit } from '../../src/io/git-run.js';
import { cleanupRepos, makeRepo } from '../helpers/git-repo.js';

afterAll(cleanupRepos);

describe('runGit', () => {
  it('returns stdout as bytes, stops early when asked and refuses output over the limit', async () => {
    const repo = makeRepo();
    const big = Buffer.alloc(100_000, 0x61);
    repo.write('big.txt', big);
    const sha = repo.commit('big');
    const label = 'the repo';

    const full = await runGit(repo.dir, ['cat-file', 'blob', `${sha}:big.txt`], { label });
    expect(full.stdout.equals(big)).toBe(true);

    const start = await runGit(repo.dir, ['cat-file', 'blob', `${sha}:big.txt`], { label, stopAfterBytes: 10 });
    expect(start.stdout.length).toBeGreaterThanOrEqual(10);
    expect(start.stdout.subarray(0, 10).toString()).toBe('aaaaaaaaaa');

    await expect(runGit(repo.dir, ['cat-file', 'blob', `${sha}:big.txt`], { label, maxBytes: 1000 })).rejects.toThrow(
      new GitError('git cat-file output exceeds 1000 bytes in the repo'),
    );
  });

  it('turns a failure into a one-line GitError with git\'s reason, unless the code is allowed', async () => {
    const repo = makeRepo();
    const failure = runGit(repo.dir, ['cat-file', 'blob', 'HEAD:nothing'], { label: 'svc' });
    await expect(failure).rejects.toBeInstanceOf(GitError);
    await expect(failure).rejects.toThrow(/^git cat-file failed in svc: [^\n]+$/);
    const allowed = await runGit(repo.dir, ['cat-file', 'blob', 'HEAD:nothing'], { label: 'svc', allowCodes: [128] });
    expect(allowed.code).toBe(128);
  });

  it('spools large output through a private file with the same bytes, limits and errors, and leaves no file behind', async () => {
    const repo = makeRepo();
    const big = Buffer.alloc(3_000_000, 0x62);
    repo.write('big.txt', big);
    const sha = repo.commit('big');
    // A private temporary directory (this test file runs in its own process), to see what is left.
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'airlock-spool-test-'));
    const spooled = await runGit(repo.dir, ['cat-file', 'blob', `${sha}:big.txt`], { label: 'r', spool: true });
    expect(spooled.stdout.equals(big)).toBe(true);
    await expect(runGit(repo.dir, ['cat-file', 'blob', `${sha}:big.txt`], { label: 'r', spool: true, maxBytes: 1000 })).rejects.toThrow(
      new GitError('git cat-file output exceeds 1000 bytes in r'),
    );
    await expect(runGit(repo.dir, ['cat-file', 'blob', 'HEAD:nothing'], { label: 'r', spool: true })).rejects.toThrow(/^git cat-file failed in r: /);
    const batch = await runGit(repo.dir, ['cat-file', '--batch'], { label: 'r', spool: true, input: `${sha}:big.txt\n` });
    expect(batch.stdout.length).toBeGreaterThan(big.length);
    expect(readdirSync(tmpdir())).toEqual([]);
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  });

  it('feeds stdin', async () => {
    const repo = makeRepo();
    const result = await runGit(repo.dir, ['hash-object', '--stdin'], { label: 'x', input: 'hello\n' });
    expect(result.stdout.toString().trim()).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });
});

describe('messages', () => {
  it('firstLine drops fatal:/error: and hint lines', () => {
    expect(firstLine('hint: something\nfatal: bad revision \'x\'\nmore\n')).toBe("bad revision 'x'");
    expect(firstLine('\n\n')).toBe('');
  });

  it('oneLine escapes control and bidi characters and cuts long text', () => {
    expect(oneLine('a\nb\u202ec\u0000')).toBe('a\\u{a}b\\u{202e}c\\u{0}');
    expect(oneLine('x'.repeat(300))).toHaveLength(201);
  });
});

describe('limiter', () => {
  it('never runs more than the limit at once and runs everything', async () => {
    const pool = limiter(3);
    let active = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        pool(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setTimeout(resolve, i % 3));
          active--;
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(3);
  });

  it('keeps going after a task fails', async () => {
    const pool = limiter(1);
    await expect(pool(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await pool(async () => 'next')).toBe('next');
  });
});

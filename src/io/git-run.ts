// Runs git without a shell and with settings that the user's or the repository's config
// cannot change in ways that would alter what we read.

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeScratchDir } from './scratch.js';

/** A git failure, with a one-line message fit for the CLI's stderr. */
export class GitError extends Error {
  override readonly name = 'GitError';
}

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

export interface GitRunOptions {
  /** Written to git's stdin. */
  input?: string | Uint8Array;
  /** Fail when stdout grows beyond this many bytes (default 256 MiB). */
  maxBytes?: number;
  /** Stop reading (and stop git) once this many bytes arrived: the result holds at least that much. */
  stopAfterBytes?: number;
  /** Exit codes other than 0 that the caller handles itself. */
  allowCodes?: readonly number[];
  /**
   * For large outputs: git writes to a private temporary file instead of a pipe, so it never
   * waits for this (busy) thread to drain a 64 KiB pipe, which costs a context switch per
   * few kilobytes. The size limit is then checked while git runs and again at the end.
   */
  spool?: boolean;
  /** Repository as the user named it, for messages. */
  label: string;
}

export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/** Prepended to every command: read objects as stored, never page, quote every non-ASCII name. */
const GLOBAL_ARGS = [
  '--no-pager',
  '--no-replace-objects',
  '-c',
  'core.quotepath=true',
  '-c',
  'color.ui=false',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'diff.noprefix=false',
  '-c',
  'diff.mnemonicPrefix=false',
  '-c',
  'log.showSignature=false',
];

/** Variables that would point git at another repository, or change diff output. */
const DROPPED_ENV = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
  'GIT_DIFF_OPTS',
  'GIT_EXTERNAL_DIFF',
  'GIT_PAGER',
];

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of DROPPED_ENV) delete env[key];
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_OPTIONAL_LOCKS = '0';
  env.LC_ALL = 'C';
  return env;
}

/** A private file that receives git's stdout; removed once read. */
class Spool {
  private readonly dir = makeScratchDir('airlock-git-');
  readonly fd = openSync(join(this.dir, 'out'), 'w+', 0o600);
  private closed = false;

  size(): number {
    return fstatSync(this.fd).size;
  }

  read(): Buffer {
    return readFileSync(join(this.dir, 'out'));
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const SPOOL_CHECK_MS = 20;

export function runGit(cwd: string, args: readonly string[], opts: GitRunOptions): Promise<GitResult> {
  if (opts.spool && opts.stopAfterBytes !== undefined) throw new Error('internal: spool and stopAfterBytes do not combine');
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise((resolve, reject) => {
    const spool = opts.spool ? new Spool() : null;
    let child: ChildProcess;
    try {
      child = spawn('git', [...GLOBAL_ARGS, ...args], { cwd, env: gitEnv(), stdio: ['pipe', spool ? spool.fd : 'pipe', 'pipe'], windowsHide: true });
    } catch (error) {
      spool?.dispose();
      throw error;
    }
    const tooLarge = () => new GitError(`git ${args[0]} output exceeds ${formatBytes(maxBytes)} in ${oneLine(opts.label)}`);
    const unreadable = (error: unknown) =>
      new GitError(`cannot read the output of git ${args[0]} in ${oneLine(opts.label)}: ${oneLine((error as Error).message)}`);
    const watch = spool
      ? setInterval(() => {
          let grown: number;
          try {
            grown = spool.size();
          } catch (error) {
            return fail(unreadable(error));
          }
          if (grown > maxBytes) fail(tooLarge());
        }, SPOOL_CHECK_MS)
      : null;
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let settled = false;
    let stopped = false;
    const fail = (error: GitError): void => {
      if (settled) return;
      settled = true;
      if (watch) clearInterval(watch);
      child.kill();
      spool?.dispose();
      reject(error);
    };

    child.on('error', (error: NodeJS.ErrnoException) => {
      fail(
        error.code === 'ENOENT'
          ? new GitError('git is not installed or not on PATH')
          : new GitError(`cannot run git in ${oneLine(opts.label)}: ${oneLine(error.message)}`),
      );
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      if (stopped || settled) return;
      chunks.push(chunk);
      size += chunk.length;
      if (opts.stopAfterBytes !== undefined && size >= opts.stopAfterBytes) {
        stopped = true;
        child.stdout?.destroy();
        child.kill();
        return;
      }
      if (size > maxBytes) fail(tooLarge());
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < 16_384) stderr += chunk.toString('utf8');
    });
    // git may exit before reading all of its input (EPIPE): its exit code tells what happened.
    child.stdin!.on('error', () => {});
    child.stdin!.end(opts.input ?? '');

    child.on('close', (code, signal) => {
      if (settled) return;
      if (watch) clearInterval(watch);
      let stdout: Buffer;
      if (spool) {
        try {
          stdout = spool.read();
        } catch (error) {
          return fail(unreadable(error));
        } finally {
          spool.dispose();
        }
        if (stdout.length > maxBytes) return fail(tooLarge());
      } else {
        stdout = Buffer.concat(chunks, size);
      }
      settled = true;
      if (stopped) return resolve({ stdout, stderr, code: 0 });
      const exit = code ?? (signal !== null ? 128 : 1);
      if (exit === 0 || opts.allowCodes?.includes(exit)) return resolve({ stdout, stderr, code: exit });
      reject(new GitError(`git ${args[0]} failed in ${oneLine(opts.label)}: ${firstLine(stderr) || `exit code ${exit}`}`));
    });
  });
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MiB` : `${n} bytes`;
}

/** The first meaningful line of git's stderr, without "fatal: ". */
export function firstLine(stderr: string): string {
  for (const raw of stderr.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('hint:')) continue;
    return oneLine(line.replace(/^(fatal|error): /, ''));
  }
  return '';
}

/** Text from outside (revision names, paths, git messages) made safe for a one-line message. */
export function oneLine(text: string, max = 200): string {
  let out = '';
  for (const ch of text.length > max ? text.slice(0, max) + '…' : text) {
    const code = ch.codePointAt(0)!;
    out += code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || isInvisibleFormat(code) ? `\\u{${code.toString(16)}}` : ch;
  }
  return out;
}

/** Bidi controls and zero-width characters, which would let a name rewrite the message it appears in. */
function isInvisibleFormat(code: number): boolean {
  return (code >= 0x200b && code <= 0x200f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0xfeff;
}

/** Runs at most `limit` tasks at a time. */
export function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finishing task hands its slot straight to the next waiter, so the limit holds.
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

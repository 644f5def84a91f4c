// Local git as a source of ChangeSets: reviews base...head (the merge-base diff, as a pull
// request shows it), loads head blobs, lists the commits of the range.
//
// The repository under review may carry hostile attributes (.gitattributes in the work
// tree) and the user's config may carry anything, so every command pins the options that
// change its output, and files that git calls binary are checked against their bytes.

import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseUnifiedDiff } from '../core/diff/unified.js';
import type { ChangedFile, ChangeSet, CommitFacts, ContentLoader } from '../core/model.js';
import { looksBinary } from '../core/text.js';
import { BlobReader } from './git-blobs.js';
import { parseCatFileBatch, parseCommitObject, parseRawDiff, type BatchObject, type RawDiffEntry } from './git-objects.js';
import { firstLine, GitError, limiter, oneLine, runGit, type GitRunOptions, type GitResult } from './git-run.js';

export { GitError } from './git-run.js';

export interface GitRange {
  /** Repository directory (any folder inside the work tree, or a bare repository). */
  repo: string;
  base: string;
  head: string;
}

/** Options shared by the patch and the raw listing, so both see the same files in the same order. */
const DIFF_SELECTION = ['--find-renames', '--no-relative', '--ignore-submodules=none', '--submodule=short'];

/** Output format of the patch: no colours, no external or textconv drivers, fixed prefixes, no merged hunks. */
const PATCH_FORMAT = ['--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', '--inter-hunk-context=0', '-U0'];

/** Head files larger than this are not re-read to check git's "binary" verdict. */
const MAX_TEXT_RECHECK_BYTES = 32 * 1024 * 1024;
/** Bytes git looks at to call a file binary (a NUL among them). */
const BINARY_SNIFF_BYTES = 8000;
/**
 * Files git calls binary up to this size are read whole, many to one `cat-file --batch` (a git
 * process costs more than reading a small file); larger ones alone, only their first bytes.
 */
const SNIFF_WHOLE_MAX_BYTES = 1024 * 1024;
/** Bytes of such files one `cat-file --batch` reads. */
const SNIFF_BATCH_BYTES = 16 * 1024 * 1024;
const ZERO_SHA = /^0+$/;
const HEX_SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

interface Repo {
  cwd: string;
  /** As the user named it, for messages. */
  label: string;
  run(args: readonly string[], opts?: Omit<GitRunOptions, 'label'>): Promise<GitResult>;
}

/** A repository checked once, with both ends of the range resolved to commits. */
interface ResolvedRange {
  r: Repo;
  base: string;
  head: string;
  baseSha: string;
  headSha: string;
}

async function resolveRange({ repo, base, head }: GitRange): Promise<ResolvedRange> {
  const r = await openRepo(repo);
  const [baseSha, headSha] = await Promise.all([resolveCommit(r, base), resolveCommit(r, head)]);
  return { r, base, head, baseSha, headSha };
}

/**
 * What a review reads from git — the change, its commits and the branch name — checking the
 * repository and resolving each revision once (every git process costs a few milliseconds).
 */
export async function loadGitReview(
  range: GitRange,
  { branch = true } = {},
): Promise<{ changeSet: ChangeSet; commits: CommitFacts[]; branch: string | null }> {
  const resolved = await resolveRange(range);
  const [changeSet, commits, name] = await Promise.all([
    changeSetOf(resolved),
    commitsOf(resolved),
    branch ? branchOf(resolved.r, range.head) : Promise.resolve(null),
  ]);
  return { changeSet, commits, branch: name };
}

export async function loadGitChangeSet(range: GitRange): Promise<ChangeSet> {
  return changeSetOf(await resolveRange(range));
}

async function changeSetOf({ r, base, head, baseSha, headSha }: ResolvedRange): Promise<ChangeSet> {
  const since = await mergeBase(r, baseSha, headSha, base, head);

  const unreadable = (error: unknown) =>
    new GitError(`cannot read the output of git diff in ${oneLine(r.label)}: ${oneLine((error as Error).message)}`);
  // The raw listing is small and quick: blob sizes are asked for while the patch is still coming.
  const rawEntries = r.run(['diff', ...DIFF_SELECTION, '--raw', '-z', '--no-abbrev', since, headSha]).then((raw) => {
    try {
      return parseRawDiff(raw.stdout);
    } catch (error) {
      throw unreadable(error);
    }
  });
  const sizesOfNewBlobs = rawEntries.then((entries) =>
    blobSizes(r, [...new Set(entries.filter((e) => e.newMode !== '160000' && !ZERO_SHA.test(e.newSha)).map((e) => e.newSha))]),
  );
  // Both settle before anything is thrown, so no rejection is left unhandled.
  sizesOfNewBlobs.catch(() => {});
  const [patch, entries] = await Promise.all([r.run(['diff', ...DIFF_SELECTION, ...PATCH_FORMAT, since, headSha], { spool: true }), rawEntries]);
  let files: ChangedFile[];
  try {
    files = parseUnifiedDiff(patch.stdout.toString('utf8'));
  } catch (error) {
    throw unreadable(error);
  }

  const pool = limiter(8);
  const blobs = new Set<string>();
  const matched = matchRawEntries(files, entries);
  const withBlob: { file: ChangedFile; entry: RawDiffEntry }[] = [];
  files.forEach((file, i) => {
    const entry = matched[i];
    if (file.status === 'deleted' || entry === undefined || entry.newMode === '160000' || ZERO_SHA.test(entry.newSha)) return;
    if (blobs.has(file.path)) {
      // Two names that differ only in bytes that are not UTF-8 read the same once decoded.
      file.unavailable ??= 'its name is not valid UTF-8 and reads the same as another changed file';
      return;
    }
    blobs.add(file.path);
    withBlob.push({ file, entry });
  });

  const sizes = await sizesOfNewBlobs;
  for (const { file, entry } of withBlob) file.size = sizes.get(entry.newSha) ?? null;
  await recheckBinaries(
    r,
    pool,
    withBlob.filter(({ file }) => file.binary && file.unavailable === null && file.size !== null && file.size <= MAX_TEXT_RECHECK_BYTES),
  );

  const reader = new BlobReader(
    r.run,
    pool,
    withBlob.map(({ file, entry }) => ({ key: file.path, sha: entry.newSha, size: file.size, readAhead: !file.binary })),
  );
  const loadHead: ContentLoader = async (path) => {
    if (reader.has(path)) return reader.read(path);
    if (!isPlainRepoPath(path)) return null;
    return pool(() => readBlob(r, `${headSha}:${path}`));
  };
  // The base at the merge base the diff starts from, read only when the scan asks.
  const loadBase: ContentLoader = async (path, limits) => {
    if (!isPlainRepoPath(path)) return null;
    return pool(() => readBoundedBlob(r, `${since}:${path}`, limits?.maxBytes));
  };
  return { base, head, files, loadHead, loadBase };
}

/** Commits in base..head, oldest first, with full messages. */
export async function loadGitCommits(range: GitRange): Promise<CommitFacts[]> {
  return commitsOf(await resolveRange(range));
}

async function commitsOf({ r, baseSha, headSha }: ResolvedRange): Promise<CommitFacts[]> {
  const list = await r.run(['rev-list', '--date-order', '--reverse', `^${baseSha}`, headSha]);
  const shas = list.stdout.toString('utf8').split('\n').filter((line) => HEX_SHA.test(line));
  if (shas.length === 0) return [];
  // Raw commit objects, read with their sizes: no separator in a message can break the parse.
  const batch = await r.run(['cat-file', '--batch'], { input: shas.join('\n') + '\n' });
  let objects;
  try {
    objects = parseCatFileBatch(batch.stdout);
  } catch (error) {
    throw new GitError(`cannot read commits in ${oneLine(r.label)}: ${oneLine((error as Error).message)}`);
  }
  const commits: CommitFacts[] = [];
  objects.forEach((object, i) => {
    if (object.type === 'commit' && object.content !== null) commits.push(parseCommitObject(shas[i]!, object.content));
  });
  return commits;
}

/**
 * The branch that `head` names: the branch itself, the branch HEAD is on, or the branch part
 * of a remote-tracking name (origin/feature → feature). Null for tags, SHAs and a detached HEAD.
 */
export async function currentBranch(repo: string, head: string): Promise<string | null> {
  return branchOf(await openRepo(repo), head);
}

async function branchOf(r: Repo, head: string): Promise<string | null> {
  if (!isSafeRevision(head)) return null;
  const result = await r.run(['rev-parse', '--symbolic-full-name', head], { allowCodes: [1, 128] });
  if (result.code === 128 && result.stderr.includes('not a git repository')) throw repositoryError(r, result.stderr);
  if (result.code !== 0) return null;
  const full = result.stdout.toString('utf8').split('\n')[0]!.trim();
  if (full.startsWith('refs/heads/')) return full.slice('refs/heads/'.length) || null;
  if (!full.startsWith('refs/remotes/')) return null;
  const rest = full.slice('refs/remotes/'.length);
  const remotes = (await r.run(['remote'])).stdout.toString('utf8').split('\n').filter(Boolean);
  const remote = remotes.filter((name) => rest.startsWith(name + '/')).sort((a, b) => b.length - a.length)[0];
  const branch = remote !== undefined ? rest.slice(remote.length + 1) : rest.slice(rest.indexOf('/') + 1);
  return branch === '' || branch === 'HEAD' ? null : branch;
}

/**
 * The GitHub repository (`owner/name`) the `origin` remote points to, or null: no such remote, or
 * not on github.com.
 */
export async function originRepository(repo: string): Promise<string | null> {
  const r = await openRepo(repo);
  const result = await r.run(['config', '--get', 'remote.origin.url'], { allowCodes: [1] });
  if (result.code !== 0) return null;
  const m = /github\.com[:/]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(result.stdout.toString('utf8').trim());
  return m ? `${m[1]}/${m[2]}` : null;
}

// ---------------------------------------------------------------------------------------

async function openRepo(repo: string): Promise<Repo> {
  const cwd = resolve(repo);
  const label = repo;
  const info = await stat(cwd).catch(() => null);
  if (info === null || !info.isDirectory()) throw new GitError(`not a git repository: ${oneLine(label)}`);
  // Whether it is a repository at all is learnt from the first command, not from one more process.
  return { cwd, label, run: (args, opts = {}) => runGit(cwd, args, { ...opts, label }) };
}

/** The one-line error for a command git refused before it looked at any revision. */
function repositoryError(r: Repo, stderr: string): GitError {
  if (stderr.includes('not a git repository')) return new GitError(`not a git repository: ${oneLine(r.label)}`);
  return new GitError(`cannot read the git repository ${oneLine(r.label)}: ${firstLine(stderr) || 'git rev-parse failed'}`);
}

/** Refuses names git would read as options, and names that cannot be passed to a process. */
function isSafeRevision(rev: string): boolean {
  return rev !== '' && !rev.startsWith('-') && !rev.includes('\0');
}

async function resolveCommit(r: Repo, rev: string): Promise<string> {
  const unknown = new GitError(`unknown revision: ${oneLine(rev)} (in ${oneLine(r.label)})`);
  if (!isSafeRevision(rev)) throw unknown;
  const result = await r.run(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { allowCodes: [1, 128] });
  // --quiet silences unknown revisions (exit 1); exit 128 is git refusing the repository itself.
  if (result.code === 128) throw repositoryError(r, result.stderr);
  const sha = result.stdout.toString('utf8').trim();
  if (result.code !== 0 || !HEX_SHA.test(sha)) throw unknown;
  return sha;
}

async function mergeBase(r: Repo, baseSha: string, headSha: string, base: string, head: string): Promise<string> {
  const result = await r.run(['merge-base', baseSha, headSha], { allowCodes: [1] });
  const sha = result.stdout.toString('utf8').trim();
  if (result.code === 0 && HEX_SHA.test(sha)) return sha;
  const shallow = await r.run(['rev-parse', '--is-shallow-repository'], { allowCodes: [128] });
  const hint = shallow.stdout.toString('utf8').trim() === 'true' ? ' (the clone is shallow: fetch more history, e.g. git fetch --unshallow)' : '';
  throw new GitError(`no merge base between ${oneLine(base)} and ${oneLine(head)}${hint}`);
}

/**
 * Pairs each parsed file with its raw record. Both listings come from the same diff, so
 * they are in the same order; names are compared to be sure (and used if the order differs).
 */
function matchRawEntries(files: ChangedFile[], entries: RawDiffEntry[]): (RawDiffEntry | undefined)[] {
  if (files.length === entries.length && files.every((file, i) => entries[i]!.path === file.path)) return entries;
  const byPath = new Map<string, RawDiffEntry>();
  for (const entry of entries) if (!byPath.has(entry.path)) byPath.set(entry.path, entry);
  return files.map((file) => byPath.get(file.path));
}

async function blobSizes(r: Repo, shas: string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  if (shas.length === 0) return sizes;
  const result = await r.run(['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'], { input: shas.join('\n') + '\n' });
  for (const line of result.stdout.toString('utf8').split('\n')) {
    const [sha, type, size] = line.split(' ');
    if (sha !== undefined && type === 'blob' && size !== undefined) sizes.set(sha, Number(size));
  }
  return sizes;
}

/**
 * git calls a file binary when it sees a NUL byte, and also whenever a `-diff` or `binary`
 * attribute says so; .gitattributes in the work tree comes from the change under review.
 * A head file without a NUL in its first 8000 bytes is diffed again as text. Small files are
 * read in batches; a batch that fails is read again file by file.
 */
async function recheckBinaries(r: Repo, pool: ReturnType<typeof limiter>, files: { file: ChangedFile; entry: RawDiffEntry }[]): Promise<void> {
  const alone = files.filter(({ file }) => file.size! > SNIFF_WHOLE_MAX_BYTES);
  const batches: (typeof files)[] = [];
  let bytes = Infinity;
  for (const item of files) {
    if (item.file.size! > SNIFF_WHOLE_MAX_BYTES) continue;
    if (bytes + item.file.size! > SNIFF_BATCH_BYTES) {
      batches.push([]);
      bytes = 0;
    }
    batches.at(-1)!.push(item);
    bytes += item.file.size!;
  }
  await Promise.all([
    ...alone.map(({ file, entry }) => pool(() => recheckBinary(r, file, entry))),
    ...batches.map((batch) =>
      pool(async () => {
        let objects: BatchObject[] | null = null;
        try {
          const out = await r.run(['cat-file', '--batch'], { input: batch.map(({ entry }) => entry.newSha).join('\n') + '\n' });
          objects = parseCatFileBatch(out.stdout);
        } catch {
          // Read again one by one below, where a failure is reported as before.
        }
        // In turn, within this slot of the pool: the files that need git again stay bounded.
        for (const [i, { file, entry }] of batch.entries()) {
          const content = objects?.[i]?.content ?? null;
          if (content === null) await recheckBinary(r, file, entry);
          else if (!looksBinary(content.subarray(0, BINARY_SNIFF_BYTES))) await diffAsText(r, file, entry, content);
        }
      }),
    ),
  ]);
}

/** One file git calls binary, checked by its first bytes. */
async function recheckBinary(r: Repo, file: ChangedFile, entry: RawDiffEntry): Promise<void> {
  const start = await r.run(['cat-file', 'blob', entry.newSha], { stopAfterBytes: BINARY_SNIFF_BYTES });
  if (looksBinary(start.stdout.subarray(0, BINARY_SNIFF_BYTES))) return;
  await diffAsText(r, file, entry, null);
}

/** The change to a file git called binary, as text: every line of an added file, else git's `--text` diff. */
async function diffAsText(r: Repo, file: ChangedFile, entry: RawDiffEntry, headContent: Uint8Array | null): Promise<void> {
  if (entry.status === 'A' || ZERO_SHA.test(entry.oldSha) || entry.oldMode === '160000') {
    const content = headContent ?? (await readBlob(r, entry.newSha));
    file.addedLines = content === null ? [] : allLines(content);
  } else {
    // Blob against blob: no path, so no attribute applies; --text settles the rest.
    const diff = await r.run(['diff', ...PATCH_FORMAT, '--text', entry.oldSha, entry.newSha]);
    let again: ChangedFile | undefined;
    try {
      again = parseUnifiedDiff(diff.stdout.toString('utf8'))[0];
    } catch (error) {
      file.unavailable = `git's text diff of this file cannot be read: ${oneLine((error as Error).message)}`;
      return;
    }
    if (again === undefined) return;
    file.addedLines = again.addedLines;
    file.deletedLineCount = again.deletedLineCount;
    file.removedAfter = again.removedAfter;
    file.unavailable = again.unavailable;
  }
  file.binary = false;
}

function allLines(content: Uint8Array): number[] {
  let count = 0;
  for (let i = 0; i < content.length; i++) if (content[i] === 10) count++;
  if (content.length > 0 && content[content.length - 1] !== 10) count++;
  return Array.from({ length: count }, (_, i) => i + 1);
}

/** A blob's bytes by SHA or `rev:path`; null when there is no such blob. */
async function readBlob(r: Repo, spec: string): Promise<Uint8Array | null> {
  const result = await r.run(['cat-file', 'blob', spec], { allowCodes: [128] });
  return result.code === 0 ? result.stdout : null;
}

/**
 * A blob's bytes by `rev:path`, null when there is none; past `maxBytes` it rejects with the
 * size, without reading the blob.
 */
async function readBoundedBlob(r: Repo, spec: string, maxBytes: number | undefined): Promise<Uint8Array | null> {
  if (maxBytes !== undefined) {
    const check = await r.run(['cat-file', '--batch-check=%(objecttype) %(objectsize)'], { input: `${spec}\n` });
    const [type, size] = check.stdout.toString('utf8').trim().split(' ');
    if (type !== 'blob' || size === undefined) return null;
    if (Number(size) > maxBytes) throw new Error(`${Number(size)} bytes, over the ${maxBytes}-byte limit`);
  }
  return readBlob(r, spec);
}

/**
 * The bytes of `path` in the commit `rev` names, as committed (never the work tree); null when
 * that commit has no such file.
 */
export async function readFileAtRevision(repo: string, rev: string, path: string): Promise<Uint8Array | null> {
  const r = await openRepo(repo);
  const sha = await resolveCommit(r, rev);
  return readBlob(r, `${sha}:${path}`);
}

/** Whether `rev` names a commit in the repository (a fetched branch, a SHA); other git failures throw. */
export async function revisionExists(repo: string, rev: string): Promise<boolean> {
  const r = await openRepo(repo);
  try {
    await resolveCommit(r, rev);
    return true;
  } catch (error) {
    if (error instanceof GitError && error.message.startsWith('unknown revision:')) return false;
    throw error;
  }
}

/** A path relative to the repository root that `rev:path` reads literally (no ./, ../ or absolute forms). */
function isPlainRepoPath(path: string): boolean {
  if (path === '' || path.includes('\0') || path.startsWith('/')) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

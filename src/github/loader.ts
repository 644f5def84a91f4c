// Builds the engine's input from GitHub: the changed files from the pull request files
// endpoint (never the .diff media type, which GitHub refuses past 300 files or 20,000
// lines), the commits for trailers, and contents only when the engine asks for a
// file: many files per GraphQL query (src/github/blobs.ts), the REST blob and contents APIs
// for what GraphQL cannot give byte for byte. New files are rebuilt from their patch (no request).
import { GITLINK_MODE, type ChangedFile, type ChangeSet, type CommitFacts, type FileStatus, type PullRequestFacts } from '../core/model.js';
import { DiffParseError, hunkStatsFromPatch, isSubmodulePatch } from '../core/diff/unified.js';
import type { GitHub } from './octokit.js';
import { BlobReader } from './blobs.js';
import { hunksOf, textOfAddedFile, type Hunk } from './patch.js';

/** GitHub lists at most 3,000 files of a pull request, 100 per page. */
export const MAX_LISTED_FILES = 3000;
const PER_PAGE = 100;
/** GitHub lists at most 250 commits of a pull request. */
export const MAX_LISTED_COMMITS = 250;
/**
 * Commits of a pull request read at most (30 compare pages beyond the first 250); a longer
 * history leaves authorship unknown, and the change is reviewed.
 */
export const MAX_READ_COMMITS = 3000;
const PAGE_CONCURRENCY = 4;
const CONTENT_CONCURRENCY = 8;

/** The parts of a pull request (webhook payload or REST answer) the app reads. */
export interface PullRequestInfo {
  number: number;
  title: string;
  body: string | null;
  state: string;
  user: { login: string; type?: string } | null;
  labels: { name?: string }[];
  head: { sha: string; ref: string; repo: { full_name: string } | null };
  base: { sha: string; ref: string };
  changed_files?: number;
  /** How many commits the pull request has, as GitHub counts them. */
  commits?: number;
}

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface LoadedChange {
  changeSet: ChangeSet;
  facts: PullRequestFacts;
  /** Head-side hunks per path: where review comments can be anchored. */
  hunks: Map<string, Hunk[]>;
  /** Set when GitHub stopped listing files before the end of the change. */
  unlisted: { listed: number; total: number } | null;
  /** Head and base contents downloaded so far (the rest came from patches or were not needed). */
  contentRequests: () => number;
}

type ListedFile = Awaited<ReturnType<GitHub['rest']['pulls']['listFiles']>>['data'][number];

function statusOf(status: string): FileStatus {
  switch (status) {
    case 'added':
      return 'added';
    case 'removed':
      return 'deleted';
    case 'renamed':
      return 'renamed';
    case 'copied':
      return 'copied';
    default:
      return 'modified';
  }
}

export function changedFileOf(file: ListedFile): ChangedFile {
  const status = statusOf(file.status);
  const base: ChangedFile = {
    path: file.filename,
    oldPath: file.previous_filename ?? null,
    status,
    addedLines: [],
    deletedLineCount: file.deletions,
    removedAfter: [],
    binary: false,
    oldMode: null,
    newMode: null,
    size: null,
    unavailable: null,
  };
  if (typeof file.patch === 'string' && file.patch !== '') {
    try {
      const stats = hunkStatsFromPatch(file.patch);
      const lines = { addedLines: stats.addedLines, deletedLineCount: stats.deletedLineCount, removedAfter: stats.removedAfter };
      // GitHub gives no file modes: a submodule shows only as its "Subproject commit" patch.
      const gitlink = isSubmodulePatch(file.patch) ? { oldMode: status === 'added' ? null : GITLINK_MODE, newMode: status === 'deleted' ? null : GITLINK_MODE } : {};
      return { ...base, ...lines, ...gitlink };
    } catch (error) {
      const reason = error instanceof DiffParseError ? error.message : 'unreadable';
      return { ...base, unavailable: `GitHub's diff of this file could not be read (${reason})` };
    }
  }
  if (status === 'deleted') return base;
  // No patch: a pure rename, a binary file (GitHub counts no lines), or a diff too large to show.
  if (file.changes === 0) return status === 'renamed' || status === 'copied' ? base : { ...base, binary: true };
  return { ...base, unavailable: 'GitHub sent no diff for this file (too large to display); review it by hand' };
}

/** Runs `task` over `items` with at most `limit` at a time, keeping order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A small semaphore: at most `limit` tasks run at once. */
function limiter(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

export async function listPullFiles(octokit: GitHub, repo: RepoRef, pr: PullRequestInfo): Promise<ListedFile[]> {
  const page = async (n: number) =>
    (await octokit.rest.pulls.listFiles({ ...repo, pull_number: pr.number, per_page: PER_PAGE, page: n })).data;
  const maxPages = MAX_LISTED_FILES / PER_PAGE;
  // The pull request says how many files it has: fetch that many pages side by side.
  const expected = Math.min(maxPages, Math.max(1, Math.ceil(Math.min(pr.changed_files ?? 1, MAX_LISTED_FILES) / PER_PAGE)));
  const pages = await mapLimited(
    Array.from({ length: expected }, (_, i) => i + 1),
    PAGE_CONCURRENCY,
    page,
  );
  const files = pages.flat();
  // The count may be stale (a push since): keep reading while pages come back full.
  let n = expected;
  while (pages[pages.length - 1]?.length === PER_PAGE && n < maxPages) {
    n += 1;
    const more = await page(n);
    pages.push(more);
    files.push(...more);
  }
  return files;
}

type ListedCommit = Awaited<ReturnType<GitHub['rest']['pulls']['listCommits']>>['data'][number];

function commitFactsOf(c: ListedCommit): CommitFacts {
  return {
    sha: c.sha,
    authorName: c.commit.author?.name ?? '',
    authorEmail: c.commit.author?.email ?? '',
    authorLogin: c.author && 'login' in c.author ? c.author.login : null,
    committerName: c.commit.committer?.name ?? '',
    committerEmail: c.commit.committer?.email ?? '',
    committerLogin: c.committer && 'login' in c.committer ? c.committer.login : null,
    message: c.commit.message,
  };
}

export interface CommitListing {
  commits: CommitFacts[];
  /** Why not every commit of the pull request was read; null when all were. */
  unread: string | null;
}

/**
 * The commits of a pull request, oldest first. GitHub lists 250 through the pull request;
 * when there are more and `settled` (given the first 250) does not already decide, the rest
 * come from comparing base...head page by page (its commits are exactly those after the
 * merge base), up to MAX_READ_COMMITS. Past that bound the listing says so: authorship is
 * then unknown, never "no markers".
 */
export async function listPullCommits(
  octokit: GitHub,
  repo: RepoRef,
  pr: PullRequestInfo,
  settled: (commits: CommitFacts[]) => boolean = () => false,
): Promise<CommitListing> {
  const commits: CommitFacts[] = [];
  for (let page = 1; page <= Math.ceil(MAX_LISTED_COMMITS / PER_PAGE); page++) {
    const { data } = await octokit.rest.pulls.listCommits({ ...repo, pull_number: pr.number, per_page: PER_PAGE, page });
    commits.push(...data.map(commitFactsOf));
    if (data.length < PER_PAGE) break;
  }
  if (commits.length < MAX_LISTED_COMMITS || pr.commits === commits.length) return { commits, unread: null };
  const unread = (total: number | null) =>
    `only ${commits.length} of the ${total ?? 'more than ' + commits.length} commits were read (Airlock reads at most ${MAX_READ_COMMITS} commits of a pull request)`;
  if (settled(commits)) return { commits, unread: unread(pr.commits ?? null) };
  const seen = new Set(commits.map((c) => c.sha));
  let total: number | null = pr.commits ?? null;
  // Page 3 of 100 starts at commit 201: the overlap with the 250 already read is skipped by sha.
  let refused: string | null = null;
  for (let page = Math.floor(MAX_LISTED_COMMITS / PER_PAGE) + 1; page <= MAX_READ_COMMITS / PER_PAGE; page++) {
    let data;
    try {
      ({ data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${pr.base.sha}...${pr.head.sha}`, per_page: PER_PAGE, page }));
    } catch (error) {
      // No comparison (a base rewritten since, say): the rest of the history is unread, not absent.
      const status = (error as { status?: number }).status;
      if (status !== 404 && status !== 422) throw error;
      refused = `GitHub could not compare ${pr.base.sha.slice(0, 7)}...${pr.head.sha.slice(0, 7)} (HTTP ${status}), so only ${commits.length} commits were read`;
      break;
    }
    total = data.total_commits;
    for (const c of data.commits) {
      if (seen.has(c.sha) || commits.length >= MAX_READ_COMMITS) continue;
      seen.add(c.sha);
      commits.push(commitFactsOf(c));
    }
    if (data.commits.length < PER_PAGE || commits.length >= total) break;
  }
  if (refused !== null) return { commits, unread: refused };
  return { commits, unread: total !== null && commits.length >= total ? null : unread(total) };
}

export function factsOf(pr: PullRequestInfo, commits: CommitFacts[], unreadCommits: string | null = null): PullRequestFacts {
  return {
    author: pr.user?.login ?? null,
    authorType: pr.user?.type ?? null,
    labels: pr.labels.map((l) => l.name ?? '').filter((n) => n !== ''),
    title: pr.title,
    body: pr.body ?? '',
    headBranch: pr.head.ref,
    commits,
    ...(unreadCommits !== null ? { unreadCommits } : {}),
  };
}

export async function loadPullRequest(octokit: GitHub, repo: RepoRef, pr: PullRequestInfo, commits?: CommitListing): Promise<LoadedChange> {
  const [listed, listing] = await Promise.all([listPullFiles(octokit, repo, pr), commits ? Promise.resolve(commits) : listPullCommits(octokit, repo, pr)]);
  const files = listed.map(changedFileOf);
  const byPath = new Map(listed.map((f) => [f.filename, f]));
  const hunks = new Map<string, Hunk[]>();
  for (const f of listed) if (typeof f.patch === 'string') hunks.set(f.filename, hunksOf(f.patch));
  const limit = limiter(CONTENT_CONCURRENCY);
  let requests = 0;
  // Head blobs the engine will ask for, in its order: read ahead, many per GraphQL query.
  const needsRead = (f: ListedFile) =>
    f.status !== 'removed' && typeof f.sha === 'string' && f.sha !== '' && !(f.status === 'added' && typeof f.patch === 'string' && textOfAddedFile(f.patch) !== null);
  const blobs = new BlobReader(
    octokit,
    repo,
    listed
      .filter((f, i) => needsRead(f) && files[i]!.unavailable === null && !files[i]!.binary && files[i]!.newMode !== GITLINK_MODE)
      .map((f) => ({ kind: 'oid' as const, oid: f.sha! })),
  );
  const overLimit = (size: number, limits?: { maxBytes: number }) => {
    if (limits && size > limits.maxBytes) throw new Error(`${size} bytes, over the ${limits.maxBytes}-byte limit`);
  };
  const loadHead = async (path: string, limits?: { maxBytes: number }): Promise<Uint8Array | null> => {
    const file = byPath.get(path);
    if (!file || file.status === 'removed') return null;
    if (file.status === 'added' && typeof file.patch === 'string') {
      const text = textOfAddedFile(file.patch);
      if (text !== null) return new TextEncoder().encode(text);
    }
    const sha = file.sha;
    if (!sha) return null;
    const outcome = await blobs.get({ kind: 'oid', oid: sha });
    if (outcome.ok && outcome.blob) {
      overLimit(outcome.blob.byteSize, limits);
      return new TextEncoder().encode(outcome.blob.text);
    }
    // Not given byte for byte by GraphQL (or not found there): the REST blob API says for sure.
    return limit(async () => {
      requests += 1;
      // By blob sha: content-addressed, and readable from the base repository for fork heads too.
      const { data } = await octokit.rest.git.getBlob({ ...repo, file_sha: sha });
      overLimit(data.size ?? 0, limits);
      return data.encoding === 'base64' ? new Uint8Array(Buffer.from(data.content, 'base64')) : new TextEncoder().encode(data.content);
    });
  };
  // The files list diffs against the merge base, not the base branch's tip (which may have moved
  // on since): the base versions come from there. Asked once, and only if a base is wanted.
  let mergeBase: Promise<string> | null = null;
  const mergeBaseSha = () =>
    (mergeBase ??= octokit.rest.repos
      .compareCommitsWithBasehead({ ...repo, basehead: `${pr.base.sha}...${pr.head.sha}`, per_page: 1 })
      .then(({ data }) => data.merge_base_commit.sha));
  // Over REST: the contents API at the merge base, whose answer carries the size before the (base64) content.
  const restBase = (path: string, ref: string, limits?: { maxBytes: number }) =>
    limit(async () => {
      requests += 1;
      let data: unknown;
      try {
        ({ data } = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { ...repo, path, ref }));
      } catch (error) {
        if ((error as { status?: number }).status === 404) return null;
        throw error;
      }
      const item = data as { type?: string; size?: number; encoding?: string; content?: string; sha?: string };
      if (Array.isArray(data) || item.type !== 'file') return null;
      if (typeof item.size === 'number') overLimit(item.size, limits);
      if (item.encoding === 'base64' && typeof item.content === 'string') return new Uint8Array(Buffer.from(item.content, 'base64'));
      // GitHub leaves the content out (encoding "none") past 1 MB; the git blobs API has it.
      if (typeof item.sha !== 'string' || !/^[0-9a-f]{40}$/.test(item.sha)) {
        throw new Error(`GitHub sent no content for ${path} at ${ref.slice(0, 7)} (${item.size ?? '?'} bytes)`);
      }
      requests += 1;
      const { data: blob } = await octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { ...repo, file_sha: item.sha });
      if (blob.encoding !== 'base64' || typeof blob.content !== 'string') {
        throw new Error(`GitHub sent no content for ${path} at ${ref.slice(0, 7)} (${item.size ?? '?'} bytes)`);
      }
      const bytes = new Uint8Array(Buffer.from(blob.content, 'base64'));
      overLimit(bytes.length, limits);
      return bytes;
    });
  // The base only for the files an analyzer compares with it, through the same GraphQL queries
  // as the head (`<merge base>:<path>`, the path a variable), else over REST.
  const loadBase = async (path: string, limits?: { maxBytes: number }): Promise<Uint8Array | null> => {
    const ref = await mergeBaseSha();
    const outcome = await blobs.get({ kind: 'expression', expression: `${ref}:${path}` });
    if (outcome.ok) {
      if (!outcome.blob) return null;
      overLimit(outcome.blob.byteSize, limits);
      return new TextEncoder().encode(outcome.blob.text);
    }
    return restBase(path, ref, limits);
  };
  const total = pr.changed_files ?? listed.length;
  return {
    changeSet: { base: pr.base.sha, head: pr.head.sha, files, loadHead, loadBase, repository: `${repo.owner}/${repo.repo}` },
    facts: factsOf(pr, listing.commits, listing.unread),
    hunks,
    unlisted: total > listed.length && listed.length >= MAX_LISTED_FILES ? { listed: listed.length, total } : null,
    contentRequests: () => requests + blobs.queries,
  };
}

// `/airlock allow <rule-id|fingerprint> [--all] [false-positive|accepted-risk|used-in-tests] <reason>`,
// `/airlock rescan` and `/airlock help`, written as pull request comments, or as a reply in the
// review thread of a finding (`/airlock allow <reason>`: the thread names the finding). Nothing
// is stored: every run reads the comments again and keeps the allowances whose authors may give
// them (write, maintain or admin permission on the repository; never the pull request's author;
// never a bot).
import { BLOB_SELECTION, outcomeOf, type BlobNode, type BlobOutcome } from './blobs.js';
import { OWN_CHECK_RUNS_SELECTION, OWN_CHECK_RUNS_VARIABLES, ownCheckRunOf, ownCheckRunsVariables, type CheckRunRead } from './check-runs.js';
import { partialGraphqlAnswer, type GitHub } from './octokit.js';
import type { RepoRef } from './loader.js';
import { parseMarker } from './markers.js';

/** Why a finding is accepted, when the allowance says so: shown with it in the check summary. */
export const DISMISSAL_REASONS = ['false-positive', 'accepted-risk', 'used-in-tests'] as const;
export type DismissalReason = (typeof DISMISSAL_REASONS)[number];

export type Command =
  | { kind: 'allow'; target: string; reason: string; all: boolean; category?: DismissalReason }
  | { kind: 'rescan' }
  | { kind: 'help' }
  | { kind: 'invalid'; problem: string };

/** What `/airlock help` answers, and what a refusal points to. */
export const COMMAND_HELP = [
  '| Command | Where | Who |',
  '| --- | --- | --- |',
  '| `/airlock allow <reason>` | a reply in the review thread of a finding | write, maintain or admin permission; not the pull request’s author |',
  '| `/airlock allow <fingerprint or rule-id> [--all] <reason>` | a pull request comment | the same |',
  '| `/airlock rescan` | a pull request comment | the pull request’s author, or write permission |',
  '| `/airlock help` | a pull request comment or a thread reply | anyone |',
  '',
  'The reason may start with a kind of dismissal, shown with the accepted finding in the check summary: ' +
    '`false-positive` (the finding is wrong), `accepted-risk` (it is right and the risk is accepted), `used-in-tests` (the code only runs in tests). ' +
    'Example: `/airlock allow accepted-risk the endpoint is internal only`. ' +
    'A rule id accepts the findings of that rule reported so far; `--all` also those pushed later.',
].join('\n');

export interface UserInfo {
  login: string;
  type?: string;
}

export interface CommentInfo {
  id: number;
  body?: string | null | undefined;
  user: UserInfo | null;
  /**
   * Everyone who wrote a version of the body (GitHub's edit history), when the comment was
   * edited: anyone with write access can edit anyone's comment. Null: edited by nobody, or
   * not read (REST comments carry no editor).
   */
  editors?: (UserInfo | null)[] | null;
  /** Who made the last edit: the current text is theirs. */
  lastEditor?: UserInfo | null;
  /** False when the edit history was longer than what was read. */
  editHistoryComplete?: boolean;
  /** When the comment was written and last edited (ISO 8601), when known. */
  createdAt?: string;
  lastEditedAt?: string | null;
  /** Written by the app itself: the only comments whose markers count. */
  own?: boolean;
  /** A reply in the review thread the app opened for this finding: `/airlock allow` there accepts it. */
  threadFingerprint?: string;
}

export interface Allowance {
  /** A rule id or a finding fingerprint. */
  target: string;
  reason: string;
  /** Who wrote the allowance as it reads now: the last editor of an edited comment. */
  by: string;
  commentId: number;
  /** `--all`: a rule id covers every finding of the rule, also ones pushed later. */
  all: boolean;
  /** The kind of dismissal, when the allowance names one. */
  category?: DismissalReason;
  /** When the allowance took its current text (ISO 8601); null when unknown. */
  givenAt: string | null;
  /**
   * For a rule id without `--all`: the findings it covers, pinned by the app's reply when it
   * was first honoured. Undefined until pinned.
   */
  pinned?: ReadonlySet<string>;
}

/** An allowance written in a comment that does not count, and why. */
export interface IgnoredAllowance {
  target: string;
  by: string;
  commentId: number;
  reason: string;
}

const PREFIX = '/airlock';
const MAX_COMMANDS_PER_COMMENT = 20;
const MAX_REASON = 300;
const MAX_TARGET = 120;

/** A character of a rule id or fingerprint as `/airlock allow` accepts it. */
export function isTargetChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '.' || c === '-' || c === '_' || c === '*';
}

function splitOnce(text: string): [string, string] {
  const trimmed = text.trimStart();
  let end = 0;
  while (end < trimmed.length && trimmed[end] !== ' ' && trimmed[end] !== '\t') end++;
  return [trimmed.slice(0, end), trimmed.slice(end).trim()];
}

const ALLOW_USAGE = '`/airlock allow <rule-id|fingerprint> <reason>` (in a finding’s thread: `/airlock allow <reason>`)';

/** `[false-positive|accepted-risk|used-in-tests] [free text]`: the kind of dismissal, when named, and the text. */
function allowReason(text: string): { reason: string; category?: DismissalReason } {
  const [first, rest] = splitOnce(text);
  const category = DISMISSAL_REASONS.find((r) => r === first.toLowerCase());
  return category ? { reason: rest === '' ? category : rest, category } : { reason: text };
}

/**
 * Commands on lines of their own, outside code blocks. `threadFingerprint`: the comment is a
 * reply in the review thread of that finding, which `/airlock allow` then accepts (naming the
 * fingerprint again is allowed; any other first word is part of the reason).
 */
export function parseCommands(body: string | null | undefined, threadFingerprint?: string): Command[] {
  if (!body) return [];
  const commands: Command[] = [];
  let inFence = false;
  for (const raw of body.slice(0, 65_536).split('\n')) {
    const line = raw.replace(/\r$/, '').trim();
    if (line.startsWith('```') || line.startsWith('~~~')) {
      inFence = !inFence;
      continue;
    }
    if (inFence || !line.startsWith(PREFIX)) continue;
    const rest = line.slice(PREFIX.length);
    if (rest !== '' && rest[0] !== ' ' && rest[0] !== '\t') continue;
    const [verb, args] = splitOnce(rest);
    if (verb === 'rescan') commands.push({ kind: 'rescan' });
    else if (verb === 'help') commands.push({ kind: 'help' });
    else if (verb === 'allow' && threadFingerprint !== undefined) {
      const [first, afterFirst] = splitOnce(args);
      const text = first === threadFingerprint ? afterFirst : args;
      const { reason, category } = allowReason(text);
      if (reason === '') commands.push({ kind: 'invalid', problem: 'give a reason: `/airlock allow <reason>`, e.g. `/airlock allow false-positive the value is a constant`' });
      else commands.push({ kind: 'allow', target: threadFingerprint, reason: reason.slice(0, MAX_REASON), all: false, ...(category ? { category } : {}) });
    } else if (verb === 'allow') {
      const [target, afterTarget] = splitOnce(args);
      const [flag, rest] = splitOnce(afterTarget);
      const all = flag === '--all';
      const { reason, category } = allowReason(all ? rest : afterTarget);
      if (target === '' || target.length > MAX_TARGET || ![...target].every(isTargetChar)) {
        commands.push({ kind: 'invalid', problem: `name the rule id or the finding fingerprint to accept: ${ALLOW_USAGE}` });
      } else if (reason === '') {
        commands.push({ kind: 'invalid', problem: `give a reason: ${ALLOW_USAGE}` });
      } else commands.push({ kind: 'allow', target, reason: reason.slice(0, MAX_REASON), all, ...(category ? { category } : {}) });
    } else commands.push({ kind: 'invalid', problem: 'unknown command; Airlock understands `/airlock allow`, `/airlock rescan` and `/airlock help`' });
    if (commands.length >= MAX_COMMANDS_PER_COMMENT) break;
  }
  return commands;
}

export type Authorization = { ok: true } | { ok: false; reason: string };

export function isBot(user: { login: string; type?: string } | null): boolean {
  return !user || user.type === 'Bot' || user.login.endsWith('[bot]');
}

/**
 * Who may accept a finding: a human with write, maintain or admin permission who is not
 * the pull request's author (an agent's operator must not wave its own findings through).
 */
export async function mayAllow(
  permissionOf: (login: string) => Promise<string>,
  user: { login: string; type?: string } | null,
  prAuthor: string | null,
): Promise<Authorization> {
  if (!user || isBot(user)) return { ok: false, reason: 'bots cannot accept findings' };
  if (prAuthor !== null && user.login.toLowerCase() === prAuthor.toLowerCase()) {
    return { ok: false, reason: 'the author of a pull request cannot accept findings in it' };
  }
  const permission = await permissionOf(user.login);
  if (permission === 'admin' || permission === 'maintain' || permission === 'write') return { ok: true };
  return { ok: false, reason: 'accepting a finding needs write, maintain or admin permission on this repository' };
}

/** Who may ask for a rescan: anyone who may allow, and the pull request's author. */
export async function mayRescan(
  permissionOf: (login: string) => Promise<string>,
  user: { login: string; type?: string } | null,
  prAuthor: string | null,
): Promise<Authorization> {
  if (!user || isBot(user)) return { ok: false, reason: 'bots cannot ask for rescans' };
  if (prAuthor !== null && user.login.toLowerCase() === prAuthor.toLowerCase()) return { ok: true };
  const permission = await permissionOf(user.login);
  if (permission === 'admin' || permission === 'maintain' || permission === 'write') return { ok: true };
  return { ok: false, reason: 'a rescan can be asked for by the pull request’s author or by someone with write permission' };
}

/** Repository permission of a login, asked once per run and login. */
export function permissionLookup(octokit: GitHub, repo: RepoRef): (login: string) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (login) => {
    const key = login.toLowerCase();
    let pending = cache.get(key);
    if (!pending) {
      pending = octokit.rest.repos
        .getCollaboratorPermissionLevel({ ...repo, username: login })
        .then((r) => r.data.role_name === 'maintain' ? 'maintain' : r.data.permission)
        .catch((error: unknown) => {
          if ((error as { status?: number }).status === 404) return 'none';
          throw error;
        });
      cache.set(key, pending);
    }
    return pending;
  };
}

/** Why the current text of a comment may not accept findings, or null when everyone who wrote it may. */
async function writerProblem(comment: CommentInfo, prAuthor: string | null, permissionOf: (login: string) => Promise<string>): Promise<string | null> {
  const auth = await mayAllow(permissionOf, comment.user, prAuthor);
  if (!auth.ok) return auth.reason;
  if (comment.editHistoryComplete === false) return 'the comment was edited more often than Airlock reads; write the allowance in a new comment';
  const seen = new Set([comment.user!.login.toLowerCase()]);
  const editors = comment.lastEditor === undefined ? [] : [comment.lastEditor, ...(comment.editors ?? [])];
  for (const editor of editors) {
    if (editor !== null && seen.has(editor.login.toLowerCase())) continue;
    if (editor !== null) seen.add(editor.login.toLowerCase());
    const edited = await mayAllow(permissionOf, editor, prAuthor);
    if (!edited.ok) return `edited by ${editor ? `@${editor.login}` : 'a deleted account'}: ${edited.reason}`;
  }
  return null;
}

/**
 * Allowances given in the comments, oldest first: those written (and, if edited, edited only)
 * by people allowed to give them, and the others with the reason they do not count.
 */
export async function collectAllowances(
  comments: readonly CommentInfo[],
  prAuthor: string | null,
  permissionOf: (login: string) => Promise<string>,
): Promise<{ allowances: Allowance[]; ignored: IgnoredAllowance[] }> {
  const allowances: Allowance[] = [];
  const ignored: IgnoredAllowance[] = [];
  const pins = new Map<string, ReadonlySet<string>>();
  for (const comment of comments) {
    // The app never edits a pin: one edited by anyone (write access suffices) does not count.
    const marker = comment.own && comment.lastEditor === undefined ? parseMarker(comment.body) : null;
    const key = marker?.kind === 'pin' ? pinKey(marker.commentId, marker.target) : null;
    if (marker?.kind === 'pin' && key !== null && !pins.has(key)) pins.set(key, new Set(marker.fingerprints));
  }
  for (const comment of comments) {
    if (isBot(comment.user)) continue;
    const allows = parseCommands(comment.body, comment.threadFingerprint).filter((c): c is Extract<Command, { kind: 'allow' }> => c.kind === 'allow');
    if (allows.length === 0) continue;
    const by = comment.lastEditor?.login ?? comment.user!.login;
    const problem = await writerProblem(comment, prAuthor, permissionOf);
    const givenAt = comment.lastEditedAt ?? comment.createdAt ?? null;
    for (const a of allows) {
      if (problem !== null) {
        ignored.push({ target: a.target, by, commentId: comment.id, reason: problem });
        continue;
      }
      const pinned = a.all ? undefined : pins.get(pinKey(comment.id, a.target));
      allowances.push({
        target: a.target,
        reason: a.reason,
        by,
        commentId: comment.id,
        all: a.all,
        givenAt,
        ...(a.category ? { category: a.category } : {}),
        ...(pinned ? { pinned } : {}),
      });
    }
  }
  return { allowances, ignored };
}

/** Pins are per allowance comment and rule id. */
export function pinKey(commentId: number, target: string): string {
  return `${commentId}:${target}`;
}

const MAX_COMMENT_PAGES = 30;
/** Edits read per comment; a comment edited more often is not trusted to allow anything. */
const MAX_EDITS_READ = 20;


interface GqlActor {
  __typename: string;
  login: string;
}

/** The fields of a comment (issue or review comment) that say who wrote its current text. */
const COMMENT_FIELDS = `databaseId
          body
          createdAt
          lastEditedAt
          viewerDidAuthor
          author { __typename login }
          editor { __typename login }
          userContentEdits(first: ${MAX_EDITS_READ}) { totalCount nodes { editor { __typename login } } }`;

interface CommentNode {
  databaseId: number | null;
  body: string;
  createdAt: string;
  lastEditedAt: string | null;
  viewerDidAuthor: boolean;
  author: GqlActor | null;
  editor: GqlActor | null;
  userContentEdits: { totalCount: number; nodes: ({ editor: GqlActor | null } | null)[] | null } | null;
}

function userOf(actor: GqlActor | null): UserInfo | null {
  return actor ? { login: actor.login, type: actor.__typename } : null;
}

function commentInfo(node: CommentNode & { databaseId: number }): CommentInfo {
  const edits = node.userContentEdits;
  const edited = node.editor !== null || (edits?.totalCount ?? 0) > 0;
  return {
    id: node.databaseId,
    body: node.body,
    user: userOf(node.author),
    lastEditor: edited ? userOf(node.editor) : undefined,
    editors: edited ? (edits?.nodes ?? []).map((e) => userOf(e?.editor ?? null)) : null,
    editHistoryComplete: !edits || edits.totalCount <= (edits.nodes?.length ?? 0),
    createdAt: node.createdAt,
    lastEditedAt: node.lastEditedAt,
    own: node.viewerDidAuthor,
  };
}

function commentsOf(nodes: (CommentNode | null)[] | null): CommentInfo[] {
  const comments: CommentInfo[] = [];
  for (const node of nodes ?? []) {
    if (!node || node.databaseId === null) continue;
    comments.push(commentInfo({ ...node, databaseId: node.databaseId }));
  }
  return comments;
}

/**
 * How much of a pull request's review threads is read for allowances: threads in pages of 50
 * (with their first 50 comments), the later comments of a findings' thread in pages of 100 up
 * to a number of pages per thread and for the whole pull request. A `/airlock allow` reply
 * beyond these is answered saying so (see unreadReplyProblem), never silently ignored.
 */
export const THREAD_READ_LIMITS = {
  threadPages: 20,
  threadsPerPage: 50,
  firstComments: 50,
  /** Further pages of 100 comments per thread. */
  morePagesPerThread: 10,
  /** Further pages of 100 comments for all threads together. */
  morePages: 40,
};
export type ThreadReadLimits = typeof THREAD_READ_LIMITS;
const MORE_COMMENTS = 100;

interface PageOf<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: T[] | null;
}

type CommentConnection = PageOf<CommentNode | null>;
type ThreadNode = { id: string; comments: CommentConnection } | null;

/** A findings' thread whose later comments were not in the page that listed it. */
interface ThreadToFinish {
  id: string;
  fingerprint: string;
  after: string;
}

function repliesOf(nodes: CommentConnection['nodes'], fingerprint: string): CommentInfo[] {
  return commentsOf(nodes).map((c) => ({ ...c, threadFingerprint: fingerprint }));
}

/** The replies in findings' threads of one page, and the threads with comments left to read. */
function threadRepliesOf(nodes: ThreadNode[] | null): { replies: CommentInfo[]; unfinished: ThreadToFinish[] } {
  const replies: CommentInfo[] = [];
  const unfinished: ThreadToFinish[] = [];
  for (const thread of nodes ?? []) {
    if (!thread) continue;
    const [root, ...rest] = thread.comments.nodes ?? [];
    // The app never edits a finding's comment: an edited one does not name a finding.
    if (!root || !root.viewerDidAuthor || root.editor !== null || root.lastEditedAt !== null) continue;
    const marker = parseMarker(root.body);
    if (marker?.kind !== 'fp') continue;
    replies.push(...repliesOf(rest, marker.fingerprint));
    const page = thread.comments.pageInfo;
    if (page.hasNextPage && page.endCursor) unfinished.push({ id: thread.id, fingerprint: marker.fingerprint, after: page.endCursor });
  }
  return { replies, unfinished };
}

// Both kinds of allowance comment in one query per page: the pull request's comments and the
// replies in review threads. Each connection is paged on its own, left out once it is done.
// The first page may also bring a file of the default branch and the app's latest check run
// on the head commit.
const ALLOWANCE_COMMENTS_QUERY = (limits: ThreadReadLimits) => `query($owner: String!, $repo: String!, $number: Int!, $commentsAfter: String, $threadsAfter: String, $comments: Boolean!, $threads: Boolean!, $file: String!, $withFile: Boolean!, $head: GitObjectID, $withCheck: Boolean!, ${OWN_CHECK_RUNS_VARIABLES}) {
  repository(owner: $owner, name: $repo) {
    file: object(expression: $file) @include(if: $withFile) { ${BLOB_SELECTION} }
    head: object(oid: $head) @include(if: $withCheck) {
    ${OWN_CHECK_RUNS_SELECTION}
    }
    pullRequest(number: $number) {
      state
      comments(first: 100, after: $commentsAfter) @include(if: $comments) {
        pageInfo { hasNextPage endCursor }
        nodes {
          ${COMMENT_FIELDS}
        }
      }
      reviewThreads(first: ${limits.threadsPerPage}, after: $threadsAfter) @include(if: $threads) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id
          comments(first: ${limits.firstComments}) {
            pageInfo { hasNextPage endCursor }
            nodes {
          ${COMMENT_FIELDS}
            }
          }
        }
      }
    }
  }
}`;

const MORE_REPLIES_QUERY = `query($id: ID!, $after: String) {
  node(id: $id) {
    ... on PullRequestReviewThread {
      comments(first: ${MORE_COMMENTS}, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes {
          ${COMMENT_FIELDS}
        }
      }
    }
  }
}`;

interface AllowanceCommentsPage {
  repository: {
    file?: BlobNode | null;
    head?: unknown;
    pullRequest: {
      state?: string;
      comments?: CommentConnection;
      reviewThreads?: PageOf<ThreadNode>;
    } | null;
  } | null;
}

interface MoreRepliesPage {
  node: { comments?: CommentConnection } | null;
}

export interface AllowanceComments {
  /** Oldest first. */
  comments: CommentInfo[];
  /** The file asked for, read in the first query. */
  file: BlobOutcome | undefined;
  /** The app's latest check run on the commit asked for, read in the first query. */
  checkRun: CheckRunRead | undefined;
  /** False when the limits left threads, or replies in findings' threads, unread. */
  complete: boolean;
  /** The pull request's state as GitHub had it at the first query (`OPEN`, `CLOSED`, `MERGED`); null when not told. */
  pullState: string | null;
}

export interface AllowanceReadOptions {
  /** A file of the default branch read with the first page (`HEAD:<path>`, the path a variable). */
  filePath?: string;
  /** The app's latest check run on this commit, read with the first page. */
  checkRun?: { sha: string; appId: number };
  limits?: ThreadReadLimits;
  /** False: only the replies in findings' threads. */
  withComments?: boolean;
}


/**
 * The data of a first page whose only errors are for its extra lookups (the file, the check
 * run), with why each failed: those are read another way, the comments stand. Null for any
 * other error.
 */
function extrasFailed(error: unknown): { data: AllowanceCommentsPage; failed: Map<string, string> } | null {
  const answer = partialGraphqlAnswer<AllowanceCommentsPage>(error);
  if (!answer?.data.repository) return null;
  const failed = new Map<string, string>();
  for (const e of answer.errors) {
    const part = e.path?.[0] === 'repository' ? e.path[1] : undefined;
    if (part !== 'file' && part !== 'head') return null;
    failed.set(part, `GraphQL error: ${e.message ?? 'unknown'}`);
  }
  return { data: answer.data, failed };
}

/**
 * The comments that can carry allowances, oldest first: the pull request's comments with their
 * editors (unless `withComments` is false) and the replies in findings' threads, read together
 * (one query for a pull request with fewer than 100 comments and 50 threads). With the first
 * page, in the same query: `filePath` on the default branch (the configuration) and the app's
 * latest check run on `checkRun.sha`; when GraphQL answers an error for just these, they come
 * back as not read (`ok: false`) and the caller reads them over REST; and the pull request's
 * state now (a review whose pull request closed while it waited does nothing). Thread replies
 * are bounded by `limits`.
 */
export async function readAllowanceComments(octokit: GitHub, repo: RepoRef, number: number, options: AllowanceReadOptions = {}): Promise<AllowanceComments> {
  const { filePath, checkRun: checkRunOf, limits = THREAD_READ_LIMITS, withComments = true } = options;
  let file: BlobOutcome | undefined;
  let checkRun: CheckRunRead | undefined;
  let pullState: string | null = null;
  let firstPage = true;
  const found: CommentInfo[] = [];
  const unfinished: ThreadToFinish[] = [];
  const query = ALLOWANCE_COMMENTS_QUERY(limits);
  let complete = true;
  let commentsAfter: string | null = null;
  let threadsAfter: string | null = null;
  let comments = withComments;
  let threads = true;
  let commentPages = 0;
  let threadPages = 0;
  while (comments || threads) {
    const request = octokit.graphql<AllowanceCommentsPage>(query, {
      ...repo,
      number,
      commentsAfter,
      threadsAfter,
      comments,
      threads,
      file: filePath === undefined ? '' : `HEAD:${filePath}`,
      withFile: firstPage && filePath !== undefined,
      head: firstPage && checkRunOf ? checkRunOf.sha : null,
      withCheck: firstPage && checkRunOf !== undefined,
      ...ownCheckRunsVariables(checkRunOf?.appId ?? null),
    });
    let data: AllowanceCommentsPage;
    let failed = new Map<string, string>();
    try {
      data = await request;
    } catch (error) {
      const partial = firstPage ? extrasFailed(error) : null;
      if (!partial) throw error;
      ({ data, failed } = partial);
    }
    if (firstPage) {
      if (filePath !== undefined) file = data.repository ? outcomeOf(data.repository.file, failed.get('file')) : { ok: false, reason: 'no repository' };
      if (checkRunOf) {
        const reason = failed.get('head');
        checkRun = reason !== undefined ? { ok: false, reason } : data.repository ? ownCheckRunOf(data.repository.head, checkRunOf.appId) : { ok: false, reason: 'no repository' };
      }
      pullState = typeof data.repository?.pullRequest?.state === 'string' ? data.repository.pullRequest.state : null;
      firstPage = false;
    }
    const pull = data.repository?.pullRequest;
    if (!pull) break;
    if (comments) {
      commentPages += 1;
      const page = pull.comments;
      found.push(...commentsOf(page?.nodes ?? null));
      comments = commentPages < MAX_COMMENT_PAGES && page?.pageInfo.hasNextPage === true && page.pageInfo.endCursor !== null;
      commentsAfter = page?.pageInfo.endCursor ?? null;
    }
    if (threads) {
      threadPages += 1;
      const page = pull.reviewThreads;
      const read = threadRepliesOf(page?.nodes ?? null);
      found.push(...read.replies);
      unfinished.push(...read.unfinished);
      const more = page?.pageInfo.hasNextPage === true && page.pageInfo.endCursor !== null;
      if (more && threadPages >= limits.threadPages) complete = false;
      threads = more && threadPages < limits.threadPages;
      threadsAfter = page?.pageInfo.endCursor ?? null;
    }
  }
  // Long findings' threads: their later comments, within the per-thread and overall bounds.
  let morePages = limits.morePages;
  for (const thread of unfinished) {
    let after: string | null = thread.after;
    for (let extra = 0; after !== null; extra++) {
      if (extra === limits.morePagesPerThread || morePages === 0) {
        complete = false;
        break;
      }
      morePages--;
      const next: MoreRepliesPage = await octokit.graphql<MoreRepliesPage>(MORE_REPLIES_QUERY, { id: thread.id, after });
      const page = next.node?.comments;
      if (!page) break;
      found.push(...repliesOf(page.nodes, thread.fingerprint));
      after = page.pageInfo.hasNextPage && page.pageInfo.endCursor ? page.pageInfo.endCursor : null;
    }
  }
  return { comments: found.sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.id - b.id), file, checkRun, complete, pullState };
}

export interface ThreadReplies {
  replies: CommentInfo[];
  /** False when the limits left threads, or replies of findings' threads, unread. */
  complete: boolean;
}

/**
 * The replies in the review threads the app opened for findings, each carrying its thread's
 * fingerprint: `/airlock allow` written there accepts that finding. A thread whose first
 * comment is not the app's, or has no fingerprint marker, is not a finding's. Bounded by
 * `limits`; `complete` says whether everything was read.
 */
export async function readThreadReplies(octokit: GitHub, repo: RepoRef, number: number, limits: ThreadReadLimits = THREAD_READ_LIMITS): Promise<ThreadReplies> {
  const { comments, complete } = await readAllowanceComments(octokit, repo, number, { limits, withComments: false });
  return { replies: comments, complete };
}

/**
 * Whether a review reads the reply `commentId` (an allowance there counts only if it does):
 * null when it does, or when nothing was left unread (a reply GitHub does not list yet);
 * otherwise the problem, for the answer in the thread.
 */
export async function unreadReplyProblem(octokit: GitHub, repo: RepoRef, number: number, commentId: number, fingerprint: string, limits: ThreadReadLimits = THREAD_READ_LIMITS): Promise<string | null> {
  const { replies, complete } = await readThreadReplies(octokit, repo, number, limits);
  if (complete || replies.some((r) => r.id === commentId)) return null;
  const perThread = limits.firstComments + limits.morePagesPerThread * MORE_COMMENTS;
  const threads = limits.threadPages * limits.threadsPerPage;
  return (
    `this pull request has more review threads or replies than Airlock reads (${threads} threads, ${perThread} comments per thread, ` +
    `${limits.morePages * MORE_COMMENTS} beyond the first ${limits.firstComments} of each in all), so a review would not see this reply; ` +
    `comment \`/airlock allow ${fingerprint} <reason>\` on the pull request instead`
  );
}

/** GitHub logins are letters, digits and single hyphens; anything else is not mentioned. */
export function safeLogin(login: string): string | null {
  return login.length > 0 && login.length <= 39 && [...login].every((c) => isTargetChar(c) && c !== '.' && c !== '_' && c !== '*') ? login : null;
}

// GitHub GraphQL API subset served by the stand-in: pull request review threads
// (with their comments), resolving/unresolving threads and minimizing comments.
// Queries are checked against this subset first, like GitHub validates against its
// schema: an unknown field or argument is an error and nothing is executed.
import type { Urls } from './render.js';
import {
  timestamp,
  type CheckRunRecord,
  type IssueCommentRecord,
  type PullRecord,
  type RepoState,
  type ReviewCommentRecord,
  type StandInState,
  type ThreadRecord,
  type UserRecord,
} from './state.js';
import { findLine, parsePatch } from './patch.js';
import { knowsCommit, lookupContent, network } from './rest.js';
import { gitBlobSha } from './state.js';
import {
  GqlParseError,
  parseGraphql,
  type GqlDocument,
  type GqlField,
  type GqlSelection,
  type GqlValue,
} from './graphql-parse.js';

export interface GraphqlError {
  message: string;
  type?: string;
  path?: (string | number)[];
  locations?: { line: number; column: number }[];
  extensions?: Record<string, unknown>;
}

export interface GraphqlResult {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: GraphqlError[] };
  /** Problems in the request itself (the app's fault), as opposed to "not found" answers. */
  violations: string[];
}

export interface GraphqlContext {
  state: StandInState;
  urls: Urls;
  installationId: number;
}

/** What resolvers return for object-typed fields: the concrete type and its source. */
interface Typed {
  __type: string;
  source: unknown;
}

type Args = Record<string, unknown>;

interface FieldDef {
  /** Named type: an object type, an interface, or a scalar. */
  type: string;
  list?: boolean;
  /** `input`: the argument is an input object of that type (see INPUT_TYPES), checked field by field. */
  args?: Record<string, { required?: boolean; input?: string }>;
  resolve: (source: unknown, args: Args, ctx: ExecContext) => unknown;
}

interface ObjectType {
  interfaces?: string[];
  fields: Record<string, FieldDef>;
}

interface ExecContext extends GraphqlContext {
  errors: GraphqlError[];
  /** Messages of faults a test injected: answered like GitHub, not the client's fault. */
  injected: Set<string>;
}

class FieldError extends Error {
  constructor(
    message: string,
    readonly type?: string,
    /** A fault a test asked for: GitHub's behaviour, not the client's mistake. */
    readonly injected = false,
  ) {
    super(message);
  }
}

const SCALARS = new Set(['String', 'Int', 'Boolean', 'ID', 'DateTime', 'URI', 'GitObjectID', 'HTML', 'BigInt', 'Float']);
const CONNECTION_ARGS = { first: {}, last: {}, after: {}, before: {} };
const MAX_PAGE = 100;

const typed = (type: string, source: unknown): Typed => ({ __type: type, source });

function actor(user: UserRecord | null): Typed | null {
  if (!user) return null;
  return typed(user.type === 'Bot' ? 'Bot' : user.type === 'Organization' ? 'Organization' : 'User', user);
}

// ---------------------------------------------------------------------------
// Connections: cursor-based pagination like GitHub's (first/last/after/before, max 100).

function encodeCursor(index: number): string {
  return Buffer.from(`cursor:v2:${index}`).toString('base64');
}

function decodeCursor(cursor: unknown): number | undefined {
  if (typeof cursor !== 'string') return undefined;
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

interface Connection {
  nodeType: string;
  items: unknown[];
  start: number;
  total: number;
  hasNext: boolean;
  hasPrevious: boolean;
}

function connection(name: string, nodeType: string, all: unknown[], args: Args): Typed {
  const first = args.first;
  const last = args.last;
  if (first === undefined && last === undefined) {
    throw new FieldError(`You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`, 'MISSING_PAGINATION_BOUNDARIES');
  }
  for (const [key, value] of [['first', first], ['last', last]] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new FieldError(`\`${key}\` must be a non-negative integer`, 'INVALID_ARGUMENT');
    if (value > MAX_PAGE) {
      throw new FieldError(`Requesting ${value} records on the \`${name}\` connection exceeds the \`${key}\` limit of ${MAX_PAGE} records.`, 'EXCESSIVE_PAGINATION');
    }
  }
  let start = 0;
  let end = all.length;
  const after = decodeCursor(args.after);
  const before = decodeCursor(args.before);
  if (after !== undefined) start = Math.min(after + 1, all.length);
  if (before !== undefined) end = Math.max(start, Math.min(before, all.length));
  let from = start;
  let to = end;
  if (typeof first === 'number') to = Math.min(to, from + first);
  if (typeof last === 'number') from = Math.max(from, to - last);
  const source: Connection = {
    nodeType,
    items: all.slice(from, to),
    start: from,
    total: all.length,
    hasNext: to < end,
    hasPrevious: from > start,
  };
  return typed(`${nodeType}Connection`, source);
}

function connectionType(nodeType: string): ObjectType {
  const source = (s: unknown) => s as Connection;
  return {
    fields: {
      nodes: { type: nodeType, list: true, resolve: (s) => source(s).items.map((item) => typed(nodeType, item)) },
      edges: {
        type: `${nodeType}Edge`,
        list: true,
        resolve: (s) => source(s).items.map((item, i) => typed(`${nodeType}Edge`, { cursor: encodeCursor(source(s).start + i), node: item, nodeType })),
      },
      pageInfo: { type: 'PageInfo', resolve: (s) => typed('PageInfo', s) },
      totalCount: { type: 'Int', resolve: (s) => source(s).total },
    },
  };
}

function edgeType(nodeType: string): ObjectType {
  return {
    fields: {
      cursor: { type: 'String', resolve: (s) => (s as { cursor: string }).cursor },
      node: { type: nodeType, resolve: (s) => typed(nodeType, (s as { node: unknown }).node) },
    },
  };
}

// ---------------------------------------------------------------------------
// Sources

interface PullSource {
  repo: RepoState;
  pull: PullRecord;
}
interface ThreadSource {
  repo: RepoState;
  thread: ThreadRecord;
}
interface CommentSource {
  repo: RepoState;
  comment: ReviewCommentRecord;
}
interface IssueCommentSource {
  repo: RepoState;
  comment: IssueCommentRecord;
}

function repoUrl(repo: RepoState, ctx: ExecContext): string {
  return `${ctx.urls.web}/${repo.fullName}`;
}

function threadComments(s: ThreadSource): ReviewCommentRecord[] {
  return s.repo.threadComments(s.thread);
}

function threadRoot(s: ThreadSource): ReviewCommentRecord | undefined {
  return s.repo.reviewComments.find((c) => c.id === s.thread.rootCommentId);
}

/** A thread is outdated once the line it was written on is no longer part of the pull request's diff. */
function isOutdated(repo: RepoState, comment: ReviewCommentRecord): boolean {
  const pull = repo.pulls.get(comment.pullNumber);
  if (!pull) return true;
  if (comment.commitId === pull.head.sha) return false;
  const file = pull.files.find((f) => f.filename === comment.path);
  if (!file || file.patch === undefined) return true;
  if (comment.subjectType === 'file' || comment.line === null) return false;
  return findLine(parsePatch(file.patch), comment.line, comment.side ?? 'RIGHT') === undefined;
}

function accessibleRepo(ctx: ExecContext, repo: RepoState | undefined): RepoState | undefined {
  return repo && repo.installationId === ctx.installationId ? repo : undefined;
}

function nodeToTyped(ctx: ExecContext, id: string): Typed | null {
  const entry = ctx.state.nodes.get(id);
  if (!entry || !accessibleRepo(ctx, entry.repo)) return null;
  switch (entry.kind) {
    case 'Repository':
      return typed('Repository', entry.repo);
    case 'PullRequest':
      return typed('PullRequest', { repo: entry.repo, pull: entry.record });
    case 'PullRequestReviewThread':
      return typed('PullRequestReviewThread', { repo: entry.repo, thread: entry.record });
    case 'PullRequestReviewComment':
      return entry.repo.reviewComments.includes(entry.record) ? typed('PullRequestReviewComment', { repo: entry.repo, comment: entry.record }) : null;
    case 'IssueComment':
      return entry.repo.issueComments.includes(entry.record) ? typed('IssueComment', { repo: entry.repo, comment: entry.record }) : null;
    case 'PullRequestReview':
      return typed('PullRequestReview', { repo: entry.repo, review: entry.record });
  }
}

function requireInput(args: Args): Record<string, unknown> {
  const input = args.input;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new FieldError('Argument input must be an object', 'INVALID_ARGUMENT');
  return input as Record<string, unknown>;
}

function threadByNodeId(ctx: ExecContext, id: unknown): ThreadSource {
  const entry = typeof id === 'string' ? ctx.state.nodes.get(id) : undefined;
  if (!entry || entry.kind !== 'PullRequestReviewThread' || !accessibleRepo(ctx, entry.repo)) {
    throw new FieldError(`Could not resolve to PullRequestReviewThread node with the global id of '${String(id)}'.`, 'NOT_FOUND');
  }
  return { repo: entry.repo, thread: entry.record };
}

function setThreadResolved(ctx: ExecContext, args: Args, resolved: boolean): Typed {
  const input = requireInput(args);
  const source = threadByNodeId(ctx, input.threadId);
  source.thread.isResolved = resolved;
  source.thread.resolvedBy = resolved ? ctx.state.botUser() : null;
  return typed(resolved ? 'ResolveReviewThreadPayload' : 'UnresolveReviewThreadPayload', {
    clientMutationId: input.clientMutationId ?? null,
    thread: source,
  });
}

const MINIMIZE_CLASSIFIERS = new Set(['SPAM', 'ABUSE', 'OFF_TOPIC', 'OUTDATED', 'DUPLICATE', 'RESOLVED']);

function setMinimized(ctx: ExecContext, args: Args, minimized: boolean): Typed {
  const input = requireInput(args);
  const target = typeof input.subjectId === 'string' ? nodeToTyped(ctx, input.subjectId) : null;
  if (!target || (target.__type !== 'IssueComment' && target.__type !== 'PullRequestReviewComment')) {
    throw new FieldError(`Could not resolve to a node with the global id of '${String(input.subjectId)}'`, 'NOT_FOUND');
  }
  if (minimized && !MINIMIZE_CLASSIFIERS.has(String(input.classifier))) {
    throw new FieldError(`Argument 'classifier' on InputObject 'MinimizeCommentInput' has an invalid value (${String(input.classifier)}).`, 'INVALID_ARGUMENT');
  }
  const comment = (target.source as CommentSource | IssueCommentSource).comment;
  comment.isMinimized = minimized;
  comment.minimizedReason = minimized ? String(input.classifier).toLowerCase() : null;
  return typed(minimized ? 'MinimizeCommentPayload' : 'UnminimizeCommentPayload', {
    clientMutationId: input.clientMutationId ?? null,
    target,
  });
}

interface BlobSource {
  repo: RepoState;
  sha: string;
  bytes: Buffer;
}

const GIT_OID = /^[0-9a-f]{40}$/;

/**
 * `Repository.object(oid:)` or `object(expression: "<rev>:<path>")`: a blob of the repository's
 * network (a fork pull request's head is readable from its base), or null when there is none.
 * Only these two shapes are served: a bare revision, `rev^{tree}`, `HEAD~2:path` and such are refused.
 */
function gitObject(repo: RepoState, args: Args, ctx: ExecContext): Typed | null {
  const { oid, expression } = args;
  if ((oid === undefined) === (expression === undefined)) throw new FieldError('Exactly one of `oid` or `expression` must be given', 'INVALID_ARGUMENT');
  const key = String(oid ?? expression);
  if (ctx.state.failingGraphqlObjects.has(key)) throw new FieldError('Something went wrong while executing your query. This may be the result of a timeout.', undefined, true);
  if (oid !== undefined) {
    if (typeof oid !== 'string' || !GIT_OID.test(oid)) throw new FieldError(`Variable $oid of type GitObjectID was provided invalid value`, 'INVALID_ARGUMENT');
    const bytes = network(repo)
      .map((r) => r.blobs.get(oid))
      .find((b) => b !== undefined);
    if (bytes) return typed('Blob', { repo, sha: oid, bytes } satisfies BlobSource);
    return network(repo).some((r) => knowsCommit(r, oid)) ? typed('Commit', { repo, sha: oid } satisfies CommitSource) : null;
  }
  if (typeof expression !== 'string') throw new FieldError('Argument expression must be a string', 'INVALID_ARGUMENT');
  const colon = expression.indexOf(':');
  if (colon <= 0) throw new FieldError(`The stand-in serves only "<revision>:<path>" expressions, got ${JSON.stringify(expression)}`, 'INVALID_ARGUMENT');
  const rev = expression.slice(0, colon);
  const path = expression.slice(colon + 1);
  if (!/^[0-9a-f]{40}$|^[A-Za-z0-9._/-]+$/.test(rev) || path === '') throw new FieldError(`The stand-in serves only "<revision>:<path>" expressions, got ${JSON.stringify(expression)}`, 'INVALID_ARGUMENT');
  // HEAD is the default branch's tip, as in GitHub's repositories.
  const ref = rev === 'HEAD' ? repo.defaultBranch : rev;
  const entry = lookupContent(repo, ref, path);
  if (entry) return typed('Blob', { repo, sha: entry.sha, bytes: entry.bytes } satisfies BlobSource);
  return repo.listDirectory(ref, path).length > 0 ? typed('Tree', { repo, sha: gitBlobSha(Buffer.from(`tree:${rev}:${path}`)) }) : null;
}

interface CommitSource {
  repo: RepoState;
  sha: string;
}

/** One app's check suite on a commit, with its runs (oldest first): what the repository's check runs say. */
interface SuiteSource {
  repo: RepoState;
  id: number;
  sha: string;
  appId: number;
  runs: CheckRunRecord[];
}

interface RunSource {
  repo: RepoState;
  run: CheckRunRecord;
}

/** `Commit.checkSuites`: the suites of the check runs on the commit, by `filterBy` (appId, checkName). */
function checkSuitesOf(s: CommitSource, filter: Record<string, unknown> | null | undefined): SuiteSource[] {
  const suites = new Map<number, SuiteSource>();
  for (const run of s.repo.checkRuns) {
    if (run.headSha !== s.sha) continue;
    const suite = suites.get(run.checkSuiteId) ?? { repo: s.repo, id: run.checkSuiteId, sha: s.sha, appId: run.appId, runs: [] };
    suite.runs.push(run);
    suites.set(run.checkSuiteId, suite);
  }
  return [...suites.values()]
    .filter((suite) => typeof filter?.appId !== 'number' || suite.appId === filter.appId)
    .filter((suite) => typeof filter?.checkName !== 'string' || suite.runs.some((r) => r.name === filter.checkName))
    .sort((a, b) => a.id - b.id);
}

/** `CheckSuite.checkRuns` by `filterBy`; `checkType: LATEST` keeps the latest run of each name (like REST's `filter=latest`). */
function checkRunsOf(s: SuiteSource, filter: Record<string, unknown> | null | undefined): RunSource[] {
  const upper = (value: string | null) => value?.toUpperCase() ?? null;
  const statuses = Array.isArray(filter?.statuses) ? filter.statuses : typeof filter?.status === 'string' ? [filter.status] : null;
  const conclusions = Array.isArray(filter?.conclusions) ? filter.conclusions : null;
  let runs = s.runs
    .filter((r) => typeof filter?.appId !== 'number' || r.appId === filter.appId)
    .filter((r) => typeof filter?.checkName !== 'string' || r.name === filter.checkName)
    .filter((r) => !statuses || statuses.includes(upper(r.status)))
    .filter((r) => !conclusions || conclusions.includes(upper(r.conclusion)));
  if (filter?.checkType === 'LATEST') {
    const latest = new Map<string, CheckRunRecord>();
    for (const run of runs) latest.set(run.name, run);
    runs = [...latest.values()];
  }
  return runs.sort((a, b) => a.id - b.id).map((run) => ({ repo: s.repo, run }));
}

/** Like git's test for binary content: a NUL byte among the first 8,000. */
const isBinaryBlob = (bytes: Buffer) => bytes.subarray(0, 8000).includes(0);

// ---------------------------------------------------------------------------
// Schema subset

const actorFields = (): Record<string, FieldDef> => ({
  id: { type: 'ID', resolve: (s) => (s as UserRecord).nodeId },
  databaseId: { type: 'Int', resolve: (s) => (s as UserRecord).id },
  login: { type: 'String', resolve: (s) => (s as UserRecord).login },
  url: { type: 'URI', resolve: (s, _a, ctx) => `${ctx.urls.web}/${(s as UserRecord).login}` },
  avatarUrl: { type: 'URI', args: { size: {} }, resolve: (s, _a, ctx) => `${ctx.urls.web}/avatars/u/${(s as UserRecord).id}` },
});

const reviewCommentFields: Record<string, FieldDef> = {
  id: { type: 'ID', resolve: (s) => (s as CommentSource).comment.nodeId },
  databaseId: { type: 'Int', resolve: (s) => (s as CommentSource).comment.id },
  fullDatabaseId: { type: 'BigInt', resolve: (s) => String((s as CommentSource).comment.id) },
  body: { type: 'String', resolve: (s) => (s as CommentSource).comment.body },
  bodyText: { type: 'String', resolve: (s) => (s as CommentSource).comment.body },
  author: { type: 'Actor', resolve: (s) => actor((s as CommentSource).comment.user) },
  createdAt: { type: 'DateTime', resolve: (s) => (s as CommentSource).comment.createdAt },
  updatedAt: { type: 'DateTime', resolve: (s) => (s as CommentSource).comment.updatedAt },
  path: { type: 'String', resolve: (s) => (s as CommentSource).comment.path },
  line: { type: 'Int', resolve: (s) => (isOutdated((s as CommentSource).repo, (s as CommentSource).comment) ? null : (s as CommentSource).comment.line) },
  originalLine: { type: 'Int', resolve: (s) => (s as CommentSource).comment.line },
  startLine: { type: 'Int', resolve: (s) => (s as CommentSource).comment.startLine },
  diffHunk: { type: 'String', resolve: (s) => (s as CommentSource).comment.diffHunk },
  outdated: { type: 'Boolean', resolve: (s) => isOutdated((s as CommentSource).repo, (s as CommentSource).comment) },
  isMinimized: { type: 'Boolean', resolve: (s) => (s as CommentSource).comment.isMinimized },
  minimizedReason: { type: 'String', resolve: (s) => (s as CommentSource).comment.minimizedReason },
  viewerCanMinimize: { type: 'Boolean', resolve: () => true },
  viewerDidAuthor: { type: 'Boolean', resolve: (s, _a, ctx) => (s as CommentSource).comment.user.login === ctx.state.botUser().login },
  editor: { type: 'Actor', resolve: (s) => actor((s as CommentSource).comment.editor ?? null) },
  lastEditedAt: { type: 'DateTime', resolve: (s) => (s as CommentSource).comment.lastEditedAt ?? null },
  includesCreatedEdit: { type: 'Boolean', resolve: (s) => ((s as CommentSource).comment.edits ?? []).length > 0 },
  userContentEdits: {
    type: 'UserContentEditConnection',
    args: CONNECTION_ARGS,
    resolve: (s, args) => connection('userContentEdits', 'UserContentEdit', (s as CommentSource).comment.edits ?? [], args),
  },
  url: {
    type: 'URI',
    resolve: (s, _a, ctx) => `${repoUrl((s as CommentSource).repo, ctx)}/pull/${(s as CommentSource).comment.pullNumber}#discussion_r${(s as CommentSource).comment.id}`,
  },
  replyTo: {
    type: 'PullRequestReviewComment',
    resolve: (s) => {
      const { repo, comment } = s as CommentSource;
      const parent = repo.reviewComments.find((c) => c.id === comment.inReplyToId);
      return parent ? typed('PullRequestReviewComment', { repo, comment: parent }) : null;
    },
  },
  pullRequest: {
    type: 'PullRequest',
    resolve: (s) => {
      const { repo, comment } = s as CommentSource;
      const pull = repo.pulls.get(comment.pullNumber);
      return pull ? typed('PullRequest', { repo, pull }) : null;
    },
  },
  pullRequestReview: {
    type: 'PullRequestReview',
    resolve: (s) => {
      const { repo, comment } = s as CommentSource;
      const review = repo.reviews.find((r) => r.id === comment.reviewId);
      return review ? typed('PullRequestReview', { repo, review }) : null;
    },
  },
};

const TYPES: Record<string, ObjectType> = {
  Query: {
    fields: {
      repository: {
        type: 'Repository',
        args: { owner: { required: true }, name: { required: true }, followRenames: {} },
        resolve: (_s, args, ctx) => {
          const repo = accessibleRepo(ctx, ctx.state.repo(String(args.owner), String(args.name)));
          if (!repo) throw new FieldError(`Could not resolve to a Repository with the name '${String(args.owner)}/${String(args.name)}'.`, 'NOT_FOUND');
          return typed('Repository', repo);
        },
      },
      node: {
        type: 'Node',
        args: { id: { required: true } },
        resolve: (_s, args, ctx) => {
          const found = nodeToTyped(ctx, String(args.id));
          if (!found) throw new FieldError(`Could not resolve to a node with the global id of '${String(args.id)}'`, 'NOT_FOUND');
          return found;
        },
      },
      nodes: {
        type: 'Node',
        list: true,
        args: { ids: { required: true } },
        resolve: (_s, args, ctx) => (Array.isArray(args.ids) ? args.ids : []).map((id) => nodeToTyped(ctx, String(id))),
      },
      rateLimit: { type: 'RateLimit', args: { dryRun: {} }, resolve: () => typed('RateLimit', null) },
    },
  },
  Mutation: {
    fields: {
      resolveReviewThread: { type: 'ResolveReviewThreadPayload', args: { input: { required: true } }, resolve: (_s, a, ctx) => setThreadResolved(ctx, a, true) },
      unresolveReviewThread: { type: 'UnresolveReviewThreadPayload', args: { input: { required: true } }, resolve: (_s, a, ctx) => setThreadResolved(ctx, a, false) },
      minimizeComment: { type: 'MinimizeCommentPayload', args: { input: { required: true } }, resolve: (_s, a, ctx) => setMinimized(ctx, a, true) },
      unminimizeComment: { type: 'UnminimizeCommentPayload', args: { input: { required: true } }, resolve: (_s, a, ctx) => setMinimized(ctx, a, false) },
    },
  },
  RateLimit: {
    fields: {
      limit: { type: 'Int', resolve: () => 5000 },
      cost: { type: 'Int', resolve: () => 1 },
      remaining: { type: 'Int', resolve: () => 4999 },
      used: { type: 'Int', resolve: () => 1 },
      nodeCount: { type: 'Int', resolve: () => 0 },
      resetAt: { type: 'DateTime', resolve: () => timestamp(new Date(Date.now() + 3600_000)) },
    },
  },
  Repository: {
    interfaces: ['Node'],
    fields: {
      id: { type: 'ID', resolve: (s) => (s as RepoState).nodeId },
      databaseId: { type: 'Int', resolve: (s) => (s as RepoState).id },
      name: { type: 'String', resolve: (s) => (s as RepoState).name },
      nameWithOwner: { type: 'String', resolve: (s) => (s as RepoState).fullName },
      isFork: { type: 'Boolean', resolve: (s) => (s as RepoState).fork },
      isPrivate: { type: 'Boolean', resolve: (s) => (s as RepoState).private },
      url: { type: 'URI', resolve: (s, _a, ctx) => repoUrl(s as RepoState, ctx) },
      owner: { type: 'RepositoryOwner', resolve: (s) => actor((s as RepoState).owner) },
      object: { type: 'GitObject', args: { oid: {}, expression: {} }, resolve: (s, args, ctx) => gitObject(s as RepoState, args, ctx) },
      pullRequest: {
        type: 'PullRequest',
        args: { number: { required: true } },
        resolve: (s, args) => {
          const repo = s as RepoState;
          const pull = repo.pulls.get(Number(args.number));
          if (!pull) throw new FieldError(`Could not resolve to a PullRequest with the number of ${String(args.number)}.`, 'NOT_FOUND');
          return typed('PullRequest', { repo, pull });
        },
      },
    },
  },
  PullRequest: {
    interfaces: ['Node'],
    fields: {
      id: { type: 'ID', resolve: (s) => (s as PullSource).pull.nodeId },
      databaseId: { type: 'Int', resolve: (s) => (s as PullSource).pull.id },
      number: { type: 'Int', resolve: (s) => (s as PullSource).pull.number },
      title: { type: 'String', resolve: (s) => (s as PullSource).pull.title },
      body: { type: 'String', resolve: (s) => (s as PullSource).pull.body ?? '' },
      url: { type: 'URI', resolve: (s, _a, ctx) => `${repoUrl((s as PullSource).repo, ctx)}/pull/${(s as PullSource).pull.number}` },
      state: { type: 'String', resolve: (s) => ((s as PullSource).pull.merged ? 'MERGED' : (s as PullSource).pull.state.toUpperCase()) },
      isDraft: { type: 'Boolean', resolve: (s) => (s as PullSource).pull.draft },
      headRefOid: { type: 'GitObjectID', resolve: (s) => (s as PullSource).pull.head.sha },
      headRefName: { type: 'String', resolve: (s) => (s as PullSource).pull.head.ref },
      baseRefOid: { type: 'GitObjectID', resolve: (s) => (s as PullSource).pull.base.sha },
      baseRefName: { type: 'String', resolve: (s) => (s as PullSource).pull.base.ref },
      author: { type: 'Actor', resolve: (s) => actor((s as PullSource).pull.user) },
      repository: { type: 'Repository', resolve: (s) => typed('Repository', (s as PullSource).repo) },
      reviewThreads: {
        type: 'PullRequestReviewThreadConnection',
        args: CONNECTION_ARGS,
        resolve: (s, args) => {
          const { repo, pull } = s as PullSource;
          const threads = repo.threads.filter((t) => t.pullNumber === pull.number).map((thread) => ({ repo, thread }));
          return connection('reviewThreads', 'PullRequestReviewThread', threads, args);
        },
      },
      reviews: {
        type: 'PullRequestReviewConnection',
        args: { ...CONNECTION_ARGS, author: {} },
        resolve: (s, args) => {
          const { repo, pull } = s as PullSource;
          const reviews = repo.reviews
            .filter((r) => r.pullNumber === pull.number && (args.author === undefined || r.user.login === args.author))
            .map((review) => ({ repo, review }));
          return connection('reviews', 'PullRequestReview', reviews, args);
        },
      },
      comments: {
        type: 'IssueCommentConnection',
        args: CONNECTION_ARGS,
        resolve: (s, args) => {
          const { repo, pull } = s as PullSource;
          const comments = repo.issueComments.filter((c) => c.issueNumber === pull.number).map((comment) => ({ repo, comment }));
          return connection('comments', 'IssueComment', comments, args);
        },
      },
    },
  },
  PullRequestReviewThread: {
    interfaces: ['Node'],
    fields: {
      id: { type: 'ID', resolve: (s) => (s as ThreadSource).thread.nodeId },
      isResolved: { type: 'Boolean', resolve: (s) => (s as ThreadSource).thread.isResolved },
      isCollapsed: { type: 'Boolean', resolve: (s) => (s as ThreadSource).thread.isResolved },
      isOutdated: {
        type: 'Boolean',
        resolve: (s) => {
          const root = threadRoot(s as ThreadSource);
          return root ? isOutdated((s as ThreadSource).repo, root) : true;
        },
      },
      path: { type: 'String', resolve: (s) => threadRoot(s as ThreadSource)?.path ?? null },
      line: {
        type: 'Int',
        resolve: (s) => {
          const root = threadRoot(s as ThreadSource);
          return root && !isOutdated((s as ThreadSource).repo, root) ? root.line : null;
        },
      },
      originalLine: { type: 'Int', resolve: (s) => threadRoot(s as ThreadSource)?.line ?? null },
      startLine: { type: 'Int', resolve: (s) => threadRoot(s as ThreadSource)?.startLine ?? null },
      originalStartLine: { type: 'Int', resolve: (s) => threadRoot(s as ThreadSource)?.startLine ?? null },
      diffSide: { type: 'String', resolve: (s) => threadRoot(s as ThreadSource)?.side ?? 'RIGHT' },
      startDiffSide: { type: 'String', resolve: (s) => threadRoot(s as ThreadSource)?.startSide ?? null },
      subjectType: { type: 'String', resolve: (s) => (threadRoot(s as ThreadSource)?.subjectType === 'file' ? 'FILE' : 'LINE') },
      resolvedBy: { type: 'User', resolve: (s) => actor((s as ThreadSource).thread.resolvedBy) },
      viewerCanResolve: { type: 'Boolean', resolve: (s) => !(s as ThreadSource).thread.isResolved },
      viewerCanUnresolve: { type: 'Boolean', resolve: (s) => (s as ThreadSource).thread.isResolved },
      viewerCanReply: { type: 'Boolean', resolve: () => true },
      pullRequest: {
        type: 'PullRequest',
        resolve: (s) => {
          const { repo, thread } = s as ThreadSource;
          const pull = repo.pulls.get(thread.pullNumber);
          return pull ? typed('PullRequest', { repo, pull }) : null;
        },
      },
      repository: { type: 'Repository', resolve: (s) => typed('Repository', (s as ThreadSource).repo) },
      comments: {
        type: 'PullRequestReviewCommentConnection',
        args: { ...CONNECTION_ARGS, skip: {} },
        resolve: (s, args) => {
          const source = s as ThreadSource;
          const skip = typeof args.skip === 'number' ? args.skip : 0;
          const comments = threadComments(source)
            .slice(skip)
            .map((comment) => ({ repo: source.repo, comment }));
          return connection('comments', 'PullRequestReviewComment', comments, args);
        },
      },
    },
  },
  PullRequestReviewComment: { interfaces: ['Node', 'Comment', 'Minimizable'], fields: reviewCommentFields },
  PullRequestReview: {
    interfaces: ['Node'],
    fields: {
      id: { type: 'ID', resolve: (s) => (s as { review: { nodeId: string } }).review.nodeId },
      databaseId: { type: 'Int', resolve: (s) => (s as { review: { id: number } }).review.id },
      state: { type: 'String', resolve: (s) => (s as { review: { state: string } }).review.state },
      body: { type: 'String', resolve: (s) => (s as { review: { body: string } }).review.body },
      author: { type: 'Actor', resolve: (s) => actor((s as { review: { user: UserRecord } }).review.user) },
      viewerDidAuthor: { type: 'Boolean', resolve: (s, _a, ctx) => (s as { review: { user: UserRecord } }).review.user.login === ctx.state.botUser().login },
    },
  },
  PullRequestReviewConnection: connectionType('PullRequestReview'),
  PullRequestReviewEdge: edgeType('PullRequestReview'),
  IssueComment: {
    interfaces: ['Node', 'Comment', 'Minimizable'],
    fields: {
      id: { type: 'ID', resolve: (s) => (s as IssueCommentSource).comment.nodeId },
      databaseId: { type: 'Int', resolve: (s) => (s as IssueCommentSource).comment.id },
      fullDatabaseId: { type: 'BigInt', resolve: (s) => String((s as IssueCommentSource).comment.id) },
      body: { type: 'String', resolve: (s) => (s as IssueCommentSource).comment.body },
      bodyText: { type: 'String', resolve: (s) => (s as IssueCommentSource).comment.body },
      author: { type: 'Actor', resolve: (s) => actor((s as IssueCommentSource).comment.user) },
      createdAt: { type: 'DateTime', resolve: (s) => (s as IssueCommentSource).comment.createdAt },
      updatedAt: { type: 'DateTime', resolve: (s) => (s as IssueCommentSource).comment.updatedAt },
      isMinimized: { type: 'Boolean', resolve: (s) => (s as IssueCommentSource).comment.isMinimized },
      minimizedReason: { type: 'String', resolve: (s) => (s as IssueCommentSource).comment.minimizedReason },
      editor: { type: 'Actor', resolve: (s) => actor((s as IssueCommentSource).comment.editor) },
      lastEditedAt: { type: 'DateTime', resolve: (s) => (s as IssueCommentSource).comment.lastEditedAt },
      includesCreatedEdit: { type: 'Boolean', resolve: (s) => (s as IssueCommentSource).comment.edits.length > 0 },
      userContentEdits: {
        type: 'UserContentEditConnection',
        args: CONNECTION_ARGS,
        resolve: (s, args) => {
          const { comment } = s as IssueCommentSource;
          return connection('userContentEdits', 'UserContentEdit', comment.edits, args);
        },
      },
      viewerCanMinimize: { type: 'Boolean', resolve: () => true },
      viewerDidAuthor: { type: 'Boolean', resolve: (s, _a, ctx) => (s as IssueCommentSource).comment.user.login === ctx.state.botUser().login },
      url: {
        type: 'URI',
        resolve: (s, _a, ctx) => {
          const { repo, comment } = s as IssueCommentSource;
          return `${repoUrl(repo, ctx)}/pull/${comment.issueNumber}#issuecomment-${comment.id}`;
        },
      },
    },
  },
  Blob: {
    interfaces: ['Node', 'GitObject'],
    fields: {
      id: { type: 'ID', resolve: (s) => Buffer.from(`Blob:${(s as BlobSource).sha}`).toString('base64') },
      oid: { type: 'GitObjectID', resolve: (s) => (s as BlobSource).sha },
      abbreviatedOid: { type: 'String', resolve: (s) => (s as BlobSource).sha.slice(0, 7) },
      byteSize: { type: 'Int', resolve: (s) => (s as BlobSource).bytes.length },
      isBinary: { type: 'Boolean', resolve: (s) => isBinaryBlob((s as BlobSource).bytes) },
      isTruncated: { type: 'Boolean', resolve: (s, _a, ctx) => (s as BlobSource).bytes.length > ctx.state.graphqlBlobTextLimit },
      // Text of a text blob, cut at the limit; null for a binary one. Invalid UTF-8 comes out replaced, as on GitHub.
      text: {
        type: 'String',
        resolve: (s, _a, ctx) => {
          const { bytes } = s as BlobSource;
          return isBinaryBlob(bytes) ? null : bytes.subarray(0, ctx.state.graphqlBlobTextLimit).toString('utf8');
        },
      },
      repository: { type: 'Repository', resolve: (s) => typed('Repository', (s as BlobSource).repo) },
    },
  },
  Commit: {
    interfaces: ['Node', 'GitObject'],
    fields: {
      id: { type: 'ID', resolve: (s) => Buffer.from(`Commit:${(s as CommitSource).sha}`).toString('base64') },
      oid: { type: 'GitObjectID', resolve: (s) => (s as CommitSource).sha },
      abbreviatedOid: { type: 'String', resolve: (s) => (s as CommitSource).sha.slice(0, 7) },
      repository: { type: 'Repository', resolve: (s) => typed('Repository', (s as CommitSource).repo) },
      checkSuites: {
        type: 'CheckSuiteConnection',
        args: { ...CONNECTION_ARGS, filterBy: { input: 'CheckSuiteFilter' } },
        resolve: (s, args) => connection('checkSuites', 'CheckSuite', checkSuitesOf(s as CommitSource, args.filterBy as Record<string, unknown> | null), args),
      },
    },
  },
  CheckSuite: {
    interfaces: ['Node'],
    fields: {
      id: { type: 'ID', resolve: (s) => Buffer.from(`CheckSuite:${(s as SuiteSource).id}`).toString('base64') },
      databaseId: { type: 'Int', resolve: (s) => (s as SuiteSource).id },
      app: { type: 'App', resolve: (s) => typed('App', (s as SuiteSource).appId) },
      commit: { type: 'Commit', resolve: (s) => typed('Commit', { repo: (s as SuiteSource).repo, sha: (s as SuiteSource).sha } satisfies CommitSource) },
      repository: { type: 'Repository', resolve: (s) => typed('Repository', (s as SuiteSource).repo) },
      checkRuns: {
        type: 'CheckRunConnection',
        args: { ...CONNECTION_ARGS, filterBy: { input: 'CheckRunFilter' } },
        resolve: (s, args) => connection('checkRuns', 'CheckRun', checkRunsOf(s as SuiteSource, args.filterBy as Record<string, unknown> | null), args),
      },
    },
  },
  CheckSuiteConnection: connectionType('CheckSuite'),
  CheckSuiteEdge: edgeType('CheckSuite'),
  CheckRun: {
    interfaces: ['Node'],
    fields: {
      id: { type: 'ID', resolve: (s) => (s as RunSource).run.nodeId },
      databaseId: { type: 'Int', resolve: (s) => (s as RunSource).run.id },
      name: { type: 'String', resolve: (s) => (s as RunSource).run.name },
      status: { type: 'CheckStatusState', resolve: (s) => (s as RunSource).run.status.toUpperCase() },
      conclusion: { type: 'CheckConclusionState', resolve: (s) => (s as RunSource).run.conclusion?.toUpperCase() ?? null },
      // As REST renders it: an empty string when the app gave none.
      externalId: { type: 'String', resolve: (s) => (s as RunSource).run.externalId ?? '' },
      title: { type: 'String', resolve: (s) => (s as RunSource).run.output.title },
      summary: { type: 'String', resolve: (s) => (s as RunSource).run.output.summary },
      text: { type: 'String', resolve: (s) => (s as RunSource).run.output.text },
      startedAt: { type: 'DateTime', resolve: (s) => (s as RunSource).run.startedAt },
      completedAt: { type: 'DateTime', resolve: (s) => (s as RunSource).run.completedAt },
      detailsUrl: { type: 'URI', resolve: (s) => (s as RunSource).run.detailsUrl },
      url: { type: 'URI', resolve: (s, _a, ctx) => `${repoUrl((s as RunSource).repo, ctx)}/runs/${(s as RunSource).run.id}` },
      repository: { type: 'Repository', resolve: (s) => typed('Repository', (s as RunSource).repo) },
      checkSuite: {
        type: 'CheckSuite',
        resolve: (s) => {
          const { repo, run } = s as RunSource;
          const suite = checkSuitesOf({ repo, sha: run.headSha }, null).find((x) => x.id === run.checkSuiteId);
          return suite ? typed('CheckSuite', suite) : null;
        },
      },
    },
  },
  CheckRunConnection: connectionType('CheckRun'),
  CheckRunEdge: edgeType('CheckRun'),
  App: {
    interfaces: ['Node'],
    fields: {
      id: { type: 'ID', resolve: (s, _a, ctx) => ctx.state.nodeIdFor('A', s as number) },
      databaseId: { type: 'Int', resolve: (s) => s as number },
      slug: { type: 'String', resolve: (s, _a, ctx) => ((s as number) === ctx.state.app.id ? ctx.state.app.slug : `app-${String(s)}`) },
      name: { type: 'String', resolve: (s, _a, ctx) => ((s as number) === ctx.state.app.id ? ctx.state.app.name : `App ${String(s)}`) },
    },
  },
  Tree: {
    interfaces: ['Node', 'GitObject'],
    fields: {
      id: { type: 'ID', resolve: (s) => Buffer.from(`Tree:${(s as BlobSource).sha}`).toString('base64') },
      oid: { type: 'GitObjectID', resolve: (s) => (s as BlobSource).sha },
      abbreviatedOid: { type: 'String', resolve: (s) => (s as BlobSource).sha.slice(0, 7) },
      repository: { type: 'Repository', resolve: (s) => typed('Repository', (s as BlobSource).repo) },
    },
  },
  User: { interfaces: ['Node', 'Actor', 'RepositoryOwner'], fields: actorFields() },
  Bot: { interfaces: ['Node', 'Actor'], fields: actorFields() },
  Organization: { interfaces: ['Node', 'Actor', 'RepositoryOwner'], fields: actorFields() },
  PageInfo: {
    fields: {
      hasNextPage: { type: 'Boolean', resolve: (s) => (s as Connection).hasNext },
      hasPreviousPage: { type: 'Boolean', resolve: (s) => (s as Connection).hasPrevious },
      startCursor: { type: 'String', resolve: (s) => ((s as Connection).items.length > 0 ? encodeCursor((s as Connection).start) : null) },
      endCursor: {
        type: 'String',
        resolve: (s) => {
          const c = s as Connection;
          return c.items.length > 0 ? encodeCursor(c.start + c.items.length - 1) : null;
        },
      },
    },
  },
  PullRequestReviewThreadConnection: connectionType('PullRequestReviewThread'),
  PullRequestReviewThreadEdge: edgeType('PullRequestReviewThread'),
  PullRequestReviewCommentConnection: connectionType('PullRequestReviewComment'),
  PullRequestReviewCommentEdge: edgeType('PullRequestReviewComment'),
  IssueCommentConnection: connectionType('IssueComment'),
  UserContentEditConnection: connectionType('UserContentEdit'),
  UserContentEditEdge: edgeType('UserContentEdit'),
  UserContentEdit: {
    interfaces: ['Node'],
    fields: {
      id: { type: 'ID', resolve: (s) => Buffer.from(`UserContentEdit:${(s as IssueCommentRecord['edits'][number]).editedAt}`).toString('base64') },
      editedAt: { type: 'DateTime', resolve: (s) => (s as IssueCommentRecord['edits'][number]).editedAt },
      createdAt: { type: 'DateTime', resolve: (s) => (s as IssueCommentRecord['edits'][number]).editedAt },
      updatedAt: { type: 'DateTime', resolve: (s) => (s as IssueCommentRecord['edits'][number]).editedAt },
      deletedAt: { type: 'DateTime', resolve: () => null },
      editor: { type: 'Actor', resolve: (s) => actor((s as IssueCommentRecord['edits'][number]).editor) },
    },
  },
  IssueCommentEdge: edgeType('IssueComment'),
  ResolveReviewThreadPayload: {
    fields: {
      clientMutationId: { type: 'String', resolve: (s) => (s as { clientMutationId: unknown }).clientMutationId },
      thread: { type: 'PullRequestReviewThread', resolve: (s) => typed('PullRequestReviewThread', (s as { thread: ThreadSource }).thread) },
    },
  },
  MinimizeCommentPayload: {
    fields: {
      clientMutationId: { type: 'String', resolve: (s) => (s as { clientMutationId: unknown }).clientMutationId },
      minimizedComment: { type: 'Minimizable', resolve: (s) => (s as { target: Typed }).target },
    },
  },
};
TYPES.UnresolveReviewThreadPayload = TYPES.ResolveReviewThreadPayload!;
TYPES.UnminimizeCommentPayload = {
  fields: {
    clientMutationId: { type: 'String', resolve: (s) => (s as { clientMutationId: unknown }).clientMutationId },
    unminimizedComment: { type: 'Minimizable', resolve: (s) => (s as { target: Typed }).target },
  },
};

/** Interfaces: fields every implementation has. */
const INTERFACES: Record<string, string[]> = {
  Node: ['id'],
  Actor: ['login', 'url', 'avatarUrl'],
  RepositoryOwner: ['id', 'login', 'url', 'avatarUrl'],
  Comment: ['id', 'body', 'bodyText', 'author', 'createdAt', 'updatedAt', 'viewerDidAuthor'],
  Minimizable: ['isMinimized', 'minimizedReason', 'viewerCanMinimize'],
  GitObject: ['id', 'oid', 'abbreviatedOid', 'repository'],
};

function implementations(abstract: string): string[] {
  return Object.entries(TYPES)
    .filter(([, t]) => t.interfaces?.includes(abstract))
    .map(([name]) => name);
}

function typeMatches(concrete: string, condition: string | undefined): boolean {
  return condition === undefined || condition === concrete || (TYPES[concrete]?.interfaces ?? []).includes(condition);
}

// ---------------------------------------------------------------------------
// Input objects and enums (the arguments that take them), as in GitHub's schema.

const INPUT_TYPES: Record<string, Record<string, string>> = {
  CheckSuiteFilter: { appId: 'Int', checkName: 'String' },
  CheckRunFilter: {
    appId: 'Int',
    checkName: 'String',
    checkType: 'CheckRunType',
    conclusions: '[CheckConclusionState!]',
    status: 'CheckStatusState',
    statuses: '[CheckStatusState!]',
  },
};

const ENUMS: Record<string, string[]> = {
  CheckRunType: ['ALL', 'LATEST'],
  CheckStatusState: ['COMPLETED', 'IN_PROGRESS', 'PENDING', 'QUEUED', 'REQUESTED', 'WAITING'],
  CheckConclusionState: ['ACTION_REQUIRED', 'CANCELLED', 'FAILURE', 'NEUTRAL', 'SKIPPED', 'STALE', 'STARTUP_FAILURE', 'SUCCESS', 'TIMED_OUT'],
};

/** Whether a value (a literal, or a variable's JSON value) is of an input field's type. */
function fits(type: string, value: GqlValue | { kind: 'json'; value: unknown }, variables: Record<string, unknown>): boolean {
  if (value.kind === 'variable') return fits(type, { kind: 'json', value: variables[value.name] }, variables);
  const json = value.kind === 'json' ? value.value : undefined;
  if (value.kind === 'null' || (value.kind === 'json' && (json === null || json === undefined))) return !type.endsWith('!');
  const bare = type.replace(/!$/, '');
  if (bare.startsWith('[')) {
    // A single value is coerced to a list of one.
    const inner = bare.slice(1, -1);
    if (value.kind === 'list') return value.values.every((v) => fits(inner, v, variables));
    if (Array.isArray(json)) return json.every((v) => fits(inner, { kind: 'json', value: v }, variables));
    return fits(inner, value, variables);
  }
  const allowed = ENUMS[bare];
  if (allowed) return value.kind === 'enum' ? allowed.includes(value.value) : typeof json === 'string' && allowed.includes(json);
  if (bare === 'Int') return value.kind === 'int' || (typeof json === 'number' && Number.isInteger(json));
  if (bare === 'String') return value.kind === 'string' || typeof json === 'string';
  return false;
}

/** An input-object argument's problems, in GitHub's words: fields the type does not have, values not of a field's type. */
function inputProblems(typeName: string, value: GqlValue, variables: Record<string, unknown>): string[] {
  const fields = INPUT_TYPES[typeName] ?? {};
  let given: [string, GqlValue | { kind: 'json'; value: unknown }][];
  if (value.kind === 'object') given = Object.entries(value.fields);
  else if (value.kind === 'null') return [];
  else {
    const json = value.kind === 'variable' ? variables[value.name] : undefined;
    if (json === null || json === undefined) return value.kind === 'variable' ? [] : [`Argument value is not an input object of type '${typeName}'`];
    if (typeof json !== 'object' || Array.isArray(json)) return [`Variable $${(value as { name: string }).name} is not an input object of type '${typeName}'`];
    given = Object.entries(json).map(([k, v]) => [k, { kind: 'json', value: v }]);
  }
  const problems: string[] = [];
  for (const [name, field] of given) {
    const type = fields[name];
    if (!type) problems.push(`InputObject '${typeName}' doesn't accept argument '${name}'`);
    else if (!fits(type, field, variables)) {
      const shown = field.kind === 'enum' ? field.value : field.kind === 'json' ? JSON.stringify(field.value) : field.kind === 'variable' ? `$${field.name}` : JSON.stringify(resolveValue(field, variables));
      problems.push(`Argument '${name}' on InputObject '${typeName}' has an invalid value (${shown}). Expected type '${type}'.`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Validation (before execution, like GitHub) and execution

function fieldDef(typeName: string, fieldName: string): FieldDef | undefined {
  const concrete = TYPES[typeName];
  if (concrete) return concrete.fields[fieldName];
  const shared = INTERFACES[typeName];
  if (shared?.includes(fieldName)) {
    // Any implementation's definition serves for validation of an interface field.
    for (const impl of implementations(typeName)) {
      const def = TYPES[impl]?.fields[fieldName];
      if (def) return def;
    }
  }
  return undefined;
}

function isKnownType(name: string): boolean {
  return name in TYPES || name in INTERFACES;
}

function validateSelections(
  doc: GqlDocument,
  typeName: string,
  selections: GqlSelection[],
  errors: GraphqlError[],
  seenFragments: Set<string>,
  variables: Record<string, unknown>,
): void {
  for (const selection of selections) {
    if (selection.kind === 'spread') {
      const fragment = doc.fragments.get(selection.name);
      if (!fragment) {
        errors.push({ message: `Fragment ${selection.name} was used, but not defined` });
        continue;
      }
      if (seenFragments.has(selection.name)) {
        errors.push({ message: `Fragment ${selection.name} contains an infinite loop` });
        continue;
      }
      validateFragment(doc, fragment.typeCondition, fragment.selections, errors, new Set([...seenFragments, selection.name]), variables);
      continue;
    }
    if (selection.kind === 'inline') {
      validateFragment(doc, selection.typeCondition ?? typeName, selection.selections, errors, seenFragments, variables);
      continue;
    }
    if (selection.name === '__typename') continue;
    const def = fieldDef(typeName, selection.name);
    const location = [{ line: selection.line, column: selection.column }];
    if (!def) {
      errors.push({
        message: `Field '${selection.name}' doesn't exist on type '${typeName}'`,
        locations: location,
        extensions: { code: 'undefinedField', typeName, fieldName: selection.name },
      });
      continue;
    }
    for (const arg of Object.keys(selection.args)) {
      if (!def.args || !(arg in def.args)) {
        errors.push({
          message: `Field '${selection.name}' doesn't accept argument '${arg}'`,
          locations: location,
          extensions: { code: 'argumentNotAccepted', name: selection.name, typeName: 'Field', argumentName: arg },
        });
      }
    }
    for (const [arg, spec] of Object.entries(def.args ?? {})) {
      const given = selection.args[arg];
      if (spec.input && given) {
        for (const message of inputProblems(spec.input, given, variables)) {
          errors.push({ message, locations: location, extensions: { code: 'argumentLiteralsIncompatible', typeName: 'Field', argumentName: arg } });
        }
      }
      if (spec.required && !(arg in selection.args)) {
        errors.push({
          message: `Field '${selection.name}' is missing required arguments: ${arg}`,
          locations: location,
          extensions: { code: 'missingRequiredArguments', className: 'Field', name: selection.name, arguments: arg },
        });
      }
    }
    const leaf = SCALARS.has(def.type) || def.type in ENUMS;
    if (leaf && selection.selections) {
      errors.push({ message: `Selections can't be made on scalars (field '${selection.name}' returns ${def.type} but has selections [${selection.selections.map((s) => (s.kind === 'field' ? s.name : '...')).join(', ')}])`, locations: location });
    } else if (!leaf && !selection.selections) {
      errors.push({ message: `Field must have selections (field '${selection.name}' returns ${def.type} but has no selections. Did you mean '${selection.name} { ... }'?)`, locations: location });
    } else if (!leaf && selection.selections) {
      validateSelections(doc, def.type, selection.selections, errors, seenFragments, variables);
    }
  }
}

function validateFragment(doc: GqlDocument, typeCondition: string, selections: GqlSelection[], errors: GraphqlError[], seen: Set<string>, variables: Record<string, unknown>): void {
  if (!isKnownType(typeCondition)) {
    errors.push({ message: `No such type ${typeCondition}, so it can't be a fragment condition` });
    return;
  }
  validateSelections(doc, typeCondition, selections, errors, seen, variables);
}

function resolveValue(value: GqlValue, variables: Record<string, unknown>): unknown {
  switch (value.kind) {
    case 'variable':
      return variables[value.name];
    case 'int':
    case 'float':
    case 'string':
    case 'boolean':
    case 'enum':
      return value.value;
    case 'null':
      return null;
    case 'list':
      return value.values.map((v) => resolveValue(v, variables));
    case 'object':
      return Object.fromEntries(Object.entries(value.fields).map(([k, v]) => [k, resolveValue(v, variables)]));
  }
}

function included(directives: { name: string; args: Record<string, GqlValue> }[], variables: Record<string, unknown>): boolean {
  for (const directive of directives) {
    const condition = directive.args.if ? resolveValue(directive.args.if, variables) === true : false;
    if (directive.name === 'skip' && condition) return false;
    if (directive.name === 'include' && !condition) return false;
  }
  return true;
}

/** Flattens fragments for a concrete type into the fields to execute, in order. */
function collectFields(doc: GqlDocument, typeName: string, selections: GqlSelection[], variables: Record<string, unknown>, out: GqlField[] = []): GqlField[] {
  for (const selection of selections) {
    if (!included(selection.directives, variables)) continue;
    if (selection.kind === 'field') out.push(selection);
    else if (selection.kind === 'inline') {
      if (typeMatches(typeName, selection.typeCondition)) collectFields(doc, typeName, selection.selections, variables, out);
    } else {
      const fragment = doc.fragments.get(selection.name);
      if (fragment && typeMatches(typeName, fragment.typeCondition)) collectFields(doc, typeName, fragment.selections, variables, out);
    }
  }
  return out;
}

function executeObject(
  doc: GqlDocument,
  value: Typed,
  selections: GqlSelection[],
  variables: Record<string, unknown>,
  ctx: ExecContext,
  path: (string | number)[],
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of collectFields(doc, value.__type, selections, variables)) {
    const key = field.alias ?? field.name;
    if (field.name === '__typename') {
      result[key] = value.__type;
      continue;
    }
    const def = TYPES[value.__type]?.fields[field.name];
    if (!def) {
      result[key] = null;
      continue;
    }
    const args = Object.fromEntries(Object.entries(field.args).map(([k, v]) => [k, resolveValue(v, variables)]));
    const fieldPath = [...path, key];
    try {
      const raw = def.resolve(value.source, args, ctx);
      result[key] = complete(doc, raw, field, variables, ctx, fieldPath);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      if (error.injected) ctx.injected.add(error.message);
      ctx.errors.push({
        ...(error.type ? { type: error.type } : {}),
        path: fieldPath,
        locations: [{ line: field.line, column: field.column }],
        message: error.message,
      });
      result[key] = null;
    }
  }
  return result;
}

function complete(doc: GqlDocument, raw: unknown, field: GqlField, variables: Record<string, unknown>, ctx: ExecContext, path: (string | number)[]): unknown {
  if (raw === null || raw === undefined) return null;
  if (Array.isArray(raw)) return raw.map((item, i) => complete(doc, item, field, variables, ctx, [...path, i]));
  if (typeof raw === 'object' && '__type' in raw && field.selections) {
    return executeObject(doc, raw as Typed, field.selections, variables, ctx, path);
  }
  return raw;
}

function missingVariables(operationVariables: { name: string; type: string; defaultValue?: GqlValue }[], variables: Record<string, unknown>): GraphqlError[] {
  const errors: GraphqlError[] = [];
  for (const def of operationVariables) {
    if (def.type.endsWith('!') && variables[def.name] === undefined && !def.defaultValue) {
      errors.push({ message: `Variable $${def.name} of type ${def.type} was provided invalid value`, extensions: { value: null, problems: [{ path: [], explanation: 'Expected value to not be null' }] } });
    }
  }
  return errors;
}

function undeclaredVariables(selections: GqlSelection[], declared: Set<string>, doc: GqlDocument, out: Set<string>, seen = new Set<string>()): void {
  const visitValue = (value: GqlValue): void => {
    if (value.kind === 'variable' && !declared.has(value.name)) out.add(value.name);
    if (value.kind === 'list') value.values.forEach(visitValue);
    if (value.kind === 'object') Object.values(value.fields).forEach(visitValue);
  };
  for (const selection of selections) {
    for (const directive of selection.directives) Object.values(directive.args).forEach(visitValue);
    if (selection.kind === 'field') {
      Object.values(selection.args).forEach(visitValue);
      if (selection.selections) undeclaredVariables(selection.selections, declared, doc, out, seen);
    } else if (selection.kind === 'inline') {
      undeclaredVariables(selection.selections, declared, doc, out, seen);
    } else if (!seen.has(selection.name)) {
      seen.add(selection.name);
      const fragment = doc.fragments.get(selection.name);
      if (fragment) undeclaredVariables(fragment.selections, declared, doc, out, seen);
    }
  }
}

/** Executes one GraphQL request body (`{query, variables, operationName}`). */
export function executeGraphql(body: unknown, context: GraphqlContext): GraphqlResult {
  const request = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (typeof request.query !== 'string' || request.query.trim() === '') {
    const message = 'A query attribute must be specified and must be a string.';
    return { status: 400, body: { errors: [{ message }] }, violations: [message] };
  }
  const variables =
    typeof request.variables === 'object' && request.variables !== null && !Array.isArray(request.variables)
      ? (request.variables as Record<string, unknown>)
      : {};
  let doc: GqlDocument;
  try {
    doc = parseGraphql(request.query);
  } catch (error) {
    if (!(error instanceof GqlParseError)) throw error;
    const failure = { message: error.message, locations: [{ line: error.line, column: error.column }] };
    return { status: 200, body: { errors: [failure] }, violations: [error.message] };
  }
  const name = typeof request.operationName === 'string' ? request.operationName : undefined;
  const operation = name ? doc.operations.find((op) => op.name === name) : doc.operations.length === 1 ? doc.operations[0] : undefined;
  if (!operation) {
    const message = name ? `No operation named "${name}"` : 'An operation name is required when the document has several operations';
    return { status: 200, body: { errors: [{ message }] }, violations: [message] };
  }
  if (operation.kind === 'subscription') {
    const message = 'Subscriptions are not supported';
    return { status: 200, body: { errors: [{ message }] }, violations: [message] };
  }
  const rootType = operation.kind === 'mutation' ? 'Mutation' : 'Query';
  const errors: GraphqlError[] = [];
  validateSelections(doc, rootType, operation.selections, errors, new Set(), variables);
  const undeclared = new Set<string>();
  undeclaredVariables(operation.selections, new Set(operation.variables.map((v) => v.name)), doc, undeclared);
  for (const variable of undeclared) errors.push({ message: `Variable $${variable} is used by ${operation.name ?? 'anonymous query'} but not declared` });
  errors.push(...missingVariables(operation.variables, variables));
  if (errors.length > 0) {
    return { status: 200, body: { errors }, violations: errors.map((e) => e.message) };
  }
  const withDefaults = { ...variables };
  for (const def of operation.variables) {
    if (withDefaults[def.name] === undefined && def.defaultValue) withDefaults[def.name] = resolveValue(def.defaultValue, {});
  }
  const ctx: ExecContext = { ...context, errors: [], injected: new Set() };
  const data = executeObject(doc, typed(rootType, null), operation.selections, withDefaults, ctx, []);
  // Not-found answers are normal GitHub behaviour; pagination mistakes are the client's fault.
  const violations = ctx.errors.filter((e) => e.type !== 'NOT_FOUND' && !ctx.injected.has(e.message)).map((e) => e.message);
  return { status: 200, body: ctx.errors.length > 0 ? { data, errors: ctx.errors } : { data }, violations };
}

// REST handlers of the GitHub stand-in, keyed by OpenAPI operationId. Each one
// reproduces GitHub's behaviour for what the app relies on, including the ways
// GitHub refuses requests (status codes and error bodies as GitHub sends them).
import type { IncomingHttpHeaders } from 'node:http';
import { diffHunkFor, findLine, findPosition, parsePatch, type DiffSide, type PatchLine } from './patch.js';
import * as render from './render.js';
import type { Urls } from './render.js';
import {
  timestamp,
  type AnnotationRecord,
  type CheckRunRecord,
  type PullRecord,
  type RepoState,
  type ReviewCommentRecord,
  type ReviewState,
  type StandInState,
  type UserRecord,
} from './state.js';

type Json = Record<string, unknown>;

export type AuthInfo =
  | { kind: 'installation'; installationId: number; repositories?: Set<string> }
  | { kind: 'app' }
  | { kind: 'none' };

export interface RouteContext {
  state: StandInState;
  urls: Urls;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  headers: IncomingHttpHeaders;
  auth: AuthInfo;
  /** Absolute URL of the request as the client sent it (for pagination links). */
  requestUrl: URL;
  tokenTtlMs: number;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  /** Non-JSON payload (raw file content, diffs). */
  raw?: { contentType: string; data: string | Buffer };
  headers?: Record<string, string>;
}

export interface RouteHandler {
  /** `app`: needs the app's JWT; `installation`: needs an installation token. */
  auth: 'app' | 'installation';
  /** Whether the request creates content (counted against GitHub's content-creation limit). */
  creates?: boolean;
  handle: (ctx: RouteContext) => RouteResult;
}

const DOCS = 'https://docs.github.com/rest';
const BODY_LIMIT = 65536;
const FILES_LIMIT = 3000;
const COMMITS_LIMIT = 250;
const DIFF_FILES_LIMIT = 300;
const DIFF_LINES_LIMIT = 20000;

/** Thrown by handlers to answer with an error, exactly like GitHub would. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message ?? status));
  }
}

export function notFound(): HttpError {
  return new HttpError(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
}

/** A 422 with GitHub's "Invalid request." wording (used for schema-level failures). */
export function invalidRequest(detail: string): HttpError {
  return new HttpError(422, { message: `Invalid request.\n\n${detail}`, documentation_url: DOCS, status: '422' });
}

function unprocessable(errors: string[], documentation = DOCS): HttpError {
  return new HttpError(422, { message: 'Unprocessable Entity', errors: [joinMessages(errors)], documentation_url: documentation, status: '422' });
}

function validationFailed(errors: Json[]): HttpError {
  return new HttpError(422, { message: 'Validation Failed', errors, documentation_url: DOCS, status: '422' });
}

/** GitHub joins several messages as "a, b, and c" in one string. */
function joinMessages(messages: string[]): string {
  const unique = [...new Set(messages)];
  if (unique.length <= 1) return unique[0] ?? '';
  if (unique.length === 2) return `${unique[0]} and ${unique[1]}`;
  return `${unique.slice(0, -1).join(', ')}, and ${unique[unique.length - 1]}`;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bodyObject(ctx: RouteContext): Json {
  return isObject(ctx.body) ? ctx.body : {};
}

function intParam(ctx: RouteContext, name: string): number {
  const value = Number(ctx.params[name]);
  if (!Number.isSafeInteger(value)) throw notFound();
  return value;
}

function repoOf(ctx: RouteContext): RepoState {
  const repo = ctx.state.repo(ctx.params.owner ?? '', ctx.params.repo ?? '');
  if (!repo) throw notFound();
  const auth = ctx.auth;
  if (auth.kind === 'installation') {
    // A token only sees repositories of its installation (and those it was narrowed to).
    if (repo.installationId !== auth.installationId) throw notFound();
    if (auth.repositories && !auth.repositories.has(repo.name.toLowerCase())) throw notFound();
  }
  return repo;
}

function pullOf(ctx: RouteContext, repo: RepoState): PullRecord {
  const pull = repo.pulls.get(intParam(ctx, 'pull_number'));
  if (!pull) throw notFound();
  return pull;
}

function acceptFormat(headers: IncomingHttpHeaders): 'raw' | 'diff' | 'patch' | 'json' {
  const accept = String(headers.accept ?? '');
  if (/\bvnd\.github(?:\.v3)?\.raw\b/.test(accept)) return 'raw';
  if (/\bvnd\.github(?:\.v3)?\.diff\b/.test(accept)) return 'diff';
  if (/\bvnd\.github(?:\.v3)?\.patch\b/.test(accept)) return 'patch';
  return 'json';
}

// ---------------------------------------------------------------------------
// Pagination: `per_page` (max 100, default 30) and `page`, with GitHub's Link header.

export function paginate<T>(ctx: RouteContext, items: T[], cap = Infinity): { items: T[]; headers: Record<string, string> } {
  const requested = Number.parseInt(ctx.query.get('per_page') ?? '', 10);
  const perPage = Number.isFinite(requested) && requested > 0 ? Math.min(requested, 100) : 30;
  const requestedPage = Number.parseInt(ctx.query.get('page') ?? '', 10);
  const page = Number.isFinite(requestedPage) && requestedPage > 0 ? requestedPage : 1;
  const total = Math.min(items.length, cap);
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const start = (page - 1) * perPage;
  const slice = start >= total ? [] : items.slice(start, Math.min(start + perPage, total));
  const link = (n: number): string => {
    const url = new URL(ctx.requestUrl.href);
    url.searchParams.set('page', String(n));
    return url.href;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(`<${link(Math.min(page - 1, lastPage))}>; rel="prev"`);
  if (page < lastPage) parts.push(`<${link(page + 1)}>; rel="next"`, `<${link(lastPage)}>; rel="last"`);
  if (page > 1) parts.push(`<${link(1)}>; rel="first"`);
  return { items: slice, headers: parts.length > 0 ? { link: parts.join(', ') } : {} };
}

function paged<T>(ctx: RouteContext, items: T[], toJson: (item: T) => unknown, cap?: number): RouteResult {
  const page = paginate(ctx, items, cap);
  return { status: 200, body: page.items.map(toJson), headers: page.headers };
}

// ---------------------------------------------------------------------------
// Apps and installations

function installationIds(state: StandInState): Set<number> {
  return new Set([state.app.installationId, ...[...state.repos.values()].map((r) => r.installationId)]);
}

const createInstallationToken: RouteHandler = {
  auth: 'app',
  handle(ctx) {
    const id = intParam(ctx, 'installation_id');
    if (!installationIds(ctx.state).has(id)) throw notFound();
    const body = bodyObject(ctx);
    let repositories: Set<string> | undefined;
    if (Array.isArray(body.repositories)) {
      repositories = new Set(body.repositories.map((n) => String(n).toLowerCase()));
      const known = new Set([...ctx.state.repos.values()].filter((r) => r.installationId === id).map((r) => r.name.toLowerCase()));
      const missing = [...repositories].filter((n) => !known.has(n));
      if (missing.length > 0) {
        throw new HttpError(422, { message: `There is at least one repository that does not exist or is not accessible to the parent installation.`, documentation_url: DOCS, status: '422' });
      }
    }
    const issued = ctx.state.issueToken(id, ctx.tokenTtlMs);
    if (repositories) {
      const info = ctx.state.tokens.get(issued.token);
      if (info) info.repositories = repositories;
    }
    return {
      status: 201,
      body: {
        token: issued.token,
        expires_at: timestamp(new Date(issued.expiresAt)),
        permissions: isObject(body.permissions) ? body.permissions : { checks: 'write', contents: 'read', issues: 'write', metadata: 'read', pull_requests: 'write' },
        repository_selection: repositories ? 'selected' : 'all',
      },
    };
  },
};

// ---------------------------------------------------------------------------
// Repository content

export function knowsCommit(repo: RepoState, sha: string): boolean {
  if ([...repo.refs.values()].includes(sha) || repo.contents.has(sha)) return true;
  for (const pull of [...repo.pulls.values(), ...pullsFrom(repo)]) {
    if (pull.head.sha === sha || pull.base.sha === sha || pull.commits.some((c) => c.sha === sha)) return true;
  }
  return false;
}

/** Pull requests in other repositories whose head commit lives in this one (forks). */
function pullsFrom(repo: RepoState): PullRecord[] {
  return [...repo.world.repos.values()].flatMap((r) => [...r.pulls.values()].filter((p) => p.head.repo === repo));
}

/** A repository with its parent and forks: they share objects, so a fork's commits are readable from the base. */
export function network(repo: RepoState): RepoState[] {
  return [repo, ...[...repo.world.repos.values()].filter((r) => r !== repo && (r.parent === repo || r === repo.parent))];
}

/** Reads a file at a ref; a fork PR's head commit is readable from the base repository, as on GitHub. */
export function lookupContent(repo: RepoState, ref: string | undefined, path: string) {
  const own = repo.getContent(ref, path);
  if (own || ref === undefined) return own;
  const pullRef = /^(?:refs\/)?pull\/(\d+)\/head$/.exec(ref);
  for (const pull of repo.pulls.values()) {
    if (pull.head.sha === ref || (pullRef && Number(pullRef[1]) === pull.number)) {
      const found = pull.head.repo.getContent(pull.head.sha, path);
      if (found) return found;
    }
  }
  return undefined;
}

const getContent: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const path = (ctx.params.path ?? '').replace(/^\/+|\/+$/g, '');
    const ref = ctx.query.get('ref') ?? undefined;
    const shownRef = ref ?? repo.defaultBranch;
    const file = lookupContent(repo, ref, path);
    if (file) {
      if (acceptFormat(ctx.headers) === 'raw') {
        return { status: 200, raw: { contentType: 'text/plain; charset=utf-8', data: file.bytes } };
      }
      const name = path.split('/').pop() ?? path;
      return { status: 200, body: render.contentItem(repo, shownRef, { name, path, type: 'file', entry: file }, ctx.urls, true) };
    }
    const entries = repo.listDirectory(ref, path);
    if (entries.length === 0) throw notFound();
    return { status: 200, body: entries.map((e) => render.contentItem(repo, shownRef, e, ctx.urls, false)) };
  },
};

const getBlob: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const sha = ctx.params.file_sha ?? '';
    const bytes = network(repo)
      .map((r) => r.blobs.get(sha))
      .find((b) => b !== undefined);
    if (!bytes) throw notFound();
    if (acceptFormat(ctx.headers) === 'raw') return { status: 200, raw: { contentType: 'application/octet-stream', data: bytes } };
    return { status: 200, body: render.blob(repo, sha, bytes, ctx.urls) };
  },
};

const getGitRef: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const ref = ctx.params.ref ?? '';
    const base = `${ctx.urls.api}/repos/${repo.fullName}/git`;
    let object: { type: string; sha: string } | null = null;
    if (ref.startsWith('tags/')) {
      const tag = repo.tags.get(ref.slice('tags/'.length));
      if (tag) object = tag.annotated ? { type: 'tag', sha: tag.annotated.tagSha } : { type: 'commit', sha: tag.sha };
    } else if (ref.startsWith('heads/')) {
      const sha = repo.refs.get(ref.slice('heads/'.length));
      if (sha) object = { type: 'commit', sha };
    }
    if (!object) throw notFound();
    const url = `${base}/${object.type === 'tag' ? 'tags' : 'commits'}/${object.sha}`;
    return {
      status: 200,
      body: { ref: `refs/${ref}`, node_id: repo.world.nodeIdFor('REF', repo.id), url: `${base}/refs/${ref}`, object: { ...object, url } },
    };
  },
};

const getGitTag: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const tagSha = ctx.params.tag_sha ?? '';
    const entry = [...repo.tags].find(([, t]) => t.annotated?.tagSha === tagSha);
    if (!entry) throw notFound();
    const [name, tag] = entry;
    const base = `${ctx.urls.api}/repos/${repo.fullName}/git`;
    return {
      status: 200,
      body: {
        node_id: repo.world.nodeIdFor('TAG', repo.id),
        tag: name,
        sha: tagSha,
        url: `${base}/tags/${tagSha}`,
        message: tag.annotated!.message,
        tagger: { date: repo.createdAt, email: 'release@example.com', name: 'Release Bot' },
        object: { sha: tag.sha, type: 'commit', url: `${base}/commits/${tag.sha}` },
        verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
      },
    };
  },
};

// ---------------------------------------------------------------------------
// Pull requests

function pullDiff(pull: PullRecord): string {
  return pull.files
    .map((f) => {
      const from = f.previousFilename ?? f.filename;
      const header = [
        `diff --git a/${from} b/${f.filename}`,
        f.status === 'added' ? 'new file mode 100644' : f.status === 'removed' ? 'deleted file mode 100644' : '',
        `--- ${f.status === 'added' ? '/dev/null' : `a/${from}`}`,
        `+++ ${f.status === 'removed' ? '/dev/null' : `b/${f.filename}`}`,
      ].filter((l) => l !== '');
      return f.patch === undefined ? `diff --git a/${from} b/${f.filename}\nBinary files differ` : [...header, f.patch].join('\n');
    })
    .join('\n')
    .concat('\n');
}

const getPull: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const pull = pullOf(ctx, repo);
    const format = acceptFormat(ctx.headers);
    if (format === 'diff' || format === 'patch') {
      const diff = pullDiff(pull);
      const lines = diff.split('\n').length;
      if (pull.files.length > DIFF_FILES_LIMIT || lines > DIFF_LINES_LIMIT) {
        const what = pull.files.length > DIFF_FILES_LIMIT ? `files (${DIFF_FILES_LIMIT})` : `lines (${DIFF_LINES_LIMIT})`;
        throw new HttpError(406, {
          message: `Sorry, the diff exceeded the maximum number of ${what}. Consider using 'List pull requests files' API or locally cloning the repository instead.`,
          errors: [{ resource: 'PullRequest', field: 'diff', code: 'too_large' }],
          documentation_url: `${DOCS}/pulls/pulls#list-pull-requests-files`,
          status: '406',
        });
      }
      return { status: 200, raw: { contentType: `application/vnd.github.${format}; charset=utf-8`, data: diff } };
    }
    return { status: 200, body: render.pullRequest(repo, pull, ctx.urls) };
  },
};

const listPulls: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const state = ctx.query.get('state') ?? 'open';
    const head = ctx.query.get('head');
    const base = ctx.query.get('base');
    const pulls = [...repo.pulls.values()]
      .filter((p) => state === 'all' || p.state === state)
      .filter((p) => !head || `${p.head.repo.owner.login}:${p.head.ref}`.toLowerCase() === head.toLowerCase())
      .filter((p) => !base || p.base.ref === base)
      .sort((a, b) => {
        const ascending = ctx.query.get('direction') === 'asc';
        // GitHub sorts by creation unless asked for the most recently updated.
        const order = ctx.query.get('sort') === 'updated' ? a.updatedAt.localeCompare(b.updatedAt) || a.number - b.number : a.number - b.number;
        return ascending ? order : -order;
      });
    return paged(ctx, pulls, (p) => render.pullRequest(repo, p, ctx.urls, true));
  },
};

const listPullFiles: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const pull = pullOf(ctx, repo);
    // GitHub stops listing after 3,000 files, whatever the page.
    return paged(ctx, pull.files, (f) => render.pullFile(repo, pull, f, ctx.urls), FILES_LIMIT);
  },
};

const listPullCommits: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const pull = pullOf(ctx, repo);
    return paged(ctx, pull.commits, (c) => render.pullCommit(pull.head.repo, c, ctx.state, ctx.urls), COMMITS_LIMIT);
  },
};

/**
 * `compare/{base}...{head}` for a seeded pull request's base and head: its commits are the
 * ones after the merge base. Without paging GitHub lists the last 250 commits; with
 * `per_page` or `page` it pages through all of them, oldest first, with files on page 1 only.
 */
const compareCommits: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    // GitHub documents the route twice: `{basehead}` and `{base}...{head}`.
    const [base, head, extra] = ctx.params.basehead !== undefined ? ctx.params.basehead.split('...') : [ctx.params.base, ctx.params.head];
    const pull = [...repo.pulls.values()].find((p) => p.base.sha === base && p.head.sha === head);
    if (!pull || extra !== undefined) throw notFound();
    const paging = ctx.query.has('per_page') || ctx.query.has('page');
    const listed = paging ? paginate(ctx, pull.commits) : { items: pull.commits.slice(-COMMITS_LIMIT), headers: {} };
    const firstPage = !paging || (Number.parseInt(ctx.query.get('page') ?? '1', 10) || 1) === 1;
    const baseCommit = render.pullCommit(repo, ctx.state.makeCommit({ message: 'Base' }, pull.base.sha), ctx.state, ctx.urls);
    const web = `${ctx.urls.web}/${repo.fullName}`;
    return {
      status: 200,
      headers: listed.headers,
      body: {
        url: `${ctx.urls.api}/repos/${repo.fullName}/compare/${base}...${head}`,
        html_url: `${web}/compare/${base}...${head}`,
        permalink_url: `${web}/compare/${repo.owner.login}:${base}...${repo.owner.login}:${head}`,
        diff_url: `${web}/compare/${base}...${head}.diff`,
        patch_url: `${web}/compare/${base}...${head}.patch`,
        base_commit: baseCommit,
        merge_base_commit: baseCommit,
        status: 'ahead',
        ahead_by: pull.commits.length,
        behind_by: 0,
        total_commits: pull.commits.length,
        commits: listed.items.map((c) => render.pullCommit(pull.head.repo, c, ctx.state, ctx.urls)),
        files: firstPage ? pull.files.slice(0, 300).map((f) => render.pullFile(repo, pull, f, ctx.urls)) : [],
      },
    };
  },
};

// ---------------------------------------------------------------------------
// Check runs

function checkAnnotations(value: unknown): AnnotationRecord[] {
  if (!Array.isArray(value)) return [];
  if (value.length > 50) throw invalidRequest(`No more than 50 items are allowed; ${value.length} were supplied.`);
  return value.map((raw: unknown) => {
    const a = raw as AnnotationRecord;
    if (a.end_line < a.start_line) throw invalidRequest('end_line must be greater than or equal to start_line.');
    if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) {
      throw invalidRequest('start_column and end_column may only be used when start_line and end_line are the same.');
    }
    if (Buffer.byteLength(String(a.message ?? ''), 'utf8') > 65536) throw invalidRequest('Annotation message is too long (maximum is 64 KB).');
    if (a.raw_details !== undefined && Buffer.byteLength(a.raw_details, 'utf8') > 65536) {
      throw invalidRequest('Annotation raw_details is too long (maximum is 64 KB).');
    }
    if (a.title !== undefined && [...a.title].length > 255) throw invalidRequest('Annotation title is too long (maximum is 255 characters).');
    return { ...a };
  });
}

function checkOutputText(output: Json): void {
  for (const field of ['summary', 'text'] as const) {
    const value = output[field];
    if (typeof value === 'string' && value.length > 65535) {
      throw invalidRequest(`For 'properties/${field}', ${JSON.stringify(value.slice(0, 20) + '…')} is too long (maximum is 65535 characters).`);
    }
  }
}

function applyCheckRun(run: CheckRunRecord, body: Json, creating: boolean): void {
  if (typeof body.name === 'string') run.name = body.name;
  if (typeof body.details_url === 'string') run.detailsUrl = body.details_url;
  if (typeof body.external_id === 'string') run.externalId = body.external_id;
  if (typeof body.started_at === 'string') run.startedAt = body.started_at;
  if (Array.isArray(body.actions)) run.actions = body.actions as CheckRunRecord['actions'];
  const status = typeof body.status === 'string' ? body.status : undefined;
  const conclusion = typeof body.conclusion === 'string' ? body.conclusion : undefined;
  if (status === 'completed' && conclusion === undefined && run.conclusion === null) {
    throw invalidRequest('conclusion is required when status is completed.');
  }
  if (conclusion !== undefined) {
    // Giving a conclusion completes the run, whatever status says.
    run.conclusion = conclusion;
    run.status = 'completed';
  } else if (status !== undefined) {
    run.status = status as CheckRunRecord['status'];
    if (status !== 'completed') run.conclusion = null;
  }
  if (run.status === 'completed') run.completedAt = typeof body.completed_at === 'string' ? body.completed_at : (run.completedAt ?? timestamp());
  if (creating && run.startedAt === null) run.startedAt = timestamp();
  if (isObject(body.output)) {
    checkOutputText(body.output);
    const annotations = checkAnnotations(body.output.annotations);
    if (typeof body.output.title === 'string') run.output.title = body.output.title;
    if (typeof body.output.summary === 'string') run.output.summary = body.output.summary;
    if (typeof body.output.text === 'string') run.output.text = body.output.text;
    // Annotations accumulate across updates, as on GitHub.
    run.annotations.push(...annotations);
  }
  run.history.push(structuredClone(body));
}

const createCheckRun: RouteHandler = {
  auth: 'installation',
  creates: true,
  handle(ctx) {
    const repo = repoOf(ctx);
    const body = bodyObject(ctx);
    const headSha = String(body.head_sha ?? '');
    if (!knowsCommit(repo, headSha)) {
      throw new HttpError(422, { message: `No commit found for SHA: ${headSha}`, documentation_url: `${DOCS}/checks/runs#create-a-check-run`, status: '422' });
    }
    const id = ctx.state.nextId();
    const run: CheckRunRecord = {
      id,
      nodeId: ctx.state.nodeIdFor('CR', id),
      name: String(body.name ?? ''),
      headSha,
      status: 'queued',
      conclusion: null,
      startedAt: null,
      completedAt: null,
      detailsUrl: null,
      externalId: null,
      output: { title: null, summary: null, text: null },
      annotations: [],
      actions: [],
      checkSuiteId: repo.checkSuiteFor(headSha, ctx.state.app.id),
      appId: ctx.state.app.id,
      history: [],
    };
    applyCheckRun(run, body, true);
    repo.checkRuns.push(run);
    return { status: 201, body: render.checkRun(repo, run, ctx.state, ctx.urls) };
  },
};

function checkRunOf(ctx: RouteContext, repo: RepoState): CheckRunRecord {
  const id = intParam(ctx, 'check_run_id');
  const run = repo.checkRuns.find((r) => r.id === id);
  if (!run) throw notFound();
  return run;
}

const updateCheckRun: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const run = checkRunOf(ctx, repo);
    // Validate on a copy so a refused update leaves the run untouched.
    const draft: CheckRunRecord = structuredClone(run);
    applyCheckRun(draft, bodyObject(ctx), false);
    Object.assign(run, draft);
    return { status: 200, body: render.checkRun(repo, run, ctx.state, ctx.urls) };
  },
};

const getCheckRun: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    return { status: 200, body: render.checkRun(repo, checkRunOf(ctx, repo), ctx.state, ctx.urls) };
  },
};

const listCheckRunAnnotations: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const run = checkRunOf(ctx, repo);
    return paged(ctx, run.annotations.map((_, i) => i), (i) => render.checkAnnotation(repo, run, i, ctx.urls));
  },
};

const listCheckRunsForRef: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    let runs = repo.checkRunsFor(ctx.params.ref ?? '');
    const name = ctx.query.get('check_name');
    const status = ctx.query.get('status');
    const appId = ctx.query.get('app_id');
    if (name) runs = runs.filter((r) => r.name === name);
    if (status) runs = runs.filter((r) => r.status === status);
    if (appId) runs = runs.filter((r) => r.appId === Number(appId));
    if ((ctx.query.get('filter') ?? 'latest') === 'latest') {
      // Only the most recent run of each name.
      const latest = new Map<string, CheckRunRecord>();
      for (const run of runs) latest.set(run.name, run);
      runs = [...latest.values()];
    }
    runs = [...runs].sort((a, b) => b.id - a.id);
    const page = paginate(ctx, runs);
    return {
      status: 200,
      body: { total_count: runs.length, check_runs: page.items.map((r) => render.checkRun(repo, r, ctx.state, ctx.urls)) },
      headers: page.headers,
    };
  },
};

// ---------------------------------------------------------------------------
// Reviews and review comments

interface CommentAnchor {
  path: string;
  subjectType: 'line' | 'file';
  line: number | null;
  side: DiffSide | null;
  startLine: number | null;
  startSide: DiffSide | null;
  position: number | null;
  diffHunk: string;
}

const LINE_NOT_IN_DIFF = 'Pull request review thread line must be part of the diff';
const HUNK_BLANK = "Pull request review thread diff hunk can't be blank";

/** Resolves where a review comment lands, or the messages GitHub gives when it cannot. */
function anchorComment(pull: PullRecord, comment: Json): { anchor?: CommentAnchor; errors: string[] } {
  const path = String(comment.path ?? '');
  const file = pull.files.find((f) => f.filename === path);
  if (!file) return { errors: ['Path could not be resolved'] };
  const base = { path, startLine: null, startSide: null, position: null };
  if (comment.subject_type === 'file') {
    return { anchor: { ...base, subjectType: 'file', line: null, side: null, diffHunk: file.patch?.split('\n')[0] ?? '' }, errors: [] };
  }
  if (file.patch === undefined) return { errors: [LINE_NOT_IN_DIFF, HUNK_BLANK] };
  const parsed = parsePatch(file.patch);
  const side = comment.side === 'LEFT' ? 'LEFT' : 'RIGHT';
  if (comment.side !== undefined && comment.side !== 'LEFT' && comment.side !== 'RIGHT') {
    return { errors: ['Pull request review thread side must be LEFT or RIGHT'] };
  }
  let target: PatchLine | undefined;
  let targetSide: DiffSide;
  let position: number | null = null;
  if (typeof comment.line === 'number') {
    target = findLine(parsed, comment.line, side);
    targetSide = side;
  } else if (typeof comment.position === 'number') {
    target = findPosition(parsed, comment.position);
    position = comment.position;
    targetSide = target?.kind === '-' ? 'LEFT' : 'RIGHT';
  } else {
    return { errors: [LINE_NOT_IN_DIFF, HUNK_BLANK] };
  }
  if (!target) return { errors: [LINE_NOT_IN_DIFF, HUNK_BLANK] };
  const line = targetSide === 'LEFT' ? (target.oldLine ?? null) : (target.newLine ?? null);
  let startLine: number | null = null;
  let startSide: DiffSide | null = null;
  if (typeof comment.start_line === 'number') {
    startSide = comment.start_side === 'LEFT' ? 'LEFT' : comment.start_side === 'RIGHT' ? 'RIGHT' : targetSide;
    const start = findLine(parsed, comment.start_line, startSide);
    if (!start) return { errors: ['Pull request review thread start line must be part of the diff', HUNK_BLANK] };
    if (start.position >= target.position) return { errors: ['Pull request review thread start line must precede the end line.'] };
    if (start.hunk !== target.hunk) return { errors: ['Pull request review thread start line must be part of the same hunk as the line.'] };
    startLine = comment.start_line;
  }
  return {
    anchor: {
      ...base,
      subjectType: 'line',
      line,
      side: targetSide,
      startLine,
      startSide,
      position: position ?? target.position,
      diffHunk: diffHunkFor(parsed, target),
    },
    errors: [],
  };
}

function checkBodyLength(body: string, resource: string): void {
  if (body.length > BODY_LIMIT) {
    throw validationFailed([{ resource, code: 'unprocessable', field: 'data', message: `Body is too long (maximum is ${BODY_LIMIT} characters)` }]);
  }
}

function actor(ctx: RouteContext): UserRecord {
  return ctx.state.botUser();
}

const REVIEW_DOCS = 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request';

const createReview: RouteHandler = {
  auth: 'installation',
  creates: true,
  handle(ctx) {
    const repo = repoOf(ctx);
    const pull = pullOf(ctx, repo);
    const body = bodyObject(ctx);
    const user = actor(ctx);
    const text = typeof body.body === 'string' ? body.body : '';
    checkBodyLength(text, 'PullRequestReview');
    const event = typeof body.event === 'string' ? body.event : undefined;
    const state: ReviewState =
      event === 'APPROVE' ? 'APPROVED' : event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : event === 'COMMENT' ? 'COMMENTED' : 'PENDING';
    const comments = Array.isArray(body.comments) ? body.comments.filter(isObject) : [];
    if (pull.user.login === user.login && (state === 'APPROVED' || state === 'CHANGES_REQUESTED')) {
      throw unprocessable([`Review Can not ${state === 'APPROVED' ? 'approve' : 'request changes on'} your own pull request`], REVIEW_DOCS);
    }
    if ((state === 'CHANGES_REQUESTED' || state === 'COMMENTED') && text === '' && comments.length === 0) {
      throw unprocessable([`Review Body is required when using ${event} event`], REVIEW_DOCS);
    }
    if (state === 'PENDING' && repo.reviews.some((r) => r.pullNumber === pull.number && r.state === 'PENDING' && r.user.login === user.login)) {
      throw unprocessable(['User can only have one pending review per pull request'], REVIEW_DOCS);
    }
    const commitId = typeof body.commit_id === 'string' ? body.commit_id : pull.head.sha;
    if (!pull.commits.some((c) => c.sha === commitId) && commitId !== pull.head.sha) {
      throw unprocessable(['Commit could not be resolved'], REVIEW_DOCS);
    }
    // All comments must anchor before anything is created: one bad line loses the whole review.
    const anchors: CommentAnchor[] = [];
    const errors: string[] = [];
    for (const comment of comments) {
      checkBodyLength(String(comment.body ?? ''), 'PullRequestReviewComment');
      const result = anchorComment(pull, comment);
      if (result.anchor) anchors.push(result.anchor);
      errors.push(...result.errors);
    }
    if (errors.length > 0) throw unprocessable(errors, REVIEW_DOCS);
    const review = repo.recordReview({
      pullNumber: pull.number,
      user,
      body: text,
      state,
      commitId,
      submittedAt: state === 'PENDING' ? null : timestamp(),
    });
    anchors.forEach((anchor, i) => {
      repo.recordReviewComment({
        ...anchor,
        pullNumber: pull.number,
        reviewId: review.id,
        user,
        body: String(comments[i]?.body ?? ''),
        commitId,
        inReplyToId: null,
      });
    });
    return { status: 200, body: render.review(repo, review, ctx.urls) };
  },
};

const submitReview: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const pull = pullOf(ctx, repo);
    const id = intParam(ctx, 'review_id');
    const review = repo.reviews.find((r) => r.id === id && r.pullNumber === pull.number);
    if (!review) throw notFound();
    if (review.state !== 'PENDING') throw unprocessable(['Can not submit a review that is not pending'], REVIEW_DOCS);
    const body = bodyObject(ctx);
    review.state = body.event === 'APPROVE' ? 'APPROVED' : body.event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : 'COMMENTED';
    if (typeof body.body === 'string') review.body = body.body;
    review.submittedAt = timestamp();
    return { status: 200, body: render.review(repo, review, ctx.urls) };
  },
};

const listReviews: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const pull = pullOf(ctx, repo);
    const reviews = repo.reviews.filter((r) => r.pullNumber === pull.number);
    return paged(ctx, reviews, (r) => render.review(repo, r, ctx.urls));
  },
};

const listReviewComments: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const pull = pullOf(ctx, repo);
    let comments = repo.reviewComments.filter((c) => c.pullNumber === pull.number);
    const since = ctx.query.get('since');
    if (since) comments = comments.filter((c) => c.updatedAt >= since);
    if (ctx.query.get('direction') === 'desc') comments = [...comments].reverse();
    return paged(ctx, comments, (c) => render.reviewComment(repo, c, ctx.urls));
  },
};

function reviewCommentOf(ctx: RouteContext, repo: RepoState): ReviewCommentRecord {
  const id = intParam(ctx, 'comment_id');
  const comment = repo.reviewComments.find((c) => c.id === id);
  if (!comment) throw notFound();
  return comment;
}

function replyTo(ctx: RouteContext, repo: RepoState, pull: PullRecord, parent: ReviewCommentRecord, text: string): RouteResult {
  checkBodyLength(text, 'PullRequestReviewComment');
  const user = actor(ctx);
  // Each reply is its own submitted review, as on GitHub; replies attach to the thread's first comment.
  const review = repo.recordReview({ pullNumber: pull.number, user, body: '', state: 'COMMENTED', commitId: pull.head.sha, submittedAt: timestamp() });
  const reply = repo.recordReviewComment({
    pullNumber: pull.number,
    reviewId: review.id,
    user,
    body: text,
    path: parent.path,
    subjectType: parent.subjectType,
    line: parent.line,
    side: parent.side,
    startLine: parent.startLine,
    startSide: parent.startSide,
    position: parent.position,
    diffHunk: parent.diffHunk,
    commitId: parent.commitId,
    inReplyToId: parent.inReplyToId ?? parent.id,
  });
  return { status: 201, body: render.reviewComment(repo, reply, ctx.urls) };
}

const createReviewCommentReply: RouteHandler = {
  auth: 'installation',
  creates: true,
  handle(ctx) {
    const repo = repoOf(ctx);
    const pull = pullOf(ctx, repo);
    const parent = reviewCommentOf(ctx, repo);
    if (parent.pullNumber !== pull.number) throw notFound();
    return replyTo(ctx, repo, pull, parent, String(bodyObject(ctx).body ?? ''));
  },
};

const createReviewComment: RouteHandler = {
  auth: 'installation',
  creates: true,
  handle(ctx) {
    const repo = repoOf(ctx);
    const pull = pullOf(ctx, repo);
    const body = bodyObject(ctx);
    const text = String(body.body ?? '');
    if (typeof body.in_reply_to === 'number') {
      const parent = repo.reviewComments.find((c) => c.id === body.in_reply_to && c.pullNumber === pull.number);
      if (!parent) throw notFound();
      return replyTo(ctx, repo, pull, parent, text);
    }
    checkBodyLength(text, 'PullRequestReviewComment');
    const commitId = String(body.commit_id ?? '');
    if (!pull.commits.some((c) => c.sha === commitId) && commitId !== pull.head.sha) {
      throw validationFailed([{ resource: 'PullRequestReviewComment', code: 'invalid', field: 'commit_id' }]);
    }
    const { anchor, errors } = anchorComment(pull, body);
    if (!anchor) {
      throw validationFailed(
        errors.map((message) => ({
          resource: 'PullRequestReviewComment',
          code: 'custom',
          field: 'pull_request_review_thread',
          message: message.replace(/^Pull request review thread /, 'pull_request_review_thread.').replace(/^Path /, 'path '),
        })),
      );
    }
    const user = actor(ctx);
    const review = repo.recordReview({ pullNumber: pull.number, user, body: '', state: 'COMMENTED', commitId, submittedAt: timestamp() });
    const comment = repo.recordReviewComment({ ...anchor, pullNumber: pull.number, reviewId: review.id, user, body: text, commitId, inReplyToId: null });
    return { status: 201, body: render.reviewComment(repo, comment, ctx.urls) };
  },
};

const getReviewComment: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    return { status: 200, body: render.reviewComment(repo, reviewCommentOf(ctx, repo), ctx.urls) };
  },
};

const updateReviewComment: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const comment = reviewCommentOf(ctx, repo);
    const text = String(bodyObject(ctx).body ?? '');
    checkBodyLength(text, 'PullRequestReviewComment');
    comment.body = text;
    comment.updatedAt = timestamp();
    return { status: 200, body: render.reviewComment(repo, comment, ctx.urls) };
  },
};

const deleteReviewComment: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const comment = reviewCommentOf(ctx, repo);
    repo.reviewComments.splice(repo.reviewComments.indexOf(comment), 1);
    return { status: 204 };
  },
};

// ---------------------------------------------------------------------------
// Issue comments and labels

function issueNumberOf(ctx: RouteContext, repo: RepoState): number {
  const number = intParam(ctx, 'issue_number');
  if (!repo.pulls.has(number) && !repo.issueLabels.has(number)) throw notFound();
  return number;
}

const listIssueComments: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const number = issueNumberOf(ctx, repo);
    const since = ctx.query.get('since');
    const comments = repo.issueComments.filter((c) => c.issueNumber === number && (!since || c.updatedAt >= since));
    return paged(ctx, comments, (c) => render.issueComment(repo, c, ctx.state, ctx.urls));
  },
};

const createIssueComment: RouteHandler = {
  auth: 'installation',
  creates: true,
  handle(ctx) {
    const repo = repoOf(ctx);
    const number = issueNumberOf(ctx, repo);
    const text = String(bodyObject(ctx).body ?? '');
    checkBodyLength(text, 'IssueComment');
    const comment = repo.addIssueComment(number, text, actor(ctx));
    return { status: 201, body: render.issueComment(repo, comment, ctx.state, ctx.urls) };
  },
};

function issueCommentOf(ctx: RouteContext, repo: RepoState) {
  const id = intParam(ctx, 'comment_id');
  const comment = repo.issueComments.find((c) => c.id === id);
  if (!comment) throw notFound();
  return comment;
}

const getIssueComment: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    return { status: 200, body: render.issueComment(repo, issueCommentOf(ctx, repo), ctx.state, ctx.urls) };
  },
};

const updateIssueComment: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const comment = issueCommentOf(ctx, repo);
    const text = String(bodyObject(ctx).body ?? '');
    checkBodyLength(text, 'IssueComment');
    repo.editIssueComment(comment.id, text, actor(ctx));
    return { status: 200, body: render.issueComment(repo, comment, ctx.state, ctx.urls) };
  },
};

const deleteIssueComment: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const comment = issueCommentOf(ctx, repo);
    repo.issueComments.splice(repo.issueComments.indexOf(comment), 1);
    return { status: 204 };
  },
};

function labelNames(body: unknown): string[] {
  const list = isObject(body) ? body.labels : body;
  const items = Array.isArray(list) ? list : typeof list === 'string' ? [list] : [];
  return items.map((item: unknown) => (isObject(item) ? String(item.name ?? '') : String(item))).filter((n) => n !== '');
}

function issueLabelsResult(ctx: RouteContext, repo: RepoState, number: number): RouteResult {
  return { status: 200, body: repo.labelsOf(number).map((l) => render.label(repo, l, ctx.urls)) };
}

const listIssueLabels: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const number = issueNumberOf(ctx, repo);
    return paged(ctx, repo.labelsOf(number), (l) => render.label(repo, l, ctx.urls));
  },
};

const addIssueLabels: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const number = issueNumberOf(ctx, repo);
    for (const name of labelNames(ctx.body)) repo.addLabel(number, name);
    return issueLabelsResult(ctx, repo, number);
  },
};

const setIssueLabels: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const number = issueNumberOf(ctx, repo);
    repo.issueLabels.set(number, []);
    for (const name of labelNames(ctx.body)) repo.addLabel(number, name);
    return issueLabelsResult(ctx, repo, number);
  },
};

const removeIssueLabel: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const number = issueNumberOf(ctx, repo);
    const name = (ctx.params.name ?? '').toLowerCase();
    const current = repo.issueLabels.get(number) ?? [];
    const index = current.findIndex((n) => n.toLowerCase() === name);
    if (index < 0) throw new HttpError(404, { message: 'Label does not exist', documentation_url: DOCS, status: '404' });
    current.splice(index, 1);
    return issueLabelsResult(ctx, repo, number);
  },
};

const getLabel: RouteHandler = {
  auth: 'installation',
  handle(ctx) {
    const repo = repoOf(ctx);
    const record = repo.labels.get((ctx.params.name ?? '').toLowerCase());
    if (!record) throw notFound();
    return { status: 200, body: render.label(repo, record, ctx.urls) };
  },
};

const createLabel: RouteHandler = {
  auth: 'installation',
  creates: true,
  handle(ctx) {
    const repo = repoOf(ctx);
    const body = bodyObject(ctx);
    const name = String(body.name ?? '');
    if (repo.labels.has(name.toLowerCase())) {
      throw validationFailed([{ resource: 'Label', code: 'already_exists', field: 'name' }]);
    }
    const record = repo.ensureLabel(
      name,
      typeof body.color === 'string' ? body.color.replace(/^#/, '') : 'ededed',
      typeof body.description === 'string' ? body.description : null,
    );
    return { status: 201, body: render.label(repo, record, ctx.urls) };
  },
};

// ---------------------------------------------------------------------------
// Everything else

const handlers: Record<string, RouteHandler> = {
  'apps/get-authenticated': { auth: 'app', handle: (ctx) => ({ status: 200, body: render.integration(ctx.state, ctx.urls) }) },
  'apps/create-installation-access-token': createInstallationToken,
  'apps/get-installation': {
    auth: 'app',
    handle(ctx) {
      const id = intParam(ctx, 'installation_id');
      if (!installationIds(ctx.state).has(id)) throw notFound();
      const repo = [...ctx.state.repos.values()].find((r) => r.installationId === id);
      return { status: 200, body: render.installation(ctx.state, repo, id, ctx.urls) };
    },
  },
  'apps/get-repo-installation': {
    auth: 'app',
    handle(ctx) {
      const repo = repoOf(ctx);
      return { status: 200, body: render.installation(ctx.state, repo, repo.installationId, ctx.urls) };
    },
  },
  'apps/list-installations': {
    auth: 'app',
    handle(ctx) {
      const ids = [...installationIds(ctx.state)].sort((a, b) => a - b);
      const repos = [...ctx.state.repos.values()];
      return paged(ctx, ids, (id) => {
        const installation = render.installation(ctx.state, repos.find((r) => r.installationId === id), id, ctx.urls);
        // GitHub's description of this list requires the account to be a user and an enterprise at once
        // (allOf), so the account carries the enterprise's required fields too.
        const account = installation.account as Json;
        return { ...installation, account: { ...account, name: account.login, slug: account.login, created_at: render.FIXED_DATE, updated_at: render.FIXED_DATE } };
      });
    },
  },
  'apps/list-repos-accessible-to-installation': {
    auth: 'installation',
    handle(ctx) {
      const auth = ctx.auth as Extract<AuthInfo, { kind: 'installation' }>;
      const repos = [...ctx.state.repos.values()].filter(
        (r) => r.installationId === auth.installationId && (!auth.repositories || auth.repositories.has(r.name.toLowerCase())),
      );
      const page = paginate(ctx, repos);
      return { status: 200, body: { total_count: repos.length, repositories: page.items.map((r) => render.repository(r, ctx.urls)) }, headers: page.headers };
    },
  },
  'repos/get': { auth: 'installation', handle: (ctx) => ({ status: 200, body: render.repository(repoOf(ctx), ctx.urls) }) },
  'repos/get-content': getContent,
  'git/get-blob': getBlob,
  'git/get-ref': getGitRef,
  'git/get-tag': getGitTag,
  'repos/get-collaborator-permission-level': {
    auth: 'installation',
    handle(ctx) {
      const repo = repoOf(ctx);
      const login = ctx.params.username ?? '';
      const level = repo.permissionOf(login);
      return { status: 200, body: render.collaboratorPermission(ctx.state.user(login), level, ctx.urls) };
    },
  },
  'pulls/get': getPull,
  'pulls/list': listPulls,
  'pulls/list-files': listPullFiles,
  'pulls/list-commits': listPullCommits,
  'repos/compare-commits-with-basehead': compareCommits,
  'repos/compare-commits': compareCommits,
  'checks/create': createCheckRun,
  'checks/update': updateCheckRun,
  'checks/get': getCheckRun,
  'checks/list-annotations': listCheckRunAnnotations,
  'checks/list-for-ref': listCheckRunsForRef,
  'pulls/create-review': createReview,
  'pulls/submit-review': submitReview,
  'pulls/list-reviews': listReviews,
  'pulls/list-review-comments': listReviewComments,
  'pulls/create-review-comment': createReviewComment,
  'pulls/create-reply-for-review-comment': createReviewCommentReply,
  'pulls/get-review-comment': getReviewComment,
  'pulls/update-review-comment': updateReviewComment,
  'pulls/delete-review-comment': deleteReviewComment,
  'issues/list-comments': listIssueComments,
  'issues/create-comment': createIssueComment,
  'issues/get-comment': getIssueComment,
  'issues/update-comment': updateIssueComment,
  'issues/delete-comment': deleteIssueComment,
  'issues/list-labels-on-issue': listIssueLabels,
  'issues/add-labels': addIssueLabels,
  'issues/set-labels': setIssueLabels,
  'issues/remove-label': removeIssueLabel,
  'issues/get-label': getLabel,
  'issues/create-label': createLabel,
};

export function handlerFor(operationId: string): RouteHandler | undefined {
  return handlers[operationId];
}

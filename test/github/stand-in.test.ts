import { createHmac, generateKeyPairSync, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Octokit } from '@octokit/rest';
import { createNodeMiddleware, createProbot, ProbotOctokit } from 'probot';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { latestCheckRun, OWN_CHECK_RUNS_SELECTION, OWN_CHECK_RUNS_VARIABLES, ownCheckRunOf, ownCheckRunsVariables } from '../../src/github/check-runs.js';
import type { GitHub } from '../../src/github/octokit.js';
import { loadOpenApi, matchOperation, validateRequest, validateResponse } from './stand-in/openapi.js';
import { startStandIn, type StandIn } from './stand-in/server.js';
import type { PullFileInput, RepoState } from './stand-in/state.js';
import { adaptPayload, deliverWebhook, loadExamplePayload, signPayload, targetForPullRequest } from './webhooks.js';

const OWNER = 'acme';
const REPO = 'widgets';

const BASE_APP = ['export function add(a, b) {', '  return a + b;', '}', '', 'export const name = "widgets";', ''].join('\n');
const HEAD_APP = ['export function add(a, b) {', '  return a + b;', '}', '', 'export function run(cmd) {', '  return exec(cmd);', '}', '', 'export const name = "widgets";', ''].join('\n');

function fakeJwt(appId: number, claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iat: now - 30, exp: now + 540, iss: String(appId), ...claims })}.c2lnbmF0dXJl`;
}

function octokitFor(standIn: StandIn, auth?: string): Octokit {
  return new Octokit({ baseUrl: standIn.apiUrl, ...(auth ? { auth } : {}), log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } });
}

async function statusOf(promise: Promise<unknown>): Promise<{ status: number; message: string; headers: Record<string, string>; data: unknown }> {
  try {
    await promise;
    return { status: 200, message: '', headers: {}, data: undefined };
  } catch (error) {
    const e = error as { status?: number; message?: string; response?: { headers?: Record<string, string>; data?: unknown } };
    return { status: e.status ?? -1, message: e.message ?? '', headers: e.response?.headers ?? {}, data: e.response?.data };
  }
}

function manyFiles(count: number): PullFileInput[] {
  return Array.from({ length: count }, (_, i) => ({ filename: `src/generated/file-${String(i).padStart(4, '0')}.ts`, patch: '@@ -0,0 +1 @@\n+export {};', status: 'added' as const }));
}

beforeAll(() => {
  loadOpenApi();
});

describe('OpenAPI matching and validation', () => {
  it('matches templated routes, preferring literal segments, with or without the /api/v3 prefix', () => {
    expect(matchOperation('GET', '/api/v3/repos/o/r/pulls/comments')?.operationId).toBe('pulls/list-review-comments-for-repo');
    expect(matchOperation('GET', '/repos/o/r/pulls/12')).toMatchObject({ operationId: 'pulls/get', pathParams: { owner: 'o', repo: 'r', pull_number: '12' } });
    expect(matchOperation('PATCH', '/api/v3/repos/o/r/check-runs/7')?.operationId).toBe('checks/update');
    expect(matchOperation('GET', '/repos/o/r/contents/.github%2Fairlock.yml')?.pathParams.path).toBe('.github/airlock.yml');
    expect(matchOperation('GET', '/repos/o/r/contents/.github/airlock.yml')?.pathParams.path).toBe('.github/airlock.yml');
    expect(matchOperation('GET', '/repos/o/r/commits/feature%2Fx/check-runs')?.pathParams.ref).toBe('feature/x');
    expect(matchOperation('GET', '/repos/o/r/no-such-thing')).toBeNull();
    expect(matchOperation('PUT', '/repos/o/r/check-runs')).toBeNull();
  });

  it('accepts valid requests and reports invalid bodies, queries and path parameters', () => {
    const valid = validateRequest({ method: 'POST', path: '/repos/o/r/check-runs', body: { name: 'Airlock', head_sha: 'abc', status: 'in_progress' } });
    expect(valid).toMatchObject({ operationId: 'checks/create', ok: true, errors: [] });

    const bogus = validateRequest({ method: 'POST', path: '/repos/o/r/check-runs', body: { name: 'Airlock', head_sha: 'abc', conclusion: 'bogus' } });
    expect(bogus.ok).toBe(false);
    expect(bogus.errors.join('\n')).toContain('body/conclusion must be equal to one of the allowed values');

    const noPath = validateRequest({
      method: 'PATCH',
      path: '/repos/o/r/check-runs/1',
      body: { output: { summary: 's', annotations: [{ start_line: 1, end_line: 1, annotation_level: 'failure', message: 'm' }] } },
    });
    expect(noPath.errors).toEqual(["body/output/annotations/0 must have required property 'path'"]);

    const nullable = validateRequest({ method: 'POST', path: '/repos/o/r/issues/1/comments', body: { body: null } });
    expect(nullable.ok).toBe(false);

    const query = validateRequest({ method: 'GET', path: '/repos/o/r/pulls/1/files', query: new URLSearchParams('per_page=many&colour=red') });
    expect(query.errors).toEqual(["query parameter 'colour' is not documented", "query parameter 'per_page' must be integer"]);

    expect(validateRequest({ method: 'GET', path: '/repos/o/r/pulls/one' }).errors).toEqual(["path parameter 'pull_number' must be integer"]);
    expect(validateRequest({ method: 'GET', path: '/repos/o/r/pulls/1/files', query: { per_page: '100', page: '3' } }).ok).toBe(true);
  });

  it('checks responses against the documented schema, treating nullable enums as GitHub does', () => {
    expect(validateResponse('checks/get', 200, { id: 1 }).errors[0]).toContain("must have required property 'node_id'");
    expect(validateResponse('checks/get', 201, {}).errors).toEqual(['status 201 is not documented for checks/get']);
    expect(validateResponse('issues/delete-comment', 204, undefined).ok).toBe(true);
  });

  it('validates a request well under a millisecond once warm', () => {
    const request = { method: 'POST', path: '/api/v3/repos/o/r/check-runs', body: { name: 'Airlock', head_sha: 'abc', status: 'in_progress' } };
    validateRequest(request);
    const rounds = 2000;
    const started = performance.now();
    for (let i = 0; i < rounds; i++) validateRequest(request);
    expect((performance.now() - started) / rounds).toBeLessThan(1);
  });
});

describe('GitHub stand-in server', () => {
  let standIn: StandIn;
  let repo: RepoState;
  let octokit: Octokit;

  beforeEach(async () => {
    standIn = await startStandIn();
    repo = standIn.state.addRepo({ owner: OWNER, name: REPO, ownerType: 'Organization' });
    repo.setContent('main', '.github/airlock.yml', 'failOn: high\n');
    repo.addPullRequest({
      number: 7,
      title: 'Add a runner',
      body: 'Generated with an agent',
      user: 'Copilot',
      labels: ['ai'],
      head: { ref: 'copilot/runner' },
      files: [
        { filename: 'src/app.js', baseContent: BASE_APP, content: HEAD_APP },
        { filename: 'assets/big.min.js', status: 'added', additions: 90000, deletions: 0 },
      ],
      commits: [
        { message: 'Initial plan', author: { name: 'copilot-swe-agent[bot]', email: '198982749+Copilot@users.noreply.github.com' }, authorLogin: 'Copilot' },
        { message: 'Add runner', authorLogin: null },
      ],
    });
    octokit = octokitFor(standIn, standIn.installationToken());
  });

  afterEach(async () => {
    await standIn.close();
  });

  it('exchanges an app JWT for an installation token, then requires that token on repository routes', async () => {
    const app = octokitFor(standIn, fakeJwt(standIn.state.app.id));
    const { data: installation } = await app.apps.getRepoInstallation({ owner: OWNER, repo: REPO });
    expect(installation.id).toBe(standIn.state.app.installationId);
    const { data: me } = await app.apps.getAuthenticated();
    expect(me?.slug).toBe('airlock');
    const { data: token, status } = await app.apps.createInstallationAccessToken({ installation_id: installation.id });
    expect(status).toBe(201);
    expect(token.token).toMatch(/^ghs_/);
    expect(Date.parse(token.expires_at) - Date.now()).toBeGreaterThan(59 * 60_000);

    const viaToken = octokitFor(standIn, token.token);
    expect((await viaToken.repos.get({ owner: OWNER, repo: REPO })).data.full_name).toBe(`${OWNER}/${REPO}`);
    expect((await statusOf(octokitFor(standIn).repos.get({ owner: OWNER, repo: REPO }))).status).toBe(401);
    expect((await statusOf(app.repos.get({ owner: OWNER, repo: REPO }))).status).toBe(401);
    expect((await statusOf(viaToken.apps.getAuthenticated())).status).toBe(401);
    expect((await statusOf(octokitFor(standIn, fakeJwt(999)).apps.getAuthenticated())).status).toBe(401);
    expect((await statusOf(octokitFor(standIn, fakeJwt(1, { exp: Math.floor(Date.now() / 1000) + 3600 })).apps.getAuthenticated())).status).toBe(401);
    const missing = await statusOf(app.apps.createInstallationAccessToken({ installation_id: 4242 }));
    expect(missing.status).toBe(404);

    standIn.state.expireTokens();
    const expired = await statusOf(viaToken.repos.get({ owner: OWNER, repo: REPO }));
    expect(expired).toMatchObject({ status: 401, message: expect.stringContaining('Bad credentials') });
    expect(standIn.violations).toEqual([]);
  });

  it('serves pull request data in GitHub’s documented shapes', async () => {
    const pull = (await octokit.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 })).data;
    expect(pull).toMatchObject({ number: 7, title: 'Add a runner', user: { login: 'Copilot', type: 'User' }, head: { ref: 'copilot/runner' }, base: { ref: 'main' } });
    expect(pull.labels.map((l) => l.name)).toEqual(['ai']);

    const files = (await octokit.pulls.listFiles({ owner: OWNER, repo: REPO, pull_number: 7 })).data;
    expect(files.map((f) => [f.filename, f.status, f.additions, f.deletions])).toEqual([
      ['src/app.js', 'modified', 4, 0],
      ['assets/big.min.js', 'added', 90000, 0],
    ]);
    expect(files[0]?.patch).toContain('+export function run(cmd) {');
    expect(files[1]).not.toHaveProperty('patch');

    const commits = (await octokit.pulls.listCommits({ owner: OWNER, repo: REPO, pull_number: 7 })).data;
    expect(commits.map((c) => [c.commit.message, c.author?.login ?? null])).toEqual([
      ['Initial plan', 'Copilot'],
      ['Add runner', null],
    ]);
    expect(commits[1]?.sha).toBe(pull.head.sha);

    const head = await octokit.repos.getContent({ owner: OWNER, repo: REPO, path: 'src/app.js', ref: pull.head.sha });
    const file = head.data as { content: string; encoding: string; sha: string };
    expect(Buffer.from(file.content, 'base64').toString('utf8')).toBe(HEAD_APP);
    expect(file.sha).toBe(files[0]?.sha);
    const blob = await octokit.git.getBlob({ owner: OWNER, repo: REPO, file_sha: file.sha });
    expect(Buffer.from(blob.data.content, 'base64').toString('utf8')).toBe(HEAD_APP);
    const base = await octokit.repos.getContent({ owner: OWNER, repo: REPO, path: 'src/app.js', ref: pull.base.sha });
    expect(Buffer.from((base.data as { content: string }).content, 'base64').toString('utf8')).toBe(BASE_APP);
    expect((await statusOf(octokit.repos.getContent({ owner: OWNER, repo: REPO, path: 'missing.txt' }))).status).toBe(404);
    const dir = await octokit.repos.getContent({ owner: OWNER, repo: REPO, path: '.github' });
    expect((dir.data as { name: string }[]).map((e) => e.name)).toEqual(['airlock.yml']);

    // Probot reads its config with the raw media type and expects plain text.
    const raw = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: OWNER, repo: REPO, path: '.github/airlock.yml', mediaType: { format: 'raw' } });
    expect(raw.data).toBe('failOn: high\n');
    expect(raw.headers['content-type']).not.toContain('application/json');

    expect((await octokit.repos.getCollaboratorPermissionLevel({ owner: OWNER, repo: REPO, username: 'mallory' })).data.permission).toBe('none');
    repo.setPermission('maintainer-mo', 'maintain');
    const mo = (await octokit.repos.getCollaboratorPermissionLevel({ owner: OWNER, repo: REPO, username: 'maintainer-mo' })).data;
    expect([mo.permission, mo.role_name, mo.user?.permissions?.push, mo.user?.permissions?.admin]).toEqual(['write', 'maintain', true, false]);

    expect(standIn.requests.every((r) => r.path.startsWith('/api/v3/'))).toBe(true);
    expect(standIn.violations).toEqual([]);
  });

  it('answers every other served operation in its documented shape', async () => {
    const app = octokitFor(standIn, fakeJwt(standIn.state.app.id));
    expect((await app.apps.getInstallation({ installation_id: 1 })).data.account).toMatchObject({ login: OWNER, type: 'Organization' });
    expect((await octokit.pulls.list({ owner: OWNER, repo: REPO, state: 'all' })).data.map((p) => p.number)).toEqual([7]);
    const sha = repo.pulls.get(7)!.head.sha;

    const pending = await octokit.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7 });
    expect(pending.data.state).toBe('PENDING');
    expect((await statusOf(octokit.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7 }))).status).toBe(422);
    const submitted = await octokit.pulls.submitReview({ owner: OWNER, repo: REPO, pull_number: 7, review_id: pending.data.id, event: 'COMMENT', body: 'Done' });
    expect(submitted.data).toMatchObject({ state: 'COMMENTED', body: 'Done' });

    const single = await octokit.pulls.createReviewComment({ owner: OWNER, repo: REPO, pull_number: 7, commit_id: sha, path: 'src/app.js', line: 5, body: 'Here' });
    expect(single.data).toMatchObject({ line: 5, side: 'RIGHT', subject_type: 'line' });
    const fileLevel = await octokit.pulls.createReviewComment({ owner: OWNER, repo: REPO, pull_number: 7, commit_id: sha, path: 'assets/big.min.js', subject_type: 'file', body: 'Minified' });
    expect(fileLevel.data.subject_type).toBe('file');
    const offDiff = await statusOf(octokit.pulls.createReviewComment({ owner: OWNER, repo: REPO, pull_number: 7, commit_id: sha, path: 'src/app.js', line: 1, body: 'x' }));
    expect(offDiff).toMatchObject({ status: 422, message: expect.stringContaining('pull_request_review_thread.line must be part of the diff') });
    // GitHub's description requires commit_id and path even for replies.
    const reply = await octokit.pulls.createReviewComment({ owner: OWNER, repo: REPO, pull_number: 7, commit_id: sha, path: 'src/app.js', in_reply_to: single.data.id, body: 'Reply' });
    expect(reply.data.in_reply_to_id).toBe(single.data.id);
    expect((await octokit.pulls.getReviewComment({ owner: OWNER, repo: REPO, comment_id: single.data.id })).data.body).toBe('Here');
    expect((await octokit.pulls.deleteReviewComment({ owner: OWNER, repo: REPO, comment_id: fileLevel.data.id })).status).toBe(204);

    const comment = await octokit.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 7, body: 'x' });
    expect((await octokit.issues.getComment({ owner: OWNER, repo: REPO, comment_id: comment.data.id })).data.body).toBe('x');
    expect((await octokit.issues.deleteComment({ owner: OWNER, repo: REPO, comment_id: comment.data.id })).status).toBe(204);
    expect((await statusOf(octokit.issues.getComment({ owner: OWNER, repo: REPO, comment_id: comment.data.id }))).status).toBe(404);

    expect((await octokit.issues.createLabel({ owner: OWNER, repo: REPO, name: 'airlock:review', color: 'b60205' })).status).toBe(201);
    expect((await statusOf(octokit.issues.createLabel({ owner: OWNER, repo: REPO, name: 'Airlock:Review' }))).status).toBe(422);
    expect((await octokit.issues.getLabel({ owner: OWNER, repo: REPO, name: 'airlock:review' })).data.color).toBe('b60205');
    const set = await octokit.issues.setLabels({ owner: OWNER, repo: REPO, issue_number: 7, labels: ['airlock:review'] });
    expect(set.data.map((l) => l.name)).toEqual(['airlock:review']);

    const run = await octokit.checks.create({ owner: OWNER, repo: REPO, name: 'Airlock', head_sha: sha, conclusion: 'neutral', output: { title: 'Skipped', summary: 'Not AI-authored' } });
    expect(run.data).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect((await octokit.checks.get({ owner: OWNER, repo: REPO, check_run_id: run.data.id })).data.output.title).toBe('Skipped');
    expect((await statusOf(octokit.checks.create({ owner: OWNER, repo: REPO, name: 'Airlock', head_sha: sha, status: 'completed' }))).status).toBe(422);
    expect(standIn.violations).toEqual([]);
  });

  it('models fork pull requests and tokens narrowed to some repositories', async () => {
    standIn.state.addRepo({ owner: OWNER, name: 'other' });
    const fork = standIn.state.addRepo({ owner: 'mallory', name: REPO, parent: `${OWNER}/${REPO}` });
    const pull = repo.addPullRequest({ number: 20, user: 'mallory', head: { repo: fork.fullName, ref: 'main' }, files: [{ filename: 'x.js', content: 'evil()\n' }] });
    const data = (await octokit.pulls.get({ owner: OWNER, repo: REPO, pull_number: 20 })).data;
    expect(data.head.repo?.fork).toBe(true);
    expect(data.head.label).toBe('mallory:main');
    expect(data.author_association).toBe('NONE');
    // The fork's head commit is readable from the base repository, as on GitHub.
    const content = await octokit.repos.getContent({ owner: OWNER, repo: REPO, path: 'x.js', ref: pull.head.sha });
    expect(Buffer.from((content.data as { content: string }).content, 'base64').toString()).toBe('evil()\n');
    const run = await octokit.checks.create({ owner: OWNER, repo: REPO, name: 'Airlock', head_sha: pull.head.sha, status: 'queued' });
    expect(run.data.pull_requests).toEqual([]);

    const app = octokitFor(standIn, fakeJwt(1));
    const narrowed = await app.apps.createInstallationAccessToken({ installation_id: 1, repositories: [REPO] });
    expect(narrowed.data.repository_selection).toBe('selected');
    const limited = octokitFor(standIn, narrowed.data.token);
    expect((await limited.repos.get({ owner: OWNER, repo: REPO })).status).toBe(200);
    expect((await statusOf(limited.repos.get({ owner: OWNER, repo: 'other' }))).status).toBe(404);
    expect(standIn.violations).toEqual([]);
  });

  it('serves the diff media type, and answers 406 past 300 files like GitHub', async () => {
    const diff = await octokit.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7, mediaType: { format: 'diff' } });
    expect(String(diff.data)).toContain('diff --git a/src/app.js b/src/app.js');
    repo.addPullRequest({ number: 8, files: manyFiles(301) });
    const tooLarge = await statusOf(octokit.pulls.get({ owner: OWNER, repo: REPO, pull_number: 8, mediaType: { format: 'diff' } }));
    expect(tooLarge.status).toBe(406);
    expect(tooLarge.message).toContain('maximum number of files (300)');
    expect(standIn.violations).toEqual([]);
  });

  it('paginates with GitHub’s Link header and stops listing files at 3,000', async () => {
    repo.addPullRequest({ number: 9, files: manyFiles(3050) });
    const first = await octokit.pulls.listFiles({ owner: OWNER, repo: REPO, pull_number: 9, per_page: 100 });
    expect(first.data).toHaveLength(100);
    expect(first.headers.link).toBe(
      `<${standIn.apiUrl}/repos/${OWNER}/${REPO}/pulls/9/files?per_page=100&page=2>; rel="next", <${standIn.apiUrl}/repos/${OWNER}/${REPO}/pulls/9/files?per_page=100&page=30>; rel="last"`,
    );
    const last = await octokit.pulls.listFiles({ owner: OWNER, repo: REPO, pull_number: 9, per_page: 100, page: 30 });
    expect(last.data.at(-1)?.filename).toBe('src/generated/file-2999.ts');
    expect(last.headers.link).toContain('page=29>; rel="prev"');
    expect(last.headers.link).toContain('page=1>; rel="first"');
    expect(last.headers.link).not.toContain('rel="next"');
    const beyond = await octokit.pulls.listFiles({ owner: OWNER, repo: REPO, pull_number: 9, per_page: 100, page: 31 });
    expect(beyond.data).toEqual([]);

    const all = await octokit.paginate(octokit.pulls.listFiles, { owner: OWNER, repo: REPO, pull_number: 9, per_page: 100 });
    expect(all).toHaveLength(3000);
    expect(standIn.requestsFor('pulls/list-files').length).toBe(3 + 30);

    const defaults = await octokit.pulls.listFiles({ owner: OWNER, repo: REPO, pull_number: 9 });
    expect(defaults.data).toHaveLength(30);
    expect(defaults.headers.link).toContain('page=100>; rel="last"');
    const capped = await octokit.pulls.listFiles({ owner: OWNER, repo: REPO, pull_number: 9, per_page: 250 });
    expect(capped.data).toHaveLength(100);
    expect(standIn.violations).toEqual([]);
  });

  it('creates and updates check runs, accumulating annotations and enforcing GitHub’s limits', async () => {
    const sha = repo.pulls.get(7)!.head.sha;
    const created = await octokit.checks.create({ owner: OWNER, repo: REPO, name: 'Airlock', head_sha: sha, status: 'in_progress' });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ status: 'in_progress', conclusion: null, pull_requests: [{ number: 7 }] });

    const annotation = (line: number) => ({ path: 'src/app.js', start_line: line, end_line: line, annotation_level: 'failure' as const, message: `finding ${line}` });
    const batch = (from: number) => Array.from({ length: 50 }, (_, i) => annotation(from + i));
    const update = (output: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      octokit.checks.update({ owner: OWNER, repo: REPO, check_run_id: created.data.id, output: { title: 'Airlock', summary: 'Reviewing', ...output }, ...extra });
    await update({ annotations: batch(1) });
    const done = await update({ summary: 'Blocked', annotations: batch(51) }, { status: 'completed', conclusion: 'failure' });
    expect(done.data).toMatchObject({ status: 'completed', conclusion: 'failure', output: { summary: 'Blocked', annotations_count: 100 } });
    const stored = repo.checkRuns[0]!;
    expect(stored.annotations.map((a) => a.start_line)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(stored.history).toHaveLength(3);

    const listed = await octokit.checks.listForRef({ owner: OWNER, repo: REPO, ref: sha, check_name: 'Airlock' });
    expect(listed.data.total_count).toBe(1);
    expect((await octokit.checks.listForRef({ owner: OWNER, repo: REPO, ref: 'copilot/runner' })).data.check_runs[0]?.id).toBe(created.data.id);
    expect((await octokit.checks.listAnnotations({ owner: OWNER, repo: REPO, check_run_id: created.data.id, per_page: 100 })).data).toHaveLength(100);
    expect(standIn.violations).toEqual([]);

    const tooMany = await statusOf(update({ annotations: [...batch(1), annotation(51)] }));
    expect(tooMany.status).toBe(422);
    expect(tooMany.message).toContain('No more than 50 items are allowed; 51 were supplied.');
    const tooLong = await statusOf(update({ summary: 'x'.repeat(65536) }));
    expect(tooLong.status).toBe(422);
    expect(stored.annotations).toHaveLength(100);
    expect(standIn.violations.map((v) => v.kind)).toEqual(['request', 'request']);

    const unknownSha = await statusOf(octokit.checks.create({ owner: OWNER, repo: REPO, name: 'Airlock', head_sha: 'f'.repeat(40) }));
    expect(unknownSha).toMatchObject({ status: 422, message: expect.stringContaining('No commit found for SHA') });
  });

  it('records an invalid check run body as a violation and refuses it', async () => {
    const sha = repo.pulls.get(7)!.head.sha;
    // Plain request options: the typed methods would not let these invalid bodies compile.
    const post = (body: Record<string, unknown>) =>
      statusOf(octokit.request({ method: 'POST', url: '/repos/{owner}/{repo}/check-runs', owner: OWNER, repo: REPO, ...body }));
    const bogus = await post({ name: 'Airlock', head_sha: sha, conclusion: 'bogus' });
    expect(bogus.status).toBe(422);
    const noPath = await post({
      name: 'Airlock',
      head_sha: sha,
      output: { title: 't', summary: 's', annotations: [{ start_line: 1, end_line: 1, annotation_level: 'warning', message: 'm' }] },
    });
    expect(noPath.status).toBe(422);
    expect(standIn.violations).toMatchObject([
      { kind: 'request', method: 'POST', operationId: 'checks/create', errors: [expect.stringContaining('body/conclusion must be equal to one of the allowed values')] },
      { kind: 'request', operationId: 'checks/create', errors: ["body/output/annotations/0 must have required property 'path'"] },
    ]);
    expect(repo.checkRuns).toEqual([]);

    const unknown = await statusOf(octokit.request('GET /repos/{owner}/{repo}/not-a-route', { owner: OWNER, repo: REPO }));
    expect(unknown.status).toBe(404);
    expect(standIn.violations.at(-1)).toMatchObject({ kind: 'request', operationId: null });
  });

  it('refuses a whole review when one comment is off the diff, exactly as GitHub does', async () => {
    const review = (comments: Record<string, unknown>[]) =>
      octokit.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7, event: 'COMMENT', body: 'Airlock review', comments: comments as never });
    const offDiff = await statusOf(review([{ path: 'src/app.js', line: 6, side: 'RIGHT', body: 'ok' }, { path: 'src/app.js', line: 1, side: 'RIGHT', body: 'outside' }]));
    expect(offDiff.status).toBe(422);
    expect(offDiff.data).toMatchObject({
      message: 'Unprocessable Entity',
      errors: ["Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank"],
    });
    expect(offDiff.message).toContain('Unprocessable Entity: "Pull request review thread line must be part of the diff');
    expect((await statusOf(review([{ path: 'assets/big.min.js', line: 1, body: 'no patch' }]))).status).toBe(422);
    expect((await statusOf(review([{ path: 'not/in/pr.js', line: 1, body: 'x' }]))).data).toMatchObject({ errors: ['Path could not be resolved'] });
    expect((await statusOf(review([{ path: 'src/app.js', start_line: 7, line: 6, body: 'x' }]))).status).toBe(422);
    expect(repo.reviews).toEqual([]);
    expect(repo.reviewComments).toEqual([]);
    expect((await octokit.pulls.listReviews({ owner: OWNER, repo: REPO, pull_number: 7 })).data).toEqual([]);

    const ok = await review([
      { path: 'src/app.js', line: 6, side: 'RIGHT', body: 'Command injection' },
      { path: 'src/app.js', start_line: 5, line: 7, body: 'Whole function' },
      { path: 'src/app.js', line: 4, side: 'LEFT', body: 'Context on the left' },
    ]);
    expect(ok.data).toMatchObject({ state: 'COMMENTED', user: { login: 'airlock[bot]', type: 'Bot' }, commit_id: repo.pulls.get(7)!.head.sha });
    const comments = (await octokit.pulls.listReviewComments({ owner: OWNER, repo: REPO, pull_number: 7 })).data;
    expect(comments.map((c) => [c.line, c.side, c.start_line, c.pull_request_review_id])).toEqual([
      [6, 'RIGHT', null, ok.data.id],
      [7, 'RIGHT', 5, ok.data.id],
      [4, 'LEFT', null, ok.data.id],
    ]);
    expect(comments[0]?.diff_hunk.split('\n').at(-1)).toBe('+  return exec(cmd);');

    const reply = await octokit.pulls.createReplyForReviewComment({ owner: OWNER, repo: REPO, pull_number: 7, comment_id: comments[0]!.id, body: 'Fixed?' });
    expect(reply.status).toBe(201);
    expect(reply.data.in_reply_to_id).toBe(comments[0]!.id);
    const edited = await octokit.pulls.updateReviewComment({ owner: OWNER, repo: REPO, comment_id: comments[1]!.id, body: 'Edited <!-- airlock:x -->' });
    expect(edited.data.body).toBe('Edited <!-- airlock:x -->');
    const second = await octokit.pulls.listReviewComments({ owner: OWNER, repo: REPO, pull_number: 7, per_page: 2, page: 2 });
    expect(second.data.map((c) => c.body)).toEqual(['Context on the left', 'Fixed?']);
    expect(second.headers.link).toContain('rel="prev"');
    expect(standIn.violations).toEqual([]);
  });

  it('keeps issue comments and labels', async () => {
    repo.addIssueComment(7, 'Please look', 'alice');
    const created = await octokit.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 7, body: 'Summary <!-- airlock:summary -->' });
    expect(created.status).toBe(201);
    expect(created.data.user?.login).toBe('airlock[bot]');
    await octokit.issues.updateComment({ owner: OWNER, repo: REPO, comment_id: created.data.id, body: 'Updated <!-- airlock:summary -->' });
    const listed = (await octokit.issues.listComments({ owner: OWNER, repo: REPO, issue_number: 7 })).data;
    expect(listed.map((c) => [c.user?.login, c.body])).toEqual([
      ['alice', 'Please look'],
      ['airlock[bot]', 'Updated <!-- airlock:summary -->'],
    ]);
    const tooLong = await statusOf(octokit.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 7, body: 'x'.repeat(65537) }));
    expect(tooLong.status).toBe(422);
    expect((await statusOf(octokit.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 99, body: 'x' }))).status).toBe(404);

    const labels = await octokit.issues.addLabels({ owner: OWNER, repo: REPO, issue_number: 7, labels: ['airlock:blocked'] });
    expect(labels.data.map((l) => l.name)).toEqual(['ai', 'airlock:blocked']);
    await octokit.issues.removeLabel({ owner: OWNER, repo: REPO, issue_number: 7, name: 'ai' });
    expect((await octokit.issues.listLabelsOnIssue({ owner: OWNER, repo: REPO, issue_number: 7 })).data.map((l) => l.name)).toEqual(['airlock:blocked']);
    expect((await statusOf(octokit.issues.removeLabel({ owner: OWNER, repo: REPO, issue_number: 7, name: 'ai' }))).status).toBe(404);
    expect(standIn.violations).toEqual([]);
  });

  it('records who edited a comment and serves the history through GraphQL', async () => {
    repo.setPermission('mo', 'maintain');
    const comment = repo.addIssueComment(7, 'Looking now', 'mo');
    repo.editIssueComment(comment.id, '/airlock allow js.x fine', 'dana');
    const query = `query($owner: String!, $repo: String!) { repository(owner: $owner, name: $repo) { pullRequest(number: 7) {
      comments(first: 10) { nodes { databaseId body author { login } editor { login } lastEditedAt includesCreatedEdit
        userContentEdits(first: 5) { totalCount nodes { editor { __typename login } } } } } } } }`;
    const { data } = await octokit.request('POST /graphql', { query, variables: { owner: OWNER, repo: REPO } });
    const [node] = data.data.repository.pullRequest.comments.nodes;
    expect(node).toMatchObject({ databaseId: comment.id, body: '/airlock allow js.x fine', author: { login: 'mo' }, editor: { login: 'dana' }, includesCreatedEdit: true });
    expect(node.lastEditedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(node.userContentEdits).toEqual({ totalCount: 2, nodes: [{ editor: { __typename: 'User', login: 'mo' } }, { editor: { __typename: 'User', login: 'dana' } }] });
    expect(standIn.violations).toEqual([]);
  });

  it('compares a pull request base...head: every commit when paged, the last 250 otherwise', async () => {
    const pull = repo.addPullRequest({ number: 8, commits: Array.from({ length: 260 }, (_, i) => ({ message: `c${i}` })) });
    const basehead = `${pull.base.sha}...${pull.head.sha}`;
    const unpaged = (await octokit.repos.compareCommitsWithBasehead({ owner: OWNER, repo: REPO, basehead })).data;
    expect([unpaged.total_commits, unpaged.commits.length, unpaged.commits.at(-1)?.commit.message]).toEqual([260, 250, 'c259']);
    const page3 = (await octokit.repos.compareCommitsWithBasehead({ owner: OWNER, repo: REPO, basehead, per_page: 100, page: 3 })).data;
    expect([page3.commits.length, page3.commits[0]?.commit.message, page3.files]).toEqual([60, 'c200', []]);
    expect((await statusOf(octokit.repos.compareCommitsWithBasehead({ owner: OWNER, repo: REPO, basehead: `${pull.base.sha}...${'0'.repeat(40)}` }))).status).toBe(404);
    expect((await octokit.pulls.listCommits({ owner: OWNER, repo: REPO, pull_number: 8, per_page: 100, page: 3 })).data).toHaveLength(50);
    expect(standIn.violations).toEqual([]);
  });

  it('injects faults: secondary rate limits with retry-after, server errors and slow answers', async () => {
    standIn.failNext({ method: 'POST', pathIncludes: '/check-runs', status: 403, secondaryRateLimit: true });
    const sha = repo.pulls.get(7)!.head.sha;
    const limited = await statusOf(octokit.checks.create({ owner: OWNER, repo: REPO, name: 'Airlock', head_sha: sha }));
    expect(limited.status).toBe(403);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.message).toMatch(/^You have exceeded a secondary rate limit/);
    expect((await octokit.checks.create({ owner: OWNER, repo: REPO, name: 'Airlock', head_sha: sha })).status).toBe(201);

    standIn.failNext({ status: 500, times: 2, pathIncludes: '/pulls/7' });
    expect((await statusOf(octokit.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 }))).status).toBe(500);
    expect((await statusOf(octokit.repos.get({ owner: OWNER, repo: REPO }))).status).toBe(200);
    expect((await statusOf(octokit.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 }))).status).toBe(500);
    expect((await statusOf(octokit.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 }))).status).toBe(200);

    standIn.failNext({ status: 502 });
    const gateway = await statusOf(octokit.repos.get({ owner: OWNER, repo: REPO }));
    expect(gateway.status).toBe(502);
    expect(gateway.headers['content-type']).toContain('text/html');

    standIn.delayMs = 150;
    const started = performance.now();
    await octokit.repos.get({ owner: OWNER, repo: REPO });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(standIn.requests.at(-1)?.durationMs).toBeGreaterThanOrEqual(140);
    expect(standIn.violations).toEqual([]);
  });

  it('enforces the primary rate limit per installation with GitHub’s headers', async () => {
    await standIn.close();
    standIn = await startStandIn({ rateLimit: 2 });
    standIn.state.addRepo({ owner: OWNER, name: REPO });
    const limited = octokitFor(standIn, standIn.installationToken());
    const first = await limited.repos.get({ owner: OWNER, repo: REPO });
    expect(first.headers['x-ratelimit-remaining']).toBe('1');
    await limited.repos.get({ owner: OWNER, repo: REPO });
    const refused = await statusOf(limited.repos.get({ owner: OWNER, repo: REPO }));
    expect(refused.status).toBe(403);
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(refused.message).toContain('API rate limit exceeded for installation ID 1');
  });

  it('enforces the secondary limits on content creation and concurrency when asked to', async () => {
    await standIn.close();
    standIn = await startStandIn({ contentCreationPerMinute: 2, maxConcurrent: 1 });
    const limitedRepo = standIn.state.addRepo({ owner: OWNER, name: REPO });
    limitedRepo.addPullRequest({ number: 1 });
    const limited = octokitFor(standIn, standIn.installationToken());
    const comment = () => statusOf(limited.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 1, body: 'x' }));
    expect((await comment()).status).toBe(200);
    expect((await comment()).status).toBe(200);
    const third = await comment();
    expect(third).toMatchObject({ status: 403, headers: { 'retry-after': '60' }, message: expect.stringContaining('secondary rate limit') });
    // Reading is not content creation.
    expect((await statusOf(limited.repos.get({ owner: OWNER, repo: REPO }))).status).toBe(200);

    standIn.delayMs = 100;
    const parallel = await Promise.all([statusOf(limited.repos.get({ owner: OWNER, repo: REPO })), statusOf(limited.repos.get({ owner: OWNER, repo: REPO }))]);
    expect(parallel.map((r) => r.status).sort()).toEqual([200, 403]);
  });

  it('answers GraphQL review thread queries and resolves threads', async () => {
    await octokit.pulls.createReview({
      owner: OWNER,
      repo: REPO,
      pull_number: 7,
      event: 'COMMENT',
      body: 'Airlock',
      comments: [
        { path: 'src/app.js', line: 6, body: 'first <!-- airlock:a -->' },
        { path: 'src/app.js', line: 7, body: 'second <!-- airlock:b -->' },
      ],
    });
    const root = repo.reviewComments[0]!;
    await octokit.pulls.createReplyForReviewComment({ owner: OWNER, repo: REPO, pull_number: 7, comment_id: root.id, body: 'a reply' });

    const query = `query($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
      repository(owner: $owner, name: $repo) {
        pullRequest(number: $number) {
          reviewThreads(first: 1, after: $cursor) {
            pageInfo { hasNextPage endCursor }
            nodes { id isResolved isOutdated path line comments(first: 10) { nodes { databaseId body author { login __typename } } } }
          }
        }
      }
    }`;
    type Threads = { repository: { pullRequest: { reviewThreads: { pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { id: string; isResolved: boolean; line: number; comments: { nodes: { databaseId: number; body: string; author: { login: string; __typename: string } }[] } }[] } } } };
    const page1 = await octokit.graphql<Threads>(query, { owner: OWNER, repo: REPO, number: 7 });
    const threads1 = page1.repository.pullRequest.reviewThreads;
    expect(threads1.pageInfo.hasNextPage).toBe(true);
    expect(threads1.nodes[0]).toMatchObject({ isResolved: false, line: 6 });
    expect(threads1.nodes[0]?.comments.nodes.map((c) => [c.databaseId, c.body, c.author.login, c.author.__typename])).toEqual([
      [root.id, 'first <!-- airlock:a -->', 'airlock[bot]', 'Bot'],
      [repo.reviewComments[2]!.id, 'a reply', 'airlock[bot]', 'Bot'],
    ]);
    const page2 = await octokit.graphql<Threads>(query, { owner: OWNER, repo: REPO, number: 7, cursor: threads1.pageInfo.endCursor });
    expect(page2.repository.pullRequest.reviewThreads.pageInfo.hasNextPage).toBe(false);
    expect(page2.repository.pullRequest.reviewThreads.nodes[0]?.comments.nodes[0]?.body).toBe('second <!-- airlock:b -->');

    const threadId = threads1.nodes[0]!.id;
    const resolved = await octokit.graphql<{ resolveReviewThread: { thread: { id: string; isResolved: boolean } } }>(
      'mutation($id: ID!) { resolveReviewThread(input: { threadId: $id }) { thread { id isResolved } } }',
      { id: threadId },
    );
    expect(resolved.resolveReviewThread.thread).toEqual({ id: threadId, isResolved: true });
    expect(repo.threads[0]?.isResolved).toBe(true);
    expect(standIn.requestsFor('graphql').map((r) => r.path)).toEqual(['/api/graphql', '/api/graphql', '/api/graphql']);
    expect(standIn.violations).toEqual([]);

    const missing = await statusOf(octokit.graphql('mutation { resolveReviewThread(input: { threadId: "nope" }) { thread { id } } }'));
    expect(missing.message).toContain("Could not resolve to PullRequestReviewThread node with the global id of 'nope'");
    expect(standIn.violations).toEqual([]);

    const unknownField = await statusOf(octokit.graphql('{ repository(owner: "acme", name: "widgets") { pullRequest(number: 7) { reviewThreads(first: 5) { nodes { colour } } } } }'));
    expect(unknownField.message).toContain("Field 'colour' doesn't exist on type 'PullRequestReviewThread'");
    const tooMany = await statusOf(octokit.graphql('{ repository(owner: "acme", name: "widgets") { pullRequest(number: 7) { reviewThreads(first: 101) { nodes { id } } } } }'));
    expect(tooMany.message).toContain('exceeds the `first` limit of 100 records');
    const unparsable = await statusOf(octokit.graphql('{ repository(owner: "acme" { id } }'));
    expect(unparsable.message).toContain('Parse error');
    expect(standIn.violations.map((v) => v.kind)).toEqual(['graphql', 'graphql', 'graphql']);

    const wrongMethod = await fetch(`${standIn.url}/api/graphql`, { headers: { authorization: `token ${standIn.installationToken()}` } });
    expect(wrongMethod.status).toBe(404);
    const noQuery = await fetch(`${standIn.url}/api/graphql`, { method: 'POST', headers: { authorization: `token ${standIn.installationToken()}` }, body: '{}' });
    expect(noQuery.status).toBe(400);
    expect(standIn.violations).toHaveLength(5);
  });
});

describe('GraphQL subset', () => {
  it('supports fragments, aliases, node lookups, directives and comment minimizing, and refuses what GitHub would', async () => {
    const standIn = await startStandIn();
    try {
      const repo = standIn.state.addRepo({ owner: OWNER, name: REPO });
      repo.addPullRequest({ number: 4, files: [{ filename: 'a.js', content: 'one\ntwo\n' }] });
      const octokit = octokitFor(standIn, standIn.installationToken());
      await octokit.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 4, event: 'COMMENT', comments: [{ path: 'a.js', line: 2, body: 'old finding' }] });
      const human = repo.addIssueComment(4, 'hi', 'alice');

      const result = await octokit.graphql<Record<string, unknown>>(
        `query Threads($owner: String!, $name: String! = "widgets", $withPath: Boolean = false) {
          repo: repository(owner: $owner, name: $name) {
            pr: pullRequest(number: 4) {
              reviewThreads(last: 5) { totalCount edges { cursor node { ...ThreadBits } } }
            }
          }
          byId: node(id: "${human.nodeId}") { __typename ... on IssueComment { databaseId author { ... on User { login } } } }
        }
        fragment ThreadBits on PullRequestReviewThread { id path @include(if: $withPath) comments(first: 1) { nodes { body } } }`,
        { owner: OWNER },
      );
      expect(result).toMatchObject({
        repo: { pr: { reviewThreads: { totalCount: 1, edges: [{ node: { comments: { nodes: [{ body: 'old finding' }] } } }] } } },
        byId: { __typename: 'IssueComment', databaseId: human.id, author: { login: 'alice' } },
      });
      const thread = (result as { repo: { pr: { reviewThreads: { edges: { node: Record<string, unknown> }[] } } } }).repo.pr.reviewThreads.edges[0]!.node;
      expect(thread).not.toHaveProperty('path');

      const commentId = repo.reviewComments[0]!.nodeId;
      const minimized = await octokit.graphql<{ minimizeComment: { minimizedComment: { isMinimized: boolean; minimizedReason: string } } }>(
        'mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized minimizedReason } } }',
        { id: commentId },
      );
      expect(minimized.minimizeComment.minimizedComment).toEqual({ isMinimized: true, minimizedReason: 'outdated' });
      expect(repo.reviewComments[0]?.isMinimized).toBe(true);

      // A push that removes the commented line makes the thread outdated.
      repo.pushToPullRequest(4, { files: [{ filename: 'a.js', content: 'one\n' }] });
      const outdated = await octokit.graphql<{ repository: { pullRequest: { reviewThreads: { nodes: { isOutdated: boolean; line: number | null }[] } } } }>(
        '{ repository(owner: "acme", name: "widgets") { pullRequest(number: 4) { reviewThreads(first: 10) { nodes { isOutdated line } } } } }',
      );
      expect(outdated.repository.pullRequest.reviewThreads.nodes).toEqual([{ isOutdated: true, line: null }]);
      expect(standIn.violations).toEqual([]);

      const refused = [
        ['{ repository(owner: "acme", name: "widgets", colour: 1) { id } }', "Field 'repository' doesn't accept argument 'colour'"],
        ['{ repository(owner: "acme") { id } }', 'missing required arguments: name'],
        ['query { repository(owner: $who, name: "widgets") { id } }', 'Variable $who is used by anonymous query but not declared'],
        ['query($n: Int!) { repository(owner: "acme", name: "widgets") { pullRequest(number: $n) { id } } }', 'Variable $n of type Int! was provided invalid value'],
        ['{ repository(owner: "acme", name: "widgets") { pullRequest(number: 4) { reviewThreads { totalCount } } } }', 'You must provide a `first` or `last` value'],
        ['{ repository(owner: "acme", name: "widgets") { pullRequest(number: 4) } }', 'Field must have selections'],
        [`{ repository(owner: "acme", name: "widgets") { id(x: ${'['.repeat(200)}1${']'.repeat(200)}) } }`, 'nested too deeply'],
      ] as const;
      for (const [query, message] of refused) {
        expect((await statusOf(octokit.graphql(query))).message).toContain(message);
      }
      expect(standIn.violations).toHaveLength(refused.length);
      const notFound = await statusOf(octokit.graphql('{ repository(owner: "acme", name: "nope") { id } }'));
      expect(notFound.message).toContain("Could not resolve to a Repository with the name 'acme/nope'.");
      expect(standIn.violations).toHaveLength(refused.length);
    } finally {
      await standIn.close();
    }
  });
});

describe('GraphQL check suites and runs', () => {
  const APP = 1;
  const OTHER_APP = 99;
  const ownQuery = `query($owner: String!, $repo: String!, $head: GitObjectID!, ${OWN_CHECK_RUNS_VARIABLES}) {
    repository(owner: $owner, name: $repo) { head: object(oid: $head) { ${OWN_CHECK_RUNS_SELECTION} } }
  }`;

  it('serves the check runs REST wrote on a commit: the app’s latest of several, never another app’s, none before any', async () => {
    const standIn = await startStandIn();
    try {
      const repo = standIn.state.addRepo({ owner: OWNER, name: REPO });
      const sha = repo.addPullRequest({ number: 4, files: [{ filename: 'a.js', content: 'one\n' }] }).head.sha;
      const octokit = octokitFor(standIn, standIn.installationToken());
      const own = async () => {
        const data = await octokit.graphql<{ repository: { head: unknown } }>(ownQuery, { owner: OWNER, repo: REPO, head: sha, ...ownCheckRunsVariables(APP) });
        return ownCheckRunOf(data.repository.head, APP);
      };
      expect(await own()).toEqual({ ok: true, run: null });

      // Another app's run of the same name: listed for that app only, over REST and GraphQL.
      repo.addCheckRun({ headSha: sha, name: 'Airlock', appId: OTHER_APP, conclusion: 'success', externalId: 'theirs', title: 'Not ours' });
      expect(await own()).toEqual({ ok: true, run: null });
      const suitesOf = async (appId: number) => {
        const data = await octokit.graphql<{ repository: { object: { checkSuites: { totalCount: number; nodes: { app: { databaseId: number } }[] } } } }>(
          `query($head: GitObjectID!, $appId: Int) { repository(owner: "acme", name: "widgets") { object(oid: $head) { ... on Commit { checkSuites(first: 5, filterBy: {appId: $appId}) { totalCount nodes { app { databaseId } } } } } } }`,
          { head: sha, appId },
        );
        return data.repository.object.checkSuites.nodes.map((s) => s.app.databaseId);
      };
      expect([await suitesOf(APP), await suitesOf(OTHER_APP)]).toEqual([[], [OTHER_APP]]);
      const rest = (appId: number) => octokit.checks.listForRef({ owner: OWNER, repo: REPO, ref: sha, check_name: 'Airlock', app_id: appId });
      expect((await rest(OTHER_APP)).data.check_runs.map((r) => [r.app?.id, r.external_id])).toEqual([[OTHER_APP, 'theirs']]);
      expect((await rest(APP)).data.total_count).toBe(0);

      const create = (name: string, externalId: string) => octokit.checks.create({ owner: OWNER, repo: REPO, name, head_sha: sha, status: 'in_progress', external_id: externalId, output: { title: `${name} ${externalId}`, summary: '…' } });
      const first = await create('Airlock', 'k1');
      await octokit.checks.update({ owner: OWNER, repo: REPO, check_run_id: first.data.id, status: 'completed', conclusion: 'action_required', output: { title: 'Done', summary: '…' } });
      const second = await create('Airlock', 'k2');
      await create('Something else', 'k3');
      const viaGraphql = await own();
      expect(viaGraphql).toEqual({
        ok: true,
        run: { id: second.data.id, status: 'in_progress', conclusion: null, externalId: 'k2', title: 'Airlock k2', startedAt: second.data.started_at },
      });
      // The same run, in the same terms, as the REST lookup gives.
      expect(viaGraphql.ok && viaGraphql.run).toEqual(await latestCheckRun(octokit as unknown as GitHub, { owner: OWNER, repo: REPO }, sha, APP));
      // Once completed, the conclusion in REST's lower case.
      await octokit.checks.update({ owner: OWNER, repo: REPO, check_run_id: second.data.id, conclusion: 'timed_out', output: { title: 'Late', summary: '…' } });
      expect(await own()).toMatchObject({ ok: true, run: { id: second.data.id, status: 'completed', conclusion: 'timed_out', title: 'Late' } });

      // Every run and suite, unfiltered: one suite per app, all runs with ALL.
      const all = await octokit.graphql<{ repository: { object: { checkSuites: { nodes: { app: { databaseId: number }; checkRuns: { nodes: { databaseId: number; name: string; conclusion: string | null }[] } }[] } } } }>(
        `query($head: GitObjectID!) { repository(owner: "acme", name: "widgets") { object(oid: $head) { ... on Commit {
          checkSuites(first: 5) { nodes { app { databaseId } checkRuns(first: 10, filterBy: {checkType: ALL, statuses: [COMPLETED]}) { nodes { databaseId name conclusion } } } }
        } } } }`,
        { head: sha },
      );
      expect(all.repository.object.checkSuites.nodes.map((s) => [s.app.databaseId, s.checkRuns.nodes.map((r) => [r.databaseId, r.conclusion])])).toEqual([
        [OTHER_APP, [[repo.checkRuns[0]!.id, 'SUCCESS']]],
        [APP, [[first.data.id, 'ACTION_REQUIRED'], [second.data.id, 'TIMED_OUT']]],
      ]);
      expect(standIn.violations).toEqual([]);
    } finally {
      await standIn.close();
    }
  });

  it('refuses filter fields and enum values GitHub’s schema does not have', async () => {
    const standIn = await startStandIn();
    try {
      const repo = standIn.state.addRepo({ owner: OWNER, name: REPO });
      const sha = repo.addPullRequest({ number: 4, files: [{ filename: 'a.js', content: 'one\n' }] }).head.sha;
      const octokit = octokitFor(standIn, standIn.installationToken());
      const on = (suites: string, runs = '') =>
        `query($head: GitObjectID!, $type: CheckRunType) { repository(owner: "acme", name: "widgets") { object(oid: $head) { ... on Commit { checkSuites(first: 1${suites}) { nodes { checkRuns(first: 1${runs}) { nodes { databaseId } } } } } } } }`;
      const refused = [
        [on(', filterBy: {appId: 1, colour: 2}'), {}, "InputObject 'CheckSuiteFilter' doesn't accept argument 'colour'"],
        [on(', filterBy: {appId: "1"}'), {}, "Argument 'appId' on InputObject 'CheckSuiteFilter' has an invalid value"],
        [on('', ', filterBy: {checkType: NEWEST}'), {}, "Argument 'checkType' on InputObject 'CheckRunFilter' has an invalid value (NEWEST). Expected type 'CheckRunType'."],
        [on('', ', filterBy: {checkType: "LATEST"}'), {}, "Argument 'checkType' on InputObject 'CheckRunFilter' has an invalid value"],
        [on('', ', filterBy: {checkType: $type}'), { type: 'NEWEST' }, "Argument 'checkType' on InputObject 'CheckRunFilter' has an invalid value"],
        [on('', ', filterBy: {statuses: [DONE]}'), {}, "Argument 'statuses' on InputObject 'CheckRunFilter' has an invalid value"],
        [on('', ', checkName: "Airlock"'), {}, "Field 'checkRuns' doesn't accept argument 'checkName'"],
        [on('', '') .replace('databaseId', 'databaseId appId'), {}, "Field 'appId' doesn't exist on type 'CheckRun'"],
      ] as const;
      for (const [query, variables, message] of refused) {
        expect((await statusOf(octokit.graphql(query, { head: sha, ...variables }))).message).toContain(message);
      }
      expect(standIn.violations).toHaveLength(refused.length);
      // The same with values GitHub accepts: answered.
      const fine = await octokit.graphql<{ repository: { object: { checkSuites: { nodes: unknown[] } } } }>(on(', filterBy: {appId: 1, checkName: "Airlock"}', ', filterBy: {checkType: $type}'), { head: sha, type: 'LATEST' });
      expect(fine.repository.object.checkSuites.nodes).toEqual([]);
      expect(standIn.violations).toHaveLength(refused.length);
    } finally {
      await standIn.close();
    }
  });
});

describe('webhook helpers', () => {
  it('loads real example payloads and points them at stand-in state', async () => {
    const standIn = await startStandIn();
    try {
      const repo = standIn.state.addRepo({ owner: OWNER, name: REPO });
      const pull = repo.addPullRequest({ number: 12, user: 'devin-ai-integration[bot]', labels: ['ai'], head: { ref: 'devin/123-fix' } });
      const example = loadExamplePayload('pull_request', 'opened');
      expect(example.action).toBe('opened');
      const payload = adaptPayload(example, targetForPullRequest(repo, pull, standIn));
      expect(example).not.toBe(payload);
      expect(payload).toMatchObject({
        action: 'opened',
        number: 12,
        installation: { id: 1 },
        repository: { full_name: `${OWNER}/${REPO}`, name: REPO, owner: { login: OWNER } },
        pull_request: {
          number: 12,
          user: { login: 'devin-ai-integration[bot]', type: 'Bot' },
          head: { sha: pull.head.sha, ref: 'devin/123-fix' },
          base: { sha: pull.base.sha, ref: 'main' },
          labels: [{ name: 'ai' }],
        },
      });
      const urls = JSON.stringify(payload);
      expect(urls).not.toContain('api.github.com');
      expect(urls).not.toContain('Codertocat/Hello-World');
      expect((payload.pull_request as { url: string; statuses_url: string }).url).toBe(`${standIn.apiUrl}/repos/${OWNER}/${REPO}/pulls/12`);
      expect((payload.pull_request as { statuses_url: string }).statuses_url).toBe(`${standIn.apiUrl}/repos/${OWNER}/${REPO}/statuses/${pull.head.sha}`);

      const checkRun = adaptPayload(loadExamplePayload('check_run', 'rerequested'), { ...targetForPullRequest(repo, pull), checkRunId: 55, checkRunName: 'Airlock' });
      expect(checkRun.check_run).toMatchObject({ id: 55, name: 'Airlock', head_sha: pull.head.sha, app: { id: 1 }, pull_requests: [{ number: 12 }] });
      const group = adaptPayload(loadExamplePayload('merge_group'), { owner: OWNER, repo: REPO, headSha: 'abc', baseRef: 'main' });
      expect(group.merge_group).toMatchObject({ head_sha: 'abc', base_ref: 'refs/heads/main' });
      expect(adaptPayload(loadExamplePayload('issue_comment', 'created'), { owner: OWNER, repo: REPO, number: 12, commentBody: '/airlock rescan' })).toMatchObject({
        issue: { number: 12 },
        comment: { body: '/airlock rescan' },
      });
      expect(loadExamplePayload('check_suite', 'requested').action).toBe('requested');
      expect(() => loadExamplePayload('pull_request', 'exploded')).toThrow(/available: /);
    } finally {
      await standIn.close();
    }
  });

  it('signs payloads the way GitHub does', async () => {
    const body = JSON.stringify({ action: 'opened', note: 'é ✓' });
    const signature = signPayload(body, 'topsecret');
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    const expected = Buffer.from(`sha256=${createHmac('sha256', 'topsecret').update(Buffer.from(body, 'utf8')).digest('hex')}`);
    expect(timingSafeEqual(Buffer.from(signature), expected)).toBe(true);
    const methods = (await import('@octokit/webhooks-methods').catch(() => null)) as { verify(secret: string, payload: string, signature: string): Promise<boolean> } | null;
    if (methods) {
      await expect(methods.verify('topsecret', body, signature)).resolves.toBe(true);
      await expect(methods.verify('othersecret', body, signature)).resolves.toBe(false);
    }
  });

  it('delivers a webhook over HTTP with GitHub’s headers and reports status and time', async () => {
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const app = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ headers: req.headers, body });
        const ok = req.headers['x-hub-signature-256'] === signPayload(body, 'shh');
        res.writeHead(ok ? 202 : 401).end(ok ? 'accepted' : 'bad signature');
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}/api/github/webhooks`;
    try {
      const payload = adaptPayload(loadExamplePayload('pull_request', 'synchronize'), { owner: OWNER, repo: REPO, installationId: 3 });
      const delivered = await deliverWebhook(url, { event: 'pull_request', payload, secret: 'shh', deliveryId: 'delivery-1' });
      expect(delivered).toMatchObject({ status: 202, body: 'accepted', deliveryId: 'delivery-1', timedOut: false });
      expect(delivered.durationMs).toBeGreaterThan(0);
      const headers = received[0]!.headers;
      expect(headers).toMatchObject({
        'x-github-event': 'pull_request',
        'x-github-delivery': 'delivery-1',
        'content-type': 'application/json',
        'x-github-hook-installation-target-id': '3',
      });
      expect(headers['user-agent']).toMatch(/^GitHub-Hookshot\//);
      expect(JSON.parse(received[0]!.body)).toEqual(payload);

      const forged = await deliverWebhook(url, { event: 'pull_request', payload, secret: 'shh', signature: signPayload('{}', 'shh') });
      expect(forged.status).toBe(401);
    } finally {
      await new Promise<void>((resolve) => app.close(() => resolve()));
    }
  });
});

describe('with a Probot app', () => {
  it('serves a Probot app configured with GHE_HOST, including its token exchange, config, retries and GraphQL', async () => {
    const standIn = await startStandIn();
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const repo = standIn.state.addRepo({ owner: OWNER, name: REPO, ownerType: 'Organization' });
    repo.setContent('main', '.github/airlock.yml', 'failOn: critical\n');
    const pull = repo.addPullRequest({ number: 3, user: 'Copilot', files: [{ filename: 'src/app.js', baseContent: BASE_APP, content: HEAD_APP }] });
    const probot = createProbot({
      env: { APP_ID: '1', PRIVATE_KEY: privateKey, WEBHOOK_SECRET: 'hook-secret', GHE_HOST: standIn.host, GHE_PROTOCOL: 'http', LOG_LEVEL: 'fatal' },
    });
    const seen: { config?: unknown; files?: number; threads?: number; done?: boolean } = {};
    const middleware = await createNodeMiddleware(
      (app) => {
        app.on('pull_request.opened', async (context) => {
          seen.config = await context.config('airlock.yml');
          const check = await context.octokit.rest.checks.create(context.repo({ name: 'Airlock', head_sha: context.payload.pull_request.head.sha, status: 'in_progress' as const }));
          seen.files = (await context.octokit.paginate(context.octokit.rest.pulls.listFiles, context.pullRequest({ per_page: 100 }))).length;
          await context.octokit.rest.pulls.createReview(context.pullRequest({ event: 'COMMENT' as const, body: 'Airlock', comments: [{ path: 'src/app.js', line: 6, body: 'Command injection' }] }));
          const result = await context.octokit.graphql<{ repository: { pullRequest: { reviewThreads: { nodes: unknown[] } } } }>(
            'query($owner: String!, $repo: String!, $number: Int!) { repository(owner: $owner, name: $repo) { pullRequest(number: $number) { reviewThreads(first: 100) { nodes { id isResolved } } } } }',
            context.repo({ number: context.payload.pull_request.number }),
          );
          seen.threads = result.repository.pullRequest.reviewThreads.nodes.length;
          await context.octokit.rest.checks.update(
            context.repo({ check_run_id: check.data.id, status: 'completed' as const, conclusion: 'failure' as const, output: { title: 'Airlock', summary: 'Blocked' } }),
          );
          seen.done = true;
        });
      },
      { probot, webhooksPath: '/api/github/webhooks' },
    );
    const server = createServer((req, res) => {
      void middleware(req, res, () => res.writeHead(404).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
    try {
      // Probot's retry plugin must treat the stand-in's 502 as transient and try again.
      standIn.failNext({ method: 'GET', pathIncludes: '/files', status: 502 });
      const payload = adaptPayload(loadExamplePayload('pull_request', 'opened'), targetForPullRequest(repo, pull, standIn));
      const delivered = await deliverWebhook(hookUrl, { event: 'pull_request', payload, secret: 'hook-secret' });
      expect(delivered.status, delivered.body).toBe(200);
      await expect.poll(() => seen.done, { timeout: 15_000 }).toBe(true);
      expect(seen).toEqual({ config: { failOn: 'critical' }, files: 1, threads: 1, done: true });
      expect(repo.checkRuns.map((r) => [r.name, r.status, r.conclusion])).toEqual([['Airlock', 'completed', 'failure']]);
      const calls = standIn.requests.map((r) => `${r.status} ${r.operationId}`);
      expect(calls).toEqual([
        '201 apps/create-installation-access-token',
        '200 repos/get-content',
        '201 checks/create',
        '502 pulls/list-files',
        '200 pulls/list-files',
        '200 pulls/create-review',
        '200 graphql',
        '200 checks/update',
      ]);
      expect(standIn.violations).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await standIn.close();
    }
  });

  it('answers secondary rate limits in a form Probot’s throttling plugin recognises', async () => {
    const standIn = await startStandIn();
    try {
      standIn.state.addRepo({ owner: OWNER, name: REPO });
      const waits: number[] = [];
      const octokit = new ProbotOctokit({
        auth: { token: standIn.installationToken() },
        baseUrl: standIn.apiUrl,
        throttle: {
          onSecondaryRateLimit: (retryAfter: number) => {
            waits.push(retryAfter);
            return true;
          },
          onRateLimit: () => false,
        },
      });
      standIn.failNext({ pathIncludes: `/repos/${OWNER}/${REPO}`, status: 403, secondaryRateLimit: true });
      const started = performance.now();
      const { data } = await octokit.rest.repos.get({ owner: OWNER, repo: REPO });
      expect(data.name).toBe(REPO);
      expect(waits).toEqual([1]);
      expect(performance.now() - started).toBeGreaterThanOrEqual(900);
      expect(standIn.requests.map((r) => r.status)).toEqual([403, 200]);
    } finally {
      await standIn.close();
    }
  });
});

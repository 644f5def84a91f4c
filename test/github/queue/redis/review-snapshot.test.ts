// Review jobs that carry the pull request as its webhook had it, on a real Redis, with a web
// and a worker instance of the app against the GitHub stand-in and GitHub's example webhooks:
// the worker reviews the snapshot without reading the pull request again (8 calls for 20
// files, as without Redis); a job without a snapshot (a re-run, a job of an older version) or
// with one that disagrees with the job reads it from GitHub; a job that waited while its pull
// request was closed, or pushed to, does not publish on what it no longer is.
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { octokitWithWriteSpacing } from '../../../../src/github/octokit.js';
import { appCatalog } from '../../../../src/github/app.js';
import type { PullRequestInfo } from '../../../../src/github/loader.js';
import { pullSnapshotOf, reviewJobId, sealOf, type PullSnapshot, type ReviewJobData } from '../../../../src/github/queue/redis.js';
import type { RunResult } from '../../../../src/github/review-run.js';
import { startAirlock, type RunningAirlock } from '../../../../src/github/server.js';
import { addAiPull, TWENTY_FILE_REVIEW_CALLS, twentyFiles } from '../../fixtures.js';
import { calls, testKey } from '../../harness.js';
import { captureLog, type CapturedLog } from '../../log-capture.js';
import { startStandIn, type StandIn } from '../../stand-in/server.js';
import type { PullRecord, RepoState } from '../../stand-in/state.js';
import { deliver, pullRequestPayload, SECRET, until } from './processes.js';
import { testRedis } from './redis-server.js';

let redis: { url: string; close(): Promise<void> };
let standIn: StandIn;
let repo: RepoState;
let web: RunningAirlock;
let worker: RunningAirlock;
let workerLog: CapturedLog;
let raw: Queue;
let rawConnection: Redis;
const results: { number: number; result: RunResult }[] = [];
const prefix = `s${randomUUID().slice(0, 8)}`;

function envFor(role: 'web' | 'worker'): NodeJS.ProcessEnv {
  return {
    APP_ID: '1',
    PRIVATE_KEY: testKey(),
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: standIn.host,
    GHE_PROTOCOL: 'http',
    HOST: '127.0.0.1',
    PORT: '0',
    REDIS_URL: redis.url,
    AIRLOCK_ROLE: role,
  };
}

beforeAll(async () => {
  redis = await testRedis();
  standIn = await startStandIn();
  repo = standIn.state.addRepo({ owner: 'acme', name: 'widgets', ownerType: 'Organization' });
  // A scan budget no loaded machine runs out of: the counts are of a complete review.
  repo.setContent('main', '.github/airlock.yml', 'review: ai\nlimits:\n  time_budget_seconds: 280\n');
  const Octokit = octokitWithWriteSpacing(0, 0);
  // The default lock time: loading the rules on the worker's thread must not pass for a dead worker.
  const queue = { prefix };
  web = await startAirlock({ env: envFor('web'), log: captureLog().logger, Octokit, queue, app: { reaper: false } });
  workerLog = captureLog();
  worker = await startAirlock({
    env: envFor('worker'),
    log: workerLog.logger,
    Octokit,
    queue,
    app: {
      reaper: false,
      policy: { backoffMs: 5, retryAfterUnitMs: 5 },
      // The shipped rules, given: the semantic rules then run on this thread rather than on the built workers.
      services: { catalog: appCatalog },
      onResult: (result, info) => results.push({ number: info.number, result }),
    },
  });
  rawConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
  raw = new Queue('reviews', { connection: rawConnection, prefix });
}, 60_000);

afterAll(async () => {
  await raw?.close();
  rawConnection?.disconnect();
  await worker?.close(1_000);
  await web?.close(1_000);
  await standIn?.close();
  await redis?.close();
});

/** GitHub's `pull_request` webhook for the stand-in's pull request as it is now (with its own counts). */
function payloadOf(pull: PullRecord, action: 'opened' | 'synchronize'): Record<string, unknown> {
  const payload = pullRequestPayload(standIn, repo, pull, action);
  Object.assign(payload.pull_request as Record<string, unknown>, { changed_files: pull.files.length, commits: pull.commits.length });
  return payload;
}

/** The snapshot the web instance puts in a job for `pull`. */
function snapshotOf(pull: PullRecord): PullSnapshot {
  return pullSnapshotOf(payloadOf(pull, 'opened').pull_request as PullRequestInfo)!;
}

async function resultOf(number: number): Promise<RunResult> {
  await until(`the review of #${number}`, () => results.some((r) => r.number === number), 60_000);
  await until('the queue drained', async () => Object.values(await raw.getJobCounts('wait', 'active', 'delayed')).every((n) => n === 0));
  return results.find((r) => r.number === number)!.result;
}

function count(since: number): Record<string, number> {
  const counted: Record<string, number> = {};
  for (const op of calls(standIn, since)) counted[op] = (counted[op] ?? 0) + 1;
  return counted;
}

/** A job as an older version of the app queued it: ids only (and a snapshot when `extra` has one). */
function jobIds(pull: PullRecord): ReviewJobData {
  return { installation: repo.installationId, owner: 'acme', repo: 'widgets', number: pull.number, headSha: pull.head.sha, delivery: null, force: false };
}

async function addRawJob(pull: PullRecord, extra: Partial<ReviewJobData> = {}): Promise<string> {
  const data: ReviewJobData = { ...jobIds(pull), ...extra };
  const id = reviewJobId({ ...data, inputs: 'older' });
  await raw.add('review', data, { jobId: id, attempts: 1 });
  return id;
}

describe('review jobs with the pull request their webhook carried', () => {
  it('a job without a snapshot, or with one of another head, reads the pull request from GitHub and reviews', async () => {
    // The first review of the worker also reads the app's identity: counted apart.
    const older = addAiPull(repo, { number: 1 });
    let since = standIn.requests.length;
    await addRawJob(older);
    expect((await resultOf(1)).kind).toBe('completed');
    expect(count(since)['pulls/get']).toBe(1);
    expect(repo.checkRunsFor(older.head.sha).map((run) => [run.status, run.conclusion])).toEqual([['completed', 'failure']]);

    // A snapshot that is not of the job's head is not used.
    const other = addAiPull(repo, { number: 2 });
    const stale = { ...snapshotOf(other), head: { sha: 'f'.repeat(40), ref: other.head.ref, repo: { full_name: 'acme/widgets' } } };
    since = standIn.requests.length;
    // Sealed as the app seals: the seal holds, the head does not.
    await addRawJob(other, { pull: stale, seal: sealOf(SECRET, { ...jobIds(other), pull: stale }) });
    expect((await resultOf(2)).kind).toBe('completed');
    expect(count(since)['pulls/get']).toBe(1);
    expect(repo.checkRunsFor(other.head.sha).map((run) => run.conclusion)).toEqual(['failure']);
    expect(workerLog.text()).toContain(`acme/widgets#2: review job r`);
    expect(workerLog.text()).toContain(`holds a snapshot of head fffffff; reading the pull request from GitHub`);
  }, 90_000);

  it('a 20-file pull request is reviewed from the snapshot in its job: 8 GitHub calls, none for the pull request', async () => {
    const pull = addAiPull(repo, { number: 20, head: { ref: 'claude/scale' }, files: twentyFiles() });
    const since = standIn.requests.length;
    const delivery = randomUUID();
    expect((await deliver(web, payloadOf(pull, 'opened'), delivery)).status).toBe(200);
    expect((await resultOf(20)).kind).toBe('completed');
    expect(count(since)).toEqual(TWENTY_FILE_REVIEW_CALLS);
    expect(calls(standIn, since)).toHaveLength(8);
    expect(repo.checkRunsFor(pull.head.sha).map((run) => [run.status, run.conclusion])).toEqual([['completed', 'failure']]);
    expect(repo.reviews.filter((r) => r.pullNumber === 20)).toHaveLength(1);

    // The job holds the ids and exactly the fields of the pull request a review reads.
    const [job] = (await raw.getJobs(['completed'])).filter((j) => (j.data as ReviewJobData).number === 20);
    const data = job!.data as ReviewJobData;
    expect(Object.keys(data).sort()).toEqual(['delivery', 'force', 'headSha', 'installation', 'number', 'owner', 'pull', 'repo', 'seal']);
    const { seal, ...unsealed } = data;
    expect(seal).toBe(sealOf(SECRET, unsealed));
    expect(data.pull).toEqual({
      number: 20,
      title: pull.title,
      body: pull.body,
      state: 'open',
      user: { login: 'dana', type: 'User' },
      labels: [],
      head: { sha: pull.head.sha, ref: 'claude/scale', repo: { full_name: 'acme/widgets' } },
      base: { sha: pull.base.sha, ref: 'main' },
      changed_files: 20,
      commits: 1,
    });
    expect(standIn.violations).toEqual([]);
  }, 90_000);

  it('a job that waited: its pull request closed since is left alone; a head pushed over is not published, and the new one is reviewed', async () => {
    // Closed after its webhook was sent: one query, no check, nothing written.
    const closed = addAiPull(repo, { number: 30 });
    const opened = payloadOf(closed, 'opened');
    closed.state = 'closed';
    let since = standIn.requests.length;
    expect((await deliver(web, opened, randomUUID())).status).toBe(200);
    expect(await resultOf(30)).toEqual({ kind: 'skipped', reason: 'the pull request is not open' });
    expect(count(since)).toEqual({ graphql: 1 });
    expect(repo.checkRunsFor(closed.head.sha)).toEqual([]);

    // Pushed to after its webhook was sent (the push's own webhook comes later): the old head's
    // check says it was superseded, nothing is commented, and the push's webhook reviews the new head.
    const pushed = addAiPull(repo, { number: 31 });
    const first = payloadOf(pushed, 'opened');
    const oldHead = pushed.head.sha;
    repo.pushToPullRequest(31);
    since = standIn.requests.length;
    expect((await deliver(web, first, randomUUID())).status).toBe(200);
    expect((await resultOf(31)).kind).toBe('superseded');
    expect(count(since)['pulls/get']).toBeUndefined();
    expect(repo.checkRunsFor(oldHead).map((run) => [run.conclusion, run.output.title])).toEqual([['cancelled', 'Superseded by a newer run']]);
    expect(repo.reviews.filter((r) => r.pullNumber === 31)).toEqual([]);
    results.splice(0);
    expect((await deliver(web, payloadOf(pushed, 'synchronize'), randomUUID())).status).toBe(200);
    expect((await resultOf(31)).kind).toBe('completed');
    expect(repo.checkRunsFor(pushed.head.sha).map((run) => run.conclusion)).toEqual(['failure']);
    expect(standIn.violations).toEqual([]);
  }, 90_000);
});

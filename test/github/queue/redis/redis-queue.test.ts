// The Redis queue's parts on a real Redis: job ids, delivery dedupe, the superseding of an
// older head, retries only for the infrastructure, a malformed job failed with one line
// (the worker goes on), start-up refusals, readiness and the queue's metrics.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StoppingError } from '../../../../src/github/queue/embedded.js';
import type { PullRequestInfo } from '../../../../src/github/loader.js';
import {
  commandJobId,
  MAX_PULL_BODY,
  mergeGroupJobId,
  pullSnapshotOf,
  RedisReviewQueue,
  sealOf,
  retryableFailure,
  reviewJobId,
  type CommandJobData,
  type MergeGroupJobData,
  type ReviewJobData,
  type ReviewRequest,
} from '../../../../src/github/queue/redis.js';
import { startAirlock, StartupError, type RunningAirlock } from '../../../../src/github/server.js';
import { PACKAGE_ROOT } from '../../../../src/io/package-root.js';
import { closedPort } from '../../closed-port.js';
import { addAiPull } from '../../fixtures.js';
import { testKey } from '../../harness.js';
import { adaptPayload, deliverWebhook, loadExamplePayload, targetForPullRequest, type PayloadTarget } from '../../webhooks.js';
import { captureLog } from '../../log-capture.js';
import { startStandIn, type StandIn } from '../../stand-in/server.js';
import { SECRET, deliver, pullRequestPayload, until } from './processes.js';
import { testRedis } from './redis-server.js';

let redis: { url: string; close(): Promise<void> };
beforeAll(async () => {
  redis = await testRedis();
});
afterAll(async () => {
  await redis?.close();
});

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close().catch(() => {});
});

const SNAPSHOT_KEY = 'the webhook secret';
const HEAD_A = 'a'.repeat(40);
const HEAD_B = 'b'.repeat(40);

function request(extra: Partial<ReviewRequest> = {}): ReviewRequest {
  return { installation: 7, owner: 'acme', repo: 'widgets', number: 3, headSha: HEAD_A, delivery: randomUUID(), force: false, inputs: 'i1', ...extra };
}

interface Lines {
  info: string[];
  warn: string[];
  error: string[];
}

async function queueFor(options: Partial<ConstructorParameters<typeof RedisReviewQueue>[0]> = {}): Promise<{ queue: RedisReviewQueue; lines: Lines; prefix: string }> {
  const lines: Lines = { info: [], warn: [], error: [] };
  const prefix = options.prefix ?? `u${randomUUID().slice(0, 8)}`;
  const queue = new RedisReviewQueue(
    { url: redis.url, concurrency: 2, lockMs: 2_000, stalledIntervalMs: 1_000, backoffMs: 50, snapshotKey: SNAPSHOT_KEY, ...options, prefix },
    { info: (m) => lines.info.push(m), warn: (m) => lines.warn.push(m), error: (m) => lines.error.push(m) },
  );
  opened.push({ close: () => queue.close(1_000, () => new StoppingError('in a test')) });
  await queue.connected();
  return { queue, lines, prefix };
}

describe('review job ids', () => {
  it('are the same for a redelivery and differ for another head, other inputs or another re-run request', () => {
    const base = request({ delivery: 'd1' });
    expect(reviewJobId({ ...base, delivery: 'd2' })).toBe(reviewJobId(base));
    expect(reviewJobId({ ...base, headSha: HEAD_B })).not.toBe(reviewJobId(base));
    expect(reviewJobId({ ...base, inputs: 'i2' })).not.toBe(reviewJobId(base));
    expect(reviewJobId({ ...base, owner: 'ACME' })).toBe(reviewJobId(base));
    const rerun = { ...base, force: true };
    expect(reviewJobId({ ...rerun, delivery: 'd2' })).not.toBe(reviewJobId(rerun));
    expect(reviewJobId(rerun)).toMatch(/^r[0-9a-f]{40}$/);
  });
});

/** GitHub's `pull_request.opened` example, as a webhook of acme/widgets#3 at HEAD_A would carry it. */
function openedPull(extra: Partial<PayloadTarget> = {}): PullRequestInfo {
  const target = { owner: 'acme', repo: 'widgets', number: 3, headSha: HEAD_A, headRef: 'claude/fix', baseSha: HEAD_B, baseRef: 'main', title: 'Fix it', body: 'Done.', author: 'dana', labels: ['ai'], ...extra };
  return (adaptPayload(loadExamplePayload('pull_request', 'opened'), target) as { pull_request: PullRequestInfo }).pull_request;
}

describe('the pull request snapshot of a review job', () => {
  it('keeps exactly the fields a review reads, and none when a field is beyond what GitHub allows', () => {
    const pull = openedPull();
    // The webhook's pull request has much more (links, repositories, timestamps…): none of it is kept.
    expect(Object.keys(pull).length).toBeGreaterThan(30);
    expect(pullSnapshotOf(pull)).toEqual({
      number: 3,
      title: 'Fix it',
      body: 'Done.',
      state: 'open',
      user: { login: 'dana', type: 'User' },
      labels: [{ name: 'ai' }],
      head: { sha: HEAD_A, ref: 'claude/fix', repo: { full_name: 'acme/widgets' } },
      base: { sha: HEAD_B, ref: 'main' },
      changed_files: pull.changed_files,
      commits: pull.commits,
    });
    expect(pullSnapshotOf(openedPull({ body: 'x'.repeat(MAX_PULL_BODY) }))?.body).toHaveLength(MAX_PULL_BODY);
    // Then the worker reads the pull request from GitHub instead.
    expect(pullSnapshotOf(openedPull({ body: 'x'.repeat(MAX_PULL_BODY + 1) }))).toBeNull();
    expect(pullSnapshotOf(openedPull({ headRef: 'bad ref' }))).toBeNull();
  });
});

function mergeGroup(extra: Partial<MergeGroupJobData> = {}): MergeGroupJobData {
  return { installation: 7, owner: 'acme', repo: 'widgets', headSha: HEAD_A, headRef: `refs/heads/gh-readonly-queue/main/pr-3-${HEAD_B}`, delivery: randomUUID(), rerun: false, ...extra };
}

function command(extra: Partial<CommandJobData> = {}): CommandJobData {
  return {
    installation: 7,
    owner: 'acme',
    repo: 'widgets',
    number: 3,
    comment: { kind: 'issue', id: 11, inReplyTo: null },
    action: 'created',
    updatedAt: '2026-01-02T03:04:05Z',
    editor: null,
    allowedBefore: false,
    delivery: 'd1',
    ...extra,
  };
}

describe('merge group and command job ids', () => {
  it('a merge group: one job per merge group head, whatever the delivery; a Re-run is one per request', () => {
    const base = mergeGroup({ delivery: 'd1' });
    expect(mergeGroupJobId({ ...base, delivery: 'd2' })).toBe(mergeGroupJobId(base));
    expect(mergeGroupJobId({ ...base, owner: 'ACME' })).toBe(mergeGroupJobId(base));
    expect(mergeGroupJobId({ ...base, headSha: HEAD_B })).not.toBe(mergeGroupJobId(base));
    expect(mergeGroupJobId({ ...base, repo: 'gadgets' })).not.toBe(mergeGroupJobId(base));
    const rerun = { ...base, rerun: true };
    expect(mergeGroupJobId(rerun)).not.toBe(mergeGroupJobId(base));
    expect(mergeGroupJobId({ ...rerun, delivery: 'd2' })).not.toBe(mergeGroupJobId(rerun));
    expect(mergeGroupJobId(base)).toMatch(/^m[0-9a-f]{40}$/);
  });

  it('a command: one job per event (a redelivery keeps its delivery id), another for an edit or a deletion', () => {
    const base = command();
    // The same event, read again by another process, is the same job.
    expect(commandJobId({ ...base })).toBe(commandJobId(base));
    expect(commandJobId({ ...base, delivery: 'd2', action: 'edited', updatedAt: '2026-01-02T03:04:06Z' })).not.toBe(commandJobId(base));
    // A deletion carries the time of the last edit: its own delivery still makes it another job.
    expect(commandJobId({ ...base, delivery: 'd3', action: 'deleted' })).not.toBe(commandJobId(base));
    expect(commandJobId({ ...base, comment: { kind: 'review', id: 11, inReplyTo: 5 } })).not.toBe(commandJobId(base));
    expect(commandJobId({ ...base, comment: { kind: 'issue', id: 12, inReplyTo: null } })).not.toBe(commandJobId(base));
    // Without a delivery id, the action and the time tell events apart.
    const bare = { ...base, delivery: null };
    expect(commandJobId({ ...bare, action: 'deleted' })).not.toBe(commandJobId(bare));
    expect(commandJobId({ ...bare, updatedAt: '2026-01-02T03:04:06Z' })).not.toBe(commandJobId(bare));
    expect(commandJobId(base)).toMatch(/^c[0-9a-f]{40}$/);
  });
});

describe('the Redis review queue', () => {
  it('remembers deliveries across processes', async () => {
    const { queue, prefix } = await queueFor();
    const { queue: other } = await queueFor({ prefix });
    const id = randomUUID();
    expect(await queue.firstDelivery(id)).toBe(true);
    expect(await other.firstDelivery(id)).toBe(false);
    expect(await queue.firstDelivery(id)).toBe(false);
    expect(await other.firstDelivery(randomUUID())).toBe(true);
  });

  it('adds one job for the same event twice, and a newer head replaces the waiting older one', async () => {
    const { queue } = await queueFor();
    const first = await queue.enqueue(request({ delivery: 'd1' }));
    expect(await queue.enqueue(request({ delivery: 'd2' }))).toBe(first);
    expect((await queue.stats()).waiting).toBe(1);
    await queue.enqueue(request({ headSha: HEAD_B }));
    const stats = await queue.stats();
    expect(stats.waiting).toBe(1);
    expect(stats.coalesced).toBe(1);
    const seen: ReviewJobData[] = [];
    queue.startWorker(async (data) => {
      seen.push(data);
      return 'done';
    });
    await queue.drained();
    expect(seen.map((d) => d.headSha)).toEqual([HEAD_B]);
    // Without the pull request's snapshot only ids travel: nothing else of the webhook is stored with the job.
    expect(Object.keys(seen[0]!).sort()).toEqual(['delivery', 'force', 'headSha', 'installation', 'number', 'owner', 'repo']);
  });

  it('tells a running review of an older head to stop when a newer one is queued, and runs one pull request at a time', async () => {
    const { queue } = await queueFor();
    const log: string[] = [];
    let running = 0;
    queue.startWorker(async (data, job) => {
      running++;
      expect(running).toBe(1);
      log.push(`start ${data.headSha![0]}`);
      if (data.headSha === HEAD_A) {
        await new Promise<void>((resolve) => job.signal.addEventListener('abort', () => resolve()));
        log.push(`stopped ${data.headSha[0]}: ${String(job.signal.reason)}`);
      }
      running--;
      return 'done';
    });
    await queue.enqueue(request());
    await until('the first review to start', () => log.length === 1);
    await queue.enqueue(request({ headSha: HEAD_B }));
    await queue.drained();
    expect(log).toEqual(['start a', 'stopped a: a newer event for this pull request', 'start b']);
  });

  it('retries a review that failed on the infrastructure, with backoff, and nothing else', async () => {
    const { queue, lines } = await queueFor({ attempts: 3 });
    const attempts: number[] = [];
    queue.startWorker(async (data, job) => {
      attempts.push(job.attempt);
      return data.number === 3 && job.attempt < 2 ? 'retry' : 'done';
    });
    await queue.enqueue(request());
    await queue.enqueue(request({ number: 4 }));
    await queue.drained();
    expect(attempts.sort()).toEqual([1, 1, 2]);
    expect(lines.warn.filter((l) => l.includes('failed (attempt 1 of 3)'))).toHaveLength(1);
  });

  it('queues again a job that failed for good when a new event for it comes', async () => {
    const { queue } = await queueFor({ attempts: 2 });
    let calls = 0;
    queue.startWorker(async () => (++calls <= 2 ? 'retry' : 'done'));
    await queue.enqueue(request({ delivery: 'first' }));
    await until('the job to fail for good', () => calls === 2);
    await queue.drained();
    await queue.enqueue(request({ delivery: 'second' }));
    await queue.drained();
    expect(calls).toBe(3);
  });

  it('fails a malformed job with a one-line reason and goes on with the next', async () => {
    const { queue, lines, prefix } = await queueFor();
    const seen: number[] = [];
    const pulls: unknown[] = [];
    queue.startWorker(async (data) => {
      seen.push(data.number);
      if (data.pull) pulls.push(data.pull);
      return 'done';
    });
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const raw = new Queue('reviews', { connection, prefix });
    opened.push({ close: async () => void (await raw.close(), connection.disconnect()) });
    const bad = await raw.add('review', { ...request(), inputs: undefined, payload: { pull_request: { title: 'not trusted' } } });
    const worse = await raw.add('review', { ...request({ number: 9 }), inputs: undefined, owner: '../../etc' });
    // Snapshots of the pull request: one with a field no review reads, one half written.
    const snapshot = pullSnapshotOf(openedPull())!;
    const extra = await raw.add('review', { ...request(), inputs: undefined, pull: { ...snapshot, diff_url: 'https://github.com/acme/widgets/pull/3.diff' } });
    const { sha: _sha, ...headWithoutSha } = snapshot.head;
    const half = await raw.add('review', { ...request(), inputs: undefined, pull: { ...snapshot, head: headWithoutSha } });
    // Well formed, but not sealed by the app: reviewed without them (the pull request read from GitHub).
    const forged = { ...snapshot, labels: [], body: 'Written by hand.' };
    await raw.add('review', { ...request({ number: 6 }), inputs: undefined, pull: { ...forged, number: 6 } });
    await raw.add('review', { ...request({ number: 8 }), inputs: undefined, pull: { ...forged, number: 8 }, seal: sealOf('another key', { ...request({ number: 8 }), pull: { ...forged, number: 8 } }) });
    await queue.enqueue(request({ number: 5 }));
    await queue.enqueue({ ...request({ number: 3 }), pull: snapshot });
    await until('the good jobs', () => seen.length === 4);
    const bads = [bad, worse, extra, half];
    await until('every bad job failed', async () => (await Promise.all(bads.map((job) => raw.getJob(job.id!)))).every((job) => job?.failedReason !== undefined));
    expect(seen.sort()).toEqual([3, 5, 6, 8]);
    expect(pulls).toEqual([snapshot]);
    expect(lines.warn.filter((l) => l.endsWith("the pull request snapshot's seal does not hold; reading the pull request from GitHub"))).toHaveLength(2);
    const failed = await Promise.all(bads.map((job) => raw.getJob(job.id!)));
    expect(failed.map((job) => job!.failedReason)).toEqual([
      `malformed review job ${bad.id}: job data: Unrecognized key: "payload"`,
      `malformed review job ${worse.id}: owner: not a GitHub owner or repository name`,
      `malformed review job ${extra.id}: pull: Unrecognized key: "diff_url"`,
      `malformed review job ${half.id}: pull.head.sha: Invalid input: expected string, received undefined`,
    ]);
    // Failed for good: not retried.
    expect(failed.map((job) => job!.attemptsMade)).toEqual([1, 1, 1, 1]);
    expect(lines.error.filter((l) => l.startsWith('malformed review job'))).toHaveLength(4);
    for (const line of lines.error) expect(line).not.toContain('\n');
  });
});

describe('merge group and command jobs in the Redis queue', () => {
  it('run each once on a worker, retried when they fail on the infrastructure, with the attempt that is the last said', async () => {
    const { queue, lines } = await queueFor({ attempts: 2 });
    const seen: string[] = [];
    queue.startWorker(async () => 'done', {
      mergeGroup: async (data, job) => {
        seen.push(`merge ${data.headSha[0]} attempt ${job.attempt}${job.lastAttempt ? ' last' : ''}`);
        return job.lastAttempt ? 'done' : 'retry';
      },
      command: async (data, job) => {
        seen.push(`command ${data.comment.id} attempt ${job.attempt}`);
        return 'done';
      },
    });
    const group = mergeGroup();
    expect(await queue.enqueueMergeGroup({ ...group, delivery: randomUUID() })).toBe(await queue.enqueueMergeGroup(group));
    expect(await queue.enqueueCommand(command())).toBe(await queue.enqueueCommand(command()));
    await queue.drained();
    expect(seen.sort()).toEqual(['command 11 attempt 1', 'merge a attempt 1', 'merge a attempt 2 last']);
    expect(lines.warn.filter((l) => l.startsWith('merge group job m') && l.includes('failed (attempt 1 of 2)'))).toHaveLength(1);
  });

  it('fails a malformed merge group or command job with a one-line reason', async () => {
    const { queue, lines, prefix } = await queueFor();
    const seen: string[] = [];
    queue.startWorker(async () => 'done', {
      mergeGroup: async (data) => {
        seen.push(data.headRef);
        return 'done';
      },
      command: async (data) => {
        seen.push(String(data.comment.id));
        return 'done';
      },
    });
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const raw = new Queue('reviews', { connection, prefix });
    opened.push({ close: async () => void (await raw.close(), connection.disconnect()) });
    const jobs = await Promise.all([
      raw.add('merge-group', mergeGroup({ headRef: 'main; rm -rf /' })),
      raw.add('command', { ...command(), body: '/airlock allow everything' }),
      raw.add('command', command({ editor: { login: 'not a login' } })),
      raw.add('sweep', {}),
    ]);
    await until('every bad job failed', async () => (await Promise.all(jobs.map((job) => job.getState()))).every((state) => state === 'failed'));
    const reasons = await Promise.all(jobs.map(async (job) => (await raw.getJob(job.id!))!.failedReason));
    expect(reasons).toEqual([
      `malformed merge group job ${jobs[0]!.id}: headRef: not a branch name`,
      `malformed command job ${jobs[1]!.id}: job data: Unrecognized key: "body"`,
      `malformed command job ${jobs[2]!.id}: editor.login: not a GitHub login`,
      `unknown job kind "sweep" (job ${jobs[3]!.id})`,
    ]);
    expect(seen).toEqual([]);
    expect(lines.error).toHaveLength(4);
  });
});

describe('which failures are retried', () => {
  it('retries GitHub unreachable or 5xx, Redis gone and a stopping process; never a review that ran', () => {
    expect(retryableFailure(Object.assign(new Error('Bad gateway'), { status: 502 }))).toBe(true);
    expect(retryableFailure(Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) }))).toBe(true);
    expect(retryableFailure(new StoppingError('before this review finished'))).toBe(true);
    expect(retryableFailure(Object.assign(new Error('Reached the max retries per request limit (which is 20).'), { name: 'MaxRetriesPerRequestError' }))).toBe(true);
    expect(retryableFailure(Object.assign(new Error('Not Found'), { status: 404 }))).toBe(false);
    expect(retryableFailure(new Error('The review did not finish within its deadline of 10 min'))).toBe(false);
  });
});

describe('starting with REDIS_URL', () => {
  let standIn: StandIn | undefined;
  let running: RunningAirlock | undefined;
  afterEach(async () => {
    await running?.close(1_000);
    running = undefined;
    await standIn?.close();
    standIn = undefined;
  });

  function envFor(host: string, extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
    return { APP_ID: '1', PRIVATE_KEY: testKey(), WEBHOOK_SECRET: SECRET, GHE_HOST: host, GHE_PROTOCOL: 'http', HOST: '127.0.0.1', PORT: '0', AIRLOCK_WORKERS: '0', ...extra };
  }

  async function refusal(env: NodeJS.ProcessEnv): Promise<string[]> {
    const log = captureLog();
    const error = await startAirlock({ env, log: log.logger }).then(
      (started) => {
        running = started;
        return null;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StartupError);
    for (const line of (error as StartupError).problems) expect(line).not.toContain('\n');
    return (error as StartupError).problems;
  }

  it('refuses a bad REDIS_URL, an unreachable Redis and roles that need Redis, in one line each', async () => {
    standIn = await startStandIn();
    expect(await refusal(envFor(standIn.host, { REDIS_URL: 'http://127.0.0.1:6379' }))).toEqual(['REDIS_URL must start with redis:// or rediss:// (got http:)']);
    expect(await refusal(envFor(standIn.host, { REDIS_URL: 'not a url' }))).toEqual(['REDIS_URL is not a URL: set it to redis://host:port (or rediss:// for TLS)']);
    const port = await closedPort();
    expect(await refusal(envFor(standIn.host, { REDIS_URL: `redis://:secret-password@127.0.0.1:${port}` }))).toEqual([`cannot reach Redis at 127.0.0.1:${port} (REDIS_URL): ECONNREFUSED`]);
    expect(await refusal(envFor(standIn.host, { AIRLOCK_ROLE: 'worker' }))).toEqual(['AIRLOCK_ROLE=worker needs REDIS_URL: web and worker processes share their queue through Redis.']);
    expect(await refusal(envFor(standIn.host, { AIRLOCK_ROLE: 'reviewer', REDIS_URL: redis.url }))).toEqual(['AIRLOCK_ROLE must be web, worker or all (got "reviewer")']);
    // Nothing was asked of GitHub.
    expect(standIn.requests).toEqual([]);
  });

  it('`npm start` with an unreachable Redis prints one line and exits non-zero', async () => {
    standIn = await startStandIn();
    const port = await closedPort();
    const entry = join(PACKAGE_ROOT, 'dist', 'server.js');
    const result = spawnSync(process.execPath, [entry], {
      cwd: PACKAGE_ROOT,
      env: { PATH: process.env.PATH, ...envFor(standIn.host, { REDIS_URL: `redis://127.0.0.1:${port}` }) },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`airlock: cannot reach Redis at 127.0.0.1:${port} (REDIS_URL): ECONNREFUSED\n`);
  });

  it('`airlock-worker` is the app as a worker: without REDIS_URL it says so in one line and exits 1', async () => {
    standIn = await startStandIn();
    const result = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'airlock-worker.js')], {
      cwd: PACKAGE_ROOT,
      env: { PATH: process.env.PATH, ...envFor(standIn.host, {}) },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('airlock: AIRLOCK_ROLE=worker needs REDIS_URL: web and worker processes share their queue through Redis.\n');
  });

  it('a web process: ready while Redis answers, its queue depth and age in the metrics', async () => {
    standIn = await startStandIn();
    const repo = standIn.state.addRepo({ owner: 'acme', name: 'widgets', ownerType: 'Organization' });
    const pull = addAiPull(repo);
    const log = captureLog();
    const prefix = `w${randomUUID().slice(0, 8)}`;
    running = await startAirlock({ env: envFor(standIn.host, { REDIS_URL: redis.url, AIRLOCK_ROLE: 'web' }), log: log.logger, queue: { prefix }, app: { reaper: false } });
    const base = new URL(running.url).origin;
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    const target = { url: running.url };
    const delivery = randomUUID();
    expect((await deliver(target, pullRequestPayload(standIn, repo, pull, 'opened'), delivery)).status).toBe(200);
    const again = await deliver(target, pullRequestPayload(standIn, repo, pull, 'opened'), delivery);
    expect(JSON.parse(again.body)).toEqual({ status: 'duplicate delivery' });
    // No worker: the job waits in Redis.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^airlock_queue_waiting 1$/m);
    expect(Number(/^airlock_queue_oldest_wait_seconds (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0.2);
    expect(repo.checkRuns).toEqual([]);
    expect(log.text()).toContain('web on the queue in Redis');

    // A re-run asked for in GitHub's UI is a job of its own, with the ids of its webhook.
    const rerun = randomUUID();
    const payload = adaptPayload(loadExamplePayload('check_run', 'rerequested'), { ...targetForPullRequest(repo, pull, standIn), checkRunId: 1, checkRunName: 'Airlock' });
    expect((await deliverWebhook(running.url, { event: 'check_run', payload, secret: SECRET, deliveryId: rerun })).status).toBe(200);
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const raw = new Queue('reviews', { connection, prefix });
    try {
      const waiting = async () => (await raw.getJobs(['wait'])).map((job) => job.data as Record<string, unknown>);
      // It replaces the review still waiting for the same pull request.
      // (The older job is removed just after the new one is added: wait for both.)
      await until('the re-run job in place of the review', async () => (await waiting()).map((data) => data.force).join() === 'true');
      expect(await waiting()).toEqual([{ installation: repo.installationId, owner: 'acme', repo: 'widgets', number: pull.number, headSha: null, delivery: rerun, force: true }]);
    } finally {
      await raw.close();
      connection.disconnect();
    }
  });
});

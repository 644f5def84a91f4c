// The queue shared through Redis, with real app processes (the built app) on a real Redis,
// against the GitHub stand-in: two processes share a burst without reviewing anything twice;
// a worker killed mid-review has its job finished by another; Redis stopping mid-run is said
// clearly, the app recovers when it returns, and no check stays in progress.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { addAiPull } from '../../fixtures.js';
import { startStandIn, type StandIn } from '../../stand-in/server.js';
import type { PullRecord, RepoState } from '../../stand-in/state.js';
import { allReviewed, deliver, pullRequestPayload, startApp, until, type AppProcess } from './processes.js';
import { OwnRedis, testRedis } from './redis-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

async function setUp(pullCount: number): Promise<{ standIn: StandIn; repo: RepoState; pulls: PullRecord[] }> {
  const standIn = await startStandIn();
  cleanups.push(() => standIn.close());
  const repo = standIn.state.addRepo({ owner: 'acme', name: 'fleet', ownerType: 'Organization' });
  repo.setContent('main', '.github/airlock.yml', 'review: ai\n');
  const pulls = Array.from({ length: pullCount }, (_, i) => addAiPull(repo, { number: 100 + i }));
  return { standIn, repo, pulls };
}

async function app(settings: Parameters<typeof startApp>[0]): Promise<AppProcess> {
  const started = await startApp(settings);
  cleanups.push(() => started.stop());
  return started;
}

/** Every own check run of a head that completed with a verdict (not cancelled). */
function verdicts(repo: RepoState, sha: string) {
  return repo.checkRunsFor(sha).filter((run) => run.status === 'completed' && run.conclusion !== 'cancelled');
}

function logText(process: AppProcess): string {
  return process.lines.map((line) => `${line.level} ${line.msg ?? ''}`).join('\n');
}

describe('the review queue shared through Redis', () => {
  it('two processes share a burst: one review per head, no duplicate comment, no pull request lost', async () => {
    const redis = await testRedis();
    cleanups.push(() => redis.close());
    const { standIn, repo, pulls } = await setUp(50);
    const queue = { prefix: `t${randomUUID().slice(0, 8)}`, lockMs: 5_000, stalledIntervalMs: 2_000 };
    const [a, b] = await Promise.all([app({ redisUrl: redis.url, standIn, queue }), app({ redisUrl: redis.url, standIn, queue })]);
    standIn.delayMs = 5;

    // 100 webhooks: every pull request opened, the same delivery sent to both processes.
    const opened = pulls.map((pull) => ({ payload: pullRequestPayload(standIn, repo, pull, 'opened'), id: randomUUID() }));
    const first = await Promise.all(opened.flatMap((d) => [deliver(a, d.payload, d.id), deliver(b, d.payload, d.id)]));
    // 50 more: rapid pushes to 25 of them, each push's delivery again sent to both.
    const pushes = pulls.slice(0, 25).map((pull) => {
      repo.pushToPullRequest(pull.number);
      return { payload: pullRequestPayload(standIn, repo, pull, 'synchronize'), id: randomUUID() };
    });
    const second = await Promise.all(pushes.flatMap((d) => [deliver(a, d.payload, d.id), deliver(b, d.payload, d.id)]));
    // 50 redeliveries of earlier deliveries, alternating between the processes.
    const again = await Promise.all([...opened, ...pushes].slice(0, 50).map((d, i) => deliver(i % 2 ? a : b, d.payload, d.id)));
    const all = [...first, ...second, ...again];
    expect(all).toHaveLength(200);
    expect(all.every((r) => r.status === 200)).toBe(true);
    // Each delivery is handled once, by whichever process got it first.
    expect(all.filter((r) => r.body.includes('duplicate delivery'))).toHaveLength(125);

    // About 15 s on an idle 2-core machine; the margin is for a loaded one.
    await until('every head reviewed', () => allReviewed(repo, pulls), 100_000);
    for (const pull of pulls) {
      expect(verdicts(repo, pull.head.sha), `${pull.number}`).toHaveLength(1);
      expect(verdicts(repo, pull.head.sha)[0]!.conclusion).toBe('failure');
    }
    // A superseded head has at most one verdict, and no check of any head is left in progress.
    const heads = new Set(repo.checkRuns.map((run) => run.headSha));
    for (const sha of heads) expect(verdicts(repo, sha).length).toBeLessThanOrEqual(1);
    expect(repo.checkRuns.filter((run) => run.status !== 'completed')).toEqual([]);
    const comments = repo.reviewComments.map((c) => `${c.pullNumber} ${c.commitId} ${c.path}:${c.line} ${c.body}`);
    expect(new Set(comments).size).toBe(comments.length);
    expect(new Set(repo.reviewComments.map((c) => c.pullNumber)).size).toBe(50);
    // Both processes reviewed.
    const reviewers = new Set([...a.lines, ...b.lines].filter((l) => l.level === 'result' && l.kind === 'completed').map((l) => l.pid));
    expect(reviewers.size).toBe(2);
    // Both processes throttle this installation's requests with one limiter, kept in Redis.
    const client = new Redis(redis.url);
    try {
      expect(await client.zcard(`b_octokit-global-installation-${repo.installationId}_client_last_seen`)).toBeGreaterThanOrEqual(2);
    } finally {
      client.disconnect();
    }
    expect(standIn.violations).toEqual([]);
  }, 150_000);

  it('a worker killed mid-review: another worker takes its job over and completes the check it left', async () => {
    const redis = await testRedis();
    cleanups.push(() => redis.close());
    const { standIn, repo, pulls } = await setUp(1);
    const pull = pulls[0]!;
    const queue = { prefix: `t${randomUUID().slice(0, 8)}`, lockMs: 1_500, stalledIntervalMs: 500 };
    const web = await app({ redisUrl: redis.url, standIn, queue, role: 'web' });
    const doomed = await app({ redisUrl: redis.url, standIn, queue, role: 'worker' });
    // Slow GitHub: the review is surely still under way when its worker dies.
    standIn.delayMs = 300;
    expect((await deliver(web, pullRequestPayload(standIn, repo, pull, 'opened'), randomUUID())).status).toBe(200);
    await until('the first worker to start the review', () => repo.checkRunsFor(pull.head.sha).some((run) => run.status === 'in_progress'), 20_000);
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    expect(doomed.lines.filter((l) => l.level === 'result')).toEqual([]);
    standIn.delayMs = 5;
    const rescuer = await app({ redisUrl: redis.url, standIn, queue, role: 'worker' });

    await until('the review to complete on the other worker', () => allReviewed(repo, pulls), 30_000);
    expect(verdicts(repo, pull.head.sha)).toHaveLength(1);
    expect(verdicts(repo, pull.head.sha)[0]!.conclusion).toBe('failure');
    // The killed worker's check says it was taken over rather than staying in progress.
    const left = repo.checkRunsFor(pull.head.sha).filter((run) => run.conclusion === 'cancelled');
    expect(left).toHaveLength(1);
    expect(left[0]!.output.summary).toContain('another worker took over');
    // Its result line follows the check's completion through the process's output.
    await until("the rescuer's result", () => rescuer.lines.some((l) => l.level === 'result'), 5_000);
    expect(rescuer.lines.filter((l) => l.level === 'result').map((l) => l.kind)).toEqual(['completed']);
    // The web process takes webhooks and reviews nothing; a worker takes no webhook.
    expect(web.lines.filter((l) => l.level === 'result')).toEqual([]);
    expect((await deliver(rescuer, pullRequestPayload(standIn, repo, pull, 'opened'), randomUUID())).status).toBe(404);
    const comments = repo.reviewComments.map((c) => `${c.path}:${c.line} ${c.body}`);
    expect(new Set(comments).size).toBe(comments.length);
    expect(standIn.violations).toEqual([]);
  }, 60_000);

  it('a worker stopped by SIGTERM hands its job back, and another worker reviews it', async () => {
    const redis = await testRedis();
    cleanups.push(() => redis.close());
    const { standIn, repo, pulls } = await setUp(1);
    const pull = pulls[0]!;
    const queue = { prefix: `t${randomUUID().slice(0, 8)}`, lockMs: 1_500, stalledIntervalMs: 500, backoffMs: 100 };
    const web = await app({ redisUrl: redis.url, standIn, queue, role: 'web' });
    const leaving = await app({ redisUrl: redis.url, standIn, queue, role: 'worker' });
    standIn.delayMs = 400;
    expect((await deliver(web, pullRequestPayload(standIn, repo, pull, 'opened'), randomUUID())).status).toBe(200);
    await until('the first worker to start the review', () => repo.checkRunsFor(pull.head.sha).some((run) => run.status === 'in_progress'), 20_000);
    // Its grace time (2 s here) is too short for the review at 400 ms per GitHub request.
    leaving.child.kill('SIGTERM');
    expect(await leaving.exited).toBe(0);
    standIn.delayMs = 5;
    const next = await app({ redisUrl: redis.url, standIn, queue, role: 'worker' });

    // The stopped review's check completed too (not finished, with a re-run): wait for the verdict.
    const verdictOf = () => repo.checkRunsFor(pull.head.sha).find((run) => run.output.title === '2 findings at or above high');
    await until('the review to complete on the other worker', () => verdictOf() !== undefined && allReviewed(repo, pulls), 30_000);
    // The stopped review's check says so and offers a re-run; the newest check has the verdict.
    const runs = repo.checkRunsFor(pull.head.sha).sort((a, b) => a.id - b.id);
    expect(runs).toHaveLength(2);
    expect(runs[0]!.output.summary).toContain('Airlock was stopping');
    expect(runs[0]!.actions.map((a) => a.identifier)).toContain('rerun');
    expect(runs[1]!.conclusion).toBe('failure');
    expect(runs[1]!.output.title).toBe('2 findings at or above high');
    expect(leaving.lines.filter((l) => l.level === 'result').map((l) => l.kind)).toEqual(['failed']);
    // Its result line follows the check's completion through the process's output.
    await until("the other worker's result", () => next.lines.some((l) => l.level === 'result'), 5_000);
    expect(next.lines.filter((l) => l.level === 'result').map((l) => l.kind)).toEqual(['completed']);
    expect(repo.checkRuns.filter((run) => run.status !== 'completed')).toEqual([]);
  }, 60_000);

  it('Redis stopped mid-run: a clear failure, recovery when it returns, no check left in progress', async () => {
    const redis = await OwnRedis.start();
    cleanups.push(() => redis.close());
    const { standIn, repo, pulls } = await setUp(6);
    const queue = { lockMs: 4_000, stalledIntervalMs: 1_000, backoffMs: 200 };
    const one = await app({ redisUrl: redis.url, standIn, queue, concurrency: 2 });
    standIn.delayMs = 100;
    const early = pulls.slice(0, 4);
    for (const pull of early) expect((await deliver(one, pullRequestPayload(standIn, repo, pull, 'opened'), randomUUID())).status).toBe(200);
    await until('a review under way', () => repo.checkRuns.some((run) => run.status === 'in_progress'), 20_000);

    await redis.stop();
    await until('the loss of Redis to be logged', () => /Redis at 127\.0\.0\.1:\d+ unreachable/.test(logText(one)), 10_000);
    const ready = await fetch(`${one.base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'redis unreachable' });
    // A webhook now is refused, so that GitHub lists it as failed (to redeliver), not silently lost.
    const late = { payload: pullRequestPayload(standIn, repo, pulls[4]!, 'opened'), id: randomUUID() };
    const refused = await deliver(one, late.payload, late.id);
    expect(refused.status).toBe(503);
    expect(refused.body).toContain('the review queue (Redis) is unavailable');
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    await redis.resume();
    await until('Redis to be back in the log', () => /Redis at 127\.0\.0\.1:\d+ reachable again/.test(logText(one)), 15_000);
    expect((await fetch(`${one.base}/readyz`)).status).toBe(200);
    standIn.delayMs = 5;
    // The refused delivery, redelivered, and a new one are both taken.
    expect((await deliver(one, late.payload, late.id)).status).toBe(200);
    expect((await deliver(one, pullRequestPayload(standIn, repo, pulls[5]!, 'opened'), randomUUID())).status).toBe(200);
    await until('every pull request reviewed and no check in progress', () => allReviewed(repo, pulls), 40_000);
    expect(repo.checkRuns.filter((run) => run.status !== 'completed')).toEqual([]);
    for (const pull of pulls) expect(verdicts(repo, pull.head.sha).length, `${pull.number}`).toBeGreaterThanOrEqual(1);
    // One line per connection and outage, not one per reconnection attempt.
    const errors = one.lines.filter((l) => l.level === 'error').map((l) => l.msg ?? '');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length).toBeLessThanOrEqual(3);
    for (const line of errors) expect(line).toMatch(/^Redis at 127\.0\.0\.1:\d+ unreachable \((queue|worker|rate limits)\): (ECONNREFUSED|ECONNRESET|not connected); /);
    expect(standIn.violations).toEqual([]);
  }, 90_000);
});

// Merge queue checks and the answers to `/airlock` commands through Redis, with real app
// processes (the built app) on a real Redis, against the GitHub stand-in and GitHub's example
// webhooks: a web process only queues them and a worker does them; the same delivery sent to
// two processes, or redelivered, is done once; a worker killed while doing one has it finished
// by another; an edited comment is judged as the edit says.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { addAiPull } from '../../fixtures.js';
import { startStandIn, type StandIn } from '../../stand-in/server.js';
import type { IssueCommentRecord, PullRecord, RepoState } from '../../stand-in/state.js';
import { adaptPayload, deliverWebhook, loadExamplePayload, targetForPullRequest, type DeliveryResult } from '../../webhooks.js';
import { SECRET, startApp, until, type AppProcess } from './processes.js';
import { testRedis } from './redis-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

async function setUp(): Promise<{ standIn: StandIn; repo: RepoState; pull: PullRecord; redisUrl: string }> {
  const redis = await testRedis();
  cleanups.push(() => redis.close());
  const standIn = await startStandIn();
  cleanups.push(() => standIn.close());
  const repo = standIn.state.addRepo({ owner: 'acme', name: 'fleet', ownerType: 'Organization' });
  repo.setContent('main', '.github/airlock.yml', 'review: ai\n');
  return { standIn, repo, pull: addAiPull(repo, { number: 7 }), redisUrl: redis.url };
}

async function app(settings: Parameters<typeof startApp>[0]): Promise<AppProcess> {
  const started = await startApp(settings);
  cleanups.push(() => started.stop());
  return started;
}

function send(app: Pick<AppProcess, 'url'>, event: 'merge_group' | 'issue_comment', payload: Record<string, unknown>, deliveryId: string): Promise<DeliveryResult> {
  return deliverWebhook(app.url, { event, payload, secret: SECRET, deliveryId });
}

/** A merge queue's commit merging `pull`, and GitHub's `merge_group.checks_requested` for it. */
function queueForMerge(standIn: StandIn, repo: RepoState, pull: PullRecord): { headSha: string; payload: Record<string, unknown> } {
  const headSha = standIn.state.newSha();
  const headRef = `gh-readonly-queue/main/pr-${pull.number}-${pull.head.sha}`;
  repo.setRef(headRef, headSha);
  const payload = adaptPayload(loadExamplePayload('merge_group', 'checks_requested'), { ...targetForPullRequest(repo, pull, standIn), headSha, headRef }) as Record<string, unknown>;
  return { headSha, payload };
}

/** GitHub's `issue_comment` webhook for a comment of the stand-in on `pull`, sent by `sender`. */
function commentPayload(standIn: StandIn, repo: RepoState, pull: PullRecord, action: 'created' | 'edited', comment: IssueCommentRecord, sender: string): Record<string, unknown> {
  const payload = adaptPayload(loadExamplePayload('issue_comment', action), {
    ...targetForPullRequest(repo, pull, standIn),
    commentBody: comment.body,
    commentAuthor: comment.user.login,
    commentId: comment.id,
    sender,
  }) as Record<string, unknown>;
  (payload.issue as Record<string, unknown>).pull_request = { url: `${standIn.apiUrl}/repos/acme/fleet/pulls/${pull.number}`, html_url: '', diff_url: '', patch_url: '', merged_at: null };
  (payload.comment as Record<string, unknown>).updated_at = comment.updatedAt;
  return payload;
}

function results(process: AppProcess): string[] {
  return process.lines.filter((l) => l.level === 'result').map((l) => `${l.kind} #${l.number}`);
}

describe('merge queue checks and command answers through Redis', () => {
  it('a merge group delivered to two web processes: one check, mirrored by a worker', async () => {
    const { standIn, repo, pull, redisUrl } = await setUp();
    const queue = { prefix: `t${randomUUID().slice(0, 8)}`, lockMs: 5_000, stalledIntervalMs: 2_000 };
    const [a, b] = await Promise.all([app({ redisUrl, standIn, queue, role: 'web' }), app({ redisUrl, standIn, queue, role: 'web' })]);
    const group = queueForMerge(standIn, repo, pull);
    const id = randomUUID();
    const answers = await Promise.all([send(a, 'merge_group', group.payload, id), send(b, 'merge_group', group.payload, id)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(answers.filter((r) => r.body.includes('duplicate delivery'))).toHaveLength(1);

    // No worker yet: the job waits in Redis, and the web processes do no review work.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(repo.checkRuns).toEqual([]);
    const worker = await app({ redisUrl, standIn, queue, role: 'worker' });
    await until('the merge group check', () => repo.checkRunsFor(group.headSha).length > 0, 40_000);
    // A redelivery after it is done adds nothing.
    expect((await send(b, 'merge_group', group.payload, id)).body).toContain('duplicate delivery');
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const checks = repo.checkRunsFor(group.headSha);
    expect(checks.map((run) => [run.status, run.conclusion, run.output.title])).toEqual([['completed', 'failure', '#7: 2 findings at or above high']]);
    // The pull request had no review: the worker reviewed it first, once.
    expect(repo.checkRunsFor(pull.head.sha).map((run) => run.conclusion)).toEqual(['failure']);
    expect(results(worker)).toEqual(['completed #7']);
    expect([...results(a), ...results(b)]).toEqual([]);
    expect(standIn.violations).toEqual([]);
  }, 90_000);

  it('a command comment delivered twice, to two processes and again later: one reply, written by a worker', async () => {
    const { standIn, repo, pull, redisUrl } = await setUp();
    const queue = { prefix: `t${randomUUID().slice(0, 8)}`, lockMs: 5_000, stalledIntervalMs: 2_000 };
    const [a, b] = await Promise.all([app({ redisUrl, standIn, queue, role: 'web' }), app({ redisUrl, standIn, queue, role: 'web' })]);
    // Someone without write access, who did not open the pull request, asks for a rescan.
    const comment = repo.addIssueComment(pull.number, '/airlock rescan', 'mallory');
    const payload = commentPayload(standIn, repo, pull, 'created', comment, 'mallory');
    const id = randomUUID();
    const answers = await Promise.all([send(a, 'issue_comment', payload, id), send(b, 'issue_comment', payload, id)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(answers.filter((r) => r.body.includes('duplicate delivery'))).toHaveLength(1);
    const replies = () => repo.issueComments.filter((c) => c.user.login === 'airlock[bot]');
    // No worker yet: the web processes only queued it.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(replies()).toEqual([]);
    const worker = await app({ redisUrl, standIn, queue, role: 'worker' });
    await until('the reply', () => replies().length > 0, 30_000);
    expect((await send(a, 'issue_comment', payload, id)).body).toContain('duplicate delivery');
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    expect(replies()).toHaveLength(1);
    expect(replies()[0]!.body).toContain('@mallory, thanks for the command, but Airlock cannot act on it');
    // Refused: no review was scheduled.
    expect(repo.checkRuns).toEqual([]);
    expect([...a.lines, ...b.lines, ...worker.lines].filter((l) => l.level === 'error')).toEqual([]);
    expect(standIn.violations).toEqual([]);
  }, 90_000);

  it("an edited comment is judged as its edit says, by the edit's sender; the earlier event no longer judges its text", async () => {
    const { standIn, repo, pull, redisUrl } = await setUp();
    const queue = { prefix: `t${randomUUID().slice(0, 8)}`, lockMs: 5_000, stalledIntervalMs: 2_000 };
    const web = await app({ redisUrl, standIn, queue, role: 'web' });
    repo.setPermission('maria', 'write');
    // Mallory asks for help; before any worker gets to it, Maria (a maintainer) edits it into a rescan.
    const comment = repo.addIssueComment(pull.number, '/airlock help', 'mallory');
    expect((await send(web, 'issue_comment', commentPayload(standIn, repo, pull, 'created', comment, 'mallory'), randomUUID())).status).toBe(200);
    standIn.state.advanceClock(2_000);
    repo.editIssueComment(comment.id, '/airlock rescan', 'maria');
    const edited = commentPayload(standIn, repo, pull, 'edited', comment, 'maria');
    edited.changes = { body: { from: '/airlock help' } };
    expect((await send(web, 'issue_comment', edited, randomUUID())).status).toBe(200);
    const worker = await app({ redisUrl, standIn, queue, role: 'worker' });

    // Maria's rescan is hers to ask: a review, and no refusal in Mallory's name for text Mallory did not write.
    await until('the rescan', () => repo.checkRunsFor(pull.head.sha).some((run) => run.status === 'completed'), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(repo.issueComments.filter((c) => c.user.login === 'airlock[bot]')).toEqual([]);
    expect(results(worker)).toEqual(['completed #7']);
    expect(results(web)).toEqual([]);
    expect(standIn.violations).toEqual([]);
  }, 90_000);

  it('an allowance in a finding’s thread, delivered to two processes: read by a worker, honoured by one review', async () => {
    const { standIn, repo, pull, redisUrl } = await setUp();
    const queue = { prefix: `t${randomUUID().slice(0, 8)}`, lockMs: 5_000, stalledIntervalMs: 2_000 };
    const [a, b] = await Promise.all([app({ redisUrl, standIn, queue, role: 'web' }), app({ redisUrl, standIn, queue, role: 'web' })]);
    const worker = await app({ redisUrl, standIn, queue, role: 'worker' });
    const opened = adaptPayload(loadExamplePayload('pull_request', 'opened'), targetForPullRequest(repo, pull, standIn)) as Record<string, unknown>;
    expect((await deliverWebhook(a.url, { event: 'pull_request', payload: opened, secret: SECRET, deliveryId: randomUUID() })).status).toBe(200);
    await until('the review', () => repo.checkRunsFor(pull.head.sha).some((run) => run.status === 'completed'), 30_000);
    const root = repo.reviewComments.find((c) => c.inReplyToId === null && c.body.includes('<code>js.backdoor.hardcoded-credential-check</code>'))!;
    repo.setPermission('maria', 'write');
    const reply = repo.addReviewReply(root.id, '/airlock allow false-positive the token is a test fixture', 'maria');
    const payload = adaptPayload(loadExamplePayload('pull_request_review_comment', 'created'), {
      ...targetForPullRequest(repo, pull, standIn),
      commentBody: reply.body,
      commentAuthor: 'maria',
      commentId: reply.id,
      sender: 'maria',
    }) as Record<string, unknown>;
    Object.assign(payload.comment as Record<string, unknown>, { in_reply_to_id: root.id, updated_at: reply.updatedAt });
    const id = randomUUID();
    const answers = await Promise.all([
      deliverWebhook(a.url, { event: 'pull_request_review_comment', payload, secret: SECRET, deliveryId: id }),
      deliverWebhook(b.url, { event: 'pull_request_review_comment', payload, secret: SECRET, deliveryId: id }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);

    const accepted = () => repo.checkRunsFor(pull.head.sha).filter((run) => run.output.title === '1 finding at or above high (1 accepted by maintainers)');
    await until('the review that honours the allowance', () => accepted().length > 0, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(accepted()).toHaveLength(1);
    expect(accepted()[0]!.output.summary).toContain('accepted by @&#8203;maria as **false positive**: the token is a test fixture');
    // The review answers the thread once; the allowance itself earns no reply.
    const answered = repo.reviewComments.filter((c) => c.inReplyToId === root.id && c.user.login === 'airlock[bot]');
    expect(answered.map((c) => c.body.split('\n')[0])).toEqual(['Accepted by `maria`: it no longer fails the check.']);
    expect(results(worker)).toEqual(['completed #7', 'completed #7']);
    expect([...results(a), ...results(b)]).toEqual([]);
    expect(standIn.violations).toEqual([]);
  }, 90_000);

  it('a worker killed during a merge group: another worker takes the job over and publishes one check', async () => {
    const { standIn, repo, pull, redisUrl } = await setUp();
    const queue = { prefix: `t${randomUUID().slice(0, 8)}`, lockMs: 1_500, stalledIntervalMs: 500 };
    const web = await app({ redisUrl, standIn, queue, role: 'web' });
    const doomed = await app({ redisUrl, standIn, queue, role: 'worker' });
    // Slow GitHub: the review the merge group needs is surely under way when its worker dies.
    standIn.delayMs = 300;
    const group = queueForMerge(standIn, repo, pull);
    expect((await send(web, 'merge_group', group.payload, randomUUID())).status).toBe(200);
    await until('the worker to start reviewing the pull request', () => repo.checkRunsFor(pull.head.sha).some((run) => run.status === 'in_progress'), 20_000);
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    expect(repo.checkRunsFor(group.headSha)).toEqual([]);
    standIn.delayMs = 5;
    const rescuer = await app({ redisUrl, standIn, queue, role: 'worker' });

    await until('the merge group check', () => repo.checkRunsFor(group.headSha).length > 0, 30_000);
    await until('no check in progress', () => repo.checkRuns.every((run) => run.status === 'completed'), 10_000);
    expect(repo.checkRunsFor(group.headSha).map((run) => [run.conclusion, run.output.title])).toEqual([['failure', '#7: 2 findings at or above high']]);
    // The dead worker's check of the pull request says it was taken over; the new one has the verdict.
    const runs = repo.checkRunsFor(pull.head.sha).sort((x, y) => x.id - y.id);
    expect(runs.map((run) => run.conclusion)).toEqual(['cancelled', 'failure']);
    expect(runs[0]!.output.summary).toContain('another worker took over');
    expect(results(rescuer)).toEqual(['completed #7']);
    expect(results(web)).toEqual([]);
    expect(standIn.violations).toEqual([]);
  }, 90_000);

  it('a worker stopped by SIGTERM during a merge group hands the job back, and another worker publishes the check', async () => {
    const { standIn, repo, pull, redisUrl } = await setUp();
    const queue = { prefix: `t${randomUUID().slice(0, 8)}`, lockMs: 1_500, stalledIntervalMs: 500, backoffMs: 100 };
    const web = await app({ redisUrl, standIn, queue, role: 'web' });
    const leaving = await app({ redisUrl, standIn, queue, role: 'worker' });
    standIn.delayMs = 400;
    const group = queueForMerge(standIn, repo, pull);
    expect((await send(web, 'merge_group', group.payload, randomUUID())).status).toBe(200);
    await until('the worker to start reviewing the pull request', () => repo.checkRunsFor(pull.head.sha).some((run) => run.status === 'in_progress'), 20_000);
    // Its grace time (2 s here) is too short for the review at 400 ms per GitHub request.
    leaving.child.kill('SIGTERM');
    expect(await leaving.exited).toBe(0);
    // Handed back, not failed: the merge queue has no check yet.
    expect(repo.checkRunsFor(group.headSha)).toEqual([]);
    standIn.delayMs = 5;
    const next = await app({ redisUrl, standIn, queue, role: 'worker' });

    await until('the merge group check', () => repo.checkRunsFor(group.headSha).length > 0, 30_000);
    expect(repo.checkRunsFor(group.headSha).map((run) => [run.conclusion, run.output.title])).toEqual([['failure', '#7: 2 findings at or above high']]);
    // The stopped review's check says so; the next worker reviewed the head again rather than mirroring that.
    const runs = repo.checkRunsFor(pull.head.sha).sort((x, y) => x.id - y.id);
    expect(runs).toHaveLength(2);
    expect(runs[0]!.output.summary).toContain('Airlock was stopping');
    expect(runs[1]!.output.title).toBe('2 findings at or above high');
    expect(results(leaving)).toEqual(['failed #7']);
    expect(results(next)).toEqual(['completed #7']);
    expect(repo.checkRuns.filter((run) => run.status !== 'completed')).toEqual([]);
  }, 90_000);
});

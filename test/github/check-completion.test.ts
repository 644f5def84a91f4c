// The required check always completes: GitHub not answering a request, a whole review
// running past its deadline, and GitHub refusing to complete the check run.
import { afterEach, describe, expect, it } from 'vitest';
import { addAiPull } from './fixtures.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const RERUN = [{ label: 'Re-run', description: 'Review this commit again', identifier: 'rerun' }];

describe('a required check always completes', () => {
  it('when GitHub never answers a request: each attempt times out, and after the retries the check says so', async () => {
    h = await startHarness({ policy: { requestTimeoutMs: 1500, serverErrorRetries: 1 } });
    const pull = addAiPull(h.repo);
    h.standIn.hang({ method: 'GET', pathIncludes: '/files' });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    // The latest run of the name is what branch protection reads.
    const run = h.repo.checkRunsFor(pull.head.sha).at(-1);
    expect([run?.status, run?.conclusion, run?.output.title]).toEqual(['completed', 'failure', 'Airlock could not finish the review']);
    expect(run?.output.summary).toContain('GitHub did not answer within 2 s (GET /api/v3/repos/acme/widgets/pulls/1/files)');
    expect(run?.actions).toEqual(RERUN);
    expect(h.standIn.requestsFor('pulls/list-files')).toHaveLength(2);
    expect(h.results.map((r) => r.kind)).toEqual(['failed']);
    expect(h.standIn.violations).toEqual([]);
  });

  it('when the review passes its deadline: its requests stop and the check completes with on_error and the reason', async () => {
    h = await startHarness({ config: 'on_error: neutral\n', app: { reviewDeadlineMs: 2000 } });
    const pull = addAiPull(h.repo);
    // The configuration (with the allowance comments, one GraphQL query) is the first thing a review
    // reads; the default request timeout (30 s) is far off.
    h.standIn.hang({ method: 'POST', pathIncludes: 'graphql', times: 1 });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect([run?.status, run?.conclusion, run?.output.title]).toEqual(['completed', 'failure', 'Airlock could not finish the review']);
    expect(run?.output.summary).toContain('The review did not finish within its deadline of 2 s: GitHub did not answer in time');
    expect(run?.actions).toEqual(RERUN);
    // The hanging request was given up, not retried, and the only request after it completed the check.
    const contents = h.standIn.requests.findIndex((r) => r.operationId === 'graphql');
    expect(h.standIn.requestsFor('graphql')).toHaveLength(1);
    await expect.poll(() => h.standIn.hanging).toBe(0);
    const later = h.standIn.requests.slice(contents + 1).map((r) => r.operationId);
    expect(later).toEqual(['checks/create']);
    expect(h.results.map((r) => r.kind)).toEqual(['failed']);
    expect(h.standIn.violations).toEqual([]);
  });

  it('when GitHub does not describe the app (GET /app) to the first review: the deadline still completes the check', async () => {
    h = await startHarness({ app: { reviewDeadlineMs: 2000 } });
    const pull = addAiPull(h.repo);
    h.standIn.hang({ method: 'GET', pathIncludes: '/api/v3/app' });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect([run?.status, run?.conclusion]).toEqual(['completed', 'failure']);
    expect(run?.output.summary).toContain('The review did not finish within its deadline of 2 s');
    await expect.poll(() => h.standIn.hanging).toBe(0);
    expect(h.standIn.violations).toEqual([]);
  });

  it('uses the on_error conclusion of the configuration when the deadline passes after it was read', async () => {
    h = await startHarness({ config: 'on_error: neutral\n', app: { reviewDeadlineMs: 2000 } });
    const pull = addAiPull(h.repo);
    h.standIn.hang({ method: 'GET', pathIncludes: '/files' });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const run = h.repo.checkRunsFor(pull.head.sha).at(-1);
    expect([run?.status, run?.conclusion]).toEqual(['completed', 'neutral']);
    expect(run?.output.summary).toContain('**this change was not reviewed**');
    await expect.poll(() => h.standIn.hanging).toBe(0);
    expect(h.standIn.violations).toEqual([]);
  });

  it('when GitHub refuses every update of the check run: a new completed run with the verdict is created on the head', async () => {
    h = await startHarness();
    const pull = addAiPull(h.repo);
    h.standIn.failNext({ method: 'PATCH', pathIncludes: '/check-runs/', status: 500, times: Infinity });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const runs = h.repo.checkRunsFor(pull.head.sha);
    expect(runs.map((r) => [r.status, r.conclusion, r.output.title])).toEqual([
      ['in_progress', null, 'Reviewing…'],
      ['completed', 'failure', '2 findings at or above high'],
    ]);
    expect(runs[1]!.annotations.map((a) => a.start_line)).toEqual([6, 7]);
    expect(runs[1]!.externalId).toBe(runs[0]!.externalId + ':done');
    // The latest run of the name is the one branch protection reads.
    expect(h.results).toEqual([expect.objectContaining({ kind: 'completed', checkRunId: runs[1]!.id, conclusion: 'failure' })]);
    expect(h.standIn.violations).toEqual([]);
  });
});

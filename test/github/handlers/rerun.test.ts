import { afterEach, describe, expect, it } from 'vitest';
import { addAiPull, BASE_ADMIN, CLAUDE_BODY, CLAUDE_COMMIT, HEAD_ADMIN } from '../fixtures.js';
import { startHarness, type Harness } from '../harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('re-runs from the GitHub UI', () => {
  it('check_run.rerequested reviews the commit again in a new check run, without repeating comments', async () => {
    h = await startHarness();
    const pull = h.repo.addPullRequest({
      body: CLAUDE_BODY,
      head: { ref: 'claude/du' },
      files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: HEAD_ADMIN }],
      commits: [CLAUDE_COMMIT],
    });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [first] = h.repo.checkRunsFor(pull.head.sha);
    await h.deliver('check_run', 'rerequested', pull, { checkRunId: first!.id, checkRunName: 'Airlock' });
    await h.idle();
    expect(h.repo.checkRunsFor(pull.head.sha).map((r) => [r.status, r.conclusion])).toEqual([
      ['completed', 'failure'],
      ['completed', 'failure'],
    ]);
    expect(h.repo.reviews).toHaveLength(1);
    expect(h.repo.reviewComments).toHaveLength(2);

    // Another app's check run is not ours to re-run.
    await h.deliver('check_run', 'rerequested', pull, { checkRunId: 1, checkRunName: 'CI' });
    await h.idle();
    expect(h.repo.checkRunsFor(pull.head.sha)).toHaveLength(2);
    expect(h.standIn.violations).toEqual([]);
  });

  it('a check that could not finish offers a Re-run button, and pressing it reviews again', async () => {
    h = await startHarness();
    const pull = addAiPull(h.repo);
    h.standIn.failNext({ method: 'GET', pathIncludes: '/files', status: 500, times: 4 });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [failed] = h.repo.checkRunsFor(pull.head.sha);
    expect([failed?.conclusion, failed?.output.title]).toEqual(['failure', 'Airlock could not finish the review']);
    expect(failed?.actions).toEqual([{ label: 'Re-run', description: 'Review this commit again', identifier: 'rerun' }]);

    const press = (identifier: string) =>
      h.deliver('check_run', 'requested_action', pull, { checkRunId: failed!.id, checkRunName: 'Airlock' }, (payload) => {
        payload.requested_action = { identifier };
      });
    await press('rerun');
    await h.idle();
    expect(h.repo.checkRunsFor(pull.head.sha).map((r) => [r.conclusion, r.output.title, r.actions.length])).toEqual([
      ['failure', 'Airlock could not finish the review', 1],
      ['failure', '2 findings at or above high', 0],
    ]);
    // A button Airlock did not offer does nothing.
    await press('lgtm|26764');
    await h.idle();
    expect(h.repo.checkRunsFor(pull.head.sha)).toHaveLength(2);
    expect(h.standIn.violations).toEqual([]);
  });

  it('check_suite.rerequested finds a fork pull request by its head commit', async () => {
    h = await startHarness();
    h.standIn.state.addRepo({ owner: 'mallory', name: 'widgets', parent: 'acme/widgets' });
    const pull = h.repo.addPullRequest({
      body: CLAUDE_BODY,
      head: { ref: 'claude/du', repo: 'mallory/widgets' },
      files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: HEAD_ADMIN }],
      commits: [CLAUDE_COMMIT],
    });
    await h.deliver('check_suite', 'rerequested', pull);
    await h.idle();
    expect(h.standIn.requestsFor('pulls/list').length).toBe(1);
    expect(h.repo.checkRunsFor(pull.head.sha).map((r) => r.conclusion)).toEqual(['failure']);
    expect(h.standIn.violations).toEqual([]);
  });
});

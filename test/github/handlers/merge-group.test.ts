import { afterEach, describe, expect, it } from 'vitest';
import { pullOfQueueRef } from '../../../src/github/handlers/merge-group.js';
import { BASE_ADMIN, CLAUDE_BODY, CLAUDE_COMMIT, CLEAN_ADMIN, HEAD_ADMIN } from '../fixtures.js';
import { startHarness, type Harness } from '../harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('merge queues', () => {
  it('reads the pull request from the queue ref', () => {
    const sha = '929f8209d40f77f4abc622a499c93a83babdbe64';
    expect(pullOfQueueRef(`refs/heads/gh-readonly-queue/main/pr-104-${sha}`)).toEqual({ number: 104, sha });
    expect(pullOfQueueRef('refs/heads/gh-readonly-queue/release/v2/pr-7-abc')).toEqual({ number: 7, sha: null });
    expect(pullOfQueueRef('refs/heads/main')).toBeNull();
    expect(pullOfQueueRef('refs/heads/gh-readonly-queue/main/pr--1')).toBeNull();
  });

  it('gives the queue commit the verdict of the pull request it merges, reviewing it first when needed', async () => {
    h = await startHarness();
    const blocked = h.repo.addPullRequest({
      body: CLAUDE_BODY,
      files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: HEAD_ADMIN }],
      commits: [CLAUDE_COMMIT],
    });
    const clean = h.repo.addPullRequest({
      body: CLAUDE_BODY,
      files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: CLEAN_ADMIN }],
      commits: [CLAUDE_COMMIT],
    });
    await h.deliver('pull_request', 'opened', clean);
    await h.idle();
    const queued = (n: number, headSha: string) => {
      const groupSha = h.standIn.state.newSha();
      const ref = `gh-readonly-queue/main/pr-${n}-${headSha}`;
      h.repo.setRef(ref, groupSha);
      return { headSha: groupSha, headRef: ref };
    };
    const cleanGroup = queued(clean.number, clean.head.sha);
    const blockedGroup = queued(blocked.number, blocked.head.sha);
    await h.deliver('merge_group', 'checks_requested', clean, cleanGroup);
    await h.deliver('merge_group', 'checks_requested', blocked, blockedGroup);
    await h.idle();
    expect(h.repo.checkRunsFor(cleanGroup.headSha).map((r) => [r.conclusion, r.output.title])).toEqual([['success', `#${clean.number}: No findings`]]);
    expect(h.repo.checkRunsFor(blockedGroup.headSha).map((r) => [r.conclusion, r.output.title])).toEqual([
      ['failure', `#${blocked.number}: 2 findings at or above high`],
    ]);
    // The blocked pull request had never been reviewed: the queue made Airlock review it.
    expect(h.repo.checkRunsFor(blocked.head.sha).map((r) => r.conclusion)).toEqual(['failure']);
    expect(h.standIn.violations).toEqual([]);
  });
});

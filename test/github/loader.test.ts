import { afterEach, describe, expect, it } from 'vitest';
import { changedFileOf, MAX_READ_COMMITS } from '../../src/github/loader.js';
import { BASE_ADMIN, CLAUDE_BODY, CLAUDE_COMMIT, HEAD_ADMIN, smallFiles, TWENTY_FILE_REVIEW_CALLS, twentyFiles } from './fixtures.js';
import { calls, loadStandInPull, startHarness, type Harness } from './harness.js';
import type { PullFileInput } from './stand-in/state.js';

let h: Harness;
let closed: Harness | undefined;
afterEach(async () => {
  // Each harness is closed once: a test that starts none must not close the previous one again.
  if (closed === h) return;
  closed = h;
  await h?.close();
});

type Listed = Parameters<typeof changedFileOf>[0];
const listed = (fields: Partial<Listed>): Listed =>
  ({ sha: 'abc', filename: 'a.js', status: 'modified', additions: 1, deletions: 0, changes: 1, blob_url: '', raw_url: '', contents_url: '', ...fields }) as Listed;

describe('files from the pull request files endpoint', () => {
  it('reads added lines from the patch and explains files it cannot review', () => {
    expect(changedFileOf(listed({ patch: '@@ -1,2 +1,3 @@\n a\n+b\n c' }))).toMatchObject({ addedLines: [2], unavailable: null, status: 'modified' });
    expect(changedFileOf(listed({ status: 'removed', deletions: 3, changes: 3 }))).toMatchObject({ status: 'deleted', unavailable: null });
    expect(changedFileOf(listed({ status: 'renamed', previous_filename: 'old.js', changes: 0, additions: 0 }))).toMatchObject({ status: 'renamed', oldPath: 'old.js', unavailable: null, binary: false });
    expect(changedFileOf(listed({ filename: 'logo.png', status: 'added', changes: 0, additions: 0 }))).toMatchObject({ binary: true });
    expect(changedFileOf(listed({ additions: 90000, changes: 90000 })).unavailable).toContain('too large to display');
    expect(changedFileOf(listed({ patch: '@@ -1 +1 @@\n+a\n+b\n+c' })).unavailable).toContain("GitHub's diff of this file could not be read");
  });
});

interface Measurement {
  files: number;
  calls: Record<string, number>;
  total: number;
  webhookToCompletedMs: number;
}

async function measure(files: PullFileInput[], timeout = 60_000): Promise<Measurement> {
  const pull = h.repo.addPullRequest({ body: CLAUDE_BODY, head: { ref: 'claude/scale' }, files, commits: [CLAUDE_COMMIT] });
  const since = h.standIn.requests.length;
  const started = performance.now();
  await h.deliver('pull_request', 'opened', pull);
  await expect.poll(() => h.repo.checkRunsFor(pull.head.sha)[0]?.status, { timeout, interval: 5 }).toBe('completed');
  const webhookToCompletedMs = Math.round(performance.now() - started);
  await h.idle();
  const counted: Record<string, number> = {};
  for (const op of calls(h.standIn, since)) counted[op] = (counted[op] ?? 0) + 1;
  return { files: files.length, calls: counted, total: Object.values(counted).reduce((a, b) => a + b, 0), webhookToCompletedMs };
}

describe('large pull requests', () => {
  it('reviews 20 and 3,000 files within a bounded number of API calls (printed for the record)', async () => {
    // AIRLOCK_MEASURE_SPACING=1 measures with the write spacing Probot uses against GitHub.
    const spaced = process.env.AIRLOCK_MEASURE_SPACING === '1';
    // A scan budget no loaded machine runs out of: the counts are of a complete review.
    const config = 'review: ai\nlimits:\n  time_budget_seconds: 280\n';
    h = await startHarness(spaced ? { config, writeSpacingMs: 1000, notificationSpacingMs: 3000 } : { config });
    // A first small review loads the rules and the app's identity, as a running app has.
    await measure(smallFiles(1, []));
    const small = await measure(twentyFiles());
    const big = await measure(smallFiles(3000, [17, 2500]), 280_000);
    console.log(`Airlock app against the GitHub stand-in (${spaced ? 'write spacing 1 s, 3 s for notifying writes' : 'no write spacing'}):\n${JSON.stringify([small, big], null, 2)}`);

    expect(small.calls).toEqual(TWENTY_FILE_REVIEW_CALLS);
    expect(small.total).toBeLessThanOrEqual(8);
    expect(big.calls).toEqual({
      'checks/create': 1,
      'pulls/list-commits': 1,
      'pulls/list-files': 30,
      // The configuration, the latest check run, allowance comments and thread replies; the head,
      // threads and reviews before publishing.
      graphql: 2,
      'pulls/create-review': 1,
      'checks/update': 1,
    });
    const run = h.repo.checkRuns[h.repo.checkRuns.length - 1]!;
    expect([run.conclusion, run.output.title]).toEqual(['failure', '2 findings at or above high']);
    expect(big.webhookToCompletedMs).toBeLessThan(30_000);
    expect(h.standIn.violations).toEqual([]);
  });

  it('counts files GitHub stops listing after 3,000 as not reviewed', async () => {
    h = await startHarness();
    const pull = h.repo.addPullRequest({ body: CLAUDE_BODY, files: smallFiles(3001, []), commits: [CLAUDE_COMMIT] });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect([run?.conclusion, run?.output.title]).toEqual(['failure', '1 file not reviewed']);
    expect(run?.output.summary).toContain('GitHub lists only the first 3000 files of a pull request; the other 1 were not reviewed');
    expect(h.standIn.requestsFor('pulls/list-files')).toHaveLength(30);
    expect(h.standIn.violations).toEqual([]);
  });
});

describe('commits beyond the 250 GitHub lists for a pull request', () => {
  const human = (i: number) => ({ message: `Step ${i}`, author: { name: 'Hu Man', email: 'hu@example.com' } });
  const humanCommits = (count: number) => Array.from({ length: count }, (_, i) => human(i));
  const humanPull = (commits: { message: string }[]) =>
    h.repo.addPullRequest({
      user: 'hu',
      body: 'A long-lived branch.',
      head: { ref: 'feature/long' },
      files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: HEAD_ADMIN }],
      commits,
    });

  it('finds an agent trailer in commit 251 by walking the rest of the history', async () => {
    h = await startHarness();
    const pull = humanPull([...humanCommits(250), CLAUDE_COMMIT]);
    const since = h.standIn.requests.length;
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect([run?.conclusion, run?.output.title]).toEqual(['failure', '2 findings at or above high']);
    expect(run?.output.summary).toContain('Co-Authored-By: Claude');
    const made = calls(h.standIn, since);
    console.log(`251-commit pull request: ${made.length} API calls (${made.join(', ')})`);
    // Three pages of the pull request's commits, then the comparison from the third page on.
    expect(made.filter((op) => op === 'pulls/list-commits')).toHaveLength(3);
    expect(made.filter((op) => op.startsWith('repos/compare-commits'))).toHaveLength(1);
    expect(h.standIn.violations).toEqual([]);
  });

  it('reads no further once the first 250 commits show an agent', async () => {
    h = await startHarness();
    const pull = humanPull([CLAUDE_COMMIT, ...humanCommits(400)]);
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    expect(h.repo.checkRunsFor(pull.head.sha)[0]?.output.title).toBe('2 findings at or above high');
    expect(h.standIn.requests.filter((r) => r.operationId?.startsWith('repos/compare-commits'))).toHaveLength(0);
    expect(h.standIn.violations).toEqual([]);
  });

  it('reviews a change whose commits run past the bound: authorship unknown, never "no agent markers"', async () => {
    h = await startHarness();
    const pull = humanPull([...humanCommits(MAX_READ_COMMITS), CLAUDE_COMMIT]);
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect([run?.conclusion, run?.output.title]).toEqual(['failure', '2 findings at or above high']);
    expect(run?.output.summary).toContain(`AI-authored: **unknown**`);
    expect(run?.output.summary).toContain(`only ${MAX_READ_COMMITS} of the ${MAX_READ_COMMITS + 1} commits were read`);
    expect(run?.output.summary).not.toContain('no agent markers found');
    // Pages 3 to 30 of the comparison, 100 commits each: the bound costs 28 requests beyond GitHub's 250.
    expect(h.standIn.requests.filter((r) => r.operationId?.startsWith('repos/compare-commits'))).toHaveLength(MAX_READ_COMMITS / 100 - 2);
    expect(h.standIn.violations).toEqual([]);
  });

  it('calls authorship unknown when GitHub cannot compare past the first 250 commits', async () => {
    h = await startHarness();
    const pull = humanPull(humanCommits(300));
    // The base the event names is gone (rewritten since): the comparison answers 404.
    await h.deliver('pull_request', 'opened', pull, {}, (payload) => {
      ((payload.pull_request as Record<string, unknown>).base as Record<string, unknown>).sha = 'f'.repeat(40);
    });
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect([run?.conclusion, run?.output.title]).toEqual(['failure', '2 findings at or above high']);
    expect(run?.output.summary).toContain('AI-authored: **unknown**, reviewed: GitHub could not compare fffffff');
    expect(h.standIn.violations).toEqual([]);
  });

  it('still passes a human change of 300 commits without markers once every commit was read', async () => {
    h = await startHarness();
    const pull = humanPull(humanCommits(300));
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect([run?.conclusion, run?.output.title]).toEqual(['success', 'Not reviewed: not AI-authored: no agent markers found']);
    expect(h.standIn.violations).toEqual([]);
  });
});

describe('base versions from GitHub', () => {
  it('are read at the merge base only when asked, through GraphQL, and a failure rejects with the reason', async () => {
    const { startStandIn } = await import('./stand-in/server.js');
    const standIn = await startStandIn();
    try {
      const repo = standIn.state.addRepo({ owner: 'acme', name: 'widgets', ownerType: 'Organization' });
      const pull = repo.addPullRequest({
        files: [
          { filename: 'src/views.py', baseContent: '@login_required\ndef admin(request):\n    pass\n', content: 'def admin(request):\n    pass\n' },
          { filename: 'src/new.py', content: 'x = 1\n' },
          { filename: 'src/moved.py', previousFilename: 'src/old.py', status: 'renamed', baseContent: 'old = 1\n', content: 'old = 1\nnew = 2\n' },
          { filename: 'gone.txt', status: 'removed', baseContent: 'bye\n', sha: 'b'.repeat(40) },
        ],
      });
      const loaded = await loadStandInPull(standIn, pull);
      const since = standIn.requests.length;
      const loadBase = loaded.changeSet.loadBase!;
      // Nothing is read before an analyzer asks.
      expect(loaded.contentRequests()).toBe(0);
      const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString('utf8'));
      expect(text(await loadBase('src/views.py'))).toBe('@login_required\ndef admin(request):\n    pass\n');
      expect(text(await loadBase('src/old.py'))).toBe('old = 1\n');
      expect(text(await loadBase('gone.txt'))).toBe('bye\n');
      expect(await loadBase('src/new.py')).toBeNull();
      await expect(loadBase('src/views.py', { maxBytes: 10 })).rejects.toThrow('45 bytes, over the 10-byte limit');
      // Asked one after the other, each is a query of its own (with nothing left to read ahead).
      expect(calls(standIn, since)).toEqual(['repos/compare-commits', ...Array<string>(5).fill('graphql')]);
      expect(loaded.contentRequests()).toBe(5);
      // GraphQL down: the contents API, and its failure is the answer.
      standIn.failNext({ pathIncludes: 'graphql', status: 502 });
      standIn.failNext({ pathIncludes: '/contents/', status: 500, times: 10 });
      await expect(loadBase('src/views.py')).rejects.toThrow();
      expect(calls(standIn, since).slice(6)).toEqual(['graphql', 'repos/get-content']);
      expect(standIn.violations).toEqual([]);
    } finally {
      await standIn.close();
    }
  });
});

// A process killed mid-review leaves its check in progress, and GitHub does not redeliver
// the webhook: the next instance's reaper completes the check.
import { ProbotOctokit } from 'probot';
import { afterEach, describe, expect, it } from 'vitest';
import { appCatalog } from '../../src/github/app.js';
import { DEFAULT_REQUEST_POLICY, installRequestPolicy } from '../../src/github/octokit.js';
import { DEFAULT_REAPER_OPTIONS, reapAbandonedChecks, type ReaperDeps } from '../../src/github/reaper.js';
import { loadScanData } from '../../src/io/scan-data.js';
import { addAiPull } from './fixtures.js';
import { calls, OWNER, startHarness, testKey, type Harness } from './harness.js';

let h: Harness | null = null;
let killed: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
  // The killed instance's review was waiting on a request the stand-in dropped when it closed.
  await killed?.idle();
  killed = null;
});

/** An instance that starts a review, gets no answer from GitHub, and is killed with its check in progress. */
async function killedMidReview() {
  const first = await startHarness({ config: 'on_error: neutral\n' });
  const pull = addAiPull(first.repo);
  first.standIn.hang({ method: 'GET', pathIncludes: '/files' });
  await first.deliver('pull_request', 'opened', pull);
  await expect.poll(() => first.standIn.hanging, { timeout: 20_000 }).toBe(1);
  await first.kill();
  killed = first;
  expect(first.repo.checkRunsFor(pull.head.sha).map((r) => r.status)).toEqual(['in_progress']);
  return { first, pull };
}

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** The reaper's inputs as the app builds them, with this process working on `active`. */
function reaperDeps(standIn: Harness['standIn'], active: number[]): ReaperDeps {
  const client = (auth: { appId: number; privateKey: string } | { token: string }) => {
    const octokit = new ProbotOctokit({ auth, baseUrl: standIn.apiUrl, log: silent });
    installRequestPolicy(octokit, { ...DEFAULT_REQUEST_POLICY, backoffMs: 5 });
    return octokit;
  };
  return {
    appClient: async () => client({ appId: 1, privateKey: testKey() }),
    installationClient: async () => client({ token: standIn.installationToken() }),
    services: {
      catalog: appCatalog,
      data: () => loadScanData(),
      identity: async (octokit) => {
        const { data } = await octokit.rest.apps.getAuthenticated();
        return { id: data!.id, slug: data!.slug ?? '' };
      },
      log: silent,
    },
    reviewDeadlineMs: 0,
    activeCheckRuns: new Set(active),
  };
}

describe('the reaper', () => {
  it('on start completes a check a killed instance left in progress, with on_error, the reason and a Re-run button', async () => {
    const { first, pull } = await killedMidReview();
    // A restart; the check is older than the (shortened) review deadline plus the grace period.
    h = await startHarness({ attachTo: first, app: { reviewDeadlineMs: 1, reaper: { graceMs: 0 } } });
    await h.idle();
    const runs = h.repo.checkRunsFor(pull.head.sha);
    expect(runs.map((r) => [r.status, r.conclusion, r.output.title])).toEqual([['completed', 'neutral', 'Airlock could not finish the review']]);
    expect(runs[0]!.output.summary).toContain('never completed: the Airlock process stopped');
    expect(runs[0]!.actions).toEqual([{ label: 'Re-run', description: 'Review this commit again', identifier: 'rerun' }]);
    expect(h.standIn.violations).toEqual([]);
  });

  it('completes a check GitHub would not let the review complete in any way', async () => {
    const first = await startHarness({ policy: { requestTimeoutMs: 1500 } });
    killed = first;
    const pull = addAiPull(first.repo);
    // Hold the review after its check run exists, then refuse every write of the result:
    // the update (4 attempts) and the new run (4 attempts), for the verdict and again for the error.
    first.standIn.hang({ method: 'GET', pathIncludes: '/files', times: 1 });
    await first.deliver('pull_request', 'opened', pull);
    await expect.poll(() => first.standIn.hanging, { timeout: 20_000 }).toBe(1);
    first.standIn.failNext({ method: 'PATCH', pathIncludes: '/check-runs/', status: 500, times: 8 });
    first.standIn.failNext({ method: 'POST', pathIncludes: '/check-runs', status: 502, times: 8 });
    await first.idle();
    expect(first.repo.checkRunsFor(pull.head.sha).map((r) => r.status)).toEqual(['in_progress']);
    await first.kill();

    h = await startHarness({ attachTo: first, app: { reviewDeadlineMs: 1, reaper: { graceMs: 0 } } });
    await h.idle();
    expect(h.repo.checkRunsFor(pull.head.sha).map((r) => [r.status, r.conclusion, r.output.title])).toEqual([
      ['completed', 'failure', 'Airlock could not finish the review'],
    ]);
    expect(h.standIn.violations).toEqual([]);
  });

  it('leaves a check alone while a live review could still be working on it', async () => {
    const { first, pull } = await killedMidReview();
    const before = first.standIn.requests.length;
    // Default deadline (10 minutes) and grace period: the run is far too young to be abandoned.
    h = await startHarness({ attachTo: first, app: { reaper: {} } });
    await h.idle();
    expect(calls(h.standIn, before)).toContain('checks/list-for-ref');
    expect(h.repo.checkRunsFor(pull.head.sha).map((r) => r.status)).toEqual(['in_progress']);
    expect(h.standIn.violations).toEqual([]);
  });

  it('costs one request per open pull request plus a few per installation, within its repository limit, and repeats', async () => {
    h = await startHarness({ config: null });
    for (const name of ['gears', 'levers']) {
      const repo = h.standIn.state.addRepo({ owner: OWNER, name, ownerType: 'Organization' });
      addAiPull(repo);
      addAiPull(repo, { head: { ref: 'claude/other' } });
    }
    const before = h.standIn.requests.length;
    const second = await startHarness({ attachTo: h, app: { reaper: { maxRepositories: 2, intervalMs: 10 } } });
    try {
      await second.idle();
      // widgets has no pull request, gears two; levers is past the limit of two repositories.
      expect(calls(second.standIn, before).slice(0, 7)).toEqual([
        'apps/get-authenticated',
        'apps/list-installations',
        'apps/list-repos-accessible-to-installation',
        'pulls/list',
        'pulls/list',
        'checks/list-for-ref',
        'checks/list-for-ref',
      ]);
      // Passes repeat at the interval until the app stops.
      await expect.poll(() => second.standIn.requestsFor('apps/list-installations').length).toBeGreaterThan(1);
      expect(second.standIn.requests.filter((r) => r.path.includes('/repos/acme/levers/'))).toEqual([]);
    } finally {
      await second.kill();
      await second.idle();
    }
    expect(h.standIn.violations).toEqual([]);
  });

  it('never touches a run its own process is working on, however old', async () => {
    const app = await startHarness();
    killed = app;
    const pull = addAiPull(app.repo);
    app.standIn.hang({ method: 'GET', pathIncludes: '/files' });
    await app.deliver('pull_request', 'opened', pull);
    await expect.poll(() => app.standIn.hanging, { timeout: 20_000 }).toBe(1);
    const [run] = app.repo.checkRunsFor(pull.head.sha);
    try {
      const options = { ...DEFAULT_REAPER_OPTIONS, graceMs: 0 };
      expect(await reapAbandonedChecks(reaperDeps(app.standIn, [run!.id]), options)).toEqual({ repositories: 1, pulls: 1, reaped: 0, stoppedEarly: false });
      expect(run?.status).toBe('in_progress');
      expect(await reapAbandonedChecks(reaperDeps(app.standIn, []), options)).toEqual({ repositories: 1, pulls: 1, reaped: 1, stoppedEarly: false });
      expect([run?.status, run?.conclusion]).toEqual(['completed', 'failure']);
      expect(app.standIn.violations).toEqual([]);
    } finally {
      await app.kill();
      await app.standIn.close();
    }
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { RuleSource } from '../../src/core/rules/catalog.js';
import { parseMarker } from '../../src/github/markers.js';
import { SemanticPool } from '../../src/io/semantic-pool.js';
import { addAiPull, BASE_ADMIN, CLAUDE_COMMIT, CLEAN_ADMIN, HEAD_ADMIN } from './fixtures.js';
import { Octokit } from '@octokit/rest';
import { calls, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

function aiPull(harness: Harness, extra: Parameters<Harness['repo']['addPullRequest']>[0] = {}) {
  return addAiPull(harness.repo, extra);
}

describe('a review run', () => {
  it('answers an invalid configuration with a failing check that quotes the error and the line', async () => {
    h = await startHarness({ config: 'review: ai\nfail_on: hgih\ncomments:\n  max: 5\n' });
    const pull = aiPull(h);
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect([run?.status, run?.conclusion, run?.output.title]).toEqual(['completed', 'failure', 'Invalid Airlock configuration']);
    expect(run?.output.summary).toContain('.github/airlock.yml: line 2: fail&#95;on');
    expect(run?.output.summary).toContain('<pre>fail&#95;on: hgih</pre>');
    expect(h.standIn.requestsFor('pulls/list-files')).toEqual([]);
    expect(h.standIn.violations).toEqual([]);
  });

  it('reports an unknown rule id in the configuration instead of ignoring it', async () => {
    h = await startHarness({ config: 'rules:\n  js.no-such-rule: off\n' });
    const pull = aiPull(h);
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect(run?.conclusion).toBe('failure');
    expect(run?.output.summary).toContain('line 2: rules.js.no-such-rule: no rule has this id');
  });

  it('reads the configuration from the default branch, never from the pull request, and flags a change to it', async () => {
    h = await startHarness({ config: 'fail_on: high\n' });
    const pull = aiPull(h, {
      files: [
        { filename: 'src/admin.js', baseContent: BASE_ADMIN, content: HEAD_ADMIN },
        { filename: '.github/airlock.yml', baseContent: 'fail_on: high\n', content: 'fail_on: critical\nrules:\n  js.*: off\n' },
      ],
    });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect(run?.conclusion).toBe('failure');
    expect(run?.output.title).toBe('3 findings at or above high');
    expect(run?.annotations.map((a) => a.path)).toContain('.github/airlock.yml');
    expect(h.standIn.requests.filter((r) => r.operationId === 'repos/get-content').every((r) => !r.path.includes('ref='))).toBe(true);
    expect(h.standIn.violations).toEqual([]);
  });

  it('lists files GitHub sends without a patch as not reviewed, and fails an AI change for them', async () => {
    h = await startHarness();
    const pull = aiPull(h, {
      files: [
        { filename: 'src/admin.js', baseContent: BASE_ADMIN, content: CLEAN_ADMIN },
        { filename: 'dist/bundle.js', status: 'added', additions: 90000 },
      ],
    });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect(run?.conclusion).toBe('failure');
    expect(run?.output.title).toBe('1 file not reviewed');
    expect(run?.output.summary).toContain('dist/bundle.js');
    expect(run?.output.summary).toContain('too large to display');
  });

  it('reviews a fork pull request, reading head files through the base repository', async () => {
    h = await startHarness();
    h.standIn.state.addRepo({ owner: 'mallory', name: 'widgets', parent: 'acme/widgets' });
    const pull = aiPull(h, { head: { ref: 'claude/fork-change', repo: 'mallory/widgets' } });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect(run?.conclusion).toBe('failure');
    expect(h.repo.reviewComments).toHaveLength(2);
    expect(h.standIn.requests.every((r) => !r.path.includes('/repos/mallory/'))).toBe(true);
    expect(h.standIn.violations).toEqual([]);
  });

  it('retries GitHub 500s, 502s and secondary rate limits, then publishes the true verdict', async () => {
    h = await startHarness();
    const pull = aiPull(h);
    h.standIn.failNext({ method: 'GET', pathIncludes: '/files', status: 500 });
    h.standIn.failNext({ method: 'GET', pathIncludes: '/commits?', status: 502 });
    h.standIn.failNext({ method: 'POST', pathIncludes: '/reviews', status: 403, secondaryRateLimit: true });
    h.standIn.failNext({ method: 'PATCH', pathIncludes: '/check-runs/', status: 403, secondaryRateLimit: true });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect([run?.conclusion, run?.output.title]).toEqual(['failure', '2 findings at or above high']);
    expect(h.repo.reviews).toHaveLength(1);
    const statuses = h.standIn.requests.map((r) => `${r.status} ${r.operationId}`);
    expect(statuses).toEqual(expect.arrayContaining(['500 pulls/list-files', '502 pulls/list-commits', '403 pulls/create-review', '403 checks/update']));
    expect(h.standIn.violations).toEqual([]);
  });

  it('tells the truth when GitHub keeps failing: the check completes with the on_error conclusion', async () => {
    h = await startHarness({ config: 'on_error: neutral\n' });
    const pull = aiPull(h);
    h.standIn.failNext({ method: 'GET', pathIncludes: '/files', status: 500, times: 10 });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect([run?.status, run?.conclusion, run?.output.title]).toEqual(['completed', 'neutral', 'Airlock could not finish the review']);
    expect(run?.output.summary).toContain('GitHub answered 500');
    expect(run?.output.summary).toContain('**this change was not reviewed**');
    expect(h.standIn.requestsFor('pulls/list-files').length).toBe(4);
  });

  it('fails the check by default when GitHub is down before the check could even be created', async () => {
    h = await startHarness();
    const pull = aiPull(h);
    // The first read: the configuration and the allowance comments, one GraphQL query.
    h.standIn.failNext({ method: 'POST', pathIncludes: 'graphql', status: 502, times: 4 });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect([run?.status, run?.conclusion]).toEqual(['completed', 'failure']);
    expect(run?.output.summary).toContain('not a finding in the change');
  });

  it('answers the webhook at once and lets a newer push supersede a running review', async () => {
    h = await startHarness();
    const pull = aiPull(h, { number: 11 });
    h.standIn.delayMs = 150;
    const first = await h.deliver('pull_request', 'opened', pull);
    expect(first.status).toBe(200);
    expect(first.durationMs).toBeLessThan(500);
    // Wait until the first review has created its check run, then push.
    await expect.poll(() => h.repo.checkRuns.length, { timeout: 10_000, interval: 20 }).toBe(1);
    const oldHead = pull.head.sha;
    h.repo.pushToPullRequest(11, { files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: CLEAN_ADMIN }], commits: [CLAUDE_COMMIT] });
    await h.deliver('pull_request', 'synchronize', pull);
    h.standIn.delayMs = 0;
    await h.idle();
    expect(h.repo.checkRunsFor(oldHead).map((r) => [r.status, r.conclusion, r.output.title])).toEqual([['completed', 'cancelled', 'Superseded by a newer run']]);
    expect(h.repo.checkRunsFor(pull.head.sha).map((r) => r.conclusion)).toEqual(['success']);
    // The stale findings were never commented.
    expect(h.repo.reviewComments).toEqual([]);
    expect(h.results.map((r) => r.kind).sort()).toEqual(['completed', 'superseded']);
    expect(h.standIn.violations).toEqual([]);
  });

  it('on shutdown, a review that cannot finish in the grace time and one still waiting complete their checks as not finished, with a re-run', async () => {
    h = await startHarness({ app: { reviewConcurrency: 1 } });
    const first = aiPull(h, { number: 21 });
    const second = aiPull(h, { number: 22 });
    h.standIn.delayMs = 200;
    await h.deliver('pull_request', 'opened', first);
    await h.deliver('pull_request', 'opened', second);
    await expect.poll(() => h.repo.checkRuns.length, { timeout: 10_000, interval: 20 }).toBe(1);
    await h.shutdown(50);
    h.standIn.delayMs = 0;
    for (const [pull, when] of [[first, 'before this review finished'], [second, 'before this review started']] as const) {
      const runs = h.repo.checkRunsFor(pull.head.sha);
      expect(runs.map((r) => [r.status, r.conclusion])).toEqual([['completed', 'failure']]);
      expect(runs[0]!.output.summary).toContain(`Airlock was stopping (a restart or a new deployment) ${when}: re-run the check`);
      expect(runs[0]!.actions.map((a) => a.identifier)).toContain('rerun');
    }
    expect(h.repo.reviewComments).toEqual([]);
    expect(h.standIn.violations).toEqual([]);
  });

  it('does not publish a stale result when another process already saw a newer push', async () => {
    h = await startHarness();
    const pull = aiPull(h);
    const payloadHead = pull.head.sha;
    await h.deliver('pull_request', 'opened', pull, {}, () => {
      // GitHub moved on before this (late) delivery was processed.
      h.repo.pushToPullRequest(pull.number, { commits: [CLAUDE_COMMIT] });
    });
    await h.idle();
    expect(h.repo.checkRunsFor(payloadHead).map((r) => r.conclusion)).toEqual(['cancelled']);
    expect(h.repo.reviewComments).toEqual([]);
  });

  it('leaves alone a pull request closed since its (late) webhook was sent, without a check or an extra call', async () => {
    h = await startHarness();
    const pull = aiPull(h);
    const since = h.standIn.requests.length;
    await h.deliver('pull_request', 'opened', pull, {}, () => {
      pull.state = 'closed';
    });
    await h.idle();
    expect(h.results).toEqual([{ kind: 'skipped', reason: 'the pull request is not open' }]);
    expect(h.repo.checkRuns).toEqual([]);
    // The app's identity, then the query of the configuration and comments, which tells the state.
    expect(calls(h.standIn, since)).toEqual(['apps/get-authenticated', 'graphql']);
  });

  it('runs the call and taint rules on the shared worker pool, one session per review, released at its end', async () => {
    const pool = new SemanticPool({ size: 1 });
    const sessions: { sources: RuleSource[]; requests: number; released: number }[] = [];
    try {
      h = await startHarness({
        app: {
          services: {
            semantics: (sources) => {
              const session = pool.session(sources);
              const seen = { sources, requests: 0, released: 0 };
              sessions.push(seen);
              return {
                concurrency: session.concurrency,
                run: (request) => (seen.requests++, session.run(request)),
                release: () => (seen.released++, session.release()),
              };
            },
          },
        },
      });
      const pull = aiPull(h);
      await h.deliver('pull_request', 'opened', pull);
      await h.idle();
      const [run] = h.repo.checkRunsFor(pull.head.sha);
      await h.close();
      // The same review with the rules in-process.
      h = await startHarness({ app: { services: { semantics: () => null } } });
      const again = aiPull(h);
      await h.deliver('pull_request', 'opened', again);
      await h.idle();
      const [inProcess] = h.repo.checkRunsFor(again.head.sha);
      expect(run?.conclusion).toBe('failure');
      expect(run?.annotations).toEqual(inProcess?.annotations);
      expect(run?.output.summary).toBe(inProcess?.output.summary);
      expect(sessions).toEqual([{ sources: [], requests: 1, released: 1 }]);
    } finally {
      await pool.close();
    }
  });

  it('keeps every comment body and the summary within GitHub limits on a hostile change', async () => {
    h = await startHarness();
    const lines = Array.from({ length: 400 }, (_, i) => `exec('x' + req.query.a${i}); // <!-- airlock:fp=deadbeefdeadbeef --> @everyone #1 \u202e`);
    const pull = aiPull(h, {
      files: [{ filename: `src/${'deep/'.repeat(30)}admin\u202e.js`, baseContent: '', content: `${lines.join('\n')}\n` }],
    });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect(run?.conclusion).toBe('failure');
    expect((run?.output.summary ?? '').length).toBeLessThan(65_536);
    expect(run?.annotations.length).toBe(400);
    // Created in progress, then 50 annotations per update, the last batch with the verdict.
    expect(run?.history.length).toBe(1 + 400 / 50);
    expect((run?.history as { output?: { annotations?: unknown[] } }[]).map((b) => b.output?.annotations?.length ?? 0)).toEqual([0, 50, 50, 50, 50, 50, 50, 50, 50]);
    expect(h.repo.reviewComments).toHaveLength(20);
    for (const c of h.repo.reviewComments) expect(parseMarker(c.body)?.kind).toBe('fp');
    expect(run?.output.summary).not.toContain('@everyone');
    expect(h.standIn.violations).toEqual([]);
  });
});

describe('a head already reviewed with the same inputs', () => {
  /** A fresh harness with an agent's pull request opened and reviewed once. */
  const reviewedOnce = async () => {
    h = await startHarness();
    const pull = aiPull(h);
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    return pull;
  };
  const reviewAgain = async (pull: ReturnType<typeof aiPull>) => {
    const since = h.standIn.requests.length;
    await h.deliver('pull_request', 'synchronize', pull);
    await h.idle();
    return { result: h.results.at(-1), made: calls(h.standIn, since) };
  };

  it('is skipped on the check run read with the configuration and comments (one query), and reviewed again once a newer run differs', async () => {
    const pull = await reviewedOnce();
    expect(h.results.map((r) => r.kind)).toEqual(['completed']);
    // The first review: its check run lookup rode on the first query, no REST listing.
    expect(h.standIn.requestsFor('checks/list-for-ref')).toHaveLength(0);

    const again = await reviewAgain(pull);
    expect(again.result).toEqual({ kind: 'skipped', reason: 'already reviewed with the same inputs' });
    expect(again.made).toEqual(['graphql']);
    expect(h.repo.checkRunsFor(pull.head.sha)).toHaveLength(1);

    // A newer run of the app with other inputs on the head is the latest: the head is reviewed again.
    const octokit = new Octokit({ baseUrl: h.standIn.apiUrl, auth: h.standIn.installationToken(), log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } });
    await octokit.checks.create({ owner: h.repo.owner.login, repo: h.repo.name, name: 'Airlock', head_sha: pull.head.sha, status: 'completed', conclusion: 'neutral', external_id: 'other inputs' });
    const third = await reviewAgain(pull);
    expect(third.result?.kind).toBe('completed');
    expect(third.made.filter((op) => op === 'checks/list-for-ref')).toEqual([]);
    expect(h.standIn.violations).toEqual([]);
  });

  it('is not skipped on another app’s run, even one with the same external id', async () => {
    const pull = await reviewedOnce();
    const [own] = h.repo.checkRunsFor(pull.head.sha);
    // Only another app's run carries the external id of this review now.
    h.repo.checkRuns.splice(0);
    h.repo.addCheckRun({ headSha: pull.head.sha, name: 'Airlock', appId: 99, externalId: own!.externalId, title: own!.output.title });
    const again = await reviewAgain(pull);
    expect(again.result?.kind).toBe('completed');
    expect(h.repo.checkRunsFor(pull.head.sha).map((r) => r.appId)).toEqual([99, 1]);
    expect(h.standIn.violations).toEqual([]);
  });

  it('reads the check run over REST when GraphQL answers an error for it, and still skips', async () => {
    const pull = await reviewedOnce();
    // GraphQL answers the configuration and comments, and an error (GitHub's timeout, retried first) for the head commit.
    h.standIn.state.failingGraphqlObjects.add(pull.head.sha);
    const again = await reviewAgain(pull);
    expect(again.result).toEqual({ kind: 'skipped', reason: 'already reviewed with the same inputs' });
    expect(again.made).toEqual(['graphql', 'graphql', 'graphql', 'graphql', 'checks/list-for-ref']);
    expect(h.repo.checkRunsFor(pull.head.sha)).toHaveLength(1);
    // A change of the inputs is still seen: the configuration read in that answer stands.
    h.repo.setContent('main', '.github/airlock.yml', 'review: ai\nfail_on: critical\n');
    const changed = await reviewAgain(pull);
    expect(changed.result?.kind).toBe('completed');
    expect(changed.made.filter((op) => op === 'checks/list-for-ref')).toEqual(['checks/list-for-ref']);
    expect(h.repo.checkRunsFor(pull.head.sha)).toHaveLength(2);
    expect(h.standIn.violations).toEqual([]);
  });

  it("reads over REST only the file whose contents GraphQL timed out on, the others from the same answer", async () => {
    h = await startHarness();
    const files = ['a', 'b', 'c', 'd'].map((name) => ({ filename: `src/${name}.js`, baseContent: `export const ${name} = 0;\n`, content: `export const ${name} = 1;\nexport const more${name} = 2;\n` }));
    const pull = aiPull(h, { files });
    // GitHub's timeout on one blob: the retry plugin asks again, then makes a 500 of the answer.
    h.standIn.state.failingGraphqlObjects.add(pull.files.find((f) => f.filename === 'src/c.js')!.sha!);
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    expect(h.results.map((r) => r.kind)).toEqual(['completed']);
    expect(h.standIn.requestsFor('git/get-blob')).toHaveLength(1);
    expect(h.standIn.violations).toEqual([]);
  });

  it('reads the configuration over REST when GraphQL answers an error for that file alone', async () => {
    h = await startHarness({ config: 'review: ai\nfail_on: hgih\n' });
    h.standIn.state.failingGraphqlObjects.add('HEAD:.github/airlock.yml');
    const pull = aiPull(h);
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    expect(h.results.map((r) => r.kind)).toEqual(['completed']);
    expect(h.standIn.requestsFor('repos/get-content')).toHaveLength(1);
    expect(h.standIn.requestsFor('checks/list-for-ref')).toHaveLength(0);
    // The file came through REST: its mistake is what the check reports.
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect([run?.conclusion, run?.output.title]).toEqual(['failure', 'Invalid Airlock configuration']);
    expect(run?.output.summary).toContain('<pre>fail&#95;on: hgih</pre>');
    expect(h.standIn.violations).toEqual([]);
  });
});

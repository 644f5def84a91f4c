// Reading the app's latest check run out of a GraphQL answer: only a whole answer counts.
import { describe, expect, it } from 'vitest';
import { ownCheckRunOf } from '../../src/github/check-runs.js';

const APP = 7;
const run = (id: number, extra: Record<string, unknown> = {}) => ({
  databaseId: id,
  status: 'COMPLETED',
  conclusion: 'SUCCESS',
  externalId: `key-${id}`,
  title: `run ${id}`,
  startedAt: '2026-01-02T03:04:05Z',
  ...extra,
});
const suite = (appId: number | null, runs: unknown[], more = false) => ({
  app: appId === null ? null : { databaseId: appId },
  checkRuns: { pageInfo: { hasNextPage: more }, nodes: runs },
});
const commit = (suites: unknown[], more = false) => ({ checkSuites: { pageInfo: { hasNextPage: more }, nodes: suites } });

describe('the app’s latest check run from a GraphQL answer', () => {
  it('takes the highest id among the app’s suites, in REST’s lower case, and leaves other apps’ out', () => {
    const answer = commit([suite(APP, [run(5)]), suite(99, [run(9)]), suite(null, [run(10)]), suite(APP, [run(8, { status: 'IN_PROGRESS', conclusion: null })])]);
    expect(ownCheckRunOf(answer, APP)).toEqual({
      ok: true,
      run: { id: 8, status: 'in_progress', conclusion: null, externalId: 'key-8', title: 'run 8', startedAt: '2026-01-02T03:04:05Z' },
    });
    expect(ownCheckRunOf(commit([suite(APP, [run(5, { conclusion: 'ACTION_REQUIRED', externalId: null })])]), APP)).toMatchObject({ ok: true, run: { conclusion: 'action_required', externalId: null } });
  });

  it('answers "none" only when the app’s suites were all seen and hold no run', () => {
    expect(ownCheckRunOf(commit([]), APP)).toEqual({ ok: true, run: null });
    expect(ownCheckRunOf(commit([suite(APP, [])]), APP)).toEqual({ ok: true, run: null });
    expect(ownCheckRunOf(commit([suite(99, [run(3)])]), APP)).toEqual({ ok: true, run: null });
  });

  it('is no answer when anything is missing, malformed or has more pages', () => {
    const partial = [
      null,
      undefined,
      {},
      { checkSuites: null },
      { checkSuites: { nodes: [] } },
      commit([], true),
      commit([null]),
      commit([suite(APP, [run(1)], true)]),
      commit([suite(99, [run(1)], true)]),
      commit([{ app: { databaseId: APP }, checkRuns: null }]),
      commit([suite(APP, [null])]),
      commit([suite(APP, [run(1, { databaseId: null })])]),
      commit([suite(APP, [run(1, { databaseId: '1' })])]),
      commit([suite(APP, [run(1, { status: 'completed' })])]),
      commit([suite(APP, [run(1, { status: undefined })])]),
      commit([suite(APP, [run(1, { conclusion: 3 })])]),
      commit([suite(APP, [run(1, { externalId: undefined })])]),
      commit([suite(APP, [run(1, { startedAt: 12 })])]),
    ];
    for (const answer of partial) expect(ownCheckRunOf(answer, APP)).toMatchObject({ ok: false });
  });
});

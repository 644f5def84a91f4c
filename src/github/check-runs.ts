// The app's latest Airlock check run on a commit: its external id tells a review whether the
// same inputs were already reviewed; the reaper and the merge queue read its status. Over REST
// (checks.listForRef), or inside a GraphQL query made anyway (a review's first query):
// `OWN_CHECK_RUNS_SELECTION` on the head commit, read back with `ownCheckRunOf`. An answer that
// is not whole (a connection with more pages, a missing or malformed field) is no answer: the
// caller asks REST, so a review is never skipped on a partial answer.
import type { RepoRef } from './loader.js';
import type { GitHub } from './octokit.js';
import { CHECK_NAME } from './summary.js';

export interface OwnCheckRun {
  id: number;
  /** Lower case, as REST gives it: `queued`, `in_progress`, `completed`… */
  status: string;
  /** Lower case, as REST gives it: `success`, `failure`, `neutral`…; null while not completed. */
  conclusion: string | null;
  externalId: string | null;
  title: string | null;
  startedAt: string | null;
}

/** The app's latest Airlock check run on a commit, if any. */
export async function latestCheckRun(octokit: GitHub, repo: RepoRef, sha: string, appId: number): Promise<OwnCheckRun | null> {
  const { data } = await octokit.rest.checks.listForRef({ ...repo, ref: sha, check_name: CHECK_NAME, app_id: appId, filter: 'latest', per_page: 10 });
  const run = data.check_runs.filter((r) => r.app?.id === appId).sort((a, b) => b.id - a.id)[0];
  return run
    ? { id: run.id, status: run.status, conclusion: run.conclusion, externalId: run.external_id, title: run.output.title, startedAt: run.started_at }
    : null;
}

/** What GraphQL told about the app's latest check run: the run (or none), or why it could not tell. */
export type CheckRunRead = { ok: true; run: OwnCheckRun | null } | { ok: false; reason: string };

/** Variables the selection uses; the query declares them with these types. */
export const OWN_CHECK_RUNS_VARIABLES = '$appId: Int, $checkName: String';

/**
 * On a `Commit` (e.g. `repository.object(oid:)`): the app's check suites on it, and in each the
 * latest run of the check's name (like REST's `filter=latest`). A commit has one suite per app;
 * 10 of each is plenty, and more is answered with "not whole".
 */
export const OWN_CHECK_RUNS_SELECTION = `... on Commit {
      checkSuites(first: 10, filterBy: {appId: $appId}) {
        pageInfo { hasNextPage }
        nodes {
          app { databaseId }
          checkRuns(first: 10, filterBy: {checkName: $checkName, checkType: LATEST}) {
            pageInfo { hasNextPage }
            nodes { databaseId status conclusion externalId title startedAt }
          }
        }
      }
    }`;

export function ownCheckRunsVariables(appId: number | null): { appId: number | null; checkName: string } {
  return { appId, checkName: CHECK_NAME };
}

interface RunNode {
  databaseId?: unknown;
  status?: unknown;
  conclusion?: unknown;
  externalId?: unknown;
  title?: unknown;
  startedAt?: unknown;
}

interface SuiteNode {
  app?: { databaseId?: unknown } | null;
  checkRuns?: { pageInfo?: { hasNextPage?: unknown }; nodes?: (RunNode | null)[] | null } | null;
}

interface CommitNode {
  checkSuites?: { pageInfo?: { hasNextPage?: unknown }; nodes?: (SuiteNode | null)[] | null } | null;
}

const ENUM = /^[A-Z][A-Z_]*$/;
const optionalString = (value: unknown): value is string | null => value === null || typeof value === 'string';

/** A GraphQL CheckRun as REST describes it; null when a field is missing or not what the schema says. */
function runOf(node: RunNode): OwnCheckRun | null {
  const { databaseId, status, conclusion, externalId, title, startedAt } = node;
  if (typeof databaseId !== 'number' || typeof status !== 'string' || !ENUM.test(status)) return null;
  if (!(conclusion === null || (typeof conclusion === 'string' && ENUM.test(conclusion)))) return null;
  if (!optionalString(externalId) || !optionalString(title) || !optionalString(startedAt)) return null;
  return {
    id: databaseId,
    status: status.toLowerCase(),
    conclusion: conclusion === null ? null : conclusion.toLowerCase(),
    externalId,
    title,
    startedAt,
  };
}

/**
 * The app's latest Airlock run from what `OWN_CHECK_RUNS_SELECTION` brought back for a commit:
 * the run with the highest id among the latest run of each of the app's suites (as REST's
 * answer is read), or null when there is none. Suites of another app are left out, as REST's
 * runs are. Anything not whole is `ok: false`.
 */
export function ownCheckRunOf(commit: unknown, appId: number): CheckRunRead {
  if (commit === null || commit === undefined) return { ok: false, reason: 'GraphQL found no head commit' };
  const suites = (commit as CommitNode).checkSuites;
  if (!suites || !Array.isArray(suites.nodes) || typeof suites.pageInfo?.hasNextPage !== 'boolean') return { ok: false, reason: 'no check suites in the answer' };
  if (suites.pageInfo.hasNextPage) return { ok: false, reason: 'more check suites than one page' };
  let latest: OwnCheckRun | null = null;
  for (const suite of suites.nodes) {
    if (!suite) return { ok: false, reason: 'a check suite missing from the answer' };
    const runs = suite.checkRuns;
    if (!runs || !Array.isArray(runs.nodes) || typeof runs.pageInfo?.hasNextPage !== 'boolean') return { ok: false, reason: 'no check runs in the answer' };
    if (runs.pageInfo.hasNextPage) return { ok: false, reason: 'more check runs than one page' };
    if (suite.app?.databaseId !== appId) continue;
    for (const node of runs.nodes) {
      const run = node ? runOf(node) : null;
      if (!run) return { ok: false, reason: 'a check run the answer does not describe whole' };
      if (!latest || run.id > latest.id) latest = run;
    }
  }
  return { ok: true, run: latest };
}

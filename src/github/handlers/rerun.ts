// "Re-run" in GitHub's UI: check_run.rerequested (one run), check_suite.rerequested (the
// whole suite) and the Re-run button a check that could not finish offers
// (check_run.requested_action). All review the commit again from scratch. Fork pull
// requests are not listed in these payloads, so the pull request is found by its head commit.
import type { Context } from 'probot';
import type { RepoRef } from '../loader.js';
import type { GitHub } from '../octokit.js';
import { checkRunPayload, checkSuitePayload } from '../payloads.js';
import { RERUN_ACTION } from '../publisher.js';
import { CHECK_NAME } from '../summary.js';
import { prepare, scheduleReview, type AppDeps } from './context.js';
import { isMergeQueueRef, mirrorMergeGroup } from './merge-group.js';

const MAX_PULL_PAGES = 10;

async function pullForCommit(octokit: GitHub, repo: RepoRef, sha: string): Promise<number | null> {
  for (let page = 1; page <= MAX_PULL_PAGES; page++) {
    const { data } = await octokit.rest.pulls.list({ ...repo, state: 'open', per_page: 100, page });
    const found = data.find((p) => p.head.sha === sha);
    if (found) return found.number;
    if (data.length < 100) break;
  }
  return null;
}

function rerun(
  deps: AppDeps,
  octokit: GitHub,
  repo: RepoRef,
  target: { headSha: string; headBranch: string | null; pulls: { number: number }[] },
  trigger: string,
  delivery: string,
): void {
  if (target.headBranch && isMergeQueueRef(target.headBranch)) {
    if (deps.jobs) return deps.jobs.mergeGroup({ repo, headSha: target.headSha, headRef: target.headBranch, rerun: true, delivery });
    deps.queue.run(`merge-group:${repo.owner}/${repo.repo}@${target.headSha}`, trigger, (signal) =>
      mirrorMergeGroup(deps, octokit, repo, { headSha: target.headSha, headRef: target.headBranch!, signal }),
    );
    return;
  }
  const listed = target.pulls[0]?.number;
  if (listed !== undefined) {
    scheduleReview(deps, octokit, repo, listed, trigger, true, delivery);
    return;
  }
  deps.queue.detach(async () => {
    const number = await pullForCommit(octokit, repo, target.headSha);
    if (number === null) deps.services.log.warn(`${repo.owner}/${repo.repo}: no open pull request has ${target.headSha.slice(0, 7)} as its head; nothing to re-run`);
    else scheduleReview(deps, octokit, repo, number, trigger, true, delivery);
  });
}

export function handleCheckRunRerequested(context: Context<'check_run.rerequested' | 'check_run.requested_action'>, deps: AppDeps): void {
  const run = checkRunPayload.parse(context.payload).check_run;
  if (run.name !== CHECK_NAME || !deps.queue.firstDelivery(context.id)) return;
  const octokit = prepare(context.octokit, deps);
  rerun(
    deps,
    octokit,
    context.repo(),
    { headSha: run.head_sha, headBranch: run.check_suite?.head_branch ?? null, pulls: run.pull_requests },
    `check_run.${context.payload.action} at ${run.head_sha.slice(0, 7)}`,
    context.id,
  );
}

/** The Re-run button of a check that could not finish; other buttons are not ours. */
export function handleCheckRunRequestedAction(context: Context<'check_run.requested_action'>, deps: AppDeps): void {
  if (context.payload.requested_action?.identifier !== RERUN_ACTION.identifier) return;
  handleCheckRunRerequested(context, deps);
}

export function handleCheckSuiteRerequested(context: Context<'check_suite.rerequested'>, deps: AppDeps): void {
  if (!deps.queue.firstDelivery(context.id)) return;
  const suite = checkSuitePayload.parse(context.payload).check_suite;
  const octokit = prepare(context.octokit, deps);
  rerun(
    deps,
    octokit,
    context.repo(),
    { headSha: suite.head_sha, headBranch: suite.head_branch, pulls: suite.pull_requests },
    `check_suite.rerequested at ${suite.head_sha.slice(0, 7)}`,
    context.id,
  );
}

// merge_group.checks_requested: a merge queue needs the required `Airlock` check on the
// commit it is about to merge. That commit merges one pull request (named in its ref,
// `gh-readonly-queue/<base>/pr-<number>-<head sha>`) on top of the queue, so the check
// carries the verdict Airlock gave that pull request's head, reviewing it first if needed.
import type { Context } from 'probot';
import type { Conclusion } from '../../core/model.js';
import { mdText } from '../../core/render/markdown.js';
import type { RepoRef } from '../loader.js';
import type { GitHub } from '../octokit.js';
import { mergeGroupPayload } from '../payloads.js';
import { latestCheckRun, type OwnCheckRun } from '../check-runs.js';
import { createCompletedCheckRun, RERUN_ACTION, type CheckConclusion } from '../publisher.js';
import { runPullRequestReview } from '../review-run.js';
import { errorOutput, NOT_FINISHED_TITLE } from '../summary.js';
import { completeLeftCheck, prepare, type AppDeps } from './context.js';

const QUEUE_PREFIX = 'gh-readonly-queue/';

export function isMergeQueueRef(ref: string): boolean {
  return ref.includes(QUEUE_PREFIX);
}

/** `refs/heads/gh-readonly-queue/main/pr-104-929f…` → { number: 104, sha: '929f…' }. */
export function pullOfQueueRef(ref: string): { number: number; sha: string | null } | null {
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  if (!last.startsWith('pr-')) return null;
  let i = 3;
  let digits = '';
  while (i < last.length && digits.length < 10 && last[i]! >= '0' && last[i]! <= '9') digits += last[i++];
  if (digits === '') return null;
  const rest = last[i] === '-' ? last.slice(i + 1) : '';
  const sha = rest.length === 40 && [...rest].every((c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) ? rest : null;
  return { number: Number(digits), sha };
}

const FINAL: readonly string[] = ['success', 'failure', 'neutral'];

function settled(run: OwnCheckRun | null): run is OwnCheckRun & { conclusion: Conclusion } {
  return run !== null && run.status === 'completed' && run.conclusion !== null && FINAL.includes(run.conclusion);
}

export interface MergeGroupRun {
  headSha: string;
  headRef: string;
  signal: AbortSignal;
  /**
   * A job of the queue in Redis: whether a failure goes back to the queue to be tried again
   * (the infrastructure failed and attempts are left) rather than failing the check.
   */
  handBack?: (error: unknown) => boolean;
  /**
   * Another attempt of this job ran before (its worker died, stopped or failed on the
   * infrastructure): it may have left a check in progress or unfinished, or published this one.
   */
  takenOver?: 'check' | 'rerun';
}

/** Publishes the merge group's check; `retry` when a failure was handed back to the queue instead. */
export async function mirrorMergeGroup(deps: AppDeps, octokit: GitHub, repo: RepoRef, group: MergeGroupRun): Promise<'done' | 'retry'> {
  const parsed = pullOfQueueRef(group.headRef);
  try {
    if (!parsed) {
      await createCompletedCheckRun(octokit, repo, group.headSha, 'neutral', {
        title: 'Not a pull request merge',
        summary: `Airlock could not tell which pull request <code>${mdText(group.headRef, 200)}</code> merges, so it has no verdict to give here.\n`,
      });
      return 'done';
    }
    const identity = await deps.services.identity(octokit);
    // Only this merge group's job writes a check on its head: one there was published by the worker that died.
    if (group.takenOver === 'check' && (await latestCheckRun(octokit, repo, group.headSha, identity.id))?.status === 'completed') return 'done';
    const headSha = parsed.sha ?? (await octokit.rest.pulls.get({ ...repo, pull_number: parsed.number })).data.head.sha;
    let run = await latestCheckRun(octokit, repo, headSha, identity.id);
    // Another attempt of this job reviews again a head whose review it left unfinished (stopped or failed).
    if (!settled(run) || (group.takenOver && run.title === NOT_FINISHED_TITLE)) {
      if (group.takenOver) await completeLeftCheck(deps, octokit, repo, run);
      // Not reviewed yet (or the review did not finish): review the pull request now.
      const started = Date.now();
      const result = await runPullRequestReview(deps.services, {
        octokit,
        repo,
        pull: parsed.number,
        trigger: `merge_group at ${group.headSha.slice(0, 7)}`,
        force: false,
        signal: group.signal,
        deadlineMs: deps.reviewDeadlineMs,
        activeCheckRuns: deps.activeCheckRuns,
      });
      deps.onResult?.(result, { repo, number: parsed.number, trigger: 'merge_group', durationMs: Date.now() - started });
      if (result.kind === 'failed' && group.handBack?.(result.error)) return 'retry';
      run = await latestCheckRun(octokit, repo, headSha, identity.id);
    }
    const conclusion: CheckConclusion = settled(run) ? run.conclusion : 'failure';
    const verdict = settled(run) ? (run.title ?? run.conclusion) : 'no completed Airlock review';
    await createCompletedCheckRun(octokit, repo, group.headSha, conclusion, {
      title: `#${parsed.number}: ${verdict}`.slice(0, 200),
      summary:
        `This merge queue commit merges pull request #${parsed.number}. Airlock's verdict on its head ` +
        `<code>${headSha.slice(0, 7)}</code>: **${conclusion}** (${mdText(verdict, 200)}). See that pull request's **Airlock** check for the findings.\n`,
    });
    return 'done';
  } catch (error) {
    if (group.handBack?.(error)) return 'retry';
    deps.services.log.error(`${repo.owner}/${repo.repo}: merge group ${group.headSha.slice(0, 7)} failed: ${String(error)}`);
    await createCompletedCheckRun(octokit, repo, group.headSha, 'failure', errorOutput(error, 'failure'), { actions: [RERUN_ACTION] }).catch(() => undefined);
    return 'done';
  }
}

export function handleMergeGroup(context: Context<'merge_group.checks_requested'>, deps: AppDeps): void {
  if (!deps.queue.firstDelivery(context.id)) return;
  const group = mergeGroupPayload.parse(context.payload).merge_group;
  const repo = context.repo();
  if (deps.jobs) return deps.jobs.mergeGroup({ repo, headSha: group.head_sha, headRef: group.head_ref, rerun: false, delivery: context.id });
  const octokit = prepare(context.octokit, deps);
  deps.queue.run(`merge-group:${repo.owner}/${repo.repo}@${group.head_sha}`, 'merge_group', (signal) =>
    mirrorMergeGroup(deps, octokit, repo, { headSha: group.head_sha, headRef: group.head_ref, signal }),
  );
}

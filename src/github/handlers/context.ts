// What every handler shares: the queue that runs reviews after the webhook is answered,
// the injected services, the request policy, and how a review is scheduled.
import type { RepoRef, PullRequestInfo } from '../loader.js';
import { installRequestPolicy, type GitHub, type RequestPolicy } from '../octokit.js';
import type { OwnCheckRun } from '../check-runs.js';
import { completeCheckRun } from '../publisher.js';
import type { ReviewQueue } from '../queue/embedded.js';
import type { CommandJobData } from '../queue/redis.js';
import { runPullRequestReview, type RunResult, type Services } from '../review-run.js';
import { supersededOutput } from '../summary.js';

/** A merge queue's check to queue in Redis. */
export interface MergeGroupRequest {
  repo: RepoRef;
  headSha: string;
  headRef: string;
  /** Asked again from the check's Re-run (a new job per request). */
  rerun: boolean;
  delivery?: string;
}

/** The commands of a comment to answer from Redis: which comment, and what only the webhook says. */
export type CommandRequest = Omit<CommandJobData, 'installation' | 'owner' | 'repo' | 'delivery'> & { repo: RepoRef; delivery?: string };

export interface AppDeps {
  queue: ReviewQueue;
  services: Services;
  policy: RequestPolicy;
  /** Time one review may take before its check completes with the `on_error` conclusion. */
  reviewDeadlineMs: number;
  /** Check runs this process is working on (the reaper leaves them alone). */
  activeCheckRuns: Set<number>;
  /** Called with every run's result (tests, the demo, metrics). */
  onResult?: (result: RunResult, info: { repo: RepoRef; number: number; trigger: string; durationMs: number }) => void;
  /** With a queue shared through Redis: reviews are queued there instead of run by this process. */
  enqueue?: (request: { repo: RepoRef; pull: PullRequestInfo | number; trigger: string; force: boolean; delivery?: string }) => void;
  /** With a queue shared through Redis: merge queue checks and command answers are jobs there too, run by the workers. */
  jobs?: { mergeGroup(request: MergeGroupRequest): void; command(request: CommandRequest): void };
}

/**
 * Completes as cancelled the check a worker that died left in progress (the job's next
 * worker calls this before it reviews again), unless this process is working on it.
 */
export async function completeLeftCheck(deps: AppDeps, octokit: GitHub, repo: RepoRef, left: OwnCheckRun | null): Promise<void> {
  if (!left || left.status === 'completed' || deps.activeCheckRuns.has(left.id)) return;
  await completeCheckRun(octokit, repo, left.id, { conclusion: 'cancelled', output: supersededOutput('another worker took over this review after the one running it stopped') });
}

export function prepare(octokit: GitHub, deps: AppDeps): GitHub {
  installRequestPolicy(octokit, deps.policy);
  return octokit;
}

export function queueKey(repo: RepoRef, number: number): string {
  return `${repo.owner}/${repo.repo}#${number}`.toLowerCase();
}

/** Schedules a review of a pull request; a newer one for the same pull request supersedes it. */
export function scheduleReview(
  deps: AppDeps,
  octokit: GitHub,
  repo: RepoRef,
  pull: PullRequestInfo | number,
  trigger: string,
  force: boolean,
  delivery?: string,
): void {
  if (deps.enqueue) return deps.enqueue({ repo, pull, trigger, force, ...(delivery ? { delivery } : {}) });
  const number = typeof pull === 'number' ? pull : pull.number;
  deps.queue.run(queueKey(repo, number), trigger, async (signal) => {
    const started = Date.now();
    const result = await runPullRequestReview(deps.services, {
      octokit,
      repo,
      pull,
      trigger,
      force,
      signal,
      deadlineMs: deps.reviewDeadlineMs,
      activeCheckRuns: deps.activeCheckRuns,
      ...(delivery ? { delivery } : {}),
    });
    deps.onResult?.(result, { repo, number, trigger, durationMs: Date.now() - started });
    return result;
  });
}

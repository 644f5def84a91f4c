// Writes a review to GitHub: the check run (created in progress, completed with the
// verdict, annotations 50 per request), one pull request review per head commit with
// inline comments on lines the diff shows, and the threads of findings that are gone
// resolved with a reply. Comments already written are found by their hidden marker, so a
// new push never repeats one.
import { atLeast, type Conclusion, type Severity } from '../core/model.js';
import type { Report } from '../core/render/index.js';
import { safeLogin } from './commands.js';
import type { RepoRef } from './loader.js';
import { formatMarker, parseMarker } from './markers.js';
import type { GitHub } from './octokit.js';
import type { AcceptedFinding } from './outcome.js';
import type { Hunk } from './patch.js';
import {
  ANNOTATION_BATCH,
  batches,
  CHECK_NAME,
  commentBody,
  describeError,
  planComments,
  reviewBody,
  type Annotation,
  type CommentStats,
} from './summary.js';

export type CheckConclusion = Conclusion | 'cancelled';

export interface CheckOutput {
  title: string;
  summary: string;
}

/** A button on the check run; GitHub sends `check_run.requested_action` with its identifier. */
export interface CheckAction {
  label: string;
  description: string;
  identifier: string;
}

/** Offered on a check that could not finish (GitHub allows 3 buttons: label ≤ 20, description ≤ 40 characters). */
export const RERUN_ACTION: CheckAction = { label: 'Re-run', description: 'Review this commit again', identifier: 'rerun' };

export interface CheckResult {
  conclusion: CheckConclusion;
  output: CheckOutput;
  annotations?: Annotation[];
  externalId?: string;
  actions?: CheckAction[];
  /** The check's "details" link (GitHub's `details_url`): the rule pages. */
  detailsUrl?: string;
}

export async function createCheckRun(octokit: GitHub, repo: RepoRef, headSha: string, externalId: string, output: CheckOutput): Promise<number> {
  const { data } = await octokit.rest.checks.create({
    ...repo,
    name: CHECK_NAME,
    head_sha: headSha,
    status: 'in_progress',
    external_id: externalId,
    started_at: new Date().toISOString(),
    output,
  });
  return data.id;
}

/** Completes a check run; annotations go 50 per request, the last batch with the conclusion. */
export async function completeCheckRun(octokit: GitHub, repo: RepoRef, checkRunId: number, result: CheckResult): Promise<void> {
  const groups = batches(result.annotations ?? [], ANNOTATION_BATCH);
  const last = groups.pop() ?? [];
  for (const group of groups) {
    await octokit.rest.checks.update({
      ...repo,
      check_run_id: checkRunId,
      output: { title: 'Publishing annotations', summary: 'Airlock is writing its annotations; the verdict follows.', annotations: group },
    });
  }
  await octokit.rest.checks.update({
    ...repo,
    check_run_id: checkRunId,
    status: 'completed',
    conclusion: result.conclusion,
    completed_at: new Date().toISOString(),
    ...(result.externalId !== undefined ? { external_id: result.externalId } : {}),
    ...(result.actions ? { actions: result.actions } : {}),
    ...(result.detailsUrl ? { details_url: result.detailsUrl } : {}),
    output: { ...result.output, ...(last.length > 0 ? { annotations: last } : {}) },
  });
}

/** Creates a check run that is already complete (merge queue mirrors, runs that never started). */
export async function createCompletedCheckRun(
  octokit: GitHub,
  repo: RepoRef,
  headSha: string,
  conclusion: CheckConclusion,
  output: CheckOutput,
  extra: { externalId?: string; actions?: CheckAction[]; annotations?: Annotation[]; detailsUrl?: string } = {},
): Promise<number> {
  const annotations = extra.annotations?.slice(0, ANNOTATION_BATCH) ?? [];
  const { data } = await octokit.rest.checks.create({
    ...repo,
    name: CHECK_NAME,
    head_sha: headSha,
    status: 'completed',
    conclusion,
    completed_at: new Date().toISOString(),
    ...(extra.externalId !== undefined ? { external_id: extra.externalId } : {}),
    ...(extra.actions ? { actions: extra.actions } : {}),
    ...(extra.detailsUrl ? { details_url: extra.detailsUrl } : {}),
    output: { ...output, ...(annotations.length > 0 ? { annotations } : {}) },
  });
  return data.id;
}

/**
 * Completes the run, or when that keeps failing (or no run was created yet), creates a new
 * completed run on the head with the same result: branch protection reads the latest run
 * of the name. Returns the id of the run that carries the result; throws when neither
 * write succeeds (a run left in progress is completed later by the reaper).
 */
export async function finishCheckRun(
  octokit: GitHub,
  repo: RepoRef,
  run: { id: number | null; headSha: string },
  result: CheckResult,
  log: { warn(message: string): void },
): Promise<number> {
  if (run.id !== null) {
    try {
      await completeCheckRun(octokit, repo, run.id, result);
      return run.id;
    } catch (error) {
      log.warn(`${repo.owner}/${repo.repo}: could not complete check run ${run.id} (${describeError(error)}); creating a completed one instead`);
    }
  }
  // Only the first batch of annotations fits the single request; the summary lists every finding.
  return createCompletedCheckRun(octokit, repo, run.headSha, result.conclusion, result.output, {
    ...(result.externalId !== undefined ? { externalId: result.externalId } : {}),
    ...(result.actions ? { actions: result.actions } : {}),
    ...(result.annotations ? { annotations: result.annotations } : {}),
    ...(result.detailsUrl ? { detailsUrl: result.detailsUrl } : {}),
  });
}

export interface OwnThread {
  id: string;
  isResolved: boolean;
  path: string | null;
  rootCommentId: number;
  fingerprint: string;
}

interface ThreadNode {
  id: string;
  isResolved: boolean;
  path: string | null;
  comments: { nodes: { databaseId: number | null; body: string; viewerDidAuthor: boolean }[] };
}

interface Connection<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: T[];
}

interface PublishStatePage {
  repository: {
    pullRequest: {
      headRefOid: string;
      reviewThreads?: Connection<ThreadNode>;
      reviews?: Connection<{ viewerDidAuthor: boolean; body: string } | null>;
    } | null;
  } | null;
}

// What publishing needs to know, in one query: the head now (a newer push supersedes this run),
// the threads the app opened, and whether the app already reviewed this head. Each connection
// is paged on its own, the other left out once it is done.
const PUBLISH_STATE_QUERY = `query($owner: String!, $repo: String!, $number: Int!, $threadsAfter: String, $reviewsAfter: String, $threads: Boolean!, $reviews: Boolean!) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      headRefOid
      reviewThreads(first: 100, after: $threadsAfter) @include(if: $threads) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved path comments(first: 1) { nodes { databaseId body viewerDidAuthor } } }
      }
      reviews(first: 100, after: $reviewsAfter) @include(if: $reviews) {
        pageInfo { hasNextPage endCursor }
        nodes { viewerDidAuthor body }
      }
    }
  }
}`;

export interface PublishState {
  /** The pull request's head as GitHub has it now. */
  headSha: string;
  /** Review threads the app opened (first comment written by the app, with a fingerprint marker). */
  threads: OwnThread[];
  /** The app already posted its review of `reviewedSha` (one review per head commit). */
  reviewed: boolean;
}

/** Reads the publish state of a pull request for a run on `headSha`. */
export async function readPublishState(octokit: GitHub, repo: RepoRef, number: number, headSha: string): Promise<PublishState> {
  const threads: OwnThread[] = [];
  let reviewed = false;
  let threadsAfter: string | null = null;
  let reviewsAfter: string | null = null;
  let wantThreads = true;
  let wantReviews = true;
  let current: string | null = null;
  for (let page = 0; page < 50 && (wantThreads || wantReviews); page++) {
    const data: PublishStatePage = await octokit.graphql<PublishStatePage>(PUBLISH_STATE_QUERY, {
      ...repo,
      number,
      threadsAfter,
      reviewsAfter,
      threads: wantThreads,
      reviews: wantReviews,
    });
    const pull = data.repository?.pullRequest;
    if (!pull) throw new Error(`GitHub found no pull request #${number} in ${repo.owner}/${repo.repo}`);
    current ??= pull.headRefOid;
    const threadPage = pull.reviewThreads;
    for (const node of threadPage?.nodes ?? []) {
      const root = node.comments.nodes[0];
      if (!root || !root.viewerDidAuthor || root.databaseId === null) continue;
      const marker = parseMarker(root.body);
      if (marker?.kind !== 'fp') continue;
      threads.push({ id: node.id, isResolved: node.isResolved, path: node.path, rootCommentId: root.databaseId, fingerprint: marker.fingerprint });
    }
    for (const review of pull.reviews?.nodes ?? []) {
      if (!review?.viewerDidAuthor) continue;
      const marker = parseMarker(review.body);
      if (marker?.kind === 'review' && marker.sha === headSha) reviewed = true;
    }
    wantThreads = wantThreads && threadPage?.pageInfo.hasNextPage === true && threadPage.pageInfo.endCursor !== null;
    threadsAfter = threadPage?.pageInfo.endCursor ?? null;
    // Once this head's review is found, no further page of reviews can change the answer.
    wantReviews = wantReviews && !reviewed && pull.reviews?.pageInfo.hasNextPage === true && pull.reviews.pageInfo.endCursor !== null;
    reviewsAfter = pull.reviews?.pageInfo.endCursor ?? null;
  }
  return { headSha: current!, threads, reviewed };
}

async function setResolved(octokit: GitHub, threadId: string, resolved: boolean): Promise<void> {
  const mutation = resolved
    ? 'mutation($id: ID!) { resolveReviewThread(input: { threadId: $id }) { thread { id isResolved } } }'
    : 'mutation($id: ID!) { unresolveReviewThread(input: { threadId: $id }) { thread { id isResolved } } }';
  await octokit.graphql(mutation, { id: threadId });
}

async function reply(octokit: GitHub, repo: RepoRef, number: number, commentId: number, body: string): Promise<void> {
  await octokit.rest.pulls.createReplyForReviewComment({ ...repo, pull_number: number, comment_id: commentId, body });
}

export interface PublishInput {
  repo: RepoRef;
  number: number;
  headSha: string;
  report: Report;
  accepted: readonly AcceptedFinding[];
  hunks: ReadonlyMap<string, Hunk[]>;
  max: number;
  /** Only findings at or above this severity get an inline comment (`comment_on`); default: all. */
  commentOn?: Severity;
  botLogin: string;
  /** Checked before each write: throws when a newer run took over. */
  checkpoint: () => Promise<void> | void;
  /** The publish state when the caller already read it (to check the head first); else read here. */
  state?: PublishState;
}

/** Inline comments and thread housekeeping for one run. Returns what the summary should say. */
export async function publishComments(octokit: GitHub, input: PublishInput): Promise<CommentStats> {
  const { repo, number, headSha, report, max } = input;
  const stats: CommentStats = { posted: 0, alreadyCommented: 0, listedOnly: 0, cap: max, problem: null };
  const { threads, reviewed } = input.state ?? (await readPublishState(octokit, repo, number, headSha));
  const threadByFp = new Map(threads.map((t) => [t.fingerprint, t]));
  const current = report.result.findings;
  const unthreaded = current.filter((f) => !threadByFp.has(f.fingerprint));
  stats.alreadyCommented = current.length - unthreaded.length;
  const commentOn = input.commentOn ?? 'info';
  const fresh = unthreaded.filter((f) => atLeast(f.severity, commentOn));
  if (fresh.length < unthreaded.length) stats.belowCommentOn = { count: unthreaded.length - fresh.length, threshold: commentOn };
  const plan = planComments(fresh, input.hunks, max);
  stats.listedOnly = plan.listedOnly.length;
  const notPosted = { ...plan.reasons, refused: 0, earlierReview: 0 };
  stats.notPosted = notPosted;

  if (plan.post.length > 0 && !reviewed) {
    const comments = plan.post.map(({ finding, anchor }) => ({
      path: anchor.path,
      line: anchor.line,
      side: 'RIGHT' as const,
      ...(anchor.startLine !== null ? { start_line: anchor.startLine, start_side: 'RIGHT' as const } : {}),
      body: commentBody(report, finding, anchor),
    }));
    await input.checkpoint();
    try {
      await octokit.rest.pulls.createReview({
        ...repo,
        pull_number: number,
        commit_id: headSha,
        event: 'COMMENT',
        body: reviewBody(headSha, comments.length, plan.listedOnly.length),
        comments,
      });
      stats.posted = comments.length;
    } catch (error) {
      // The anchors were checked against the diff; if GitHub still refuses one, the rest
      // must not be lost: post them one at a time and count what could not be placed.
      if ((error as { status?: number }).status !== 422) throw error;
      for (const comment of comments) {
        await input.checkpoint();
        try {
          await octokit.rest.pulls.createReviewComment({ ...repo, pull_number: number, commit_id: headSha, ...comment });
          stats.posted += 1;
        } catch (single) {
          if ((single as { status?: number }).status !== 422) throw single;
          stats.listedOnly += 1;
          notPosted.refused += 1;
        }
      }
    }
  } else if (plan.post.length > 0) {
    // A review for this commit exists already (an earlier run): one review per head commit.
    stats.listedOnly += plan.post.length;
    notPosted.earlierReview += plan.post.length;
  }

  // Threads of findings that are gone (fixed, or accepted) are answered and resolved. A
  // thread someone resolved by hand stays resolved. Files that could not be reviewed this
  // time say nothing about their findings, so their threads are left alone.
  const currentFps = new Set(current.map((f) => f.fingerprint));
  const acceptedByFp = new Map(input.accepted.map((a) => [a.finding.fingerprint, a]));
  const unreviewed = new Set(report.result.notReviewed.map((n) => n.path));
  for (const thread of threads) {
    if (thread.path !== null && unreviewed.has(thread.path)) continue;
    const present = currentFps.has(thread.fingerprint);
    if (present || thread.isResolved) continue;
    const accepted = acceptedByFp.get(thread.fingerprint);
    const text = accepted
      ? `Accepted by \`${safeLogin(accepted.allowance.by) ?? 'a maintainer'}\`: it no longer fails the check.`
      : `Fixed in \`${headSha.slice(0, 7)}\`: Airlock no longer finds this.`;
    await input.checkpoint();
    await reply(octokit, repo, number, thread.rootCommentId, `${text}\n\n${formatMarker({ kind: 'resolved', fingerprint: thread.fingerprint, sha: headSha })}`);
    await setResolved(octokit, thread.id, true);
  }
  return stats;
}

/** Runs `publishComments`, turning a failure into a line of the summary instead of a lost verdict. */
export async function publishCommentsSafely(octokit: GitHub, input: PublishInput, isSuperseded: (e: unknown) => boolean): Promise<CommentStats> {
  try {
    return await publishComments(octokit, input);
  } catch (error) {
    if (isSuperseded(error)) throw error;
    return { posted: 0, alreadyCommented: 0, listedOnly: input.report.result.findings.length, cap: input.max, problem: describeError(error) };
  }
}

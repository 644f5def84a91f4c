// pull_request_review_comment: `/airlock allow <reason>` (and `/airlock help`) written as a
// reply in the review thread of a finding. The thread's first comment, written by the app,
// names the finding with its fingerprint marker; the reply needs no fingerprint. As for pull
// request comments, the review reads the allowance itself, and refusals and help are answered
// in the thread.
import type { Context } from 'probot';
import { isBot, parseCommands, unreadReplyProblem } from '../commands.js';
import type { RepoRef } from '../loader.js';
import { parseMarker } from '../markers.js';
import type { GitHub } from '../octokit.js';
import { reviewCommentPayload } from '../payloads.js';
import { answerCommands, holdsAllowance, queueCommands, type CommentEvent } from './command-flow.js';
import { prepare, type AppDeps } from './context.js';

const NOT_A_FINDING_THREAD =
  'this review thread is not one of Airlock’s findings; reply in the thread of the finding, or comment `/airlock allow <rule-id or fingerprint> <reason>` on the pull request';

/** Stands for the thread's fingerprint where only whether an allowance was written matters (no word equals it). */
const ANY_FINDING = ' ';

async function alreadyAnswered(octokit: GitHub, repo: RepoRef, number: number, commentId: number, botLogin: string): Promise<boolean> {
  for (let page = 1; page <= 30; page++) {
    const { data } = await octokit.rest.pulls.listReviewComments({ ...repo, pull_number: number, per_page: 100, page });
    for (const c of data) {
      if (c.user?.login !== botLogin) continue;
      const marker = parseMarker(c.body);
      if (marker?.kind === 'reply' && marker.commentId === commentId) return true;
    }
    if (data.length < 100) break;
  }
  return false;
}

/** The fingerprint of the finding whose thread the root comment opened: the app's own, unedited, with an fp marker. */
async function threadFingerprint(octokit: GitHub, repo: RepoRef, rootId: number, botLogin: string): Promise<string | null> {
  try {
    const { data } = await octokit.rest.pulls.getReviewComment({ ...repo, comment_id: rootId });
    if (data.user?.login !== botLogin) return null;
    const marker = parseMarker(data.body);
    return marker?.kind === 'fp' ? marker.fingerprint : null;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
}

/** A reply in a review thread with commands: as the webhook says it, or as a worker read it again. */
export interface ReviewCommentEvent extends CommentEvent {
  /** The thread's first comment, when this one is a reply. */
  rootId: number | null;
  /**
   * The text before an edit or deletion (it counts in a finding's thread only): as the webhook
   * gave it, or from a job, whether it held `/airlock allow`.
   */
  before: string | boolean;
}

/** Reads the finding the thread is about, then judges the commands and answers in the thread. */
export async function answerReviewComment(deps: AppDeps, octokit: GitHub, repo: RepoRef, event: ReviewCommentEvent): Promise<void> {
  const { number, rootId, text } = event;
  const identity = await deps.services.identity(octokit);
  const fingerprint = rootId === null ? null : await threadFingerprint(octokit, repo, rootId, `${identity.slug}[bot]`);
  // Outside a finding's thread `/airlock allow` names nothing: it is refused, help still answered.
  const parse = (body: string, unread: string | null = null) =>
    parseCommands(body, fingerprint ?? undefined).map((c) =>
      c.kind === 'allow' && (fingerprint === null || unread !== null) ? { kind: 'invalid' as const, problem: unread ?? NOT_A_FINDING_THREAD } : c,
    );
  // An allowance in a reply the review cannot read (past the limits of how many threads and
  // replies it reads) would not count: the reply says so instead.
  const allows = fingerprint !== null && parse(text).some((c) => c.kind === 'allow');
  const unread = allows ? await unreadReplyProblem(octokit, repo, number, event.commentId, fingerprint) : null;
  await answerCommands(deps, {
    ...(event.delivery ? { delivery: event.delivery } : {}),
    octokit,
    repo,
    number,
    prAuthor: event.prAuthor,
    commentId: event.commentId,
    action: event.action,
    author: event.author,
    editor: event.editor,
    now: parse(text, unread),
    allowedBefore: fingerprint !== null && (typeof event.before === 'string' ? holdsAllowance(parse(event.before)) : event.before),
    alreadyAnswered: (botLogin) => alreadyAnswered(octokit, repo, number, event.commentId, botLogin),
    reply: async (body) => {
      await octokit.rest.pulls.createReplyForReviewComment({ ...repo, pull_number: number, comment_id: rootId ?? event.commentId, body });
    },
  });
}

export function handleReviewComment(context: Context<'pull_request_review_comment'>, deps: AppDeps): void {
  const payload = reviewCommentPayload.parse(context.payload);
  if (!deps.queue.firstDelivery(context.id)) return;
  const comment = payload.comment;
  const author = comment.user ? { login: comment.user.login, type: comment.user.type } : null;
  if (isBot(author)) return;
  const text = payload.action === 'deleted' ? '' : comment.body;
  const previous = payload.action === 'deleted' ? comment.body : payload.action === 'edited' ? (payload.changes?.body?.from ?? '') : '';
  // Cheap test before any request: most review comments are not commands.
  const hasCommands = parseCommands(text).length > 0;
  if (!hasCommands && parseCommands(previous).length === 0) return;
  const editor = payload.action === 'edited' && payload.sender.login !== author?.login ? { login: payload.sender.login, type: payload.sender.type } : null;
  const repo = context.repo();
  const number = payload.pull_request.number;
  const rootId = comment.in_reply_to_id ?? null;
  if (deps.jobs) {
    const which = { kind: 'review' as const, id: comment.id, inReplyTo: rootId };
    // Whether it held an allowance, whatever the thread's finding: the worker reads the thread.
    const allowedBefore = holdsAllowance(parseCommands(previous, ANY_FINDING));
    return queueCommands(deps.jobs, { repo, number, comment: which, action: payload.action, updatedAt: comment.updated_at, editor, allowedBefore, hasCommands, delivery: context.id });
  }
  const octokit = prepare(context.octokit, deps);
  const event: ReviewCommentEvent = { delivery: context.id, number, prAuthor: payload.pull_request.user?.login ?? null, commentId: comment.id, rootId, action: payload.action, author, editor, text, before: previous };
  deps.queue.detach(() => answerReviewComment(deps, octokit, repo, event));
}

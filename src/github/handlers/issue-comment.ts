// issue_comment on a pull request: `/airlock allow …`, `/airlock rescan` and `/airlock help`.
// Commands by people who may give them schedule a review (allowances are read from the
// comments by the review itself); anyone else gets one polite reply saying why not. An edit
// is judged as written by its sender, not by the comment's author. A deleted or edited
// allowance also schedules a review, so the check stops honouring it.
import type { Context } from 'probot';
import { isBot, parseCommands } from '../commands.js';
import type { RepoRef } from '../loader.js';
import { parseMarker } from '../markers.js';
import type { GitHub } from '../octokit.js';
import { issueCommentPayload } from '../payloads.js';
import { actOnCommands, answerCommands, holdsAllowance, queueCommands, type CommandComment, type CommentEvent } from './command-flow.js';
import { prepare, type AppDeps } from './context.js';

async function alreadyAnswered(octokit: GitHub, repo: RepoRef, number: number, commentId: number, botLogin: string): Promise<boolean> {
  for (let page = 1; page <= 30; page++) {
    const { data } = await octokit.rest.issues.listComments({ ...repo, issue_number: number, per_page: 100, page });
    for (const c of data) {
      if (c.user?.login !== botLogin) continue;
      const marker = parseMarker(c.body);
      if (marker?.kind === 'reply' && marker.commentId === commentId) return true;
    }
    if (data.length < 100) break;
  }
  return false;
}

/** A pull request comment with commands: as the webhook says it, or as a worker read it again. */
export interface IssueCommentEvent extends CommentEvent {
  allowedBefore: boolean;
}

export function issueCommandComment(octokit: GitHub, repo: RepoRef, event: IssueCommentEvent): CommandComment {
  const { text, ...rest } = event;
  return {
    ...rest,
    octokit,
    repo,
    now: parseCommands(text),
    alreadyAnswered: (botLogin) => alreadyAnswered(octokit, repo, event.number, event.commentId, botLogin),
    reply: async (body) => {
      await octokit.rest.issues.createComment({ ...repo, issue_number: event.number, body });
    },
  };
}

/** Judges the commands and answers on the pull request (a worker's job). */
export function answerIssueComment(deps: AppDeps, octokit: GitHub, repo: RepoRef, event: IssueCommentEvent): Promise<void> {
  return answerCommands(deps, issueCommandComment(octokit, repo, event));
}

export function handleIssueComment(context: Context<'issue_comment'>, deps: AppDeps): void {
  const payload = issueCommentPayload.parse(context.payload);
  if (!payload.issue.pull_request || !deps.queue.firstDelivery(context.id)) return;
  const comment = payload.comment;
  const author = comment.user ? { login: comment.user.login, type: comment.user.type } : null;
  if (isBot(author)) return;
  // Anyone with write access can edit anyone's comment: an edit's text is the sender's.
  const editor = payload.action === 'edited' && payload.sender.login !== author?.login ? { login: payload.sender.login, type: payload.sender.type } : null;
  const repo = context.repo();
  const number = payload.issue.number;
  const text = payload.action === 'deleted' ? '' : comment.body;
  const previous = payload.action === 'deleted' ? comment.body : payload.action === 'edited' ? (payload.changes?.body?.from ?? '') : '';
  const allowedBefore = holdsAllowance(parseCommands(previous));
  if (deps.jobs) {
    const which = { kind: 'issue' as const, id: comment.id, inReplyTo: null };
    return queueCommands(deps.jobs, { repo, number, comment: which, action: payload.action, updatedAt: comment.updated_at, editor, allowedBefore, hasCommands: parseCommands(text).length > 0, delivery: context.id });
  }
  const octokit = prepare(context.octokit, deps);
  actOnCommands(deps, issueCommandComment(octokit, repo, { delivery: context.id, number, prAuthor: payload.issue.user?.login ?? null, commentId: comment.id, action: payload.action, author, editor, text, allowedBefore }));
}

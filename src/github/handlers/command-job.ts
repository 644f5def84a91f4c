// The answer to a comment's `/airlock` commands, as a worker runs it from the queue in Redis.
// The job names the comment; the worker reads it from GitHub (its text, its author, the pull
// request's author) and trusts only the webhook's facts GitHub does not keep: who made an
// edit and whether the text before it held an allowance. A comment edited or deleted since
// the event has an event of its own, whose job judges its new text: this one judges no text.
import { isBot, parseCommands, type UserInfo } from '../commands.js';
import type { RepoRef } from '../loader.js';
import type { GitHub } from '../octokit.js';
import type { CommandJobData } from '../queue/redis.js';
import type { AppDeps } from './context.js';
import { answerReviewComment } from './review-comment.js';
import { answerIssueComment } from './issue-comment.js';

interface ReadComment {
  body: string;
  user: UserInfo | null;
  updatedAt: string;
}

/** The comment as it is now; null when it is gone. */
async function readComment(octokit: GitHub, repo: RepoRef, comment: CommandJobData['comment']): Promise<ReadComment | null> {
  try {
    const { data } =
      comment.kind === 'issue'
        ? await octokit.rest.issues.getComment({ ...repo, comment_id: comment.id })
        : await octokit.rest.pulls.getReviewComment({ ...repo, comment_id: comment.id });
    return { body: data.body ?? '', user: data.user ? { login: data.user.login, type: data.user.type } : null, updatedAt: data.updated_at };
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
}

export async function runCommandJob(deps: AppDeps, octokit: GitHub, data: CommandJobData): Promise<void> {
  const repo: RepoRef = { owner: data.owner, repo: data.repo };
  const current = data.action === 'deleted' ? null : await readComment(octokit, repo, data.comment);
  const unchanged = current !== null && (data.updatedAt === null || Date.parse(current.updatedAt) === Date.parse(data.updatedAt));
  const text = unchanged ? current.body : '';
  const author = current?.user ?? null;
  if (isBot(author)) return;
  const hasCommands = parseCommands(text).length > 0;
  if (!hasCommands && !data.allowedBefore) return;
  // Who may give a command depends on who opened the pull request.
  const prAuthor = hasCommands ? ((await octokit.rest.pulls.get({ ...repo, pull_number: data.number })).data.user?.login ?? null) : null;
  const event = {
    number: data.number,
    prAuthor,
    commentId: data.comment.id,
    action: data.action,
    author,
    editor: data.editor,
    text,
    ...(data.delivery ? { delivery: data.delivery } : {}),
  };
  if (data.comment.kind === 'issue') await answerIssueComment(deps, octokit, repo, { ...event, allowedBefore: data.allowedBefore });
  else await answerReviewComment(deps, octokit, repo, { ...event, rootId: data.comment.inReplyTo, before: data.allowedBefore });
}

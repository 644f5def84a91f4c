// issue_comment on a pull request: `/airlock allow …` and `/airlock rescan`. Commands by
// people who may give them schedule a review (allowances are read from the comments by
// the review itself); anyone else gets one polite reply saying why not. An edit is judged
// as written by its sender, not by the comment's author. A deleted or edited allowance
// also schedules a review, so the check stops honouring it.
import type { Context } from 'probot';
import { isBot, mayAllow, mayRescan, parseCommands, permissionLookup, safeLogin, type Command } from '../commands.js';
import type { RepoRef } from '../loader.js';
import { formatMarker, parseMarker } from '../markers.js';
import type { GitHub } from '../octokit.js';
import { issueCommentPayload } from '../payloads.js';
import { prepare, scheduleReview, type AppDeps } from './context.js';

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

function refusal(login: string, reasons: string[], commentId: number): string {
  const who = safeLogin(login);
  const greeting = who ? `@${who}, thanks` : 'Thanks';
  return (
    `${greeting} for the command, but Airlock cannot act on it: ${[...new Set(reasons)].join('; ')}.\n\n` +
    'Findings can be accepted by a maintainer (write, maintain or admin permission) who is not the author of the pull request: ' +
    '`/airlock allow <rule-id or fingerprint> <reason>`. The author or a maintainer can ask for `/airlock rescan`.\n\n' +
    formatMarker({ kind: 'reply', commentId })
  );
}

export function handleIssueComment(context: Context<'issue_comment'>, deps: AppDeps): void {
  const payload = issueCommentPayload.parse(context.payload);
  if (!payload.issue.pull_request || !deps.queue.firstDelivery(context.id)) return;
  const comment = payload.comment;
  const author = comment.user ? { login: comment.user.login, type: comment.user.type } : null;
  if (isBot(author)) return;
  // Anyone with write access can edit anyone's comment: an edit's text is the sender's.
  const editor = payload.action === 'edited' && payload.sender.login !== author?.login ? { login: payload.sender.login, type: payload.sender.type } : null;
  const user = editor ?? author;
  const now = parseCommands(payload.action === 'deleted' ? '' : comment.body);
  const before = payload.action === 'deleted' ? parseCommands(comment.body) : payload.action === 'edited' ? parseCommands(payload.changes?.body?.from) : [];
  if (now.length === 0 && before.length === 0) return;
  const octokit = prepare(context.octokit, deps);
  const repo = context.repo();
  const number = payload.issue.number;
  const prAuthor = payload.issue.user?.login ?? null;
  deps.queue.detach(async () => {
    const permissionOf = permissionLookup(octokit, repo);
    const refusals: string[] = [];
    let review = false;
    let rescan = false;
    const judge = async (command: Command) => {
      if (command.kind === 'invalid') refusals.push(command.problem);
      else if (command.kind === 'rescan') {
        const auth = await mayRescan(permissionOf, user, prAuthor);
        if (auth.ok) rescan = true;
        else refusals.push(auth.reason);
      } else {
        const auth = await mayAllow(permissionOf, user, prAuthor);
        // The comment's author must be allowed too: an edit leaves the comment under their name.
        const ofAuthor = auth.ok && editor ? await mayAllow(permissionOf, author, prAuthor) : auth;
        if (ofAuthor.ok) review = true;
        else refusals.push(auth.ok ? `the comment's author cannot accept findings (${ofAuthor.reason})` : auth.reason);
      }
    };
    for (const command of now) await judge(command);
    // An allowance that was edited away or deleted must stop counting.
    if (before.some((c) => c.kind === 'allow')) review = true;
    if (review || rescan) scheduleReview(deps, octokit, repo, number, `/airlock ${rescan ? 'rescan' : 'allow'} by ${user?.login ?? '?'}`, rescan, context.id);
    if (refusals.length > 0 && payload.action !== 'deleted' && user) {
      const identity = await deps.services.identity(octokit);
      if (await alreadyAnswered(octokit, repo, number, comment.id, `${identity.slug}[bot]`)) return;
      await octokit.rest.issues.createComment({ ...repo, issue_number: number, body: refusal(user.login, refusals, comment.id) });
    }
  });
}

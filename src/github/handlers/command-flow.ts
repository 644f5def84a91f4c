// What a comment with `/airlock` commands leads to, wherever it was written (a pull request
// comment or a reply in a finding's review thread): a review for allowances and rescans by
// people who may give them, and one reply for help and for what cannot be done, with why.
import { COMMAND_HELP, mayAllow, mayRescan, permissionLookup, safeLogin, type Command, type UserInfo } from '../commands.js';
import type { RepoRef } from '../loader.js';
import { formatMarker } from '../markers.js';
import type { GitHub } from '../octokit.js';
import { scheduleReview, type AppDeps, type CommandRequest } from './context.js';

/** A comment that may hold commands, as its webhook says it or as a worker read it again. */
export interface CommentEvent {
  number: number;
  prAuthor: string | null;
  commentId: number;
  action: string;
  /** Who wrote the comment, and who edited it when the sender of an edit is someone else. */
  author: UserInfo | null;
  editor: UserInfo | null;
  /** The comment's text now (empty once deleted). */
  text: string;
  delivery?: string;
}

export interface CommandComment extends Omit<CommentEvent, 'text' | 'delivery'> {
  octokit: GitHub;
  repo: RepoRef;
  /** Commands of the text as it is now; whether the text before an edit or deletion held an allowance. */
  now: Command[];
  allowedBefore: boolean;
  /** Whether the app already replied to this comment (a redelivered or edited one gets no second reply). */
  alreadyAnswered(botLogin: string): Promise<boolean>;
  reply(body: string): Promise<void>;
  /** The webhook delivery of the comment, for the logs of the review it schedules. */
  delivery?: string;
}

function refusal(login: string, reasons: string[]): string {
  const who = safeLogin(login);
  const greeting = who ? `@${who}, thanks` : 'Thanks';
  return (
    `${greeting} for the command, but Airlock cannot act on it: ${[...new Set(reasons)].join('; ')}.\n\n` +
    'Findings can be accepted by a maintainer (write, maintain or admin permission) who is not the author of the pull request: ' +
    '`/airlock allow <reason>` in the finding’s review thread, or `/airlock allow <rule-id or fingerprint> <reason>` as a comment. ' +
    'The author or a maintainer can ask for `/airlock rescan`; `/airlock help` lists every command.'
  );
}

export function helpText(): string {
  return `**Airlock commands**\n\n${COMMAND_HELP}`;
}

/** Judges the commands of one comment and acts on them, after the webhook is answered. */
export function actOnCommands(deps: AppDeps, c: CommandComment): void {
  if (c.now.length === 0 && !c.allowedBefore) return;
  deps.queue.detach(() => answerCommands(deps, c));
}

/** Judges the commands of one comment and acts on them: schedules a review, replies once. */
export async function answerCommands(deps: AppDeps, c: CommandComment): Promise<void> {
  if (c.now.length === 0 && !c.allowedBefore) return;
  const user = c.editor ?? c.author;
  const permissionOf = permissionLookup(c.octokit, c.repo);
  const refusals: string[] = [];
  let review = false;
  let rescan = false;
  let help = false;
  const judge = async (command: Command) => {
    if (command.kind === 'invalid') refusals.push(command.problem);
    else if (command.kind === 'help') help = true;
    else if (command.kind === 'rescan') {
      const auth = await mayRescan(permissionOf, user, c.prAuthor);
      if (auth.ok) rescan = true;
      else refusals.push(auth.reason);
    } else {
      const auth = await mayAllow(permissionOf, user, c.prAuthor);
      // The comment's author must be allowed too: an edit leaves the comment under their name.
      const ofAuthor = auth.ok && c.editor ? await mayAllow(permissionOf, c.author, c.prAuthor) : auth;
      if (ofAuthor.ok) review = true;
      else refusals.push(auth.ok ? `the comment's author cannot accept findings (${ofAuthor.reason})` : auth.reason);
    }
  };
  for (const command of c.now) await judge(command);
  // An allowance that was edited away or deleted must stop counting.
  if (c.allowedBefore) review = true;
  if (review || rescan) scheduleReview(deps, c.octokit, c.repo, c.number, `/airlock ${rescan ? 'rescan' : 'allow'} by ${user?.login ?? '?'}`, rescan, c.delivery);
  if ((refusals.length === 0 && !help) || c.action === 'deleted' || !user) return;
  const identity = await deps.services.identity(c.octokit);
  if (await c.alreadyAnswered(`${identity.slug}[bot]`)) return;
  const parts = [...(refusals.length > 0 ? [refusal(user.login, refusals)] : []), ...(help ? [helpText()] : [])];
  await c.reply(`${parts.join('\n\n')}\n\n${formatMarker({ kind: 'reply', commentId: c.commentId })}`);
}

/** Whether a comment's text holds an allowance (an edit or deletion of it must make the check stop honouring it). */
export function holdsAllowance(commands: readonly Command[]): boolean {
  return commands.some((command) => command.kind === 'allow');
}

const ACTIONS = ['created', 'edited', 'deleted'] as const;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/**
 * With a queue shared through Redis: queues the answer to a comment's commands as a job for a
 * worker, with what only the webhook says (the sender of an edit, whether the text before it
 * held an allowance); the worker reads the comment itself from GitHub.
 */
export function queueCommands(
  jobs: NonNullable<AppDeps['jobs']>,
  event: Omit<CommandRequest, 'action' | 'updatedAt'> & { action: string; updatedAt: unknown; hasCommands: boolean },
): void {
  const action = ACTIONS.find((a) => a === event.action);
  if (!action || (!event.hasCommands && !event.allowedBefore)) return;
  const { hasCommands: _hasCommands, ...request } = event;
  jobs.command({ ...request, action, updatedAt: typeof event.updatedAt === 'string' && TIME.test(event.updatedAt) ? event.updatedAt : null });
}

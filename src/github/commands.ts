// `/airlock allow <rule-id|fingerprint> <reason>` and `/airlock rescan`, written as pull
// request comments. Nothing is stored: every run reads the comments again and keeps the
// allowances whose authors may give them (write, maintain or admin permission on the
// repository; never the pull request's author; never a bot).
import type { GitHub } from './octokit.js';
import type { RepoRef } from './loader.js';

export type Command =
  | { kind: 'allow'; target: string; reason: string }
  | { kind: 'rescan' }
  | { kind: 'invalid'; problem: string };

export interface CommentInfo {
  id: number;
  body?: string | null | undefined;
  user: { login: string; type?: string } | null;
}

export interface Allowance {
  /** A rule id or a finding fingerprint. */
  target: string;
  reason: string;
  by: string;
  commentId: number;
}

const PREFIX = '/airlock';
const MAX_COMMANDS_PER_COMMENT = 20;
const MAX_REASON = 300;
const MAX_TARGET = 120;

function isTargetChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '.' || c === '-' || c === '_' || c === '*';
}

function splitOnce(text: string): [string, string] {
  const trimmed = text.trimStart();
  let end = 0;
  while (end < trimmed.length && trimmed[end] !== ' ' && trimmed[end] !== '\t') end++;
  return [trimmed.slice(0, end), trimmed.slice(end).trim()];
}

/** Commands on lines of their own, outside code blocks. */
export function parseCommands(body: string | null | undefined): Command[] {
  if (!body) return [];
  const commands: Command[] = [];
  let inFence = false;
  for (const raw of body.slice(0, 65_536).split('\n')) {
    const line = raw.replace(/\r$/, '').trim();
    if (line.startsWith('```') || line.startsWith('~~~')) {
      inFence = !inFence;
      continue;
    }
    if (inFence || !line.startsWith(PREFIX)) continue;
    const rest = line.slice(PREFIX.length);
    if (rest !== '' && rest[0] !== ' ' && rest[0] !== '\t') continue;
    const [verb, args] = splitOnce(rest);
    if (verb === 'rescan') commands.push({ kind: 'rescan' });
    else if (verb === 'allow') {
      const [target, reason] = splitOnce(args);
      if (target === '' || target.length > MAX_TARGET || ![...target].every(isTargetChar)) {
        commands.push({ kind: 'invalid', problem: 'name the rule id or the finding fingerprint to accept: `/airlock allow <rule-id|fingerprint> <reason>`' });
      } else if (reason === '') {
        commands.push({ kind: 'invalid', problem: 'give a reason: `/airlock allow <rule-id|fingerprint> <reason>`' });
      } else commands.push({ kind: 'allow', target, reason: reason.slice(0, MAX_REASON) });
    } else commands.push({ kind: 'invalid', problem: 'unknown command; Airlock understands `/airlock allow <rule-id|fingerprint> <reason>` and `/airlock rescan`' });
    if (commands.length >= MAX_COMMANDS_PER_COMMENT) break;
  }
  return commands;
}

export type Authorization = { ok: true } | { ok: false; reason: string };

export function isBot(user: { login: string; type?: string } | null): boolean {
  return !user || user.type === 'Bot' || user.login.endsWith('[bot]');
}

/**
 * Who may accept a finding: a human with write, maintain or admin permission who is not
 * the pull request's author (an agent's operator must not wave its own findings through).
 */
export async function mayAllow(
  permissionOf: (login: string) => Promise<string>,
  user: { login: string; type?: string } | null,
  prAuthor: string | null,
): Promise<Authorization> {
  if (!user || isBot(user)) return { ok: false, reason: 'bots cannot accept findings' };
  if (prAuthor !== null && user.login.toLowerCase() === prAuthor.toLowerCase()) {
    return { ok: false, reason: 'the author of a pull request cannot accept findings in it' };
  }
  const permission = await permissionOf(user.login);
  if (permission === 'admin' || permission === 'maintain' || permission === 'write') return { ok: true };
  return { ok: false, reason: 'accepting a finding needs write, maintain or admin permission on this repository' };
}

/** Who may ask for a rescan: anyone who may allow, and the pull request's author. */
export async function mayRescan(
  permissionOf: (login: string) => Promise<string>,
  user: { login: string; type?: string } | null,
  prAuthor: string | null,
): Promise<Authorization> {
  if (!user || isBot(user)) return { ok: false, reason: 'bots cannot ask for rescans' };
  if (prAuthor !== null && user.login.toLowerCase() === prAuthor.toLowerCase()) return { ok: true };
  const permission = await permissionOf(user.login);
  if (permission === 'admin' || permission === 'maintain' || permission === 'write') return { ok: true };
  return { ok: false, reason: 'a rescan can be asked for by the pull request’s author or by someone with write permission' };
}

/** Repository permission of a login, asked once per run and login. */
export function permissionLookup(octokit: GitHub, repo: RepoRef): (login: string) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (login) => {
    const key = login.toLowerCase();
    let pending = cache.get(key);
    if (!pending) {
      pending = octokit.rest.repos
        .getCollaboratorPermissionLevel({ ...repo, username: login })
        .then((r) => r.data.role_name === 'maintain' ? 'maintain' : r.data.permission)
        .catch((error: unknown) => {
          if ((error as { status?: number }).status === 404) return 'none';
          throw error;
        });
      cache.set(key, pending);
    }
    return pending;
  };
}

/** Allowances given in the comments, by people allowed to give them, oldest first. */
export async function collectAllowances(
  comments: readonly CommentInfo[],
  prAuthor: string | null,
  permissionOf: (login: string) => Promise<string>,
): Promise<Allowance[]> {
  const allowances: Allowance[] = [];
  for (const comment of comments) {
    if (isBot(comment.user)) continue;
    const allows = parseCommands(comment.body).filter((c): c is Extract<Command, { kind: 'allow' }> => c.kind === 'allow');
    if (allows.length === 0) continue;
    const auth = await mayAllow(permissionOf, comment.user, prAuthor);
    if (!auth.ok) continue;
    for (const a of allows) allowances.push({ target: a.target, reason: a.reason, by: comment.user!.login, commentId: comment.id });
  }
  return allowances;
}

/** GitHub logins are letters, digits and single hyphens; anything else is not mentioned. */
export function safeLogin(login: string): string | null {
  return login.length > 0 && login.length <= 39 && [...login].every((c) => isTargetChar(c) && c !== '.' && c !== '_' && c !== '*') ? login : null;
}

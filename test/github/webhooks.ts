// Webhook helpers for app tests: real GitHub payloads (from @octokit/webhooks-examples),
// pointed at stand-in state, signed and delivered over HTTP the way GitHub does it.
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { PullRecord, RepoState } from './stand-in/state.js';

export type ExampleEvent = 'pull_request' | 'check_run' | 'check_suite' | 'issue_comment' | 'pull_request_review_comment' | 'merge_group';

type Json = Record<string, unknown>;

interface WebhookDefinition {
  name: string;
  examples: Json[];
}

const require = createRequire(import.meta.url);
let definitions: WebhookDefinition[] | undefined;

function loadDefinitions(): WebhookDefinition[] {
  if (!definitions) {
    const path = require.resolve('@octokit/webhooks-examples/api.github.com/index.json');
    definitions = JSON.parse(readFileSync(path, 'utf8')) as WebhookDefinition[];
  }
  return definitions;
}

/** A deep copy of a real GitHub payload for the event (and action, when given). */
export function loadExamplePayload(event: ExampleEvent, action?: string): Json {
  const definition = loadDefinitions().find((d) => d.name === event);
  if (!definition) throw new Error(`no example payloads for event "${event}"`);
  const example = action === undefined ? definition.examples[0] : definition.examples.find((e) => e.action === action);
  if (!example) {
    const actions = [...new Set(definition.examples.map((e) => String(e.action)))].join(', ');
    throw new Error(`no "${event}" example with action "${action}" (available: ${actions})`);
  }
  return structuredClone(example);
}

/** Deep copies of every real GitHub payload for the event, all actions. */
export function exampleEvents(event: ExampleEvent): Json[] {
  return structuredClone(loadDefinitions().find((d) => d.name === event)?.examples ?? []);
}

export interface PayloadTarget {
  owner: string;
  repo: string;
  /** REST root of the stand-in (e.g. `standIn.apiUrl`): `url` fields then point at it. */
  apiUrl?: string;
  /** Web root of the stand-in (e.g. `standIn.url`): `html_url` fields then point at it. */
  webUrl?: string;
  installationId?: number;
  number?: number;
  headSha?: string;
  headRef?: string;
  /** "owner/name" of the head repository, when it differs (fork pull requests). */
  headRepo?: string;
  baseSha?: string;
  baseRef?: string;
  title?: string;
  body?: string | null;
  author?: string;
  labels?: string[];
  draft?: boolean;
  sender?: string;
  /** For check_run: the run's id, name and the app it belongs to. */
  checkRunId?: number;
  checkRunName?: string;
  appId?: number;
  appSlug?: string;
  /** For issue_comment: the comment's text and author. */
  commentBody?: string;
  commentAuthor?: string;
  commentId?: number;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rewrites every string in the payload (URLs mostly) from the example repository to the target. */
function rewriteStrings(value: unknown, replace: (text: string) => string): unknown {
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) return value.map((v) => rewriteStrings(v, replace));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteStrings(v, replace)]));
  return value;
}

function setUserLogin(user: unknown, login: string | undefined): void {
  if (!isObject(user) || login === undefined) return;
  const previous = typeof user.login === 'string' ? user.login : undefined;
  user.login = login;
  user.type = login.endsWith('[bot]') ? 'Bot' : user.type === 'Organization' ? 'Organization' : 'User';
  if (!previous || previous === login) return;
  // Keep the user's own URLs consistent with the new login.
  const encoded = encodeURIComponent(login);
  for (const [key, value] of Object.entries(user)) {
    if (typeof value !== 'string' || !key.endsWith('_url') && key !== 'url') continue;
    user[key] = value.split(`/users/${previous}`).join(`/users/${encoded}`).replace(new RegExp(`/${escapeRegExp(previous)}$`), `/${encoded}`);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function labelObjects(names: string[]): Json[] {
  return names.map((name, i) => ({ id: 9000 + i, node_id: `LA_${i}`, url: '', name, color: 'ededed', default: false, description: null }));
}

function adaptBranch(branch: unknown, owner: string, repo: string, ref: string | undefined, sha: string | undefined): void {
  if (!isObject(branch)) return;
  if (ref !== undefined) branch.ref = ref;
  if (sha !== undefined) branch.sha = sha;
  branch.label = `${owner}:${String(branch.ref)}`;
  setUserLogin(branch.user, owner);
  if (isObject(branch.repo)) {
    branch.repo.name = repo;
    branch.repo.full_name = `${owner}/${repo}`;
    setUserLogin(branch.repo.owner, owner);
  }
}

function adaptPullRequest(pr: Json, target: PayloadTarget): void {
  if (target.number !== undefined) pr.number = target.number;
  if (target.title !== undefined) pr.title = target.title;
  if (target.body !== undefined) pr.body = target.body;
  if (target.draft !== undefined) pr.draft = target.draft;
  if (target.labels !== undefined) pr.labels = labelObjects(target.labels);
  setUserLogin(pr.user, target.author);
  const [headOwner, headName] = (target.headRepo ?? `${target.owner}/${target.repo}`).split('/');
  adaptBranch(pr.head, headOwner ?? target.owner, headName ?? target.repo, target.headRef, target.headSha);
  adaptBranch(pr.base, target.owner, target.repo, target.baseRef, target.baseSha);
  if (isObject(pr.head) && isObject(pr.head.repo)) pr.head.repo.fork = target.headRepo !== undefined && target.headRepo !== `${target.owner}/${target.repo}`;
}

/**
 * The pull request summaries inside check_run/check_suite payloads. GitHub lists only
 * pull requests whose head is in the same repository: fork pull requests never appear.
 */
function adaptPullSummaries(holder: Json, target: PayloadTarget): void {
  if (!Array.isArray(holder.pull_requests)) return;
  const fork = target.headRepo !== undefined && target.headRepo !== `${target.owner}/${target.repo}`;
  if (fork) {
    holder.pull_requests = [];
    return;
  }
  if (holder.pull_requests.length === 0 && target.number !== undefined) {
    const repoUrl = `${target.apiUrl ?? 'https://api.github.com'}/repos/${target.owner}/${target.repo}`;
    const repoRef = { id: 1, url: repoUrl, name: target.repo };
    holder.pull_requests.push({
      url: `${repoUrl}/pulls/${target.number}`,
      id: target.number,
      number: target.number,
      head: { ref: target.headRef ?? 'feature', sha: target.headSha ?? '', repo: repoRef },
      base: { ref: target.baseRef ?? 'main', sha: target.baseSha ?? '', repo: repoRef },
    });
  }
  for (const item of holder.pull_requests) {
    if (!isObject(item)) continue;
    if (target.number !== undefined) item.number = target.number;
    if (isObject(item.head)) {
      if (target.headSha !== undefined) item.head.sha = target.headSha;
      if (target.headRef !== undefined) item.head.ref = target.headRef;
      if (isObject(item.head.repo)) item.head.repo.name = target.repo;
    }
    if (isObject(item.base)) {
      if (target.baseSha !== undefined) item.base.sha = target.baseSha;
      if (target.baseRef !== undefined) item.base.ref = target.baseRef;
      if (isObject(item.base.repo)) item.base.repo.name = target.repo;
    }
  }
}

function adaptApp(app: unknown, target: PayloadTarget): void {
  if (!isObject(app)) return;
  if (target.appId !== undefined) app.id = target.appId;
  if (target.appSlug !== undefined) app.slug = target.appSlug;
}

/**
 * Points a real payload at stand-in state: repository, installation, pull request
 * numbers/refs/shas and URLs. Works on a deep copy and keeps GitHub's shape.
 */
export function adaptPayload(payload: Json, target: PayloadTarget): Json {
  const original = isObject(payload.repository) ? String(payload.repository.full_name ?? '') : '';
  const toFullName = `${target.owner}/${target.repo}`;
  const pr = isObject(payload.pull_request) ? payload.pull_request : undefined;
  const run = isObject(payload.check_run) ? payload.check_run : undefined;
  const suite = isObject(payload.check_suite) ? payload.check_suite : isObject(run?.check_suite) ? run.check_suite : undefined;
  const group = isObject(payload.merge_group) ? payload.merge_group : undefined;
  const headOf = (branch: unknown): unknown => (isObject(branch) ? branch.sha : undefined);
  const oldHead = headOf(pr?.head) ?? run?.head_sha ?? suite?.head_sha ?? group?.head_sha;
  const oldBase = headOf(pr?.base) ?? group?.base_sha;
  const oldNumber = pr?.number ?? (isObject(payload.issue) ? payload.issue.number : undefined);
  // Whole-payload rewrites: repository name, shas and the pull request number inside URLs.
  const swaps: [string, string][] = [];
  if (original !== '') swaps.push([original, toFullName]);
  if (typeof oldHead === 'string' && target.headSha !== undefined) swaps.push([oldHead, target.headSha]);
  if (typeof oldBase === 'string' && target.baseSha !== undefined) swaps.push([oldBase, target.baseSha]);
  const renumber =
    typeof oldNumber === 'number' && target.number !== undefined ? new RegExp(`(/(?:pulls|pull|issues)/)${oldNumber}(?![0-9])`, 'g') : undefined;
  const rewritten = rewriteStrings(structuredClone(payload), (text) => {
    let out = text;
    for (const [from, to] of swaps) out = out.split(from).join(to);
    if (renumber) out = out.replace(renumber, `$1${target.number}`);
    if (target.apiUrl) out = out.replace(/^https:\/\/api\.github\.com(?=\/|$)/, target.apiUrl);
    if (target.webUrl) out = out.replace(/^https:\/\/github\.com(?=\/|$)/, target.webUrl);
    return out;
  }) as Json;

  if (isObject(rewritten.repository)) {
    rewritten.repository.name = target.repo;
    rewritten.repository.full_name = toFullName;
    setUserLogin(rewritten.repository.owner, target.owner);
  }
  if (isObject(rewritten.organization)) rewritten.organization.login = target.owner;
  rewritten.installation = {
    ...(isObject(rewritten.installation) ? rewritten.installation : {}),
    id: target.installationId ?? 1,
    node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${target.installationId ?? 1}`,
  };
  setUserLogin(rewritten.sender, target.sender);

  if (isObject(rewritten.pull_request)) adaptPullRequest(rewritten.pull_request, target);
  if (target.number !== undefined && 'number' in rewritten) rewritten.number = target.number;

  if (isObject(rewritten.check_run)) {
    const run = rewritten.check_run;
    if (target.checkRunId !== undefined) run.id = target.checkRunId;
    if (target.checkRunName !== undefined) run.name = target.checkRunName;
    if (target.headSha !== undefined) run.head_sha = target.headSha;
    adaptApp(run.app, target);
    adaptPullSummaries(run, target);
    if (isObject(run.check_suite)) {
      if (target.headSha !== undefined) run.check_suite.head_sha = target.headSha;
      if (target.headRef !== undefined) run.check_suite.head_branch = target.headRef;
      adaptApp(run.check_suite.app, target);
      adaptPullSummaries(run.check_suite, target);
    }
  }
  if (isObject(rewritten.check_suite)) {
    const suite = rewritten.check_suite;
    if (target.headSha !== undefined) suite.head_sha = target.headSha;
    if (target.headRef !== undefined) suite.head_branch = target.headRef;
    if (target.headSha !== undefined) suite.after = target.headSha;
    adaptApp(suite.app, target);
    adaptPullSummaries(suite, target);
  }
  if (isObject(rewritten.issue)) {
    const issue = rewritten.issue;
    if (target.number !== undefined) issue.number = target.number;
    if (target.title !== undefined) issue.title = target.title;
    if (target.labels !== undefined) issue.labels = labelObjects(target.labels);
    setUserLogin(issue.user, target.author);
    // issue_comment on a pull request carries `issue.pull_request`.
    if (target.number !== undefined && isObject(issue.pull_request) && target.apiUrl) {
      issue.pull_request.url = `${target.apiUrl}/repos/${toFullName}/pulls/${target.number}`;
    }
  }
  if (isObject(rewritten.comment)) {
    if (target.commentBody !== undefined) rewritten.comment.body = target.commentBody;
    if (target.commentId !== undefined) rewritten.comment.id = target.commentId;
    setUserLogin(rewritten.comment.user, target.commentAuthor);
  }
  if (isObject(rewritten.merge_group)) {
    const group = rewritten.merge_group;
    if (target.headSha !== undefined) group.head_sha = target.headSha;
    if (target.headRef !== undefined) group.head_ref = target.headRef.startsWith('refs/') ? target.headRef : `refs/heads/${target.headRef}`;
    if (target.baseSha !== undefined) group.base_sha = target.baseSha;
    if (target.baseRef !== undefined) group.base_ref = target.baseRef.startsWith('refs/') ? target.baseRef : `refs/heads/${target.baseRef}`;
    if (isObject(group.head_commit) && target.headSha !== undefined) group.head_commit.id = target.headSha;
  }
  return rewritten;
}

/** The target fields of a pull request seeded in the stand-in, for `adaptPayload`. */
export function targetForPullRequest(repo: RepoState, pull: PullRecord, urls?: { apiUrl: string; url: string }): PayloadTarget {
  return {
    owner: repo.owner.login,
    repo: repo.name,
    installationId: repo.installationId,
    number: pull.number,
    headSha: pull.head.sha,
    headRef: pull.head.ref,
    ...(pull.head.repo !== repo ? { headRepo: pull.head.repo.fullName } : {}),
    baseSha: pull.base.sha,
    baseRef: pull.base.ref,
    title: pull.title,
    body: pull.body,
    author: pull.user.login,
    labels: repo.labelsOf(pull.number).map((l) => l.name),
    draft: pull.draft,
    appId: repo.world.app.id,
    appSlug: repo.world.app.slug,
    ...(urls ? { apiUrl: urls.apiUrl, webUrl: urls.url } : {}),
  };
}

/** GitHub's `X-Hub-Signature-256` value: `sha256=` and the hex HMAC of the exact body. */
export function signPayload(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export interface Delivery {
  event: string;
  /** An object is serialized as GitHub would; a string is sent byte for byte. */
  payload: Json | string;
  secret: string;
  deliveryId?: string;
  /** Overrides the computed `x-hub-signature-256` (to test refusal of bad signatures). */
  signature?: string;
  /** GitHub gives up on a webhook after 10 seconds. */
  timeoutMs?: number;
}

export interface DeliveryResult {
  status: number;
  body: string;
  durationMs: number;
  deliveryId: string;
  /** True when the app did not answer within the timeout (status is then 0). */
  timedOut: boolean;
}

/** POSTs a webhook to the app (its full webhook URL, e.g. `${appUrl}/api/github/webhooks`) with GitHub's headers. */
export async function deliverWebhook(appUrl: string, delivery: Delivery): Promise<DeliveryResult> {
  const body = typeof delivery.payload === 'string' ? delivery.payload : JSON.stringify(delivery.payload);
  const deliveryId = delivery.deliveryId ?? randomUUID();
  const installation = typeof delivery.payload === 'object' && isObject(delivery.payload.installation) ? delivery.payload.installation : undefined;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/8a0b6c4',
    accept: '*/*',
    'x-github-event': delivery.event,
    'x-github-delivery': deliveryId,
    'x-github-hook-id': '123456789',
    'x-github-hook-installation-target-type': 'integration',
    'x-github-hook-installation-target-id': String(installation?.id ?? 1),
    'x-hub-signature': `sha1=${createHmac('sha1', delivery.secret).update(body, 'utf8').digest('hex')}`,
    'x-hub-signature-256': delivery.signature ?? signPayload(body, delivery.secret),
  };
  const started = performance.now();
  try {
    const response = await fetch(appUrl, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(delivery.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    return { status: response.status, body: text, durationMs: performance.now() - started, deliveryId, timedOut: false };
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return { status: 0, body: '', durationMs: performance.now() - started, deliveryId, timedOut: true };
    }
    throw error;
  }
}

// Runs the real Airlock app (Probot, over HTTP) against the GitHub stand-in: webhooks are
// real example payloads, adapted, signed and POSTed; every request the app makes is
// checked against GitHub's OpenAPI description by the stand-in.
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createProbot } from 'probot';
import { Octokit } from '@octokit/rest';
import { createAirlockApp, type AirlockAppOptions } from '../../src/github/app.js';
import { loadPullRequest, type LoadedChange } from '../../src/github/loader.js';
import { octokitWithWriteSpacing, type RequestPolicy } from '../../src/github/octokit.js';
import { createWebhookServer } from '../../src/github/server.js';
import type { RunResult } from '../../src/github/review-run.js';
import { startStandIn, type StandIn, type StandInOptions } from './stand-in/server.js';
import type { PullRecord, RepoState } from './stand-in/state.js';
import { adaptPayload, deliverWebhook, loadExamplePayload, targetForPullRequest, type DeliveryResult, type ExampleEvent, type PayloadTarget } from './webhooks.js';

export const OWNER = 'acme';
export const REPO = 'widgets';
export const SECRET = 'webhook-secret';

let privateKey: string | undefined;
/** One RSA key for every app the tests start (the stand-in checks claims, not signatures). */
export function testKey(): string {
  privateKey ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  return privateKey;
}

/** Retries without real waiting: GitHub's seconds become milliseconds. */
export const FAST_POLICY: Partial<RequestPolicy> = { backoffMs: 5, retryAfterUnitMs: 5 };

export interface HarnessOptions {
  standIn?: StandInOptions;
  policy?: Partial<RequestPolicy>;
  /** Write spacing of the throttling plugin (Probot: 1 s per write, 3 s per notifying write; tests use none). */
  writeSpacingMs?: number;
  notificationSpacingMs?: number;
  /** Seed a config file on the default branch (null: none). */
  config?: string | null;
  /** The app's logger (default: a silent one). */
  log?: Logger;
  /** The app's deadline and reaper (the reaper is off unless given). */
  app?: Pick<AirlockAppOptions, 'reviewDeadlineMs' | 'reaper' | 'services' | 'reviewConcurrency'>;
  /** Another app instance against this harness's stand-in and repository (a restart). */
  attachTo?: Harness;
}

export interface Harness {
  standIn: StandIn;
  repo: RepoState;
  hookUrl: string;
  results: RunResult[];
  /** Delivers an event about a pull request (payload from GitHub's examples). */
  deliver(event: ExampleEvent, action: string, pull: PullRecord, extra?: Partial<PayloadTarget>, tweak?: (payload: Record<string, unknown>) => void): Promise<DeliveryResult>;
  /** Delivers a payload as is. */
  deliverRaw(event: string, payload: Record<string, unknown> | string, options?: { signature?: string; deliveryId?: string }): Promise<DeliveryResult>;
  idle(): Promise<void>;
  /** Stops this app instance as a killed process would: no more webhooks, no waiting for reviews; the stand-in stays. */
  kill(): Promise<void>;
  /** Stops this app instance as SIGTERM does: no more webhooks, `graceMs` for the reviews; the stand-in stays. */
  shutdown(graceMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const standIn = options.attachTo?.standIn ?? (await startStandIn(options.standIn));
  const repo = options.attachTo?.repo ?? standIn.state.addRepo({ owner: OWNER, name: REPO, ownerType: 'Organization' });
  if (!options.attachTo && options.config !== null) repo.setContent('main', '.github/airlock.yml', options.config ?? 'review: ai\n');
  const results: RunResult[] = [];
  const airlock = createAirlockApp({
    policy: { ...FAST_POLICY, ...options.policy },
    onResult: (r) => results.push(r),
    reaper: false,
    ...options.app,
  });
  const spacing = options.writeSpacingMs ?? 0;
  const notificationSpacing = options.notificationSpacingMs ?? spacing;
  const probot = createProbot({
    env: { APP_ID: '1', PRIVATE_KEY: testKey(), WEBHOOK_SECRET: SECRET, GHE_HOST: standIn.host, GHE_PROTOCOL: 'http', LOG_LEVEL: 'fatal' },
    overrides: { Octokit: octokitWithWriteSpacing(spacing, notificationSpacing), ...(options.log ? { log: options.log } : {}) },
  });
  const server = await createWebhookServer({ probot, app: airlock.app, secret: SECRET });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;

  const harness: Harness = {
    standIn,
    repo,
    hookUrl,
    results,
    deliver(event, action, pull, extra = {}, tweak) {
      const target = { ...targetForPullRequest(repo, pull, standIn), ...extra };
      const payload = adaptPayload(loadExamplePayload(event, action), target);
      const pr = payload.pull_request as Record<string, unknown> | undefined;
      // GitHub's payload counts the files; the examples' count belongs to another pull request.
      if (pr) pr.changed_files = pull.files.length;
      tweak?.(payload);
      return deliverWebhook(hookUrl, { event, payload, secret: SECRET });
    },
    deliverRaw(event, payload, opts = {}) {
      return deliverWebhook(hookUrl, { event, payload, secret: SECRET, ...opts });
    },
    idle: () => airlock.idle(),
    async kill() {
      airlock.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
    async shutdown(graceMs) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await airlock.shutdown(graceMs);
    },
    async close() {
      airlock.stop();
      await airlock.idle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await standIn.close();
    },
  };
  return harness;
}

/** Operation ids of the app's requests, in order, with the token exchange left out. */
export function calls(standIn: StandIn, since = 0): string[] {
  return standIn.requests
    .slice(since)
    .map((r) => r.operationId ?? `${r.method} ${r.path}`)
    .filter((op) => op !== 'apps/create-installation-access-token');
}

const QUIET_LOG = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * Loads a stand-in pull request of acme/widgets the way a review does (its pull request as the
 * webhook states it, no commits), with an installation token, against `baseUrl` (the REST root
 * by default; the stand-in's web root for GitHub.com URL forms).
 */
export function loadStandInPull(standIn: StandIn, pull: PullRecord, baseUrl = standIn.apiUrl): Promise<LoadedChange> {
  const octokit = new Octokit({ baseUrl, auth: standIn.installationToken(), log: QUIET_LOG });
  const info = {
    number: pull.number,
    title: pull.title,
    body: pull.body,
    state: 'open',
    user: { login: 'octocat' },
    labels: [],
    head: { sha: pull.head.sha, ref: pull.head.ref, repo: { full_name: `${OWNER}/${REPO}` } },
    base: { sha: pull.base.sha, ref: pull.base.ref },
    changed_files: pull.files.length,
  };
  return loadPullRequest(octokit as unknown as Parameters<typeof loadPullRequest>[0], { owner: OWNER, repo: REPO }, info, { commits: [], unread: null });
}

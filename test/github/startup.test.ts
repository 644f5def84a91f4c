// Starting the app as `npm start` does: a missing webhook secret or credentials GitHub
// refuses stop it with one line and a non-zero exit; so does a GitHub it cannot reach,
// and that is said to be the network, not a GitHub answer.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAirlock, StartupError, type RunningAirlock } from '../../src/github/server.js';
import { PACKAGE_ROOT } from '../../src/io/package-root.js';
import { closedPort } from './closed-port.js';
import { BASE_ADMIN, CLAUDE_BODY, HEAD_ADMIN } from './fixtures.js';
import { FAST_POLICY, testKey } from './harness.js';
import { captureLog } from './log-capture.js';
import { startStandIn, type StandIn } from './stand-in/server.js';
import { adaptPayload, deliverWebhook, loadExamplePayload, targetForPullRequest } from './webhooks.js';

const SECRET = 'startup-secret';
let standIn: StandIn | undefined;
let running: RunningAirlock | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
  await standIn?.close();
  standIn = undefined;
});

function envFor(host: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { APP_ID: '1', PRIVATE_KEY: testKey(), WEBHOOK_SECRET: SECRET, GHE_HOST: host, GHE_PROTOCOL: 'http', HOST: '127.0.0.1', PORT: '0', ...extra };
}

async function startupFailure(env: NodeJS.ProcessEnv, cwd?: string): Promise<StartupError> {
  const log = captureLog();
  const error = await startAirlock({ env, log: log.logger, ...(cwd ? { cwd } : {}) }).then(
    (started) => {
      running = started;
      return null;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StartupError);
  for (const line of (error as StartupError).problems) expect(line).not.toContain('\n');
  // The entry prints the message; nothing else is said about it.
  expect(log.problems()).toEqual([]);
  return error as StartupError;
}

describe('starting the app', () => {
  it('refuses to start without WEBHOOK_SECRET', async () => {
    standIn = await startStandIn();
    const error = await startupFailure(envFor(standIn.host, { WEBHOOK_SECRET: undefined }));
    expect(error.message).toMatch(/^WEBHOOK_SECRET is not set/);
    expect((await startupFailure(envFor(standIn.host, { WEBHOOK_SECRET: 'development' }))).message).toMatch(/^WEBHOOK_SECRET is Probot's public default/);
    expect(standIn.requests).toEqual([]);
  });

  it('refuses to start without an app id or a private key', async () => {
    standIn = await startStandIn();
    expect((await startupFailure(envFor(standIn.host, { APP_ID: undefined }))).message).toMatch(/^APP_ID is not set/);
    // An empty working directory: Probot also looks for a .pem file there.
    const cwd = process.cwd();
    const empty = mkdtempSync(join(tmpdir(), 'airlock-start-'));
    try {
      process.chdir(empty);
      expect((await startupFailure(envFor(standIn.host, { PRIVATE_KEY: undefined }))).message).toMatch(/^PRIVATE_KEY is not set: set PRIVATE_KEY to the app's private key \(PEM\) or PRIVATE_KEY_PATH/);
    } finally {
      process.chdir(cwd);
      rmSync(empty, { recursive: true, force: true });
    }
    expect(standIn.requests).toEqual([]);
  });

  it('names every missing setting, one line each, before asking GitHub anything', async () => {
    standIn = await startStandIn();
    const empty = mkdtempSync(join(tmpdir(), 'airlock-start-'));
    try {
      const error = await startupFailure({ GHE_HOST: standIn.host, GHE_PROTOCOL: 'http', PORT: 'eighty' }, empty);
      expect(error.problems.map((p) => p.split(':')[0])).toEqual(['APP_ID is not set', 'PRIVATE_KEY is not set', 'WEBHOOK_SECRET is not set', 'PORT is not a port number']);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    expect((await startupFailure(envFor(standIn.host, { APP_ID: 'twelve' }))).problems).toEqual(['APP_ID is not a numeric app id: twelve']);
    expect((await startupFailure(envFor(standIn.host, { AIRLOCK_SHUTDOWN_SECONDS: 'soon' }))).problems).toEqual([
      'AIRLOCK_SHUTDOWN_SECONDS must be a whole number of seconds, at least 0 (got "soon")',
    ]);
    expect(standIn.requests).toEqual([]);
  });

  it('checks its credentials with GET /app, then serves webhooks', async () => {
    standIn = await startStandIn();
    const repo = standIn.state.addRepo({ owner: 'acme', name: 'widgets' });
    repo.setContent('main', '.github/airlock.yml', 'review: ai\n');
    const log = captureLog();
    running = await startAirlock({ env: envFor(standIn.host), log: log.logger, app: { policy: FAST_POLICY } });
    expect(standIn.requests.map((r) => [r.operationId, r.status])).toEqual([['apps/get-authenticated', 200]]);
    expect(log.lines().map((l) => l.msg)).toContainEqual(expect.stringMatching(/^Airlock \(airlock, app 1\) on http:\/\/127\.0\.0\.1:\d+\/api\/v3, webhooks at http:\/\/127\.0\.0\.1:\d+\/api\/github\/webhooks$/));

    const pull = repo.addPullRequest({ body: CLAUDE_BODY, files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: HEAD_ADMIN }] });
    const payload = adaptPayload(loadExamplePayload('pull_request', 'opened'), targetForPullRequest(repo, pull, standIn));
    expect((await deliverWebhook(running.url, { event: 'pull_request', payload, secret: SECRET })).status).toBe(200);
    await running.airlock.idle();
    expect(repo.checkRunsFor(pull.head.sha).map((r) => r.status)).toEqual(['completed']);
    expect(standIn.violations).toEqual([]);

    const base = new URL(running.url);
    expect(await (await fetch(new URL('/readyz', base))).json()).toEqual({ status: 'ready' });
    const metrics = await fetch(new URL('/metrics', base));
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    expect(text).toContain('airlock_webhooks_total{event="pull_request"} 1');
    expect(text).toContain('airlock_reviews_total{result="completed",conclusion="failure"} 1');
    expect(text).toMatch(/airlock_review_duration_seconds_count\{result="completed"\} 1/);
    expect(text).toMatch(/airlock_findings_total\{rule="js\.[a-z.-]+",severity="(critical|high)"\} [1-9]/);
    expect(Number(/airlock_github_requests_total\{method="GET",status="2xx"\} (\d+)/.exec(text)?.[1])).toBeGreaterThan(3);
    expect(text).toContain('airlock_queue_waiting 0');
    expect(text).toContain('process_resident_memory_bytes');
    // Nothing of the repository or the pull request goes into a label.
    expect(text).not.toMatch(/acme|widgets|admin\.js/);

    // Every line of the review carries the delivery, repository, pull request and head; no line
    // carries a token or the change's contents.
    const reviewLines = log.lines().filter((l) => typeof l.msg === 'string' && l.msg.startsWith(`acme/widgets#${pull.number}:`));
    expect(reviewLines.length).toBeGreaterThan(0);
    for (const line of reviewLines) {
      expect(line).toMatchObject({ delivery: expect.any(String), repository: 'acme/widgets', pull_request: pull.number, head_sha: pull.head.sha });
    }
    for (const token of standIn.state.tokens.keys()) expect(log.text()).not.toContain(token);
    expect(log.text()).not.toContain("import { exec } from 'node:child_process'");
  });

  it('listens on every interface without HOST, and on the address HOST names', async () => {
    standIn = await startStandIn();
    running = await startAirlock({ env: envFor(standIn.host, { HOST: undefined }), log: captureLog().logger });
    expect(new URL(running.url).hostname).toMatch(/^(\[::\]|0\.0\.0\.0)$/);
    const health = await fetch(new URL('/healthz', running.url.replace(/\/\/[^/]+/, `//127.0.0.1:${new URL(running.url).port}`)));
    expect(health.status).toBe(200);
    await running.close();
    running = undefined;
    running = await startAirlock({ env: envFor(standIn.host, { HOST: '127.0.0.1' }), log: captureLog().logger });
    expect(new URL(running.url).hostname).toBe('127.0.0.1');
  });

  it('stops with one line when GitHub refuses the credentials', async () => {
    standIn = await startStandIn();
    const error = await startupFailure(envFor(standIn.host, { APP_ID: '2' }));
    expect(error.message).toMatch(/refused the app's credentials: 401 A JSON web token could not be decoded/);
    expect(error.message).toMatch(/Check APP_ID and the private key/);
  });

  it('says a refused connection is a network error, not a GitHub answer', async () => {
    const port = await closedPort();
    const error = await startupFailure(envFor(`127.0.0.1:${port}`));
    expect(error.message).toMatch(/Network error, no answer from GitHub: connection refused, ECONNREFUSED/);
    expect(error.message).not.toMatch(/answered|500/);
  });

  it('says an unknown host is a DNS failure, not a GitHub answer', async () => {
    const error = await startupFailure(envFor('ghe.airlock.invalid'));
    expect(error.message).toMatch(/Network error, no answer from GitHub: host not found \(DNS\), ENOTFOUND \(ghe\.airlock\.invalid\)/);
    expect(error.message).not.toMatch(/answered|500/);
  });
});

describe('npm start (the built entry)', () => {
  const entry = join(PACKAGE_ROOT, 'dist', 'server.js');

  function start(env: NodeJS.ProcessEnv) {
    // An empty working directory: no .env or .pem file there to pick up.
    const cwd = mkdtempSync(join(tmpdir(), 'airlock-start-'));
    try {
      return spawnSync(process.execPath, [entry], { cwd, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 30_000 });
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }

  it('serves webhooks behind the guard until SIGTERM', async () => {
    standIn = await startStandIn();
    const cwd = mkdtempSync(join(tmpdir(), 'airlock-start-'));
    const env = { PATH: process.env.PATH, ...envFor(standIn.host), LOG_FORMAT: 'json' as const };
    const child = spawn(process.execPath, [entry], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let url: string | undefined;
      for await (const line of createInterface({ input: child.stdout })) {
        url = /webhooks at (\S+)/.exec(String((JSON.parse(line) as { msg?: string }).msg))?.[1];
        if (url) break;
      }
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/github\/webhooks$/);
      const forged = await deliverWebhook(url!, { event: 'pull_request', payload: { action: 'opened' }, secret: 'not-the-secret' });
      expect(forged.status).toBe(400);
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      // GET /app once, at start (reviews and the reaper reuse its answer); the forged delivery reached nothing.
      const operations = standIn.requests.map((r) => r.operationId);
      expect(operations[0]).toBe('apps/get-authenticated');
      expect(operations.filter((op) => op === 'apps/get-authenticated')).toHaveLength(1);
      expect(operations.filter((op) => op?.startsWith('pulls/') || op?.startsWith('checks/'))).toEqual([]);
    } finally {
      child.kill();
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('exits 1 with one line on stderr without WEBHOOK_SECRET', () => {
    const result = start({ APP_ID: '1', PRIVATE_KEY: testKey(), GHE_HOST: 'ghe.airlock.invalid', PORT: '0' });
    expect(result.status).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^airlock: WEBHOOK_SECRET is not set/)]);
  });

  it('exits 1 with one line on stderr per missing setting', () => {
    const result = start({ GHE_HOST: 'ghe.airlock.invalid', PORT: '0' });
    expect(result.status).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^airlock: APP_ID is not set: /),
      expect.stringMatching(/^airlock: PRIVATE_KEY is not set: /),
      expect.stringMatching(/^airlock: WEBHOOK_SECRET is not set: /),
    ]);
  });

  it('exits 1 with one line on stderr when GitHub cannot be reached', async () => {
    const port = await closedPort();
    const result = start({ APP_ID: '1', PRIVATE_KEY: testKey(), WEBHOOK_SECRET: SECRET, GHE_HOST: `127.0.0.1:${port}`, GHE_PROTOCOL: 'http', PORT: '0', LOG_LEVEL: 'fatal' });
    expect(result.status).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^airlock: cannot reach GitHub at .*Network error.*ECONNREFUSED/)]);
  });
});

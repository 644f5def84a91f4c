// App processes for the Redis tests: the built app (`npm run build`) started as `npm start`
// starts it, against the GitHub stand-in and a real Redis, with its log lines collected.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PACKAGE_ROOT } from '../../../../src/io/package-root.js';
import type { RedisQueueOptions } from '../../../../src/github/queue/redis.js';
import { testKey } from '../../harness.js';
import type { StandIn } from '../../stand-in/server.js';
import type { PullRecord, RepoState } from '../../stand-in/state.js';
import { adaptPayload, deliverWebhook, loadExamplePayload, targetForPullRequest, type DeliveryResult } from '../../webhooks.js';

export const SECRET = 'redis-test-secret';
const ENTRY = join(PACKAGE_ROOT, 'test', 'github', 'queue', 'redis', 'app-process.mjs');

export interface LogLine {
  level: string;
  msg?: string;
  url?: string;
  kind?: string;
  number?: number;
  pid?: number;
}

export interface AppProcess {
  child: ChildProcess;
  pid: number;
  /** The webhook URL (a worker answers 404 there). */
  url: string;
  /** The process's base URL (health, readiness, metrics). */
  base: string;
  lines: LogLine[];
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface AppSettings {
  redisUrl: string;
  standIn: StandIn;
  role?: 'web' | 'worker' | 'all';
  concurrency?: number;
  queue?: Partial<RedisQueueOptions>;
  /** Worker threads of the semantic layer (AIRLOCK_WORKERS; default here 0, the main thread; null: the app's default). */
  semanticWorkers?: number | null;
}

export async function startApp(settings: AppSettings): Promise<AppProcess> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    APP_ID: '1',
    PRIVATE_KEY: testKey(),
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: settings.standIn.host,
    GHE_PROTOCOL: 'http',
    HOST: '127.0.0.1',
    PORT: '0',
    REDIS_URL: settings.redisUrl,
    AIRLOCK_ROLE: settings.role ?? 'all',
    AIRLOCK_REVIEW_CONCURRENCY: String(settings.concurrency ?? 2),
    ...(settings.semanticWorkers === null ? {} : { AIRLOCK_WORKERS: String(settings.semanticWorkers ?? 0) }),
    AIRLOCK_TEST_QUEUE: JSON.stringify(settings.queue ?? {}),
  };
  const child = spawn(process.execPath, [ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const lines: LogLine[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<LogLine>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (text) => {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        line = { level: 'raw', msg: text };
      }
      lines.push(line);
      if (line.level === 'ready') resolve(line);
    });
    void exited.then((code) => reject(new Error(`app process exited (${code}) before it was ready: ${stderr.trim()}`)));
  });
  const first = await ready;
  const url = first.url!;
  return {
    child,
    pid: child.pid!,
    url,
    base: new URL(url).origin,
    lines,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function pullRequestPayload(standIn: StandIn, repo: RepoState, pull: PullRecord, action: 'opened' | 'synchronize'): Record<string, unknown> {
  return adaptPayload(loadExamplePayload('pull_request', action), targetForPullRequest(repo, pull, standIn)) as Record<string, unknown>;
}

export function deliver(app: Pick<AppProcess, 'url'>, payload: Record<string, unknown>, deliveryId: string): Promise<DeliveryResult> {
  return deliverWebhook(app.url, { event: 'pull_request', payload, secret: SECRET, deliveryId });
}

/** Waits for `done` to hold, polling; fails with `what` after `timeoutMs`. */
export async function until(what: string, done: () => boolean | Promise<boolean>, timeoutMs = 40_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every pull request's current head has a completed, non-cancelled Airlock check and no check is in progress. */
export function allReviewed(repo: RepoState, pulls: readonly PullRecord[]): boolean {
  if (repo.checkRuns.some((run) => run.status !== 'completed')) return false;
  return pulls.every((pull) => repo.checkRunsFor(pull.head.sha).some((run) => run.status === 'completed' && run.conclusion !== 'cancelled'));
}

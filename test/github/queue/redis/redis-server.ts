// A real Redis for the queue tests: the one CI starts (AIRLOCK_TEST_REDIS_URL), else a
// `redis-server` of this test's own, on 127.0.0.1 and a free port. Neither: the test fails
// and says how to get one. Never a mock.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export const NO_REDIS =
  'the Redis tests need a Redis: set AIRLOCK_TEST_REDIS_URL (as .ci/run does) or put redis-server on PATH (Debian: apt-get install redis-server)';

function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPing(url: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.ping();
      return;
    } catch (error) {
      if (Date.now() > until) throw new Error(`redis-server at ${url} did not answer: ${String(error)}`);
    } finally {
      probe.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A redis-server of the test's own, which it can stop and start again on the same port. */
export class OwnRedis {
  private child: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'airlock-redis-'));
  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<OwnRedis> {
    if (!hasRedisServer()) throw new Error(NO_REDIS);
    const redis = new OwnRedis(await freePort());
    await redis.resume();
    return redis;
  }

  async resume(): Promise<void> {
    this.child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(this.port), '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dir], { stdio: 'ignore' });
    await waitForPing(this.url);
  }

  /** Stops it; its append-only file keeps the data for `resume`, as a production Redis with persistence does. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    child.kill(signal);
    await once(child, 'exit');
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A Redis URL for a test: CI's, else one started for it (`close` stops that one). */
export async function testRedis(): Promise<{ url: string; close(): Promise<void> }> {
  const given = process.env.AIRLOCK_TEST_REDIS_URL;
  if (given) {
    await waitForPing(given, 5_000);
    return { url: given, close: async () => {} };
  }
  const own = await OwnRedis.start();
  return { url: own.url, close: () => own.close() };
}

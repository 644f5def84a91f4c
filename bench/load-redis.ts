// `npm run bench:load` (second part): the queue shared through Redis, with one web process
// taking a burst of webhooks and 1, then 2, worker processes reviewing, against the GitHub
// stand-in with a per-request latency. Prints webhook acceptance latency (p50/p99), reviews
// completed per minute, peak memory of each process, and how throughput scales with workers.
// A benchmark: it prints figures, it asserts nothing. Redis: AIRLOCK_TEST_REDIS_URL, else a
// redis-server started for the run (Debian: apt-get install redis-server).
//
//   node dist/bench/bench/load-redis.js [--webhooks 500] [--pulls 100] [--latency-ms 50] [--workers 1,2] [--concurrency N]
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { addAiPull } from '../test/github/fixtures.js';
import { allReviewed, deliver, pullRequestPayload, startApp, until, type AppProcess } from '../test/github/queue/redis/processes.js';
import { testRedis } from '../test/github/queue/redis/redis-server.js';
import { startStandIn } from '../test/github/stand-in/server.js';
import type { PullRecord } from '../test/github/stand-in/state.js';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : (process.argv[at + 1] ?? '');
}

function whole(name: string, fallback: number): number {
  const value = Number(option(name, String(fallback)));
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} needs a whole number (got ${option(name, '')})`);
  return value;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** The process's peak resident memory (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0) / 1024;
}

interface Figures {
  workers: number;
  p50: number;
  p99: number;
  acceptedSeconds: number;
  reviews: number;
  seconds: number;
  perMinute: number;
  webRss: number;
  workerRss: number[];
  calls: number;
}

async function measure(redisUrl: string, workers: number, settings: { webhooks: number; pulls: number; latencyMs: number; concurrency: number; files: number }): Promise<Figures> {
  const standIn = await startStandIn();
  const processes: AppProcess[] = [];
  try {
    const repo = standIn.state.addRepo({ owner: 'acme', name: 'load', ownerType: 'Organization' });
    repo.setContent('main', '.github/airlock.yml', 'review: ai\n');
    const files = Array.from({ length: settings.files }, (_, i) => ({
      filename: `src/module${i}.js`,
      baseContent: `export const value${i} = ${i};\n`,
      content: `import { exec } from 'node:child_process';\nexport const value${i} = ${i};\nexport function run${i}(req) {\n  exec('ls ' + req.query.dir);\n}\n`,
    }));
    const queue = { prefix: `bench${randomUUID().slice(0, 8)}` };
    const web = await startApp({ redisUrl, standIn, queue, role: 'web' });
    processes.push(web);
    const pool = await Promise.all(Array.from({ length: workers }, () => startApp({ redisUrl, standIn, queue, role: 'worker', concurrency: settings.concurrency, semanticWorkers: null })));
    processes.push(...pool);
    const completed = () => pool.reduce((n, p) => n + p.lines.filter((l) => l.level === 'result' && l.kind === 'completed').length, 0);

    // Warm-up: a few reviews, so that every worker has loaded its rules before the burst.
    const warm = Array.from({ length: 2 * workers * settings.concurrency }, (_, i) => addAiPull(repo, { number: 900 + i, files }));
    await Promise.all(warm.map((pull) => deliver(web, pullRequestPayload(standIn, repo, pull, 'opened'), randomUUID())));
    await until('the warm-up reviews', () => allReviewed(repo, warm), 300_000);
    const before = completed();
    const warmCalls = standIn.requests.length;

    const records: PullRecord[] = Array.from({ length: settings.pulls }, (_, i) => addAiPull(repo, { number: 1000 + i, files }));
    standIn.delayMs = settings.latencyMs;
    // The burst: every pull request opened, then further events for them (pushes of the same head
    // and redeliveries of the same delivery id), all sent at once as GitHub does during a burst.
    const deliveries = Array.from({ length: settings.webhooks }, (_, i) => {
      const pull = records[i % settings.pulls]!;
      const redelivery = i >= settings.pulls && i % 5 === 0;
      return { pull, action: i < settings.pulls ? ('opened' as const) : ('synchronize' as const), id: redelivery ? `delivery-${i % settings.pulls}` : `delivery-${i}` };
    });
    const started = performance.now();
    const latencies = await Promise.all(deliveries.map(async (d) => (await deliver(web, pullRequestPayload(standIn, repo, d.pull, d.action), d.id)).durationMs));
    const acceptedSeconds = (performance.now() - started) / 1000;
    await until('every pull request reviewed', () => allReviewed(repo, records), 900_000);
    const seconds = (performance.now() - started) / 1000;
    const reviews = completed() - before;
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      workers,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      acceptedSeconds,
      reviews,
      seconds,
      perMinute: (reviews / seconds) * 60,
      webRss: peakRssMb(web.pid),
      workerRss: pool.map((p) => peakRssMb(p.pid)),
      calls: standIn.requests.length - warmCalls,
    };
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await standIn.close();
  }
}

async function run(): Promise<void> {
  const settings = {
    webhooks: whole('webhooks', 500),
    pulls: whole('pulls', 100),
    latencyMs: whole('latency-ms', 50),
    concurrency: whole('concurrency', 2 * availableParallelism()),
    files: whole('files', 20),
  };
  const counts = option('workers', '1,2')
    .split(',')
    .map((n) => Number(n));
  if (counts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--workers needs worker counts such as 1,2 (got ${option('workers', '')})`);
  const redis = await testRedis();
  try {
    console.log(
      `load, Redis queue: ${settings.webhooks} webhooks for ${settings.pulls} pull requests of ${settings.files} files each, GitHub stand-in latency ${settings.latencyMs} ms per request, one web process, review concurrency ${settings.concurrency} per worker process, ${availableParallelism()} cores`,
    );
    const all: Figures[] = [];
    for (const workers of counts) {
      const f = await measure(redis.url, workers, settings);
      all.push(f);
      console.log(`  ${workers} worker process${workers === 1 ? '' : 'es'}:`);
      console.log(`    webhook acceptance: p50 ${f.p50.toFixed(0)} ms, p99 ${f.p99.toFixed(0)} ms; all ${settings.webhooks} answered in ${f.acceptedSeconds.toFixed(1)} s`);
      console.log(`    reviews completed: ${f.reviews} in ${f.seconds.toFixed(1)} s = ${f.perMinute.toFixed(0)} per minute; GitHub requests: ${f.calls} (${(f.calls / Math.max(1, f.reviews)).toFixed(1)} per review)`);
      console.log(`    peak RSS: web ${f.webRss.toFixed(0)} MB, workers ${f.workerRss.map((mb) => `${mb.toFixed(0)} MB`).join(', ')}`);
    }
    const one = all.find((f) => f.workers === 1);
    if (one) {
      for (const f of all.filter((x) => x.workers > 1)) {
        console.log(`  throughput with ${f.workers} workers: ${(f.perMinute / one.perMinute).toFixed(2)}x that of one (${availableParallelism()} cores shared by every process and the stand-in)`);
      }
    }
  } finally {
    await redis.close();
  }
}

run().catch((error: unknown) => {
  console.error(`bench:load (Redis): ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

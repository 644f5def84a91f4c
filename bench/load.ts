// `npm run bench:load`: the GitHub App under a burst of webhooks, against the GitHub stand-in
// with a per-request latency, in one process (the embedded queue). Prints webhook acceptance
// latency (p50/p99), reviews completed per minute, the queue's coalescing, GitHub calls per
// review, and peak memory. A benchmark: it prints figures, it asserts nothing.
//
//   npm run bench:load -- [--webhooks 500] [--pulls 100] [--latency-ms 50] [--concurrency N]
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { createProbot } from 'probot';
import { createAirlockApp } from '../src/github/app.js';
import { octokitWithWriteSpacing } from '../src/github/octokit.js';
import { createWebhookServer } from '../src/github/server.js';
import { addAiPull } from '../test/github/fixtures.js';
import { startStandIn } from '../test/github/stand-in/server.js';
import type { PullRecord } from '../test/github/stand-in/state.js';
import { adaptPayload, deliverWebhook, loadExamplePayload, targetForPullRequest } from '../test/github/webhooks.js';

const SECRET = 'load-bench-secret';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} needs a whole number (got ${process.argv[at + 1] ?? 'nothing'})`);
  return value;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function run(): Promise<void> {
  const webhooks = option('webhooks', 500);
  const pulls = option('pulls', 100);
  const latencyMs = option('latency-ms', 50);
  const concurrency = option('concurrency', 2 * availableParallelism());
  const fileCount = option('files', 20);

  const standIn = await startStandIn();
  const repo = standIn.state.addRepo({ owner: 'acme', name: 'load', ownerType: 'Organization' });
  repo.setContent('main', '.github/airlock.yml', 'review: ai\n');
  const files = Array.from({ length: fileCount }, (_, i) => ({
    filename: `src/module${i}.js`,
    baseContent: `export const value${i} = ${i};\n`,
    content: `import { exec } from 'node:child_process';\nexport const value${i} = ${i};\nexport function run${i}(req) {\n  exec('ls ' + req.query.dir);\n}\n`,
  }));
  const records: PullRecord[] = Array.from({ length: pulls }, (_, i) => addAiPull(repo, { number: 1000 + i, files }));

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const completed: number[] = [];
  const airlock = createAirlockApp({ reaper: false, reviewConcurrency: concurrency, onResult: (r) => void (r.kind === 'completed' && completed.push(performance.now())) });
  const probot = createProbot({
    env: { APP_ID: '1', PRIVATE_KEY: privateKey, WEBHOOK_SECRET: SECRET, GHE_HOST: standIn.host, GHE_PROTOCOL: 'http', LOG_LEVEL: 'fatal' },
    overrides: { Octokit: octokitWithWriteSpacing(0, 0) },
  });
  const server = await createWebhookServer({ probot, app: airlock.app, secret: SECRET });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  try {
    // Warm-up: one review, so that rule loading is not counted as load.
    const warm = addAiPull(repo, { number: 999, files });
    const payloadOf = (pull: PullRecord, action: string) => {
      const payload = adaptPayload(loadExamplePayload('pull_request', action === 'opened' ? 'opened' : 'synchronize'), targetForPullRequest(repo, pull, standIn));
      (payload.pull_request as Record<string, unknown>).changed_files = pull.files.length;
      return payload;
    };
    await deliverWebhook(hookUrl, { event: 'pull_request', payload: payloadOf(warm, 'opened'), secret: SECRET });
    await airlock.idle();
    completed.length = 0;
    const warmCalls = standIn.requests.length;

    standIn.delayMs = latencyMs;
    // The burst: every pull request opened, then further events for them (pushes of the same head
    // and redeliveries of the same delivery id), all sent at once as GitHub does during a burst.
    const deliveries = Array.from({ length: webhooks }, (_, i) => {
      const pull = records[i % pulls]!;
      const redelivery = i >= pulls && i % 5 === 0;
      return { pull, action: i < pulls ? 'opened' : 'synchronize', id: redelivery ? `delivery-${(i % pulls)}` : `delivery-${i}` };
    });
    const started = performance.now();
    const latencies = await Promise.all(
      deliveries.map(async (d) => (await deliverWebhook(hookUrl, { event: 'pull_request', payload: payloadOf(d.pull, d.action), secret: SECRET, deliveryId: d.id })).durationMs),
    );
    const accepted = performance.now() - started;
    await airlock.idle();
    const elapsed = (performance.now() - started) / 1000;
    const sorted = [...latencies].sort((a, b) => a - b);
    const stats = airlock.metrics;
    const text = (await stats.exposition()).body;
    const coalesced = Number(/airlock_queue_coalesced (\d+)/.exec(text)?.[1] ?? 0);
    const calls = standIn.requests.length - warmCalls;
    const perReview = completed.length > 0 ? calls / completed.length : 0;
    console.log(`load: ${webhooks} webhooks for ${pulls} pull requests of ${fileCount} files each, GitHub stand-in latency ${latencyMs} ms per request, one process, review concurrency ${concurrency}, ${availableParallelism()} cores`);
    console.log(`  webhook acceptance: p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms; all ${webhooks} answered in ${(accepted / 1000).toFixed(1)} s`);
    console.log(`  reviews completed: ${completed.length} in ${elapsed.toFixed(1)} s = ${((completed.length / elapsed) * 60).toFixed(0)} per minute; waiting reviews replaced by a newer event: ${coalesced}`);
    console.log(`  GitHub requests: ${calls} (${perReview.toFixed(1)} per completed review); violations of the OpenAPI description: ${standIn.violations.length}`);
    const byEndpoint = new Map<string, number>();
    for (const r of standIn.requests.slice(warmCalls)) {
      const op = r.operationId ?? `${r.method} ${r.path}`;
      byEndpoint.set(op, (byEndpoint.get(op) ?? 0) + 1);
    }
    const perEndpoint = [...byEndpoint].sort((a, b) => b[1] - a[1]).map(([op, n]) => `${op} ${(n / Math.max(1, completed.length)).toFixed(1)}`);
    console.log(`  per completed review, by endpoint: ${perEndpoint.join(', ')}`);
    console.log(`  peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
    console.log('  (web and worker processes sharing a queue in Redis: the figures below)');
  } finally {
    clearInterval(sampler);
    await airlock.shutdown(1000);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await standIn.close();
  }
}

run().catch((error: unknown) => {
  console.error(`bench:load: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

// Prometheus metrics of one app process, served at `GET /metrics`. Labels stay few and
// bounded (event names, conclusions, rule ids, HTTP methods and status classes): never a
// repository, a pull request or anything taken from a payload's free text.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { QueueStats } from './queue/embedded.js';
import type { RunResult } from './review-run.js';

/** One GitHub request as the request policy saw it: its final answer, after retries. */
export interface GitHubRequestSample {
  method: string;
  /** HTTP status, or 0 when no answer came (network failure, time-out). */
  status: number;
  /** `x-ratelimit-remaining` of the answer, when it carried one. */
  rateLimitRemaining: number | null;
}

export class AppMetrics {
  readonly registry = new Registry();
  private readonly webhooks = new Counter({ name: 'airlock_webhooks_total', help: 'Webhook events received, by event name.', labelNames: ['event'], registers: [this.registry] });
  private readonly reviews = new Counter({
    name: 'airlock_reviews_total',
    help: 'Reviews finished, by result (completed, skipped, superseded, failed) and check conclusion.',
    labelNames: ['result', 'conclusion'],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'airlock_review_duration_seconds',
    help: 'Time from the start of a review to its published result.',
    labelNames: ['result'],
    buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });
  private readonly findings = new Counter({
    name: 'airlock_findings_total',
    help: 'Findings reported by completed reviews, by rule and severity.',
    labelNames: ['rule', 'severity'],
    registers: [this.registry],
  });
  private readonly requests = new Counter({
    name: 'airlock_github_requests_total',
    help: 'GitHub API requests, by method and status class (2xx, 4xx, 5xx; "none" when no answer came).',
    labelNames: ['method', 'status'],
    registers: [this.registry],
  });
  private readonly rateLimit = new Gauge({
    name: 'airlock_github_rate_limit_remaining',
    help: 'x-ratelimit-remaining of the latest GitHub answer that carried one.',
    registers: [this.registry],
  });
  private queueStats: () => QueueStats | null | Promise<QueueStats | null> = () => null;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const stat = (name: string, help: string, read: (s: QueueStats) => number) => {
      const stats = () => this.queueStats();
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          // A shared queue is read from Redis: while it is away the gauges say NaN rather than zero.
          const now = await Promise.resolve(stats()).catch(() => undefined);
          if (now === undefined) this.set(Number.NaN);
          else this.set(read(now ?? { running: 0, waiting: 0, oldestWaitMs: 0, coalesced: 0 }));
        },
      });
    };
    stat('airlock_queue_running', 'Reviews running now.', (s) => s.running);
    stat('airlock_queue_waiting', 'Reviews waiting for a free slot.', (s) => s.waiting);
    stat('airlock_queue_oldest_wait_seconds', 'How long the longest-waiting review has waited.', (s) => s.oldestWaitMs / 1000);
    stat('airlock_queue_coalesced', 'Waiting reviews replaced by a newer event for the same pull request, since start.', (s) => s.coalesced);
  }

  /** The queue whose depth and age the gauges report (a shared queue's are read from Redis). */
  observeQueue(stats: () => QueueStats | Promise<QueueStats>): void {
    this.queueStats = stats;
  }

  webhook(event: string): void {
    this.webhooks.inc({ event });
  }

  review(result: RunResult, durationMs: number): void {
    const conclusion = result.kind === 'completed' ? result.conclusion : 'none';
    this.reviews.inc({ result: result.kind, conclusion });
    this.duration.observe({ result: result.kind }, durationMs / 1000);
    if (result.kind !== 'completed' || !result.report) return;
    for (const finding of result.report.result.findings) this.findings.inc({ rule: finding.ruleId, severity: finding.severity });
  }

  githubRequest(sample: GitHubRequestSample): void {
    const status = sample.status === 0 ? 'none' : `${Math.floor(sample.status / 100)}xx`;
    this.requests.inc({ method: sample.method, status });
    if (sample.rateLimitRemaining !== null) this.rateLimit.set(sample.rateLimitRemaining);
  }

  /** The exposition text and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

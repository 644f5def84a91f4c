// The Probot app: routes webhook events to small handlers and answers at once; reviews run
// afterwards in a queue. Services (rules, data, the app's identity) and the request policy
// are injected, so tests and the demo run the real app against a GitHub stand-in. A reaper
// completes check runs a stopped process left in progress.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { ApplicationFunction, Probot } from 'probot';
import type { RuleCatalog } from '../core/rules/catalog.js';
import { loadShippedCatalog } from '../io/rules-dir.js';
import { loadScanData } from '../io/scan-data.js';
import { SemanticPool, workersFromEnv } from '../io/semantic-pool.js';
import type { AppDeps } from './handlers/context.js';
import { handleIssueComment } from './handlers/issue-comment.js';
import { handleMergeGroup } from './handlers/merge-group.js';
import { handleReviewComment } from './handlers/review-comment.js';
import { handlePullRequest, PULL_REQUEST_EVENTS } from './handlers/pull-request.js';
import { handleCheckRunRequestedAction, handleCheckRunRerequested, handleCheckSuiteRerequested } from './handlers/rerun.js';
import { envOptions } from './env-options.js';
import { ruleDocsBase } from '../io/version.js';
import { prepare } from './handlers/context.js';
import { DEFAULT_REQUEST_POLICY, installRequestPolicy, type RequestPolicy } from './octokit.js';
import { AppMetrics } from './metrics.js';
import { ReviewQueue, StoppingError } from './queue/embedded.js';
import { retryableFailure, type RedisReviewQueue, type ReviewRequest } from './queue/redis.js';
import { latestCheckRun } from './check-runs.js';
import { completeCheckRun } from './publisher.js';
import { supersededOutput } from './summary.js';
import type { PullRequestInfo, RepoRef } from './loader.js';
import { DEFAULT_REAPER_OPTIONS, Reaper, type ReaperOptions } from './reaper.js';
import { DEFAULT_REVIEW_DEADLINE_MS, runPullRequestReview, type Logger, type Services } from './review-run.js';

export interface AirlockAppOptions {
  policy?: Partial<RequestPolicy>;
  services?: Partial<Services>;
  onResult?: AppDeps['onResult'];
  /** Time one review may take before its check completes with the `on_error` conclusion (default 10 min). */
  reviewDeadlineMs?: number;
  /** The reaper of abandoned in-progress checks (on by default); `false` turns it off. */
  reaper?: Partial<ReaperOptions> | false;
  /** Reviews running at once (default: AIRLOCK_REVIEW_CONCURRENCY, else twice the CPU count). */
  reviewConcurrency?: number;
  /**
   * The queue shared through Redis (REDIS_URL): reviews become jobs there instead of running
   * in this process. With it, `role` says what this process does: `web` only queues,
   * `worker` only reviews (and reaps), `all` both (default).
   */
  redis?: RedisReviewQueue;
  role?: AppRole;
}

export type AppRole = 'web' | 'worker' | 'all';

/** The webhook a handler is answering: a review job needs its installation. */
const webhookScope = new AsyncLocalStorage<{ installation: number | null }>();

function installationOf(payload: unknown): number | null {
  const id = (payload as { installation?: { id?: unknown } } | null)?.installation?.id;
  return typeof id === 'number' && Number.isInteger(id) && id > 0 ? id : null;
}

/** Runs a handler with its webhook's installation at hand for the jobs it queues. */
function scoped<C extends { payload: unknown }>(handler: (context: C) => unknown): (context: C) => unknown {
  return (context) => webhookScope.run({ installation: installationOf(context.payload) }, () => handler(context));
}

/** What the webhook says about a review's inputs besides its head: a change of them is another job. */
function inputsOf(pull: PullRequestInfo): string {
  const material = JSON.stringify([pull.base.ref, pull.labels.map((l) => l.name ?? '').sort(), pull.title, pull.body ?? '', pull.user?.login ?? null, pull.head.ref]);
  return createHash('sha256').update(material).digest('hex').slice(0, 16);
}

export interface AirlockApp {
  app: ApplicationFunction;
  /** Resolves when no review (or reaper pass) is running. */
  idle(): Promise<void>;
  /** Stops the reaper's schedule and any pass under way (reviews under way go on). */
  stop(): void;
  /** The process's Prometheus metrics (served at `/metrics`). */
  metrics: AppMetrics;
  /** Graceful shutdown of the reviews (see ReviewQueue.shutdown): they get `graceMs` to finish. */
  shutdown(graceMs: number): Promise<void>;
}

let catalogOnce: Promise<RuleCatalog> | null = null;

/** How long a worker thread of the semantic layer waits for the next review before it stops. */
const WORKER_IDLE_MS = 60_000;

/** The shipped rules and analyzers (the same catalog the CLI uses). */
export function appCatalog(): Promise<RuleCatalog> {
  catalogOnce ??= loadShippedCatalog();
  return catalogOnce;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= make().catch((error: unknown) => {
      pending = null;
      throw error;
    });
    return pending;
  };
}

export function createAirlockApp(options: AirlockAppOptions = {}): AirlockApp {
  let queue: ReviewQueue | null = null;
  let reaper: Reaper | null = null;
  const env = envOptions(process.env);
  // Checked at start: a bad AIRLOCK_DOCS_URL stops the app with one line rather than every link being dead.
  const docsBase = ruleDocsBase(process.env);
  const workers = workersFromEnv(process.env);
  // One pool for every review, started by the first one; idle workers stop after a while.
  let pool: SemanticPool | null = null;
  const semantics: Services['semantics'] = (sources) => {
    if (workers === null) return null;
    pool ??= new SemanticPool({ idleMs: WORKER_IDLE_MS, ...(workers === undefined ? {} : { size: workers }) });
    return pool.session(sources);
  };
  const reviewDeadlineMs = options.reviewDeadlineMs ?? env.reviewDeadlineMs ?? DEFAULT_REVIEW_DEADLINE_MS;
  const metrics = new AppMetrics();
  const role: AppRole = options.redis ? (options.role ?? 'all') : 'all';
  const policy: RequestPolicy = {
    ...DEFAULT_REQUEST_POLICY,
    ...(env.requestTimeoutMs ? { requestTimeoutMs: env.requestTimeoutMs } : {}),
    observe: (sample) => metrics.githubRequest(sample),
    ...options.policy,
  };
  const app: ApplicationFunction = (probot: Probot) => {
    // Probot's pino logger: `with` adds the review's identifiers as fields of every line.
    const loggerOf = (pino: Probot['log']): Logger => ({
      info: (m) => pino.info(m),
      warn: (m) => pino.warn(m),
      error: (m) => pino.error(m),
      with: (fields) => loggerOf(pino.child(fields)),
    });
    const log = loggerOf(probot.log);
    const identity = once(async () => {
      const octokit = await probot.auth();
      // Asked by the first review: its time limits apply.
      installRequestPolicy(octokit, policy);
      const { data } = await octokit.rest.apps.getAuthenticated();
      if (!data) throw new Error('GitHub did not describe this app (GET /app)');
      return { id: data.id, slug: data.slug ?? 'airlock' };
    });
    const services: Services = {
      catalog: appCatalog,
      data: () => loadScanData(),
      identity: () => identity(),
      docsBase,
      log,
      // The workers build the shipped rules: with another catalog, the rules run in-process.
      ...(options.services?.catalog ? {} : { semantics }),
      ...options.services,
    };
    // Reviews wait mostly on GitHub, and the scan's heavy part runs on the worker threads.
    const reviews = new ReviewQueue(log, { concurrency: options.reviewConcurrency ?? env.reviewConcurrency ?? 2 * availableParallelism() });
    queue = reviews;
    const redis = options.redis;
    metrics.observeQueue(redis ? () => redis.stats() : () => reviews.stats());
    const deps: AppDeps = {
      queue: reviews,
      services,
      policy,
      reviewDeadlineMs,
      activeCheckRuns: new Set(),
      onResult: (result, info) => {
        metrics.review(result, info.durationMs);
        options.onResult?.(result, info);
      },
      ...(redis ? { enqueue: (request) => enqueueReview(redis, request, log) } : {}),
    };
    if (redis && role !== 'web') redis.startWorker((data, job) => reviewJob(deps, probot, data, job));
    probot.onAny((context) => metrics.webhook(context.name));
    // Handlers only schedule work: the webhook is answered well within GitHub's 10 seconds.
    probot.on([...PULL_REQUEST_EVENTS], scoped((context) => handlePullRequest(context, deps)));
    probot.on('check_run.rerequested', scoped((context) => handleCheckRunRerequested(context, deps)));
    probot.on('check_run.requested_action', scoped((context) => handleCheckRunRequestedAction(context, deps)));
    probot.on('check_suite.rerequested', scoped((context) => handleCheckSuiteRerequested(context, deps)));
    probot.on(['issue_comment.created', 'issue_comment.edited', 'issue_comment.deleted'], scoped((context) => handleIssueComment(context, deps)));
    probot.on(
      ['pull_request_review_comment.created', 'pull_request_review_comment.edited', 'pull_request_review_comment.deleted'],
      scoped((context) => handleReviewComment(context, deps)),
    );
    probot.on('merge_group.checks_requested', scoped((context) => handleMergeGroup(context, deps)));
    // With a shared queue, the processes that review also reap; web processes only queue.
    if (options.reaper !== false && role !== 'web') {
      const reaperOptions = { ...DEFAULT_REAPER_OPTIONS, ...(env.reaperIntervalMs !== undefined ? { intervalMs: env.reaperIntervalMs } : {}), ...options.reaper };
      reaper = new Reaper(
        {
          appClient: async () => prepare(await probot.auth(), deps),
          installationClient: async (id) => prepare(await probot.auth(id), deps),
          services,
          reviewDeadlineMs,
          activeCheckRuns: deps.activeCheckRuns,
        },
        reaperOptions,
        (pass) => reviews.detach(pass),
      );
      reaper.start();
    }
  };
  return {
    app,
    metrics,
    idle: async () => {
      await queue?.idle();
    },
    stop: () => reaper?.stop(),
    shutdown: async (graceMs) => {
      reaper?.stop();
      await Promise.all([queue?.shutdown(graceMs), options.redis?.close(graceMs, () => new StoppingError('before this review finished'))]);
    },
  };
}

const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;

/** Queues a review in Redis: ids only; the worker reads the rest from GitHub. */
function enqueueReview(redis: RedisReviewQueue, request: { repo: RepoRef; pull: PullRequestInfo | number; trigger: string; force: boolean; delivery?: string }, log: Logger): void {
  const installation = webhookScope.getStore()?.installation ?? null;
  const number = typeof request.pull === 'number' ? request.pull : request.pull.number;
  const where = `${request.repo.owner}/${request.repo.repo}#${number}`;
  if (installation === null) {
    log.warn(`${where}: the webhook names no installation; the review of ${request.trigger} is not queued`);
    return;
  }
  const job: ReviewRequest = {
    installation,
    owner: request.repo.owner,
    repo: request.repo.repo,
    number,
    headSha: typeof request.pull === 'number' ? null : request.pull.head.sha,
    inputs: typeof request.pull === 'number' ? null : inputsOf(request.pull),
    // GitHub's delivery ids are UUIDs; anything else is left out rather than making the job malformed.
    delivery: request.delivery && DELIVERY_ID.test(request.delivery) ? request.delivery : null,
    force: request.force,
  };
  redis.enqueue(job).catch((error: unknown) => {
    log.error(`${where}: could not queue the review of ${request.trigger} in Redis: ${error instanceof Error ? error.message : String(error)}; redeliver the webhook`);
    if (request.delivery) void redis.forgetDelivery(request.delivery).catch(() => {});
  });
}

/**
 * One review job on a worker. A job taken over from a worker that died first completes the
 * check that worker left in progress, so that none stays so.
 */
async function reviewJob(
  deps: AppDeps,
  probot: Probot,
  data: Parameters<Parameters<RedisReviewQueue['startWorker']>[0]>[0],
  job: Parameters<Parameters<RedisReviewQueue['startWorker']>[0]>[1],
): Promise<'done' | 'retry'> {
  const repo: RepoRef = { owner: data.owner, repo: data.repo };
  const octokit = prepare(await probot.auth(data.installation), deps);
  const trigger = `${data.force ? 're-run' : 'review'} job ${job.jobId.slice(0, 12)}${data.headSha ? ` at ${data.headSha.slice(0, 7)}` : ''}`;
  if (job.takenOver && data.headSha) {
    const identity = await deps.services.identity(octokit);
    const left = await latestCheckRun(octokit, repo, data.headSha, identity.id);
    if (left && left.status !== 'completed' && !deps.activeCheckRuns.has(left.id)) {
      await completeCheckRun(octokit, repo, left.id, { conclusion: 'cancelled', output: supersededOutput('another worker took over this review after the one running it stopped') });
    }
  }
  const started = Date.now();
  const result = await runPullRequestReview(deps.services, {
    octokit,
    repo,
    pull: data.number,
    trigger,
    force: data.force,
    signal: job.signal,
    deadlineMs: deps.reviewDeadlineMs,
    activeCheckRuns: deps.activeCheckRuns,
    ...(data.delivery ? { delivery: data.delivery } : {}),
  });
  deps.onResult?.(result, { repo, number: data.number, trigger, durationMs: Date.now() - started });
  return result.kind === 'failed' && retryableFailure(result.error) ? 'retry' : 'done';
}

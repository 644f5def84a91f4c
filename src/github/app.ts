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
import { completeLeftCheck, type AppDeps, type CommandRequest, type MergeGroupRequest } from './handlers/context.js';
import { runCommandJob } from './handlers/command-job.js';
import { handleIssueComment } from './handlers/issue-comment.js';
import { handleMergeGroup, mirrorMergeGroup } from './handlers/merge-group.js';
import { handleReviewComment } from './handlers/review-comment.js';
import { handlePullRequest, PULL_REQUEST_EVENTS } from './handlers/pull-request.js';
import { handleCheckRunRequestedAction, handleCheckRunRerequested, handleCheckSuiteRerequested } from './handlers/rerun.js';
import { envOptions } from './env-options.js';
import { ruleDocsBase } from '../io/version.js';
import { prepare } from './handlers/context.js';
import { DEFAULT_REQUEST_POLICY, installRequestPolicy, type RequestPolicy } from './octokit.js';
import { AppMetrics } from './metrics.js';
import { ReviewQueue, StoppingError } from './queue/embedded.js';
import {
  pullSnapshotOf,
  retryableFailure,
  reviewJobId,
  type CommandJobData,
  type JobContext,
  type MergeGroupJobData,
  type RedisReviewQueue,
  type ReviewJobData,
  type ReviewRequest,
} from './queue/redis.js';
import { latestCheckRun } from './check-runs.js';
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
      ...(redis
        ? {
            enqueue: (request) => enqueueReview(redis, request, log),
            jobs: {
              mergeGroup: (request) => enqueueMergeGroup(redis, request, log),
              command: (request) => enqueueCommand(redis, request, log),
            },
          }
        : {}),
    };
    if (redis && role !== 'web') {
      // A job runs as its webhook did: the reviews it schedules are queued for its installation.
      const asWebhook = <T>(installation: number, work: () => Promise<T>) => webhookScope.run({ installation }, work);
      redis.startWorker(
        (data, job) => reviewJob(deps, probot, data, job),
        {
          mergeGroup: (data, job) => asWebhook(data.installation, () => mergeGroupJob(deps, probot, data, job)),
          command: (data) => asWebhook(data.installation, () => commandJob(deps, probot, data, log)),
        },
      );
    }
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

/**
 * Queues a job in Redis for the installation of the webhook being answered; when Redis does
 * not take it, forgets the delivery so that GitHub's redelivery of it is taken.
 */
function queueJob(redis: RedisReviewQueue, what: string, where: string, delivery: string | undefined, add: (installation: number) => Promise<string>, log: Logger): void {
  const installation = webhookScope.getStore()?.installation ?? null;
  if (installation === null) {
    log.warn(`${where}: the webhook names no installation; ${what} is not queued`);
    return;
  }
  add(installation).catch((error: unknown) => {
    log.error(`${where}: could not queue ${what} in Redis: ${error instanceof Error ? error.message : String(error)}; redeliver the webhook`);
    if (delivery) void redis.forgetDelivery(delivery).catch(() => {});
  });
}

/** GitHub's delivery ids are UUIDs; anything else is left out rather than making the job malformed. */
function deliveryOf(delivery: string | undefined): string | null {
  return delivery && DELIVERY_ID.test(delivery) ? delivery : null;
}

/**
 * Queues a review in Redis: ids, and the pull request's snapshot when the webhook carried it
 * (the worker then does not read it again); the worker reads the rest from GitHub.
 */
function enqueueReview(redis: RedisReviewQueue, request: { repo: RepoRef; pull: PullRequestInfo | number; trigger: string; force: boolean; delivery?: string }, log: Logger): void {
  const number = typeof request.pull === 'number' ? request.pull : request.pull.number;
  queueJob(redis, `the review of ${request.trigger}`, `${request.repo.owner}/${request.repo.repo}#${number}`, request.delivery, (installation) => {
    const snapshot = typeof request.pull === 'number' ? null : pullSnapshotOf(request.pull);
    const job: ReviewRequest = {
      installation,
      owner: request.repo.owner,
      repo: request.repo.repo,
      number,
      headSha: typeof request.pull === 'number' ? null : request.pull.head.sha,
      inputs: typeof request.pull === 'number' ? null : inputsOf(request.pull),
      delivery: deliveryOf(request.delivery),
      force: request.force,
      ...(snapshot ? { pull: snapshot } : {}),
    };
    return redis.enqueue(job);
  }, log);
}

/**
 * The pull request a review job reviews: its snapshot when it has one that agrees with the
 * job (its number, its head, and the inputs its id hashes), else its number (read from GitHub).
 */
function pullOfJob(data: ReviewJobData, jobId: string, log: Logger): PullRequestInfo | number {
  const snapshot = data.pull;
  if (!snapshot) return data.number;
  const problem =
    snapshot.number !== data.number
      ? `pull request #${snapshot.number}`
      : snapshot.head.sha !== data.headSha
        ? `head ${snapshot.head.sha.slice(0, 7)}`
        : reviewJobId({ ...data, inputs: inputsOf(snapshot) }) !== jobId
          ? 'inputs other than its id says'
          : null;
  if (problem === null) return snapshot;
  log.warn(`${data.owner}/${data.repo}#${data.number}: review job ${jobId.slice(0, 12)} holds a snapshot of ${problem}; reading the pull request from GitHub`);
  return data.number;
}

/** Queues a merge queue's check in Redis: a worker mirrors the verdict (reviewing first if needed). */
function enqueueMergeGroup(redis: RedisReviewQueue, request: MergeGroupRequest, log: Logger): void {
  const where = `${request.repo.owner}/${request.repo.repo}`;
  queueJob(redis, `the check of merge group ${request.headSha.slice(0, 7)}`, where, request.delivery, (installation) =>
    redis.enqueueMergeGroup({
      installation,
      owner: request.repo.owner,
      repo: request.repo.repo,
      headSha: request.headSha,
      headRef: request.headRef,
      delivery: deliveryOf(request.delivery),
      rerun: request.rerun,
    }),
    log,
  );
}

/** Queues the answer to a comment's commands in Redis. */
function enqueueCommand(redis: RedisReviewQueue, request: CommandRequest, log: Logger): void {
  const { repo, delivery, ...rest } = request;
  queueJob(redis, `the commands of comment ${request.comment.id}`, `${repo.owner}/${repo.repo}#${request.number}`, delivery, (installation) =>
    redis.enqueueCommand({ ...rest, installation, owner: repo.owner, repo: repo.repo, delivery: deliveryOf(delivery) }),
    log,
  );
}

/**
 * A merge queue's check on a worker. A failure of the infrastructure (or the worker stopping)
 * goes back to the queue while attempts are left; the last attempt publishes it, so that the
 * merge queue is never left waiting on the check.
 */
async function mergeGroupJob(deps: AppDeps, probot: Probot, data: MergeGroupJobData, job: JobContext): Promise<'done' | 'retry'> {
  const octokit = prepare(await probot.auth(data.installation), deps);
  return mirrorMergeGroup(deps, octokit, { owner: data.owner, repo: data.repo }, {
    headSha: data.headSha,
    headRef: data.headRef,
    signal: job.signal,
    handBack: (error) => !job.lastAttempt && retryableFailure(error),
    ...(job.takenOver ? { takenOver: data.rerun ? ('rerun' as const) : ('check' as const) } : {}),
  });
}

/** A comment's commands on a worker: retried when the infrastructure failed, else logged (as without Redis). */
async function commandJob(deps: AppDeps, probot: Probot, data: CommandJobData, log: Logger): Promise<'done' | 'retry'> {
  try {
    await runCommandJob(deps, prepare(await probot.auth(data.installation), deps), data);
    return 'done';
  } catch (error) {
    if (retryableFailure(error)) return 'retry';
    log.error(`${data.owner}/${data.repo}#${data.number}: the commands of comment ${data.comment.id} were not answered: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    return 'done';
  }
}

/**
 * One review job on a worker. A job taken over from a worker that died first completes the
 * check that worker left in progress, so that none stays so.
 */
async function reviewJob(deps: AppDeps, probot: Probot, data: ReviewJobData, job: JobContext): Promise<'done' | 'retry'> {
  const repo: RepoRef = { owner: data.owner, repo: data.repo };
  const octokit = prepare(await probot.auth(data.installation), deps);
  const trigger = `${data.force ? 're-run' : 'review'} job ${job.jobId.slice(0, 12)}${data.headSha ? ` at ${data.headSha.slice(0, 7)}` : ''}`;
  if (job.takenOver && data.headSha) {
    const identity = await deps.services.identity(octokit);
    await completeLeftCheck(deps, octokit, repo, await latestCheckRun(octokit, repo, data.headSha, identity.id));
  }
  const started = Date.now();
  const result = await runPullRequestReview(deps.services, {
    octokit,
    repo,
    pull: pullOfJob(data, job.jobId, deps.services.log),
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

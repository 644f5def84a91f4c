// The review queue shared by several app processes through Redis (REDIS_URL), with BullMQ.
// A webhook becomes a job that carries ids (installation, repository, pull request, head
// commit, delivery) and, when the webhook carried the pull request, the few fields of it a
// review reads, sealed with a key Redis does not hold (an HMAC keyed by the webhook secret):
// a worker reads everything else from GitHub, reviews a snapshot only when its seal holds, and
// trusts nothing else it finds in Redis. Jobs are named after the repository, the pull request, the head and the
// inputs the webhook states, so a redelivery, or the same event sent to two processes, adds
// one job; delivery ids are also remembered in Redis (SET NX with a TTL) so that every
// process answers a delivery once. One worker at a time reviews a pull request (a lock in
// Redis, renewed while it works); a newer event for it removes the older waiting job and
// tells a running one to stop. A failure of the infrastructure (GitHub unreachable or 5xx,
// the process stopping) is retried with backoff; a review that finished, whatever it found,
// is not. Jobs survive restarts, and a job whose worker died is taken over by another one
// (BullMQ's stalled-job check), which first completes the check the dead worker left.
// Two more kinds of job share the queue, its delivery dedupe, retries and stalled-job
// check: a merge queue's check (`merge-group`: the repository and the merge group's head)
// and the answer to the `/airlock` commands of a comment (`command`: the repository, the
// comment and the delivery). Neither takes the pull request's lock: as without Redis, a merge
// group's check is its own work, and a command only schedules a review and replies.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import Bottleneck from 'bottleneck';
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { ProbotOctokit } from 'probot';
import { z } from 'zod';
import type { PullRequestInfo, RepoRef } from '../loader.js';
import { networkFailure } from '../network-errors.js';
import { isTransient } from '../octokit.js';
import { StoppingError, type QueueStats } from './embedded.js';

export interface RedisQueueOptions {
  /** redis:// or rediss:// URL. */
  url: string;
  /** Reviews one worker process runs at once. */
  concurrency: number;
  /** How long a job and a pull request stay locked to a worker without renewal: a dead worker's job is taken over after this (default 30 s). */
  lockMs: number;
  /** How often workers look for jobs whose worker died (default 15 s). */
  stalledIntervalMs: number;
  /** Attempts of a job whose review failed on the infrastructure (default 3). */
  attempts: number;
  /** First retry delay, doubled at each attempt (default 5 s). */
  backoffMs: number;
  /** How long a delivery id is remembered (default one day). */
  deliveryTtlSeconds: number;
  /** Prefix of every key (default `airlock`): one Redis can serve several deployments. */
  prefix: string;
  /**
   * Seals the pull request snapshots of review jobs (the webhook secret, shared by every process
   * of the app): a snapshot whose seal does not hold is not used. Absent: jobs carry no snapshot.
   */
  snapshotKey?: string;
}

export const DEFAULT_REDIS_QUEUE_OPTIONS: Omit<RedisQueueOptions, 'url' | 'concurrency'> = {
  lockMs: 30_000,
  stalledIntervalMs: 15_000,
  attempts: 3,
  backoffMs: 5_000,
  deliveryTtlSeconds: 86_400,
  prefix: 'airlock',
};

const QUEUE_NAME = 'reviews';

export interface QueueLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const ownerOrRepo = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'not a GitHub owner or repository name');
const commitId = z.string().regex(/^[0-9a-f]{40}$/, 'not a commit id');
const deliveryId = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,100}$/, 'not a delivery id')
  .nullable();
// What git allows in a branch name: no space, control character, ~ ^ : ? * [ or backslash.
const branchName = z.string().regex(/^[^\x00-\x20\x7f~^:?*[\\]{1,1024}$/, 'not a branch name');
// Logins of enterprise-managed users have an underscore (`mona_acme`).
const login = z.object({ login: z.string().regex(/^[A-Za-z0-9_.-]{1,100}(\[bot\])?$/, 'not a GitHub login'), type: z.string().regex(/^[A-Za-z]{1,20}$/, 'not a user type').optional() }).strict();

/** Where every job comes from: the installation, the repository and the webhook's delivery. */
const jobOrigin = {
  installation: z.number().int().positive(),
  owner: ownerOrRepo,
  repo: ownerOrRepo,
  delivery: deliveryId,
};

/** The longest pull request body GitHub takes, in characters. */
export const MAX_PULL_BODY = 65_536;

/**
 * The pull request as its webhook carried it, exactly the fields a review reads
 * (`PullRequestInfo`): the worker reviews it without asking GitHub for it again. Nothing else
 * of the payload is kept. Bounded by GitHub's own limits (a body of 65,536 characters, 100
 * labels), with room above the title's 256 and a label's 50.
 */
export const pullSnapshot = z
  .object({
    number: z.number().int().positive(),
    title: z.string().max(1024, 'longer than GitHub allows'),
    body: z.string().max(MAX_PULL_BODY, 'longer than GitHub allows').nullable(),
    state: z.enum(['open', 'closed']),
    user: login.nullable(),
    labels: z.array(z.object({ name: z.string().max(256, 'longer than GitHub allows').optional() }).strict()).max(100, 'more labels than GitHub allows'),
    head: z.object({ sha: commitId, ref: branchName, repo: z.object({ full_name: z.string().regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, 'not a repository') }).strict().nullable() }).strict(),
    base: z.object({ sha: commitId, ref: branchName }).strict(),
    changed_files: z.number().int().nonnegative().optional(),
    commits: z.number().int().nonnegative().optional(),
  })
  .strict();

export type PullSnapshot = z.infer<typeof pullSnapshot>;

/**
 * What a review job holds: ids, and the pull request's snapshot when its webhook carried it
 * (absent: re-runs, commands, jobs of an older version; the worker then reads it from GitHub).
 * Anything else found in Redis is refused.
 */
export const reviewJobData = z
  .object({
    ...jobOrigin,
    number: z.number().int().positive(),
    headSha: commitId.nullable(),
    force: z.boolean(),
    pull: pullSnapshot.optional(),
    /** The snapshot's seal: an HMAC of it and the job's ids (`sealOf`). */
    seal: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'not a seal')
      .optional(),
  })
  .strict();

export type ReviewJobData = z.infer<typeof reviewJobData>;

/** JSON with every object's keys in order: the same value gives the same text wherever it was built. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The seal of a review job's snapshot: an HMAC-SHA256, keyed by `key`, of the snapshot and the job's ids. */
export function sealOf(key: string, data: Omit<ReviewJobData, 'seal'>): string {
  const material = canonicalJson(['airlock review job snapshot', data.installation, pullKey(data, data.number), data.headSha, data.force, data.pull ?? null]);
  return createHmac('sha256', key).update(material).digest('hex');
}

function sealHolds(key: string | undefined, data: ReviewJobData): boolean {
  if (key === undefined || data.seal === undefined) return false;
  const expected = Buffer.from(sealOf(key, data), 'hex');
  return timingSafeEqual(expected, Buffer.from(data.seal, 'hex'));
}

/**
 * The snapshot of a pull request's webhook to put in its job: only the fields a review reads.
 * Null when it is not within GitHub's limits as this app knows them: the worker then reads the
 * pull request from GitHub rather than failing the job.
 */
export function pullSnapshotOf(pull: PullRequestInfo): PullSnapshot | null {
  const picked = {
    number: pull.number,
    title: pull.title,
    body: pull.body,
    state: pull.state,
    user: pull.user ? { login: pull.user.login, ...(pull.user.type === undefined ? {} : { type: pull.user.type }) } : null,
    labels: pull.labels.map((label) => (label.name === undefined ? {} : { name: label.name })),
    head: { sha: pull.head.sha, ref: pull.head.ref, repo: pull.head.repo ? { full_name: pull.head.repo.full_name } : null },
    base: { sha: pull.base.sha, ref: pull.base.ref },
    ...(typeof pull.changed_files === 'number' ? { changed_files: pull.changed_files } : {}),
    ...(typeof pull.commits === 'number' ? { commits: pull.commits } : {}),
  };
  const parsed = pullSnapshot.safeParse(picked);
  return parsed.success ? parsed.data : null;
}

/** A merge queue's check: the merge group's head commit and branch (which names the pull request it merges). */
export const mergeGroupJobData = z
  .object({
    ...jobOrigin,
    headSha: commitId,
    // A branch name (the base branch is part of it).
    headRef: branchName,
    /** Asked again from the check's Re-run: a new request is a new job. */
    rerun: z.boolean(),
  })
  .strict();

export type MergeGroupJobData = z.infer<typeof mergeGroupJobData>;

/**
 * The `/airlock` commands of one comment: which comment, and what only the webhook knows
 * (GitHub keeps neither an edit's sender nor the text before it): the worker reads the
 * comment itself, its author and the pull request from GitHub.
 */
export const commandJobData = z
  .object({
    ...jobOrigin,
    number: z.number().int().positive(),
    /** A pull request comment (`issue`) or a comment of a review thread (`review`), and the thread's first comment. */
    comment: z.object({ kind: z.enum(['issue', 'review']), id: z.number().int().positive(), inReplyTo: z.number().int().positive().nullable() }).strict(),
    action: z.enum(['created', 'edited', 'deleted']),
    /** When the comment took the text this event is about: a comment read later with another time was edited again since. */
    updatedAt: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'not a time').nullable(),
    /** Who edited it, when not its author. */
    editor: login.nullable(),
    /** The text before the edit or deletion held an allowance (it must stop counting). */
    allowedBefore: z.boolean(),
  })
  .strict();

export type CommandJobData = z.infer<typeof commandJobData>;

/** A job's kind (its BullMQ name), its data's schema and how its messages name it. */
const JOB_KINDS = {
  review: { schema: reviewJobData, label: 'review' },
  'merge-group': { schema: mergeGroupJobData, label: 'merge group' },
  command: { schema: commandJobData, label: 'command' },
} as const;

type JobKind = keyof typeof JOB_KINDS;

export interface ReviewRequest extends ReviewJobData {
  /** A hash of the inputs the webhook states besides the head (labels, title, body, base): another job when they change. */
  inputs: string | null;
}

export interface JobContext {
  signal: AbortSignal;
  /** Another attempt of this job ran before: its worker died or stopped, or it failed on the infrastructure. */
  takenOver: boolean;
  attempt: number;
  /** No attempt follows this one: a failure must now be published rather than retried. */
  lastAttempt: boolean;
  jobId: string;
}

/** How the worker runs one job: the review itself, stopped early through `signal`. */
export type ReviewProcessor = (data: ReviewJobData, context: JobContext) => Promise<'done' | 'retry'>;

/** How the worker runs the other kinds of job; `retry` when it failed on the infrastructure. */
export interface JobProcessors {
  mergeGroup(data: MergeGroupJobData, context: JobContext): Promise<'done' | 'retry'>;
  command(data: CommandJobData, context: JobContext): Promise<'done' | 'retry'>;
}

/** One line on why a job's data is not of its kind. */
function dataProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const at = issue.path.length > 0 ? issue.path.join('.') : 'job data';
  return `${at}: ${issue.message}`;
}

/** Where REDIS_URL points, for messages: host and port, never the password. */
export function redisTarget(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('REDIS_URL is not a URL: set it to redis://host:port (or rediss:// for TLS)');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`REDIS_URL must start with redis:// or rediss:// (got ${parsed.protocol.slice(0, 20)})`);
  }
  if (!parsed.hostname) throw new Error('REDIS_URL names no host: set it to redis://host:port');
  return `${parsed.hostname}:${parsed.port || '6379'}`;
}

function describeRedisError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  // ioredis's words for a command sent while the connection is down.
  if (/Stream isn't writeable|Connection is closed/.test(e?.message ?? '')) return 'not connected';
  return (e?.code ?? e?.message ?? String(error)).split('\n')[0]!.slice(0, 200);
}

/** Connects once and pings: a one-line error when REDIS_URL is wrong or Redis cannot be reached. */
export async function checkRedis(url: string, timeoutMs = 5_000): Promise<void> {
  const target = redisTarget(url);
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // The connection's own error says why (refused, host unknown…); the promise only that it closed.
  let cause: unknown = null;
  probe.on('error', (error: unknown) => (cause ??= error));
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    throw new Error(`cannot reach Redis at ${target} (REDIS_URL): ${describeRedisError(cause ?? error)}`);
  } finally {
    probe.disconnect();
  }
}

export function pullKey(repo: RepoRef, number: number): string {
  return `${repo.owner}/${repo.repo}#${number}`.toLowerCase();
}

/** The job id: the same pull request, head and inputs give the same id on every process. */
export function reviewJobId(request: ReviewRequest): string {
  const material = JSON.stringify([
    pullKey(request, request.number),
    request.headSha,
    request.inputs,
    // A re-run is asked for once per delivery: a new request is a new job, a redelivery the same.
    request.force ? request.delivery : null,
  ]);
  return `r${createHash('sha256').update(material).digest('hex').slice(0, 40)}`;
}

function hashId(kind: string, material: unknown[]): string {
  return `${kind}${createHash('sha256').update(JSON.stringify(material)).digest('hex').slice(0, 40)}`;
}

/**
 * A merge group's job id: the repository and the merge group's head. GitHub asks once per
 * merge group; the same request redelivered or sent to two processes is one job. A Re-run
 * of its check is asked for once per delivery, as for reviews.
 */
export function mergeGroupJobId(data: MergeGroupJobData): string {
  return hashId('m', [`${data.owner}/${data.repo}`.toLowerCase(), data.headSha, data.rerun ? data.delivery : null]);
}

/**
 * A command job's id: the repository, the comment and the delivery. A delivery id names one
 * event and a redelivery keeps it, so a redelivery or the same event sent to two processes is
 * one job, and an edit or a deletion (new events) are new jobs, judged again. The comment's
 * `updated_at` would not do: a deletion carries the time of the last edit, and two edits
 * within a second share it. Without a delivery id the action and that time stand in.
 */
export function commandJobId(data: CommandJobData): string {
  const event = data.delivery ?? `${data.action}@${data.updatedAt}`;
  return hashId('c', [`${data.owner}/${data.repo}`.toLowerCase(), data.comment.kind, data.comment.id, event]);
}

/**
 * Whether a failed review failed on the infrastructure rather than on the change: GitHub
 * unreachable or answering 5xx or a secondary limit, Redis gone (the shared rate limiter), or
 * the process stopping. Those are retried; a review that ran to its end is never retried.
 */
export function retryableFailure(error: unknown): boolean {
  if (error instanceof StoppingError || isTransient(error) || networkFailure(error) !== null) return true;
  const e = error as { name?: string; message?: string };
  return e?.name === 'MaxRetriesPerRequestError' || /\b(redis|connection is closed|ECONNREFUSED)\b/i.test(String(e?.message ?? ''));
}

/** Renews the lock when this job still holds it. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** Releases the lock when this job still holds it. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Logs the loss of Redis once per outage and its return, instead of one line per reconnection
 * attempt.
 */
function watchConnection(connection: Redis, name: string, target: string, log: QueueLog): void {
  let lost = false;
  connection.on('error', (error: unknown) => {
    if (lost) return;
    lost = true;
    log.error(`Redis at ${target} unreachable (${name}): ${describeRedisError(error)}; queued reviews wait, new webhooks are refused until it is back`);
  });
  connection.on('ready', () => {
    if (!lost) return;
    lost = false;
    log.info(`Redis at ${target} reachable again (${name})`);
  });
}

/**
 * The Octokit class with the throttling plugin's limiters kept in Redis, as Probot does with
 * REDIS_URL, but keyed by installation: every process of a deployment then spaces the writes
 * of one installation together and holds back together when GitHub asks it to, and one
 * installation's limits do not slow another's. Its connection's loss is logged once per outage.
 */
export function withSharedRateLimits(Octokit: typeof ProbotOctokit, url: string, log: QueueLog): { Octokit: typeof ProbotOctokit; close(): void } {
  const client = new Redis(url, { connectTimeout: 5_000 });
  watchConnection(client, 'rate limits', redisTarget(url), log);
  const connection = new Bottleneck.IORedisConnection({ client });
  connection.on('error', () => {});
  const Shared = Octokit.defaults((options: { auth?: { installationId?: unknown }; throttle?: object }) => {
    const installation = options.auth?.installationId;
    return {
      ...options,
      throttle: { ...options.throttle, Bottleneck, connection, id: typeof installation === 'number' ? `installation-${installation}` : 'app' },
    };
  }) as typeof ProbotOctokit;
  return {
    Octokit: Shared,
    close: () => {
      void connection.disconnect(false).catch(() => {});
      client.disconnect();
    },
  };
}

export class RedisReviewQueue {
  readonly options: RedisQueueOptions;
  private readonly target: string;
  /** Webhook side and locks: fails at once while Redis is away, rather than holding a webhook. */
  private readonly commands: Redis;
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;
  private readonly running = new Map<string, AbortController>();
  private coalesced = 0;

  constructor(
    options: Partial<RedisQueueOptions> & Pick<RedisQueueOptions, 'url' | 'concurrency'>,
    private readonly log: QueueLog,
  ) {
    this.options = { ...DEFAULT_REDIS_QUEUE_OPTIONS, ...options };
    this.target = redisTarget(this.options.url);
    this.commands = new Redis(this.options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5_000 });
    watchConnection(this.commands, 'queue', this.target, log);
    this.queue = new Queue(QUEUE_NAME, { connection: this.commands, prefix: this.options.prefix });
    this.queue.on('error', () => {});
  }

  private key(...parts: string[]): string {
    return [this.options.prefix, ...parts].join(':');
  }

  /** Resolves once the connection is up (start-up waits for it: a webhook is then taken at once). */
  async connected(timeoutMs = 10_000): Promise<void> {
    if (this.commands.status === 'ready') return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        new Promise<void>((resolve) => this.commands.once('ready', () => resolve())),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`cannot reach Redis at ${this.target} (REDIS_URL): no answer within ${timeoutMs / 1000} s`)), timeoutMs))),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** True while Redis answers (`/readyz`). */
  ready(): boolean {
    return this.commands.status === 'ready';
  }

  /** True the first time any process sees this delivery id (for a day). */
  async firstDelivery(id: string): Promise<boolean> {
    let set: string | null;
    try {
      set = await this.commands.set(this.key('delivery', id), '1', 'EX', this.options.deliveryTtlSeconds, 'NX');
    } catch (error) {
      throw new Error(`Redis at ${this.target} did not answer (${describeRedisError(error)})`);
    }
    return set === 'OK';
  }

  /**
   * Adds a review job: the same id as a job already there adds nothing; an older waiting job
   * of the same pull request is removed (a running one notices and stops).
   */
  async enqueue(request: ReviewRequest): Promise<string> {
    const id = reviewJobId(request);
    const { inputs: _inputs, seal: _seal, pull, ...ids } = request;
    const key = this.options.snapshotKey;
    // A snapshot travels sealed, or not at all (the worker then reads the pull request from GitHub).
    const data: ReviewJobData = pull && key !== undefined ? { ...ids, pull, seal: sealOf(key, { ...ids, pull }) } : ids;
    const latest = this.key('latest', pullKey(request, request.number));
    const previous = await this.commands.set(latest, id, 'EX', this.options.deliveryTtlSeconds, 'GET');
    await this.add('review', id, data);
    if (previous && previous !== id) {
      const older = await this.queue.getJob(previous);
      const state = older ? await older.getState() : null;
      if (older && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) {
        // A worker may take it meanwhile: then removal fails, and the worker sees it is not the latest.
        await older.remove().then(
          () => void this.coalesced++,
          () => {},
        );
      }
    }
    return id;
  }

  /** Adds a merge queue's check: the same merge group twice adds one job. */
  async enqueueMergeGroup(data: MergeGroupJobData): Promise<string> {
    const id = mergeGroupJobId(data);
    await this.add('merge-group', id, data);
    return id;
  }

  /** Adds the answer to a comment's commands: the same event twice adds one job. */
  async enqueueCommand(data: CommandJobData): Promise<string> {
    const id = commandJobId(data);
    await this.add('command', id, data);
    return id;
  }

  private async add(kind: JobKind, id: string, data: object): Promise<void> {
    // A job that failed for good keeps its id a week (to be looked at): a new event for it starts afresh.
    const failed = await this.queue.getJob(id);
    if (failed && (await failed.getState()) === 'failed') await failed.remove();
    await this.queue.add(kind, data, {
      jobId: id,
      attempts: this.options.attempts,
      backoff: { type: 'exponential', delay: this.options.backoffMs },
      removeOnComplete: { age: 3600, count: 5000 },
      removeOnFail: { age: 7 * 86_400 },
    });
  }

  /** Forgets a delivery whose job could not be queued, so that GitHub's redelivery of it is taken. */
  async forgetDelivery(id: string): Promise<void> {
    await this.commands.del(this.key('delivery', id));
  }

  /** Starts taking jobs (the worker role): reviews, and merge-group and command jobs with `others`. */
  startWorker(process: ReviewProcessor, others?: JobProcessors): void {
    const connection = new Redis(this.options.url, { maxRetriesPerRequest: null, connectTimeout: 5_000 });
    this.workerConnection = connection;
    watchConnection(connection, 'worker', this.target, this.log);
    this.worker = new Worker(QUEUE_NAME, (job, token) => this.process(job, token, process, others), {
      connection,
      prefix: this.options.prefix,
      concurrency: this.options.concurrency,
      lockDuration: this.options.lockMs,
      stalledInterval: this.options.stalledIntervalMs,
      maxStalledCount: 2,
      autorun: true,
    });
    // Connection errors are logged once per outage by watchConnection.
    this.worker.on('error', () => {});
    this.worker.on('failed', (job, error) => {
      if (job && !(error instanceof DelayedError)) this.log.warn(`${JOB_KINDS[job.name as JobKind]?.label ?? 'unknown'} job ${job.id} failed (attempt ${job.attemptsMade} of ${this.options.attempts}): ${error.message.split('\n')[0]}`);
    });
  }

  /** The job's data, checked against its kind's schema: anything else fails the job for good, with one line. */
  private parse<K extends JobKind>(job: Job, kind: K): z.infer<(typeof JOB_KINDS)[K]['schema']> {
    const parsed = JOB_KINDS[kind].schema.safeParse(job.data);
    if (parsed.success) return parsed.data as z.infer<(typeof JOB_KINDS)[K]['schema']>;
    const reason = `malformed ${JOB_KINDS[kind].label} job ${job.id ?? '?'}: ${dataProblem(parsed.error)}`;
    this.log.error(reason);
    throw new UnrecoverableError(reason);
  }

  private context(job: Job, signal: AbortSignal, takenOver = false): JobContext {
    const attempt = job.attemptsMade + 1;
    return { signal, takenOver: takenOver || job.attemptsStarted > 1, attempt, lastAttempt: attempt >= (job.opts.attempts ?? 1), jobId: job.id! };
  }

  private async process(job: Job, token: string | undefined, run: ReviewProcessor, others: JobProcessors | undefined): Promise<string> {
    if (job.name === 'merge-group' || job.name === 'command') {
      const data = job.name === 'merge-group' ? this.parse(job, 'merge-group') : this.parse(job, 'command');
      if (!others) throw new UnrecoverableError(`this worker takes no ${JOB_KINDS[job.name].label} jobs`);
      return this.track(job.id!, async (signal) => {
        const context = this.context(job, signal);
        return 'headSha' in data ? others.mergeGroup(data, context) : others.command(data, context);
      });
    }
    if (job.name !== 'review') {
      const reason = `unknown job kind ${JSON.stringify(job.name.slice(0, 40))} (job ${job.id ?? '?'})`;
      this.log.error(reason);
      throw new UnrecoverableError(reason);
    }
    const parsed = this.parse(job, 'review');
    const id = job.id!;
    const { seal: _seal, pull: snapshot, ...ids } = parsed;
    // A snapshot is reviewed only as this app wrote it: otherwise the worker reads the pull request from GitHub.
    const sealed = snapshot !== undefined && sealHolds(this.options.snapshotKey, parsed);
    if (snapshot !== undefined && !sealed) this.log.warn(`review job ${id}: the pull request snapshot's seal does not hold; reading the pull request from GitHub`);
    const data: ReviewJobData = sealed ? { ...ids, pull: snapshot } : ids;
    const pull = pullKey(data, data.number);
    const latestKey = this.key('latest', pull);
    const lockKey = this.key('lock', pull);
    const latest = await this.commands.get(latestKey);
    if (latest !== null && latest !== id) {
      this.log.info(`${pull}: review job ${id} superseded by a newer event before it started`);
      return 'superseded';
    }
    let takenOver = false;
    if ((await this.commands.set(lockKey, id, 'PX', this.options.lockMs, 'NX')) !== 'OK') {
      if ((await this.commands.get(lockKey)) !== id) {
        // Another worker is on this pull request (an older head that is stopping): wait for it.
        await job.moveToDelayed(Date.now() + Math.min(1_000, this.options.lockMs / 2), token);
        throw new DelayedError();
      }
      takenOver = true;
      await this.commands.pexpire(lockKey, this.options.lockMs);
    }
    let renewalFailed = false;
    let controller: AbortController | null = null;
    const renew = setInterval(() => {
      void (async () => {
        try {
          const renewed = await this.commands.eval(RENEW, 1, lockKey, id, String(this.options.lockMs));
          // Lost while Redis was away: take it again if it is free, else another worker has the pull request now.
          if (renewed === 0 && (await this.commands.set(lockKey, id, 'PX', this.options.lockMs, 'NX')) !== 'OK') {
            controller?.abort('another worker took this pull request over');
          }
          const now = await this.commands.get(latestKey);
          if (now !== null && now !== id) controller?.abort('a newer event for this pull request');
          renewalFailed = false;
        } catch (error) {
          if (!renewalFailed) this.log.warn(`${pull}: could not renew the review lock in Redis: ${describeRedisError(error)}`);
          renewalFailed = true;
        }
      })();
    }, Math.max(100, Math.floor(this.options.lockMs / 3)));
    try {
      return await this.track(id, (signal, abort) => {
        controller = abort;
        return run(data, this.context(job, signal, takenOver));
      });
    } finally {
      clearInterval(renew);
      await this.commands.eval(RELEASE, 1, lockKey, id).catch(() => {});
    }
  }

  /** Runs a job as one this process is working on (stopped through its signal at shutdown); `retry` fails the attempt. */
  private async track(id: string, work: (signal: AbortSignal, controller: AbortController) => Promise<'done' | 'retry'>): Promise<string> {
    const controller = new AbortController();
    this.running.set(id, controller);
    try {
      const outcome = await work(controller.signal, controller);
      if (outcome === 'retry') throw new Error('the job failed on the infrastructure; retrying');
      return outcome;
    } finally {
      this.running.delete(id);
    }
  }

  /** Depth and age of the shared queue, and what this process runs. */
  async stats(): Promise<QueueStats> {
    const counts = await this.queue.getJobCounts('wait', 'delayed', 'prioritized', 'active');
    const [oldest] = await this.queue.getJobs(['wait', 'prioritized'], 0, 0, true);
    return {
      running: this.running.size,
      waiting: (counts.wait ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0),
      oldestWaitMs: oldest ? Math.max(0, Date.now() - oldest.timestamp) : 0,
      coalesced: this.coalesced,
    };
  }

  /** Resolves when no job waits or runs anywhere (tests, the load bench). */
  async drained(pollMs = 100): Promise<void> {
    for (;;) {
      const counts = await this.queue.getJobCounts('wait', 'delayed', 'prioritized', 'active');
      if (Object.values(counts).every((n) => n === 0)) return;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /**
   * Graceful shutdown: takes no more jobs; the running ones get `graceMs`, then are told to
   * stop with `reason` (they hand their job back for a retry on another worker).
   */
  async close(graceMs: number, reason: () => unknown): Promise<void> {
    if (this.worker) {
      const closing = this.worker.close();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
      const finished = await Promise.race([closing.then(() => true), late]);
      clearTimeout(timer);
      if (!finished) for (const controller of this.running.values()) controller.abort(reason());
      await closing.catch(() => {});
      this.workerConnection?.disconnect();
    }
    await this.queue.close().catch(() => {});
    this.commands.disconnect();
  }
}

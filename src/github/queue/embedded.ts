// Runs reviews after the webhook has been answered, at most `concurrency` at a time, one per
// pull request: a newer event for a pull request aborts its running review (which then
// publishes nothing but a cancelled check) and takes the place of a review of it still
// waiting, so a burst of pushes costs one review of the newest head, and a burst of pull
// requests waits in arrival order instead of running all at once. Also remembers recent
// delivery ids, so a webhook GitHub redelivers is not reviewed twice by this process.

export interface QueueLogger {
  warn?(message: string): void;
  error(message: string): void;
}

export interface QueueOptions {
  /** Reviews running at once (at least 1). */
  concurrency: number;
  /** Waiting reviews past which each new arrival logs that the queue is long (back-pressure is visible, nothing is dropped). */
  highWater: number;
}

/** Why a review stopped when the process was shutting down: its check says so and offers a re-run. */
export class StoppingError extends Error {
  constructor(what: string) {
    super(`Airlock was stopping (a restart or a new deployment) ${what}: re-run the check to review this change`);
    this.name = 'StoppingError';
  }
}

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = { concurrency: 4, highWater: 200 };

const REMEMBERED_DELIVERIES = 5000;

type Job = (signal: AbortSignal) => Promise<unknown>;

interface Waiting {
  key: string;
  reason: string;
  job: Job;
  /** When the pull request first started waiting (a replacement keeps its place and its age). */
  since: number;
}

export interface QueueStats {
  running: number;
  waiting: number;
  /** Age of the longest-waiting review in ms, 0 when none waits. */
  oldestWaitMs: number;
  /** Reviews replaced while waiting by a newer event for the same pull request. */
  coalesced: number;
}

export class ReviewQueue {
  private readonly running = new Map<string, AbortController>();
  /** Waiting reviews in arrival order: a Map keeps insertion order, and a replacement keeps the slot. */
  private readonly waiting = new Map<string, Waiting>();
  private readonly pending = new Set<Promise<void>>();
  private readonly deliveries = new Set<string>();
  private readonly options: QueueOptions;
  private active = 0;
  private coalesced = 0;
  /** Set by `shutdown`: new reviews start already stopped, so that their checks say so. */
  private stopping: StoppingError | null = null;

  constructor(
    private readonly log: QueueLogger,
    options: Partial<QueueOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULT_QUEUE_OPTIONS, ...options };
    if (!Number.isInteger(this.options.concurrency) || this.options.concurrency < 1) {
      throw new Error(`review concurrency must be a whole number of at least 1 (got ${this.options.concurrency})`);
    }
  }

  /** True the first time a delivery id is seen (recent ones only). */
  firstDelivery(id: string | undefined): boolean {
    if (!id) return true;
    if (this.deliveries.has(id)) return false;
    this.deliveries.add(id);
    if (this.deliveries.size > REMEMBERED_DELIVERIES) {
      const oldest = this.deliveries.values().next().value;
      if (oldest !== undefined) this.deliveries.delete(oldest);
    }
    return true;
  }

  /**
   * Queues `job` under `key`: a job already running under `key` is told to stop (`reason` says
   * why), and one still waiting under `key` is replaced by this one, in its place in the line.
   */
  run(key: string, reason: string, job: Job): void {
    this.running.get(key)?.abort(reason);
    const earlier = this.waiting.get(key);
    if (earlier) this.coalesced++;
    this.waiting.set(key, { key, reason, job, since: earlier?.since ?? this.now() });
    if (!earlier && this.waiting.size > this.options.highWater) {
      this.log.warn?.(`review queue is long: ${this.waiting.size} pull requests waiting, ${this.active} reviews running (concurrency ${this.options.concurrency})`);
    }
    this.startWaiting();
  }

  /** Starts `job` now, outside the line and the limit (short work that must finish, such as replies). */
  detach(job: () => Promise<unknown>): void {
    this.track(`detached`, () => job());
  }

  stats(): QueueStats {
    const first = this.waiting.values().next().value;
    return { running: this.active, waiting: this.waiting.size, oldestWaitMs: first ? Math.max(0, this.now() - first.since) : 0, coalesced: this.coalesced };
  }

  /**
   * Graceful shutdown, once the server takes no more webhooks: reviews waiting and running get
   * `graceMs` to finish; then the running ones are stopped and every one still waiting starts
   * already stopped, so that each publishes a check that says the review did not happen and
   * offers a re-run, rather than leaving the pull request without one. Resolves when all are done.
   */
  async shutdown(graceMs: number): Promise<void> {
    const drained = this.idle().then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
    const finished = await Promise.race([drained, late]);
    clearTimeout(timer);
    if (finished) return;
    this.stopping = new StoppingError(`before this review finished`);
    for (const controller of this.running.values()) controller.abort(this.stopping);
    // No slot is free for them; they only write their checks.
    for (const next of [...this.waiting.values()]) {
      this.waiting.delete(next.key);
      this.track(next.key, () => next.job(AbortSignal.abort(new StoppingError('before this review started'))));
    }
    await this.idle();
  }

  /** Resolves when no review is running or waiting (tests, the demo, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0 || this.waiting.size > 0) {
      if (this.pending.size === 0) this.startWaiting();
      await Promise.allSettled([...this.pending]);
    }
  }

  private startWaiting(): void {
    while (this.active < this.options.concurrency && this.waiting.size > 0) {
      const next = this.waiting.values().next().value!;
      this.waiting.delete(next.key);
      const controller = new AbortController();
      this.running.set(next.key, controller);
      this.active++;
      this.track(next.key, () => next.job(controller.signal), () => {
        this.active--;
        if (this.running.get(next.key) === controller) this.running.delete(next.key);
        this.startWaiting();
      });
    }
  }

  private track(key: string, job: () => Promise<unknown>, done?: () => void): void {
    const task = (async () => {
      try {
        await job();
      } catch (error) {
        this.log.error(`background review ${key} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      } finally {
        done?.();
      }
    })();
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }
}

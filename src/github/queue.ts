// Runs reviews after the webhook has been answered, one at a time per pull request: a
// newer event for the same pull request aborts the running review (which then publishes
// nothing but a cancelled check) and starts its own. Also remembers recent delivery ids,
// so a webhook GitHub redelivers is not reviewed twice by this process.

export interface QueueLogger {
  error(message: string): void;
}

const REMEMBERED_DELIVERIES = 5000;

export class ReviewQueue {
  private readonly running = new Map<string, AbortController>();
  private readonly pending = new Set<Promise<void>>();
  private readonly deliveries = new Set<string>();

  constructor(private readonly log: QueueLogger) {}

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

  /** Starts `job` now; a job already running under `key` is told to stop (`reason` says why). */
  run(key: string, reason: string, job: (signal: AbortSignal) => Promise<unknown>): void {
    this.running.get(key)?.abort(reason);
    const controller = new AbortController();
    this.running.set(key, controller);
    const task = (async () => {
      try {
        await job(controller.signal);
      } catch (error) {
        this.log.error(`background review ${key} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      } finally {
        if (this.running.get(key) === controller) this.running.delete(key);
      }
    })();
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  /** Starts `job` without supersession (work that must finish, such as replies). */
  detach(job: () => Promise<unknown>): void {
    this.run(`detached:${Math.random()}`, '', () => job());
  }

  /** Resolves when no review is running (tests, the demo, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

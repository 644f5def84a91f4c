// Worker threads for the semantic layer (call and taint rules), the scan's heaviest CPU work:
// off the main thread it runs on the machine's other cores, and a server's event loop keeps
// answering webhooks meanwhile. Compiled rules cannot cross threads, so each worker builds the
// rules itself from the same sources (the shipped ones, read where it runs, plus each scan's
// own rule files, sent once per worker) and the scan names rules by id.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RuleSource } from '../core/rules/catalog.js';
import { firstLine } from '../core/scan/compile.js';
import type { SemanticRequest, SemanticResult, SemanticRunner } from '../core/scan/semantic-run.js';
import { PACKAGE_ROOT } from './package-root.js';

/** What a worker is started with. */
export interface WorkerSetup {
  /** Whether the shipped rules are in every catalog (read by the worker from the package). */
  shipped: boolean;
}

export type ToWorker =
  | { type: 'catalog'; catalog: number; sources: RuleSource[] }
  | { type: 'drop'; catalog: number }
  | { type: 'run'; job: number; catalog: number; request: SemanticRequest };

export type ToPool = { type: 'done'; job: number; result: SemanticResult } | { type: 'failed'; job: number; error: string };

export interface SemanticPoolOptions {
  /** Worker threads (default: the available cores, at most `MAX_WORKERS`). */
  size?: number;
  /** Heap limit of each worker (MB): a file that needs more stops only its worker, and is listed as not reviewed. */
  heapMb?: number;
  /** Whether the shipped rules are in every catalog (default true; tests use their own rules only). */
  shipped?: boolean;
  /** The worker's script (default: semantic-worker.js beside this module, as built). */
  workerUrl?: URL;
  /**
   * A file that takes its worker longer than this (ms) stops it: the file is listed as not
   * reviewed and a new worker takes the others (default 120 s; the analysis budget ends a
   * file's work far sooner, so this catches only a worker stuck for good).
   */
  requestTimeoutMs?: number;
  /** A worker idle this long (ms) stops, giving its memory back; started again when needed. Default: never. */
  idleMs?: number;
}

export const MAX_WORKERS = 8;
export const DEFAULT_WORKER_HEAP_MB = 512;
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

/** The environment variable that sets the number of workers; 0 runs the rules on the main thread. */
export const WORKERS_ENV = 'AIRLOCK_WORKERS';

/** The pool size the environment asks for: a number, `null` for none (0), undefined for the default. */
export function workersFromEnv(env: NodeJS.ProcessEnv): number | null | undefined {
  const raw = env[WORKERS_ENV]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 64) {
    throw new Error(`${WORKERS_ENV} must be a whole number of worker threads from 0 (none: the main thread) to 64 (got "${raw}")`);
  }
  return value === 0 ? null : value;
}

export function defaultPoolSize(): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_WORKERS));
}

/**
 * The built worker for a pool module at `moduleUrl`: beside it when it is there (the package's
 * dist/), else the package's own build. The TypeScript sources (tests) and the demo's and
 * benches' separate builds compile no worker of their own: `npm run build` made the package's.
 */
export function workerUrlFor(moduleUrl: string): URL {
  const beside = new URL('./semantic-worker.js', moduleUrl);
  if (!moduleUrl.endsWith('.ts') && existsSync(fileURLToPath(beside))) return beside;
  return pathToFileURL(join(PACKAGE_ROOT, 'dist', 'io', 'semantic-worker.js'));
}

function defaultWorkerUrl(): URL {
  return workerUrlFor(import.meta.url);
}

/** The runner of one scan (or of several with the same rule files); `release` when they are done. */
export interface SemanticSession extends SemanticRunner {
  release(): void;
}

interface Job {
  id: number;
  catalog: number;
  request: SemanticRequest;
  resolve: (result: SemanticResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  /** The catalogs this worker was sent. */
  catalogs: Set<number>;
  /** Why it stopped, when it reported that before exiting. */
  error: Error | null;
  idleTimer: NodeJS.Timeout | null;
  /** Set when the worker was stopped for taking too long on its file. */
  timedOut: boolean;
  requestTimer: NodeJS.Timeout | null;
}

export class SemanticPool {
  readonly size: number;
  private readonly heapMb: number;
  private readonly setup: WorkerSetup;
  private readonly url: URL;
  private readonly idleMs: number | null;
  private readonly requestTimeoutMs: number;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private readonly catalogs = new Map<number, RuleSource[]>();
  private nextJob = 1;
  private nextCatalog = 1;
  private closed = false;

  constructor(options: SemanticPoolOptions = {}) {
    const size = options.size ?? defaultPoolSize();
    if (!Number.isInteger(size) || size < 1) throw new Error(`semantic pool: size must be a whole number of workers, at least 1 (got ${size})`);
    const heapMb = options.heapMb ?? DEFAULT_WORKER_HEAP_MB;
    if (!Number.isInteger(heapMb) || heapMb < 16) throw new Error(`semantic pool: heapMb must be a whole number of MB, at least 16 (got ${heapMb})`);
    this.size = size;
    this.heapMb = heapMb;
    this.setup = { shipped: options.shipped ?? true };
    this.url = options.workerUrl ?? defaultWorkerUrl();
    this.idleMs = options.idleMs ?? null;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /** A runner whose catalogs are the shipped rules (unless the pool has none) plus `sources`, an organisation's own rule files. */
  session(sources: RuleSource[]): SemanticSession {
    const catalog = this.nextCatalog++;
    this.catalogs.set(catalog, sources.map(({ name, text, format, companions }) => ({ name, text, ...(format ? { format } : {}), ...(companions ? { companions } : {}) })));
    return {
      // One file running and one waiting per worker: no worker waits for the scan, and little text is held.
      concurrency: 2 * this.size,
      run: (request) => this.submit(catalog, request),
      release: () => this.release(catalog),
    };
  }

  /** Workers running now (started on demand, replaced when one dies, stopped when idle for `idleMs`). */
  get workers(): number {
    return this.slots.size;
  }

  /** Stops every worker; requests not answered yet are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the analysis threads were stopped'));
    await Promise.all([...this.slots].map((slot) => slot.worker.terminate()));
  }

  private submit(catalog: number, request: SemanticRequest): Promise<SemanticResult> {
    if (this.closed) return Promise.reject(new Error('the analysis threads were stopped'));
    if (!this.catalogs.has(catalog)) return Promise.reject(new Error('internal: the scan used a released semantic session'));
    return new Promise<SemanticResult>((resolve, reject) => {
      this.queue.push({ id: this.nextJob++, catalog, request, resolve, reject });
      this.dispatch();
    });
  }

  private release(catalog: number): void {
    this.catalogs.delete(catalog);
    for (const slot of this.slots) {
      if (slot.catalogs.delete(catalog)) slot.worker.postMessage({ type: 'drop', catalog } satisfies ToWorker);
    }
  }

  /** Gives queued requests to idle workers, starting workers (or replacements) up to the pool's size. */
  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      let slot = [...this.slots].find((s) => s.job === null);
      if (!slot) {
        if (this.slots.size >= this.size) return;
        slot = this.spawn();
      }
      const job = this.queue.shift()!;
      const sources = this.catalogs.get(job.catalog);
      if (!sources) {
        job.reject(new Error('internal: the scan used a released semantic session'));
        continue;
      }
      if (!slot.catalogs.has(job.catalog)) {
        slot.worker.postMessage({ type: 'catalog', catalog: job.catalog, sources } satisfies ToWorker);
        slot.catalogs.add(job.catalog);
      }
      slot.job = job;
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.idleTimer = null;
      // A worker with work keeps the process alive; an idle one does not.
      slot.worker.ref();
      slot.worker.postMessage({ type: 'run', job: job.id, catalog: job.catalog, request: job.request } satisfies ToWorker);
      const stuck = slot;
      stuck.requestTimer = setTimeout(() => {
        stuck.timedOut = true;
        void stuck.worker.terminate();
      }, this.requestTimeoutMs);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.url, {
      workerData: this.setup,
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
    });
    const slot: Slot = { worker, job: null, catalogs: new Set(), error: null, idleTimer: null, timedOut: false, requestTimer: null };
    worker.on('message', (message: ToPool) => {
      const job = slot.job;
      if (!job || job.id !== message.job) return;
      slot.job = null;
      if (slot.requestTimer) clearTimeout(slot.requestTimer);
      worker.unref();
      if (message.type === 'done') job.resolve(message.result);
      else job.reject(new Error(message.error));
      this.dispatch();
      if (slot.job === null && this.idleMs !== null) {
        slot.idleTimer = setTimeout(() => {
          if (slot.job !== null) return;
          // Out of the pool first: no request goes to a worker on its way out.
          this.slots.delete(slot);
          void worker.terminate();
        }, this.idleMs);
        slot.idleTimer.unref();
      }
    });
    worker.on('error', (error) => {
      slot.error ??= error;
    });
    worker.on('exit', (code) => {
      this.slots.delete(slot);
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      if (slot.requestTimer) clearTimeout(slot.requestTimer);
      const job = slot.job;
      slot.job = null;
      // The file it was on is listed, never dropped; the others go to a replacement.
      if (job) job.reject(new Error(`the analysis thread ${this.whyStopped(slot, code)} on ${job.request.path}`));
      this.dispatch();
    });
    worker.unref();
    this.slots.add(slot);
    return slot;
  }

  private whyStopped({ error, timedOut }: Slot, code: number): string {
    if (timedOut) return `was stopped after ${Math.round(this.requestTimeoutMs / 1000)} s`;
    if (this.closed) return 'was stopped';
    if (error && (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') return `ran out of memory (its heap is limited to ${this.heapMb} MB)`;
    if (error) return `failed (${firstLine(error)})`;
    return `stopped (exit code ${code})`;
  }
}

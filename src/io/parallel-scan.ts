import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RuleOverride } from '../core/rules/catalog.js';
import type { ChangedFile, ChangeSet, NotReviewed, ScanResult } from '../core/model.js';
import type { RuleSource } from '../core/rules/catalog.js';
import { scanChangeSet, type ScanOptions } from '../core/scan/engine.js';

// Parsing and AST matching are CPU-bound and single-threaded per call, so a large change is
// split in shards: this thread scans one, worker threads the others, and the results are
// merged. Findings depend only on each file, so the merged result equals a one-thread scan.

/** Below this many added lines the worker's start-up costs more than it saves. */
const PARALLEL_MIN_ADDED_LINES = 20_000;

export interface ShardRequest {
  files: ChangedFile[];
  /** Head contents by path (transferred, not copied). */
  contents: Record<string, Uint8Array | null>;
  overrides: Record<string, RuleOverride>;
  limits: { maxFileBytes: number; deadline: number };
  ignorePaths: string[];
}

export type ShardReply = { ok: true; result: ScanResult } | { ok: false; error: string };

/** A worker thread that has loaded the rules and data and waits for one shard. */
class ScanWorker {
  private readonly worker: Worker;
  private readonly reply: Promise<ShardReply>;

  constructor(sources: RuleSource[]) {
    this.worker = new Worker(new URL('./scan-worker.js', import.meta.url), { workerData: { sources } });
    this.reply = new Promise<ShardReply>((resolve) => {
      this.worker.once('message', (message: ShardReply) => resolve(message));
      this.worker.once('error', (err) => resolve({ ok: false, error: err.message }));
      this.worker.once('exit', (code) => resolve({ ok: false, error: `scan worker exited with code ${code}` }));
    });
  }

  async run(request: ShardRequest): Promise<ScanResult> {
    const transfer = Object.values(request.contents)
      .filter((c): c is Uint8Array => c !== null)
      .map((c) => c.buffer as ArrayBuffer);
    this.worker.postMessage(request, [...new Set(transfer)]);
    const reply = await this.reply;
    await this.worker.terminate();
    if (!reply.ok) throw new Error(reply.error);
    return reply.result;
  }

  dispose(): void {
    void this.worker.terminate();
  }
}

/** Splits files into `count` contiguous shards of about equal added lines. */
export function shardFiles(files: readonly ChangedFile[], count: number): ChangedFile[][] {
  const total = files.reduce((n, f) => n + Math.max(1, f.addedLines.length), 0);
  const shards: ChangedFile[][] = [[]];
  let filled = 0;
  for (const file of files) {
    const weight = Math.max(1, file.addedLines.length);
    if (filled >= (total / count) * shards.length && shards.length < count) shards.push([]);
    shards[shards.length - 1]!.push(file);
    filled += weight;
  }
  return shards.filter((s) => s.length > 0);
}

function mergeResults(results: ScanResult[], order: readonly ChangedFile[], durationMs: number): ScanResult {
  const position = new Map(order.map((f, i) => [f.path, i]));
  const byFile = (a: NotReviewed, b: NotReviewed) => (position.get(a.path) ?? 0) - (position.get(b.path) ?? 0);
  return {
    findings: results
      .flatMap((r) => r.findings)
      .sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.ruleId.localeCompare(b.ruleId)),
    suppressed: results.flatMap((r) => r.suppressed),
    notReviewed: results.flatMap((r) => r.notReviewed).sort(byFile),
    stats: {
      filesScanned: results.reduce((n, r) => n + r.stats.filesScanned, 0),
      addedLines: results.reduce((n, r) => n + r.stats.addedLines, 0),
      rulesRun: results[0]?.stats.rulesRun ?? 0,
      durationMs,
    },
  };
}

export interface ParallelScanner {
  scan(changeSet: ChangeSet, options: ScanOptions, overrides: Record<string, RuleOverride>): Promise<ScanResult>;
  /** Stops workers that were started but not used. */
  dispose(): void;
}

/**
 * A scanner that uses `threads` threads (this one included) for large changes. Workers start
 * right away, so they load rules and data while the caller is still reading git.
 */
export function createParallelScanner(
  sources: RuleSource[],
  { threads = Math.min(availableParallelism(), 4), minAddedLines = PARALLEL_MIN_ADDED_LINES } = {},
): ParallelScanner {
  let workers: ScanWorker[] | null = null;
  const start = () => (workers ??= Array.from({ length: Math.max(0, threads - 1) }, () => new ScanWorker(sources)));
  start();
  return {
    dispose() {
      for (const w of workers ?? []) w.dispose();
      workers = [];
    },
    async scan(changeSet, options, overrides) {
      const pool = start();
      workers = [];
      const added = changeSet.files.reduce((n, f) => n + f.addedLines.length, 0);
      if (pool.length === 0 || added < minAddedLines) {
        for (const w of pool) w.dispose();
        return scanChangeSet(changeSet, options);
      }
      const started = Date.now();
      const budget = options.limits?.timeBudgetMs ?? 120_000;
      const shards = shardFiles(changeSet.files, pool.length + 1);
      const [own, ...rest] = shards;
      const remote = rest.map(async (files, i) => {
        const contents: Record<string, Uint8Array | null> = {};
        for (const f of files) {
          if (f.status === 'deleted' || f.binary || f.unavailable !== null) continue;
          // Own copy of the bytes: they are transferred to the worker.
          const bytes = await changeSet.loadHead(f.path).catch(() => null);
          contents[f.path] = bytes ? new Uint8Array(bytes) : null;
        }
        return pool[i]!.run({
          files,
          contents,
          overrides,
          limits: { maxFileBytes: options.limits?.maxFileBytes ?? 1_000_000, deadline: started + budget },
          ignorePaths: options.ignorePaths ?? [],
        });
      });
      for (const w of pool.slice(rest.length)) w.dispose();
      const local = scanChangeSet({ ...changeSet, files: own ?? [] }, options);
      const results = await Promise.all([local, ...remote]);
      return mergeResults(results, changeSet.files, Date.now() - started);
    },
  };
}

// Reads the head blobs of a review's files. Starting one git process per file costs
// milliseconds each, which adds up to seconds on large changes; readers go through the
// files in order, so a miss reads that file and the next ones in one `git cat-file --batch`.

import { parseCatFileBatch } from './git-objects.js';
import { GitError, oneLine, type GitResult, type GitRunOptions } from './git-run.js';

export interface BlobRef {
  /** What readers ask for (the file's path). */
  key: string;
  sha: string;
  /** Size in bytes when known (from `cat-file --batch-check`). */
  size: number | null;
  /** False for files readers usually skip (binary ones): read only when asked for. */
  readAhead: boolean;
}

export interface BlobReaderLimits {
  /** Blobs per git process. */
  batchCount: number;
  /** Bytes per git process (a single larger blob is still read alone). */
  batchBytes: number;
  /** Bytes read ahead and not yet asked for, across batches. */
  aheadBytes: number;
}

const FIRST_BATCH_COUNT = 32;

const DEFAULT_LIMITS: BlobReaderLimits = { batchCount: 1024, batchBytes: 16 * 1024 * 1024, aheadBytes: 64 * 1024 * 1024 };

type Run = (args: readonly string[], opts?: Omit<GitRunOptions, 'label'>) => Promise<GitResult>;
type Pool = <T>(task: () => Promise<T>) => Promise<T>;

export class BlobReader {
  private readonly index = new Map<string, number>();
  /** Files read ahead, by position, until their reader comes or passes them. */
  private readonly ahead = new Map<number, Promise<Uint8Array | null>>();
  private aheadBytes = 0;
  /** Files before this position have been requested from git at least once. */
  private frontier = 0;
  private lastBatchSize = 0;
  /** Number of git processes started. */
  batches = 0;

  constructor(
    private readonly run: Run,
    private readonly pool: Pool,
    /** Files in the order readers will most likely ask for them. */
    private readonly order: readonly BlobRef[],
    private readonly limits: BlobReaderLimits = DEFAULT_LIMITS,
  ) {
    order.forEach((blob, i) => {
      if (!this.index.has(blob.key)) this.index.set(blob.key, i);
    });
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  /** The bytes of the file `key` names; null when it is not one of the files or git lacks the blob. */
  read(key: string): Promise<Uint8Array | null> {
    const position = this.index.get(key);
    if (position === undefined) return Promise.resolve(null);
    const hit = this.take(position);
    // Readers move forward: what they passed by (skipped files) is dropped, so nothing piles up.
    for (const passed of [...this.ahead.keys()]) if (passed < position) this.take(passed);
    if (hit !== undefined) {
      this.readOnIfHalfUsed(position);
      return hit;
    }
    return this.startBatch(position, { forReader: true }).then((contents) => contents[0] ?? null);
  }

  /**
   * Once a reader is past the middle of what was read ahead, the next files are requested, so
   * that git reads them while the reader works instead of the reader waiting at every batch.
   */
  private readOnIfHalfUsed(position: number): void {
    if (this.ahead.size > this.lastBatchSize / 2) return;
    let next = Math.max(this.frontier, position + 1);
    while (next < this.order.length && (this.ahead.has(next) || !this.order[next]!.readAhead)) next++;
    if (next >= this.order.length) return;
    void this.startBatch(next, { forReader: false });
  }

  /**
   * Reads the file at `position` and the files after it that fit the limits; all of them are
   * kept ahead except, `forReader`, the first one, which a reader is waiting for.
   */
  private startBatch(position: number, { forReader }: { forReader: boolean }): Promise<(Uint8Array | null)[]> {
    const batch = [position];
    let bytes = this.sizeAt(position);
    let extra = 0;
    // The first reader waits for a whole batch: start small, then grow to the full batch size.
    const count = Math.min(this.limits.batchCount, FIRST_BATCH_COUNT * 4 ** this.batches);
    for (let i = position + 1; i < this.order.length && batch.length < count; i++) {
      if (this.ahead.has(i) || !this.order[i]!.readAhead) continue;
      const size = this.sizeAt(i);
      if (bytes + size > this.limits.batchBytes || this.aheadBytes + extra + size > this.limits.aheadBytes) break;
      batch.push(i);
      bytes += size;
      extra += size;
    }
    this.lastBatchSize = batch.length;
    this.frontier = Math.max(this.frontier, batch[batch.length - 1]! + 1);
    this.batches++;
    const all = this.pool(() => this.readBatch(batch.map((i) => this.order[i]!.sha)));
    const first = forReader ? 1 : 0;
    batch.slice(first).forEach((i, n) => {
      const content = all.then((contents) => contents[n + first] ?? null);
      // Read ahead for a reader that may never come: a failure must not go unhandled.
      content.catch(() => {});
      this.ahead.set(i, content);
      this.aheadBytes += this.sizeAt(i);
    });
    return all;
  }

  private take(position: number): Promise<Uint8Array | null> | undefined {
    const content = this.ahead.get(position);
    if (content !== undefined) {
      this.ahead.delete(position);
      this.aheadBytes -= this.sizeAt(position);
    }
    return content;
  }

  private sizeAt(i: number): number {
    // Unknown sizes count as a full batch, so such files are read alone.
    return this.order[i]?.size ?? this.limits.batchBytes;
  }

  private async readBatch(shas: string[]): Promise<(Uint8Array | null)[]> {
    const result = await this.run(['cat-file', '--batch'], { input: shas.join('\n') + '\n', spool: true });
    let objects;
    try {
      objects = parseCatFileBatch(result.stdout);
    } catch (error) {
      throw new GitError(`cannot read the output of git cat-file: ${oneLine((error as Error).message)}`);
    }
    // Copies, so one file kept by a caller does not keep the whole batch in memory.
    return shas.map((_, i) => {
      const object = objects[i];
      return object?.type === 'blob' && object.content !== null ? Uint8Array.prototype.slice.call(object.content) : null;
    });
  }
}

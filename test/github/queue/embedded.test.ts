import { describe, expect, it } from 'vitest';
import { ReviewQueue, StoppingError } from '../../../src/github/queue/embedded.js';

describe('the review queue', () => {
  it('aborts a running job when a newer one arrives for the same key, and waits for all', async () => {
    const errors: string[] = [];
    const queue = new ReviewQueue({ error: (m) => errors.push(m) });
    const seen: string[] = [];
    const job = (name: string, ms: number) => async (signal: AbortSignal) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      seen.push(`${name}:${signal.aborted ? `aborted by ${String(signal.reason)}` : 'done'}`);
    };
    queue.run('pr-1', 'first', job('a', 50));
    queue.run('pr-1', 'second push', job('b', 10));
    queue.run('pr-2', 'other', job('c', 5));
    queue.run('pr-3', 'boom', async () => {
      throw new Error('exploded');
    });
    await queue.idle();
    expect(seen.sort()).toEqual(['a:aborted by second push', 'b:done', 'c:done']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('exploded');
  });

  it('recognises a redelivered webhook by its delivery id', () => {
    const queue = new ReviewQueue({ error: () => {} });
    expect(queue.firstDelivery('d-1')).toBe(true);
    expect(queue.firstDelivery('d-1')).toBe(false);
    expect(queue.firstDelivery(undefined)).toBe(true);
  });

  it('runs at most `concurrency` reviews at once, the others in arrival order', async () => {
    const queue = new ReviewQueue({ error: () => {} }, { concurrency: 2 });
    let running = 0;
    let most = 0;
    const started: string[] = [];
    const gates = new Map<string, () => void>();
    const job = (name: string) => async () => {
      started.push(name);
      most = Math.max(most, ++running);
      await new Promise<void>((resolve) => gates.set(name, resolve));
      running--;
    };
    for (const n of ['a', 'b', 'c', 'd']) queue.run(`pr-${n}`, 'opened', job(n));
    await Promise.resolve();
    expect(started).toEqual(['a', 'b']);
    expect(queue.stats()).toMatchObject({ running: 2, waiting: 2 });
    gates.get('b')!();
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual(['a', 'b', 'c']);
    for (const n of ['a', 'c']) gates.get(n)!();
    await new Promise((r) => setTimeout(r, 0));
    gates.get('d')!();
    await queue.idle();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(most).toBe(2);
  });

  it('a newer event for a waiting pull request replaces the waiting review, keeping its place', async () => {
    let clock = 1000;
    const queue = new ReviewQueue({ error: () => {} }, { concurrency: 1 }, () => clock);
    const ran: string[] = [];
    let release!: () => void;
    queue.run('pr-1', 'opened', () => new Promise<void>((resolve) => (release = resolve)));
    queue.run('pr-2', 'opened', async () => void ran.push('pr-2 head A'));
    clock = 1500;
    queue.run('pr-3', 'opened', async () => void ran.push('pr-3'));
    queue.run('pr-2', 'synchronize', async () => void ran.push('pr-2 head B'));
    clock = 4000;
    expect(queue.stats()).toEqual({ running: 1, waiting: 2, oldestWaitMs: 3000, coalesced: 1 });
    release();
    await queue.idle();
    expect(ran).toEqual(['pr-2 head B', 'pr-3']);
  });

  it('says when the line is long, and drops nothing', async () => {
    const warnings: string[] = [];
    const queue = new ReviewQueue({ error: () => {}, warn: (m) => warnings.push(m) }, { concurrency: 1, highWater: 2 });
    let done = 0;
    for (let i = 0; i < 5; i++) queue.run(`pr-${i}`, 'opened', async () => void done++);
    await queue.idle();
    expect(done).toBe(5);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/review queue is long: 3 pull requests waiting, 1 reviews running \(concurrency 1\)/);
  });

  it('refuses a concurrency below one', () => {
    expect(() => new ReviewQueue({ error: () => {} }, { concurrency: 0 })).toThrow(/at least 1 \(got 0\)/);
  });

  it('on shutdown lets reviews finish within the grace time, then stops the rest with StoppingError', async () => {
    const quick = new ReviewQueue({ error: () => {} }, { concurrency: 1 });
    const done: string[] = [];
    quick.run('pr-1', 'opened', async (signal) => {
      await new Promise((r) => setTimeout(r, 20));
      done.push(`pr-1 ${signal.aborted ? 'stopped' : 'finished'}`);
    });
    quick.run('pr-2', 'opened', async (signal) => void done.push(`pr-2 ${signal.aborted ? 'stopped' : 'finished'}`));
    await quick.shutdown(5_000);
    expect(done).toEqual(['pr-1 finished', 'pr-2 finished']);

    const slow = new ReviewQueue({ error: () => {} }, { concurrency: 1 });
    const reasons: string[] = [];
    slow.run('pr-3', 'opened', async (signal) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      reasons.push(`pr-3: ${(signal.reason as Error).message}`);
    });
    slow.run('pr-4', 'opened', async (signal) => void reasons.push(`pr-4: ${signal.reason instanceof StoppingError ? (signal.reason as Error).message : 'ran'}`));
    await slow.shutdown(20);
    expect(reasons.sort()).toEqual([
      'pr-3: Airlock was stopping (a restart or a new deployment) before this review finished: re-run the check to review this change',
      'pr-4: Airlock was stopping (a restart or a new deployment) before this review started: re-run the check to review this change',
    ]);
  });
});


import { describe, expect, it } from 'vitest';
import { ReviewQueue } from '../../src/github/queue.js';

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
});

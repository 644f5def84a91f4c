import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// ast-grep's syntax trees live outside the JavaScript heap, and V8 does not know their size: a
// tree is freed only once every node object of it has been collected and its finalizer has run,
// which Node defers to a later turn of the event loop. A scan that parses file after file in one
// synchronous stretch therefore holds every tree it ever parsed (hundreds of MB on a large
// change) while the JavaScript heap stays small enough that V8 sees no reason to collect.

let collector: (() => void) | null | undefined;

/** A full collection, when the runtime lets us ask for one (the flag is read when `gc` is created). */
function fullCollection(): (() => void) | null {
  if (collector !== undefined) return collector;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    collector = typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    collector = null;
  }
  return collector;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Returns the scanner's `reclaim` hook: after each file that built syntax trees, it lets the
 * deferred finalizers run, and once the process has grown by `stepMB` since the last collection
 * it collects first, so that the trees of files already done are freed before the next ones.
 */
export function nativeMemoryReclaimer(stepMB = 64): () => Promise<void> {
  const gc = fullCollection();
  const step = stepMB * 1024 * 1024;
  let floor = process.memoryUsage.rss();
  return async () => {
    if (gc && process.memoryUsage.rss() > floor + step) {
      gc();
      await yieldToEventLoop();
      floor = process.memoryUsage.rss();
      return;
    }
    await yieldToEventLoop();
  };
}

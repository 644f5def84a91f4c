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
 * Native memory of a syntax tree per character of the text parsed into it (measured over the
 * benchmark's mix of languages: 57 bytes). The process's RSS cannot tell one thread's trees
 * from another's, so each thread estimates its own from what it parsed.
 */
const TREE_BYTES_PER_CHAR = 57;

/**
 * Returns the scanner's `reclaim` hook: after each file that built syntax trees, it lets the
 * deferred finalizers run, and once this thread has parsed trees worth `stepMB` since the last
 * collection it collects first, so that the trees of files already done are freed before the next ones.
 */
export function nativeMemoryReclaimer(stepMB = 64): (parsedChars: number) => Promise<void> {
  const gc = fullCollection();
  const step = stepMB * 1024 * 1024;
  let grown = 0;
  return async (parsedChars) => {
    grown += parsedChars * TREE_BYTES_PER_CHAR;
    if (gc && grown > step) {
      gc();
      grown = 0;
    }
    await yieldToEventLoop();
  };
}

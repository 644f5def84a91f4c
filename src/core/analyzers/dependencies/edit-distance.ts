// Restricted Damerau–Levenshtein (optimal string alignment) distance with a cap,
// used to compare package names. Names are short, so a plain row-based DP with an
// early exit is fast enough; the buffers are reused between calls.

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

function ensureCapacity(n: number): void {
  if (rowA.length >= n) return;
  const size = Math.max(n, rowA.length * 2);
  rowA = new Int32Array(size);
  rowB = new Int32Array(size);
  rowC = new Int32Array(size);
}

/**
 * Insertions, deletions, substitutions and swaps of two adjacent characters each cost 1.
 * Returns the distance when it is at most `max`, otherwise `max + 1`.
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la === 0 || lb === 0) return Math.max(la, lb) <= max ? Math.max(la, lb) : max + 1;
  ensureCapacity(lb + 1);
  let twoBack = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    const ca = a.charCodeAt(i - 1);
    const caPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      let best = prev[j - 1]! + (ca === cb ? 0 : 1);
      const del = prev[j]! + 1;
      if (del < best) best = del;
      const ins = cur[j - 1]! + 1;
      if (ins < best) best = ins;
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && caPrev === cb) {
        const swap = twoBack[j - 2]! + 1;
        if (swap < best) best = swap;
      }
      cur[j] = best;
      if (best < rowMin) rowMin = best;
    }
    if (rowMin > max) return max + 1;
    const spare = twoBack;
    twoBack = prev;
    prev = cur;
    cur = spare;
  }
  const d = prev[lb]!;
  return d <= max ? d : max + 1;
}

// The two sides of a change line by line, for analyzers that compare a file's base and head.

import type { ChangedFile } from '../model.js';

/**
 * Whether the change takes anything away from the file's base version (removed or replaced
 * lines, or a new name): only then can a comparison with the base find something removed.
 */
export function removesFromBase(file: Pick<ChangedFile, 'status' | 'deletedLineCount' | 'removedAfter'>): boolean {
  return file.status === 'deleted' || file.status === 'renamed' || file.status === 'copied' || file.deletedLineCount > 0 || file.removedAfter.length > 0;
}

/** How the base lines of a file map onto its head. */
export interface VersionMap {
  /** Base lines (1-based) the change removed, in order. */
  removed: number[];
  /** The head line of a kept base line; for a removed one, that of the next kept line (else the last head line). */
  headLineOf(baseLine: number): number;
}

/**
 * Maps the base lines of a file onto its head, given the lines the diff adds (`file.addedLines`:
 * not the analyzer's `added`, which holds every line of a renamed file, reviewed whole). The head lines the change did not add are the
 * base lines it kept, in order, so the base lines they do not account for are the removed
 * ones. Linear; where a removed line repeats a kept one nearby, the earlier is taken as kept
 * (the text removed is the same either way).
 */
export function mapVersions(base: readonly string[], head: readonly string[], addedLines: readonly number[]): VersionMap {
  const added = new Set(addedLines);
  const removed: number[] = [];
  // keptAt[b]: head line of base line b + 1, 0 when removed.
  const keptAt = new Uint32Array(base.length);
  let b = 0;
  for (let h = 0; h < head.length; h++) {
    if (added.has(h + 1)) continue;
    const kept = head[h];
    let at = b;
    while (at < base.length && base[at] !== kept) at++;
    // A kept line the base does not have (a diff from another revision): nothing to account for.
    if (at === base.length) continue;
    for (let r = b; r < at; r++) removed.push(r + 1);
    keptAt[at] = h + 1;
    b = at + 1;
  }
  for (let r = b; r < base.length; r++) removed.push(r + 1);
  const last = Math.max(1, head.length);
  return {
    removed,
    headLineOf(baseLine) {
      for (let i = baseLine - 1; i < base.length; i++) if (i >= 0 && keptAt[i]! > 0) return keptAt[i]!;
      return last;
    },
  };
}

/** Largest base × head size for which `diffLines` computes a real diff. */
const MAX_DIFF_CELLS = 4_000_000;

/**
 * A line diff of two small texts (longest common subsequence): the head lines added, and where
 * base lines were removed, as the head line each removal follows (0: before the first), like
 * ChangedFile. Past MAX_DIFF_CELLS every head line counts as added and every base line as removed.
 */
export function diffLines(base: readonly string[], head: readonly string[]): { added: number[]; removedAfter: number[]; deleted: number } {
  const n = base.length;
  const m = head.length;
  if (n * m > MAX_DIFF_CELLS) {
    return { added: head.map((_, i) => i + 1), removedAfter: n > 0 ? [0] : [], deleted: n };
  }
  // lcs[i][j]: length of the common subsequence of base[i..] and head[j..].
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = base[i] === head[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const added: number[] = [];
  const removedAfter = new Set<number>();
  let deleted = 0;
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && base[i] === head[j]) {
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i * width + j + 1]! > lcs[(i + 1) * width + j]!)) {
      added.push(++j);
    } else {
      removedAfter.add(j);
      deleted++;
      i++;
    }
  }
  return { added, removedAfter: [...removedAfter].sort((a, b) => a - b), deleted };
}

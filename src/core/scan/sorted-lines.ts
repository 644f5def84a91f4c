/** Binary search: does any of the sorted line numbers fall within [from, to]? */
export function anyLineWithin(sortedLines: readonly number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = sortedLines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sortedLines[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < sortedLines.length && sortedLines[lo]! <= to;
}

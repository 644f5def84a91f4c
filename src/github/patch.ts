// What the app needs from the `patch` of one file in GitHub's pull request files list:
// which head lines a review comment may be anchored on, and, for a new file, its whole
// text (so the app does not have to download it). Hand-written scanning, no regex: the
// patch is written by the party under review.

export interface Hunk {
  /** First and last head line the hunk shows (context or added), inclusive. */
  newStart: number;
  newEnd: number;
}

function readNumber(line: string, at: number): { value: number; end: number } | null {
  let end = at;
  while (end < line.length && end - at < 10 && line.charCodeAt(end) >= 48 && line.charCodeAt(end) <= 57) end++;
  if (end === at) return null;
  return { value: Number(line.slice(at, end)), end };
}

/** `@@ -a[,b] +c[,d] @@` → the head range, or null when the line is not a hunk header. */
export function parseHunkRange(line: string): { start: number; count: number } | null {
  if (!line.startsWith('@@ -')) return null;
  const plus = line.indexOf(' +', 4);
  if (plus < 0) return null;
  const start = readNumber(line, plus + 2);
  if (!start) return null;
  let count = 1;
  if (line[start.end] === ',') {
    const n = readNumber(line, start.end + 1);
    if (!n) return null;
    count = n.value;
  }
  return { start: start.value, count };
}

/** The head-side ranges of every hunk: lines GitHub accepts review comments on (side RIGHT). */
export function hunksOf(patch: string): Hunk[] {
  const hunks: Hunk[] = [];
  let from = 0;
  while (from < patch.length) {
    let to = patch.indexOf('\n', from);
    if (to < 0) to = patch.length;
    if (patch.startsWith('@@', from)) {
      const range = parseHunkRange(patch.slice(from, Math.min(to, from + 200)));
      if (range && range.count > 0) hunks.push({ newStart: range.start, newEnd: range.start + range.count - 1 });
    }
    from = to + 1;
  }
  return hunks;
}

/** The hunk containing both lines, if any (a multi-line comment must stay inside one hunk). */
export function hunkContaining(hunks: readonly Hunk[], first: number, last: number): Hunk | null {
  return hunks.find((h) => h.newStart <= first && last <= h.newEnd) ?? null;
}

/**
 * The whole text of a file the change adds, read from its patch: one hunk `@@ -0,0 +1,n @@`
 * of n added lines. Null when the patch is anything else.
 */
export function textOfAddedFile(patch: string): string | null {
  const lines = patch.split('\n');
  const range = parseHunkRange(lines[0] ?? '');
  if (!range || range.start !== 1 || !lines[0]!.startsWith('@@ -0,0 ')) return null;
  const out: string[] = [];
  let finalNewline = true;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('+')) out.push(line.slice(1));
    else if (line.startsWith('\\')) finalNewline = false;
    else if (line === '' && i === lines.length - 1) continue;
    else return null;
  }
  if (out.length !== range.count) return null;
  return out.length === 0 ? '' : out.join('\n') + (finalNewline ? '\n' : '');
}

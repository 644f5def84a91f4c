// The per-file `patch` GitHub returns from the pull request files endpoint: hunks
// without file headers. Review comments may only anchor on lines of these hunks.
import { structuredPatch } from 'diff';

export type DiffSide = 'LEFT' | 'RIGHT';

export interface PatchLine {
  kind: '+' | '-' | ' ' | '\\' | '@';
  /** Line number in the base file (deleted and context lines). */
  oldLine?: number;
  /** Line number in the head file (added and context lines). */
  newLine?: number;
  /** GitHub's legacy `position`: lines below the first `@@` header, counting later headers. */
  position: number;
  hunk: number;
  text: string;
}

export interface ParsedPatch {
  lines: PatchLine[];
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export function parsePatch(patch: string): ParsedPatch {
  const lines: PatchLine[] = [];
  let oldLine = 0;
  let newLine = 0;
  let hunk = -1;
  let position = -1;
  for (const text of patch.split('\n')) {
    const header = HUNK_HEADER.exec(text);
    if (header) {
      hunk += 1;
      position += 1;
      oldLine = Number(header[1]);
      newLine = Number(header[3]);
      // The first header is position 0 (not commentable); later headers take a position.
      lines.push({ kind: '@', position, hunk, text });
      continue;
    }
    if (hunk < 0) continue;
    const marker = text[0];
    if (marker === '+') {
      position += 1;
      lines.push({ kind: '+', newLine, position, hunk, text });
      newLine += 1;
    } else if (marker === '-') {
      position += 1;
      lines.push({ kind: '-', oldLine, position, hunk, text });
      oldLine += 1;
    } else if (marker === '\\') {
      position += 1;
      lines.push({ kind: '\\', position, hunk, text });
    } else if (marker === ' ') {
      position += 1;
      lines.push({ kind: ' ', oldLine, newLine, position, hunk, text });
      oldLine += 1;
      newLine += 1;
    }
  }
  return { lines };
}

/** The diff line a (line, side) pair points at, if that line is part of the diff. */
export function findLine(parsed: ParsedPatch, line: number, side: DiffSide): PatchLine | undefined {
  return parsed.lines.find((l) =>
    side === 'RIGHT' ? l.kind !== '-' && l.newLine === line : l.kind !== '+' && l.oldLine === line,
  );
}

export function findPosition(parsed: ParsedPatch, position: number): PatchLine | undefined {
  return parsed.lines.find((l) => l.position === position && (l.kind === '+' || l.kind === '-' || l.kind === ' '));
}

/** GitHub's `diff_hunk` of a comment: the hunk header and every line down to the commented one. */
export function diffHunkFor(parsed: ParsedPatch, target: PatchLine): string {
  return parsed.lines
    .filter((l) => l.hunk === target.hunk && l.position <= target.position)
    .map((l) => l.text)
    .join('\n');
}

function range(start: number, count: number): string {
  const shown = count === 0 ? start - 1 : start;
  return count === 1 ? String(shown) : `${shown},${count}`;
}

/** Builds a GitHub-style file patch (hunks only) from the base and head text of a file. */
export function makePatch(baseText: string, headText: string): string {
  const result = structuredPatch('a', 'b', baseText, headText, '', '', { context: 3 });
  return result.hunks
    .map((h) => [`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`, ...h.lines].join('\n'))
    .join('\n');
}

export function countChanges(patch: string): { additions: number; deletions: number } {
  let additions = 0;
  let deletions = 0;
  for (const line of parsePatch(patch).lines) {
    if (line.kind === '+') additions += 1;
    else if (line.kind === '-') deletions += 1;
  }
  return { additions, deletions };
}

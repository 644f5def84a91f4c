// `airlock-ignore <rule-id>[,<rule-id>…] -- reason` in a comment silences those rules on the
// same line and on the line below, as those lines stand in the base version. Only comments
// that already exist in the base count, and they cover only base lines that the change
// leaves as they were: the author of the change cannot silence its own findings, neither by
// writing a comment nor by putting new code under an old one.

import { anyLineWithin } from './sorted-lines.js';

export const SUPPRESSION_MARKER = 'airlock-ignore';

export interface Suppression {
  line: number;
  ruleIds: string[];
  reason: string;
}

const RULE_ID_CHARS = /^[a-z0-9.*-]+$/;

/** Parses one line; null when it carries no well-formed suppression. */
export function parseSuppression(text: string, line: number): Suppression | null {
  const at = text.indexOf(SUPPRESSION_MARKER);
  if (at < 0) return null;
  const rest = text.slice(at + SUPPRESSION_MARKER.length);
  if (rest.length > 0 && !/^\s/.test(rest)) return null;
  const sep = rest.indexOf('--');
  const idsPart = (sep >= 0 ? rest.slice(0, sep) : rest).trim();
  const reason = sep >= 0 ? stripCommentCloser(rest.slice(sep + 2).trim()) : '';
  const ruleIds = idsPart
    .split(/[\s,]+/)
    .filter(Boolean)
    .filter((id) => RULE_ID_CHARS.test(id));
  if (ruleIds.length === 0) return null;
  return { line, ruleIds, reason };
}

const COMMENT_CLOSERS = ['*/', '-->', '#}', '%>'];

function stripCommentCloser(text: string): string {
  for (const closer of COMMENT_CLOSERS) if (text.endsWith(closer)) return text.slice(0, -closer.length).trim();
  return text;
}

function covers(s: Suppression, ruleId: string): boolean {
  return s.ruleIds.some((id) => id === ruleId || (id.endsWith('.*') && ruleId.startsWith(id.slice(0, -1))));
}

/** How the change moved the base lines of one file, in head line numbers. */
export interface LineChanges {
  /** Head lines the change adds or modifies. */
  added: ReadonlySet<number>;
  /** Head lines after which the change removes base lines (0: before the first); sorted. */
  removedAfter: readonly number[];
}

/**
 * The head line holding the base line right after the one at head line `line` (itself
 * unchanged), or null when the change removed that base line. Lines the change inserts in
 * between are skipped: they were not there for the comment to cover.
 */
function nextBaseLine(line: number, lineCount: number, changes: LineChanges): number | null {
  let next = line + 1;
  while (next <= lineCount && changes.added.has(next)) next++;
  if (next > lineCount || anyLineWithin(changes.removedAfter, line, next - 1)) return null;
  return next;
}

/**
 * Suppressions of one file that already existed before the change, keyed by the head line
 * they apply to. A comment on a line the change adds does not count, and no line the change
 * adds is ever a target.
 */
export function baseSuppressions(lines: readonly string[], changes: LineChanges): Map<number, Suppression[]> {
  const byTarget = new Map<number, Suppression[]>();
  lines.forEach((text, index) => {
    const line = index + 1;
    if (changes.added.has(line) || !text.includes(SUPPRESSION_MARKER)) return;
    const s = parseSuppression(text, line);
    if (!s) return;
    const below = nextBaseLine(line, lines.length, changes);
    for (const target of below === null ? [line] : [line, below]) {
      const list = byTarget.get(target) ?? [];
      list.push(s);
      byTarget.set(target, list);
    }
  });
  return byTarget;
}

/**
 * The suppression, if any, that silences `ruleId` for a finding spanning [line, endLine].
 * A finding that starts on a line the change adds is never silenced, whatever follows it.
 */
export function findSuppression(
  byTarget: Map<number, Suppression[]>,
  added: ReadonlySet<number>,
  ruleId: string,
  line: number,
  endLine: number,
): Suppression | null {
  if (added.has(line)) return null;
  for (let l = line; l <= Math.min(endLine, line + 1); l++) {
    const hit = byTarget.get(l)?.find((s) => covers(s, ruleId));
    if (hit) return hit;
  }
  return null;
}

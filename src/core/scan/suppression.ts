// `airlock-ignore <rule-id>[,<rule-id>…] -- reason` in a comment silences those rules on the
// same line and on the line below. Only comments that already exist in the base version
// count: the author of the change under review cannot silence its own findings.

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

/**
 * Suppressions of one file that already existed before the change, keyed by the line they apply to.
 * `added` are the lines the change adds: a comment on one of those lines does not count.
 */
export function baseSuppressions(lines: readonly string[], added: ReadonlySet<number>): Map<number, Suppression[]> {
  const byTarget = new Map<number, Suppression[]>();
  lines.forEach((text, index) => {
    const line = index + 1;
    if (added.has(line) || !text.includes(SUPPRESSION_MARKER)) return;
    const s = parseSuppression(text, line);
    if (!s) return;
    for (const target of [line, line + 1]) {
      const list = byTarget.get(target) ?? [];
      list.push(s);
      byTarget.set(target, list);
    }
  });
  return byTarget;
}

/** The suppression, if any, that silences `ruleId` for a finding spanning [line, endLine]. */
export function findSuppression(
  byTarget: Map<number, Suppression[]>,
  ruleId: string,
  line: number,
  endLine: number,
): Suppression | null {
  for (let l = line; l <= Math.min(endLine, line + 1); l++) {
    const hit = byTarget.get(l)?.find((s) => covers(s, ruleId));
    if (hit) return hit;
  }
  return null;
}

// One finding per problem: the occurrences of one problem in one file (the same action left
// unpinned in twenty steps, the same secret on three lines) become one finding that lists its
// locations. Runs on the scan's result, before the verdict, so every count (the verdict, the
// summaries, the exit code) is a count of problems, not of lines.
//
// Two findings are the same problem when they have the same rule, the same file and the same
// key: an analyzer's key when it sets one (the action reference, the package, a digest of the
// secret), otherwise the whitespace-normalised matched text together with the message, so two
// different actions, or one construct that a rule explains differently at two places, stay two.

import { confidenceRank, type Finding, type FindingLocation, type ScanResult, type SuppressedFinding } from './model.js';
import { fingerprint } from './scan/fingerprint.js';

interface Group {
  first: Finding;
  members: Finding[];
}

function identity(f: Finding): string | null {
  if (!f.group) return null;
  const { key, analyzer } = f.group;
  return analyzer ? `${f.ruleId}\0${f.path}\0a\0${key}` : `${f.ruleId}\0${f.path}\0t\0${key}\0${f.message}`;
}

function byPlace(a: Finding, b: Finding): number {
  return a.line - b.line || (a.column ?? 0) - (b.column ?? 0) || a.endLine - b.endLine;
}

function withoutGroup(f: Finding): Finding {
  if (!f.group) return f;
  const { group: _group, ...rest } = f;
  return rest;
}

/**
 * The fingerprint of a group: rule, path and key, with the group's rank among the groups of
 * the same rule, path and key (by first line) for the rare key two problems share (one matched
 * text explained by two messages). No line number and no count: adding an occurrence of a
 * problem anywhere in the file leaves the fingerprint of its group as it was, so an allowance
 * given for it keeps working. For matched text it is the fingerprint the first occurrence had
 * before grouping existed.
 */
function groupFingerprint(first: Finding, rank: number): string {
  return fingerprint(first.ruleId, first.path, first.group!.key, rank);
}

/** Merges the occurrences of each problem into one finding; order of first occurrences is kept. */
export function groupFindings(findings: readonly Finding[]): Finding[] {
  const groups = new Map<string, Group>();
  const order: (Group | Finding)[] = [];
  for (const f of findings) {
    const id = identity(f);
    if (id === null) {
      order.push(f);
      continue;
    }
    const group = groups.get(id);
    if (group) group.members.push(f);
    else {
      const created: Group = { first: f, members: [f] };
      groups.set(id, created);
      order.push(created);
    }
  }
  // Ranks among groups that share rule, path and key, in order of their first location.
  const ranks = new Map<Group, number>();
  const sharing = new Map<string, Group[]>();
  for (const group of groups.values()) {
    group.members.sort(byPlace);
    const { ruleId, path } = group.first;
    const key = `${ruleId}\0${path}\0${group.first.group!.key}`;
    const list = sharing.get(key);
    if (list) list.push(group);
    else sharing.set(key, [group]);
  }
  for (const list of sharing.values()) {
    list.sort((a, b) => byPlace(a.members[0]!, b.members[0]!) || a.members[0]!.message.localeCompare(b.members[0]!.message));
    list.forEach((group, i) => ranks.set(group, i));
  }
  return order.map((entry) => ('members' in entry ? merge(entry, ranks.get(entry) ?? 0) : withoutGroup(entry)));
}

function merge(group: Group, rank: number): Finding {
  const [primary, ...rest] = group.members as [Finding, ...Finding[]];
  const base = withoutGroup(primary);
  const fp = groupFingerprint(primary, rank);
  if (rest.length === 0) return { ...base, fingerprint: fp };
  // The surest occurrence decides how sure the finding is: one confident occurrence is enough to block.
  const confidence = group.members.reduce((best, m) => (confidenceRank(m.confidence) > confidenceRank(best) ? m.confidence : best), primary.confidence);
  const locations: FindingLocation[] = group.members.map((m) => ({ line: m.line, endLine: m.endLine, column: m.column }));
  return { ...base, confidence, fingerprint: fp, locations };
}

/** The scan result with one finding per problem; suppressed occurrences stay one per line (each has its own comment). */
export function groupResult(result: ScanResult): ScanResult {
  const suppressed: SuppressedFinding[] = result.suppressed.map((s) => (s.finding.group ? { ...s, finding: withoutGroup(s.finding) } : s));
  return { ...result, findings: groupFindings(result.findings), suppressed };
}

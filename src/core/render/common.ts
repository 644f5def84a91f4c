// Helpers shared by the renderers: one ordering of findings, one way to count them,
// and one way to make untrusted text (paths, snippets, evidence) safe to show.

import { SEVERITIES, locationsOf, severityRank } from '../model.js';
import type { Finding, IgnoredFiles, Severity, SuppressedFinding } from '../model.js';

/** Plain code-unit comparison: stable across machines and locales, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Order used by every listing: path, line, rule, then column and fingerprint for a total order. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.path, b.path) ||
    a.line - b.line ||
    compareText(a.ruleId, b.ruleId) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

/** Most severe first, then the usual path/line/rule order. */
export function compareBySeverity(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || compareFindings(a, b);
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

export function sortSuppressed(suppressed: readonly SuppressedFinding[]): SuppressedFinding[] {
  return [...suppressed].sort((a, b) => compareFindings(a.finding, b.finding));
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

/** "1 critical, 2 high" (most severe first, zero counts left out); "" when all are zero. */
export function describeCounts(counts: Record<Severity, number>): string {
  return SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
}

/** Line numbers listed after a grouped finding's primary location; the rest are counted. */
export const MORE_LINES_SHOWN = 10;

/**
 * The other places of a grouped finding: "and 2 more: lines 20, 31" (at most MORE_LINES_SHOWN
 * numbers, then "…"); null when the finding has one location.
 */
export function moreLocations(f: Pick<Finding, 'line' | 'endLine' | 'column' | 'locations'>): string | null {
  const rest = locationsOf(f).slice(1);
  if (rest.length === 0) return null;
  const lines = rest.slice(0, MORE_LINES_SHOWN).map((l) => String(l.line));
  const cut = rest.length > MORE_LINES_SHOWN ? ', …' : '';
  return `and ${rest.length} more: ${rest.length === 1 ? 'line' : 'lines'} ${lines.join(', ')}${cut}`;
}

/** One rule's share of a report: how many problems (findings) it has, at how many places. */
export interface RuleCount {
  ruleId: string;
  title: string;
  /** The most severe of its findings. */
  severity: Severity;
  findings: number;
  locations: number;
}

/** Findings counted per rule, most severe first, then most findings, then rule id. */
export function countByRule(findings: readonly Finding[]): RuleCount[] {
  const byRule = new Map<string, RuleCount>();
  for (const f of findings) {
    const places = locationsOf(f).length;
    const entry = byRule.get(f.ruleId);
    if (!entry) byRule.set(f.ruleId, { ruleId: f.ruleId, title: f.title, severity: f.severity, findings: 1, locations: places });
    else {
      entry.findings += 1;
      entry.locations += places;
      if (severityRank(f.severity) > severityRank(entry.severity)) entry.severity = f.severity;
    }
  }
  return [...byRule.values()].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || b.findings - a.findings || compareText(a.ruleId, b.ruleId),
  );
}

/** "3 findings" or "1 finding at 20 places" when the findings have more places than there are findings. */
export function describeRuleCount(c: Pick<RuleCount, 'findings' | 'locations'>): string {
  const places = c.locations > c.findings ? ` at ${plural(c.locations, 'place')}` : '';
  return `${plural(c.findings, 'finding')}${places}`;
}

/**
 * Why a finding is lower than its rule says, when its file's context lowered it:
 * `test file (under test/): lowered from high, high confidence`. Null otherwise.
 */
export function contextNote(f: Finding): string | null {
  const original = f.context?.original;
  if (!f.context || !original) return null;
  return `${f.context.kind} file (${f.context.reason}): lowered from ${original.severity}, ${original.confidence} confidence`;
}

export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

const IGNORED_GLOBS_SHOWN = 10;

/**
 * Why some changed files were not reviewed by design: "2 files excluded by ignore_paths
 * (vendor/**)". `code` formats the field name and each glob (every renderer escapes in its
 * own way); null when the configuration excluded nothing.
 */
export function describeIgnored(ignored: IgnoredFiles, code: (text: string) => string): string | null {
  if (ignored.files === 0) return null;
  const shown = ignored.globs.slice(0, IGNORED_GLOBS_SHOWN).map(code);
  const more = ignored.globs.length - shown.length;
  return `${plural(ignored.files, 'file')} excluded by ${code('ignore_paths')} (${shown.join(', ')}${more > 0 ? `, ${more} more` : ''})`;
}

function isInvisible(cp: number): boolean {
  return (
    cp === 0x00ad || // soft hyphen
    cp === 0x061c || // Arabic letter mark (bidi)
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x3164 || // Hangul fillers render as blanks
    cp === 0x180e ||
    (cp >= 0x200b && cp <= 0x200f) || // zero-width characters, LRM/RLM
    (cp >= 0x2028 && cp <= 0x202e) || // line/paragraph separators, bidi embeddings and overrides
    (cp >= 0x2060 && cp <= 0x2064) ||
    (cp >= 0x2066 && cp <= 0x2069) || // bidi isolates
    cp === 0xfeff ||
    (cp >= 0xfff9 && cp <= 0xfffb) ||
    (cp >= 0xe0000 && cp <= 0xe007f) || // Unicode tag characters
    (cp >= 0xe0100 && cp <= 0xe01ef) // variation selectors supplement
  );
}

function hex(cp: number, width: number): string {
  return cp.toString(16).toUpperCase().padStart(width, '0');
}

/**
 * Makes untrusted text safe to display on one line: control characters (C0, DEL, C1,
 * which include ESC and so every terminal escape sequence) become visible escapes such
 * as `\n` or `\x1B`, invisible and bidi characters become `\u{202E}`, and lone surrogates
 * become U+FFFD. Linear time, no regex.
 */
export function visible(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x0a) out += '\\n';
    else if (cp === 0x0d) out += '\\r';
    else if (cp === 0x09) out += '\\t';
    else if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp <= 0x9f)) out += `\\x${hex(cp, 2)}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\uFFFD';
    else if (isInvisible(cp)) out += `\\u{${hex(cp, 4)}}`;
    else out += ch;
  }
  return out;
}

/** Shortens text to at most `max` UTF-16 units (ellipsis included) without splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** Replaces lone surrogates with U+FFFD so the text encodes to valid UTF-8. */
export function wellFormed(text: string): string {
  let out = '';
  let changed = false;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += '\uFFFD';
      changed = true;
    } else out += ch;
  }
  return changed ? out : text;
}

/** Length of the UTF-8 encoding; never smaller than the UTF-16 length, so a limit on it holds for both. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

// The summary GitHub shows on the check run (and that the CLI prints with --format markdown).
// Everything taken from the pull request (paths, messages, evidence, reasons) is hostile:
// it is made visible on one line and entity-escaped so it cannot open markup, close our
// HTML, ping people or link issues. The text never exceeds `maxChars`: when it would,
// whole rows are left out (least important first) and a closing line says how many.

import { locationsOf } from '../model.js';
import type { Finding, Severity, Verdict } from '../model.js';
import { blocksUnder, heldBackPhrase } from '../verdict.js';
import {
  clip,
  compareBySeverity,
  compareText,
  contextNote,
  countByRule,
  countBySeverity,
  describeCounts,
  describeIgnored,
  describeRuleCount,
  moreLocations,
  plural,
  sortSuppressed,
  utf8Length,
  visible,
} from './common.js';
import type { Report } from './report.js';
import { ruleDocUrl } from '../docs/links.js';

/** GitHub allows 65,535 characters in a check run summary; stay a little below. */
export const DEFAULT_MARKDOWN_MAX_CHARS = 65_000;

export interface MarkdownOptions {
  /** Findings the maintainers accepted (the app's `/airlock allow`): the headline says so instead of "no findings". */
  accepted?: number;
  /** Upper bound on the length of the result. It is checked against the UTF-8 byte length,
   *  which is never smaller than the character count, so it holds however GitHub counts. */
  maxChars?: number;
}

// Characters with a meaning in GitHub markdown, written as numeric entities: they render
// as themselves but can never start emphasis, code, links, tables, HTML or math.
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\\': '&#92;',
  // A backslash escape, not an entity: it can never open a code span, and it reads as a backtick.
  '`': '\\`',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '|': '&#124;',
  '~': '&#126;',
  $: '&#36;',
};
const ZERO_WIDTH_SPACE = '&#8203;';

function isAlnum(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
}

/**
 * Escapes one line of already visible text for markdown. A zero-width space also breaks
 * `@user`/`@org/team` mentions, `#123` references and autolinks (`https://`, `www.`),
 * which GitHub would otherwise act on even inside escaped text.
 */
export function escapeMarkdown(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const entity = ENTITIES[c];
    if (entity !== undefined) out += entity;
    else if (c === '@' && isAlnum(text[i + 1])) out += `@${ZERO_WIDTH_SPACE}`;
    else if (c === '#' && text[i + 1] !== undefined && text[i + 1]! >= '0' && text[i + 1]! <= '9') {
      out += `#${ZERO_WIDTH_SPACE}`;
    } else if (c === ':' && text[i + 1] === '/' && text[i + 2] === '/') out += `:${ZERO_WIDTH_SPACE}`;
    else if ((c === 'w' || c === 'W') && text.slice(i, i + 4).toLowerCase() === 'www.') {
      out += `${text.slice(i, i + 3)}${ZERO_WIDTH_SPACE}`;
      i += 2;
    } else out += c;
  }
  return out;
}

/** Untrusted text as safe inline markdown of bounded length. */
export function mdText(text: string, max: number): string {
  return escapeMarkdown(clip(visible(clip(text, max)), max));
}

/** The longest run of backticks in the text. */
function longestBacktickRun(text: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === '`' ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

/** A fence (or code span delimiter) longer than any run of backticks in the text, so the text cannot close it. */
export function fenceFor(text: string, min = 3): string {
  return '`'.repeat(Math.max(min, longestBacktickRun(text) + 1));
}

export interface InlineOptions {
  /** The text goes into a table cell: `|` would end the cell even inside a code span, so it is escaped. */
  inTable?: boolean;
}

/** Already visible, bounded text as one code span that nothing inside can close or leave. */
function codeSpanOf(text: string, inTable: boolean): string {
  if (text === '') return '` `';
  const delimiter = fenceFor(text, 1);
  // A space on each side keeps a backtick at either end from joining the delimiter (CommonMark strips one of each).
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ')) ? ' ' : '';
  const body = inTable ? text.replaceAll('|', '\\|') : text;
  return `${delimiter}${pad}${body}${pad}${delimiter}`;
}

/**
 * Untrusted text in monospace, as a markdown code span: made visible on one line and bounded,
 * delimited by more backticks than any run inside it. Nothing in a code span is markup, HTML,
 * a mention, a reference or a link, so nothing else needs escaping.
 */
export function mdCode(text: string, max: number, opts: InlineOptions = {}): string {
  return codeSpanOf(clip(visible(clip(text, max)), max), opts.inTable ?? false);
}

/**
 * Text written with `code` spans that should render as code (rule messages, fix hints,
 * reasons), even when part of it comes from the change: each well-formed code span (a run of
 * backticks closed by a run of the same length, as CommonMark pairs them) becomes a code span of
 * its own via mdCode's delimiters, everything else is escaped like mdText. An unpaired backtick
 * stays a literal backtick.
 */
export function mdInline(text: string, max: number, opts: InlineOptions = {}): string {
  const shown = clip(visible(clip(text, max)), max);
  const inTable = opts.inTable ?? false;
  let out = '';
  let plain = '';
  let i = 0;
  while (i < shown.length) {
    if (shown[i] !== '`') {
      plain += shown[i];
      i += 1;
      continue;
    }
    let n = 0;
    while (shown[i + n] === '`') n += 1;
    const close = closingRun(shown, i + n, n);
    if (close < 0) {
      plain += shown.slice(i, i + n);
      i += n;
      continue;
    }
    let inner = shown.slice(i + n, close);
    if (inner.length > 1 && inner.startsWith(' ') && inner.endsWith(' ') && inner.trim() !== '') inner = inner.slice(1, -1);
    out += escapeMarkdown(plain) + codeSpanOf(inner, inTable);
    plain = '';
    i = close + n;
  }
  return out + escapeMarkdown(plain);
}

/** Index of the next run of exactly `n` backticks at or after `from`, or -1. */
function closingRun(text: string, from: number, n: number): number {
  let i = from;
  while (i < text.length) {
    if (text[i] !== '`') {
      i += 1;
      continue;
    }
    let m = 0;
    while (text[i + m] === '`') m += 1;
    if (m === n) return i;
    i += m;
  }
  return -1;
}

const PATH_MAX = 200;
const RULE_MAX = 100;
const TITLE_MAX = 150;
const REASON_MAX = 300;
const EVIDENCE_MAX = 300;
const FIX_MAX = 400;

const SEVERITY_ICON: Record<Severity, string> = {
  critical: '🔴',
  high: '🟠',
  medium: '🟡',
  low: '🔵',
  info: '⚪',
};

// When space is short, rows are kept in priority order. The first few lines of evidence,
// unreviewed files and fix hints (priority 0) go before any table row: they are short and
// say the most. Their number is small so hostile long paths cannot crowd the table out.
const ESSENTIAL_EVIDENCE = 3;
const ESSENTIAL_NOT_REVIEWED = 5;
const ESSENTIAL_FIXES = 5;
const ESSENTIAL_RULES = 10;

interface Row {
  text: string;
  /** Lower is kept first when space runs out. */
  priority: number;
}

interface Section {
  kind: 'evidence' | 'byRule' | 'findings' | 'notReviewed' | 'fixes' | 'suppressed';
  /** Written before the first row, only when at least one row is written. */
  head: string;
  rows: Row[];
  /** Written after the last row written (closes a collapsed list). */
  tail?: string;
}

/** Lists longer than this are collapsed under their heading (a click shows them). */
export const COLLAPSE_OVER: Readonly<Record<Section['kind'], number>> = {
  evidence: Infinity,
  byRule: 10,
  findings: 30,
  notReviewed: 10,
  fixes: 10,
  suppressed: 5,
};

/**
 * A long list folded into `<details>`: the heading stays visible, the rows show on a click. The
 * blank line after `<summary>` makes GitHub read the rows as markdown again, and every row
 * starts with `- ` or `| `, so nothing in a row can end the HTML block early.
 */
function collapsible(section: Section, heading: string, intro: string, what: string): Section {
  if (section.rows.length <= COLLAPSE_OVER[section.kind]) return { ...section, head: heading + intro + section.head };
  return {
    ...section,
    head: `${heading}${intro}<details><summary>Show ${what}</summary>\n\n${section.head}`,
    tail: '\n</details>\n',
  };
}

function headline(report: Report, findings: readonly Finding[], acceptedCount = 0): string {
  const { verdict } = report;
  if (!report.reviewed) {
    return `**Not reviewed: ${mdInline(report.notReviewedReason ?? 'no reason given', REASON_MAX)}**`;
  }
  const held = verdict.heldBack.length > 0 ? heldBackPhrase(verdict.heldBack.length, verdict.failOn, verdict.failConfidence) : null;
  if (verdict.blocking.length > 0) {
    const counts = describeCounts(countBySeverity(verdict.blocking));
    return `**Airlock: ${plural(verdict.blocking.length, 'blocking finding')} (${counts})**${held ? ` (${held})` : ''}`;
  }
  if (verdict.conclusion === 'failure') {
    // No blocking finding, yet it fails: files of the change could not be reviewed.
    const unreviewed = plural(report.result.notReviewed.length, 'file');
    return `**Airlock: ${unreviewed} not reviewed** (the check fails until every file of the change is reviewed)`;
  }
  const accepted = acceptedCount > 0 ? `${plural(acceptedCount, 'finding')} accepted by maintainers` : null;
  if (findings.length > 0) {
    const counts = describeCounts(countBySeverity(findings));
    const why = held ?? `the check fails on ${verdict.failOn} or above`;
    return `**Airlock: no blocking findings** (${counts}; ${why}${accepted ? `; ${accepted}` : ''})`;
  }
  return accepted ? `**Airlock: no open findings** (${accepted}, listed below)` : '**Airlock: no findings**';
}

function summaryLine(report: Report, findings: readonly Finding[]): string {
  const { result, verdict } = report;
  const parts = [
    // Observe mode concludes neutral where enforce would fail: the summary says so, as the check does.
    verdict.mode === 'observe' && verdict.conclusion === 'neutral' ? `Conclusion: **neutral** (observe mode: enforce would fail)` : `Conclusion: **${verdict.conclusion}**`,
    `fails on **${verdict.failOn}** or above (confidence **${verdict.failConfidence}** or above)`,
  ];
  if (report.reviewed) {
    const places = findings.reduce((n, f) => n + locationsOf(f).length, 0);
    parts.push(places > findings.length ? `${plural(findings.length, 'finding')} at ${plural(places, 'place')}` : plural(findings.length, 'finding'));
    if (result.notReviewed.length > 0) parts.push(`${plural(result.notReviewed.length, 'file')} not reviewed`);
    const ignored = describeIgnored(result.ignored, (t) => mdCode(t, PATH_MAX));
    if (ignored) parts.push(ignored);
    if (result.suppressed.length > 0) parts.push(`${result.suppressed.length} suppressed`);
  }
  parts.push(`compared ${mdCode(report.base, PATH_MAX)}...${mdCode(report.head, PATH_MAX)}`);
  return parts.join(' · ');
}

function authorshipLine(report: Report): string {
  const { authorship } = report;
  if (authorship.unknown !== undefined) return `AI-authored: **unknown**, reviewed: ${mdText(authorship.unknown, EVIDENCE_MAX)}`;
  if (!authorship.ai) return 'AI-authored: **no**';
  return `AI-authored: **yes**${authorship.agent ? ` (${mdText(authorship.agent, TITLE_MAX)})` : ''}`;
}

/** A rule id in monospace, linked to the rule's page when it has one. */
export function ruleRef(report: Pick<Report, 'ruleDocs'>, ruleId: string, opts: InlineOptions = {}): string {
  const code = mdCode(ruleId, RULE_MAX, opts);
  const url = ruleDocUrl(report.ruleDocs, ruleId);
  return url ? `[${code}](<${url}>)` : code;
}

/** A finding that blocks has its severity in bold. */
function findingRow(report: Report, f: Finding, verdict: Verdict): string {
  const severity = blocksUnder(verdict, f) ? `**${f.severity}**` : f.severity;
  const more = moreLocations(f);
  const lowered = contextNote(f);
  const cell = { inTable: true };
  const title = lowered ? `${mdInline(f.title, TITLE_MAX, cell)} (${mdText(lowered, TITLE_MAX)})` : mdInline(f.title, TITLE_MAX, cell);
  const location = mdCode(`${clip(f.path, PATH_MAX)}:${f.line}`, PATH_MAX + 12, cell) + (more ? ` ${mdText(more, 120)}` : '');
  return `| ${SEVERITY_ICON[f.severity]} ${severity} | ${f.confidence} | ${ruleRef(report, f.ruleId, cell)} | ${location} | ${title} |\n`;
}

function fixRows(report: Report, bySeverity: readonly Finding[]): Row[] {
  const ruleFix = new Map(report.rules.map((r) => [r.id, r.fix]));
  const groups = new Map<string, { finding: Finding; fix: string; count: number }>();
  for (const f of bySeverity) {
    const fix = f.fix?.description ?? ruleFix.get(f.ruleId) ?? null;
    if (!fix) continue;
    const key = `${f.ruleId}\u0000${fix}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { finding: f, fix, count: 1 });
  }
  return [...groups.values()].map(({ finding, fix, count }, i) => ({
    text: `- **${mdInline(finding.title, TITLE_MAX)}** (${ruleRef(report, finding.ruleId)}, ${plural(count, 'finding')}): ${mdInline(fix, FIX_MAX)}\n`,
    priority: i < ESSENTIAL_FIXES ? 0 : 3,
  }));
}

function buildSections(report: Report, bySeverity: readonly Finding[]): Section[] {
  const { result, verdict } = report;
  const evidence: Section = {
    kind: 'evidence',
    head: '',
    rows: report.authorship.evidence.map((e, i) => ({
      text: `- ${mdText(e, EVIDENCE_MAX)}\n`,
      priority: i < ESSENTIAL_EVIDENCE ? 0 : 5,
    })),
  };
  const ruleRows = countByRule(bySeverity);
  const byRule = collapsible(
    {
      kind: 'byRule',
      head: '',
      rows: ruleRows.map((r, i) => ({
        text: `- ${SEVERITY_ICON[r.severity]} ${r.severity} ${ruleRef(report, r.ruleId)} ${mdInline(r.title, TITLE_MAX)}: ${describeRuleCount(r)}\n`,
        priority: i < ESSENTIAL_RULES ? 0 : 2,
      })),
    },
    `\n### By rule\n\n`,
    '',
    `all ${ruleRows.length} rules`,
  );
  const findings = collapsible(
    {
      kind: 'findings',
      head: '| Severity | Confidence | Rule | Location | Title |\n| --- | --- | --- | --- | --- |\n',
      rows: bySeverity.map((f) => ({ text: findingRow(report, f, verdict), priority: 1 })),
    },
    `\n### Findings (${bySeverity.length})\n\n`,
    '',
    `all ${bySeverity.length} findings`,
  );
  const notReviewed = collapsible(
    {
      kind: 'notReviewed',
      head: '',
      rows: [...result.notReviewed]
      .sort((a, b) => compareText(a.path, b.path))
      .map((n, i) => ({
        text: `- ${mdCode(n.path, PATH_MAX)}: ${mdInline(n.reason, REASON_MAX)}\n`,
        priority: i < ESSENTIAL_NOT_REVIEWED ? 0 : 2,
      })),
    },
    `\n### Not reviewed (${plural(result.notReviewed.length, 'file')})\n\n`,
    'Airlock did not scan these files; review them by hand.\n\n',
    `all ${plural(result.notReviewed.length, 'file')}`,
  );
  const fixRowList = fixRows(report, bySeverity);
  const fixes = collapsible({ kind: 'fixes', head: '', rows: fixRowList }, '\n### How to fix\n\n', '', `all ${plural(fixRowList.length, 'fix hint')}`);
  const suppressed = collapsible(
    {
      kind: 'suppressed',
      head: '',
      rows: sortSuppressed(result.suppressed).map((s) => ({
        text: `- ${mdCode(`${clip(s.finding.path, PATH_MAX)}:${s.finding.line}`, PATH_MAX + 12)} ${ruleRef(report, s.finding.ruleId)}: ${mdInline(s.reason, REASON_MAX)}\n`,
        priority: 4,
      })),
    },
    `\n### Suppressed (${result.suppressed.length})\n\n`,
    'Silenced by suppression comments already present in the base branch.\n\n',
    `all ${result.suppressed.length}`,
  );
  return [evidence, byRule, findings, notReviewed, fixes, suppressed];
}

function omissionNote(omitted: Record<Section['kind'], number>, totalFindings: number): string {
  const parts: string[] = [];
  if (omitted.findings > 0) parts.push(`${omitted.findings} of ${plural(totalFindings, 'finding')}`);
  if (omitted.byRule > 0) parts.push(`${plural(omitted.byRule, 'rule')} of the count by rule`);
  if (omitted.notReviewed > 0) parts.push(`${plural(omitted.notReviewed, 'not-reviewed file')}`);
  if (omitted.suppressed > 0) parts.push(`${omitted.suppressed} suppressed`);
  if (omitted.fixes > 0) parts.push(`${plural(omitted.fixes, 'fix hint')}`);
  if (omitted.evidence > 0) parts.push(`${plural(omitted.evidence, 'line')} of evidence`);
  return (
    `\n_Left out to stay within GitHub's size limit: ${parts.join(', ')}. ` +
    'See the full report (`airlock scan --format json`, or the SARIF upload) for everything._\n'
  );
}

/** Cuts whole lines (or, for one overlong line, characters) until the text fits. */
function fitLines(text: string, max: number): string {
  let out = '';
  let used = 0;
  for (const line of text.split('\n')) {
    const piece = out === '' ? line : `\n${line}`;
    const size = utf8Length(piece);
    if (used + size > max) {
      if (out !== '') return out;
      let cut = '';
      for (const ch of line) {
        if (utf8Length(cut + ch) > max) break;
        cut += ch;
      }
      return cut;
    }
    out += piece;
    used += size;
  }
  return out;
}

export function renderMarkdown(report: Report, opts: MarkdownOptions = {}): string {
  const requested = opts.maxChars ?? DEFAULT_MARKDOWN_MAX_CHARS;
  const maxChars = Number.isFinite(requested) ? Math.max(0, Math.floor(requested)) : DEFAULT_MARKDOWN_MAX_CHARS;
  const bySeverity = [...report.result.findings].sort(compareBySeverity);
  const top =
    `${headline(report, bySeverity, opts.accepted ?? 0)}\n\n${summaryLine(report, bySeverity)}\n\n` +
    `### Authorship\n\n${authorshipLine(report)}\n` +
    (report.authorship.evidence.length === 0 ? '' : '\n');
  const sections = buildSections(report, bySeverity).filter((s) => s.rows.length > 0);

  const full = top + sections.map((s) => s.head + s.rows.map((r) => r.text).join('') + (s.tail ?? '')).join('');
  if (utf8Length(full) <= maxChars) return full;

  // Too long: keep rows by priority (then document order), each section's rows as a prefix.
  const totals = { evidence: 0, byRule: 0, findings: 0, notReviewed: 0, fixes: 0, suppressed: 0 };
  for (const s of sections) totals[s.kind] = s.rows.length;
  const reserve = utf8Length(omissionNote(totals, bySeverity.length));
  const budget = maxChars - reserve;
  let used = utf8Length(top);
  if (used > budget) return fitLines(top, maxChars);

  const order = sections
    .flatMap((s, si) => s.rows.map((row, ri) => ({ si, ri, priority: row.priority })))
    .sort((a, b) => a.priority - b.priority || a.si - b.si || a.ri - b.ri);
  const keptCount = sections.map(() => 0);
  const closed = sections.map(() => false);
  for (const { si, ri } of order) {
    if (closed[si]) continue;
    const section = sections[si]!;
    const cost = utf8Length(section.rows[ri]!.text) + (keptCount[si] === 0 ? utf8Length(section.head) + utf8Length(section.tail ?? '') : 0);
    if (used + cost <= budget) {
      used += cost;
      keptCount[si] = keptCount[si]! + 1;
    } else closed[si] = true;
  }

  const omitted = { evidence: 0, byRule: 0, findings: 0, notReviewed: 0, fixes: 0, suppressed: 0 };
  let out = top;
  sections.forEach((s, si) => {
    const kept = keptCount[si]!;
    omitted[s.kind] = s.rows.length - kept;
    if (kept > 0) out += s.head + s.rows.slice(0, kept).map((r) => r.text).join('') + (s.tail ?? '');
  });
  return out + omissionNote(omitted, bySeverity.length);
}

// Terminal output of `airlock scan`: authorship, then findings grouped by file, then the
// count per rule and a one-line summary. Anything taken from the change goes through
// `visible`, so a hostile path, snippet or commit message cannot write escape sequences to
// the terminal; the only escape sequences in the output are our own colours, and only when
// asked for.

import { SEVERITIES } from '../model.js';
import type { Conclusion, Finding, Severity } from '../model.js';
import {
  clip,
  compareFindings,
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
  visible,
} from './common.js';
import { heldBackPhrase } from '../verdict.js';
import type { Report } from './report.js';

export interface TextOptions {
  color: boolean;
}

const RESET = '\x1b[0m';
const SEVERITY_COLOR: Record<Severity, string> = {
  critical: '\x1b[1;35m',
  high: '\x1b[31m',
  medium: '\x1b[33m',
  low: '\x1b[36m',
  info: '\x1b[2m',
};
const CONCLUSION_COLOR: Record<Conclusion, string> = {
  failure: '\x1b[1;31m',
  success: '\x1b[32m',
  neutral: '\x1b[33m',
};
const BOLD = '\x1b[1m';

const SEVERITY_WIDTH = Math.max(...SEVERITIES.map((s) => s.length));
const PATH_MAX = 300;
const LINE_MAX = 500;
const SNIPPET_MAX = 200;
const MESSAGE_LINES_MAX = 20;

/** Untrusted text on one line, bounded. */
function show(text: string, max = LINE_MAX): string {
  return clip(visible(clip(text, max)), max);
}

/** Multi-line text from rules (wrapped messages) as separate lines; each line still made safe. */
function showLines(text: string): string[] {
  const lines = text
    .trim()
    .split('\n')
    .map((l) => show(l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length <= MESSAGE_LINES_MAX) return lines;
  return [...lines.slice(0, MESSAGE_LINES_MAX), `… (${lines.length - MESSAGE_LINES_MAX} more lines)`];
}

export function renderText(report: Report, opts: TextOptions): string {
  const paint = (code: string, text: string) => (opts.color ? `${code}${text}${RESET}` : text);
  const { authorship, result } = report;
  const out: string[] = [];

  out.push(`Airlock ${show(report.tool.version, 40)} · ${show(report.base, 200)}...${show(report.head, 200)}`);
  if (authorship.unknown !== undefined) out.push(`AI-authored: unknown, reviewed: ${show(authorship.unknown)}`);
  else out.push(`AI-authored: ${authorship.ai ? 'yes' : 'no'}${authorship.agent ? ` (${show(authorship.agent, 100)})` : ''}`);
  for (const e of authorship.evidence) out.push(`  evidence: ${show(e)}`);
  if (!report.reviewed) out.push(`Not reviewed: ${show(report.notReviewedReason ?? 'no reason given')}`);

  const byFile = new Map<string, Finding[]>();
  for (const f of [...result.findings].sort(compareFindings)) {
    const list = byFile.get(f.path);
    if (list) list.push(f);
    else byFile.set(f.path, [f]);
  }
  for (const [path, findings] of byFile) {
    out.push('', paint(BOLD, show(path, PATH_MAX)));
    const locations = findings.map((f) => (f.column !== null ? `${f.line}:${f.column}` : `${f.line}`));
    const width = Math.max(...locations.map((l) => l.length));
    const indent = ' '.repeat(2 + width + 2);
    findings.forEach((f, i) => {
      const severity = paint(SEVERITY_COLOR[f.severity], f.severity.padEnd(SEVERITY_WIDTH));
      out.push(`  ${locations[i]!.padEnd(width)}  ${severity}  ${show(f.ruleId, 120)}  ${show(f.title, 200)}  (${f.confidence} confidence)`);
      for (const line of showLines(f.message)) out.push(`${indent}${line}`);
      const lowered = contextNote(f);
      if (lowered) out.push(`${indent}${show(lowered)}`);
      if (f.snippet) out.push(`${indent}> ${show(f.snippet.trim(), SNIPPET_MAX)}`);
      const more = moreLocations(f);
      if (more) out.push(`${indent}${more}`);
      if (f.fix) out.push(`${indent}fix: ${show(f.fix.description)}`);
    });
  }

  if (result.findings.length > 0) {
    out.push('', 'By rule:');
    const rules = countByRule(result.findings);
    const width = Math.max(...rules.map((r) => r.ruleId.length));
    for (const r of rules) {
      const severity = paint(SEVERITY_COLOR[r.severity], r.severity.padEnd(SEVERITY_WIDTH));
      out.push(`  ${severity}  ${show(r.ruleId, 120).padEnd(Math.min(width, 120))}  ${describeRuleCount(r)}`);
    }
  }

  if (result.notReviewed.length > 0) {
    out.push('', 'Not reviewed:');
    for (const n of [...result.notReviewed].sort((a, b) => compareText(a.path, b.path))) {
      out.push(`  ${show(n.path, PATH_MAX)}  ${show(n.reason)}`);
    }
  }
  const ignored = describeIgnored(result.ignored, (t) => show(t, PATH_MAX));
  if (ignored) out.push('', `Not reviewed by configuration: ${ignored}`);
  if (result.suppressed.length > 0) {
    out.push('', 'Suppressed:');
    for (const s of sortSuppressed(result.suppressed)) {
      out.push(`  ${show(s.finding.path, PATH_MAX)}:${s.finding.line}  ${show(s.finding.ruleId, 120)}  ${show(s.reason)}`);
    }
  }

  out.push('', verdictLine(report, opts));
  return `${out.join('\n')}\n`;
}


/** The report's last line: counts, what was not reviewed, held back, and the verdict (all `--quiet` prints). */
export function verdictLine(report: Report, opts: TextOptions): string {
  const { result, verdict } = report;
  const paint = (code: string, text: string) => (opts.color ? `${code}${text}${RESET}` : text);
  const summary: string[] = [];
  if (!report.reviewed) summary.push('not reviewed');
  else if (result.findings.length === 0) summary.push('no findings');
  else {
    const counts = countBySeverity(result.findings);
    const described = SEVERITIES.filter((s) => counts[s] > 0)
      .map((s) => paint(SEVERITY_COLOR[s], `${counts[s]} ${s}`))
      .join(', ');
    summary.push(`${plural(result.findings.length, 'finding')} (${opts.color ? described : describeCounts(counts)})`);
  }
  if (result.notReviewed.length > 0) summary.push(`${plural(result.notReviewed.length, 'file')} not reviewed`);
  if (result.ignored.files > 0) summary.push(`${result.ignored.files} ignored`);
  if (result.suppressed.length > 0) summary.push(`${result.suppressed.length} suppressed`);
  if (report.reviewed && verdict.heldBack.length > 0) {
    summary.push(heldBackPhrase(verdict.heldBack.length, verdict.failOn, verdict.failConfidence));
  }
  summary.push(`verdict: ${paint(CONCLUSION_COLOR[verdict.conclusion], verdict.conclusion)}`);
  // Observe mode: the verdict enforce mode would give, so a trial run shows what would block.
  if (report.reviewed && verdict.mode === 'observe' && verdict.conclusion === 'neutral') summary.push(`observe mode: ${verdict.title}`);
  return summary.join(' · ');
}

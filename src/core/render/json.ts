// Machine-readable output of `airlock scan --format json`, per the contract in the design:
// {"version":1,"authorship":{…},"findings":[…],"summary":{…}}. Keys are written in a fixed
// order and lists are sorted, so the same report always gives the same bytes.

import { locationsOf, type Finding } from '../model.js';
import { countByRule, countBySeverity, sortFindings, sortSuppressed, compareText } from './common.js';
import type { Report } from './report.js';

export const JSON_FORMAT_VERSION = 1;

function findingJson(f: Finding) {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    confidence: f.confidence,
    category: f.category,
    path: f.path,
    line: f.line,
    endLine: f.endLine,
    message: f.message,
    fingerprint: f.fingerprint,
    title: f.title,
    cwe: [...f.cwe],
    column: f.column,
    fix: f.fix ? { description: f.fix.description, replacement: f.fix.replacement ?? null } : null,
    references: [...f.references],
    snippet: f.snippet,
    // Every place of this problem in the file, the primary location (line, endLine, column) first.
    locations: locationsOf(f).map((l) => ({ line: l.line, endLine: l.endLine, column: l.column })),
    // Taint findings: the path from the source to the sink, one step per line.
    ...(f.flow ? { flow: f.flow.map((s) => ({ line: s.line, text: s.text })) } : {}),
    // The file's context (production, test, fixture, …) and, when it lowered the finding, what it was before.
    ...(f.context
      ? {
          context: {
            kind: f.context.kind,
            reason: f.context.reason,
            ...(f.context.original ? { original: { severity: f.context.original.severity, confidence: f.context.original.confidence } } : {}),
          },
        }
      : {}),
  };
}

/** The JSON document as a value (key order is the output order). */
export function jsonReport(report: Report) {
  const { result, verdict } = report;
  const findings = sortFindings(result.findings);
  const counts = countBySeverity(findings);
  return {
    version: JSON_FORMAT_VERSION,
    authorship: {
      ai: report.authorship.ai,
      agent: report.authorship.agent,
      evidence: [...report.authorship.evidence],
      ...(report.authorship.unknown !== undefined ? { unknown: report.authorship.unknown } : {}),
    },
    findings: findings.map(findingJson),
    summary: {
      conclusion: verdict.conclusion,
      title: verdict.title,
      reviewed: report.reviewed,
      notReviewedReason: report.notReviewedReason,
      failOn: verdict.failOn,
      failConfidence: verdict.failConfidence,
      counts: {
        critical: counts.critical,
        high: counts.high,
        medium: counts.medium,
        low: counts.low,
        info: counts.info,
      },
      total: findings.length,
      // Findings per rule, most severe first: a rule's problems and the places they occur.
      byRule: countByRule(findings).map((r) => ({ ruleId: r.ruleId, severity: r.severity, findings: r.findings, locations: r.locations })),
      blocking: verdict.blocking.length,
      // At or above failOn, but below failConfidence: reported, not blocking.
      heldBack: verdict.heldBack.length,
      suppressed: sortSuppressed(result.suppressed).map((s) => ({
        rule: s.finding.ruleId,
        path: s.finding.path,
        line: s.finding.line,
        reason: s.reason,
        suppressionLine: s.suppressionLine,
        fingerprint: s.finding.fingerprint,
      })),
      notReviewed: [...result.notReviewed]
        .sort((a, b) => compareText(a.path, b.path) || compareText(a.reason, b.reason))
        .map((n) => ({ path: n.path, reason: n.reason })),
      ignored: { files: result.ignored.files, globs: [...result.ignored.globs] },
      base: report.base,
      head: report.head,
      stats: {
        filesScanned: result.stats.filesScanned,
        addedLines: result.stats.addedLines,
        rulesRun: result.stats.rulesRun,
        durationMs: result.stats.durationMs,
      },
      tool: { name: report.tool.name, version: report.tool.version },
    },
  };
}

/** Pretty-printed JSON with a final newline. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(jsonReport(report), null, 2)}\n`;
}

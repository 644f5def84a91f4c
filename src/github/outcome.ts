// Shell-side adjustments of the engine's report before it is published: findings a
// maintainer accepted with `/airlock allow`, and files GitHub never listed. The verdict
// is recomputed by the core's own rule, never decided here.
import type { Finding } from '../core/model.js';
import type { Report } from '../core/render/index.js';
import { decideVerdict } from '../core/verdict.js';
import type { Allowance } from './commands.js';

export interface AcceptedFinding {
  finding: Finding;
  allowance: Allowance;
}

export interface Outcome {
  report: Report;
  accepted: AcceptedFinding[];
}

function withResult(report: Report, result: Report['result']): Report {
  const { failOn, failConfidence, mode, pathThresholds } = report.verdict;
  const verdict = decideVerdict({
    authorship: report.authorship,
    reviewed: report.reviewed,
    result,
    failOn,
    failConfidence,
    ...(mode ? { mode } : {}),
    ...(pathThresholds ? { pathThresholds } : {}),
  });
  return { ...report, result, verdict };
}

/** Whether an allowance accepts a finding: by its fingerprint, or by its rule within the allowance's scope. */
function covers(a: Allowance, finding: Finding): boolean {
  if (a.target === finding.fingerprint) return true;
  if (a.target !== finding.ruleId) return false;
  return a.all || (a.pinned?.has(finding.fingerprint) ?? false);
}

/**
 * Moves accepted findings out of the report (the latest allowance that covers a finding
 * wins). An allowance by rule id covers the findings it was pinned to, or all with `--all`.
 */
export function applyAllowances(report: Report, allowances: readonly Allowance[]): Outcome {
  if (allowances.length === 0 || report.result.findings.length === 0) return { report, accepted: [] };
  const latestFirst = [...allowances].reverse();
  const kept: Finding[] = [];
  const accepted: AcceptedFinding[] = [];
  for (const finding of report.result.findings) {
    const allowance = latestFirst.find((a) => a.target === finding.fingerprint) ?? latestFirst.find((a) => covers(a, finding));
    if (allowance) accepted.push({ finding, allowance });
    else kept.push(finding);
  }
  if (accepted.length === 0) return { report, accepted };
  return { report: withResult(report, { ...report.result, findings: kept }), accepted };
}

/** GitHub lists only the first 3,000 files of a pull request: the rest were not reviewed. */
export function addUnlistedFiles(report: Report, unlisted: { listed: number; total: number } | null): Report {
  if (!unlisted || !report.reviewed) return report;
  const missing = unlisted.total - unlisted.listed;
  return withResult(report, {
    ...report.result,
    notReviewed: [
      ...report.result.notReviewed,
      {
        path: `(${missing} more files)`,
        reason: `GitHub lists only the first ${unlisted.listed} files of a pull request; the other ${missing} were not reviewed. Split the change.`,
      },
    ],
  });
}

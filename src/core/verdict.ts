import { SEVERITIES, atLeast, type Authorship, type Conclusion, type ScanResult, type Severity, type Verdict } from './model.js';

export interface VerdictInput {
  authorship: Authorship;
  reviewed: boolean;
  result: ScanResult;
  failOn: Severity;
}

/**
 * The conclusion of a review. A reviewed change fails when a finding is at or above the
 * threshold; an AI-authored change also fails when any file could not be reviewed, because
 * "not reviewed" must never read as "safe". An unreviewed (human) change passes.
 */
export function decideVerdict({ authorship, reviewed, result, failOn }: VerdictInput): Verdict {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of result.findings) counts[f.severity]++;
  const blocking = result.findings.filter((f) => atLeast(f.severity, failOn));
  const unreviewedBlocks = reviewed && (authorship.ai || authorship.unknown !== undefined) && result.notReviewed.length > 0;
  let conclusion: Conclusion = 'success';
  if (reviewed && (blocking.length > 0 || unreviewedBlocks)) conclusion = 'failure';
  return { conclusion, reviewed, title: verdictTitle(reviewed, blocking.length, result, unreviewedBlocks, failOn), failOn, counts, blocking };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function verdictTitle(reviewed: boolean, blocking: number, result: ScanResult, unreviewedBlocks: boolean, failOn: Severity): string {
  if (!reviewed) return 'Not reviewed: not AI-authored';
  const parts: string[] = [];
  if (blocking > 0) parts.push(`${plural(blocking, 'finding')} at or above ${failOn}`);
  if (unreviewedBlocks) parts.push(`${plural(result.notReviewed.length, 'file')} not reviewed`);
  if (parts.length > 0) return parts.join(', ');
  const below = result.findings.length;
  return below > 0 ? `Passed with ${plural(below, 'finding')} below ${failOn}` : 'No findings';
}

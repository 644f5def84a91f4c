import {
  SEVERITIES,
  atLeast,
  blocks,
  type Authorship,
  type Conclusion,
  type Confidence,
  type ScanResult,
  type Severity,
  type Verdict,
} from './model.js';

export interface VerdictInput {
  authorship: Authorship;
  reviewed: boolean;
  result: ScanResult;
  failOn: Severity;
  /** Only findings at least this confident block. Default high. */
  failConfidence?: Confidence;
}

/**
 * The conclusion of a review. A reviewed change fails when a finding is at or above the
 * severity threshold and at or above the confidence threshold; an AI-authored change also
 * fails when any file could not be reviewed, because "not reviewed" must never read as "safe".
 * An unreviewed (human) change passes. Findings below either threshold are reported, never block.
 */
export function decideVerdict({ authorship, reviewed, result, failOn, failConfidence = 'high' }: VerdictInput): Verdict {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of result.findings) counts[f.severity]++;
  const blocking = result.findings.filter((f) => blocks(f, failOn, failConfidence));
  const heldBack = result.findings.filter((f) => atLeast(f.severity, failOn) && !blocks(f, failOn, failConfidence));
  const unreviewedBlocks = reviewed && (authorship.ai || authorship.unknown !== undefined) && result.notReviewed.length > 0;
  let conclusion: Conclusion = 'success';
  if (reviewed && (blocking.length > 0 || unreviewedBlocks)) conclusion = 'failure';
  const title = verdictTitle({ reviewed, blocking: blocking.length, heldBack: heldBack.length, result, unreviewedBlocks, failOn, failConfidence });
  return { conclusion, reviewed, title, failOn, failConfidence, counts, blocking, heldBack };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "3 at or above high held back from blocking (confidence below high)": why findings past the severity threshold pass. */
export function heldBackPhrase(heldBack: number, failOn: Severity, failConfidence: Confidence): string {
  return `${heldBack} at or above ${failOn} held back from blocking (confidence below ${failConfidence})`;
}

function verdictTitle(v: {
  reviewed: boolean;
  blocking: number;
  heldBack: number;
  result: ScanResult;
  unreviewedBlocks: boolean;
  failOn: Severity;
  failConfidence: Confidence;
}): string {
  if (!v.reviewed) return 'Not reviewed: not AI-authored';
  const held = v.heldBack > 0 ? heldBackPhrase(v.heldBack, v.failOn, v.failConfidence) : null;
  const parts: string[] = [];
  if (v.blocking > 0) parts.push(`${plural(v.blocking, 'finding')} at or above ${v.failOn}`);
  if (v.unreviewedBlocks) parts.push(`${plural(v.result.notReviewed.length, 'file')} not reviewed`);
  if (parts.length > 0) return held ? `${parts.join(', ')}; ${held}` : parts.join(', ');
  const total = v.result.findings.length;
  if (total === 0) return 'No findings';
  if (held) return `Passed with ${plural(total, 'finding')}: ${held}`;
  return `Passed with ${plural(total, 'finding')} below ${v.failOn}`;
}

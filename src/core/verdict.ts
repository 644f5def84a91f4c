import {
  SEVERITIES,
  atLeast,
  blocks,
  type Authorship,
  type Conclusion,
  type Confidence,
  type ScanResult,
  type Severity,
  type Finding,
  type PathThreshold,
  type Verdict,
} from './model.js';
import { globFinder } from './scan/globs.js';

export interface VerdictInput {
  authorship: Authorship;
  reviewed: boolean;
  result: ScanResult;
  failOn: Severity;
  /** Only findings at least this confident block. Default high. */
  failConfidence?: Confidence;
  /** `observe`: a change that would fail concludes neutral instead (the configuration's `mode`). */
  mode?: 'enforce' | 'observe';
  /** Thresholds of their own for some paths (the configuration's `policies`). */
  pathThresholds?: PathThreshold[];
}

function strictest<T extends string>(values: T[], rank: (v: T) => number): T | undefined {
  return values.reduce<T | undefined>((best, v) => (best === undefined || rank(v) < rank(best) ? v : best), undefined);
}

/**
 * The thresholds that apply to a file: the top-level ones, replaced by those of the policies
 * whose paths match it (when several do, the strictest of theirs).
 */
export function thresholdFor(
  verdict: Pick<Verdict, 'failOn' | 'failConfidence' | 'pathThresholds'>,
  path: string,
): { failOn: Severity; failConfidence: Confidence } {
  const matching = (verdict.pathThresholds ?? []).filter((t) => globFinder(t.paths)!(path) !== null);
  if (matching.length === 0) return { failOn: verdict.failOn, failConfidence: verdict.failConfidence };
  const failOn = strictest(matching.flatMap((t) => (t.failOn ? [t.failOn] : [])), (s) => SEVERITIES.length - SEVERITIES.indexOf(s));
  const failConfidence = strictest(matching.flatMap((t) => (t.failConfidence ? [t.failConfidence] : [])), (c) => ['low', 'medium', 'high'].indexOf(c));
  return { failOn: failOn ?? verdict.failOn, failConfidence: failConfidence ?? verdict.failConfidence };
}

/** Whether a finding blocks under the verdict's thresholds, its path's own included. */
export function blocksUnder(verdict: Pick<Verdict, 'failOn' | 'failConfidence' | 'pathThresholds'>, finding: Finding): boolean {
  const t = thresholdFor(verdict, finding.path);
  return blocks(finding, t.failOn, t.failConfidence);
}

/** At or above its path's severity threshold but below its confidence threshold: reported, not blocking. */
export function heldBackUnder(verdict: Pick<Verdict, 'failOn' | 'failConfidence' | 'pathThresholds'>, finding: Finding): boolean {
  const t = thresholdFor(verdict, finding.path);
  return atLeast(finding.severity, t.failOn) && !blocks(finding, t.failOn, t.failConfidence);
}

/**
 * The conclusion of a review. A reviewed change fails when a finding is at or above the
 * severity threshold and at or above the confidence threshold; an AI-authored change also
 * fails when any file could not be reviewed, because "not reviewed" must never read as "safe".
 * An unreviewed (human) change passes. Findings below either threshold are reported, never block.
 */
export function decideVerdict({ authorship, reviewed, result, failOn, failConfidence = 'high', mode = 'enforce', pathThresholds = [] }: VerdictInput): Verdict {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of result.findings) counts[f.severity]++;
  const thresholds = { failOn, failConfidence, pathThresholds };
  const blocking = result.findings.filter((f) => blocksUnder(thresholds, f));
  const heldBack = result.findings.filter((f) => heldBackUnder(thresholds, f));
  const unreviewedBlocks = reviewed && (authorship.ai || authorship.unknown !== undefined) && result.notReviewed.length > 0;
  let conclusion: Conclusion = 'success';
  if (reviewed && (blocking.length > 0 || unreviewedBlocks)) conclusion = 'failure';
  const byPath = blocking.some((f) => !blocks(f, failOn, failConfidence));
  let title = verdictTitle({ reviewed, blocking: blocking.length, heldBack: heldBack.length, result, unreviewedBlocks, failOn, failConfidence, byPath });
  // Observe mode: the same review, reported as what it would do, never failing.
  if (mode === 'observe' && conclusion === 'failure') {
    conclusion = 'neutral';
    title = `Observe mode, would fail: ${title}`;
  }
  return {
    conclusion,
    reviewed,
    title,
    failOn,
    failConfidence,
    counts,
    blocking,
    heldBack,
    ...(mode === 'observe' ? { mode } : {}),
    ...(pathThresholds.length > 0 ? { pathThresholds } : {}),
  };
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
  /** Some blocking finding blocks only under its path's own threshold. */
  byPath: boolean;
}): string {
  if (!v.reviewed) return 'Not reviewed: not AI-authored';
  const held = v.heldBack > 0 ? heldBackPhrase(v.heldBack, v.failOn, v.failConfidence) : null;
  const parts: string[] = [];
  if (v.blocking > 0) parts.push(v.byPath ? `${plural(v.blocking, 'blocking finding')} (thresholds of \`policies\` included)` : `${plural(v.blocking, 'finding')} at or above ${v.failOn}`);
  if (v.unreviewedBlocks) parts.push(`${plural(v.result.notReviewed.length, 'file')} not reviewed`);
  if (parts.length > 0) return held ? `${parts.join(', ')}; ${held}` : parts.join(', ');
  const total = v.result.findings.length;
  if (total === 0) return 'No findings';
  if (held) return `Passed with ${plural(total, 'finding')}: ${held}`;
  return `Passed with ${plural(total, 'finding')} below ${v.failOn}`;
}

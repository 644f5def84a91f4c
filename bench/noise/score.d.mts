// Types of score.mjs, for the TypeScript test that checks its arithmetic.

export const SEVERITIES: string[];
export function atLeast(severity: string, threshold: string): boolean;
export const CONFIDENCES: string[];
export function confidentEnough(confidence: string | undefined, threshold: string): boolean;
export function sourceOf(path: string): string;
export function unitOf(path: string): string;
export function per100k(count: number, lines: number): number | null;
export function parseNumstat(text: string): Map<string, number>;

export interface ScannedFinding {
  ruleId: string;
  severity: string;
  /** Absent in reports of builds before confidence: counts as high. */
  confidence?: string;
  path: string;
  line: number;
  message?: string;
  snippet?: string;
}
export interface SourceRow {
  source: string;
  lines: number;
  files: number;
  atLeastMedium: number;
  blocking: number;
  notReviewed: number;
  atLeastMediumPer100k: number | null;
  blockingPer100k: number | null;
}
export interface RuleRow {
  ruleId: string;
  atLeastMedium: number;
  blocking: number;
  bySource: Record<string, number>;
}
export interface BlockingFinding {
  ruleId: string;
  severity: string;
  confidence: string;
  path: string;
  line: number;
  message: string;
  snippet: string;
}
export interface NoiseScore {
  failOn: string;
  failConfidence: string;
  sources: SourceRow[];
  total: SourceRow;
  rules: RuleRow[];
  blocking: BlockingFinding[];
}
export function scoreNoise(
  report: { findings: ScannedFinding[]; failOn: string; failConfidence?: string; notReviewed?: { path: string; reason: string }[] },
  lineCounts: Map<string, number>,
): NoiseScore;
export function findingKey(f: { ruleId: string; path: string; snippet?: string }): string;
export interface NoiseComparison {
  total: { atLeastMedium: [number, number]; blocking: [number, number]; blockingPer100k: [number | null, number | null] };
  rules: { ruleId: string; atLeastMedium: [number, number]; blocking: [number, number] }[];
  newBlocking: BlockingFinding[];
  goneBlocking: BlockingFinding[];
}
export function compareNoise(before: NoiseScore, after: NoiseScore): NoiseComparison;

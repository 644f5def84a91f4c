// Types of score.mjs, for the TypeScript test that checks its arithmetic.

export interface Family {
  key: string;
  label: string;
  cwes: number[];
}
export const FAMILIES: Family[];
export function familyOfCwe(cwe: string | number): string;
export function familyLabel(key: string): string;

export interface TestCase {
  name: string;
  category: string;
  vulnerable: boolean;
  cwe: number;
}
export function parseExpectedResults(text: string, fileName: string): TestCase[];
export function caseIndex(names: string[]): ReadonlyMap<string, string>;
export function caseOfPath(path: string, caseNames: ReadonlyMap<string, string>): string | null;

export interface ScannedFinding {
  ruleId: string;
  cwe: string[];
  path: string;
  line: number;
  snippet?: string;
}
export interface Example {
  path: string;
  line: number;
  snippet: string;
}
export interface RuleTally {
  ruleId: string;
  family: string;
  count: number;
  examples: Example[];
}
export interface Counts {
  vulnerable: number;
  caught: number;
  safe: number;
  flagged: number;
  notReviewedVulnerable: number;
  notReviewedSafe: number;
  recall: number | null;
  fpRate: number | null;
}
export interface FamilyRow extends Counts {
  family: string;
  label: string;
  cwes: number[];
  /** Names of vulnerable cases nothing caught, the first few. */
  missed: string[];
}
export interface CaseOutcome {
  name: string;
  family: string;
  vulnerable: boolean;
  flaggedBy: string[];
  notReviewed: boolean;
}
export interface RuleScore {
  ruleId: string;
  family: string;
  caught: number;
  flagged: number;
  precision: number | null;
}
export interface SuiteScore {
  families: FamilyRow[];
  total: Counts;
  byRule: { rules: RuleScore[]; catches: RuleTally[]; falseAlarms: RuleTally[] };
  noise: { otherCweOnCases: RuleTally[]; outsideCases: RuleTally[] };
  cases: CaseOutcome[];
}
export function scoreSuite(input: {
  cases: TestCase[];
  findings: ScannedFinding[];
  notReviewed?: { path: string; reason: string }[];
  examples?: number;
}): SuiteScore;

export interface CaseChange {
  name: string;
  family: string;
  kind: 'now caught' | 'no longer caught' | 'new false alarm' | 'false alarm gone';
  rules: string[];
}
export function compareRuns(before: Pick<SuiteScore, 'cases'>, after: Pick<SuiteScore, 'cases'>): CaseChange[];

export interface RatesBeforeAfter {
  family: string;
  label: string;
  before: { recall: number | null; fpRate: number | null } | null;
  after: { recall: number | null; fpRate: number | null } | null;
}
export function compareFamilies(before: Pick<SuiteScore, 'families' | 'total'>, after: Pick<SuiteScore, 'families' | 'total'>): RatesBeforeAfter[];

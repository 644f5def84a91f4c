import type { Authorship, ScanResult, Verdict } from '../model.js';
import type { RuleMeta } from '../rules/types.js';
import type { RuleDocs } from '../docs/links.js';

/** Everything a renderer needs, as plain data. Every renderer is a pure function of it. */
export interface Report {
  tool: {
    name: 'airlock';
    version: string;
    /** Where users learn about the tool (SARIF `tool.driver.informationUri`); omitted when unknown. */
    informationUri?: string;
  };
  base: string;
  head: string;
  authorship: Authorship;
  /** False when the change was not AI-authored and not forced. */
  reviewed: boolean;
  /** e.g. "not AI-authored (no agent markers found); use --all to review anyway". */
  notReviewedReason: string | null;
  result: ScanResult;
  verdict: Verdict;
  /** Metadata of every rule that ran (SARIF `tool.driver.rules`). */
  rules: RuleMeta[];
  /** Where the shipped rules' pages are; every output links a finding's rule to its page. Absent: no links. */
  ruleDocs?: RuleDocs;
}

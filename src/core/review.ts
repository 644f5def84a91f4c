import type { AirlockConfig } from './config.js';
import { COMMON_AI_LABELS } from './detect/agents.js';
import { detectAuthorship } from './detect/detect.js';
import { withMechanicalFixes } from './fixes.js';
import { groupResult } from './group.js';
import { MISSING_TESTS, policyFindings, policyThresholds } from './policy.js';
import type { Authorship, ChangeSet, Confidence, PullRequestFacts, ScanResult, Severity } from './model.js';
import type { RuleDocs } from './docs/links.js';
import type { Report } from './render/report.js';
import { configureCatalog, type RuleCatalog } from './rules/catalog.js';
import type { ScanData } from './rules/types.js';
import type { AstTextSearch } from './scan/ast-batch.js';
import { scanChangeSet } from './scan/engine.js';
import type { SemanticRunner } from './scan/semantic-run.js';
import { decideVerdict } from './verdict.js';

/** A label that forces a full review in every mode, so a human can always ask for one. */
export const FORCE_REVIEW_LABEL = 'airlock:review';

export interface ReviewInput {
  changeSet: ChangeSet;
  facts: PullRequestFacts;
  config: AirlockConfig;
  catalog: RuleCatalog;
  data: ScanData;
  tool: Report['tool'];
  /** Review even a change that is not AI-authored (CLI --all). */
  forceReview?: boolean;
  /** Overrides config.fail_on (CLI --fail-on). */
  failOn?: Severity;
  /** Overrides config.fail_confidence (CLI --fail-confidence). */
  failConfidence?: Confidence;
  /** Batch search for AST rules (the shells pass the file-backed one; see ScanOptions.astSearch). */
  astSearch?: AstTextSearch;
  /** Frees the syntax trees of files already scanned (see ScanOptions.reclaim). */
  reclaim?: (parsedChars: number) => Promise<void>;
  /** Runs the call and taint rules off the calling thread (see ScanOptions.semanticRunner). */
  semanticRunner?: SemanticRunner;
  /** Told as the scan reads file after file (see ScanOptions.progress). */
  progress?: (started: number, total: number) => void;
  /** Where the shipped rules' pages are, for the links in every output. */
  ruleDocs?: RuleDocs;
  /** How to get a review anyway, appended to the "not reviewed" reason. */
  notReviewedHint?: string;
  now?: () => number;
}

function hasLabel(facts: PullRequestFacts, wanted: readonly string[]): string | null {
  const lower = new Set(wanted.map((l) => l.toLowerCase()));
  return facts.labels.find((l) => lower.has(l.toLowerCase())) ?? null;
}

/** Decides whether the change gets a review and why not, if not. */
export function reviewDecision(
  authorship: Authorship,
  facts: PullRequestFacts,
  config: AirlockConfig,
  forceReview: boolean,
): { reviewed: boolean; reason: string | null } {
  if (forceReview || config.review === 'all') return { reviewed: true, reason: null };
  const forced = hasLabel(facts, [FORCE_REVIEW_LABEL]);
  if (forced) return { reviewed: true, reason: null };
  if (config.review === 'labeled') {
    // The common AI labels count too: a team labelling agent PRs `ai-generated` needs no config for it.
    const label = hasLabel(facts, [...config.ai.labels, ...COMMON_AI_LABELS]);
    return label
      ? { reviewed: true, reason: null }
      : { reviewed: false, reason: `no review label (${[...config.ai.labels, FORCE_REVIEW_LABEL].join(', ')}, or a common AI label such as ai-generated) on the change` };
  }
  // Unknown authorship (not every commit read) is reviewed: "no markers" would be a guess.
  return authorship.ai || authorship.unknown !== undefined
    ? { reviewed: true, reason: null }
    : { reviewed: false, reason: 'not AI-authored: no agent markers found' };
}

const EMPTY_RESULT: ScanResult = {
  findings: [],
  suppressed: [],
  notReviewed: [],
  ignored: { files: 0, globs: [] },
  stats: { filesScanned: 0, addedLines: 0, rulesRun: 0, durationMs: 0 },
};

/** detect → (scan) → verdict, as plain data. Both shells call this; neither decides on its own. */
export async function review(input: ReviewInput): Promise<Report> {
  const { config, facts } = input;
  const authorship = detectAuthorship(facts, {
    extraLabels: config.ai.labels,
    extraAuthors: config.ai.authors,
    extraBranchPatterns: config.ai.branches,
  });
  const decision = reviewDecision(authorship, facts, config, input.forceReview ?? false);
  const catalog = configureCatalog(input.catalog, config.rules);
  const scanned = decision.reviewed
    ? await scanChangeSet(input.changeSet, {
        catalog,
        data: input.data,
        limits: { maxFileBytes: config.limits.max_file_bytes, timeBudgetMs: config.limits.time_budget_seconds * 1000 },
        ignorePaths: config.ignore_paths,
        ...(input.now ? { now: input.now } : {}),
        ...(input.astSearch ? { astSearch: input.astSearch } : {}),
        ...(input.reclaim ? { reclaim: input.reclaim } : {}),
        ...(input.semanticRunner ? { semanticRunner: input.semanticRunner } : {}),
        ...(input.progress ? { progress: input.progress } : {}),
      })
    : EMPTY_RESULT;
  // One finding per problem: the occurrences of one problem in a file are merged before anything counts them.
  const grouped = groupResult(scanned);
  const policy = decision.reviewed && !catalog.disabled.has(MISSING_TESTS) ? policyFindings(input.changeSet.files, authorship, config.policies, catalog.meta.get(MISSING_TESTS)) : [];
  const fixed = await withMechanicalFixes(grouped.findings, input.changeSet.loadHead, catalog.meta);
  const result = { ...grouped, findings: [...fixed, ...policy] };
  const failOn = input.failOn ?? config.fail_on;
  const failConfidence = input.failConfidence ?? config.fail_confidence;
  const verdict = decideVerdict({
    authorship,
    reviewed: decision.reviewed,
    result,
    failOn,
    failConfidence,
    mode: config.mode,
    pathThresholds: policyThresholds(config.policies),
  });
  return {
    tool: input.tool,
    base: input.changeSet.base,
    head: input.changeSet.head,
    authorship,
    reviewed: decision.reviewed,
    notReviewedReason: decision.reason && input.notReviewedHint ? `${decision.reason}; ${input.notReviewedHint}` : decision.reason,
    result,
    verdict,
    rules: [...catalog.meta.values()].filter((m) => !catalog.disabled.has(m.id)),
    ...(input.ruleDocs ? { ruleDocs: input.ruleDocs } : {}),
  };
}

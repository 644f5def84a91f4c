// The plain data that flows through the core. No Probot, Octokit or fs types here:
// shells (CLI, GitHub app) build these values and consume the results.

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher number = more severe. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

/**
 * How likely a finding is to be a real problem as reported, rather than a rule's construct in a
 * harmless context or a heuristic misfire. Declared per rule, adjustable per finding; the verdict
 * blocks only on findings at or above the configured `fail_confidence` (default high).
 */
export const CONFIDENCES = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** Higher number = more confident. */
export function confidenceRank(confidence: Confidence): number {
  return CONFIDENCES.length - CONFIDENCES.indexOf(confidence);
}

export function confidentEnough(confidence: Confidence, threshold: Confidence): boolean {
  return confidenceRank(confidence) >= confidenceRank(threshold);
}

/** The verdict's rule for one finding: severity at or above `failOn` and confidence at or above `failConfidence`. */
export function blocks(finding: Pick<Finding, 'severity' | 'confidence'>, failOn: Severity, failConfidence: Confidence): boolean {
  return atLeast(finding.severity, failOn) && confidentEnough(finding.confidence, failConfidence);
}

/**
 * What a file is for, from its ecosystem's conventions and headers (context/classify.ts). Rules
 * lower their findings in some of these (docs/rules.md); production never.
 */
export const FILE_CONTEXTS = ['production', 'test', 'fixture', 'example', 'docs', 'generated', 'vendored', 'build'] as const;
export type FileContextKind = (typeof FILE_CONTEXTS)[number];

/** The context of a finding's file, and what the finding was before that context lowered it. */
export interface FindingContext {
  kind: FileContextKind;
  /** Why the file is in that context: `Go test file (*_test.go)`, `imported by src/app.py`. */
  reason: string;
  /** The severity and confidence before the context lowered them; absent when it did not. */
  original?: { severity: Severity; confidence: Confidence };
}

/** git's mode for a submodule entry (a "gitlink"). */
export const GITLINK_MODE = '160000';

/** Why a submodule is listed as not reviewed. */
export const SUBMODULE_NOT_REVIEWED = 'submodule: the commit it points to is not reviewed';

export type FileStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied';

export interface ChangedFile {
  /** Path in the head version (for deletions: the path that was deleted). */
  path: string;
  /** Path in the base version when it differs (renames, copies); null otherwise. */
  oldPath: string | null;
  status: FileStatus;
  /** 1-based line numbers, in the head version, that the change adds or modifies. Sorted, unique. */
  addedLines: number[];
  /** Number of lines the change removes (for summaries). */
  deletedLineCount: number;
  /**
   * Where the change removes base lines, as the head line each removal follows (0: before the
   * first line). Sorted, unique. With addedLines it maps unchanged head lines back to the base.
   */
  removedAfter: number[];
  binary: boolean;
  /**
   * File mode before/after when the change touches it (e.g. '100644' → '100755'). A submodule
   * always carries GITLINK_MODE, changed or not: it is a commit of another repository, not a file.
   */
  oldMode: string | null;
  newMode: string | null;
  /** Size in bytes of the head version when known. */
  size: number | null;
  /**
   * Why the change of this file could not be read (GitHub sent no patch, the diff was cut, …).
   * A file with this set is listed as "not reviewed".
   */
  unavailable: string | null;
}

/**
 * Loads the full content of a file at one revision; null when it does not exist there. Given
 * `maxBytes`, a loader that learns the size first rejects a larger file without reading it all
 * (the error says the size); one that cannot may return the bytes and leave the check to the caller.
 */
export type ContentLoader = (path: string, limits?: { maxBytes: number }) => Promise<Uint8Array | null>;

export interface ChangeSet {
  /** Human-readable revision names (refs or SHAs). */
  base: string;
  head: string;
  files: ChangedFile[];
  loadHead: ContentLoader;
  /**
   * Loads a file at the base revision (the merge base the diff starts from), for analyzers that
   * compare the two versions; for renames and copies the caller passes `oldPath`. Only called
   * for files an analyzer asks about. Absent when the shell cannot read the base: those
   * analyzers then see the head only.
   */
  loadBase?: ContentLoader;
  /** The repository under review on GitHub, `owner/name`, when known: its own URLs are not third parties. */
  repository?: string;
}

export interface CommitFacts {
  sha: string;
  authorName: string;
  authorEmail: string;
  /** GitHub login of the author when known (API), null for local git. */
  authorLogin: string | null;
  committerName: string;
  committerEmail: string;
  committerLogin: string | null;
  /** Full commit message; trailers are parsed from it. */
  message: string;
}

export interface PullRequestFacts {
  /** PR author login; null when there is no PR (local scan without --pr-event). */
  author: string | null;
  /** 'Bot' | 'User' | … as GitHub reports the author's account type, when known. */
  authorType: string | null;
  labels: string[];
  title: string;
  body: string;
  headBranch: string | null;
  commits: CommitFacts[];
  /** Why not every commit of the change is in `commits` (a listing bound was hit); absent when all are. */
  unreadCommits?: string;
}

export interface Authorship {
  ai: boolean;
  /** Canonical agent name ("Claude Code", "GitHub Copilot coding agent", …) or null. */
  agent: string | null;
  /** One line per signal, saying where it was seen: `commit 1a2b3c4 trailer "Co-Authored-By: Claude <noreply@anthropic.com>"`. */
  evidence: string[];
  /**
   * Set when no agent marker was found but not every commit was read: authorship is unknown
   * (never "no markers"), and the change is reviewed as if AI-authored. Says why.
   */
  unknown?: string;
}

export interface FixSuggestion {
  /** What to do, in words. */
  description: string;
  /** Replacement text for the matched lines, when it can be computed. */
  replacement?: string;
  /** A replacement that needs a fact from outside the change: the shell that can ask for it computes `replacement` (fixes.ts). */
  needs?: FixNeed;
}

/** The commit of a tag of an action's repository, to pin a `uses:` line to. */
export interface ActionCommitNeed {
  kind: 'action-commit';
  /** `owner/repo` of the action. */
  repository: string;
  /** The tag the line uses (`v4`). */
  ref: string;
  /** The line before the ref and after it: the replacement is `prefix + sha + suffix`, with the tag as a comment. */
  prefix: string;
  suffix: string;
}

export type FixNeed = ActionCommitNeed;

export type FindingSource = 'ast' | 'regex' | 'path' | 'analyzer' | 'engine';

export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  /** The rule's declared confidence, or the analyzer's own for this finding, or the configured override. */
  confidence: Confidence;
  category: string;
  cwe: string[];
  path: string;
  /** 1-based, head version. */
  line: number;
  endLine: number;
  /** 1-based column of the match start, when known. */
  column: number | null;
  /** 1-based column just past the match's last character on `endLine` (SARIF's exclusive end), when known. */
  endColumn?: number;
  message: string;
  fix: FixSuggestion | null;
  references: string[];
  /** Matched text as it stands in the file (trimmed to a reasonable length for display). */
  snippet: string;
  fingerprint: string;
  source: FindingSource;
  /** Taint findings: the path the value took, source first, sink call last (1-based lines). */
  flow?: { line: number; text: string }[];
  /**
   * Every place of the file where this problem occurs, in line order; the first is the primary
   * location (`line`, `endLine`, `column`). Absent when the finding has only its primary location.
   */
  locations?: FindingLocation[];
  /**
   * What makes two matches of one rule in one file the same problem, set by the scan for the
   * grouping step (which removes it; never part of any output). `key` is an analyzer's key (the
   * action reference, the secret's digest; `analyzer` true) or the whitespace-normalised matched
   * text, which then must also come with the same message. `key` is the fingerprint's text.
   */
  group?: { key: string; analyzer: boolean };
  /** The file's context, set by the engine on every finding it reports. */
  context?: FindingContext;
}

/** One place of a finding in its file (1-based, head version). */
export interface FindingLocation {
  line: number;
  endLine: number;
  column: number | null;
}

/** A finding's locations, primary first; a single-location finding gives its own. */
export function locationsOf(finding: Pick<Finding, 'line' | 'endLine' | 'column' | 'locations'>): FindingLocation[] {
  return finding.locations && finding.locations.length > 0
    ? finding.locations
    : [{ line: finding.line, endLine: finding.endLine, column: finding.column }];
}

export interface NotReviewed {
  path: string;
  /** Why: "binary file", "file over 1000000 bytes", "time budget of 60s exhausted", … */
  reason: string;
}

/** A finding that a suppression present in the base version silenced. */
export interface SuppressedFinding {
  finding: Finding;
  reason: string;
  /** Where the suppression comment is. */
  suppressionLine: number;
}

/** Changed files the configuration's `ignore_paths` kept out of the review. */
export interface IgnoredFiles {
  files: number;
  /** The globs that excluded at least one of them, in configuration order. */
  globs: string[];
}

export interface ScanResult {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  notReviewed: NotReviewed[];
  ignored: IgnoredFiles;
  stats: {
    filesScanned: number;
    addedLines: number;
    rulesRun: number;
    durationMs: number;
  };
}

export type Conclusion = 'success' | 'failure' | 'neutral';

/** Thresholds of their own for the files some globs match (a configured policy). */
export interface PathThreshold {
  paths: string[];
  failOn?: Severity;
  failConfidence?: Confidence;
}

export interface Verdict {
  conclusion: Conclusion;
  /** False when the change was not reviewed (not AI-authored and review not forced). */
  reviewed: boolean;
  /** One sentence for the check title / CLI summary. */
  title: string;
  failOn: Severity;
  /** Only findings at or above this confidence block. */
  failConfidence: Confidence;
  counts: Record<Severity, number>;
  /** Findings at or above the failure threshold whose confidence reaches `failConfidence`. */
  blocking: Finding[];
  /** Findings at or above the failure threshold that do not block because their confidence is below `failConfidence`. */
  heldBack: Finding[];
  /** `observe`: findings that block are reported as such but the conclusion is neutral. Absent: enforce. */
  mode?: 'observe';
  /** Paths with thresholds of their own (`policies`); a finding there blocks by them. Absent: none. */
  pathThresholds?: PathThreshold[];
}

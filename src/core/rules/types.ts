import type { RuleContext } from '../context/adjust.js';
import type { ChangedFile, Confidence, FixSuggestion, Severity } from '../model.js';

/** Everything a reviewer sees about a rule, whether it is YAML data or a TypeScript analyzer. */
export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  /**
   * How often a finding of this rule is a real problem as reported: `high` for a shape that is
   * wrong wherever it appears (a live-format credential, request input reaching exec), `medium`
   * for heuristics that misfire in some contexts, `low` for hints. Only findings at or above the
   * configured `fail_confidence` block; an analyzer may raise or lower it per finding.
   */
  confidence: Confidence;
  category: string;
  /**
   * How the context of a finding's file (test, fixture, docs, generated, …) lowers its severity
   * or confidence, per context class; classes left out take the category's default (context/adjust.ts).
   */
  context?: RuleContext;
  /** e.g. ["CWE-78"] */
  cwe: string[];
  message: string;
  fix: string | null;
  references: string[];
}

/**
 * One test case. `code` is the head version of the file at `path`; `added` lists the
 * lines the change adds (default: every line, i.e. a new file). For invalid cases,
 * `lines` optionally pins the lines the rule must report.
 */
export interface RuleTestCase {
  path?: string;
  code: string;
  added?: number[];
  lines?: number[];
  /** For tests of changed-path rules on deletions. */
  status?: ChangedFile['status'];
  /**
   * The base version of the file, for rules that compare it with the head: the case is then a
   * modification (unless `status` says otherwise) and, without `added`, the added lines are those
   * a line diff of the two versions finds.
   */
  base?: string;
}

export interface RuleTests {
  /** Must produce no finding of this rule. */
  valid: RuleTestCase[];
  /** Must produce at least one finding of this rule. */
  invalid: RuleTestCase[];
}

/** Reference data the analyzers need, loaded by the shell and passed in (the core reads no files). */
export interface ScanData {
  /** npm package name → monthly downloads. */
  popularNpm: ReadonlyMap<string, number>;
  /** PyPI package name (normalized: lowercase, runs of -_. as -) → rank. */
  popularPypi: ReadonlyMap<string, number>;
}

export interface AnalyzerInput {
  file: ChangedFile;
  /** Head text decoded as UTF-8 (invalid bytes as U+FFFD); null for deleted or binary files. */
  text: string | null;
  /** `text` split on \n with a trailing \r removed; [] when text is null. lines[0] is line 1. */
  lines: string[];
  /** The added line numbers as a set, for quick lookups. */
  added: ReadonlySet<number>;
  data: ScanData;
  /**
   * Head text of the other files of the change that the analyzer's `related` test selected, by
   * path (a workflow reads the reusable workflows and actions it calls when they change with it).
   */
  related?: ReadonlyMap<string, string>;
  /**
   * The file at the base revision (its old path for renames), when the analyzer's `wantsBase`
   * asked for it and the file has one (not for added files); null otherwise. `text` is null when
   * the base version could not be used (missing, binary, unreadable: the engine lists the file as
   * not fully reviewed with the reason).
   */
  base: BaseText | null;
  /** `owner/name` of the repository under review, when known (its own URLs are not a third party's). */
  repository?: string | null;
  /**
   * Other files of the repository at the base revision, by path, that the analyzer's
   * `baseCompanions` asked for after a first look at this file (changed by the change or not).
   */
  companions?: ReadonlyMap<string, BaseCompanion>;
}

/** A file at the base revision read beside the analyzed one: its text, absent there, or why it could not be read. */
export type BaseCompanion = { text: string } | { missing: true } | { problem: string };

/** A file's base version, decoded and split like the head. */
export interface BaseText {
  text: string | null;
  lines: string[];
}

/** What an analyzer reports; the engine attaches rule metadata, fingerprints and filters to added lines. */
export interface RawFinding {
  ruleId: string;
  line: number;
  endLine?: number;
  column?: number;
  /** The text that triggered the finding, used for display and the fingerprint. */
  snippet: string;
  /** Replaces the rule's message when the analyzer can say something more specific. */
  message?: string;
  fix?: FixSuggestion;
  /**
   * Replaces the rule's confidence for this finding, when the analyzer knows more: a heuristic
   * with a second signal that agrees is surer than the rule's default, one without is less sure.
   */
  confidence?: Confidence;
  /**
   * The finding is about what the change removed (a decorator, a test, a step): it stands on a
   * head line that the change may leave untouched, and is kept although that line is not added.
   */
  removal?: boolean;
  /** Rule ids that report the same problem better on a line this finding covers: when one of them does, this finding is dropped. */
  deferTo?: readonly string[];
  /**
   * What the finding is about, the same for every occurrence of one problem in a file (an
   * action reference, a package name, a digest of a secret): occurrences with the same key are
   * reported as one finding with several locations, and the key replaces the snippet in the
   * fingerprint. When absent, the snippet and the message decide. It is hashed into the
   * fingerprint, so it must not carry a secret in clear.
   */
  groupKey?: string;
}

export interface AnalyzerRule {
  meta: RuleMeta;
  tests: RuleTests;
}

export interface Analyzer {
  name: string;
  rules: AnalyzerRule[];
  /** Cheap path test: does this analyzer want to see this file at all? */
  appliesTo(file: ChangedFile): boolean;
  /** Files of the change whose text this analyzer wants alongside each file it analyzes (`AnalyzerInput.related`). */
  related?(file: ChangedFile): boolean;
  /**
   * Whether the analyzer compares this file with its base version (called only for files it
   * applies to): the engine then loads the base, and only then, so a review pays for the base of
   * just those files.
   */
  wantsBase?(file: ChangedFile): boolean;
  /**
   * Paths of other files the analyzer needs at the base revision to judge this one (the
   * lockfiles beside a manifest that names a suspicious package), asked with the file's input
   * before `analyze`; the engine reads them, bounded in number and size, and passes them as
   * `AnalyzerInput.companions`. Return [] when none is needed, so a review pays for none.
   */
  baseCompanions?(input: AnalyzerInput): string[];
  analyze(input: AnalyzerInput): RawFinding[];
}

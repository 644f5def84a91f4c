import { parse, type SgNode } from '@ast-grep/napi';
import RE2 from 're2';
import { adjustFinding, resolveContext } from '../context/adjust.js';
import { ChangeContexts } from '../context/change.js';
import { languageOf } from '../languages.js';
import {
  GITLINK_MODE,
  SUBMODULE_NOT_REVIEWED,
  confidenceRank,
  type ChangeSet,
  type ChangedFile,
  type Confidence,
  type ContentLoader,
  type Finding,
  type FindingSource,
  type IgnoredFiles,
  type NotReviewed,
  type ScanResult,
  type SuppressedFinding,
} from '../model.js';
import type { RuleCatalog } from '../rules/catalog.js';
import type { Language } from '../rules/schema.js';
import type { AnalyzerInput, BaseCompanion, BaseText, RawFinding, RuleMeta, ScanData } from '../rules/types.js';
import { decodeUtf8, looksBinary, splitLines } from '../text.js';
import { AstBatchScheduler, combineAstRules, type AstHit, type AstTextSearch, type CombinedAstRules } from './ast-batch.js';
import { astLang } from './ast-languages.js';
import { firstLine, globFinder, pathRuleFires, type CompiledRule } from './compile.js';
import { commentMarkers, commentStart } from './comments.js';
import { fetchesOnlyFrom } from './own-repository.js';
import { fingerprint, normalizeMatchedText } from './fingerprint.js';
import { WordIndex } from './prefilter.js';
import { semanticMatches, type SemanticResult, type SemanticRunner } from './semantic-run.js';
import { anyLineWithin } from './sorted-lines.js';
import { baseSuppressions, findSuppression } from './suppression.js';

export interface ScanLimits {
  /** Files larger than this (bytes, head version) are not reviewed. */
  maxFileBytes: number;
  /** Wall-clock budget for the whole scan; files not reached in time are not reviewed. */
  timeBudgetMs: number;
}

export const DEFAULT_LIMITS: ScanLimits = { maxFileBytes: 1_000_000, timeBudgetMs: 120_000 };

export interface ScanOptions {
  catalog: RuleCatalog;
  data: ScanData;
  limits?: Partial<ScanLimits>;
  /** Globs of paths the configuration excludes from review (counted, not listed as unreviewed). */
  ignorePaths?: string[];
  /** Injected clock, for tests of the time budget. */
  now?: () => number;
  /** How many head contents to load at once (ahead of the file being scanned). */
  loadConcurrency?: number;
  /**
   * Searches a batch of files of one language at once (see ast-batch.ts). Without it each file
   * is parsed and searched rule by rule, which is exact but pays ast-grep's rule compilation
   * per file and rule; with it findings are the same and large changes scan several times faster.
   */
  astSearch?: AstTextSearch;
  /**
   * Called after each file for which this thread built syntax trees (the semantic layer run
   * here, AST rules searched here, a batch search handing back tree nodes), with the characters
   * parsed into those trees since the last call, before the next file: the shells free the
   * trees of this thread here (see io/native-memory.ts), which only they can do.
   */
  reclaim?: (parsedChars: number) => Promise<void>;
  /**
   * Runs the call and taint rules off this thread (see semantic-run.ts): the scan keeps up to
   * `concurrency` files in flight there while it goes on with the other engines, and findings
   * are the same. Without it they run here, file by file.
   */
  semanticRunner?: SemanticRunner;
  /** Told each time the scan starts reading another file: files started so far, of how many (the CLI's progress line). */
  progress?: (started: number, total: number) => void;
}

/** Text held by files waiting for their AST batch, before the scan stops reading to drain them. */
const MAX_HELD_CHARS = 16_000_000;
/** Files loaded for analyzers that read across the change (Analyzer.related): workflows and actions are few. */
const MAX_RELATED_FILES = 200;
/**
 * Files read at the base beside analyzed ones (Analyzer.baseCompanions: lockfiles), per review,
 * and the size of each: lockfiles run larger than the files a change edits by hand.
 */
const MAX_COMPANION_FILES = 16;
const MAX_COMPANION_BYTES = 5_000_000;
const NO_COMPANIONS: ReadonlyMap<string, BaseCompanion> = new Map();

type RegexSet = InstanceType<typeof RE2.Set>;

const SNIPPET_MAX = 300;
const FINGERPRINT_TEXT_MAX = 4000;

/** A raw match before metadata is attached. */
interface Match {
  ruleId: string;
  line: number;
  endLine: number;
  column: number | null;
  text: string;
  source: FindingSource;
  message?: string;
  fix?: RawFinding['fix'];
  /** An analyzer's own confidence for this match; the rule's applies when absent. */
  confidence?: RawFinding['confidence'];
  /** Rules whose matches on this line deferred to this one: the finding is as sure as the surest of them. */
  confirmedBy?: string[];
  /** Rule ids that win over this match on a line it covers (taint rules overlapping pattern rules). */
  deferTo?: ReadonlySet<string>;
  /** Taint matches: the path from source to sink. */
  flow?: { line: number; text: string }[];
  /** An analyzer's key for the problem this match is an occurrence of. */
  groupKey?: string;
  /** About something the change removed: kept although its line is not an added one. */
  removal?: boolean;
}

/** A readable text file, ready for the engines. */
interface PreparedFile {
  file: ChangedFile;
  text: string;
  lines: string[];
  sortedAdded: number[];
  added: Set<number>;
  language: Language | null;
  plan: FilePlan;
  /** AST rules that apply to the file and pass the word pre-filter. */
  astRules: CompiledRule[];
  matches: Match[];
  partial: string[];
  /** The base version, for the analyzers that asked for it (see Analyzer.wantsBase). */
  base: BaseText | null;
  /** Other files at the base that analyzers asked for to judge this one (see Analyzer.baseCompanions). */
  companions: ReadonlyMap<string, BaseCompanion>;
}

/** What was loaded for one file: undefined for a version nobody asked for. */
interface Loaded {
  head: Uint8Array | null | Error | undefined;
  base: Uint8Array | null | Error | undefined;
}

type FileOutcome =
  | { notReviewed: string; findings: Finding[] }
  | { findings: Finding[]; suppressed: SuppressedFinding[]; partial: string[]; addedLines: number };

/** Lines of a multi-line match searched for a match it defers to. */
const MAX_DEFER_SPAN = 200;

/**
 * Removes matches whose line another match reports for a rule they defer to. The match that
 * stays is confirmed by the one removed (a source-to-sink path agrees with the pattern): it
 * takes that rule's confidence when higher, and its path when it has none.
 */
function dropDeferred(matches: Match[]): void {
  if (!matches.some((m) => m.deferTo && m.deferTo.size > 0)) return;
  const reported = new Map<string, Match>();
  for (const m of matches) if (!reported.has(`${m.ruleId}\n${m.line}`)) reported.set(`${m.ruleId}\n${m.line}`, m);
  const kept = matches.filter((m) => {
    // Its own line first; a match over several lines (a multi-line comment, a call over many
    // lines) also defers to a winning match on any line it covers.
    let target: Match | undefined;
    for (let line = m.line; !target && line <= Math.min(m.endLine, m.line + MAX_DEFER_SPAN); line++) {
      for (const id of m.deferTo ?? []) target ??= reported.get(`${id}\n${line}`);
    }
    if (!target) return true;
    (target.confirmedBy ??= []).push(m.ruleId);
    if (!target.flow && m.flow) target.flow = m.flow;
    return false;
  });
  matches.splice(0, matches.length, ...kept);
}

/**
 * A finding's confidence: the analyzer's own judgement of it, else the rule's, raised to that of
 * any rule that confirmed it on the same line. (A confidence set in the configuration wins over all of these.)
 */
function matchConfidence(m: Match, ruleConfidence: Confidence, meta: ReadonlyMap<string, RuleMeta>): Confidence {
  let best = m.confidence ?? ruleConfidence;
  for (const id of m.confirmedBy ?? []) {
    const other = meta.get(id)?.confidence;
    if (other && confidenceRank(other) > confidenceRank(best)) best = other;
  }
  return best;
}

/** The rules that apply to one file, grouped by engine. */
interface FilePlan {
  regex: CompiledRule[];
  ast: CompiledRule[];
  path: CompiledRule[];
  /** Call rules, run on the semantic layer. */
  call: CompiledRule[];
  /** Taint rules, run on the semantic layer. */
  taint: CompiledRule[];
}

/**
 * A copied or renamed file takes on a new role (a script moved into .github/workflows/ starts
 * running in CI, notes.md renamed to CLAUDE.md starts steering agents), and reviewers rarely
 * re-read a rename: all of its lines are reviewed, not just the edited ones.
 */
function reviewsWholeFile(file: ChangedFile): boolean {
  return file.status === 'copied' || file.status === 'renamed';
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

export class Scanner {
  private readonly regexSets = new WeakMap<CompiledRule[], RegexSet>();
  /** The file contexts of the change being scanned (see context/change.ts). */
  private contexts = new ChangeContexts();
  /** Texts of the change's files that analyzers asked to see alongside others (Analyzer.related). */
  private related: ReadonlyMap<string, string> = new Map();
  /** Base files read for Analyzer.baseCompanions in this review, by path: each is read once. */
  private companionFiles = new Map<string, Promise<BaseCompanion>>();
  /** Characters parsed into syntax trees on this thread since the last `reclaim`. */
  private treeChars = 0;
  /** The ignore_paths glob that excludes a path, or null. */
  private readonly ignoredBy: (path: string) => string | null;

  constructor(private readonly options: ScanOptions) {
    this.ignoredBy = globFinder(options.ignorePaths) ?? (() => null);
  }

  /** The files to review, and how many of the others ignore_paths excluded (and by which globs). */
  private selectFiles(changeSet: ChangeSet): { files: ChangedFile[]; ignored: IgnoredFiles } {
    const files: ChangedFile[] = [];
    const globsUsed = new Set<string>();
    let ignoredCount = 0;
    for (const file of changeSet.files) {
      const glob = this.ignoredBy(file.path);
      if (glob === null) {
        files.push(file);
        continue;
      }
      ignoredCount++;
      globsUsed.add(glob);
    }
    const globs = (this.options.ignorePaths ?? []).filter((g) => globsUsed.has(g));
    return { files, ignored: { files: ignoredCount, globs } };
  }

  async scan(changeSet: ChangeSet): Promise<ScanResult> {
    const now = this.options.now ?? Date.now;
    const limits = { ...DEFAULT_LIMITS, ...this.options.limits };
    const started = now();
    const deadline = started + limits.timeBudgetMs;
    this.contexts = new ChangeContexts();
    const findings: Finding[] = [];
    const suppressed: SuppressedFinding[] = [];
    const notReviewed: NotReviewed[] = [];
    let filesScanned = 0;
    let addedLines = 0;

    const { files, ignored } = this.selectFiles(changeSet);
    this.related = await this.loadRelated(changeSet, files, limits.maxFileBytes);
    this.companionFiles = new Map();
    const concurrency = Math.max(1, this.options.loadConcurrency ?? 16);
    // Loads run ahead of the CPU work, bounded so memory stays flat on huge changes.
    const pending = new Map<number, Promise<Loaded>>();
    const wantsContent = (f: ChangedFile) => f.status !== 'deleted' && !f.binary && f.unavailable === null && f.newMode !== GITLINK_MODE;
    const bounds = { maxBytes: limits.maxFileBytes };
    const load = (loader: NonNullable<ChangeSet['loadBase']>, path: string) =>
      loader(path, bounds).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
    const startLoad = (i: number) => {
      const f = files[i];
      if (!f || pending.has(i)) return;
      const head = wantsContent(f) && !(f.size !== null && f.size > limits.maxFileBytes) ? load(changeSet.loadHead, f.path) : undefined;
      // The base only for files an analyzer compares with it: a review pays for no other.
      const base = changeSet.loadBase && this.wantsBase(f) ? load(changeSet.loadBase, f.oldPath ?? f.path) : undefined;
      if (!head && !base) return;
      pending.set(
        i,
        Promise.all([head, base]).then(([h, b]) => ({ head: h, base: b })),
      );
    };
    for (let i = 0; i < Math.min(files.length, concurrency); i++) startLoad(i);

    // Files are read in order; AST rules are queued per language and run in batches on
    // ast-grep's threads while this thread runs the regex rules and analyzers of later files.
    const outcomes: (FileOutcome | undefined)[] = new Array<FileOutcome | undefined>(files.length);
    const search = this.options.astSearch;
    const batches = search
      ? new AstBatchScheduler<PreparedFile>(
          (language, group) =>
            this.astBatch(search, language, group)
              // A batch that could not run is searched file by file: slower, never skipped.
              .catch(() => group.forEach((p) => this.addAstMatches(p))),
          (p) => p.text.length,
        )
      : null;
    let completions: Promise<void>[] = [];
    let heldChars = 0;
    const runner = this.options.semanticRunner;
    // Files whose call and taint rules are running elsewhere: bounded, so memory stays flat.
    const running = new Set<Promise<void>>();
    let reached = files.length;
    for (let i = 0; i < files.length; i++) {
      const file = files[i]!;
      this.options.progress?.(i + 1, files.length);
      startLoad(i + concurrency);
      if (now() > deadline) {
        reached = i;
        break;
      }
      const loaded = (await pending.get(i)) ?? { head: undefined, base: undefined };
      pending.delete(i);
      const prepared = this.prepare(file, loaded, limits);
      if ('outcome' in prepared) {
        outcomes[i] = prepared.outcome;
        continue;
      }
      if (changeSet.loadBase) prepared.companions = await this.loadCompanions(prepared, changeSet.loadBase, changeSet.repository ?? null);
      let astDone: Promise<void> | null = null;
      if (prepared.astRules.length > 0) {
        if (batches) astDone = batches.add(prepared.language!, prepared);
        else this.addAstMatches(prepared);
      }
      let semanticDone: Promise<void> | null = null;
      if (runner && this.wantsSemantics(prepared)) {
        const done = this.runSemantics(runner, prepared).finally(() => running.delete(done));
        running.add(done);
        semanticDone = done;
      }
      if (this.lineEngines(prepared, semanticDone === null, changeSet.repository ?? null)) this.treeChars += prepared.text.length;
      // Trees the semantic layer builds elsewhere are that thread's to free; this one frees its own.
      if (this.treeChars > 0) {
        const parsed = this.treeChars;
        this.treeChars = 0;
        await this.options.reclaim?.(parsed);
      }
      if (astDone || semanticDone) {
        completions.push(Promise.all([astDone, semanticDone]).then(() => void (outcomes[i] = this.complete(prepared))));
        heldChars += prepared.text.length;
      } else {
        outcomes[i] = this.complete(prepared);
      }
      // The runner keeps its threads busy with the files in flight while this one reads on.
      while (runner && running.size >= Math.max(1, runner.concurrency)) await Promise.race(running);
      if (heldChars > MAX_HELD_CHARS) {
        // Memory stays bounded on huge changes: drain the queues before reading on.
        batches?.flush();
        await Promise.all(completions);
        completions = [];
        heldChars = 0;
      }
    }
    batches?.flush();
    await Promise.all(completions);

    // Recorded in file order, whichever batch finished first.
    outcomes.forEach((outcome, i) => {
      if (!outcome) return;
      const { path } = files[i]!;
      findings.push(...outcome.findings);
      if ('notReviewed' in outcome) {
        notReviewed.push({ path, reason: outcome.notReviewed });
        return;
      }
      filesScanned++;
      addedLines += outcome.addedLines;
      suppressed.push(...outcome.suppressed);
      notReviewed.push(...outcome.partial.map((reason) => ({ path, reason })));
    });
    for (const rest of files.slice(reached)) {
      notReviewed.push({ path: rest.path, reason: `scan time budget of ${Math.round(limits.timeBudgetMs / 1000)}s exhausted` });
    }

    this.contexts.settle(findings, suppressed);
    findings.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.ruleId.localeCompare(b.ruleId));
    return {
      findings,
      suppressed,
      notReviewed,
      ignored,
      stats: {
        filesScanned,
        addedLines,
        rulesRun: this.options.catalog.rules.length + this.options.catalog.analyzers.reduce((n, a) => n + a.rules.length, 0),
        durationMs: now() - started,
      },
    };
  }

  /** Whether an analyzer that applies to the file compares it with its base version. */
  private wantsBase(file: ChangedFile): boolean {
    if (file.status === 'added' || file.unavailable !== null || file.binary || file.newMode === GITLINK_MODE || file.oldMode === GITLINK_MODE) return false;
    return this.options.catalog.analyzers.some((a) => a.wantsBase !== undefined && a.appliesTo(file) && a.wantsBase(file));
  }

  /**
   * The base version as analyzers see it, and why it could not be used when it could not (the
   * file is then listed as not fully reviewed; the analyzers see `text: null`).
   */
  private baseOf(loaded: Loaded['base'], limits: ScanLimits): { base: BaseText | null; problem: string | null } {
    if (loaded === undefined) return { base: null, problem: null };
    const none = { text: null, lines: [] };
    if (loaded instanceof Error) return { base: none, problem: `base version could not be read: ${firstLine(loaded)}` };
    if (loaded === null) return { base: none, problem: 'base version could not be read: file missing at base' };
    if (loaded.length > limits.maxFileBytes) {
      return { base: none, problem: `base version is ${loaded.length} bytes, over the ${limits.maxFileBytes}-byte limit` };
    }
    if (looksBinary(loaded)) return { base: none, problem: null };
    const text = decodeUtf8(loaded);
    return { base: { text, lines: splitLines(text) }, problem: null };
  }

  /** Checks that a file can be reviewed and readies its text, or says why not. */
  private prepare(file: ChangedFile, loaded: Loaded, limits: ScanLimits): PreparedFile | { outcome: FileOutcome } {
    const done = (outcome: FileOutcome) => ({ outcome });
    if (file.unavailable !== null) return done({ notReviewed: file.unavailable, findings: [] });
    const { base, problem } = this.baseOf(loaded.base, limits);
    const partial = problem === null ? [] : [problem];
    if (file.status === 'deleted') {
      const analyzed = this.analyzerMatches(file, null, [], new Set(), base);
      const findings = this.finish(file, this.pathMatches(file, null).concat(analyzed.matches), [], new Set());
      return done({ findings: findings.findings, suppressed: [], partial: [...partial, ...analyzed.errors], addedLines: 0 });
    }
    if (file.newMode === GITLINK_MODE) {
      return done({ notReviewed: SUBMODULE_NOT_REVIEWED, findings: this.finish(file, this.pathMatches(file, null), [], new Set()).findings });
    }
    if (file.binary) return done({ notReviewed: 'binary file', findings: this.finish(file, this.pathMatches(file, null), [], new Set()).findings });
    if (file.size !== null && file.size > limits.maxFileBytes) {
      return done({ notReviewed: `file is ${file.size} bytes, over the ${limits.maxFileBytes}-byte limit`, findings: [] });
    }
    const head = loaded.head ?? null;
    if (head instanceof Error) return done({ notReviewed: `head version could not be read: ${firstLine(head)}`, findings: [] });
    if (head === null) return done({ notReviewed: 'head version could not be read: file missing at head', findings: [] });
    if (head.length > limits.maxFileBytes) {
      return done({ notReviewed: `file is ${head.length} bytes, over the ${limits.maxFileBytes}-byte limit`, findings: [] });
    }
    if (looksBinary(head)) return done({ notReviewed: 'binary file', findings: this.finish(file, this.pathMatches(file, null), [], new Set()).findings });

    const text = decodeUtf8(head);
    const lines = splitLines(text);
    const sortedAdded = reviewsWholeFile(file)
      ? lines.map((_, i) => i + 1)
      : file.addedLines.filter((l) => l >= 1 && l <= lines.length);
    const language = languageOf(file.path, lines[0]);
    const plan = this.plan(file.path, language);
    let astRules: CompiledRule[] = [];
    if (language && sortedAdded.length > 0 && plan.ast.length > 0) {
      const mayMatch = this.wordIndex(plan).mayMatch(text);
      astRules = plan.ast.filter((_, i) => mayMatch[i]);
    }
    return {
      file,
      text,
      lines,
      sortedAdded,
      added: new Set(sortedAdded),
      language,
      plan,
      astRules,
      matches: this.pathMatches(file, plan),
      partial,
      base,
      companions: NO_COMPANIONS,
    };
  }

  /** The base files that the analyzers of this file ask for after a first look at it (Analyzer.baseCompanions). */
  private async loadCompanions(p: PreparedFile, loader: ContentLoader, repository: string | null): Promise<ReadonlyMap<string, BaseCompanion>> {
    if (p.sortedAdded.length === 0) return NO_COMPANIONS;
    const askers = this.options.catalog.analyzers.filter((a) => a.baseCompanions !== undefined && a.appliesTo(p.file));
    if (askers.length === 0) return NO_COMPANIONS;
    const input: AnalyzerInput = { file: p.file, text: p.text, lines: p.lines, added: p.added, data: this.options.data, related: this.related, base: p.base, repository };
    const paths = new Set<string>();
    for (const analyzer of askers) {
      try {
        for (const path of analyzer.baseCompanions!(input)) paths.add(path);
      } catch {
        // The analyzer's own run reports its crash on this input.
      }
    }
    if (paths.size === 0) return NO_COMPANIONS;
    const companions = new Map<string, BaseCompanion>();
    await Promise.all([...paths].map(async (path) => void companions.set(path, await this.companion(loader, path))));
    return companions;
  }

  /** One base file for Analyzer.baseCompanions, read once per review and bounded in count and size. */
  private companion(loader: ContentLoader, path: string): Promise<BaseCompanion> {
    const known = this.companionFiles.get(path);
    if (known) return known;
    if (this.companionFiles.size >= MAX_COMPANION_FILES) {
      return Promise.resolve({ problem: `not read: a review reads at most ${MAX_COMPANION_FILES} such files at the base` });
    }
    const read = loader(path, { maxBytes: MAX_COMPANION_BYTES }).then(
      (bytes): BaseCompanion => {
        if (bytes === null) return { missing: true };
        if (bytes.length > MAX_COMPANION_BYTES) return { problem: `${bytes.length} bytes, over the ${MAX_COMPANION_BYTES}-byte limit` };
        if (looksBinary(bytes)) return { problem: 'binary file' };
        return { text: decodeUtf8(bytes) };
      },
      (err: unknown): BaseCompanion => ({ problem: `could not be read: ${firstLine(err)}` }),
    );
    this.companionFiles.set(path, read);
    return read;
  }

  /** Whether the file has call or taint rules to run. */
  private wantsSemantics(p: PreparedFile): p is PreparedFile & { language: Language } {
    return p.sortedAdded.length > 0 && p.language !== null && p.plan.call.length + p.plan.taint.length > 0;
  }

  /**
   * Regex rules, call and taint rules (here when `semantics`), and analyzers: they work on lines,
   * the semantic model and parsed documents, not on the AST rules' trees. True when trees were built.
   */
  private lineEngines(p: PreparedFile, semantics: boolean, repository: string | null): boolean {
    if (p.sortedAdded.length > 0) {
      const where = { comments: commentMarkers(p.file.path, p.language), repository };
      p.matches.push(...this.regexMatches(p.plan.regex, p.lines, p.sortedAdded, p.text, where));
    }
    let built = false;
    if (semantics && this.wantsSemantics(p)) {
      const result = semanticMatches(p.plan.call, p.plan.taint, p.text, p.language, p.sortedAdded);
      this.addSemanticMatches(p, result, p.partial.length);
      built = result.built;
    }
    const analyzed = this.analyzerMatches(p.file, p.text, p.lines, p.added, p.base, repository, p.companions);
    p.matches.push(...analyzed.matches);
    p.partial.push(...analyzed.errors);
    return built;
  }

  private complete(p: PreparedFile): FileOutcome {
    dropDeferred(p.matches);
    const done = this.finish(p.file, p.matches, p.lines, p.added, p.sortedAdded);
    return { findings: done.findings, suppressed: done.suppressed, partial: p.partial, addedLines: p.sortedAdded.length };
  }

  /** Adds the semantic layer's matches, and its reasons at `at` in the file's list (where running here puts them). */
  private addSemanticMatches(p: PreparedFile, result: SemanticResult, at: number): void {
    for (const m of result.matches) {
      p.matches.push({
        ruleId: m.ruleId,
        line: m.line,
        endLine: m.endLine,
        column: m.column,
        text: m.text,
        source: 'ast',
        message: m.message,
        ...(m.deferTo ? { deferTo: m.deferTo } : {}),
        ...(m.flow ? { flow: m.flow } : {}),
      });
    }
    p.partial.splice(at, 0, ...result.partial);
  }

  /** The file's call and taint rules on the runner; never rejects: rules that could not run leave the file listed. */
  private async runSemantics(runner: SemanticRunner, p: PreparedFile & { language: Language }): Promise<void> {
    const at = p.partial.length;
    const request = {
      path: p.file.path,
      text: p.text,
      language: p.language,
      callRules: p.plan.call.map((r) => r.meta.id),
      taintRules: p.plan.taint.map((r) => r.meta.id),
      sortedAdded: p.sortedAdded,
    };
    let result: SemanticResult;
    try {
      result = await runner.run(request);
    } catch (err) {
      result = { matches: [], partial: [`call and taint rules not run: ${firstLine(err)}`], built: false };
    }
    this.addSemanticMatches(p, result, at);
  }

  private addAstMatches(p: PreparedFile): void {
    this.treeChars += p.text.length;
    const ast = this.astMatches(p.astRules, p.language!, p.text, p.sortedAdded);
    p.matches.push(...ast.matches);
    p.partial.push(...ast.errors);
  }

  private readonly combined = new Map<string, CombinedAstRules>();

  /** One search over a language's files with the union of their rules; rejects if it could not run. */
  private async astBatch(search: AstTextSearch, language: Language, group: PreparedFile[]): Promise<void> {
    const wanted = new Set(group.flatMap((p) => p.astRules));
    const rules = this.options.catalog.rules.filter((r) => wanted.has(r));
    const key = `${language}\0${rules.map((r) => r.meta.id).join('\0')}`;
    let combined = this.combined.get(key);
    if (!combined) {
      combined = combineAstRules(rules);
      if (this.combined.size > 1000) this.combined.clear();
      this.combined.set(key, combined);
    }
    const indexOf = new Map(rules.map((r, i) => [r, i]));
    const found = new Map<number, Match[]>();
    const onText = (index: number, hits: AstHit[]): void => {
      const p = group[index];
      if (!p) return;
      // The hits came back as nodes of the file's tree: it lives on this thread until they are collected.
      this.treeChars += p.text.length;
      const candidates = new Set(p.astRules.map((r) => indexOf.get(r)!));
      const matches: Match[] = [];
      for (const hit of hits) {
        if (!candidates.has(hit.rule) || !anyLineWithin(p.sortedAdded, hit.line, hit.endLine)) continue;
        matches.push({ ruleId: rules[hit.rule]!.meta.id, line: hit.line, endLine: hit.endLine, column: hit.column, text: hit.text, source: 'ast' });
      }
      found.set(index, matches);
    };
    await search(
      language,
      combined,
      group.map((p) => p.text),
      onText,
      group.map((p) => p.sortedAdded),
    );
    // Only once the whole batch has run: a failed batch is redone file by file, without duplicates.
    for (const [index, matches] of found) group[index]!.matches.push(...matches);
  }

  private readonly plans = new Map<string, FilePlan>();
  private readonly wordIndexes = new WeakMap<FilePlan, WordIndex>();

  /** The word pre-filter of a plan's AST rules (see prefilter.ts). */
  private wordIndex(plan: FilePlan): WordIndex {
    let index = this.wordIndexes.get(plan);
    if (!index) {
      index = new WordIndex(plan.ast.map((r) => (r.match.kind === 'ast' ? r.match.required : [])));
      this.wordIndexes.set(plan, index);
    }
    return index;
  }

  /** Per language: indexes of the rules that apply to every path, and of those with a path filter. */
  private readonly rulesByLanguage = new Map<Language | null, { everyPath: number[]; filtered: number[] }>();

  private rulesFor(language: Language | null): { everyPath: number[]; filtered: number[] } {
    let found = this.rulesByLanguage.get(language);
    if (!found) {
      found = { everyPath: [], filtered: [] };
      for (const [i, rule] of this.options.catalog.rules.entries()) {
        if (rule.languages && (!language || !rule.languages.has(language))) continue;
        (rule.pathFiltered ? found.filtered : found.everyPath).push(i);
      }
      this.rulesByLanguage.set(language, found);
    }
    return found;
  }

  private plan(path: string, language: Language | null): FilePlan {
    // Only rules with a path filter are tested per file: the language's other rules apply to every path.
    const { everyPath, filtered } = this.rulesFor(language);
    const matched = filtered.filter((i) => this.options.catalog.rules[i]!.appliesToPath(path));
    // Files that get the same rules share one plan, and with it the compiled pre-filter and regex set.
    const key = `${language ?? ''}:${matched.join(',')}`;
    const cached = this.plans.get(key);
    if (cached) return cached;
    const included = [...everyPath, ...matched].sort((a, b) => a - b);
    const plan: FilePlan = { regex: [], ast: [], path: [], call: [], taint: [] };
    for (const i of included) {
      const rule = this.options.catalog.rules[i]!;
      plan[rule.match.kind].push(rule);
    }
    this.plans.set(key, plan);
    return plan;
  }

  private pathMatches(file: ChangedFile, plan: FilePlan | null): Match[] {
    const rules = plan ? plan.path : this.options.catalog.rules.filter((r) => r.match.kind === 'path' && r.appliesToPath(file.path));
    const line = file.addedLines[0] ?? 1;
    const out: Match[] = [];
    for (const rule of rules) {
      if (rule.match.kind !== 'path' || !pathRuleFires(rule.match, file)) continue;
      // Path rules for deleted files ignore the language filter (there is no content to detect it from).
      out.push({ ruleId: rule.meta.id, line, endLine: line, column: null, text: `${file.status} ${file.path}`, source: 'path' });
    }
    return out;
  }

  private regexSet(rules: CompiledRule[]): RegexSet {
    let set = this.regexSets.get(rules);
    if (!set) {
      set = new RE2.Set(
        rules.map((r) => (r.match.kind === 'regex' ? r.match.setSource : '$^')),
        'u',
      );
      this.regexSets.set(rules, set);
    }
    return set;
  }

  /**
   * `where`: the file's comment markers and the repository under review (`owner/name`, when
   * known), for the rules that skip comments or the repository's own URLs.
   */
  private regexMatches(
    rules: CompiledRule[],
    lines: readonly string[],
    sortedAdded: readonly number[],
    text: string,
    { comments, repository }: { comments: readonly string[]; repository: string | null },
  ): Match[] {
    if (rules.length === 0) return [];
    // One RE2.Set pass over the added text tells which rules can match at all; only those
    // rules then run line by line. RE2 keeps every pass linear in the input. A file added
    // whole is its own added text (unless CRs, which the lines drop, would change anchors).
    const whole = sortedAdded.length === lines.length && !text.includes('\r');
    const addedText = whole ? text : sortedAdded.map((l) => lines[l - 1]!).join('\n');
    const candidates = this.regexSet(rules).match(addedText);
    const out: Match[] = [];
    for (const index of candidates) {
      const rule = rules[index]!;
      if (rule.match.kind !== 'regex') continue;
      const { regex, regexNot, inComments, allowOwnRepository } = rule.match;
      for (const line of sortedAdded) {
        const text = lines[line - 1]!;
        regex.lastIndex = 0;
        const m = regex.exec(text);
        if (!m) continue;
        if (regexNot && regexNot.test(text)) continue;
        if (!inComments) {
          const comment = commentStart(text, comments);
          if (comment >= 0 && m.index >= comment) continue;
        }
        if (allowOwnRepository && repository && fetchesOnlyFrom(text, repository)) continue;
        out.push({ ruleId: rule.meta.id, line, endLine: line, column: m.index + 1, text: m[0], source: 'regex' });
      }
    }
    return out;
  }

  private astMatches(
    rules: CompiledRule[],
    language: Language,
    text: string,
    sortedAdded: readonly number[],
  ): { matches: Match[]; errors: string[] } {
    // The caller passes only the AST rules that passed the word pre-filter.
    if (rules.length === 0) return { matches: [], errors: [] };
    let root: SgNode;
    try {
      root = parse(astLang(language), text).root();
    } catch (err) {
      return { matches: [], errors: [`AST rules not run: ${language} parser failed (${firstLine(err)})`] };
    }
    const matches: Match[] = [];
    const errors: string[] = [];
    for (const rule of rules) {
      if (rule.match.kind !== 'ast') continue;
      let nodes: SgNode[];
      try {
        nodes = root.findAll(rule.match.config);
      } catch (err) {
        errors.push(`rule ${rule.meta.id} failed: ${firstLine(err)}`);
        continue;
      }
      for (const match of nodes) {
        // Lines first: a comparison may fold a value through the whole file (see hitsOf).
        const outer = match.range();
        if (!anyLineWithin(sortedAdded, outer.start.line + 1, outer.end.line + 1)) continue;
        if (rule.match.compare && !rule.match.compare((name) => match.getMatch(name))) continue;
        const node = (rule.match.focus ? match.getMatch(rule.match.focus) : null) ?? match;
        const range = node === match ? outer : node.range();
        const line = range.start.line + 1;
        const endLine = range.end.line + 1;
        if (!anyLineWithin(sortedAdded, line, endLine)) continue;
        matches.push({
          ruleId: rule.meta.id,
          line,
          endLine,
          column: range.start.column + 1,
          text: node.text(),
          source: 'ast',
        });
      }
    }
    return { matches, errors };
  }

  /** The small set of files analyzers read across the change (reusable workflows, actions): bounded in count and size. */
  private async loadRelated(changeSet: ChangeSet, files: readonly ChangedFile[], maxBytes: number): Promise<ReadonlyMap<string, string>> {
    const wanted = this.options.catalog.analyzers.filter((a) => a.related);
    if (wanted.length === 0) return new Map();
    const chosen = files
      .filter((f) => f.status !== 'deleted' && !f.binary && f.unavailable === null && (f.size === null || f.size <= maxBytes))
      .filter((f) => wanted.some((a) => a.related!(f)))
      .slice(0, MAX_RELATED_FILES);
    const related = new Map<string, string>();
    await Promise.all(
      chosen.map(async (f) => {
        const bytes = await changeSet.loadHead(f.path).catch(() => null);
        if (bytes && bytes.length <= maxBytes && !looksBinary(bytes)) related.set(f.path, decodeUtf8(bytes));
      }),
    );
    return related;
  }

  private analyzerMatches(
    file: ChangedFile,
    text: string | null,
    lines: string[],
    added: ReadonlySet<number>,
    base: BaseText | null,
    repository: string | null = null,
    companions: ReadonlyMap<string, BaseCompanion> = NO_COMPANIONS,
  ): { matches: Match[]; errors: string[] } {
    const matches: Match[] = [];
    const errors: string[] = [];
    const input: AnalyzerInput = { file, text, lines, added, data: this.options.data, related: this.related, base: null, repository, companions };
    const withBase: AnalyzerInput = { ...input, base };
    for (const analyzer of this.options.catalog.analyzers) {
      if (!analyzer.appliesTo(file)) continue;
      let raw: RawFinding[];
      try {
        raw = analyzer.analyze(base && analyzer.wantsBase?.(file) ? withBase : input);
      } catch (err) {
        // A crash on hostile input must not pass silently: the file counts as not fully reviewed.
        errors.push(`analyzer ${analyzer.name} failed: ${firstLine(err)}`);
        continue;
      }
      for (const r of raw) {
        matches.push({
          ruleId: r.ruleId,
          line: r.line,
          endLine: r.endLine ?? r.line,
          column: r.column ?? null,
          text: r.snippet,
          source: 'analyzer',
          ...(r.message ? { message: r.message } : {}),
          ...(r.fix ? { fix: r.fix } : {}),
          ...(r.confidence ? { confidence: r.confidence } : {}),
          ...(r.groupKey !== undefined ? { groupKey: r.groupKey } : {}),
          ...(r.removal ? { removal: true } : {}),
          ...(r.deferTo && r.deferTo.length > 0 ? { deferTo: new Set(r.deferTo) } : {}),
        });
      }
    }
    return { matches, errors };
  }

  private readonly contextTables = new WeakMap<RuleMeta, ReturnType<typeof resolveContext>>();

  /** A rule's context table, its declared rows over its category's defaults. */
  private contextTable(rule: RuleMeta): ReturnType<typeof resolveContext> {
    let table = this.contextTables.get(rule);
    if (!table) {
      table = resolveContext(rule.category, rule.context);
      this.contextTables.set(rule, table);
    }
    return table;
  }

  /** Diff filter, metadata, dedupe, suppression and fingerprints for one file's matches. */
  private finish(
    file: ChangedFile,
    matches: Match[],
    lines: readonly string[],
    added: ReadonlySet<number>,
    sortedAdded: readonly number[] = [...added].sort((a, b) => a - b),
  ): { findings: Finding[]; suppressed: SuppressedFinding[] } {
    const { meta, disabled, confidenceConfigured } = this.options.catalog;
    const fileLevel = file.status === 'deleted' || lines.length === 0;
    const suppressions = lines.length > 0 ? baseSuppressions(lines, { added, removedAfter: file.removedAfter }) : new Map();
    // Outermost first among matches that start at the same place, whichever engine found them.
    matches.sort(
      (a, b) =>
        a.line - b.line ||
        (a.column ?? 0) - (b.column ?? 0) ||
        a.ruleId.localeCompare(b.ruleId) ||
        b.endLine - a.endLine ||
        b.text.length - a.text.length,
    );
    const seen = new Set<string>();
    const occurrences = new Map<string, number>();
    const findings: Finding[] = [];
    const suppressed: SuppressedFinding[] = [];
    const context = this.contexts.record(file.path, lines, file.status === 'modified' ? added : undefined);
    for (const m of matches) {
      if (disabled.has(m.ruleId)) continue;
      const rule = meta.get(m.ruleId);
      if (!rule) throw new Error(`internal: finding for unknown rule id ${m.ruleId}`);
      if (m.source !== 'path' && !m.removal && !fileLevel && !anyLineWithin(sortedAdded, m.line, m.endLine)) continue;
      // Nested AST matches of one rule (a + b + c) collapse into the outermost one.
      const key = `${m.ruleId}\0${m.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const normalized = normalizeMatchedText(clip(m.text, FINGERPRINT_TEXT_MAX));
      const occurrenceKey = `${m.ruleId}\0${normalized}`;
      const occurrence = occurrences.get(occurrenceKey) ?? 0;
      occurrences.set(occurrenceKey, occurrence + 1);
      const confidence = confidenceConfigured?.has(m.ruleId) ? rule.confidence : matchConfidence(m, rule.confidence, meta);
      // The file's context lowers the finding as the rule says; production never does.
      const adjusted =
        context.kind === 'production' ? { severity: rule.severity, confidence } : adjustFinding(rule.severity, confidence, this.contextTable(rule)[context.kind]);
      const lowered = adjusted.severity !== rule.severity || adjusted.confidence !== confidence;
      const finding: Finding = {
        ruleId: m.ruleId,
        title: rule.title,
        severity: adjusted.severity,
        confidence: adjusted.confidence,
        category: rule.category,
        cwe: rule.cwe,
        path: file.path,
        line: m.line,
        endLine: Math.max(m.line, m.endLine),
        column: m.column,
        ...matchEndColumn(m),
        message: m.message ?? rule.message,
        fix: m.fix ?? (rule.fix ? { description: rule.fix } : null),
        references: rule.references,
        snippet: clip(m.source === 'analyzer' ? m.text : (lines[m.line - 1] ?? m.text).trim(), SNIPPET_MAX),
        fingerprint: fingerprint(m.ruleId, file.path, normalized, occurrence),
        source: m.source,
        ...(m.flow ? { flow: m.flow } : {}),
        group: m.groupKey !== undefined ? { key: m.groupKey, analyzer: true } : { key: normalized, analyzer: false },
        context: { kind: context.kind, reason: context.reason, ...(lowered ? { original: { severity: rule.severity, confidence } } : {}) },
      };
      const s = suppressions.size > 0 ? findSuppression(suppressions, added, m.ruleId, finding.line, finding.endLine) : null;
      if (s) suppressed.push({ finding, reason: s.reason || '(no reason given)', suppressionLine: s.line });
      else findings.push(finding);
    }
    return { findings, suppressed };
  }
}

/**
 * Where a pattern match ends, in UTF-16 units like its start: the match's text is exactly what
 * the pattern or the syntax node covers (an analyzer's text is a description, not a span).
 */
function matchEndColumn(m: Match): { endColumn?: number } {
  if (m.column === null || (m.source !== 'ast' && m.source !== 'regex') || m.text === '') return {};
  const lastBreak = m.text.lastIndexOf('\n');
  return { endColumn: lastBreak < 0 ? m.column + m.text.length : m.text.length - lastBreak };
}

export function scanChangeSet(changeSet: ChangeSet, options: ScanOptions): Promise<ScanResult> {
  return new Scanner(options).scan(changeSet);
}

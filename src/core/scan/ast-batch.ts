import type { NapiConfig, SgNode } from '@ast-grep/napi';
import type { Language } from '../rules/schema.js';
import type { CompiledAstMatch, CompiledRule } from './compile.js';
import { anyLineWithin } from './sorted-lines.js';

/** One node that one of the combined rules matched (plain data: it may come from another thread). */
export interface AstHit {
  /** Index of the rule in the combined rules. */
  rule: number;
  /** 1-based lines, 1-based column. */
  line: number;
  endLine: number;
  column: number;
  text: string;
}

/**
 * Searches many texts of one language with combined rules and reports each text's hits through
 * `onText` (index into `texts`, hits from `hitsOf`); texts without hits are not reported. With
 * `lines` (per text, its sorted 1-based lines under review), hits on other lines may be left
 * out. It must reject rather than leave a text unsearched. The file-backed implementation lives
 * in the I/O layer; the core only needs this shape.
 */
export type AstTextSearch = (
  language: Language,
  combined: CombinedAstRules,
  texts: readonly string[],
  onText: (index: number, hits: AstHit[]) => void,
  lines?: readonly (readonly number[])[],
) => Promise<void>;

/**
 * Many AST rules as ONE ast-grep rule, so that a batch of files is parsed once and the rule
 * set compiled once (ast-grep compiles a rule on every call, which costs more than matching).
 *
 *   all:
 *     - any: [r0, r1, …]                     # cheap filter: some rule matches this node
 *     - any: [{all: [r0, $$R0]}, {not: r0}]  # $$R0 is captured iff r0 matches
 *     - …
 *
 * where each `ri` is `matches: <util i>`, the rule written once as a util: ast-grep compiles a
 * rule's patterns wherever the rule is written, and three copies cost three times the compile.
 *
 * `all` keeps every capture, so each rule's metavariables get a rule-specific prefix (two rules
 * both using $X must not constrain each other), as do its utils. Constraints are checked on the
 * whole match at the end, so a constrained rule's hits are only candidates, confirmed with the
 * rule itself. Only files with matches come back: every returned node keeps its file's syntax
 * tree alive in native memory until V8 happens to collect it.
 */
export interface CombinedAstRules {
  config: NapiConfig;
  ruleCount: number;
  /** The full configs of rules with constraints, by index, to confirm their candidates. */
  constrained: Record<number, NapiConfig>;
  /** The prefixed focus metavariable of rules that report a bound node, by index. */
  focus: Record<number, string>;
  /** Metavariable comparisons of rules that have them, by index (names unprefixed). */
  compare: Record<number, NonNullable<CompiledAstMatch['compare']>>;
}

const METAVARIABLE = /\$(\$\$?)?([A-Z][A-Z0-9_]*)/g;

function markerName(index: number): string {
  return `AIRLOCK_RULE_${index}`;
}

/** The util holding rule `index` (a rule's own utils are renamed `R<index>_…`, so these cannot collide). */
function utilName(index: number): string {
  return `AIRLOCK_UTIL_${index}`;
}

/** Prefixes metavariable names in patterns and util names in `matches`, anywhere in a rule. */
function prefixNames(value: unknown, prefix: string): unknown {
  if (Array.isArray(value)) return value.map((item) => prefixNames(item, prefix));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if ((key === 'pattern' || key === 'context') && typeof inner === 'string') {
      // Names starting with _ are non-capturing and stay shared; $$$ alone is not a name.
      out[key] = inner.replace(METAVARIABLE, (_m, dollars: string | undefined, name: string) => `$${dollars ?? ''}${prefix}${name}`);
    } else if (key === 'matches' && typeof inner === 'string') {
      out[key] = `${prefix}${inner}`;
    } else {
      out[key] = prefixNames(inner, prefix);
    }
  }
  return out;
}

export function combineAstRules(rules: readonly CompiledRule[]): CombinedAstRules {
  const utils: Record<string, unknown> = {};
  const renamed = rules.map((rule, i) => {
    if (rule.match.kind !== 'ast') throw new Error(`internal: ${rule.meta.id} is not an AST rule`);
    const prefix = `R${i}_`;
    const config = rule.match.config as { rule: unknown; utils?: Record<string, unknown> };
    for (const [name, util] of Object.entries(config.utils ?? {})) utils[`${prefix}${name}`] = prefixNames(util, prefix);
    utils[utilName(i)] = prefixNames(config.rule, prefix);
    return { matches: utilName(i) };
  });
  const rule = {
    all: [
      { any: renamed },
      ...renamed.map((r, i) => ({ any: [{ all: [r, { pattern: `$$${markerName(i)}` }] }, { not: r }] })),
    ],
  };
  const constrained: Record<number, NapiConfig> = {};
  const focus: Record<number, string> = {};
  const compare: CombinedAstRules['compare'] = {};
  rules.forEach((r, i) => {
    if (r.match.kind === 'ast' && r.match.compare) compare[i] = r.match.compare;
    if (r.match.kind === 'ast' && r.match.config.constraints) constrained[i] = r.match.config;
    if (r.match.kind === 'ast' && r.match.focus) focus[i] = `R${i}_${r.match.focus}`;
  });
  return {
    config: { rule, utils } as NapiConfig,
    ruleCount: rules.length,
    constrained,
    focus,
    compare,
  };
}

/**
 * What the combined rules found in the nodes ast-grep returned for one text, constraints checked.
 * With `lines` (sorted, 1-based), only nodes that touch them: a constraint or a comparison may
 * fold a value through the whole file, which a hit on a line nobody reviews need not pay for.
 */
export function hitsOf(nodes: readonly SgNode[], combined: CombinedAstRules, lines?: readonly number[]): AstHit[] {
  const hits: AstHit[] = [];
  for (const node of nodes) {
    let range: ReturnType<SgNode['range']> | null = null;
    if (lines) {
      // A focused node lies inside the match: a match off these lines has no hit on them.
      range = node.range();
      if (!anyLineWithin(lines, range.start.line + 1, range.end.line + 1)) continue;
    }
    for (let i = 0; i < combined.ruleCount; i++) {
      if (!node.getMatch(markerName(i))) continue;
      const full = combined.constrained[i];
      if (full && !node.matches(full)) continue;
      const compare = combined.compare[i];
      if (compare && !compare((name) => node.getMatch(`R${i}_${name}`))) continue;
      const focusName = combined.focus[i];
      const focused = focusName ? node.getMatch(focusName) : null;
      if (focused) {
        const at = focused.range();
        hits.push({ rule: i, line: at.start.line + 1, endLine: at.end.line + 1, column: at.start.column + 1, text: focused.text() });
        continue;
      }
      range ??= node.range();
      hits.push({ rule: i, line: range.start.line + 1, endLine: range.end.line + 1, column: range.start.column + 1, text: node.text() });
    }
  }
  return hits;
}

export interface BatchLimits {
  /** A language's queue is searched once it holds this many files or characters… */
  maxFiles: number;
  maxChars: number;
  /**
   * …or earlier, when fewer than `maxRunning` batches are searching: from this many files for a
   * language's first batch, twice as many for each later one (up to `maxFiles`). Each search
   * compiles the rules again, on the calling thread: a large change of one language needs few
   * large batches, a small one needs its first batch soon.
   */
  minFiles: number;
  maxRunning: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxFiles: 512, maxChars: 16_000_000, minFiles: 64, maxRunning: 1 };

interface Queue<T> {
  items: T[];
  chars: number;
  done: Promise<void>;
  resolve: () => void;
}

/**
 * Queues files per language and starts batch searches so that ast-grep's threads stay busy
 * while the caller reads and checks later files: small batches while threads are idle (each
 * search compiles its rule on the calling thread), larger ones while they are busy.
 */
export class AstBatchScheduler<T> {
  private readonly queues = new Map<Language, Queue<T>>();
  /** Batches started per language. */
  private readonly started = new Map<Language, number>();
  private running = 0;

  constructor(
    /** Searches one batch; must not reject (a failed batch is the runner's to redo). */
    private readonly run: (language: Language, items: T[]) => Promise<void>,
    private readonly charsOf: (item: T) => number,
    private readonly limits: BatchLimits = DEFAULT_BATCH_LIMITS,
  ) {}

  /** Queues an item; resolves once its batch has been searched. */
  add(language: Language, item: T): Promise<void> {
    let queue = this.queues.get(language);
    if (!queue) {
      let resolve: () => void = () => {};
      const done = new Promise<void>((r) => (resolve = r));
      queue = { items: [], chars: 0, done, resolve };
      this.queues.set(language, queue);
    }
    queue.items.push(item);
    queue.chars += this.charsOf(item);
    const { maxFiles, maxChars, minFiles, maxRunning } = this.limits;
    const early = Math.min(maxFiles, minFiles * 2 ** (this.started.get(language) ?? 0));
    if (queue.items.length >= maxFiles || queue.chars >= maxChars || (this.running < maxRunning && queue.items.length >= early)) {
      this.start(language);
    }
    return queue.done;
  }

  /** Starts every queued batch, whatever its size. */
  flush(): void {
    for (const language of [...this.queues.keys()]) this.start(language);
  }

  private start(language: Language): void {
    const queue = this.queues.get(language);
    if (!queue) return;
    this.queues.delete(language);
    this.started.set(language, (this.started.get(language) ?? 0) + 1);
    this.running++;
    void this.run(language, queue.items).finally(() => {
      this.running--;
      queue.resolve();
      this.startLargest();
    });
  }

  private startLargest(): void {
    if (this.running >= this.limits.maxRunning) return;
    let best: Language | null = null;
    for (const [language, queue] of this.queues) {
      if (queue.items.length >= this.limits.minFiles && (best === null || queue.items.length > this.queues.get(best)!.items.length)) best = language;
    }
    if (best !== null) this.start(best);
  }
}

import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { anyLineWithin } from '../scan/sorted-lines.js';
import { requiredWords, type Requirement } from '../scan/prefilter.js';
import { escapeRegexLiteral } from '../text.js';
import type { Expr, Scope } from './ir.js';
import type { TaintAnalysis, TaintFlow, TaintStep } from './taint.js';

// Taint sources, sinks and sanitizers named by code shape rather than by canonical name (what
// Semgrep's `mode: taint` rules translate to): an ast-grep rule run over the file marks nodes,
// and the taint pass asks, for each expression it visits, whether its node was marked.

export interface TaintPattern {
  config: NapiConfig;
  /** Metavariable (without `$`) whose bound node is marked instead of the whole match. */
  focus: string | null;
  /** The same key for the same config and focus: rules sharing a source or sanitizer run it once per file. */
  key: string;
}

export interface TaintPatterns {
  sources: readonly TaintPattern[];
  sinks: readonly TaintPattern[];
  sanitizers: readonly TaintPattern[];
  /** Per sink pattern: word sets of which one each must occur in a file for it to match. */
  sinkWords: readonly (readonly PatternWords[])[];
  /** The same per source pattern. */
  sourceWords: readonly (readonly PatternWords[])[];
}

/** A requirement, and whether its words are whole identifiers (from a pattern) or may be parts of one. */
export interface PatternWords extends Requirement {
  whole: boolean;
}

export type PatternMark = 'source' | 'clean' | null;

function key(node: SgNode): string {
  const r = node.range();
  return `${r.start.index}:${r.end.index}`;
}

/** Per parsed file, the ranges each source or sanitizer pattern marks, by pattern key. */
const markCache = new WeakMap<SgNode, Map<string, ReadonlySet<string>>>();

/** The ranges a pattern marks in the file: each match, or the node its focus metavariable is bound to. */
function marked(root: SgNode, pattern: TaintPattern, tick: () => void): ReadonlySet<string> {
  let cache = markCache.get(root);
  if (!cache) markCache.set(root, (cache = new Map()));
  const known = cache.get(pattern.key);
  if (known) return known;
  const out = new Set<string>();
  for (const m of root.findAll(pattern.config)) {
    tick();
    const node = pattern.focus ? m.getMatch(pattern.focus) : m;
    if (node) out.add(key(node));
  }
  cache.set(pattern.key, out);
  return out;
}

/** Source and sanitizer marks of one file, computed on first use; a sanitizer wins over a source. */
export class PatternMarks {
  private sources: Set<string> | null = null;
  private sanitizers: Set<string> | null = null;

  constructor(
    private readonly a: TaintAnalysis,
    private readonly root: SgNode,
    private readonly patterns: TaintPatterns,
  ) {}

  private ranges(list: readonly TaintPattern[]): Set<string> {
    const tick = () => this.a.file.cx.budget.tick();
    return new Set(list.flatMap((p) => [...marked(this.root, p, tick)]));
  }

  /** Whether any source pattern matches in the file. */
  anySource(): boolean {
    this.sources ??= this.ranges(this.patterns.sources);
    return this.sources.size > 0;
  }

  of(expr: Expr): PatternMark {
    const node = this.a.file.cx.nodeOf.get(expr);
    if (!node) return null;
    const at = key(node);
    this.sanitizers ??= this.ranges(this.patterns.sanitizers);
    if (this.sanitizers.has(at)) return 'clean';
    this.sources ??= this.ranges(this.patterns.sources);
    return this.sources.has(at) ? 'source' : null;
  }
}

function patternTexts(rule: unknown, out: string[]): string[] {
  if (Array.isArray(rule)) for (const item of rule) patternTexts(item, out);
  else if (rule !== null && typeof rule === 'object') {
    for (const [key, value] of Object.entries(rule)) {
      if (key === 'pattern' && typeof value === 'string') out.push(value);
      else if (key !== 'not') patternTexts(value, out);
    }
  }
  return out;
}

/**
 * Words a text must contain for the pattern to match it: those of its patterns, and the
 * literals of a constraint regex on a metavariable every one of its patterns binds (so the
 * constrained text is in the file whichever alternative matched).
 */
export function taintPatternWords(config: NapiConfig): PatternWords[] {
  const texts = patternTexts(config.rule, []);
  const constraints = Object.entries((config.constraints ?? {}) as Record<string, Record<string, unknown>>);
  const regexes = constraints.flatMap(([name, c]) =>
    typeof c.regex === 'string' && texts.length > 0 && texts.every((t) => new RegExp(`\\$${name}(?![A-Z0-9_])`).test(t)) ? [{ regex: c.regex }] : [],
  );
  return [
    ...requiredWords(config.rule).map((r) => ({ ...r, whole: !r.caseInsensitive })),
    ...regexes.map(({ regex }) => exactNames(regex) ?? requiredWords({ regex }).map((r) => ({ ...r, whole: false }))).flat(),
  ];
}

/** `^(?:(req|request|ctx\.request)$)`: the bound text is one of these names, each a whole word in the file. */
function exactNames(regex: string): PatternWords[] | null {
  const m = /^\^\(\?:\(((?:[A-Za-z_$][\w$]*(?:\\\.[A-Za-z_$][\w$]*)*\|?)+)\)\$\)$/.exec(regex);
  if (!m || m[1]!.endsWith('|')) return null;
  return [{ anyOf: m[1]!.split('|').map((w) => w.replaceAll('\\.', '.')), caseInsensitive: false, whole: true }];
}

const wholeWords = new Map<string, RegExp>();

function hasWord(text: string, word: string): boolean {
  let re = wholeWords.get(word);
  if (!re) {
    re = new RegExp(`(?<![\\w$])${escapeRegexLiteral(word)}(?![\\w$])`);
    if (wholeWords.size > 1000) wholeWords.clear();
    wholeWords.set(word, re);
  }
  return re.test(text);
}

function mayMatch(words: readonly (readonly PatternWords[])[], text: string): boolean {
  let lower: string | null = null;
  const has = (req: PatternWords, w: string): boolean =>
    req.whole ? text.includes(w) && hasWord(text, w) : (req.caseInsensitive ? (lower ??= text.toLowerCase()) : text).includes(w);
  return words.some((reqs) => reqs.every((req) => req.anyOf.some((w) => has(req, w))));
}

/** False when no sink pattern can match `text` (a cheap word test). */
export function sinkPatternsMayMatch(patterns: TaintPatterns, text: string): boolean {
  return mayMatch(patterns.sinkWords, text);
}

/** False when no source pattern can match `text`. */
export function sourcePatternsMayMatch(patterns: TaintPatterns, text: string): boolean {
  return mayMatch(patterns.sourceWords, text);
}

/** The scope a node sits in: that of the innermost enclosing scope node the walk entered. */
function scopeAt(a: TaintAnalysis, node: SgNode): Scope {
  const { cx } = a.file;
  for (let p = node.parent(); p; p = p.parent()) {
    if (!cx.fe.scopes.has(p.kind() as string)) continue;
    const scope = cx.scopeOf.get(p.id());
    if (scope) return scope;
  }
  return cx.root;
}

/**
 * The values a sink match must not receive: the focused node; else, for a call, each of its
 * arguments (Semgrep's reading of a sink like `sink(...)`); else the matched expression.
 */
function sinkValues(a: TaintAnalysis, match: SgNode, focus: SgNode | null): Expr[] {
  const { cx } = a.file;
  const scope = scopeAt(a, match);
  if (focus) return [cx.expr(focus, scope)];
  const parts = cx.fe.calls[match.kind() as string];
  if (parts) return cx.fe.args(match.field(parts.args), scope, cx).filter((x) => !x.spread).map((x) => x.expr);
  return [cx.expr(match, scope)];
}

function clipped(node: SgNode): TaintStep {
  const text = node.text().replace(/\s+/g, ' ');
  return { text: text.length <= 80 ? text : `${text.slice(0, 80)}…`, line: node.range().start.line + 1 };
}

/**
 * Flows into the sink patterns' matches, one per reported node. With `lines` (sorted, 1-based),
 * only sinks that touch those lines.
 */
export function patternSinkFlows(a: TaintAnalysis, root: SgNode, patterns: TaintPatterns, lines: readonly number[] | null): TaintFlow[] {
  const flows: TaintFlow[] = [];
  // Without a source in the file there is no flow to find: the sinks need not be searched.
  if (a.spec.sources.length === 0 && !a.patternSources()) return flows;
  const seen = new Set<string>();
  for (const pattern of patterns.sinks) {
    for (const match of root.findAll(pattern.config)) {
      a.file.cx.budget.tick();
      const focus = pattern.focus ? match.getMatch(pattern.focus) : null;
      if (pattern.focus && !focus) continue;
      const reported = focus ?? match;
      const range = reported.range();
      if (seen.has(key(reported))) continue;
      if (lines && !anyLineWithin(lines, range.start.line + 1, range.end.line + 1)) continue;
      for (const value of sinkValues(a, match, focus)) {
        const trace = a.trace(value);
        if (!trace) continue;
        seen.add(key(reported));
        const steps = [...trace, clipped(reported)];
        flows.push(a.flow({ canonical: null, text: reported.text(), line: range.start.line + 1, endLine: range.end.line + 1, column: range.start.column + 1 }, steps));
        break;
      }
    }
  }
  return flows;
}

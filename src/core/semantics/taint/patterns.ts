import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { anyLineWithin } from '../../scan/sorted-lines.js';
import { requiredWords, type Requirement } from '../../scan/prefilter.js';
import { hasWord } from '../index.js';
import type { Expr, Scope } from '../ir.js';
import type { TaintAnalysis, TaintFlow, TaintStep } from './analysis.js';

// Taint sources, sinks and sanitizers named by code shape rather than by canonical name (what
// Semgrep's `mode: taint` rules translate to): an ast-grep rule run over the file marks nodes,
// and the taint pass asks, for each expression it visits, whether its node was marked.

export interface TaintPattern {
  config: NapiConfig;
  /** Metavariable (without `$`) whose bound node is marked instead of the whole match. */
  focus: string | null;
  /** The same key for the same config and focus: rules sharing a source or sanitizer run it once per file. */
  key: string;
  /** Sinks only: calls that match too, by canonical name (see TaintCall). */
  calls: readonly TaintCall[];
}

/**
 * A sink written as a plain call (`jinja2.Template($T, ...)` focused on `$T`, `eval(...)`), also
 * found by the canonical name of the callee, so an aliased import matches as in Semgrep.
 */
export interface TaintCall {
  callee: string;
  /** The positional argument that is the sink; null: every argument. */
  arg: number | null;
  /** Exactly this many arguments; null: any number. */
  arity: number | null;
  /** `new D(...)` only (else calls only). */
  construct: boolean;
}

export interface TaintPatterns {
  sources: readonly TaintPattern[];
  sinks: readonly TaintPattern[];
  sanitizers: readonly TaintPattern[];
  /** Side effects passing taint from the node bound to `from` into the variable bound to `to`. */
  propagators: readonly TaintPropagator[];
  /** Per sink pattern: word sets of which one each must occur in a file for it to match. */
  sinkWords: readonly (readonly PatternWords[])[];
  /** The same per source pattern. */
  sourceWords: readonly (readonly PatternWords[])[];
}

/** A requirement, and whether its words are whole identifiers (from a pattern) or may be parts of one. */
export interface PatternWords extends Requirement {
  whole: boolean;
}

export interface TaintPropagator extends TaintPattern {
  from: string;
  to: string;
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

/**
 * Patterns without focus or constraints searched as one rule (one walk of the tree, one rule
 * compilation), the others one by one.
 */
function combined(list: readonly TaintPattern[]): TaintPattern[] {
  const plain = list.filter((p) => !p.focus && !p.config.constraints);
  const rest = list.filter((p) => !plain.includes(p));
  if (plain.length < 2) return [...list];
  const any = { config: { rule: { any: plain.map((p) => p.config.rule) } } as NapiConfig, focus: null, key: plain.map((p) => p.key).join('\n'), calls: [] };
  return [any, ...rest];
}

/** Source and sanitizer marks of one file, computed on first use; a sanitizer wins over a source. */
export class PatternMarks {
  private sources: Set<string> | null = null;
  private sanitizers: Set<string> | null = null;
  /** Per variable name: the propagator matches writing into it, with the value they write. */
  private propagations: Map<string, { to: SgNode; from: SgNode }[]> | null = null;

  constructor(
    private readonly a: TaintAnalysis,
    private readonly root: SgNode,
    private readonly patterns: TaintPatterns,
  ) {}

  private ranges(list: readonly TaintPattern[]): Set<string> {
    const tick = () => this.a.file.cx.budget.tick();
    return new Set(combined(list).flatMap((p) => [...marked(this.root, p, tick)]));
  }

  /** Whether any source pattern matches in the file. */
  anySource(): boolean {
    this.sources ??= this.ranges(this.patterns.sources);
    return this.sources.size > 0;
  }

  /**
   * The values propagators write into the variable `expr` names: matches whose `to` node is the
   * same variable (the same bindings), flow-insensitively like assignments.
   */
  into(expr: Expr & { k: 'name' }): Expr[] {
    if (this.patterns.propagators.length === 0) return [];
    if (!this.propagations) {
      this.propagations = new Map();
      for (const p of this.patterns.propagators) {
        for (const m of this.root.findAll(p.config)) {
          this.a.file.cx.budget.tick();
          const to = m.getMatch(p.to);
          const from = m.getMatch(p.from);
          if (!to || !from) continue;
          const list = this.propagations.get(to.text()) ?? [];
          list.push({ to, from });
          this.propagations.set(to.text(), list);
        }
      }
    }
    const { cx } = this.a.file;
    const bindings = expr.scope.lookup(expr.name);
    return (this.propagations.get(expr.name) ?? []).flatMap(({ to, from }) => {
      const target = cx.expr(to, scopeAt(this.a, to));
      if (target.k !== 'name' || target.scope.lookup(target.name) !== bindings) return [];
      return [cx.expr(from, scopeAt(this.a, from))];
    });
  }

  of(expr: Expr): PatternMark {
    const node = this.a.file.cx.nodeOf.get(expr);
    if (!node) return null;
    const at = key(node);
    this.sources ??= this.ranges(this.patterns.sources);
    // A literal carries taint only when it is a source itself: no need to search the sanitizers.
    if (expr.k === 'lit' && !this.sources.has(at)) return null;
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

/**
 * False when no call sink can be reached: the callee's own name occurs nowhere in the text (an
 * alias is bound from it somewhere: `import { render as draw }`, `const run = eval`). A name
 * computed from pieces is left to the obfuscation rules.
 */
export function sinkCallsMayMatch(patterns: TaintPatterns, text: string): boolean {
  return patterns.sinks.some((p) => p.calls.some((c) => hasWord(text, c.callee.slice(c.callee.lastIndexOf('.') + 1))));
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
  // Sink patterns without focus or constraints are read alike, so one search finds them all.
  for (const pattern of combined(patterns.sinks)) {
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
  flows.push(...callSinkFlows(a, patterns, lines, seen));
  return flows;
}

/** Flows into the calls the sink patterns name by canonical callee, skipping nodes already reported. */
function callSinkFlows(a: TaintAnalysis, patterns: TaintPatterns, lines: readonly number[] | null, seen: Set<string>): TaintFlow[] {
  const calls = patterns.sinks.flatMap((p) => p.calls);
  if (calls.length === 0) return [];
  const { file } = a;
  const lastNames = new Set(calls.map((c) => c.callee.slice(c.callee.lastIndexOf('.') + 1)));
  const flows: TaintFlow[] = [];
  for (const site of file.sites) {
    const span = file.lines(site);
    if ((lines && !anyLineWithin(lines, span.start, span.end)) || !file.mayEndIn(site, lastNames)) continue;
    const canonical = file.canonical(site);
    const wanted = calls.filter((c) => c.callee === canonical && c.construct === (site.node.kind() === 'new_expression'));
    if (wanted.length === 0) continue;
    const args = file.argExprs(site);
    for (const call of wanted) {
      if (call.arity !== null && (args.length !== call.arity || args.some((x) => x.spread))) continue;
      const positional = args.filter((x) => x.keyword === null);
      const firstSpread = positional.findIndex((x) => x.spread);
      const values = call.arg === null ? args.filter((x) => !x.spread) : firstSpread >= 0 && firstSpread <= call.arg ? [] : [positional[call.arg]].filter((x) => x !== undefined);
      const reportedOf = (expr: Expr): SgNode => (call.arg === null ? site.node : (file.cx.nodeOf.get(expr) ?? site.node));
      for (const { expr } of values) {
        const reported = reportedOf(expr);
        if (seen.has(key(reported))) continue;
        const trace = a.trace(expr);
        if (!trace) continue;
        seen.add(key(reported));
        const range = reported.range();
        flows.push(a.flow({ canonical, text: reported.text(), line: range.start.line + 1, endLine: range.end.line + 1, column: range.start.column + 1 }, [...trace, clipped(reported)]));
        break;
      }
    }
  }
  return flows;
}

import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { anyLineWithin } from '../scan/sorted-lines.js';
import type { Requirement } from '../scan/prefilter.js';
import type { Expr, Scope } from './ir.js';
import type { TaintAnalysis, TaintFlow, TaintStep } from './taint.js';

// Taint sources, sinks and sanitizers named by code shape rather than by canonical name (what
// Semgrep's `mode: taint` rules translate to): an ast-grep rule run over the file marks nodes,
// and the taint pass asks, for each expression it visits, whether its node was marked.

export interface TaintPattern {
  config: NapiConfig;
  /** Metavariable (without `$`) whose bound node is marked instead of the whole match. */
  focus: string | null;
}

export interface TaintPatterns {
  sources: readonly TaintPattern[];
  sinks: readonly TaintPattern[];
  sanitizers: readonly TaintPattern[];
  /** Word sets of which one each must occur in a file for any sink pattern to match it. */
  sinkWords: readonly (readonly Requirement[])[];
}

export type PatternMark = 'source' | 'clean' | null;

function key(node: SgNode): string {
  const r = node.range();
  return `${r.start.index}:${r.end.index}`;
}

/** The nodes a pattern marks: each match, or the node its focus metavariable is bound to. */
function marked(root: SgNode, pattern: TaintPattern, tick: () => void): SgNode[] {
  const out: SgNode[] = [];
  for (const m of root.findAll(pattern.config)) {
    tick();
    const node = pattern.focus ? m.getMatch(pattern.focus) : m;
    if (node) out.push(node);
  }
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
    return new Set(list.flatMap((p) => marked(this.root, p, tick).map(key)));
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

/** False when no sink pattern can match `text` (a cheap word test). */
export function sinkPatternsMayMatch(patterns: TaintPatterns, text: string): boolean {
  return patterns.sinkWords.some((reqs) => reqs.every((req) => req.anyOf.some((w) => (req.caseInsensitive ? text.toLowerCase() : text).includes(w))));
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

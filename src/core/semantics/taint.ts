import { parse, type SgNode } from '@ast-grep/napi';
import type { Language } from '../rules/schema.js';
import { astLang } from '../scan/ast-languages.js';
import { anyLineWithin } from '../scan/sorted-lines.js';
import { GaveUp, type Limits } from './budget.js';
import { named } from './frontend.js';
import { FileSemantics } from './index.js';
import type { ArgExpr, CallSite, Expr, Scope } from './ir.js';
import { PatternMarks, patternSinkFlows, type TaintPatterns } from './taint-patterns.js';

// The taint pass: does a value from a source (request input, environment) reach a sink argument
// without passing through a sanitizer? Demand-driven like the constants pass: each sink argument
// asks, and the question follows bindings backwards, memoised and within the budget. Objects are
// field-insensitive (a field of a tainted object is tainted), so one level and deeper both hold.

export interface TaintSink {
  /** Canonical callee: `child_process.exec`, `os.system`. */
  name: string;
  /** Which positional argument carries the value. */
  arg: number;
  /** The keyword that may carry it instead (Python `url=`). */
  keyword?: string;
  /** Keyword arguments that must fold to these values for the call to be a sink (`shell: 'True'`). */
  when?: Readonly<Record<string, string>>;
  /** An object argument after `arg` that must set this key to this value (`{ shell: true }`). */
  option?: { key: string; value: string };
}

export interface TaintSpec {
  /**
   * Dotted names whose values (and fields, and calls) are tainted: canonical names
   * (`flask.request.args`, `process.env`) or paths rooted at a parameter (`req.query`).
   */
  sources: readonly string[];
  sinks: readonly TaintSink[];
  /** Canonical names of calls whose result is clean (`path.basename`, `shlex.quote`). */
  sanitizers: readonly string[];
  /** Sources, sinks and sanitizers by code shape (see taint-patterns.ts). */
  patterns?: TaintPatterns;
}

export interface TaintStep {
  text: string;
  /** 1-based. */
  line: number;
}

export interface TaintFlow {
  /** `canonical` is the sink's callee, or null for a sink named by a pattern. */
  sink: { canonical: string | null; text: string; line: number; endLine: number; column: number };
  /** From the source to the sink call, both included. */
  steps: TaintStep[];
  /** The steps as one line: "`req.query.url` (line 12) → `target` (line 14) → `fetch(target)` (line 20)". */
  path: string;
}

export interface TaintResult {
  flows: TaintFlow[];
  /** Why the analysis stopped early, or null. When set, the file is not reviewed. */
  gaveUp: string | null;
}

type Trace = readonly TaintStep[] | null;

/** Calls whose result carries their arguments' taint. */
const PROPAGATING_CALLS = new Set([
  'String', 'str', 'bytes', 'repr', 'format', 'URL', 'Array.from', 'Object.assign', 'Object.values',
  'JSON.stringify', 'JSON.parse', 'json.loads', 'json.dumps', 'Buffer.from', 'decodeURIComponent', 'decodeURI',
  'unescape', 'path.join', 'path.resolve', 'path.normalize', 'util.format', 'os.path.join', 'os.path.normpath',
  'urllib.parse.urljoin', 'urllib.parse.unquote',
]);

/** Methods whose result carries their arguments' taint (`' '.join(parts)`, `'{}'.format(x)`). */
const PROPAGATING_METHODS = new Set(['join', 'concat', 'format', 'format_map', 'replace', 'replaceAll']);

const SHOWN_MAX = 80;

function clip(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length <= SHOWN_MAX ? one : `${one.slice(0, SHOWN_MAX)}…`;
}

export function showPath(steps: readonly TaintStep[]): string {
  return steps.map((s) => `\`${s.text}\` (line ${s.line})`).join(' → ');
}

/** A function defined in the file, for summaries. */
interface FunctionDef {
  node: SgNode;
  scope: Scope;
  params: string[];
  returns: SgNode[];
}

const FUNCTION_KINDS = new Set(['function_declaration', 'function_definition']);
const FUNCTION_VALUES = new Set(['arrow_function', 'function_expression', 'function']);

/** The name a parameter node binds, or null for patterns. */
function paramName(node: SgNode): string | null {
  const kind = node.kind() as string;
  if (kind === 'identifier') return node.text();
  const inner = node.field('pattern') ?? node.field('name') ?? named(node)[0];
  return inner && inner.kind() === 'identifier' ? inner.text() : null;
}

class Tainter {
  private readonly memo = new Map<Expr, Trace>();
  private readonly inProgress = new Set<Expr>();
  private depth = 0;

  constructor(
    private readonly a: TaintAnalysis,
    /** Extra sources: the parameter a summary asks about. */
    private readonly seed: ((e: Expr) => boolean) | null,
  ) {}

  taint(expr: Expr): Trace {
    if (this.memo.has(expr)) return this.memo.get(expr)!;
    if (this.inProgress.has(expr)) return null;
    const budget = this.a.file.cx.budget;
    budget.tick();
    budget.depth(++this.depth);
    this.inProgress.add(expr);
    try {
      const out = this.compute(expr);
      this.memo.set(expr, out);
      return out;
    } finally {
      this.inProgress.delete(expr);
      this.depth--;
    }
  }

  /** The spec's sources; a summary's tainter has only its parameter, so a helper's own sources stay its own. */
  private isSource(expr: Expr): boolean {
    return !this.seed && this.a.isSource(expr);
  }

  private any(exprs: readonly Expr[]): Trace {
    for (const e of exprs) {
      const t = this.taint(e);
      if (t) return t;
    }
    return null;
  }

  private compute(expr: Expr): Trace {
    const mark = this.a.patternMark(expr);
    if (mark === 'clean') return null;
    if (this.seed?.(expr)) return [this.a.step(expr)];
    if (mark === 'source' && !this.seed) return [this.a.step(expr)];
    switch (expr.k) {
      case 'name': {
        if (this.isSource(expr)) return [this.a.step(expr)];
        for (const b of expr.scope.lookup(expr.name) ?? []) {
          if (b.k !== 'value') continue;
          const value = b.get();
          const t = this.taint(value);
          if (t) return [...t, { text: expr.name, line: this.a.line(value) }];
        }
        for (const value of this.a.propagatedInto(expr)) {
          const t = this.taint(value);
          if (t) return [...t, { text: expr.name, line: this.a.line(value) }];
        }
        return null;
      }
      case 'member':
        return this.isSource(expr) ? [this.a.step(expr)] : this.taint(expr.object);
      case 'concat':
        return this.any(expr.parts);
      case 'list':
        return this.any(expr.items);
      case 'object':
        return this.any(expr.values);
      case 'call':
        return this.call(expr);
      default:
        return null;
    }
  }

  private call(expr: Expr & { k: 'call' }): Trace {
    const { passes } = this.a.file;
    const canonical = passes.canonical(expr.callee);
    if (canonical !== null && this.a.spec.sanitizers.includes(canonical)) return null;
    if (!this.seed && canonical !== null && this.a.matchesSource(canonical)) return [this.a.step(expr)];
    // `req.json()`, `request.get_data()` on a parameter: a source by its path.
    if (this.isSource(expr.callee)) return [this.a.step(expr)];
    const args = (): Expr[] => expr.args.filter((x) => !x.spread).map((x) => x.expr);
    if (canonical !== null && PROPAGATING_CALLS.has(canonical)) return this.any(args());
    if (expr.callee.k === 'member') {
      // A method of a tainted value (`s.trim()`, `args.get('x')`, `parts.join(' ')`) is tainted.
      const receiver = this.taint(expr.callee.object);
      if (receiver) return receiver;
      const method = passes.fold(expr.callee.prop);
      if (method !== null && PROPAGATING_METHODS.has(method)) return this.any(args());
      return null;
    }
    const fn = expr.callee.k === 'name' ? this.a.functionNamed(expr.callee) : null;
    if (!fn) return null;
    for (const i of this.a.returnedParams(fn)) {
      const arg = expr.args.filter((x) => x.keyword === null)[i];
      const t = arg && !arg.spread ? this.taint(arg.expr) : null;
      if (t) return [...t, this.a.step(expr)];
    }
    return null;
  }
}

export class TaintAnalysis {
  private readonly main: Tainter;
  private functions: Map<string, FunctionDef | null> | null = null;
  private readonly summaries = new Map<FunctionDef, ReadonlySet<number>>();
  private readonly sinkSummaries = new Map<FunctionDef, ReadonlyMap<number, { canonical: string; steps: TaintStep[] }>>();
  private sitesByScope: Map<Scope, CallSite[]> | null = null;
  private marks: PatternMarks | null = null;

  constructor(
    readonly file: FileSemantics,
    private readonly root: SgNode,
    readonly spec: TaintSpec,
  ) {
    this.main = new Tainter(this, null);
  }

  /** Whether a source or sanitizer pattern marks the expression's node. */
  patternMark(expr: Expr): 'source' | 'clean' | null {
    if (!this.spec.patterns) return null;
    this.marks ??= new PatternMarks(this, this.root, this.spec.patterns);
    return this.marks.of(expr);
  }

  /** Values that propagator patterns write into the variable `expr` names. */
  propagatedInto(expr: Expr & { k: 'name' }): Expr[] {
    if (!this.spec.patterns || this.spec.patterns.propagators.length === 0) return [];
    this.marks ??= new PatternMarks(this, this.root, this.spec.patterns);
    return this.marks.into(expr);
  }

  /** Whether any source pattern matches in the file. */
  patternSources(): boolean {
    if (!this.spec.patterns) return false;
    this.marks ??= new PatternMarks(this, this.root, this.spec.patterns);
    return this.marks.anySource();
  }

  /** The path from a source to `expr`, or null when it carries no taint. */
  trace(expr: Expr): readonly TaintStep[] | null {
    return this.main.taint(expr);
  }

  flow(sink: TaintFlow['sink'], steps: TaintStep[]): TaintFlow {
    return { sink, steps, path: showPath(steps) };
  }

  matchesSource(name: string): boolean {
    return this.spec.sources.some((s) => name === s || name.startsWith(`${s}.`));
  }

  /** A source by canonical name, or by a member path rooted at a parameter or free name. */
  isSource(expr: Expr): boolean {
    const canonical = this.file.passes.canonical(expr);
    if (canonical !== null && this.matchesSource(canonical)) return true;
    const path = this.paramPath(expr);
    return path !== null && this.matchesSource(path);
  }

  private paramPath(expr: Expr): string | null {
    const props: string[] = [];
    let e = expr;
    while (e.k === 'member') {
      const prop = this.file.passes.fold(e.prop);
      if (prop === null) return null;
      props.unshift(prop);
      e = e.object;
    }
    if (e.k !== 'name' || props.length === 0) return null;
    const bindings = e.scope.lookup(e.name);
    if (bindings && bindings.some((b) => b.k !== 'opaque')) return null;
    return [e.name, ...props].join('.');
  }

  line(expr: Expr): number {
    for (let e: Expr | undefined = expr; e; e = e.k === 'member' ? e.object : e.k === 'call' ? e.callee : undefined) {
      const node = this.file.cx.nodeOf.get(e);
      if (node) return node.range().start.line + 1;
    }
    return 0;
  }

  private render(expr: Expr): string {
    if (expr.k === 'name') return expr.name;
    if (expr.k === 'member') return `${this.render(expr.object)}.${this.file.passes.fold(expr.prop) ?? '[…]'}`;
    return '…';
  }

  step(expr: Expr): TaintStep {
    const node = this.file.cx.nodeOf.get(expr);
    return { text: clip(node ? node.text() : this.render(expr)), line: this.line(expr) };
  }

  /** The same-file function a call by this name reaches, when the name is not bound to a value. */
  functionNamed(callee: Expr & { k: 'name' }): FunctionDef | null {
    const bindings = callee.scope.lookup(callee.name);
    if (bindings && bindings.some((b) => b.k === 'value' && this.file.passes.canonical(b.get()) !== null)) return null;
    this.functions ??= this.collectFunctions();
    return this.functions.get(callee.name) ?? null;
  }

  private collectFunctions(): Map<string, FunctionDef | null> {
    const out = new Map<string, FunctionDef | null>();
    const fe = this.file.cx.fe;
    const kinds = [...FUNCTION_KINDS, ...FUNCTION_VALUES].filter((k) => fe.scopes.has(k)).map((kind) => ({ kind }));
    for (const node of this.root.findAll({ rule: { any: kinds } })) {
      this.file.cx.budget.tick();
      const kind = node.kind() as string;
      const name = FUNCTION_KINDS.has(kind) ? node.field('name') : node.parent()?.kind() === 'variable_declarator' ? node.parent()!.field('name') : null;
      const scope = this.file.cx.scopeOf.get(node.id());
      if (!name || name.kind() !== 'identifier' || !scope) continue;
      const paramsNode = node.field('parameters') ?? node.field('parameter');
      const params = !paramsNode ? [] : paramsNode.kind() === 'identifier' ? [paramsNode.text()] : named(paramsNode).map((p) => paramName(p) ?? '');
      const body = node.field('body');
      const returns =
        body && kind === 'arrow_function' && body.kind() !== 'statement_block'
          ? [body]
          : node
              .findAll({ rule: { kind: 'return_statement' } })
              .filter((r) => {
                for (let p = r.parent(); p; p = p.parent()) if (fe.scopes.has(p.kind() as string)) return p.id() === node.id();
                return false;
              })
              .flatMap((r) => named(r).slice(0, 1));
      out.set(name.text(), out.has(name.text()) ? null : { node, scope, params, returns });
    }
    return out;
  }

  /** A tainter whose only extra source is parameter `i` of `fn`; null for a pattern parameter. */
  private seeded(fn: FunctionDef, i: number): Tainter | null {
    const p = fn.params[i];
    const own = p ? fn.scope.bindings.get(p) : undefined;
    if (!p || !own) return null;
    return new Tainter(this, (e) => e.k === 'name' && e.name === p && e.scope.lookup(p) === own);
  }

  /** Which parameters (by position) flow to the function's return value. */
  returnedParams(fn: FunctionDef): ReadonlySet<number> {
    const known = this.summaries.get(fn);
    if (known) return known;
    // Recursion: assume nothing while the summary is computed.
    this.summaries.set(fn, new Set());
    const out = new Set<number>();
    fn.params.forEach((_, i) => {
      const seeded = this.seeded(fn, i);
      if (seeded && fn.returns.some((r) => seeded.taint(this.file.cx.expr(r, fn.scope)))) out.add(i);
    });
    this.summaries.set(fn, out);
    return out;
  }

  /** Which parameters (by position) the function passes to a sink directly, with the sink's steps. */
  private sinkParams(fn: FunctionDef): ReadonlyMap<number, { canonical: string; steps: TaintStep[] }> {
    const known = this.sinkSummaries.get(fn);
    if (known) return known;
    const out = new Map<number, { canonical: string; steps: TaintStep[] }>();
    this.sinkSummaries.set(fn, out);
    if (!this.sitesByScope) {
      this.sitesByScope = new Map();
      for (const site of this.file.sites) {
        const list = this.sitesByScope.get(site.scope);
        if (list) list.push(site);
        else this.sitesByScope.set(site.scope, [site]);
      }
    }
    const sinks = (this.sitesByScope.get(fn.scope) ?? []).flatMap((site) => this.sinkArgs(site).map((a) => ({ site, ...a })));
    fn.params.forEach((_, i) => {
      const seeded = sinks.length > 0 ? this.seeded(fn, i) : null;
      for (const sink of seeded ? sinks : []) {
        const trace = seeded!.taint(sink.expr);
        if (trace) {
          out.set(i, { canonical: sink.canonical, steps: [...trace.slice(1), siteStep(sink.site)] });
          break;
        }
      }
    });
    return out;
  }

  /** Whether an object literal (directly or through one binding) sets `key` to `value`. */
  private setsOption(expr: Expr, key: string, value: string): boolean {
    let e = expr;
    for (let hops = 0; e.k === 'name' && hops < 8; hops++) {
      const bindings = e.scope.lookup(e.name);
      if (bindings?.length !== 1 || bindings[0]!.k !== 'value') return false;
      e = bindings[0]!.get();
    }
    if (e.k !== 'object') return false;
    const { passes } = this.file;
    return e.keys.some((k, i) => passes.fold(k) === key && passes.fold(e.values[i]!) === value);
  }

  /** The sink arguments of one call, for every sink of the spec it matches. */
  private sinkArgs(site: CallSite): { canonical: string; expr: Expr }[] {
    const canonical = this.file.canonical(site);
    if (canonical === null || !this.spec.sinks.some((s) => s.name === canonical)) return [];
    const args: ArgExpr[] = this.file.cx.fe.args(site.node.field(site.parts.args), site.scope, this.file.cx);
    const out: { canonical: string; expr: Expr }[] = [];
    for (const sink of this.spec.sinks) {
      if (sink.name !== canonical) continue;
      const when = Object.entries(sink.when ?? {});
      if (!when.every(([k, v]) => args.some((a) => a.keyword === k && this.file.passes.fold(a.expr) === v))) continue;
      if (sink.option && !args.slice(sink.arg + 1).some((a) => !a.spread && this.setsOption(a.expr, sink.option!.key, sink.option!.value))) continue;
      const arg = args.filter((a) => a.keyword === null)[sink.arg] ?? args.find((a) => sink.keyword !== undefined && a.keyword === sink.keyword);
      if (arg && !arg.spread) out.push({ canonical, expr: arg.expr });
    }
    return out;
  }

  /**
   * The flow into one call: a sink of the spec whose argument is tainted, or a same-file helper
   * that passes a parameter to a sink, called with a tainted argument there.
   */
  flowAt(site: CallSite): TaintFlow | null {
    for (const { canonical, expr } of this.sinkArgs(site)) {
      const trace = this.main.taint(expr);
      if (trace) return flowOf(site, canonical, [...trace, siteStep(site)]);
    }
    const callee = this.file.cx.expr(site.node.field(site.parts.callee), site.scope);
    const fn = callee.k === 'name' ? this.functionNamed(callee) : null;
    if (!fn) return null;
    const positional = this.file.cx.fe.args(site.node.field(site.parts.args), site.scope, this.file.cx).filter((a) => a.keyword === null);
    for (const [i, inner] of this.sinkParams(fn)) {
      const arg = positional[i];
      const trace = arg && !arg.spread ? this.main.taint(arg.expr) : null;
      if (trace) return flowOf(site, inner.canonical, [...trace, siteStep(site), ...inner.steps]);
    }
    return null;
  }
}

function siteStep(site: CallSite): TaintStep {
  return { text: clip(site.node.text()), line: site.node.range().start.line + 1 };
}

function flowOf(site: CallSite, canonical: string, steps: TaintStep[]): TaintFlow {
  const range = site.node.range();
  return {
    sink: { canonical, text: site.node.text(), line: range.start.line + 1, endLine: range.end.line + 1, column: range.start.column + 1 },
    steps,
    path: showPath(steps),
  };
}

/** One file's semantics plus its root, for taint analyses over the same walk. */
export function taintFile(tree: SgNode | string, language: Language, limits: Partial<Limits> = {}): { file: FileSemantics; root: SgNode } {
  const root = typeof tree === 'string' ? parse(astLang(language), tree).root() : tree;
  return { file: new FileSemantics(root, language, limits), root };
}

/**
 * Flows from the spec's sources into its sinks, in one file. With `lines` (sorted, 1-based),
 * only sinks on those lines. Bounded by `limits`; past them the result says so.
 */
export function taintFlows(
  tree: SgNode | string,
  language: Language,
  spec: TaintSpec,
  limits: Partial<Limits> = {},
  lines: readonly number[] | null = null,
): TaintResult {
  const flows: TaintFlow[] = [];
  try {
    const { file, root } = taintFile(tree, language, limits);
    const analysis = new TaintAnalysis(file, root, spec);
    const lastNames = new Set(spec.sinks.map((s) => s.name.slice(s.name.lastIndexOf('.') + 1)));
    for (const site of file.sites) {
      const span = file.lines(site);
      if (lines && !anyLineWithin(lines, span.start, span.end)) continue;
      if (!file.mayEndIn(site, lastNames)) continue;
      const flow = analysis.flowAt(site);
      if (flow) flows.push(flow);
    }
    if (spec.patterns) flows.push(...patternSinkFlows(analysis, root, spec.patterns, lines));
  } catch (err) {
    if (err instanceof GaveUp) return { flows: [], gaveUp: err.reason };
    throw err;
  }
  return { flows, gaveUp: null };
}

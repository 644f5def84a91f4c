import { parse, type SgNode } from '@ast-grep/napi';
import type { Language } from '../rules/schema.js';
import { astLang } from '../scan/ast-languages.js';
import { anyLineWithin } from '../scan/sorted-lines.js';
import { GaveUp, type Limits } from './budget.js';
import { ownNodes } from './frontend.js';
import { FileSemantics, frontEndOf, mayReach } from './index.js';
import { escapeRegexLiteral } from '../text.js';
import type { ArgExpr, CallSite, Expr, Scope } from './ir.js';

// The taint pass: does a value from a source (request input, environment) reach a sink argument
// without passing through a sanitizer? Demand-driven like the constants pass: each sink argument
// asks, and the question follows bindings backwards, memoised and within the budget. Objects are
// field-insensitive (a field of a tainted object is tainted), so one level and deeper both hold.

export interface TaintSink {
  /** Canonical callee: `child_process.exec`, `os.system`. */
  name: string;
  /** Which positional argument carries the value. */
  arg: number;
  /** The object the method is called on carries it instead (`s.html_safe`). */
  receiver?: boolean;
  /**
   * The argument is a URL: a value placed after a constant scheme and host (or a constant local
   * path) cannot change where the request or redirect goes, so such an argument is no flow.
   */
  url?: boolean;
  /**
   * The argument must carry a tainted whole (a request's parameter hash), not be an object or
   * array literal that places tainted values under keys the code chose.
   */
  whole?: boolean;
  /** The keyword that may carry it instead (Python `url=`). */
  keyword?: string;
  /**
   * Keyword arguments that must fold to these values for the call to be a sink (`shell: 'True'`);
   * a numeric key is a positional argument, which may also resolve to the value (`'1': curlopt_url`).
   */
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
  /** Canonical names of calls whose result is clean (`path.basename`, `shlex.quote`), or `*.method` (`*.to_i`). */
  sanitizers: readonly string[];
}

export interface TaintStep {
  text: string;
  /** 1-based. */
  line: number;
}

export interface TaintFlow {
  sink: { canonical: string; text: string; line: number; endLine: number; column: number };
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

/**
 * A URL start that fixes the destination: a scheme and host ended by `/`, `?` or `#`, or a local
 * path with its first segment (a lone `/` followed by `/evil.example` would leave the site).
 */
const FIXED_ORIGIN = /^(?:[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+[/?#]|\/[^/\\])/i;

/** Format calls whose first argument is the format string, in the languages the taint pass reads. */
const FORMATS = new Set(['fmt.Sprintf', 'java.lang.String.format', 'sprintf', 'format', 'util.format']);

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

/** A file's functions by name, shared by every analysis of the file. */
const FUNCTIONS = new WeakMap<FileSemantics, Map<string, FunctionDef | null>>();

/** The plain property name of a call's callee (see `FrontEnd.plainProperty`). */
export function calleeProperty(file: FileSemantics, site: CallSite): string | null {
  const callee = site.node.field(site.parts.callee);
  return callee ? file.cx.fe.plainProperty(callee) : null;
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
    if (this.seed?.(expr)) return [this.a.step(expr)];
    switch (expr.k) {
      case 'name': {
        if (this.isSource(expr)) return [this.a.step(expr)];
        for (const b of expr.scope.lookup(expr.name) ?? []) {
          if (b.k !== 'value') continue;
          const value = b.get();
          const t = this.taint(value);
          if (t) return [...t, { text: expr.name, line: this.a.line(value) || t.at(-1)!.line }];
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
      // What a front end binds for a parameter of a known type or annotation (`@RequestParam`).
      case 'module':
        return this.isSource(expr) ? [this.a.step(expr)] : null;
      default:
        return null;
    }
  }

  private call(expr: Expr & { k: 'call' }): Trace {
    const { passes } = this.a.file;
    const canonical = passes.canonical(expr.callee);
    if (canonical !== null && this.a.spec.sanitizers.includes(canonical)) return null;
    if (expr.callee.k === 'member' && this.a.spec.sanitizers.includes(`*.${passes.fold(expr.callee.prop)}`)) return null;
    if (!this.seed && canonical !== null && this.a.matchesSource(canonical)) return [this.a.step(expr)];
    // `req.json()`, `request.get_data()` on a parameter: a source by its path.
    if (this.isSource(expr.callee)) return [this.a.step(expr)];
    const args = (): Expr[] => expr.args.filter((x) => !x.spread).map((x) => x.expr);
    const own = this.a.file.cx.fe.propagators;
    if (canonical !== null && (PROPAGATING_CALLS.has(canonical) || own?.calls.has(canonical))) return this.any(args());
    // An object a constructor or factory makes carries what it was made from (`new URL(u)`, `http.NewRequest(m, u, b)`).
    if (canonical !== null && this.a.file.cx.fe.instanceOf?.(expr, canonical)) {
      const made = this.any(args());
      if (made) return made;
    }
    if (expr.callee.k === 'member') {
      // A method of a tainted value (`s.trim()`, `args.get('x')`, `parts.join(' ')`) is tainted.
      const receiver = this.taint(expr.callee.object);
      if (receiver) return receiver;
      const method = passes.fold(expr.callee.prop);
      if (method !== null && (PROPAGATING_METHODS.has(method) || own?.methods.has(method))) return this.any(args());
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
  private readonly summaries = new Map<FunctionDef, ReadonlySet<number>>();
  private readonly sinkSummaries = new Map<FunctionDef, ReadonlyMap<number, { canonical: string; steps: TaintStep[] }>>();
  private sitesByScope: Map<Scope, CallSite[]> | null = null;

  /** Whether a sink names a method on any receiver (`*.where`). */
  private readonly anyReceiver: boolean;

  constructor(
    readonly file: FileSemantics,
    private readonly root: SgNode,
    readonly spec: TaintSpec,
  ) {
    this.main = new Tainter(this, null);
    this.anyReceiver = spec.sinks.some((s) => s.name.startsWith('*.'));
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
    if (expr.k === 'module') return expr.name;
    return '…';
  }

  step(expr: Expr): TaintStep {
    const node = this.file.cx.nodeOf.get(expr);
    return { text: clip(node ? node.text() : this.render(expr)), line: this.line(expr) };
  }

  /**
   * False when the call can be neither a sink (its plainly written method name is no sink's) nor a
   * same-file helper that passes a parameter to one. `property`: the callee's plain property name
   * (`FrontEnd.plainProperty`), asked once per call by the caller.
   */
  mayFlowAt(property: string | null, lastNames: ReadonlySet<string>): boolean {
    return property === null || lastNames.has(property) || this.functionsByName().has(property);
  }

  /** The same-file function a call by this name reaches, when the name is not bound to a value. */
  functionNamed(callee: Expr & { k: 'name' }): FunctionDef | null {
    const bindings = callee.scope.lookup(callee.name);
    if (bindings && bindings.some((b) => b.k === 'value' && this.file.passes.canonical(b.get()) !== null)) return null;
    return this.functionsByName().get(callee.name) ?? null;
  }

  private functionsByName(): Map<string, FunctionDef | null> {
    let known = FUNCTIONS.get(this.file);
    if (!known) FUNCTIONS.set(this.file, (known = this.collectFunctions()));
    return known;
  }

  /** The file's functions by name, as its front end reads them; a name defined twice is null (ambiguous). */
  private collectFunctions(): Map<string, FunctionDef | null> {
    const out = new Map<string, FunctionDef | null>();
    const fe = this.file.cx.fe;
    const table = fe.functions;
    if (!table) return out;
    for (const node of this.root.findAll({ rule: { any: [...table.kinds].map((kind) => ({ kind })) } })) {
      this.file.cx.budget.tick();
      const shape = table.shape(node, (kind) => ownNodes(node, kind, fe.scopes));
      const scope = this.file.cx.scopeOf.get(node.id());
      if (!shape || !scope) continue;
      const def = { node, scope, params: shape.params.map((p) => p ?? ''), returns: shape.returns };
      out.set(shape.name, out.has(shape.name) ? null : def);
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

  /**
   * Whether a URL's constant start fixes where it goes: `https://host/…` or a local `/path`,
   * followed through single bindings, string building and format calls (their format string).
   */
  private fixedOrigin(expr: Expr): boolean {
    const { passes } = this.file;
    let e = expr;
    for (let hops = 0; hops < 8; hops++) {
      if (e.k === 'name') {
        const bindings = e.scope.lookup(e.name);
        if (bindings?.length !== 1 || bindings[0]!.k !== 'value') return false;
        e = bindings[0]!.get();
      } else if (e.k === 'concat' && e.parts.length > 0) {
        let prefix = '';
        for (const part of e.parts) {
          const v = passes.fold(part);
          if (v === null) break;
          prefix += v;
        }
        if (FIXED_ORIGIN.test(prefix)) return true;
        e = e.parts[0]!;
      } else if (e.k === 'call' && e.args[0] && !e.args[0].spread && FORMATS.has(passes.canonical(e.callee) ?? '')) {
        return FIXED_ORIGIN.test(passes.fold(e.args[0].expr)?.replace(/%.*$/s, '') ?? '');
      } else return false;
    }
    return false;
  }

  /** Whether an expression is (through one binding) an object or array literal. */
  private literalCollection(expr: Expr): boolean {
    const bindings = expr.k === 'name' ? expr.scope.lookup(expr.name) : null;
    const e = bindings?.length === 1 && bindings[0]!.k === 'value' ? bindings[0]!.get() : expr;
    return e.k === 'object' || e.k === 'list';
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
    const resolved = this.file.canonical(site);
    // `*.whereRaw`: that method on any object, whatever the receiver resolves to.
    const method = this.anyReceiver ? calleeProperty(this.file, site) : null;
    const anyReceiver = method !== null && this.spec.sinks.some((s) => s.name === `*.${method}`);
    const canonical = anyReceiver && !this.spec.sinks.some((s) => s.name === resolved) ? `*.${method}` : resolved;
    if (canonical === null || !this.spec.sinks.some((s) => s.name === canonical)) return [];
    const args: ArgExpr[] = this.file.cx.fe.args(site.node.field(site.parts.args), site.scope, this.file.cx);
    const out: { canonical: string; expr: Expr }[] = [];
    for (const sink of this.spec.sinks) {
      if (sink.name !== canonical) continue;
      const when = Object.entries(sink.when ?? {});
      const positional = args.filter((a) => a.keyword === null);
      const holds = (k: string, v: string): boolean => {
        if (!/^\d+$/.test(k)) return args.some((a) => a.keyword === k && this.file.passes.fold(a.expr) === v);
        const a = positional[Number(k)];
        return a !== undefined && !a.spread && (this.file.passes.fold(a.expr) ?? this.file.passes.canonical(a.expr)) === v;
      };
      if (!when.every(([k, v]) => holds(k, v))) continue;
      if (sink.receiver) {
        const callee = this.file.cx.expr(site.node.field(site.parts.callee), site.scope);
        if (callee.k === 'member') out.push({ canonical, expr: callee.object });
        continue;
      }
      if (sink.option && !args.slice(sink.arg + 1).some((a) => !a.spread && this.setsOption(a.expr, sink.option!.key, sink.option!.value))) continue;
      const arg = args.filter((a) => a.keyword === null)[sink.arg] ?? args.find((a) => sink.keyword !== undefined && a.keyword === sink.keyword);
      if (!arg || arg.spread || (sink.url && this.fixedOrigin(arg.expr)) || (sink.whole && this.literalCollection(arg.expr))) continue;
      out.push({ canonical, expr: arg.expr });
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

/**
 * Whether any call in `text` may reach one of the sinks: `mayReach` for canonical names, the
 * method's name in the text for `*.method` sinks.
 */
export function mayReachSink(text: string, language: Language, sinks: readonly string[]): boolean {
  const anyReceiver = sinks.filter((name) => name.startsWith('*.')).map((name) => name.slice(2));
  return anyReceiver.some((m) => new RegExp(`\\b${m}\\b`).test(text)) || mayReach(text, language, sinks.filter((name) => !name.startsWith('*.')));
}

/**
 * False when no source can be in `text`: each is reached through its first word (module,
 * parameter or anchor) and ends in its last, both named in the file. Cheap.
 */
export function maySourceIn(text: string, language: Language, sources: readonly string[]): boolean {
  const fe = frontEndOf(language);
  if (!fe) return false;
  const flags = fe.namesIgnoreCase ? 'i' : '';
  const word = (w: string): boolean => new RegExp(`(?<![\\w$])${escapeRegexLiteral(w)}(?![\\w$])`, flags).test(text);
  return sources.some((s) => {
    const first = fe.anchor?.(s) ?? s.split('.')[0]!;
    return word(first) && word(s.slice(s.lastIndexOf('.') + 1));
  });
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
      if (!analysis.mayFlowAt(calleeProperty(file, site), lastNames)) continue;
      const flow = analysis.flowAt(site);
      if (flow) flows.push(flow);
    }
  } catch (err) {
    if (err instanceof GaveUp) return { flows: [], gaveUp: err.reason };
    throw err;
  }
  return { flows, gaveUp: null };
}

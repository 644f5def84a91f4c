import { parse, type SgNode } from '@ast-grep/napi';
import type { Language } from '../../rules/schema.js';
import { astLang } from '../../scan/ast-languages.js';
import { anyLineWithin } from '../../scan/sorted-lines.js';
import { GaveUp, type Limits } from '../budget.js';
import { named, ownNodes } from '../frontend.js';
import { FileSemantics, hasWord, mayReach } from '../index.js';
import { EITHER, type ArgExpr, type Binding, type CallSite, type Expr, type Scope } from '../ir.js';
import { PatternMarks, patternSinkFlows, type TaintPatterns } from './patterns.js';

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
  /** The keyword that may carry it instead (Python `url=`); `**` for a `**kw` argument. */
  /**
   * The argument must not be an object or array literal that places tainted values under keys
   * the code chose (`Visit.create({ ip: params[:ip] })`): only a whole tainted collection counts.
   */
  noLiteral?: boolean;
  keyword?: string;
  /**
   * Keyword arguments that must fold to these values for the call to be a sink (`shell: 'True'`);
   * a numeric key is a positional argument, which may also resolve to the value (`'1': curlopt_url`).
   */
  when?: Readonly<Record<string, string>>;
  /** An object argument after `arg` that must set this key to this value (`{ shell: true }`). */
  option?: { key: string; value: string };
  /**
   * The argument must carry a source object whole (`req.body`, `{ ...req.body }`), not a value
   * read from one of its fields: mass assignment.
   */
  whole?: boolean;
  /** The argument written into (`Object.assign(model, …)`): the call is a sink only when it is not a fresh literal. */
  into?: number;
  /** Only text counts: an object literal or a source object itself (`res.send(req.body)`) is sent as JSON. */
  text?: boolean;
  /**
   * Only a value built here counts: the argument (through names) is string building (`+`, a
   * template, `format`, `%`, `join`), for method names common outside the sink's API (`db.all`
   * beside `Promise.all`).
   */
  built?: boolean;
}

/**
 * Secrets read from an object (`process.env`, `os.environ`): the whole object, a field whose key
 * matches `keys`, or `name.get(key)`; a field whose key does not match is clean.
 */
export interface TaintSecretSource {
  name: string;
  keys: { test(text: string): boolean };
}

/** Calls whose result is a source when an argument mentions a constant matching `mentions` (`readFileSync('~/.aws/credentials')`). */
export interface TaintSourceCall {
  name: string;
  mentions: { test(text: string): boolean };
}

export interface TaintSpec {
  /**
   * Dotted names whose values (and fields, and calls) are tainted: canonical names
   * (`flask.request.args`, `process.env`) or paths rooted at a parameter (`req.query`).
   */
  sources: readonly string[];
  /**
   * Sinks by canonical callee; a name `*.create` is any method called `create`, whatever its
   * receiver (models of an ORM are the application's own classes).
   */
  sinks: readonly TaintSink[];
  /** Canonical names of calls whose result is clean (`path.basename`, `shlex.quote`), or `*.method` (`*.to_i`). */
  sanitizers: readonly string[];
  sourceCalls?: readonly TaintSourceCall[];
  secretSources?: readonly TaintSecretSource[];
  /** Object-literal keys whose values do not count (`headers`: a credential sent where credentials belong). */
  ignoreKeys?: readonly string[];
  /**
   * Route decorators (`fastapi.FastAPI.get`, `flask.Flask.route`): the parameters of a function
   * decorated with a call of one are request input, except those filled by dependency injection
   * (`db = Depends(get_db)`).
   */
  parametersOf?: readonly string[];
  /** Sources, sinks and sanitizers by code shape (see patterns.ts). */
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
  'String', 'str', 'bytes', 'bytearray', 'repr', 'format', 'URL', 'URLSearchParams', 'Array.from', 'Object.assign',
  'Object.values', 'Object.entries', 'Object.fromEntries', 'Promise.resolve', 'JSON.stringify', 'JSON.parse', 'json.loads', 'json.dumps',
  'Buffer.from', 'decodeURIComponent', 'decodeURI', 'encodeURIComponent', 'encodeURI', 'escape', 'unescape', 'btoa',
  'atob', 'path.join', 'path.resolve', 'path.normalize', 'util.format', 'querystring.stringify', 'qs.stringify',
  'os.path.join', 'os.path.normpath', 'os.path.abspath', 'os.path.expanduser', 'pathlib.Path', 'dict', 'list',
  'tuple', 'sorted', 'urllib.parse.urljoin', 'urllib.parse.unquote', 'urllib.parse.quote', 'urllib.parse.quote_plus',
  'urllib.parse.urlencode', 'base64.b64encode', 'base64.b64decode', 'base64.urlsafe_b64encode',
  'base64.urlsafe_b64decode', 'binascii.hexlify', 'codecs.encode',
]);

/**
 * Methods whose result carries their arguments' taint (`' '.join(parts)`, `'{}'.format(x)`,
 * `'%s' % x`, which the Python front end writes as a call of `__mod__`, and `a || b`, see `either`).
 */
const PROPAGATING_METHODS = new Set(['join', 'concat', 'format', 'format_map', 'replace', 'replaceAll', '__mod__', EITHER]);

/** Calls and methods that hand a whole object on (mass assignment follows only these). */
const WHOLE_CALLS = new Set(['Object.assign', 'dict', 'lodash.merge', 'lodash.assign', 'lodash.extend', 'lodash.defaults']);
const WHOLE_METHODS = new Set(['dict', 'to_dict', 'copy', 'toObject', 'toJSON']);
/** Update operators whose value is written field by field (`{ $set: req.body }`). */
const WHOLE_KEYS = new Set(['$set', '$setOnInsert']);

/**
 * A sink on a parameter's method chain: same root and method, and the sink's middle names called
 * in order along the chain (`res.send` matches `res.status(400).send`, `reply.type.send` matches
 * `reply.code(200).type('text/html').send`).
 */
function chainMatches(sinkName: string, chain: string): boolean {
  const want = sinkName.split('.');
  const have = chain.split('.');
  if (want.length < 2 || want[0] !== have[0] || want.at(-1) !== have.at(-1)) return false;
  let i = 1;
  for (const seg of have.slice(1, -1)) if (i < want.length - 1 && seg === want[i]) i++;
  return i === want.length - 1;
}

/** An expression's value through names bound once (up to 8 hops); null when a name has several bindings or none. */
function valueOf(expr: Expr): Expr | null {
  let e = expr;
  for (let hops = 0; e.k === 'name' && hops < 8; hops++) {
    const bindings = e.scope.lookup(e.name);
    if (bindings?.length !== 1 || bindings[0]!.k !== 'value') return null;
    e = bindings[0]!.get();
  }
  return e;
}

function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** A method name from a receiver-agnostic sink name (`*.create` → `create`), else null. */
export function anyReceiverMethod(sinkName: string): string | null {
  return sinkName.startsWith('*.') ? sinkName.slice(2) : null;
}

/**
 * A URL start that fixes the destination: a scheme and host ended by `/`, `?` or `#`, or a local
 * path with its first segment (a lone `/` followed by `/evil.example` would leave the site).
 */
const FIXED_ORIGIN = /^(?:[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+[/?#]|\/[^/\\])/i;

/** Spring MVC's view names that redirect: the URL follows the prefix. */
const VIEW_NAME_PREFIX = /^redirect:/;

/** Format calls whose first argument is the format string, in the languages the taint pass reads. */
const FORMATS = new Set(['fmt.Sprintf', 'java.lang.String.format', 'sprintf', 'format', 'util.format']);

/** Function values that can be a callback whose parameters carry the receiver's taint (JavaScript, Python). */
const CALLBACK_KINDS = ['arrow_function', 'function_expression', 'function', 'lambda'];

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
  /** The expressions whose value it returns, searched for on first use. */
  returns(): SgNode[];
}

class Tainter {
  /** Keyed by expression, and by a name's list of bindings for what the bindings carry (see `throughBindings`). */
  private readonly memo = new Map<Expr | readonly Binding[], Trace>();
  /** Open questions, by their depth on the stack. */
  private readonly open = new Map<Expr | readonly Binding[], number>();
  /** The lowest open depth a cycle has reached back to since the current question began. */
  private cycleTo = Infinity;
  private depth = 0;

  constructor(
    private readonly a: TaintAnalysis,
    /** Extra sources: the parameter a summary asks about. */
    private readonly seed: ((e: Expr) => boolean) | null,
    /** Follow only a source object handed on whole, not values read from its fields (mass assignment). */
    private readonly whole = false,
  ) {}

  taint(expr: Expr): Trace {
    return this.memoized(expr, () => this.compute(expr));
  }

  /**
   * One question, answered once. A cycle back to a question still open answers null there, and
   * an answer cut short by such a cycle is not kept.
   */
  private memoized(key: Expr | readonly Binding[], compute: () => Trace): Trace {
    if (this.memo.has(key)) return this.memo.get(key)!;
    const openAt = this.open.get(key);
    if (openAt !== undefined) {
      this.cycleTo = Math.min(this.cycleTo, openAt);
      return null;
    }
    const budget = this.a.file.cx.budget;
    budget.tick();
    budget.depth(++this.depth);
    const at = this.depth;
    this.open.set(key, at);
    const outer = this.cycleTo;
    this.cycleTo = Infinity;
    try {
      const out = compute();
      // A clean answer cut short by a cycle back to a question still open below is not final.
      if (out !== null || this.cycleTo >= at) this.memo.set(key, out);
      return out;
    } finally {
      this.open.delete(key);
      this.depth--;
      this.cycleTo = Math.min(outer, this.cycleTo >= at ? Infinity : this.cycleTo);
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
        const t = this.isSource(expr) || (!this.seed && this.a.isRouteParameter(expr)) ? [this.a.step(expr)] : this.throughBindings(expr);
        // An allow-list check on the name before this use cleans it (a conservative dominance: see `guarded`).
        return t && this.a.guarded(expr) ? null : t;
      }
      case 'member': {
        if (this.whole) return this.isSource(expr) && this.a.isWholeSource(expr) ? [this.a.step(expr)] : null;
        if (this.isSource(expr)) return [this.a.step(expr)];
        const secret = this.seed ? null : this.a.secretRead(expr);
        if (secret !== null) return secret ? [this.a.step(expr)] : null;
        return this.taint(expr.object);
      }
      case 'concat':
        return this.whole ? null : this.any(expr.parts);
      case 'list':
        return this.whole ? null : this.any(expr.items);
      case 'object':
        // Whole: only what is spread into the literal (`{ ...req.body }`), whose key is unknown.
        if (this.whole) return this.any(expr.values.filter((_, i) => expr.keys[i]!.k === 'unknown' || WHOLE_KEYS.has(this.a.file.passes.fold(expr.keys[i]!) ?? '')));
        return this.any(this.a.spec.ignoreKeys ? expr.values.filter((_, i) => !this.a.spec.ignoreKeys!.includes(this.a.file.passes.fold(expr.keys[i]!) ?? '')) : expr.values);
      case 'call':
        return this.call(expr);
      // What a front end binds for a parameter of a known type or annotation (`@RequestParam`).
      case 'module':
        return this.isSource(expr) ? [this.a.step(expr)] : null;
      default:
        return null;
    }
  }

  /**
   * What a name's bindings carry, asked once per variable, not once per use: a variable appended
   * to a thousand times (`out += …`) is searched once. What depends on the use (an allow-list
   * check before it, a pattern on its node) is decided by the caller.
   */
  private throughBindings(expr: Expr & { k: 'name' }): Trace {
    const bindings = expr.scope.lookup(expr.name);
    return bindings ? this.memoized(bindings, () => this.throughName(expr)) : this.throughName(expr);
  }

  /** A name's taint through its bindings, or, for a callback's parameter, through the receiver it is called on. */
  private throughName(expr: Expr & { k: 'name' }): Trace {
    for (const b of expr.scope.lookup(expr.name) ?? []) {
      if (b.k !== 'value') continue;
      const value = b.get();
      const t = this.taint(value);
      if (t) return [...t, { text: expr.name, line: this.a.line(value) || t.at(-1)!.line }];
    }
    // Semgrep's `pattern-propagators`: `$TO.add($FROM)` carries `$FROM` into this variable.
    for (const value of this.a.propagatedInto(expr)) {
      const t = this.taint(value);
      if (t) return [...t, { text: expr.name, line: this.a.line(value) || t.at(-1)!.line }];
    }
    if (this.whole) return null;
    // `fetch(u).then((r) => r.text())`, `req.body.items.forEach((item) => …)`: the callback's
    // parameters carry the receiver's taint.
    const receiver = this.a.callbackReceiver(expr);
    const t = receiver && this.taint(receiver);
    return t ? [...t, { text: expr.name, line: this.a.line(expr) }] : null;
  }

  private call(expr: Expr & { k: 'call' }): Trace {
    const { passes } = this.a.file;
    const canonical = passes.canonical(expr.callee);
    if (canonical !== null && this.a.spec.sanitizers.includes(canonical)) return null;
    if (expr.callee.k === 'member' && this.a.spec.sanitizers.includes(`*.${passes.fold(expr.callee.prop)}`)) return null;
    if (!this.seed && canonical !== null && (this.whole ? this.a.spec.sources.includes(canonical) : this.a.matchesSource(canonical))) return [this.a.step(expr)];
    if (!this.seed && canonical !== null && this.a.isSourceCall(canonical, expr)) return [this.a.step(expr)];
    const secret = this.seed || canonical === null ? null : this.a.secretCall(canonical, expr);
    if (secret !== null) return secret ? [this.a.step(expr)] : null;
    // `req.json()`, `request.get_data()` on a parameter: a source by its path.
    if (this.isSource(expr.callee) && (!this.whole || this.a.isWholeSource(expr.callee))) return [this.a.step(expr)];
    const args = (): Expr[] => expr.args.filter((x) => !x.spread).map((x) => x.expr);
    if (this.whole) {
      if (canonical !== null && WHOLE_CALLS.has(canonical)) return this.any(args());
      const method = expr.callee.k === 'member' ? passes.fold(expr.callee.prop) : null;
      return method !== null && WHOLE_METHODS.has(method) ? this.taint((expr.callee as Expr & { k: 'member' }).object) : null;
    }
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

/** Node kinds of the statement lists a guard and the statement it guards share. */
const BLOCKS = new Set(['statement_block', 'program', 'block', 'module', 'switch_case']);
const EXITS = new Set(['return_statement', 'throw_statement', 'raise_statement', 'continue_statement', 'break_statement']);
/** Calls that end a request handler (`abort(403)`, `next(err)` after which the handler returns). */
const EXIT_CALLS = /(^|\.)(abort|exit|_exit)$/;
const JS_MEMBERSHIP = new Set(['includes', 'has']);
/** Calls whose name says they check a value against an allow-list. */
const VALIDATOR = /allowed|safe_?url|whitelist|allowlist/i;

/**
 * Facts about one file that do not depend on a rule, computed on first use and shared by every
 * taint analysis of the file (a scan runs one analysis per rule over the same walk).
 */
interface FileFacts {
  functions: Map<string, FunctionDef | null> | null;
  /** Every function value (arrow, lambda, function expression) by the scope it opens, for callbacks. */
  functionValues: Map<Scope, SgNode> | null;
  exitingIfsOf: Map<number, SgNode[]>;
  sitesByScope: Map<Scope, CallSite[]> | null;
  /** What a call site's callee resolves to: its canonical name, plain property and parameter chain. */
  callees: Map<CallSite, Callee>;
}

interface Callee {
  expr: Expr;
  canonical: string | null;
  property: string | null;
  chain: string | null;
}

const factsOf = new WeakMap<FileSemantics, FileFacts>();

function sharedFacts(file: FileSemantics): FileFacts {
  let facts = factsOf.get(file);
  if (!facts) {
    facts = { functions: null, functionValues: null, exitingIfsOf: new Map(), sitesByScope: null, callees: new Map() };
    factsOf.set(file, facts);
  }
  return facts;
}

export class TaintAnalysis {
  private readonly main: Tainter;
  private wholeTainter: Tainter | null = null;
  private readonly facts: FileFacts;
  /** The spec's sinks by the last segment of their name: what a call's own name must be. */
  private readonly sinksByLastName = new Map<string, TaintSink[]>();
  private routeParameters: Map<Scope, Set<string>> | null = null;
  private readonly summaries = new Map<FunctionDef, ReadonlySet<number>>();
  private readonly sinkSummaries = new Map<FunctionDef, ReadonlyMap<number, { canonical: string; steps: TaintStep[] }>>();
  private marks: PatternMarks | null = null;

  constructor(
    readonly file: FileSemantics,
    private readonly root: SgNode,
    readonly spec: TaintSpec,
  ) {
    this.main = new Tainter(this, null);
    this.facts = sharedFacts(file);
    for (const sink of spec.sinks) {
      const last = lastSegment(sink.name);
      const list = this.sinksByLastName.get(last);
      if (list) list.push(sink);
      else this.sinksByLastName.set(last, [sink]);
    }
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

  /** A parameter of a function decorated as a route (see `TaintSpec.parametersOf`). */
  isRouteParameter(expr: Expr & { k: 'name' }): boolean {
    if (!this.spec.parametersOf?.length) return false;
    let owner: Scope | null = expr.scope;
    while (owner && !owner.bindings.has(expr.name)) owner = owner.parent;
    if (!owner || owner.bindings.get(expr.name)!.some((b) => b.k !== 'opaque')) return false;
    this.routeParameters ??= this.collectRouteParameters(this.spec.parametersOf);
    return this.routeParameters.get(owner)?.has(expr.name) ?? false;
  }

  private collectRouteParameters(decorators: readonly string[]): Map<Scope, Set<string>> {
    const out = new Map<Scope, Set<string>>();
    const { cx, passes } = this.file;
    for (const decorated of this.root.findAll({ rule: { kind: 'decorated_definition' } })) {
      cx.budget.tick();
      const fn = decorated.field('definition');
      const scope = fn ? cx.scopeOf.get(fn.id()) : undefined;
      if (!fn || !scope?.parent) continue;
      const routes = named(decorated).some((d) => {
        const call = d.kind() === 'decorator' ? named(d)[0] : undefined;
        const callee = call?.kind() === 'call' ? passes.canonical(cx.expr(call.field('function'), scope.parent!)) : null;
        return callee !== null && decorators.includes(callee);
      });
      if (!routes) continue;
      const names = new Set<string>();
      for (const p of named(fn.field('parameters') ?? fn)) {
        const value = p.field('value');
        // `db: Session = Depends(get_db)`: filled by the framework, not by the request.
        if (value?.kind() === 'call' && /(^|\.)(Depends|Security)$/.test(value.field('function')?.text() ?? '')) continue;
        const name = p.kind() === 'identifier' ? p : (p.field('name') ?? named(p)[0]);
        if (name?.kind() === 'identifier') names.add(name.text());
      }
      out.set(scope, names);
    }
    return out;
  }

  /** A source named exactly (`req.body`), not a field of one (`req.body.name`). */
  isWholeSource(expr: Expr): boolean {
    const canonical = this.file.passes.canonical(expr);
    if (canonical !== null && this.spec.sources.includes(canonical)) return true;
    const path = this.paramPath(expr);
    return path !== null && this.spec.sources.includes(path);
  }

  /** True for a secret read (see `TaintSecretSource`), false for a field of a secret source that is not one, else null. */
  secretRead(expr: Expr & { k: 'member' }): boolean | null {
    if (!this.spec.secretSources) return null;
    const name = this.file.passes.canonical(expr) ?? this.paramPath(expr);
    if (name === null) return null;
    for (const s of this.spec.secretSources) {
      if (name === s.name) return true;
      if (name.startsWith(`${s.name}.`)) return s.keys.test(name.slice(s.name.length + 1).split('.')[0]!);
    }
    return null;
  }

  /** `os.environ.get(key)` on a secret source: true when the key is a secret's, false for any other key; else null. */
  secretCall(canonical: string, expr: Expr & { k: 'call' }): boolean | null {
    const secret = this.spec.secretSources?.find((s) => canonical === `${s.name}.get`);
    if (!secret) return null;
    const key = expr.args[0] && !expr.args[0].spread ? this.file.passes.fold(expr.args[0].expr) : null;
    return key !== null && secret.keys.test(key);
  }

  /** A call of a `sourceCalls` entry whose arguments mention a matching constant. */
  isSourceCall(canonical: string, expr: Expr & { k: 'call' }): boolean {
    const calls = this.spec.sourceCalls?.filter((c) => c.name === canonical) ?? [];
    if (calls.length === 0) return false;
    const texts = this.constantsIn(expr.args.filter((a) => !a.spread).map((a) => a.expr));
    return calls.some((c) => texts.some((t) => c.mentions.test(t)));
  }

  /** The constant strings an expression is built from, following bindings, calls and string building. */
  private constantsIn(roots: Expr[]): string[] {
    const out: string[] = [];
    const seen = new Set<Expr>();
    const stack = [...roots];
    while (stack.length > 0 && seen.size < 200) {
      const e = stack.pop()!;
      if (seen.has(e)) continue;
      seen.add(e);
      this.file.cx.budget.tick();
      if (e.k === 'lit') out.push(e.value);
      else if (e.k === 'name') stack.push(...(e.scope.lookup(e.name) ?? []).flatMap((b) => (b.k === 'value' ? [b.get()] : [])));
      else if (e.k === 'concat') stack.push(...e.parts);
      else if (e.k === 'list') stack.push(...e.items);
      else if (e.k === 'call') stack.push(...e.args.filter((a) => !a.spread).map((a) => a.expr));
    }
    return out;
  }

  /**
   * For a parameter of a function value passed to a method call (`xs.map((x) => …)`,
   * `p.then((r) => …)`), the receiver of that call; else null.
   */
  callbackReceiver(expr: Expr & { k: 'name' }): Expr | null {
    let owner: Scope | null = expr.scope;
    while (owner && !owner.bindings.has(expr.name)) owner = owner.parent;
    if (!owner || owner.bindings.get(expr.name)!.some((b) => b.k !== 'opaque')) return null;
    if (!this.facts.functionValues) {
      this.facts.functionValues = new Map();
      const kinds = CALLBACK_KINDS.filter((k) => this.file.cx.fe.scopes.has(k)).map((kind) => ({ kind }));
      for (const node of this.root.findAll({ rule: { any: kinds } })) {
        this.file.cx.budget.tick();
        const scope = this.file.cx.scopeOf.get(node.id());
        if (scope) this.facts.functionValues.set(scope, node);
      }
    }
    const fn = this.facts.functionValues.get(owner);
    const argsNode = fn?.parent();
    const call = argsNode ? this.file.cx.owner(argsNode) : null;
    if (!call || !owner.parent) return null;
    const parts = this.file.cx.fe.calls[call.kind() as string];
    const callee = parts ? this.file.cx.expr(call.field(parts.callee), owner.parent) : null;
    return callee?.k === 'member' ? callee.object : null;
  }

  /**
   * Whether an allow-list check on this name's variable comes before this use on every path:
   * an `if` in an enclosing statement list of the same function, before the statement holding
   * the use, whose condition is a negated membership test on the variable (`!ALLOWED.includes(x)`,
   * `x not in ALLOWED`, also on a value built from it such as `new URL(x).hostname`) and whose
   * body ends by leaving (return, throw, raise, abort()); or the use sits in the body of an `if`
   * whose condition is the membership test itself, or in the first branch of a conditional
 * expression on it (`ALLOWED.includes(x) ? x : 'jpg'`). Reassignments between the check and the use
   * are not looked for: the check must be the last thing before the use that names the variable.
   */
  guarded(expr: Expr & { k: 'name' }): boolean {
    const use = this.file.cx.nodeOf.get(expr);
    const fe = this.file.cx.fe;
    for (let n = use ?? null; n; ) {
      const parent = n.parent();
      if (!parent || fe.scopes.has(parent.kind() as string)) return false;
      const pk = parent.kind() as string;
      if (pk === 'if_statement' && parent.field('consequence')?.id() === n.id() && this.membership(parent.field('condition'), expr) === 'in') return true;
      // `ALLOWED.includes(x) ? x : 'default'`, `x if x in ALLOWED else 'default'`.
      if (pk === 'ternary_expression' && parent.field('consequence')?.id() === n.id() && this.membership(parent.field('condition'), expr) === 'in') return true;
      if (pk === 'conditional_expression' && named(parent)[0]?.id() === n.id() && this.membership(named(parent)[1] ?? null, expr) === 'in') return true;
      if (BLOCKS.has(pk)) {
        const start = n.range().start.index;
        for (const guard of this.exitingIfs(parent)) {
          if (guard.range().end.index > start) break;
          if (this.membership(guard.field('condition'), expr) === 'not-in') return true;
        }
      }
      n = parent;
    }
    return false;
  }

  /** The `if` statements of a statement list whose body always leaves, in order; computed once per list. */
  private exitingIfs(block: SgNode): SgNode[] {
    const known = this.facts.exitingIfsOf.get(block.id());
    if (known) return known;
    this.file.cx.budget.tick();
    const out = block.children().filter((c) => c.kind() === 'if_statement' && this.exits(c.field('consequence')));
    this.facts.exitingIfsOf.set(block.id(), out);
    return out;
  }

  /** Whether a condition tests membership of the variable (`in`) or its absence (`not-in`). */
  private membership(cond: SgNode | null, expr: Expr & { k: 'name' }): 'in' | 'not-in' | null {
    if (!cond) return null;
    const kind = cond.kind() as string;
    if (kind === 'parenthesized_expression') return this.membership(named(cond)[0] ?? null, expr);
    if (kind === 'unary_expression' || kind === 'not_operator') {
      const negated = kind === 'not_operator' || cond.field('operator')?.text() === '!';
      const inner = this.membership(cond.field('argument') ?? named(cond)[0] ?? null, expr);
      return !negated || inner === null ? null : inner === 'in' ? 'not-in' : 'in';
    }
    if (kind === 'comparison_operator') {
      const ops = cond.children().filter((c) => !c.isNamed()).map((c) => c.text());
      const subject = named(cond)[0];
      if (!subject || !this.mentionsVariable(subject, expr)) return null;
      if (ops.join(' ') === 'not in') return 'not-in';
      if (ops.join(' ') === 'in') return 'in';
      return null;
    }
    if (kind === 'call_expression' || kind === 'call') {
      const callee = cond.field('function');
      const method = callee?.kind() === 'member_expression' ? callee.field('property')?.text() : null;
      const args = named(cond.field('arguments') ?? cond);
      // `ALLOWED.includes(x)`, or a check named for what it checks (`url_has_allowed_host_and_scheme(x, …)`, `isAllowedHost(x)`).
      const checks = (method && JS_MEMBERSHIP.has(method)) || (callee !== null && VALIDATOR.test(callee.text()));
      const arg = method && JS_MEMBERSHIP.has(method) ? args[0] : args.find((a) => this.mentionsVariable(a, expr));
      return checks && arg && this.mentionsVariable(arg, expr) ? 'in' : null;
    }
    return null;
  }

  /** The node names the variable, or a name bound once to a value built from it (`parsed = urlparse(x)`). */
  private mentionsVariable(node: SgNode, expr: Expr & { k: 'name' }): boolean {
    const own = expr.scope.lookup(expr.name);
    const ids = node.kind() === 'identifier' ? [node] : node.findAll({ rule: { kind: 'identifier' } });
    for (const id of ids) {
      if (id.text() === expr.name) return true;
      const bindings = expr.scope.lookup(id.text());
      if (bindings?.length !== 1 || bindings === own || bindings[0]!.k !== 'value') continue;
      const value = this.file.cx.nodeOf.get(bindings[0]!.get());
      if (value && value.findAll({ rule: { kind: 'identifier' } }).some((n) => n.text() === expr.name)) return true;
    }
    return false;
  }

  /** A branch that always leaves: its last statement returns, throws, raises or aborts. */
  private exits(body: SgNode | null): boolean {
    if (!body) return false;
    const kind = body.kind() as string;
    const last = BLOCKS.has(kind) || kind === 'block' ? named(body).filter((c) => c.kind() !== 'comment').at(-1) : body;
    if (!last) return false;
    if (EXITS.has(last.kind() as string)) return true;
    const call = last.kind() === 'expression_statement' ? named(last)[0] : null;
    const callee = call && (call.kind() === 'call' || call.kind() === 'call_expression') ? call.field('function') : null;
    return callee !== null && callee !== undefined && EXIT_CALLS.test(callee.text());
  }

  /** A source by canonical name, or by a member path rooted at a parameter or free name. */
  isSource(expr: Expr): boolean {
    const canonical = this.file.passes.canonical(expr);
    if (canonical !== null && this.matchesSource(canonical)) return true;
    const path = this.paramPath(expr);
    return path !== null && this.matchesSource(path);
  }

  /**
   * The dotted path of a member access rooted at a parameter or free name (`req.query.id`). With
   * `throughCalls`, through the method calls of a chain: `res.status(400).send` is `res.status.send`.
   */
  private paramPath(expr: Expr, throughCalls = false): string | null {
    const props: string[] = [];
    let e = expr;
    while (e.k === 'member' || (throughCalls && e.k === 'call' && e.callee.k === 'member')) {
      if (e.k === 'call') {
        e = e.callee;
        continue;
      }
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
    if (property === null || lastNames.has(property)) return true;
    this.facts.functions ??= this.collectFunctions();
    return this.facts.functions.has(property);
  }

  /** The same-file function a call by this name reaches, when the name is not bound to a value. */
  functionNamed(callee: Expr & { k: 'name' }): FunctionDef | null {
    const bindings = callee.scope.lookup(callee.name);
    // A function the file defines binds its name; a free name (`String`, `fetch`) is a global.
    if (!bindings || bindings.some((b) => b.k === 'value' && this.file.passes.canonical(b.get()) !== null)) return null;
    this.facts.functions ??= this.collectFunctions();
    return this.facts.functions.get(callee.name) ?? null;
  }

  /** The file's functions by name, as its front end reads them; a name defined twice is null (ambiguous). */
  private collectFunctions(): Map<string, FunctionDef | null> {
    const out = new Map<string, FunctionDef | null>();
    const fe = this.file.cx.fe;
    const table = fe.functions;
    if (!table) return out;
    // Definitions are scopes, which the walk has already found: no second search of the tree.
    const scopes = this.file.cx.scopeNodes;
    for (const [at, { node, kind }] of scopes.entries()) {
      if (!table.kinds.has(kind)) continue;
      this.file.cx.budget.tick();
      const shape = table.shape(node, (own) => ownNodes(scopes, at, own));
      const scope = this.file.cx.scopeOf.get(node.id());
      if (!shape || !scope) continue;
      let returns: SgNode[] | null = null;
      const def = { node, scope, params: shape.params.map((p) => p ?? ''), returns: () => (returns ??= shape.returns()) };
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
      if (seeded && fn.returns().some((r) => seeded.taint(this.file.cx.expr(r, fn.scope)))) out.add(i);
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
    if (!this.facts.sitesByScope) {
      this.facts.sitesByScope = new Map();
      for (const site of this.file.sites) {
        const list = this.facts.sitesByScope.get(site.scope);
        if (list) list.push(site);
        else this.facts.sitesByScope.set(site.scope, [site]);
      }
    }
    const sinks = (this.facts.sitesByScope.get(fn.scope) ?? []).flatMap((site) => this.sinkArgs(site).filter((a) => !a.whole).map((a) => ({ site, ...a })));
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
        if (FIXED_ORIGIN.test(prefix.replace(VIEW_NAME_PREFIX, ''))) return true;
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
    const e = valueOf(expr);
    if (e?.k !== 'object') return false;
    const { passes } = this.file;
    return e.keys.some((k, i) => passes.fold(k) === key && passes.fold(e.values[i]!) === value);
  }

  /** The sink arguments of one call, for every sink of the spec it matches. */
  private sinkArgs(site: CallSite): { canonical: string; expr: Expr; whole: boolean }[] {
    const { canonical: canonical0, property, chain } = this.callee(site);
    const resolved = canonical0 ?? chain;
    if (resolved === null && property === null) return [];
    const candidates = this.sinksByLastName.get(lastSegment(resolved ?? property!)) ?? [];
    const matches = (sink: TaintSink): boolean =>
      sink.name === resolved || (chain !== null && chainMatches(sink.name, chain)) || (property !== null && anyReceiverMethod(sink.name) === property);
    const found = candidates.filter(matches);
    if (found.length === 0) return [];
    const canonical = resolved ?? `*.${property}`;
    const args: ArgExpr[] = this.file.argExprs(site);
    const out: { canonical: string; expr: Expr; whole: boolean }[] = [];
    for (const sink of found) {
      const when = Object.entries(sink.when ?? {});
      const positional = args.filter((a) => a.keyword === null);
      const holds = (k: string, v: string): boolean => {
        const resolves = (a: ArgExpr): boolean => (this.file.passes.fold(a.expr) ?? this.file.passes.canonical(a.expr)) === v;
        if (!/^\d+$/.test(k)) return args.some((a) => a.keyword === k && resolves(a));
        const a = positional[Number(k)];
        return a !== undefined && !a.spread && resolves(a);
      };
      if (!when.every(([k, v]) => holds(k, v))) continue;
      const into = sink.into === undefined ? undefined : positional[sink.into];
      if (into && (into.spread || this.freshObject(into.expr))) continue;
      if (sink.receiver) {
        const callee = this.file.calleeExpr(site);
        if (callee.k === 'member') out.push({ canonical, expr: callee.object, whole: false });
        continue;
      }
      if (sink.option && !args.slice(sink.arg + 1).some((a) => !a.spread && this.setsOption(a.expr, sink.option!.key, sink.option!.value))) continue;
      // `keyword: '**'`: the `**kw` argument (`Model.objects.create(**request.POST)`).
      const splat = sink.keyword === '**' ? args.find((a) => a.spread && a.expr.k !== 'unknown') : undefined;
      if (splat) out.push({ canonical, expr: splat.expr, whole: sink.whole === true });
      const arg = args.filter((a) => a.keyword === null)[sink.arg] ?? args.find((a) => sink.keyword !== undefined && a.keyword === sink.keyword);
      if (!arg || arg.spread || (sink.text && this.objectValued(arg.expr)) || (sink.url && this.fixedOrigin(arg.expr))) continue;
      if (sink.noLiteral && this.literalCollection(arg.expr)) continue;
      if (sink.built && !this.builtString(arg.expr)) continue;
      out.push({ canonical, expr: arg.expr, whole: sink.whole === true });
    }
    return out;
  }

  /** What a call's callee resolves to, once per site for all rules. */
  private callee(site: CallSite): Callee {
    const known = this.facts.callees.get(site);
    if (known) return known;
    const property = this.file.plainProperty(site);
    const expr = this.file.calleeExpr(site);
    const canonical = this.file.canonical(site);
    // A method of a parameter by its path (`res.send`, also `res.status(400).send`), like sources.
    const chain = canonical === null && property !== null ? this.paramPath(expr, true) : null;
    const out = { expr, canonical, property, chain };
    this.facts.callees.set(site, out);
    return out;
  }

  /** String building, directly or through names: a concatenation or template, or a formatting method. */
  private builtString(expr: Expr): boolean {
    const e = valueOf(expr);
    if (!e) return false;
    if (e.k === 'concat') return true;
    const method = e.k === 'call' && e.callee.k === 'member' ? this.file.passes.fold(e.callee.prop) : null;
    return method !== null && PROPAGATING_METHODS.has(method) && method !== EITHER;
  }

  /** An object literal or a source object itself (`req.body`), through names: sent as JSON, not as text. */
  private objectValued(expr: Expr): boolean {
    const e = valueOf(expr);
    if (!e) return false;
    return e.k === 'object' || (e.k === 'member' && this.isWholeSource(e));
  }

  /** An object literal, directly or through one binding. */
  private freshObject(expr: Expr): boolean {
    const bindings = expr.k === 'name' ? expr.scope.lookup(expr.name) : null;
    const value = bindings?.length === 1 && bindings[0]!.k === 'value' ? bindings[0]!.get() : expr;
    return value.k === 'object';
  }

  private tainterFor(whole: boolean): Tainter {
    return whole ? (this.wholeTainter ??= new Tainter(this, null, true)) : this.main;
  }

  /**
   * The flow into one call: a sink of the spec whose argument is tainted, or a same-file helper
   * that passes a parameter to a sink, called with a tainted argument there.
   */
  flowAt(site: CallSite): TaintFlow | null {
    for (const { canonical, expr, whole } of this.sinkArgs(site)) {
      const trace = this.tainterFor(whole).taint(expr);
      if (trace) return flowOf(site, canonical, [...trace, siteStep(site)]);
    }
    const callee = this.callee(site).expr;
    const fn = callee.k === 'name' ? this.functionNamed(callee) : null;
    if (!fn) return null;
    const positional = this.file.argExprs(site).filter((a) => a.keyword === null);
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
  const methods = sinks.map(anyReceiverMethod).filter((m): m is string => m !== null);
  return methods.some((m) => hasWord(text, m)) || mayReach(text, language, sinks.filter((name) => anyReceiverMethod(name) === null));
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
      if (!analysis.mayFlowAt(file.plainProperty(site), lastNames)) continue;
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

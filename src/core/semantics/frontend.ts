import type { SgNode } from '@ast-grep/napi';
import { Budget } from './budget.js';
import { lit, Scope, UNKNOWN, type ArgExpr, type Binding, type BuiltinCall, type CallSite, type Expr } from './ir.js';
import type { LanguageFolds } from './passes.js';

// The language-independent half of a front end: the walk that builds scopes, bindings and call
// sites, and the memoised, bounded conversion of expression nodes. A language supplies tables.

export type ExprRule = (node: SgNode, scope: Scope, cx: Cx) => Expr;
export type BindRule = (node: SgNode, scope: Scope, cx: Cx) => void;

/** A function definition the taint pass can summarise, as one front end reads it. */
export interface FunctionShape {
  /** The name a call in the file reaches it by. */
  name: string;
  /** Parameter names in call order; null for one the pass cannot follow (a pattern). */
  params: (string | null)[];
  /** The expressions whose value it returns, found on first use (most definitions are never asked). */
  returns(): SgNode[];
}

export interface FunctionTable {
  /** Node kinds that define functions. */
  kinds: ReadonlySet<string>;
  /**
   * The shape of one definition, or null when no call reaches it by name (a block, a lambda).
   * `own(kind)`: the nodes of that kind inside the definition and not inside a nested scope.
   */
  shape(node: SgNode, own: (kind: string) => SgNode[]): FunctionShape | null;
}

export interface FrontEnd {
  /** Node kinds that open a function (or class) scope. */
  scopes: ReadonlySet<string>;
  /** Binds a scope node's own name in the outer scope and its parameters in the inner one. */
  enterScope(node: SgNode, outer: Scope, inner: Scope, cx: Cx): void;
  /** Node kinds that write names, and how. */
  binders: Readonly<Record<string, BindRule>>;
  /** Node kinds that are calls, with the fields holding the callee and the argument list. */
  calls: Readonly<Record<string, { callee: string; args: string }>>;
  /**
   * Node kinds that act as calls without being written as one (PHP's `echo`, `include`; Ruby's
   * backticks; an assignment to a property): what each calls and with what, or null when this
   * node does not.
   */
  builtinCalls?: Readonly<Record<string, (node: SgNode) => BuiltinCall | null>>;
  /** The property name of a callee like `a.b.name`, when it is written plainly; else null. */
  plainProperty(callee: SgNode): string | null;
  /** The arguments of an argument-list node. */
  args(node: SgNode | null, scope: Scope, cx: Cx): ArgExpr[];
  /** Node kinds that are expressions, and how to convert them. Other kinds are unknown. */
  exprs: Readonly<Record<string, ExprRule>>;
  /** Names of the global object (`globalThis`, `window`): members of it are globals. */
  globalObjects: ReadonlySet<string>;
  /** Canonical names of calls that load a module named by their first argument. */
  moduleLoaders: ReadonlySet<string>;
  /** Whether `module['name']` / `globalThis['name']` reach members (JavaScript), or fail (Python). */
  subscriptsReachMembers: boolean;
  /** Loaders that are keywords (`import(…)`): the text test looks for them followed by `(`. */
  keywordLoaders: ReadonlySet<string>;
  /** Canonical names of calls `(object, name)` that read a member: Python's `getattr`. */
  memberGetters: ReadonlySet<string>;
  /** Modules whose members are the builtins (Python's `builtins`): `builtins.exec` is `exec`. */
  rootModules: ReadonlySet<string>;
  /** The canonical name of a module as imported (`node:fs` → `fs`). */
  moduleName(name: string): string;
  /** Calls and constant-receiver methods only this language folds; tried before the shared ones. */
  folds?: LanguageFolds;
  /** Text that may reach a hidden name besides the words above (Ruby's `send`, PHP's `$f(`). */
  reach?: RegExp;
  /**
   * The class of the object a call returns, given its canonical callee: a factory
   * (`java.lang.Runtime.getRuntime` → `java.lang.Runtime`) or a constructor (`new URL(…)` → `java.net.URL`).
   */
  instanceOf?(call: Expr & { k: 'call' }, callee: string): string | null;
  /** Whether names are written in any case (PHP's functions and classes): the text test ignores case. */
  namesIgnoreCase?: boolean;
  /** The word a file must contain to reach a canonical name; by default its first segment. */
  anchor?(name: string): string;
  /** Function definitions, for the taint pass's same-file summaries. */
  functions?: FunctionTable;
  /** Canonical calls and method names whose result carries their arguments' taint (`fmt.Sprintf`, `append`). */
  propagators?: { calls: ReadonlySet<string>; methods: ReadonlySet<string> };
}

/** The fields most languages leave empty, so a front end names only what it has. */
type Defaulted = 'globalObjects' | 'moduleLoaders' | 'subscriptsReachMembers' | 'keywordLoaders' | 'memberGetters' | 'rootModules';

const NONE: ReadonlySet<string> = new Set();

/** A front end from its table, the fields it leaves out empty. */
export function frontEnd(table: Omit<FrontEnd, Defaulted> & Partial<Pick<FrontEnd, Defaulted>>): FrontEnd {
  return {
    globalObjects: NONE,
    moduleLoaders: NONE,
    subscriptsReachMembers: false,
    keywordLoaders: NONE,
    memberGetters: NONE,
    rootModules: NONE,
    ...table,
  };
}

/** What a function's own `return` statements return: the first operand of each. */
export function returnValues(own: (kind: string) => SgNode[]): SgNode[] {
  return own('return_statement').flatMap((r) => named(r).slice(0, 1));
}

/** A scope node the walk entered, with its kind and its extent in the text. */
export interface ScopeNode {
  node: SgNode;
  kind: string;
  start: number;
  end: number;
}

/**
 * The nodes of `kind` inside `scopes[at]` whose nearest enclosing scope is that scope itself: those
 * not inside another scope node within it. `scopes` are the walk's, in document order.
 */
export function ownNodes(scopes: readonly ScopeNode[], at: number, kind: string): SgNode[] {
  const scope = scopes[at]!;
  // Document order: the scopes inside this one follow it, up to the first that starts past its end.
  const inner: ScopeNode[] = [];
  for (let i = at + 1; i < scopes.length && scopes[i]!.start < scope.end; i++) inner.push(scopes[i]!);
  const found = scope.node.findAll({ rule: { kind } });
  if (inner.length === 0) return found;
  return found.filter((n) => {
    const at = n.range().start.index;
    return !inner.some((s) => s.start <= at && at < s.end);
  });
}

const NO_PARTS = { callee: '', args: '' };

/** Conversion context: the budget, the memo and the current expression depth. */
export class Cx {
  private readonly memo = new Map<number, Expr>();
  /** The call each callee and argument-list node belongs to (asking a node for its parent walks the tree). */
  private readonly owners = new Map<number, { call: SgNode; field: string }>();
  /** The inner scope of each scope node the walk entered, by node id. */
  readonly scopeOf = new Map<number, Scope>();
  /** The scope nodes the walk entered, in document order. */
  readonly scopeNodes: ScopeNode[] = [];
  /** The node each converted expression came from (for lines and text in findings). */
  readonly nodeOf = new WeakMap<Expr, SgNode>();
  /** The file's top-level scope. */
  readonly root = new Scope(null);
  private depth = 0;
  constructor(
    readonly fe: FrontEnd,
    readonly budget: Budget,
  ) {}

  expr(node: SgNode | null | undefined, scope: Scope): Expr {
    if (!node) return UNKNOWN;
    const id = node.id();
    const cached = this.memo.get(id);
    if (cached) return cached;
    this.budget.tick();
    const rule = this.fe.exprs[node.kind() as string];
    if (!rule) return UNKNOWN;
    this.budget.depth(++this.depth);
    // What an expression is made of is converted whole, even inside a lazily read argument list.
    const lazy = this.lazy;
    this.lazy = false;
    try {
      const out = rule(node, scope, this);
      this.memo.set(id, out);
      if (out !== UNKNOWN) this.nodeOf.set(out, node);
      return out;
    } finally {
      this.depth--;
      this.lazy = lazy;
    }
  }

  /** Calls recorded by the walk whose callee and argument-list nodes are not in `owners` yet. */
  private readonly unowned: { call: SgNode; parts: { callee: string; args: string } }[] = [];

  /**
   * Records a call as the owner of its callee and argument-list nodes. Only some front ends ask
   * for owners, and reading the fields costs more than the rest of the walk: they are read on
   * the first question.
   */
  own(call: SgNode, parts: { callee: string; args: string }): void {
    this.unowned.push({ call, parts });
  }

  /** The call whose callee or argument list `node` is, or null. */
  owner(node: SgNode): SgNode | null {
    return this.ownership(node)?.call ?? null;
  }

  /**
   * The call whose `field` `node` is, when that field is the call's callee or argument list; else
   * null. What `owner(node)?.field(field)?.id() === node.id()` tells, without asking the tree again.
   */
  ownerAs(node: SgNode, field: string): SgNode | null {
    const owned = this.ownership(node);
    return owned?.field === field ? owned.call : null;
  }

  /** The call whose callee or argument list `node` is, with the field it sits in. */
  ownership(node: SgNode): { call: SgNode; field: string } | null {
    for (const { call, parts } of this.unowned.splice(0)) {
      for (const field of [parts.callee, parts.args]) {
        const child = this.partOf(call, field);
        if (child) this.owners.set(child.id(), { call, field });
      }
    }
    return this.owners.get(node.id()) ?? null;
  }

  /** The callee and argument-list nodes read so far, by the call node the walk found. */
  private readonly parts = new WeakMap<SgNode, Map<string, SgNode | null>>();

  /**
   * A call's callee or argument-list node (its `field`), read from the tree once per call node
   * found by the walk: the rules, the conversion and the owners of nodes all ask for them.
   */
  partOf(call: SgNode, field: string): SgNode | null {
    let fields = this.parts.get(call);
    if (!fields) this.parts.set(call, (fields = new Map()));
    let part = fields.get(field);
    if (part === undefined) fields.set(field, (part = call.field(field)));
    return part;
  }

  /** Whether `arg` defers conversion: set only while `lazyArgs` reads a call's argument list. */
  private lazy = false;

  /**
   * One argument of a call. Converted at once, as every expression is (so that deep nesting meets
   * the depth bound where it is), except in the argument list `lazyArgs` reads, whose arguments
   * are converted on first use: a rule asks about one argument of a call (its sink's), seldom all.
   */
  arg(convert: () => Expr, keyword: string | null = null, spread = false): ArgExpr {
    if (!this.lazy) return { expr: convert(), keyword, spread };
    let expr: Expr | null = null;
    return {
      get expr() {
        return (expr ??= convert());
      },
      keyword,
      spread,
    };
  }

  /** A call site's argument list (see `arg`), its arguments converted on first use. */
  lazyArgs(read: () => ArgExpr[]): ArgExpr[] {
    this.lazy = true;
    try {
      return read();
    } finally {
      this.lazy = false;
    }
  }

  /** A binding whose value is converted on first use. */
  value(get: () => Expr): Binding {
    let done: Expr | null = null;
    return { k: 'value', get: () => (done ??= get()) };
  }
}

/** `s += x`: whatever `s` held, now with `x` after it (no constant, but taint follows). */
export function appendedTo(right: SgNode, scope: Scope, cx: Cx): () => Expr {
  return () => ({ k: 'concat', parts: [UNKNOWN, cx.expr(right, scope)] });
}

/**
 * A compound assignment to a variable (`left` of kind `variable`): the operators in `appends`
 * append (see `appendedTo`); any other makes the variable unknown.
 */
export function compoundAssignment(appends: ReadonlySet<string>, variable = 'identifier'): BindRule {
  return (node, scope, cx) => {
    const left = node.field('left');
    const right = node.field('right');
    if (left?.kind() !== variable) return;
    const appending = right && appends.has(node.field('operator')?.text() ?? '');
    scope.bind(left.text(), appending ? cx.value(appendedTo(right, scope, cx)) : { k: 'opaque' });
  };
}

/** Named children only. */
export function named(node: SgNode): SgNode[] {
  return node.namedChildren();
}

/**
 * Finds the nodes the front end cares about in one search (ast-grep walks the tree natively, in
 * document order, so deep nesting costs no stack here) and builds scopes and call sites from them.
 * A node's scope is the innermost scope node whose range contains it.
 */
export function walk(root: SgNode, cx: Cx): CallSite[] {
  const fe = cx.fe;
  const kinds = [...new Set([...fe.scopes, ...Object.keys(fe.binders), ...Object.keys(fe.calls), ...Object.keys(fe.builtinCalls ?? {})])];
  const nodes = root.findAll({ rule: { any: kinds.map((kind) => ({ kind })) } });
  const sites: CallSite[] = [];
  const open: { end: number; scope: Scope }[] = [{ end: Infinity, scope: cx.root }];
  for (const node of nodes) {
    cx.budget.tick();
    const { start, end } = node.range();
    while (open.at(-1)!.end <= start.index) open.pop();
    const scope = open.at(-1)!.scope;
    const kind = node.kind() as string;
    if (fe.scopes.has(kind)) {
      const inner = new Scope(scope);
      fe.enterScope(node, scope, inner, cx);
      cx.scopeOf.set(node.id(), inner);
      cx.scopeNodes.push({ node, kind, start: start.index, end: end.index });
      open.push({ end: end.index, scope: inner });
    } else {
      fe.binders[kind]?.(node, scope, cx);
      const parts = fe.calls[kind];
      if (parts) {
        sites.push({ node, scope, parts, start: start.line + 1, end: end.line + 1 });
        cx.own(node, parts);
      }
      const builtin = fe.builtinCalls?.[kind]?.(node);
      if (builtin) sites.push({ node, scope, parts: NO_PARTS, start: start.line + 1, end: end.line + 1, builtin });
    }
  }
  // Call sites are converted on demand, after the walk, so later bindings (hoisting, reassignment) count.
  return sites;
}

/** A call expression from its parts (used by the front ends' expression tables). */
export function callExpr(node: SgNode, parts: { callee: string; args: string }, scope: Scope, cx: Cx): Expr {
  return { k: 'call', callee: cx.expr(node.field(parts.callee), scope), args: cx.fe.args(node.field(parts.args), scope, cx) };
}

/**
 * A local variable in a language whose functions do not see the locals around them (Ruby `def`,
 * PHP `function`): unknown when its nearest binding lies past a scope in `gates`; free when
 * nothing binds it.
 */
export function localName(name: string, scope: Scope, gates: WeakSet<Scope>): Expr {
  let gated = false;
  for (let s: Scope | null = scope; s; s = s.parent) {
    if (s.bindings.has(name)) return gated ? UNKNOWN : { k: 'name', name, scope };
    gated ||= gates.has(s);
  }
  // Bound nowhere: a global (PHP's `$_GET`) or a method of the object (Ruby's `params`).
  return { k: 'name', name, scope };
}

/**
 * A free name's meaning through a file-wide import that brings in every member of a module (Go's
 * dot import, Java's wildcard import), kept in the root scope under `key`: with exactly one such
 * import, the name is its member; with none or several, null.
 */
export function fileWideMember(scope: Scope, key: string, name: string): Expr | null {
  let root = scope;
  while (root.parent) root = root.parent;
  const imports = root.bindings.get(key);
  return imports?.length === 1 && imports[0]!.k === 'value' ? { k: 'member', object: imports[0]!.get(), prop: lit(name) } : null;
}

/** Records a file-wide import (see `fileWideMember`) in the root scope. */
export function bindFileWide(scope: Scope, key: string, binding: Binding): void {
  let root = scope;
  while (root.parent) root = root.parent;
  root.bind(key, binding);
}

import type { SgNode } from '@ast-grep/napi';
import { appendedTo, callExpr, frontEnd, localName, named, type BindRule, type Cx, type ExprRule, type FrontEnd, type FunctionTable } from '../frontend.js';
import { lit, UNKNOWN, type ArgExpr, type Expr, type Scope } from '../ir.js';
import { bindPattern, type PatternKinds } from '../patterns.js';
import type { FoldHelpers, LanguageFolds } from '../passes.js';
import { fromBase64, fromHex, unescapeString } from '../strings.js';

// Front end for Ruby: node kinds to IR. Ruby reaches methods by name at run time (`send`,
// `public_send`, `method(:name)`, `const_get`), so the callee of a call is built from the call's
// receiver and method name here rather than read from one node.

const PATTERNS: PatternKinds = {
  names: new Set(['identifier', 'constant']),
  sequences: new Set(),
  objects: new Set(),
  pairs: new Set(),
  wrappers: { optional_parameter: 'name', splat_parameter: 'name', hash_splat_parameter: 'name', keyword_parameter: 'name', block_parameter: 'name' },
};

/** Calls that invoke the method named by their first argument on their receiver. */
const SENDERS = new Set(['send', '__send__', 'public_send']);
/** Calls whose value is the method named by their first argument. */
const METHOD_REFS = new Set(['method', 'public_method']);
const CONSTANTS = new Set(['constant', 'scope_resolution']);
const KERNEL: Expr = { k: 'module', name: 'Kernel' };
/** `def`, `class` and `module` bodies do not see the local variables around them. */
const GATES = new Set(['method', 'singleton_method', 'class', 'module']);
const gateScopes = new WeakSet<Scope>();

const literal = (value: string | null): Expr => (value === null ? UNKNOWN : lit(value));

/** Strings, symbols, heredoc-free literals: their parts, escapes decoded in double-quoted forms. */
const rubyString: ExprRule = (node, scope, cx) => {
  const single = /^(?:'|%q)/.test(node.text());
  const parts: Expr[] = [];
  for (const part of named(node)) {
    const kind = part.kind() as string;
    if (kind === 'string_content') parts.push(lit(single ? part.text().replace(/\\([\\'])/g, '$1') : part.text()));
    else if (kind === 'escape_sequence') parts.push(single ? lit(part.text().replace(/\\([\\'])/g, '$1')) : literal(unescapeString(part.text(), false)));
    else if (kind === 'interpolation') {
      const inner = named(part);
      parts.push(inner.length === 1 ? cx.expr(inner[0], scope) : UNKNOWN);
    } else parts.push(UNKNOWN);
  }
  return parts.length === 1 ? parts[0]! : { k: 'concat', parts };
};

/** The first item inside `x[…]`. */
function firstArgOf(node: SgNode, scope: Scope, cx: Cx): Expr {
  const object = node.field('object');
  const item = named(node).find((c) => c.id() !== object?.id());
  return item ? cx.expr(item, scope) : UNKNOWN;
}

/** The first argument of a call node, converted. */
function firstArg(call: SgNode, scope: Scope, cx: Cx): Expr {
  const list = call.field('arguments');
  return list ? cx.expr(named(list)[0], scope) : UNKNOWN;
}

/** Methods every object has, whatever its class: one canonical name for any receiver. */
const UNIVERSAL = new Set(['instance_eval', 'instance_exec', 'class_eval', 'module_eval', 'class_exec', 'module_exec']);

/** A receiver written as a module: `IO`, `Foo::Bar`, `Object.const_get("IO")`. */
const isModule = (receiver: SgNode): boolean =>
  CONSTANTS.has(receiver.kind() as string) || (receiver.kind() === 'call' && receiver.field('method')?.text() === 'const_get');

/** The method named `name` as reached through `receiver`: any object reaches Kernel's private methods. */
function methodOf(receiver: SgNode | null, name: Expr, scope: Scope, cx: Cx): Expr {
  const universal = name.k === 'lit' && UNIVERSAL.has(name.value);
  const object = receiver && isModule(receiver) && !universal ? cx.expr(receiver, scope) : KERNEL;
  return { k: 'member', object, prop: name };
}

/** The callee of a call node, from its receiver and method name. */
function callee(call: SgNode, method: SgNode, scope: Scope, cx: Cx): Expr {
  const receiver = call.field('receiver');
  const name = method.text();
  if (SENDERS.has(name)) return methodOf(receiver, firstArg(call, scope, cx), scope, cx);
  if (name === 'call' && receiver && !CONSTANTS.has(receiver.kind() as string)) return cx.expr(receiver, scope);
  if (!receiver || receiver.kind() === 'self' || UNIVERSAL.has(name)) return { k: 'name', name, scope };
  return { k: 'member', object: cx.expr(receiver, scope), prop: lit(name) };
}

/** The call whose method name `node` is, or null. */
function isMethodOf(node: SgNode, cx: Cx): SgNode | null {
  return cx.ownerAs(node, 'method');
}

function args(node: SgNode | null, scope: Scope, cx: Cx): ArgExpr[] {
  if (!node || node.kind() !== 'argument_list') return [];
  const items = named(node).filter((a) => a.kind() !== 'comment' && a.kind() !== 'block_argument');
  // `send(:name, *rest)` passes the rest to the method it names.
  const method = cx.owner(node)?.field('method')?.text();
  const passed = method && SENDERS.has(method) ? items.slice(1) : items;
  return passed.map((a): ArgExpr => {
    const kind = a.kind() as string;
    if (kind === 'pair') return cx.arg(() => cx.expr(a.field('value'), scope), a.field('key')?.text().replace(/:$/, '') ?? null);
    if (kind === 'splat_argument' || kind === 'hash_splat_argument') return { expr: UNKNOWN, keyword: null, spread: true };
    return cx.arg(() => cx.expr(a, scope));
  });
}

const CALLS: Record<string, { callee: string; args: string }> = { call: { callee: 'method', args: 'arguments' } };

const text: ExprRule = (node) => lit(node.text());
const list: ExprRule = (node, scope, cx) => ({
  k: 'list',
  items: named(node).map((item) => (item.kind() === 'splat_argument' ? UNKNOWN : cx.expr(item, scope))),
});

const EXPRS: Record<string, ExprRule> = {
  string: rubyString,
  bare_string: rubyString,
  subshell: rubyString,
  delimited_symbol: rubyString,
  chained_string: (node, scope, cx) => ({ k: 'concat', parts: named(node).map((s) => cx.expr(s, scope)) }),
  simple_symbol: (node) => lit(node.text().slice(1)),
  hash_key_symbol: text,
  integer: text,
  float: text,
  true: text,
  false: text,
  nil: text,
  self: () => KERNEL,
  identifier: (node, scope, cx) => {
    const call = isMethodOf(node, cx);
    return call ? callee(call, node, scope, cx) : localName(node.text(), scope, gateScopes);
  },
  constant: (node, scope) => ({ k: 'name', name: node.text(), scope }),
  scope_resolution: (node, scope, cx) => {
    const base = node.field('scope');
    const name = lit(node.field('name')?.text() ?? '');
    return base ? { k: 'member', object: cx.expr(base, scope), prop: name } : { k: 'name', name: node.field('name')?.text() ?? '', scope };
  },
  call: (node, scope, cx) => {
    const method = node.field('method');
    if (method && METHOD_REFS.has(method.text())) return methodOf(node.field('receiver'), firstArg(node, scope, cx), scope, cx);
    return callExpr(node, CALLS.call!, scope, cx);
  },
  // `+` and `<<` build strings (and arrays); `format % args` formats one.
  binary: (node, scope, cx) =>
    ['+', '<<', '%'].includes(node.field('operator')?.text() ?? '')
      ? { k: 'concat', parts: [cx.expr(node.field('left'), scope), cx.expr(node.field('right'), scope)] }
      : UNKNOWN,
  // `params[:id]`, `ENV['HOME']`: an element, as a member.
  element_reference: (node, scope, cx) => ({ k: 'member', object: cx.expr(node.field('object'), scope), prop: firstArgOf(node, scope, cx) }),
  hash: (node, scope, cx) => {
    const pairs = named(node);
    return {
      k: 'object',
      keys: pairs.map((p) => (p.kind() === 'pair' ? cx.expr(p.field('key'), scope) : UNKNOWN)),
      values: pairs.map((p) => cx.expr(p.kind() === 'pair' ? p.field('value') : named(p)[0], scope)),
    };
  },
  conditional: (node, scope, cx) => ({ k: 'list', items: [cx.expr(node.field('consequence'), scope), cx.expr(node.field('alternative'), scope)] }),
  parenthesized_statements: (node, scope, cx) => {
    const inner = named(node);
    return inner.length === 1 ? cx.expr(inner[0], scope) : UNKNOWN;
  },
  array: list,
  string_array: list,
};

const assign =
  (opaque: boolean): BindRule =>
  (node, scope, cx) => {
    const left = node.field('left');
    const right = node.field('right');
    if (!left) return;
    if (PATTERNS.names.has(left.kind() as string)) {
      bindPattern(PATTERNS, left, opaque || !right ? null : () => cx.expr(right, scope), scope, cx);
    } else if (left.kind() === 'left_assignment_list') {
      for (const id of named(left)) if (PATTERNS.names.has(id.kind() as string)) scope.bind(id.text(), { k: 'opaque' });
    }
  };

/** `s += x`, `s <<= x`: whatever `s` held, now with `x` after it (no constant, but taint follows). */
const appendTo = (left: SgNode | null, right: SgNode | null, scope: Scope, cx: Cx): boolean => {
  if (left?.kind() !== 'identifier' || !right) return false;
  scope.bind(left.text(), cx.value(appendedTo(right, scope, cx)));
  return true;
};

const BINDERS: Record<string, BindRule> = {
  assignment: assign(false),
  operator_assignment: (node, scope, cx) => {
    const op = node.field('operator')?.text();
    if ((op === '+=' || op === '<<=') && appendTo(node.field('left'), node.field('right'), scope, cx)) return;
    assign(true)(node, scope, cx);
  },
  // `s << x` as a statement appends to `s`.
  binary: (node, scope, cx) => {
    if (node.field('operator')?.text() === '<<' && node.parent()?.kind() !== 'binary') appendTo(node.field('left'), node.field('right'), scope, cx);
  },
  for: (node, scope) => {
    const pattern = node.field('pattern');
    if (pattern?.kind() === 'identifier') scope.bind(pattern.text(), { k: 'opaque' });
  },
};

/** Base64 in Ruby's `m` directive: line breaks allowed. */
const base64 = (v: string | null): string | null => (v === null ? null : fromBase64(v));

const decode64 = (argList: ArgExpr[], h: FoldHelpers): string | null =>
  argList[0] && !argList[0].spread ? base64(h.fold(argList[0].expr)) : null;

const directive = (argList: ArgExpr[], h: FoldHelpers): string | null =>
  argList[0] && !argList[0].spread ? h.fold(argList[0].expr) : null;

/** `pack`/`unpack1` directives the folder knows: base64 and hex. */
function unpack(self: string | null, format: string | null): string | null {
  if (self === null || format === null) return null;
  if (/^m0?$/.test(format)) return base64(self);
  if (/^H\*?$/.test(format)) return fromHex(self);
  return null;
}

const stringMethod =
  (f: (s: string) => string) =>
  (receiver: Expr, _args: ArgExpr[], h: FoldHelpers): string | null => {
    const self = h.fold(receiver);
    return self === null ? null : f(self);
  };

export const RUBY_FOLDS: LanguageFolds = {
  calls: new Map([
    ['Base64.decode64', decode64],
    ['Base64.strict_decode64', decode64],
    ['Base64.urlsafe_decode64', decode64],
  ]),
  methods: new Map([
    // Ruby's `join` has no default separator.
    ['join', (receiver, argList, h) => {
      const items = h.list(receiver);
      const sep = argList.length === 0 ? '' : directive(argList, h);
      return items === null || sep === null ? null : items.join(sep);
    }],
    ['reverse', stringMethod((s) => [...s].reverse().join(''))],
    ['to_s', stringMethod((s) => s)],
    ['to_str', stringMethod((s) => s)],
    ['downcase', stringMethod((s) => s.toLowerCase())],
    ['upcase', stringMethod((s) => s.toUpperCase())],
    ['strip', stringMethod((s) => s.trim())],
    ['freeze', stringMethod((s) => s)],
    ['pack', (receiver, argList, h) => {
      const items = h.list(receiver);
      return items?.length === 1 ? unpack(items[0]!, directive(argList, h)) : null;
    }],
    ['unpack1', (receiver, argList, h) => unpack(h.fold(receiver), directive(argList, h))],
  ]),
};

const SCOPES: ReadonlySet<string> = new Set(['method', 'singleton_method', 'class', 'module', 'block', 'do_block', 'lambda']);

/** `def` methods; a method returns its `return` values and its last expression. */
const FUNCTIONS: FunctionTable = {
  kinds: new Set(['method', 'singleton_method']),
  shape(node, own) {
    const name = node.field('name')?.text();
    if (!name) return null;
    const params = node.field('parameters');
    const positional = (params ? named(params) : []).filter((p) => p.kind() !== 'keyword_parameter' && p.kind() !== 'block_parameter' && p.kind() !== 'hash_splat_parameter');
    const paramName = (p: SgNode): string | null => (p.kind() === 'identifier' ? p.text() : p.kind() === 'optional_parameter' ? (p.field('name')?.text() ?? null) : null);
    const returns = (): SgNode[] => {
      const body = named(node).find((c) => c.kind() === 'body_statement');
      const lastExpr = body ? named(body).at(-1) : undefined;
      const values = own('return').flatMap((r) => named(r).flatMap((list) => named(list).slice(0, 1)));
      return lastExpr && lastExpr.kind() !== 'return' ? [...values, lastExpr] : values;
    };
    return { name, params: positional.map(paramName), returns };
  },
};

const PROPAGATORS = {
  calls: new Set(['format', 'sprintf', 'URI', 'CGI.escape', 'URI.encode_www_form', 'URI.encode_www_form_component', 'Base64.encode64', 'Base64.strict_encode64', 'URI.parse', 'URI.join', 'CGI.unescape', 'Base64.decode64', 'Base64.strict_decode64', 'Base64.urlsafe_decode64', 'Zlib.inflate', 'ERB.new', 'URI.decode_www_form_component', 'JSON.parse', 'String', 'Array']),
  methods: new Set(['push', 'append', 'prepend', 'insert', 'merge', 'gsub', 'sub', 'concat', 'join']),
};

export const ruby: FrontEnd = frontEnd({
  scopes: SCOPES,
  enterScope(node, outer, inner, cx) {
    if (GATES.has(node.kind() as string)) gateScopes.add(inner);
    const name = node.field('name');
    if (name && (node.kind() === 'method' || node.kind() === 'singleton_method')) outer.bind(name.text(), { k: 'opaque' });
    const params = node.field('parameters');
    for (const p of params ? named(params) : []) bindPattern(PATTERNS, p, null, inner, cx);
  },
  binders: BINDERS,
  calls: CALLS,
  // `` `ls #{dir}` `` and `%x(…)` run their text in a shell: Kernel's backtick method.
  builtinCalls: { subshell: (node) => ({ callee: '`', args: [node] }) },
  args,
  // A call without a receiver names a method of the file or of Kernel, never an alias.
  plainProperty: (method) => {
    if (method.kind() !== 'identifier') return null;
    const name = method.text();
    return !SENDERS.has(name) && name !== 'call' ? name : null;
  },
  exprs: EXPRS,
  globalObjects: new Set(['Kernel', 'Object']),
  moduleLoaders: new Set(['const_get', 'Module.const_get']),
  rootModules: new Set(['Kernel', 'Object']),
  moduleName: (name) => name.replace(/^::/, ''),
  folds: RUBY_FOLDS,
  reach: /\b(?:send|__send__|public_send|method|public_method|call)\b|\.\(|%x/,
  // `Net::HTTP.new(…)` is an object of `Net::HTTP`.
  instanceOf: (_call, callee) => (callee.endsWith('.new') ? callee.slice(0, -'.new'.length) : null),
  functions: FUNCTIONS,
  propagators: PROPAGATORS,
});

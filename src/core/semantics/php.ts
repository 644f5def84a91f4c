import { inflateRawSync, inflateSync, gunzipSync } from 'node:zlib';
import type { SgNode } from '@ast-grep/napi';
import { callExpr, localName, named, type BindRule, type Cx, type ExprRule, type FrontEnd } from './frontend.js';
import { lit, UNKNOWN, type ArgExpr, type Expr, type Scope } from './ir.js';
import type { FoldHelpers, LanguageFolds } from './passes.js';
import { fromBase64Binary, fromHex, unescapeString } from './strings.js';

// Front end for PHP: node kinds to IR. A PHP string is a callable: `$f = 'system'; $f($x)`,
// `call_user_func('system', $x)` and `array_map('system', $xs)` all call `system`. Function
// names are case-insensitive, so canonical names are lower case without a leading backslash.

/** The global namespace, where a callable string names a function. */
const GLOBAL: Expr = { k: 'module', name: '\\' };
/** Internal fold: a callable string to a canonical function name. */
const FUNCTION_NAME = 'php function name';

/** Functions see only their own variables and those a closure's `use` clause captures. */
const gateScopes = new WeakSet<Scope>();

const literal = (value: string | null): Expr => (value === null ? UNKNOWN : lit(value));
const functionName = (text: string): string => text.replace(/^\\/, '').toLowerCase();

/** The function a callable value names (a string); arrays and closures stay unknown. */
function callable(value: Expr): Expr {
  return { k: 'member', object: GLOBAL, prop: { k: 'call', callee: { k: 'module', name: FUNCTION_NAME }, args: [{ expr: value, keyword: null, spread: false }] } };
}

/**
 * Functions that call a callable argument: where the callable is, and what it receives. `rest`:
 * the arguments after it; a number: the items of that (array) argument.
 */
const INVOKERS: Readonly<Record<string, { callable: number; passes: 'rest' | number }>> = {
  call_user_func: { callable: 0, passes: 'rest' },
  call_user_func_array: { callable: 0, passes: 1 },
  forward_static_call: { callable: 0, passes: 'rest' },
  forward_static_call_array: { callable: 0, passes: 1 },
  array_map: { callable: 0, passes: 1 },
  array_filter: { callable: 1, passes: 0 },
  array_walk: { callable: 1, passes: 0 },
  array_reduce: { callable: 1, passes: 0 },
  usort: { callable: 1, passes: 0 },
  register_shutdown_function: { callable: 0, passes: 'rest' },
};

const invoker = (call: SgNode | null): (typeof INVOKERS)[string] | undefined => {
  const fn = call?.kind() === 'function_call_expression' ? call.field('function') : null;
  return fn?.kind() === 'name' ? INVOKERS[functionName(fn.text())] : undefined;
};

function rawArgs(node: SgNode | null): SgNode[] {
  return node ? named(node).filter((a) => a.kind() === 'argument' || a.kind() === 'variadic_unpacking') : [];
}

function convertArg(a: SgNode, scope: Scope, cx: Cx): ArgExpr {
  const inner = named(a);
  if (a.kind() === 'variadic_unpacking' || inner.some((c) => c.kind() === 'variadic_unpacking')) return { expr: UNKNOWN, keyword: null, spread: true };
  const name = a.field('name');
  return { expr: cx.expr(inner.at(-1), scope), keyword: name ? name.text() : null, spread: false };
}

function args(node: SgNode | null, scope: Scope, cx: Cx): ArgExpr[] {
  const items = rawArgs(node);
  const via = invoker(node && cx.owner(node));
  if (!via) return items.map((a) => convertArg(a, scope, cx));
  if (via.passes === 'rest') return items.slice(via.callable + 1).map((a) => convertArg(a, scope, cx));
  // An array argument: its items when written out, else unknown.
  const array = items[via.passes] && convertArg(items[via.passes]!, scope, cx);
  if (array?.expr.k !== 'list') return [{ expr: UNKNOWN, keyword: null, spread: true }];
  return array.expr.items.map((expr) => ({ expr, keyword: null, spread: false }));
}

/** Strings with their parts: escapes decoded in double quotes, `\'` and `\\` in single quotes. */
const phpString: ExprRule = (node, scope, cx) => {
  const single = node.kind() === 'string' && node.text().startsWith("'");
  const parts: Expr[] = [];
  for (const part of named(node)) {
    const kind = part.kind() as string;
    if (kind === 'string_content') parts.push(lit(part.text()));
    else if (kind === 'escape_sequence') {
      const t = part.text();
      parts.push(single ? lit(t.slice(1)) : literal(unescapeString(t, true)));
    } else if (kind === 'variable_name') parts.push(cx.expr(part, scope));
    else parts.push(UNKNOWN);
  }
  if (parts.length === 0) return lit('');
  return parts.length === 1 ? parts[0]! : { k: 'concat', parts };
};

const CALLS: Record<string, { callee: string; args: string }> = {
  function_call_expression: { callee: 'function', args: 'arguments' },
};

const text: ExprRule = (node) => lit(node.text());

/** A function name as written: `system`, `\system`, an alias from `use function`. */
const nameRule: ExprRule = (node, scope, cx) => {
  const call = cx.owner(node);
  const callsCallable = call && call.field('function')?.id() === node.id() ? calleeOf(call, scope, cx) : null;
  return callsCallable ?? { k: 'name', name: functionName(node.text()), scope };
};

const EXPRS: Record<string, ExprRule> = {
  string: phpString,
  encapsed_string: phpString,
  integer: text,
  float: text,
  boolean: text,
  null: text,
  name: nameRule,
  qualified_name: nameRule,
  variable_name: (node, scope, cx) => {
    // `$f(...)` calls the function the value of `$f` names.
    const value = localName(node.text(), scope, gateScopes);
    return cx.owner(node)?.field('function')?.id() === node.id() ? callable(value) : value;
  },
  function_call_expression: (node, scope, cx) => callExpr(node, CALLS.function_call_expression!, scope, cx),
  binary_expression: (node, scope, cx) =>
    node.field('operator')?.text() === '.'
      ? { k: 'concat', parts: [cx.expr(node.field('left'), scope), cx.expr(node.field('right'), scope)] }
      : UNKNOWN,
  parenthesized_expression: (node, scope, cx) => cx.expr(named(node)[0], scope),
  array_creation_expression: (node, scope, cx) => ({
    k: 'list',
    items: named(node).map((item) => {
      const parts = named(item);
      return parts.length === 1 ? cx.expr(parts[0], scope) : UNKNOWN;
    }),
  }),
};

/** The callee of a call: a name, or a callable value; `call_user_func` & co. call their callable argument. */
function calleeOf(call: SgNode, scope: Scope, cx: Cx): Expr | null {
  const via = invoker(call);
  if (!via) return null;
  const arg = rawArgs(call.field('arguments'))[via.callable];
  return arg ? callable(convertArg(arg, scope, cx).expr) : UNKNOWN;
}

const BINDERS: Record<string, BindRule> = {
  assignment_expression: (node, scope, cx) => {
    const left = node.field('left');
    const right = node.field('right');
    if (left?.kind() === 'variable_name') {
      scope.bind(left.text(), right ? cx.value(() => cx.expr(right, scope)) : { k: 'opaque' });
    } else if (left) {
      // `$a[] = …`, `list($a, $b) = …`, `[$a, $b] = …`: every variable written is uncertain.
      for (const v of left.findAll({ rule: { kind: 'variable_name' } })) scope.bind(v.text(), { k: 'opaque' });
    }
  },
  reference_assignment_expression: (node, scope) => {
    const left = node.field('left');
    if (left) scope.bind(left.text(), { k: 'opaque' });
  },
  augmented_assignment_expression: (node, scope) => {
    const left = node.field('left');
    if (left?.kind() === 'variable_name') scope.bind(left.text(), { k: 'opaque' });
  },
  foreach_statement: (node, scope) => {
    for (const v of named(node).slice(1)) {
      if (v.kind() === 'compound_statement') break;
      for (const name of v.kind() === 'variable_name' ? [v] : v.findAll({ rule: { kind: 'variable_name' } })) scope.bind(name.text(), { k: 'opaque' });
    }
  },
  global_declaration: (node, scope) => {
    for (const v of named(node)) scope.bind(v.text(), { k: 'opaque' });
  },
  function_static_declaration: (node, scope) => {
    for (const v of node.findAll({ rule: { kind: 'variable_name' } })) scope.bind(v.text(), { k: 'opaque' });
  },
  namespace_use_declaration: (node, scope, cx) => {
    if (!/^use\s+function\b/i.test(node.text())) return;
    for (const clause of named(node)) {
      if (clause.kind() !== 'namespace_use_clause') continue;
      const target = named(clause).find((c) => c.kind() === 'name' || c.kind() === 'qualified_name');
      if (!target) continue;
      const alias = clause.field('alias')?.text() ?? target.text().slice(target.text().lastIndexOf('\\') + 1);
      const name = functionName(target.text());
      scope.bind(functionName(alias), cx.value(() => ({ k: 'module', name })));
    }
  },
};

/** Bounds on decompressed payloads: a small input must not expand into gigabytes. */
const MAX_INFLATED = 1 << 20;

const binary = (s: string): Buffer => Buffer.from(s, 'latin1');

function inflate(run: (b: Buffer) => Buffer): (argList: ArgExpr[], h: FoldHelpers) => string | null {
  return (argList, h) => {
    const v = one(argList, h);
    if (v === null) return null;
    try {
      return run(binary(v)).toString('latin1');
    } catch {
      return null;
    }
  };
}

function one(argList: ArgExpr[], h: FoldHelpers): string | null {
  return argList[0] && !argList[0].spread ? h.fold(argList[0].expr) : null;
}

const string1 =
  (f: (s: string) => string | null) =>
  (argList: ArgExpr[], h: FoldHelpers): string | null => {
    const v = one(argList, h);
    return v === null ? null : f(v);
  };

const rot13 = (s: string): string =>
  s.replace(/[a-zA-Z]/g, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });

function implode(argList: ArgExpr[], h: FoldHelpers): string | null {
  if (argList.some((a) => a.spread)) return null;
  if (argList.length === 1) return h.list(argList[0]!.expr)?.join('') ?? null;
  if (argList.length !== 2) return null;
  // implode(separator, array); old PHP also took implode(array, separator).
  const [a, b] = [argList[0]!.expr, argList[1]!.expr];
  const items = h.list(b) ?? h.list(a);
  const sep = items === null ? null : h.fold(h.list(b) ? a : b);
  return items === null || sep === null ? null : items.join(sep);
}

export const PHP_FOLDS: LanguageFolds = {
  calls: new Map([
    [FUNCTION_NAME, string1(functionName)],
    ['base64_decode', string1(fromBase64Binary)],
    ['hex2bin', string1(fromHex)],
    ['str_rot13', string1(rot13)],
    ['strrev', string1((s) => [...s].reverse().join(''))],
    ['strtolower', string1((s) => s.toLowerCase())],
    ['strtoupper', string1((s) => s.toUpperCase())],
    ['trim', string1((s) => s.trim())],
    ['urldecode', string1((s) => { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return null; } })],
    ['rawurldecode', string1((s) => { try { return decodeURIComponent(s); } catch { return null; } })],
    ['chr', string1((s) => (/^\d+$/.test(s) ? String.fromCharCode(Number(s) % 256) : null))],
    ['implode', implode],
    ['join', implode],
    ['gzinflate', inflate((b) => inflateRawSync(b, { maxOutputLength: MAX_INFLATED }))],
    ['gzuncompress', inflate((b) => inflateSync(b, { maxOutputLength: MAX_INFLATED }))],
    ['gzdecode', inflate((b) => gunzipSync(b, { maxOutputLength: MAX_INFLATED }))],
  ]),
  methods: new Map(),
};

export const php: FrontEnd = {
  scopes: new Set(['function_definition', 'method_declaration', 'anonymous_function', 'arrow_function']),
  enterScope(node, outer, inner, cx) {
    if (node.kind() !== 'arrow_function') gateScopes.add(inner);
    const uses = named(node).find((c) => c.kind() === 'anonymous_function_use_clause');
    for (const v of uses ? named(uses) : []) {
      // `use ($x)` copies the value; `use (&$x)` shares the variable, which may change.
      const captured: Expr = { k: 'name', name: v.text(), scope: outer };
      inner.bind(v.text(), v.kind() === 'variable_name' ? cx.value(() => captured) : { k: 'opaque' });
    }
    const name = node.field('name');
    if (name && node.kind() === 'function_definition') outer.bind(functionName(name.text()), { k: 'opaque' });
    const params = node.field('parameters');
    for (const p of params ? named(params) : []) {
      const v = p.field('name');
      if (v) inner.bind(v.text(), { k: 'opaque' });
    }
  },
  binders: BINDERS,
  calls: CALLS,
  args,
  plainProperty: () => null,
  exprs: EXPRS,
  globalObjects: new Set(),
  moduleLoaders: new Set(),
  subscriptsReachMembers: false,
  keywordLoaders: new Set(),
  memberGetters: new Set(),
  rootModules: new Set(['\\']),
  moduleName: functionName,
  folds: PHP_FOLDS,
  reach: /\$\w+\s*\(|\b(?:call_user_func|call_user_func_array|forward_static_call|array_map|array_filter|array_walk|array_reduce|usort|register_shutdown_function)\b/i,
};

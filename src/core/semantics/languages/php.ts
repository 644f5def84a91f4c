import { inflateRawSync, inflateSync, gunzipSync } from 'node:zlib';
import type { SgNode } from '@ast-grep/napi';
import { callExpr, compoundAssignment, frontEnd, localName, named, returnValues, type BindRule, type Cx, type ExprRule, type FrontEnd, type FunctionTable } from '../frontend.js';
import { either, lit, UNKNOWN, type ArgExpr, type BuiltinCall, type Expr, type Scope } from '../ir.js';
import type { FoldHelpers, LanguageFolds } from '../passes.js';
import { fromBase64Binary, fromHex, unescapeString } from '../strings.js';

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
  return cx.arg(() => cx.expr(inner.at(-1), scope), name ? name.text() : null);
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
    } else parts.push(cx.expr(part, scope));
  }
  if (parts.length === 0) return lit('');
  return parts.length === 1 ? parts[0]! : { k: 'concat', parts };
};

const CALLS: Record<string, { callee: string; args: string }> = {
  function_call_expression: { callee: 'function', args: 'arguments' },
  member_call_expression: { callee: 'name', args: 'arguments' },
  nullsafe_member_call_expression: { callee: 'name', args: 'arguments' },
  scoped_call_expression: { callee: 'name', args: 'arguments' },
};

/** Method calls: their callee is the method name node, a member of the object or class. */
const METHOD_CALLS = new Set(['member_call_expression', 'nullsafe_member_call_expression', 'scoped_call_expression']);

/** The root-scope key a class imported with `use` is bound under: classes and functions are apart in PHP. */
const classKey = (name: string): string => `class ${functionName(name)}`;

/** A class as written (`Request`, `\PDO`, an alias from `use`): the imported class, else the name itself, lower case. */
function classRef(node: SgNode | null, scope: Scope): Expr {
  if (!node) return UNKNOWN;
  const text = node.text();
  if (text === 'self' || text === 'static' || text === 'parent') return UNKNOWN;
  const key = classKey(text);
  return !text.startsWith('\\') && scope.lookup(key) ? { k: 'name', name: key, scope } : { k: 'module', name: functionName(text) };
}

/** Calls that construct an object (`new PDO(…)`): their value is an object of the class. */
const constructions = new WeakSet<Expr>();

/** The object or class a method call or property read is on. */
function receiverOf(node: SgNode, scope: Scope, cx: Cx): Expr {
  const classScope = node.field('scope');
  return classScope ? classRef(classScope, scope) : cx.expr(node.field('object'), scope);
}

const text: ExprRule = (node) => lit(node.text());

/** A function name as written: `system`, `\system`, an alias from `use function`; or a method name. */
const nameRule: ExprRule = (node, scope, cx) => {
  const owned = cx.ownership(node);
  if (owned && owned.field === 'name' && METHOD_CALLS.has(owned.call.kind() as string)) {
    return { k: 'member', object: receiverOf(owned.call, scope, cx), prop: lit(node.text()) };
  }
  const callsCallable = owned?.field === 'function' ? calleeOf(owned.call, scope, cx) : null;
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
    return cx.ownerAs(node, 'function') ? callable(value) : value;
  },
  function_call_expression: (node, scope, cx) => callExpr(node, CALLS.function_call_expression!, scope, cx),
  member_call_expression: (node, scope, cx) => callExpr(node, CALLS.member_call_expression!, scope, cx),
  nullsafe_member_call_expression: (node, scope, cx) => callExpr(node, CALLS.member_call_expression!, scope, cx),
  scoped_call_expression: (node, scope, cx) => callExpr(node, CALLS.scoped_call_expression!, scope, cx),
  member_access_expression: (node, scope, cx) => ({ k: 'member', object: cx.expr(node.field('object'), scope), prop: lit(node.field('name')?.text() ?? '') }),
  nullsafe_member_access_expression: (node, scope, cx) => ({ k: 'member', object: cx.expr(node.field('object'), scope), prop: lit(node.field('name')?.text() ?? '') }),
  // `$_GET['id']`, `$a[0]`: an element, as a member.
  subscript_expression: (node, scope, cx) => {
    const [object, index] = named(node);
    return { k: 'member', object: cx.expr(object, scope), prop: index ? cx.expr(index, scope) : UNKNOWN };
  },
  object_creation_expression: (node, scope, cx) => {
    const type = named(node).find((c) => c.kind() === 'name' || c.kind() === 'qualified_name');
    const made: Expr = { k: 'call', callee: classRef(type ?? null, scope), args: args(named(node).find((c) => c.kind() === 'arguments') ?? null, scope, cx) };
    constructions.add(made);
    return made;
  },
  // `$c ? $a : $b`, and `$a ?: $b`, whose value is the condition's when it holds.
  conditional_expression: (node, scope, cx) => either(cx.expr(node.field('body') ?? node.field('condition'), scope), cx.expr(node.field('alternative'), scope)),
  binary_expression: (node, scope, cx) => {
    const operator = node.field('operator')?.text();
    const left = (): Expr => cx.expr(node.field('left'), scope);
    const right = (): Expr => cx.expr(node.field('right'), scope);
    if (operator === '.') return { k: 'concat', parts: [left(), right()] };
    // `$a ?? $b`: either value (`||` and `or` give a boolean in PHP).
    return operator === '??' ? either(left(), right()) : UNKNOWN;
  },
  parenthesized_expression: (node, scope, cx) => cx.expr(named(node)[0], scope),
  array_creation_expression: (node, scope, cx) => ({
    k: 'list',
    // `['k' => $v]`: the value, in order (what `implode` joins).
    items: named(node).map((item) => {
      const parts = named(item);
      return parts.length <= 2 && parts.length > 0 && !parts.some((p) => p.kind() === 'variadic_unpacking') ? cx.expr(parts.at(-1), scope) : UNKNOWN;
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
  // `$q .= $x` appends.
  augmented_assignment_expression: compoundAssignment(new Set(['.=']), 'variable_name'),
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
    if (!/^use\s+function\b/i.test(node.text())) {
      // `use Illuminate\Http\Request;`: the class by its short name or alias.
      if (/^use\s+const\b/i.test(node.text()) || named(node).some((c) => c.kind() === 'namespace_use_group')) return;
      for (const clause of named(node)) {
        const target = clause.kind() === 'namespace_use_clause' ? named(clause).find((c) => c.kind() === 'name' || c.kind() === 'qualified_name') : null;
        if (!target) continue;
        const alias = clause.field('alias')?.text() ?? named(clause).filter((c) => c.kind() === 'name').at(-1)?.text() ?? target.text();
        const short = target.text().slice(target.text().lastIndexOf('\\') + 1);
        const name = functionName(target.text());
        scope.bind(classKey(named(clause).length > 1 ? alias : short), cx.value(() => ({ k: 'module', name })));
      }
      return;
    }
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
};

const SCOPES: ReadonlySet<string> = new Set(['function_definition', 'method_declaration', 'anonymous_function', 'arrow_function']);

/** Functions called by name; methods, called on an object, are not summarised. */
const FUNCTIONS: FunctionTable = {
  kinds: new Set(['function_definition']),
  shape(node, own) {
    const name = node.field('name');
    const params = node.field('parameters');
    if (!name) return null;
    return {
      name: functionName(name.text()),
      params: (params ? named(params) : []).map((p) => p.field('name')?.text() ?? null),
      returns: () => returnValues(own),
    };
  },
};

const PROPAGATORS = {
  calls: new Set([
    'sprintf', 'vsprintf', 'implode', 'join', 'str_replace', 'str_ireplace', 'trim', 'ltrim', 'rtrim', 'strtolower', 'strtoupper',
    'urldecode', 'rawurldecode', 'base64_decode', 'json_decode', 'array_merge', 'array_values', 'explode', 'substr', 'str_pad',
    'stripslashes', 'strval', 'http_build_query', 'compact', 'array_map', 'preg_replace', 'ucfirst', 'lcfirst', 'urlencode', 'rawurlencode',
    'base64_encode', 'json_encode', 'serialize',
  ]),
  methods: new Set<string>(),
};

/** A language construct that takes its operands like a call: `echo $a, $b;`, `include $f;`. */
function construct(name: string): (node: SgNode) => BuiltinCall {
  return (node) => ({ callee: name, args: operands(node) });
}

/** A node's operands, `$a, $b, $c` (nested sequences) flattened. */
function operands(node: SgNode): SgNode[] {
  return named(node).flatMap((c) => (c.kind() === 'sequence_expression' ? operands(c) : [c]));
}

const BUILTIN_CALLS: Readonly<Record<string, (node: SgNode) => BuiltinCall>> = {
  echo_statement: construct('echo'),
  print_intrinsic: construct('print'),
  include_expression: construct('include'),
  include_once_expression: construct('include_once'),
  require_expression: construct('require'),
  require_once_expression: construct('require_once'),
};

export const php: FrontEnd = frontEnd({
  scopes: SCOPES,
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
      // `Request $request`: an object of that class; untyped parameters are unknown.
      const type = p.field('type');
      const className = type?.kind() === 'named_type' ? named(type)[0] : null;
      if (v) inner.bind(v.text(), className ? cx.value(() => classRef(className, inner)) : { k: 'opaque' });
    }
  },
  binders: BINDERS,
  calls: CALLS,
  builtinCalls: BUILTIN_CALLS,
  args,
  plainProperty: (callee) => (METHOD_CALLS.has(callee.parent()?.kind() as string) ? callee.text() : null),
  exprs: EXPRS,
  rootModules: new Set(['\\']),
  moduleName: functionName,
  folds: PHP_FOLDS,
  // Laravel's `request()` helper returns the request.
  instanceOf: (call, callee) => (constructions.has(call) ? callee : callee === 'request' && call.args.length === 0 ? 'illuminate\\http\\request' : null),
  namesIgnoreCase: true,
  // `illuminate\support\facades\db.select` is written `DB::select`: the class's short name.
  anchor: (name) => {
    const head = name.split('.')[0]!;
    return head.slice(head.lastIndexOf('\\') + 1);
  },
  functions: FUNCTIONS,
  propagators: PROPAGATORS,
  reach: /\$\w+\s*\(|\b(?:call_user_func|call_user_func_array|forward_static_call|array_map|array_filter|array_walk|array_reduce|usort|register_shutdown_function)\b/i,
});

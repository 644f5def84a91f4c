import type { SgNode } from '@ast-grep/napi';
import { appendedTo, bindFileWide, fileWideMember, frontEnd, named, returnValues, type BindRule, type Cx, type ExprRule, type FrontEnd, type FunctionTable } from '../frontend.js';
import { lit, UNKNOWN, type ArgExpr, type BuiltinCall, type Expr, type Scope } from '../ir.js';
import { arg0, base64, foldsOf, type Decoder, type Method } from '../passes.js';
import { unescapeString } from '../strings.js';

// Front end for Java: node kinds to IR.
//
// Canonical names are fully qualified (`java.lang.Runtime.exec`): single-type and static
// imports bind their last segment, `java.lang` classes are known without an import, and a free
// name is a member of the file's wildcard import when there is exactly one. A call on an object a
// known factory returns is a call on its class (`Runtime.getRuntime().exec` →
// `java.lang.Runtime.exec`); a constructor call is the class (`new ProcessBuilder(…)` →
// `java.lang.ProcessBuilder`). Reflection with constant names resolves: `Class.forName(c)` is
// the class, `getMethod(m, …)` its member, and `method.invoke(target, args…)` calls it with
// `args…` (any `invoke` call is read that way).

const first = (node: SgNode): SgNode | undefined => named(node)[0];
const last = (node: SgNode): SgNode | undefined => named(node).at(-1);

/** The reserved root-scope name holding the file's wildcard imports (not a Java identifier). */
const WILDCARD_IMPORTS = '*';

const JAVA_LANG = new Set([
  'Runtime', 'Process', 'ProcessBuilder', 'String', 'StringBuilder', 'StringBuffer', 'Class', 'ClassLoader',
  'System', 'Thread', 'Object', 'Integer', 'Long', 'Character', 'Math',
]);

const METHOD_GETTERS = new Set(['getMethod', 'getDeclaredMethod']);
/** Methods that change the object they are called on: its name no longer holds a known value. */
const MUTATORS = new Set(['append', 'insert', 'delete', 'deleteCharAt', 'replace', 'reverse', 'setLength', 'setCharAt', 'add', 'addAll', 'put', 'set']);

function stringValue(node: SgNode): Expr {
  const text = node.text();
  // Text blocks strip incidental indentation: not folded.
  if (text.startsWith('"""')) return UNKNOWN;
  const value = unescapeString(text.slice(1, -1), true);
  return value === null ? UNKNOWN : lit(value);
}

/** A name as an expression: local, imported, `java.lang`, or from the one wildcard import. */
function identifier(name: string, scope: Scope): Expr {
  if (scope.lookup(name) !== null) return { k: 'name', name, scope };
  if (JAVA_LANG.has(name)) return { k: 'module', name: `java.lang.${name}` };
  return fileWideMember(scope, WILDCARD_IMPORTS, name) ?? { k: 'name', name, scope };
}

const isInvocationName = (node: SgNode): SgNode | null => {
  const parent = node.parent();
  return parent?.kind() === 'method_invocation' && parent.field('name')?.id() === node.id() ? parent : null;
};

/** What the method name of `object.name(…)` refers to. */
function invocationCallee(call: SgNode, name: string, scope: Scope, cx: Cx): Expr {
  const object = call.field('object');
  if (!object) return identifier(name, scope);
  // `method.invoke(target, args…)` calls the method itself.
  if (name === 'invoke') return cx.expr(object, scope);
  return { k: 'member', object: cx.expr(object, scope), prop: lit(name) };
}

function args(node: SgNode | null, scope: Scope, cx: Cx): ArgExpr[] {
  if (!node) return [];
  const all = named(node).filter((a) => a.kind() !== 'line_comment' && a.kind() !== 'block_comment');
  const call = node.parent();
  // `invoke`'s first argument is the target object, not an argument of the method it calls.
  const list = call?.kind() === 'method_invocation' && call.field('name')?.text() === 'invoke' ? all.slice(1) : all;
  return list.map((a) => cx.arg(() => cx.expr(a, scope)));
}

const CALLS: Record<string, { callee: string; args: string }> = {
  method_invocation: { callee: 'name', args: 'arguments' },
  object_creation_expression: { callee: 'type', args: 'arguments' },
};

const text: ExprRule = (node) => lit(node.text());

/** Whether an expression is arithmetic on number literals (looked at only a few levels deep). */
function numeric(node: SgNode | null, depth = 0): boolean {
  const kind = node?.kind() as string | undefined;
  if (kind === 'decimal_integer_literal' || kind === 'decimal_floating_point_literal') return true;
  if (depth > 8) return false;
  if (kind === 'parenthesized_expression') return numeric(first(node!) ?? null, depth + 1);
  return kind === 'binary_expression' && numeric(node!.field('left'), depth + 1) && numeric(node!.field('right'), depth + 1);
}
const unwrapLast: ExprRule = (node, scope, cx) => cx.expr(last(node), scope);
const list: ExprRule = (node, scope, cx) => ({ k: 'list', items: named(node).map((item) => cx.expr(item, scope)) });

const EXPRS: Record<string, ExprRule> = {
  string_literal: (node) => stringValue(node),
  decimal_integer_literal: text,
  true: text,
  false: text,
  null_literal: text,
  identifier: (node, scope, cx) => {
    const call = isInvocationName(node);
    return call ? invocationCallee(call, node.text(), scope, cx) : identifier(node.text(), scope);
  },
  type_identifier: (node, scope) => identifier(node.text(), scope),
  scoped_type_identifier: (node, scope, cx) => ({
    k: 'member',
    object: cx.expr(first(node), scope),
    prop: lit(last(node)?.text() ?? ''),
  }),
  // `this.client` is the field `client`.
  field_access: (node, scope, cx) =>
    node.field('object')?.kind() === 'this'
      ? identifier(node.field('field')?.text() ?? '', scope)
      : { k: 'member', object: cx.expr(node.field('object'), scope), prop: lit(node.field('field')?.text() ?? '') },
  array_access: (node, scope, cx) => ({ k: 'member', object: cx.expr(node.field('array'), scope), prop: cx.expr(node.field('index'), scope) }),
  ternary_expression: (node, scope, cx) => ({ k: 'list', items: [cx.expr(node.field('consequence'), scope), cx.expr(node.field('alternative'), scope)] }),
  method_invocation: (node, scope, cx) => {
    const name = node.field('name');
    const callArgs = args(node.field('arguments'), scope, cx);
    // `cls.getMethod("exec", String.class)`: the member the constant name selects.
    if (name && METHOD_GETTERS.has(name.text()) && node.field('object') && callArgs[0]) {
      return { k: 'member', object: cx.expr(node.field('object'), scope), prop: callArgs[0].expr };
    }
    return { k: 'call', callee: cx.expr(name, scope), args: callArgs };
  },
  object_creation_expression: (node, scope, cx) => {
    const made: Expr = { k: 'call', callee: cx.expr(node.field('type'), scope), args: args(node.field('arguments'), scope, cx) };
    constructions.add(made);
    return made;
  },
  // `+` of two numbers adds them (`1 + 2 + "a"` is "3a"): only string concatenation folds.
  binary_expression: (node, scope, cx) =>
    node.field('operator')?.text() === '+' && !(numeric(node.field('left')) && numeric(node.field('right')))
      ? { k: 'concat', parts: [cx.expr(node.field('left'), scope), cx.expr(node.field('right'), scope)] }
      : UNKNOWN,
  parenthesized_expression: unwrapLast,
  cast_expression: unwrapLast,
  // `Runtime.class`: the class itself, for reflection.
  class_literal: (node, scope, cx) => cx.expr(first(node), scope),
  array_initializer: list,
  array_creation_expression: (node, scope, cx) => cx.expr(node.field('value'), scope),
};

/** Binds `name` where it is declared (a field assigned in a method changes the field). */
function bindWhereDeclared(name: string, scope: Scope, get: (() => Expr) | null, cx: Cx): void {
  let owner: Scope = scope;
  for (let s: Scope | null = scope; s; s = s.parent) {
    if (s.bindings.has(name)) {
      owner = s;
      break;
    }
  }
  owner.bind(name, get ? cx.value(get) : { k: 'opaque' });
}

/** The variable at the root of `a[0]`, `a.b`: its value changes when they are written. */
function rootName(node: SgNode | null): string | null {
  let n = node;
  while (n && n.kind() !== 'identifier') n = n.field('array') ?? n.field('object');
  return n?.text() ?? null;
}

/** Calls that construct an object (`new URL(…)`): their value is an object of the class. */
const constructions = new WeakSet<Expr>();

/** A declared type the file imports (`HttpServletRequest`, `org.x.Client`): the class; else null. */
function importedType(node: SgNode | null, scope: Scope, cx: Cx): Expr | null {
  if (node?.kind() === 'scoped_type_identifier') return cx.expr(node, scope);
  if (node?.kind() !== 'type_identifier') return null;
  const name = node.text();
  return scope.lookup(name) !== null || fileWideMember(scope, WILDCARD_IMPORTS, name) ? identifier(name, scope) : null;
}

/**
 * A parameter: its annotations (Spring's `@RequestParam`, JAX-RS's `@QueryParam`) and its type
 * when the file imports it, so a request parameter is known by what marks it; else unknown.
 */
const parameter: BindRule = (node, scope, cx) => {
  const name = node.field('name');
  if (!name) return;
  const modifiers = named(node).find((c) => c.kind() === 'modifiers');
  const annotations = modifiers ? named(modifiers).filter((c) => c.kind() === 'annotation' || c.kind() === 'marker_annotation') : [];
  const type = node.field('type');
  if (annotations.length === 0 && !importedType(type, scope, cx)) {
    scope.bind(name.text(), { k: 'opaque' });
    return;
  }
  scope.bind(
    name.text(),
    cx.value(() => {
      const typed = importedType(type, scope, cx);
      if (annotations.length === 0) return typed!;
      return { k: 'list', items: [...annotations.map((a) => cx.expr(a.field('name'), scope)), ...(typed ? [typed] : [])] };
    }),
  );
};

const opaqueName: BindRule = (node, scope) => {
  const name = node.field('name');
  if (name) scope.bind(name.text(), { k: 'opaque' });
};

const BINDERS: Record<string, BindRule> = {
  import_declaration: (node, scope, cx) => {
    const path = named(node).find((c) => c.kind() === 'scoped_identifier' || c.kind() === 'identifier');
    if (!path) return;
    const module: Expr = { k: 'module', name: path.text().replace(/\s+/g, '') };
    if (named(node).some((c) => c.kind() === 'asterisk')) bindFileWide(scope, WILDCARD_IMPORTS, cx.value(() => module));
    else scope.bind(last(path)?.text() ?? path.text(), cx.value(() => module));
  },
  variable_declarator: (node, scope, cx) => {
    const name = node.field('name');
    const value = node.field('value');
    // `String s;` declares without a value: later assignments are the bindings. A field of an
    // imported type (`private RestTemplate rest;`) is an object of that class.
    if (name && value) scope.bind(name.text(), cx.value(() => cx.expr(value, scope)));
    const field = node.parent();
    if (name && !value && field?.kind() === 'field_declaration' && importedType(field.field('type'), scope, cx)) {
      scope.bind(name.text(), cx.value(() => importedType(field.field('type'), scope, cx)!));
    }
  },
  assignment_expression: (node, scope, cx) => {
    const left = node.field('left');
    const right = node.field('right');
    if (!left) return;
    if (left.kind() !== 'identifier') {
      const root = rootName(left);
      if (root) bindWhereDeclared(root, scope, null, cx);
      return;
    }
    const operator = node.field('operator')?.text();
    const value = !right ? null : operator === '=' ? () => cx.expr(right, scope) : operator === '+=' ? appendedTo(right, scope, cx) : null;
    bindWhereDeclared(left.text(), scope, value, cx);
  },
  update_expression: (node, scope, cx) => {
    const root = rootName(first(node) ?? null);
    if (root) bindWhereDeclared(root, scope, null, cx);
  },
  method_invocation: (node, scope, cx) => {
    const object = node.field('object');
    // `sb.append(x)`: the object now holds what the call added (no constant, but taint follows).
    if (object?.kind() === 'identifier' && MUTATORS.has(node.field('name')?.text() ?? '')) {
      bindWhereDeclared(object.text(), scope, () => cx.expr(node, scope), cx);
    }
  },
  formal_parameter: parameter,
  spread_parameter: (node, scope) => {
    const id = named(node).find((c) => c.kind() === 'variable_declarator');
    const name = id?.field('name');
    if (name) scope.bind(name.text(), { k: 'opaque' });
  },
  catch_formal_parameter: opaqueName,
  enhanced_for_statement: opaqueName,
};

const DECODERS: ReadonlyMap<string, Decoder> = new Map<string, Decoder>([
  ['java.util.Base64.Decoder.decode', base64],
  ['java.lang.String', arg0],
  ['java.lang.String.valueOf', arg0],
  ['java.lang.StringBuilder', (callArgs, fold) => (callArgs.length === 0 ? '' : arg0(callArgs, fold))],
  ['java.lang.StringBuffer', (callArgs, fold) => (callArgs.length === 0 ? '' : arg0(callArgs, fold))],
  ['java.lang.String.join', (callArgs, fold, items) => {
    const sep = arg0(callArgs, fold);
    if (sep === null || callArgs.length < 2) return null;
    const array = callArgs.length === 2 ? items(callArgs[1]!.expr) : null;
    const rest = array ?? callArgs.slice(1).map((a) => fold(a.expr));
    return rest.every((r) => r !== null) ? rest.join(sep) : null;
  }],
]);

const METHODS: ReadonlyMap<string, Method> = new Map<string, Method>([
  ['append', (self, callArgs, fold) => {
    const v = arg0(callArgs, fold);
    return v === null || callArgs.length !== 1 ? null : self + v;
  }],
  ['getBytes', (self) => self],
  ['intern', (self) => self],
]);

const FACTORIES = new Map([
  ['java.lang.Runtime.getRuntime', 'java.lang.Runtime'],
  ['java.sql.Connection.createStatement', 'java.sql.Statement'],
  ['java.net.URI.create', 'java.net.URI'],
  ['java.sql.Connection.prepareStatement', 'java.sql.PreparedStatement'],
  ['java.sql.DriverManager.getConnection', 'java.sql.Connection'],
  ['javax.script.ScriptEngineManager.getEngineByName', 'javax.script.ScriptEngine'],
  ['javax.script.ScriptEngineManager.getEngineByExtension', 'javax.script.ScriptEngine'],
  ['java.net.http.HttpRequest.newBuilder', 'java.net.http.HttpRequest.Builder'],
  ['java.net.http.HttpClient.newHttpClient', 'java.net.http.HttpClient'],
  ['org.springframework.web.reactive.function.client.WebClient.create', 'org.springframework.web.reactive.function.client.WebClient'],
  ['java.net.URL.openConnection', 'java.net.HttpURLConnection'],
  // What a servlet writes to its response, apart from any other writer.
  ['javax.servlet.http.HttpServletResponse.getWriter', 'javax.servlet.http.HttpServletResponse.getWriter'],
  ['jakarta.servlet.http.HttpServletResponse.getWriter', 'jakarta.servlet.http.HttpServletResponse.getWriter'],
  ['javax.servlet.http.HttpServletResponse.getOutputStream', 'javax.servlet.http.HttpServletResponse.getOutputStream'],
  ['jakarta.servlet.http.HttpServletResponse.getOutputStream', 'jakarta.servlet.http.HttpServletResponse.getOutputStream'],
  ['java.util.Base64.getDecoder', 'java.util.Base64.Decoder'],
  ['java.util.Base64.getMimeDecoder', 'java.util.Base64.Decoder'],
  ['java.util.Base64.getUrlDecoder', 'java.util.Base64.Decoder'],
]);

const TYPE_DECLARATIONS = new Set(['class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration']);

const FUNCTIONS: FunctionTable = {
  kinds: new Set(['method_declaration']),
  shape(node, own) {
    const name = node.field('name')?.text();
    const params = node.field('parameters');
    if (!name) return null;
    const names = (params ? named(params) : [])
      .filter((p) => p.kind() === 'formal_parameter' || p.kind() === 'spread_parameter')
      .map((p) => (p.kind() === 'formal_parameter' ? p.field('name') : named(p).find((c) => c.kind() === 'variable_declarator')?.field('name'))?.text() ?? null);
    return { name, params: names, returns: () => returnValues(own) };
  },
};

const PROPAGATORS = {
  calls: new Set([
    'java.lang.String.format', 'java.lang.String.join', 'java.lang.String.valueOf', 'java.lang.String', 'java.lang.StringBuilder',
    'java.lang.StringBuffer', 'java.util.List.of', 'java.util.Arrays.asList', 'java.util.Set.of', 'java.util.Map.of',
    'java.net.URLDecoder.decode', 'java.net.URLEncoder.encode', 'java.util.Objects.toString', 'java.util.Objects.requireNonNull',
  ]),
  methods: new Set(['append', 'insert', 'add', 'addAll', 'put', 'set', 'formatted', 'format']),
};

/**
 * A Spring MVC handler that returns the view name `"redirect:" + target` redirects there: read as
 * a call of `redirect` with the returned value, so the open-redirect rule sees it as a sink.
 */
function redirectViewName(node: SgNode): BuiltinCall | null {
  const value = named(node)[0];
  return value && value.text().startsWith('"redirect:') ? { callee: 'redirect', args: [value] } : null;
}

export const java: FrontEnd = frontEnd({
  scopes: new Set([
    'class_declaration',
    'interface_declaration',
    'enum_declaration',
    'record_declaration',
    'method_declaration',
    'constructor_declaration',
    'lambda_expression',
  ]),
  enterScope(node, outer, inner) {
    // A type declared in the file hides the `java.lang` or imported one of the same name.
    const name = node.field('name');
    // So is a method of the class: `helper(x)` calls it, not a wildcard import's member.
    if (name && (TYPE_DECLARATIONS.has(node.kind() as string) || node.kind() === 'method_declaration')) outer.bind(name.text(), { k: 'opaque' });
    const params = node.field('parameters');
    if (!params) return;
    // Lambda parameters may be bare identifiers: `x -> …`, `(x, y) -> …`.
    if (params.kind() === 'identifier') inner.bind(params.text(), { k: 'opaque' });
    else for (const p of named(params)) if (p.kind() === 'identifier') inner.bind(p.text(), { k: 'opaque' });
  },
  binders: BINDERS,
  calls: CALLS,
  builtinCalls: { return_statement: redirectViewName },
  args,
  plainProperty: (callee) => {
    const call = isInvocationName(callee);
    return call?.field('object') && callee.text() !== 'invoke' ? callee.text() : null;
  },
  exprs: EXPRS,
  moduleLoaders: new Set(['java.lang.Class.forName']),
  moduleName: (name) => name,
  folds: foldsOf(DECODERS, METHODS),
  instanceOf: (call, callee) => (constructions.has(call) ? callee : (FACTORIES.get(callee) ?? null)),
  anchor: (name) => name.split('.').find((segment) => /^[A-Z]/.test(segment)) ?? name.split('.')[0]!,
  functions: FUNCTIONS,
  propagators: PROPAGATORS,
});

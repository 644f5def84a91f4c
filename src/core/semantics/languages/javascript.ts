import type { SgNode } from '@ast-grep/napi';
import { callExpr, compoundAssignment, frontEnd, named, returnValues, type BindRule, type Cx, type ExprRule, type FrontEnd, type FunctionTable } from '../frontend.js';
import { either, lit, Scope, UNKNOWN, type ArgExpr, type BuiltinCall, type Expr } from '../ir.js';
import { bindPattern, type PatternKinds } from '../patterns.js';
import { unescapeString } from '../strings.js';

// Front end for JavaScript, TypeScript and TSX (one grammar family): node kinds to IR.

const PATTERNS: PatternKinds = {
  names: new Set(['identifier', 'shorthand_property_identifier_pattern']),
  sequences: new Set(['array_pattern']),
  objects: new Set(['object_pattern']),
  pairs: new Set(['pair_pattern']),
  wrappers: { required_parameter: 'pattern', optional_parameter: 'pattern' },
};

const first = (node: SgNode): SgNode | undefined => named(node)[0];
const last = (node: SgNode): SgNode | undefined => named(node).at(-1);

const literal = (value: string | null): Expr => (value === null ? UNKNOWN : lit(value));
const stringValue = (node: SgNode): Expr => literal(unescapeString(node.text().slice(1, -1), false));

function args(node: SgNode | null, scope: Scope, cx: Cx): ArgExpr[] {
  if (!node) return [];
  if (node.kind() === 'template_string') return [cx.arg(() => cx.expr(node, scope))];
  return named(node).map((a) =>
    a.kind() === 'spread_element'
      ? { expr: UNKNOWN, keyword: null, spread: true }
      : cx.arg(() => cx.expr(a, scope)),
  );
}

function concat(node: SgNode, scope: Scope, cx: Cx): Expr {
  const operator = node.field('operator')?.text();
  if (operator === '||' || operator === '??') return either(cx.expr(node.field('left'), scope), cx.expr(node.field('right'), scope));
  if (operator !== '+') return UNKNOWN;
  return { k: 'concat', parts: [cx.expr(node.field('left'), scope), cx.expr(node.field('right'), scope)] };
}

const FREE = new Scope(null);

const CALLS: Record<string, { callee: string; args: string }> = {
  call_expression: { callee: 'function', args: 'arguments' },
  new_expression: { callee: 'constructor', args: 'arguments' },
};

const unwrapFirst: ExprRule = (node, scope, cx) => cx.expr(first(node), scope);
const unwrapLast: ExprRule = (node, scope, cx) => cx.expr(last(node), scope);

const EXPRS: Record<string, ExprRule> = {
  string: (node) => stringValue(node),
  template_string: (node, scope, cx) => ({
    k: 'concat',
    parts: named(node).map((part) => {
      const kind = part.kind() as string;
      if (kind === 'string_fragment') return lit(part.text());
      if (kind === 'escape_sequence') return literal(unescapeString(part.text(), false));
      if (kind === 'template_substitution') return cx.expr(first(part), scope);
      return UNKNOWN;
    }),
  }),
  number: (node) => lit(node.text()),
  true: (node) => lit(node.text()),
  false: (node) => lit(node.text()),
  null: (node) => lit(node.text()),
  identifier: (node, scope) => ({ k: 'name', name: node.text(), scope }),
  // `import(…)`: a loader like require (the keyword cannot be rebound, so it is always free).
  import: () => ({ k: 'name', name: 'import', scope: FREE }),
  member_expression: (node, scope, cx) => ({
    k: 'member',
    object: cx.expr(node.field('object'), scope),
    prop: lit(node.field('property')?.text() ?? ''),
  }),
  subscript_expression: (node, scope, cx) => ({
    k: 'member',
    object: cx.expr(node.field('object'), scope),
    prop: cx.expr(node.field('index'), scope),
  }),
  call_expression: (node, scope, cx) => {
    // Top-level `await (x)` in a script parses as a call of a function named `await`.
    const callee = node.field('function');
    const inner = callee?.kind() === 'identifier' && callee.text() === 'await' && scope.lookup('await') === null ? named(node.field('arguments') ?? node) : null;
    if (inner?.length === 1) return cx.expr(inner[0], scope);
    return callExpr(node, CALLS.call_expression!, scope, cx);
  },
  ternary_expression: (node, scope, cx) => either(cx.expr(node.field('consequence'), scope), cx.expr(node.field('alternative'), scope)),
  new_expression: (node, scope, cx) => callExpr(node, CALLS.new_expression!, scope, cx),
  binary_expression: concat,
  parenthesized_expression: unwrapLast,
  sequence_expression: unwrapLast,
  as_expression: unwrapFirst,
  satisfies_expression: unwrapFirst,
  non_null_expression: unwrapFirst,
  type_assertion: unwrapLast,
  await_expression: unwrapFirst,
  object: (node, scope, cx) => ({
    k: 'object',
    keys: named(node).map((entry) => {
      const kind = entry.kind() as string;
      const key = entry.field('key');
      if (kind === 'shorthand_property_identifier') return lit(entry.text());
      if (kind !== 'pair' || !key) return UNKNOWN;
      return key.kind() === 'property_identifier' ? lit(key.text()) : cx.expr(key.kind() === 'computed_property_name' ? first(key) : key, scope);
    }),
    values: named(node).map((entry) => {
      const kind = entry.kind() as string;
      if (kind === 'pair') return cx.expr(entry.field('value'), scope);
      if (kind === 'spread_element') return cx.expr(first(entry), scope);
      if (kind === 'shorthand_property_identifier') return { k: 'name', name: entry.text(), scope };
      return UNKNOWN;
    }),
  }),
  array: (node, scope, cx) => ({
    k: 'list',
    items: named(node).map((item) => (item.kind() === 'spread_element' ? UNKNOWN : cx.expr(item, scope))),
  }),
};

const bindLeft =
  (opaque: boolean): BindRule =>
  (node, scope, cx) => {
    const left = node.field('left') ?? node.field('argument');
    const right = node.field('right');
    if (!left || !PATTERN_KINDS.has(left.kind() as string)) return;
    bindPattern(PATTERNS, left, opaque || !right ? null : () => cx.expr(right, scope), scope, cx);
  };

const PATTERN_KINDS = new Set(['identifier', 'object_pattern', 'array_pattern']);

function importStatement(node: SgNode, scope: Scope, cx: Cx): void {
  // TypeScript `import cp = require('child_process')`.
  const required = named(node).find((c) => c.kind() === 'import_require_clause');
  const local = required && first(required);
  const requiredSource = required?.field('source');
  if (local && requiredSource) {
    const mod = stringValue(requiredSource);
    if (mod.k === 'lit') scope.bind(local.text(), cx.value(() => ({ k: 'module', name: mod.value })));
    return;
  }
  const source = node.field('source');
  if (!source) return;
  const mod = stringValue(source);
  if (mod.k !== 'lit') return;
  const module: Expr = { k: 'module', name: mod.value };
  const clause = named(node).find((c) => c.kind() === 'import_clause');
  for (const part of clause ? named(clause) : []) {
    const kind = part.kind() as string;
    if (kind === 'identifier') scope.bind(part.text(), cx.value(() => module));
    else if (kind === 'namespace_import') {
      const id = first(part);
      if (id) scope.bind(id.text(), cx.value(() => module));
    } else if (kind === 'named_imports') {
      for (const spec of named(part)) {
        const name = spec.field('name');
        if (!name) continue;
        const imported = name.kind() === 'string' ? stringValue(name) : lit(name.text());
        const local = spec.field('alias') ?? name;
        scope.bind(local.text(), cx.value(() => ({ k: 'member', object: module, prop: imported })));
      }
    }
  }
}

const BINDERS: Record<string, BindRule> = {
  variable_declarator: (node, scope, cx) => {
    const name = node.field('name');
    const value = node.field('value');
    // `let x;` declares without a value: later assignments are the bindings.
    if (name && value) bindPattern(PATTERNS, name, () => cx.expr(value, scope), scope, cx);
    else if (name && name.kind() !== 'identifier') bindPattern(PATTERNS, name, null, scope, cx);
  },
  assignment_expression: bindLeft(false),
  augmented_assignment_expression: compoundAssignment(new Set(['+='])),
  update_expression: bindLeft(true),
  // `for (const x of xs)`: `x` is an element (or key) of `xs`, which no pass folds but taint follows.
  for_in_statement: (node, scope, cx) => {
    const left = node.field('left');
    const right = node.field('right');
    if (!left || !right || !PATTERN_KINDS.has(left.kind() as string)) return;
    bindPattern(PATTERNS, left, () => ({ k: 'member', object: cx.expr(right, scope), prop: UNKNOWN }), scope, cx);
  },
  catch_clause: (node, scope, cx) => {
    const param = node.field('parameter') ?? named(node).find((c) => c.kind() !== 'statement_block');
    if (param) bindPattern(PATTERNS, param, null, scope, cx);
  },
  import_statement: importStatement,
};

const DECLARATIONS = new Set(['function_declaration', 'generator_function_declaration', 'class_declaration']);

/** The name a parameter node binds, or null for patterns. */
function paramName(node: SgNode): string | null {
  if (node.kind() === 'identifier') return node.text();
  const inner = node.field('pattern') ?? node.field('name') ?? named(node)[0];
  return inner && inner.kind() === 'identifier' ? inner.text() : null;
}

/** Declared functions, and function values a `const` names: `const f = (x) => x`. */
const FUNCTIONS: FunctionTable = {
  kinds: new Set(['function_declaration', 'arrow_function', 'function_expression']),
  shape(node, own) {
    const declared = node.kind() === 'function_declaration';
    const name = declared ? node.field('name') : node.parent()?.kind() === 'variable_declarator' ? node.parent()!.field('name') : null;
    if (!name || name.kind() !== 'identifier') return null;
    const params = node.field('parameters') ?? node.field('parameter');
    const body = node.field('body');
    return {
      name: name.text(),
      params: !params ? [] : params.kind() === 'identifier' ? [params.text()] : named(params).map(paramName),
      returns: () => (body && node.kind() === 'arrow_function' && body.kind() !== 'statement_block' ? [body] : returnValues(own)),
    };
  },
};

/**
 * An assignment to a property acts on the object like a call of a setter (`el.innerHTML = html`,
 * `ctx.body = page`, `location.href = next`): the property is the callee, the value its argument.
 */
function propertyAssignment(node: SgNode): BuiltinCall | null {
  const left = node.field('left');
  const right = node.field('right');
  return left?.kind() === 'member_expression' && right ? { callee: left, args: [right] } : null;
}

export const javascript: FrontEnd = frontEnd({
  scopes: new Set([
    'function_declaration',
    'generator_function_declaration',
    'function_expression',
    'generator_function',
    'arrow_function',
    'method_definition',
    'class_declaration',
    'class',
  ]),
  enterScope(node, outer, inner, cx) {
    const name = node.field('name');
    if (name) (DECLARATIONS.has(node.kind() as string) ? outer : inner).bind(name.text(), { k: 'opaque' });
    const params = node.field('parameters') ?? node.field('parameter');
    if (!params) return;
    if (params.kind() === 'formal_parameters') for (const p of named(params)) bindPattern(PATTERNS, p, null, inner, cx);
    else bindPattern(PATTERNS, params, null, inner, cx);
  },
  binders: BINDERS,
  calls: CALLS,
  builtinCalls: { assignment_expression: propertyAssignment, augmented_assignment_expression: propertyAssignment },
  args,
  plainProperty: (callee) => (callee.kind() === 'member_expression' ? (callee.field('property')?.text() ?? null) : null),
  exprs: EXPRS,
  globalObjects: new Set(['globalThis', 'window', 'global', 'self']),
  // The CommonJS loader however it is reached: the module's own, the main module's, Node's internal one.
  moduleLoaders: new Set(['require', 'import', 'module.require', 'require.main.require', 'process.mainModule.require', 'module.constructor._load', 'module._load']),
  subscriptsReachMembers: true,
  keywordLoaders: new Set(['import']),
  memberGetters: new Set(['Reflect.get']),
  // Node's `createRequire(url)` returns a `require`, which may then be called by any name.
  instanceOf: (_call, callee) => (callee === 'module.createRequire' ? 'require' : null),
  reach: /(?<![\w$])createRequire(?![\w$])/,
  moduleName: (name) => (name.startsWith('node:') ? name.slice(5) : name),
  functions: FUNCTIONS,
});

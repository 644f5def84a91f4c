import type { SgNode } from '@ast-grep/napi';
import { callExpr, compoundAssignment, frontEnd, named, returnValues, type BindRule, type Cx, type ExprRule, type FrontEnd, type FunctionTable } from '../frontend.js';
import { either, lit, UNKNOWN, type ArgExpr, type Expr, type Scope } from '../ir.js';
import { bindPattern, type PatternKinds } from '../patterns.js';
import { unescapeString } from '../strings.js';

// Front end for Python: node kinds to IR.

const PATTERNS: PatternKinds = {
  names: new Set(['identifier']),
  sequences: new Set(['pattern_list', 'tuple_pattern', 'list_pattern']),
  objects: new Set(),
  pairs: new Set(),
  wrappers: { typed_parameter: null, parenthesized_expression: null, default_parameter: 'name', typed_default_parameter: 'name' },
};

const first = (node: SgNode): SgNode | undefined => named(node)[0];
const literal = (value: string | null): Expr => (value === null ? UNKNOWN : lit(value));

const PLAIN_STRING = /^([a-zA-Z]*)('''|"""|'|")([\s\S]*)\2$/;

/** A string literal, f-string or byte string: its parts, with escapes decoded unless raw. */
function pythonString(node: SgNode, scope: Scope, cx: Cx): Expr {
  // Most strings are not f-strings: one read of the text instead of a walk over the parts.
  const plain = PLAIN_STRING.exec(node.text());
  if (plain && !/f/i.test(plain[1]!)) {
    return /r/i.test(plain[1]!) ? lit(plain[3]!) : literal(unescapeString(plain[3]!, true));
  }
  let raw = false;
  let format = false;
  const parts: Expr[] = [];
  for (const part of named(node)) {
    const kind = part.kind() as string;
    if (kind === 'string_start') {
      const prefix = part.text().replace(/["']+$/, '').toLowerCase();
      raw = prefix.includes('r');
      format = prefix.includes('f');
    } else if (kind === 'string_content') {
      const text = format ? part.text().replace(/\{\{/g, '{').replace(/\}\}/g, '}') : part.text();
      parts.push(raw ? lit(text) : literal(unescapeString(text, true)));
    } else if (kind === 'interpolation') {
      // `{x!r}` and `{x:>8}` change the text: not folded.
      const plain = named(part).length === 1;
      parts.push(plain ? cx.expr(part.field('expression'), scope) : UNKNOWN);
    }
  }
  return parts.length === 1 ? parts[0]! : { k: 'concat', parts };
}

function args(node: SgNode | null, scope: Scope, cx: Cx): ArgExpr[] {
  if (!node || node.kind() !== 'argument_list') return [];
  return named(node).flatMap((a): ArgExpr[] => {
    const kind = a.kind() as string;
    if (kind === 'comment') return [];
    if (kind === 'keyword_argument') {
      return [cx.arg(() => cx.expr(a.field('value'), scope), a.field('name')?.text() ?? null)];
    }
    // `**kw` keeps its dict (a mass-assignment sink reads it); `*args` does not.
    if (kind === 'dictionary_splat') return [cx.arg(() => cx.expr(first(a), scope), null, true)];
    if (kind === 'list_splat') return [{ expr: UNKNOWN, keyword: null, spread: true }];
    return [cx.arg(() => cx.expr(a, scope))];
  });
}

const CALLS: Record<string, { callee: string; args: string }> = { call: { callee: 'function', args: 'arguments' } };

const text: ExprRule = (node) => lit(node.text());
const unwrapFirst: ExprRule = (node, scope, cx) => cx.expr(first(node), scope);
const list: ExprRule = (node, scope, cx) => ({
  k: 'list',
  items: named(node).map((item) => (item.kind() === 'list_splat' ? UNKNOWN : cx.expr(item, scope))),
});

const EXPRS: Record<string, ExprRule> = {
  string: pythonString,
  concatenated_string: (node, scope, cx) => ({ k: 'concat', parts: named(node).map((s) => cx.expr(s, scope)) }),
  integer: text,
  float: text,
  true: text,
  false: text,
  none: text,
  identifier: (node, scope) => ({ k: 'name', name: node.text(), scope }),
  attribute: (node, scope, cx) => ({
    k: 'member',
    object: cx.expr(node.field('object'), scope),
    prop: lit(node.field('attribute')?.text() ?? ''),
  }),
  subscript: (node, scope, cx) => ({
    k: 'member',
    object: cx.expr(node.field('value'), scope),
    prop: cx.expr(node.field('subscript'), scope),
  }),
  call: (node, scope, cx) => callExpr(node, CALLS.call!, scope, cx),
  binary_operator: (node, scope, cx) => {
    const operator = node.field('operator')?.text();
    if (operator === '+') return { k: 'concat', parts: [cx.expr(node.field('left'), scope), cx.expr(node.field('right'), scope)] };
    // `"… %s" % value` is string building the constants pass does not fold: the method it calls.
    if (operator === '%') return { k: 'call', callee: { k: 'member', object: cx.expr(node.field('left'), scope), prop: lit('__mod__') }, args: [{ expr: cx.expr(node.field('right'), scope), keyword: null, spread: false }] };
    return UNKNOWN;
  },
  parenthesized_expression: unwrapFirst,
  await: unwrapFirst,
  boolean_operator: (node, scope, cx) =>
    node.field('operator')?.text() === 'or' ? either(cx.expr(node.field('left'), scope), cx.expr(node.field('right'), scope)) : UNKNOWN,
  conditional_expression: (node, scope, cx) => either(cx.expr(named(node)[0], scope), cx.expr(named(node)[2], scope)),
  list,
  tuple: list,
  dictionary: (node, scope, cx) => ({
    k: 'object',
    keys: named(node).map((entry) => (entry.kind() === 'pair' ? cx.expr(entry.field('key'), scope) : UNKNOWN)),
    values: named(node).map((entry) =>
      entry.kind() === 'pair' ? cx.expr(entry.field('value'), scope) : entry.kind() === 'dictionary_splat' ? cx.expr(first(entry), scope) : UNKNOWN,
    ),
  }),
};

/** Binds the names an import statement introduces. */
function importStatement(node: SgNode, scope: Scope, cx: Cx): void {
  for (const item of named(node)) {
    if (item.kind() === 'dotted_name') {
      // `import os.path` binds `os`, the top package.
      const top = first(item)?.text() ?? item.text();
      scope.bind(top, cx.value(() => ({ k: 'module', name: top })));
    } else if (item.kind() === 'aliased_import') {
      const mod = item.field('name')?.text();
      const alias = item.field('alias')?.text();
      if (mod && alias) scope.bind(alias, cx.value(() => ({ k: 'module', name: mod })));
    }
  }
}

function importFrom(node: SgNode, scope: Scope, cx: Cx): void {
  const from = node.field('module_name');
  if (!from) return;
  const module: Expr = { k: 'module', name: from.text() };
  for (const item of named(node)) {
    if (item.id() === from.id()) continue;
    const name = item.kind() === 'aliased_import' ? item.field('name')?.text() : item.kind() === 'dotted_name' ? item.text() : null;
    const local = item.kind() === 'aliased_import' ? item.field('alias')?.text() : name;
    if (name && local) scope.bind(local, cx.value(() => ({ k: 'member', object: module, prop: lit(name) })));
  }
}

const assign =
  (opaque: boolean, leftField: string, rightField: string): BindRule =>
  (node, scope, cx) => {
    const left = node.field(leftField);
    const right = node.field(rightField);
    if (!left) return;
    const kind = left.kind() as string;
    if (kind !== 'identifier' && !PATTERNS.sequences.has(kind)) return;
    // `x: int` without a value declares, it does not bind.
    if (!right && !opaque) return;
    bindPattern(PATTERNS, left, opaque || !right ? null : () => cx.expr(right, scope), scope, cx);
  };

/** `for x in xs`: `x` is an element of `xs`, which no pass folds but taint follows. */
const loop: BindRule = (node, scope, cx) => {
  const left = node.field('left');
  const right = node.field('right');
  if (!left || !right) return;
  const kind = left.kind() as string;
  if (kind !== 'identifier' && !PATTERNS.sequences.has(kind)) return;
  bindPattern(PATTERNS, left, () => ({ k: 'member', object: cx.expr(right, scope), prop: UNKNOWN }), scope, cx);
};

const BINDERS: Record<string, BindRule> = {
  assignment: assign(false, 'left', 'right'),
  augmented_assignment: compoundAssignment(new Set(['+='])),
  named_expression: assign(false, 'name', 'value'),
  for_statement: loop,
  for_in_clause: loop,
  as_pattern: (node, scope, cx) => {
    const target = node.field('alias');
    const id = target && first(target);
    // `with open(p) as fh`: `fh` is what the context manager returns, for files the file itself.
    const value = node.parent()?.kind() === 'with_item' ? first(node) : undefined;
    if (id) bindPattern(PATTERNS, id, value ? () => cx.expr(value, scope) : null, scope, cx);
  },
  import_statement: importStatement,
  import_from_statement: importFrom,
};

/** `def` functions; a parameter with a default or a type is still its name. */
const FUNCTIONS: FunctionTable = {
  kinds: new Set(['function_definition']),
  shape(node, own) {
    const name = node.field('name');
    const params = node.field('parameters');
    if (!name) return null;
    const paramName = (p: SgNode): string | null => {
      if (p.kind() === 'identifier') return p.text();
      const inner = p.field('name') ?? named(p)[0];
      return inner?.kind() === 'identifier' ? inner.text() : null;
    };
    return { name: name.text(), params: params ? named(params).map(paramName) : [], returns: () => returnValues(own) };
  },
};

const WEB_APPS: ReadonlySet<string> = new Set(['fastapi.FastAPI', 'fastapi.APIRouter', 'flask.Flask', 'flask.Blueprint']);

export const python: FrontEnd = frontEnd({
  scopes: new Set(['function_definition', 'lambda', 'class_definition']),
  enterScope(node, outer, inner, cx) {
    const name = node.field('name');
    if (name) outer.bind(name.text(), { k: 'opaque' });
    const params = node.field('parameters');
    for (const p of params ? named(params) : []) bindPattern(PATTERNS, p, null, inner, cx);
  },
  binders: BINDERS,
  calls: CALLS,
  args,
  plainProperty: (callee) => (callee.kind() === 'attribute' ? (callee.field('attribute')?.text() ?? null) : null),
  exprs: EXPRS,
  globalObjects: new Set(['__builtins__']),
  moduleLoaders: new Set(['__import__', 'importlib.import_module']),
  memberGetters: new Set(['getattr']),
  rootModules: new Set(['builtins', '__builtin__']),
  moduleName: (name) => name,
  // Web applications and routers: their route decorators (`@app.get(…)`) name what they decorate.
  instanceOf: (_call, callee) => (WEB_APPS.has(callee) ? callee : null),
  functions: FUNCTIONS,
});

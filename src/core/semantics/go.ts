import type { SgNode } from '@ast-grep/napi';
import { bindFileWide, callExpr, fileWideMember, named, type BindRule, type Cx, type ExprRule, type FrontEnd } from './frontend.js';
import { lit, UNKNOWN, type ArgExpr, type Expr, type Scope } from './ir.js';
import { arg0, base64, hex, type Decoder } from './passes.js';
import { unescapeString } from './strings.js';

// Front end for Go: node kinds to IR.
//
// Canonical names: a standard-library package is named by the last element of its import path,
// as Go code spells it (`os/exec` → `exec`, so `exec.Command`); a package outside the standard
// library (its first path element has a dot: `github.com/x/exec`) keeps its whole path, so it
// never passes for the standard one. A dot import (`. "os/exec"`) makes free names members of
// that package when it is the file's only dot import; a blank import binds nothing.

const first = (node: SgNode): SgNode | undefined => named(node)[0];
const literal = (value: string | null): Expr => (value === null ? UNKNOWN : lit(value));

/** The reserved root-scope name holding the file's dot imports (not a Go identifier). */
const DOT_IMPORTS = '.';

function stringValue(node: SgNode): Expr {
  const text = node.text();
  if (node.kind() === 'raw_string_literal') return lit(text.slice(1, -1).replace(/\r/g, ''));
  // Go's escapes are Python's less `\N{…}`: octal, `\x`, `\u`, `\U`.
  return literal(unescapeString(text.slice(1, -1), true));
}

function modulePath(spec: SgNode): string | null {
  const path = spec.field('path');
  const value = path && stringValue(path);
  return value?.k === 'lit' ? value.value : null;
}

const moduleName = (path: string): string =>
  path.split('/')[0]!.includes('.') ? path : path.slice(path.lastIndexOf('/') + 1);

function identifier(node: SgNode, scope: Scope): Expr {
  const name = node.text();
  if (scope.lookup(name) !== null) return { k: 'name', name, scope };
  return fileWideMember(scope, DOT_IMPORTS, name) ?? { k: 'name', name, scope };
}

function args(node: SgNode | null, scope: Scope, cx: Cx): ArgExpr[] {
  if (!node) return [];
  return named(node)
    .filter((a) => a.kind() !== 'comment')
    .map((a) => {
      // `f(xs...)`: the last argument spreads.
      const spread = a.next()?.text() === '...';
      return { expr: spread ? UNKNOWN : cx.expr(a, scope), keyword: null, spread };
    });
}

const CALLS: Record<string, { callee: string; args: string }> = {
  call_expression: { callee: 'function', args: 'arguments' },
};

const text: ExprRule = (node) => lit(node.text());
const str: ExprRule = (node) => stringValue(node);

const EXPRS: Record<string, ExprRule> = {
  interpreted_string_literal: str,
  raw_string_literal: str,
  int_literal: text,
  float_literal: text,
  true: text,
  false: text,
  identifier: (node, scope) => identifier(node, scope),
  selector_expression: (node, scope, cx) => ({
    k: 'member',
    object: cx.expr(node.field('operand'), scope),
    prop: lit(node.field('field')?.text() ?? ''),
  }),
  call_expression: (node, scope, cx) => callExpr(node, CALLS.call_expression!, scope, cx),
  // `[]byte("sh")` and `string(b)` convert without changing the text.
  type_conversion_expression: (node, scope, cx) => cx.expr(node.field('operand'), scope),
  binary_expression: (node, scope, cx) =>
    node.field('operator')?.text() === '+'
      ? { k: 'concat', parts: [cx.expr(node.field('left'), scope), cx.expr(node.field('right'), scope)] }
      : UNKNOWN,
  parenthesized_expression: (node, scope, cx) => cx.expr(first(node), scope),
  composite_literal: (node, scope, cx) => {
    const body = named(node).find((c) => c.kind() === 'literal_value');
    const type = node.field('type')?.kind();
    if (!body || (type !== 'slice_type' && type !== 'array_type')) return UNKNOWN;
    const items = named(body).filter((c) => c.kind() !== 'comment');
    // Keyed elements (`{2: "x"}`) place items out of order: not folded.
    return {
      k: 'list',
      items: items.map((item) => (item.kind() === 'literal_element' ? cx.expr(first(item), scope) : UNKNOWN)),
    };
  },
};

const items = (list: SgNode | null): SgNode[] =>
  !list ? [] : list.kind() === 'expression_list' ? named(list).filter((c) => c.kind() !== 'comment') : [list];

/** Binds each name on the left to the value at its position on the right. */
function bindLists(names: SgNode[], values: SgNode[], opaque: boolean, scope: Scope, cx: Cx): void {
  names.forEach((name, i) => {
    if (name.kind() !== 'identifier') {
      // `a[0] = x`, `s.f = x`: the container changes, so it is no longer a known constant.
      let root: SgNode | null = name;
      while (root && root.kind() !== 'identifier') root = root.field('operand');
      if (root) scope.bind(root.text(), { k: 'opaque' });
      return;
    }
    if (name.text() === '_') return;
    // `v, err := f()`: Go's (value, error) idiom. The first name is the call's value, which the
    // passes fold only for calls they know (`base64.StdEncoding.DecodeString`); others stay unknown.
    const valueAndError = names.length === 2 && values.length === 1 && i === 0 && values[0]!.kind() === 'call_expression';
    const value = opaque ? undefined : values.length === names.length ? values[i] : valueAndError ? values[0] : undefined;
    scope.bind(name.text(), value ? cx.value(() => cx.expr(value, scope)) : { k: 'opaque' });
  });
}

const spec: BindRule = (node, scope, cx) => {
  const value = node.field('value');
  // `var x string` declares the zero value; later assignments are the bindings.
  if (value) bindLists(named(node).filter((c) => c.kind() === 'identifier'), items(value), false, scope, cx);
};

const BINDERS: Record<string, BindRule> = {
  import_spec: (node, scope, cx) => {
    const path = modulePath(node);
    if (path === null) return;
    const module: Expr = { k: 'module', name: path };
    const name = node.field('name');
    // Unnamed, a package is known by the last element of its path.
    if (!name) scope.bind(path.slice(path.lastIndexOf('/') + 1), cx.value(() => module));
    else if (name.kind() === 'dot') bindFileWide(scope, DOT_IMPORTS, cx.value(() => module));
    else if (name.kind() === 'package_identifier') scope.bind(name.text(), cx.value(() => module));
  },
  var_spec: spec,
  const_spec: spec,
  short_var_declaration: (node, scope, cx) => bindLists(items(node.field('left')), items(node.field('right')), false, scope, cx),
  assignment_statement: (node, scope, cx) =>
    bindLists(items(node.field('left')), items(node.field('right')), node.field('operator')?.text() !== '=', scope, cx),
  inc_statement: (node, scope, cx) => bindLists(named(node).slice(0, 1), [], true, scope, cx),
  dec_statement: (node, scope, cx) => bindLists(named(node).slice(0, 1), [], true, scope, cx),
  range_clause: (node, scope, cx) => bindLists(items(node.field('left')), [], true, scope, cx),
};

const FORMAT = /%(%|[sdvq])/g;

const DECODERS: ReadonlyMap<string, Decoder> = new Map<string, Decoder>([
  ['base64.StdEncoding.DecodeString', base64],
  ['base64.URLEncoding.DecodeString', base64],
  ['base64.RawStdEncoding.DecodeString', base64],
  ['base64.RawURLEncoding.DecodeString', base64],
  ['hex.DecodeString', hex],
  ['strings.Join', (callArgs, fold, list) => {
    const items = callArgs[0] && !callArgs[0].spread ? list(callArgs[0].expr) : null;
    const sep = callArgs[1] && !callArgs[1].spread ? fold(callArgs[1].expr) : null;
    return items === null || sep === null ? null : items.join(sep);
  }],
  ['strings.ToLower', (callArgs, fold) => arg0(callArgs, fold)?.toLowerCase() ?? null],
  ['strings.TrimSpace', (callArgs, fold) => arg0(callArgs, fold)?.trim() ?? null],
  // `string(b)`: the text of a string or byte slice; a list of codes becomes the characters.
  ['string', (callArgs, fold, list) => {
    const value = arg0(callArgs, fold);
    if (value !== null) return value;
    const codes = callArgs[0] ? list(callArgs[0].expr)?.map(Number) : undefined;
    return codes?.every((c) => Number.isInteger(c) && c >= 0 && c <= 0x10ffff) ? String.fromCodePoint(...codes) : null;
  }],
  // Only `%s`, `%d`, `%v` and `%%` with constant arguments; anything else is not folded.
  ['fmt.Sprintf', (callArgs, fold) => {
    const values = callArgs.map((a) => (a.spread ? null : fold(a.expr)));
    if (values.some((v) => v === null)) return null;
    let next = 1;
    let ok = true;
    const out = values[0]!.replace(FORMAT, (_m, verb: string) => {
      if (verb === '%') return '%';
      if (verb === 'q' || next >= values.length) ok = false;
      return values[next++] ?? '';
    });
    return ok && next === values.length && !/%/.test(out.replace(/%%/g, '')) ? out : null;
  }],
]);

export const go: FrontEnd = {
  scopes: new Set(['function_declaration', 'method_declaration', 'func_literal']),
  enterScope(node, outer, inner) {
    const name = node.field('name');
    if (name && node.kind() === 'function_declaration') outer.bind(name.text(), { k: 'opaque' });
    const lists = [node.field('receiver'), node.field('parameters')];
    for (const list of lists) {
      for (const p of list ? named(list) : []) {
        for (const id of named(p).filter((c) => c.kind() === 'identifier')) inner.bind(id.text(), { k: 'opaque' });
      }
    }
  },
  binders: BINDERS,
  calls: CALLS,
  args,
  plainProperty: (callee) => (callee.kind() === 'selector_expression' ? (callee.field('field')?.text() ?? null) : null),
  exprs: EXPRS,
  globalObjects: new Set(),
  moduleLoaders: new Set(),
  subscriptsReachMembers: false,
  keywordLoaders: new Set(),
  memberGetters: new Set(),
  rootModules: new Set(),
  moduleName,
  decoders: DECODERS,
};

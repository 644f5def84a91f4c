import type { SgNode } from '@ast-grep/napi';
import { appendedTo, bindFileWide, callExpr, fileWideMember, frontEnd, named, type BindRule, type Cx, type ExprRule, type FrontEnd, type FunctionTable } from '../frontend.js';
import { lit, UNKNOWN, type ArgExpr, type Expr, type Scope } from '../ir.js';
import { arg0, base64, foldsOf, hex, type Decoder } from '../passes.js';
import { unescapeString } from '../strings.js';

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

/** The name a package is known by unless renamed: its path's last element, less a major-version suffix (`echo/v4` → `echo`, `yaml.v3` → `yaml`). */
function packageName(path: string): string {
  const parts = path.split('/');
  const last = parts.length > 1 && /^v\d+$/.test(parts.at(-1)!) ? parts.at(-2)! : parts.at(-1)!;
  return last.replace(/\.v\d+$/, '').replace(/^go-/, '');
}

/** A type written with its package (`*http.Request`, `gin.Context`): the type as a member of the package; else null. */
function qualifiedType(node: SgNode | null, scope: Scope): Expr | null {
  const type = node?.kind() === 'pointer_type' ? first(node) : node;
  if (type?.kind() !== 'qualified_type') return null;
  const pkg = type.field('package');
  const name = type.field('name');
  return pkg && name ? { k: 'member', object: identifier(pkg, scope), prop: lit(name.text()) } : null;
}

/** Composite literals of a package's type: their value is an object of that type. */
const constructions = new WeakSet<Expr>();

/** Method names that fill the value their pointer argument points to (`c.ShouldBindJSON(&u)`, `json.Unmarshal(b, &u)`). */
const FILLS = /^(?:ShouldBind\w*|MustBind\w*|Bind\w*|Decode|Unmarshal)$/;

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
  // `m["k"]`, `xs[0]`: an element, as a member.
  index_expression: (node, scope, cx) => ({ k: 'member', object: cx.expr(node.field('operand'), scope), prop: cx.expr(node.field('index'), scope) }),
  slice_expression: (node, scope, cx) => cx.expr(node.field('operand'), scope),
  // `{a, b}` nested in a composite literal (`url.Values{"k": {v}}`): its elements.
  literal_value: (node, scope, cx) => ({
    k: 'list',
    items: named(node)
      .filter((c) => c.kind() === 'literal_element' || c.kind() === 'keyed_element')
      .map((e) => cx.expr(first(e.kind() === 'keyed_element' ? named(e).at(-1)! : e), scope)),
  }),
  // `&x`, `*p`: the value itself, as far as names and taint go.
  unary_expression: (node, scope, cx) => (['&', '*'].includes(node.field('operator')?.text() ?? '') ? cx.expr(node.field('operand'), scope) : UNKNOWN),
  composite_literal: (node, scope, cx) => {
    const body = named(node).find((c) => c.kind() === 'literal_value');
    const typeNode = node.field('type');
    const type = typeNode?.kind();
    const elements = body ? named(body).filter((c) => c.kind() === 'keyed_element' || c.kind() === 'literal_element') : [];
    const valueOf = (e: SgNode): SgNode | undefined => first(e.kind() === 'keyed_element' ? named(e).at(-1)! : e);
    // `http.Client{…}`, `url.Values{…}`: an object of that type, made from its elements.
    const known = qualifiedType(typeNode, scope);
    if (known) {
      const made: Expr = { k: 'call', callee: known, args: elements.map((e) => ({ expr: cx.expr(valueOf(e), scope), keyword: null, spread: false })) };
      constructions.add(made);
      return made;
    }
    if (body && type !== 'slice_type' && type !== 'array_type') {
      return {
        k: 'object',
        keys: elements.map((e) => (e.kind() === 'keyed_element' ? cx.expr(first(named(e)[0]!), scope) : UNKNOWN)),
        values: elements.map((e) => cx.expr(valueOf(e), scope)),
      };
    }
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
  const names = named(node).filter((c) => c.kind() === 'identifier');
  // `var x string` declares the zero value; later assignments are the bindings. A variable of a
  // package's type (`var db *sql.DB`) is an object of that type.
  if (value) bindLists(names, items(value), false, scope, cx);
  else if (qualifiedType(node.field('type'), scope)) for (const n of names) scope.bind(n.text(), cx.value(() => qualifiedType(node.field('type'), scope)!));
};

const BINDERS: Record<string, BindRule> = {
  import_spec: (node, scope, cx) => {
    const path = modulePath(node);
    if (path === null) return;
    const module: Expr = { k: 'module', name: path };
    const name = node.field('name');
    if (!name) scope.bind(packageName(path), cx.value(() => module));
    else if (name.kind() === 'dot') bindFileWide(scope, DOT_IMPORTS, cx.value(() => module));
    else if (name.kind() === 'package_identifier') scope.bind(name.text(), cx.value(() => module));
  },
  var_spec: spec,
  const_spec: spec,
  short_var_declaration: (node, scope, cx) => bindLists(items(node.field('left')), items(node.field('right')), false, scope, cx),
  assignment_statement: (node, scope, cx) => {
    const left = items(node.field('left'));
    const right = items(node.field('right'));
    const operator = node.field('operator')?.text();
    // `s += x`: whatever `s` held, now with `x` after it.
    if (operator === '+=' && left.length === 1 && left[0]!.kind() === 'identifier' && right.length === 1) {
      scope.bind(left[0]!.text(), cx.value(appendedTo(right[0]!, scope, cx)));
    } else bindLists(left, right, operator !== '=', scope, cx);
  },
  // `c.ShouldBindJSON(&u)`: `u` now holds what the call read.
  call_expression: (node, scope, cx) => {
    const method = node.field('function')?.field('field')?.text();
    if (!method || !FILLS.test(method)) return;
    for (const a of named(node.field('arguments') ?? node)) {
      const target = a.kind() === 'unary_expression' && a.field('operator')?.text() === '&' ? a.field('operand') : null;
      if (target?.kind() === 'identifier') scope.bind(target.text(), cx.value(() => cx.expr(node, scope)));
    }
  },
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

const SCOPES: ReadonlySet<string> = new Set(['function_declaration', 'method_declaration', 'func_literal']);

const paramNames = (list: SgNode | null): string[] =>
  (list ? named(list) : []).flatMap((p) => named(p).filter((c) => c.kind() === 'identifier').map((id) => id.text()));

const FUNCTIONS: FunctionTable = {
  kinds: new Set(['function_declaration', 'func_literal']),
  shape(node, own) {
    // `f := func(…) {…}` is called by the variable's name.
    const declaration = node.parent()?.parent();
    const name =
      node.kind() === 'function_declaration'
        ? node.field('name')?.text()
        : declaration?.kind() === 'short_var_declaration' && items(declaration.field('right')).length === 1
          ? items(declaration.field('left'))[0]?.text()
          : undefined;
    if (!name) return null;
    const returns = () => own('return_statement').flatMap((r) => named(r).slice(0, 1).flatMap((v) => items(v).slice(0, 1)));
    return { name, params: paramNames(node.field('parameters')), returns };
  },
};

/** Calls whose result carries their arguments' taint. */
const PROPAGATORS = {
  calls: new Set([
    'fmt.Sprintf', 'fmt.Sprint', 'fmt.Sprintln', 'strings.Join', 'strings.Replace', 'strings.ReplaceAll', 'strings.TrimSpace',
    'strings.Trim', 'strings.TrimPrefix', 'strings.TrimSuffix', 'strings.ToLower', 'strings.ToUpper', 'strings.Split', 'strings.Fields',
    'strings.NewReader', 'bytes.NewReader', 'bytes.NewBuffer', 'bytes.NewBufferString', 'io.ReadAll', 'ioutil.ReadAll',
    'url.QueryUnescape', 'url.PathUnescape', 'url.QueryEscape', 'url.PathEscape', 'url.Parse', 'base64.StdEncoding.EncodeToString', 'json.Marshal', 'json.NewDecoder', 'json.Unmarshal', 'xml.Unmarshal', 'bufio.NewReader',
    'bufio.NewScanner', 'filepath.Join', 'path.Join', 'filepath.Clean', 'path.Clean', 'filepath.Abs', 'string', 'append',
  ]),
  methods: new Set(['WriteString', 'Write']),
};

/** Calls that open a handle of a package's type without following the `NewX` naming. */
const OPENERS: ReadonlyMap<string, string> = new Map([
  ['sql.Open', 'sql.DB'],
  ['gorm.io/gorm.Open', 'gorm.io/gorm.DB'],
  ['github.com/jinzhu/gorm.Open', 'github.com/jinzhu/gorm.DB'],
  ['github.com/jmoiron/sqlx.Open', 'github.com/jmoiron/sqlx.DB'],
  ['github.com/jmoiron/sqlx.Connect', 'github.com/jmoiron/sqlx.DB'],
  ['template.New', 'template.Template'],
  ['template.Must', 'template.Template'],
]);

/** What a call makes: a composite literal's type, `pkg.NewX(…)` an `X` of that package, or a known opener. */
function instanceOf(call: Expr & { k: 'call' }, callee: string): string | null {
  if (constructions.has(call)) return callee;
  const known = OPENERS.get(callee);
  if (known) return known;
  const dot = callee.lastIndexOf('.');
  const made = /^New([A-Z]\w*)$/.exec(callee.slice(dot + 1));
  return dot > 0 && made ? `${callee.slice(0, dot)}.${made[1]}` : null;
}

export const go: FrontEnd = frontEnd({
  scopes: SCOPES,
  enterScope(node, outer, inner, cx) {
    const name = node.field('name');
    if (name && node.kind() === 'function_declaration') outer.bind(name.text(), { k: 'opaque' });
    const lists = [node.field('receiver'), node.field('parameters')];
    for (const list of lists) {
      for (const p of list ? named(list) : []) {
        // `r *http.Request`: an object of that type; other parameters are unknown.
        const type = p.field('type');
        const typed = qualifiedType(type, inner);
        for (const id of named(p).filter((c) => c.kind() === 'identifier')) {
          inner.bind(id.text(), typed ? cx.value(() => qualifiedType(type, inner)!) : { k: 'opaque' });
        }
      }
    }
  },
  binders: BINDERS,
  calls: CALLS,
  args,
  plainProperty: (callee) => (callee.kind() === 'selector_expression' ? (callee.field('field')?.text() ?? null) : null),
  exprs: EXPRS,
  moduleName,
  folds: foldsOf(DECODERS),
  instanceOf,
  functions: FUNCTIONS,
  propagators: PROPAGATORS,
});

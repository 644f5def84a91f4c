import type { SgNode } from '@ast-grep/napi';
import type { Cx } from './frontend.js';
import { lit, UNKNOWN, type Expr, type Scope } from './ir.js';

// Destructuring shared by the front ends: binds each name in a pattern to the member of the
// value it receives. With no value (a parameter, a loop variable), every name is opaque.

export interface PatternKinds {
  /** Kinds that are a plain name. */
  names: ReadonlySet<string>;
  /** Kinds whose named children are positional elements: `[a, b]`, `a, b = …`. */
  sequences: ReadonlySet<string>;
  /** Kinds of `{ key: target }` object patterns. */
  objects: ReadonlySet<string>;
  /** Inside an object pattern: `{ key: target }` entries. */
  pairs: ReadonlySet<string>;
  /** Kinds that wrap one pattern in a field or first named child and keep its value (TS `a: T`). */
  wrappers: Readonly<Record<string, string | null>>;
}

export type Getter = (() => Expr) | null;

function member(get: Getter, prop: Expr): Getter {
  return get && (() => ({ k: 'member', object: get(), prop }));
}

export function bindPattern(kinds: PatternKinds, node: SgNode, get: Getter, scope: Scope, cx: Cx): void {
  cx.budget.tick();
  const kind = node.kind() as string;
  if (kinds.names.has(kind)) {
    scope.bind(node.text(), get ? cx.value(get) : { k: 'opaque' });
  } else if (kinds.sequences.has(kind)) {
    node
      .children()
      .filter((c) => c.isNamed())
      .forEach((child, i) => bindPattern(kinds, child, member(get, lit(String(i))), scope, cx));
  } else if (kinds.objects.has(kind)) {
    for (const child of node.children()) {
      if (!child.isNamed()) continue;
      const ck = child.kind() as string;
      if (kinds.names.has(ck)) bindPattern(kinds, child, member(get, lit(child.text())), scope, cx);
      else if (kinds.pairs.has(ck)) {
        const key = child.field('key');
        const target = child.field('value');
        if (target) bindPattern(kinds, target, member(get, key ? keyExpr(key, scope, cx) : UNKNOWN), scope, cx);
      } else bindPattern(kinds, child, null, scope, cx);
    }
  } else if (kind in kinds.wrappers) {
    const field = kinds.wrappers[kind];
    const inner = field ? node.field(field) : node.children().find((c) => c.isNamed());
    if (inner) bindPattern(kinds, inner, get, scope, cx);
  }
  // Anything else (defaults, rest elements) would make the value uncertain: bind its names opaque.
  else {
    for (const id of identifiersIn(kinds, node, cx)) scope.bind(id, { k: 'opaque' });
  }
}

function keyExpr(key: SgNode, scope: Scope, cx: Cx): Expr {
  const kind = key.kind() as string;
  if (kind === 'computed_property_name') return cx.expr(key.children().find((c) => c.isNamed()), scope);
  if (kind === 'string') return cx.expr(key, scope);
  return lit(key.text());
}

/** Names a pattern binds, skipping default values (`a = b` binds `a` only). */
function identifiersIn(kinds: PatternKinds, node: SgNode, cx: Cx): string[] {
  const out: string[] = [];
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    cx.budget.tick();
    const kind = n.kind() as string;
    if (kinds.names.has(kind)) {
      out.push(n.text());
      continue;
    }
    const left = n.field('left') ?? n.field('name') ?? n.field('pattern');
    if (left) stack.push(left);
    else for (const c of n.children()) if (c.isNamed()) stack.push(c);
  }
  return out;
}

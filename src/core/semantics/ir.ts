import type { SgNode } from '@ast-grep/napi';

// The intermediate representation the front ends build and the passes read. It is the same for
// every language: a front end only decides which node kinds are scopes, bindings, calls and
// expressions. Expressions are converted lazily (only those a call or binding needs).

/** An expression, as far as the passes care about it. */
export type Expr =
  /** A literal; numbers and booleans carry their source text. */
  | { k: 'lit'; value: string }
  | { k: 'name'; name: string; scope: Scope }
  /** `object.prop`, `object[prop]`, a destructured property, `getattr(object, prop)`. */
  | { k: 'member'; object: Expr; prop: Expr }
  | { k: 'call'; callee: Expr; args: ArgExpr[] }
  /** String building: `+`, template literals, f-strings, implicit concatenation. */
  | { k: 'concat'; parts: Expr[] }
  | { k: 'list'; items: Expr[] }
  /** An object or dict literal, field-insensitive: its values, spread objects included. */
  | { k: 'object'; values: Expr[]; keys: Expr[] }
  /** What an import statement binds: the module itself. */
  | { k: 'module'; name: string }
  | { k: 'unknown' };

export interface ArgExpr {
  expr: Expr;
  /** Python keyword arguments: `shell=True` has keyword `shell`. */
  keyword: string | null;
  /** `...xs` / `*xs` / `**kw`: the position of later arguments is unknown; `expr` is known only for `**kw`. */
  spread: boolean;
}

/**
 * What one binding of a name says about its value. `opaque` is a write the passes cannot see
 * through (a parameter, a loop variable, `x += …`): a name with one makes the name unknown.
 */
export type Binding = { k: 'value'; get: () => Expr } | { k: 'opaque' };

export class Scope {
  readonly bindings = new Map<string, Binding[]>();
  constructor(readonly parent: Scope | null) {}

  bind(name: string, binding: Binding): void {
    const list = this.bindings.get(name);
    if (list) list.push(binding);
    else this.bindings.set(name, [binding]);
  }

  /** The bindings of the nearest scope that binds `name`; null for a free (global) name. */
  lookup(name: string): Binding[] | null {
    const own = this.bindings.get(name);
    if (own) return own;
    for (let s = this.parent; s; s = s.parent) {
      const found = s.bindings.get(name);
      if (found) return found;
    }
    return null;
  }
}

export const UNKNOWN: Expr = { k: 'unknown' };

export function lit(value: string): Expr {
  return { k: 'lit', value };
}

/** A call site found by the walk, with the scope it sits in; converted on demand. */
export interface CallSite {
  node: SgNode;
  scope: Scope;
  parts: { callee: string; args: string };
  /** The lines the call spans, 1-based, as the walk saw them. */
  start: number;
  end: number;
  /** A statement or operator that acts as a call (see `FrontEnd.builtinCalls`); `parts` are then unused. */
  builtin?: BuiltinCall;
}

/**
 * What a statement that acts as a call calls, and with what: a builtin by its canonical name
 * (PHP's `echo`, Ruby's backticks), or the written target of an assignment to a property
 * (`el.innerHTML = html`), which then resolves like a callee.
 */
export interface BuiltinCall {
  callee: string | SgNode;
  args: SgNode[];
}

/** The pseudo-method `either` calls. */
export const EITHER = '__either__';

/**
 * `a || b`, `a ?? b`, `c ? a : b`, Python's `a or b`: either value, which no pass folds and taint
 * follows into both, written as a call of a method no value has.
 */
export function either(left: Expr, right: Expr): Expr {
  return { k: 'call', callee: { k: 'member', object: left, prop: lit(EITHER) }, args: [{ expr: right, keyword: null, spread: false }] };
}

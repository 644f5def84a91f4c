import type { Budget } from './budget.js';
import type { FrontEnd } from './frontend.js';
import type { ArgExpr, Binding, Expr } from './ir.js';
import { fromBase64, fromBase64Binary, fromHex } from './strings.js';

// The names and constants passes. Both are demand-driven: a call site asks for the canonical
// name of its callee and the folded values of its arguments, and each question follows
// bindings only as far as it needs, memoised, within the budget's depth and step bounds.

/** Sentinel for "the global object": `globalThis.eval` and a free `eval` are both `eval`. */
const ROOT = '';

/** Folds a call from its arguments; `list` folds an argument that is a list of constants. */
export type Decoder = (args: ArgExpr[], fold: (e: Expr) => string | null, list: (e: Expr) => string[] | null) => string | null;

export const arg0 = (args: ArgExpr[], fold: (e: Expr) => string | null): string | null =>
  args[0] && !args[0].spread ? fold(args[0].expr) : null;

export const base64: Decoder = (args, fold) => {
  const v = arg0(args, fold);
  return v === null ? null : fromBase64(v);
};
export const hex: Decoder = (args, fold) => {
  const v = arg0(args, fold);
  return v === null ? null : fromHex(v);
};

/** What a language's own folds may ask: the value of an expression, or the items of a list. */
export interface FoldHelpers {
  fold(e: Expr): string | null;
  list(e: Expr): string[] | null;
}

/** A language's own folds: calls by canonical name, and methods by name given their receiver. */
export interface LanguageFolds {
  calls?: ReadonlyMap<string, (args: ArgExpr[], h: FoldHelpers) => string | null>;
  methods?: ReadonlyMap<string, (receiver: Expr, args: ArgExpr[], h: FoldHelpers) => string | null>;
}

/** Language folds from decoders (calls by their arguments) and methods on a constant receiver. */
export function foldsOf(decoders: ReadonlyMap<string, Decoder>, methods: ReadonlyMap<string, Method> = new Map()): LanguageFolds {
  return {
    calls: new Map([...decoders].map(([name, d]) => [name, (args: ArgExpr[], h: FoldHelpers) => d(args, h.fold, h.list)])),
    methods: new Map(
      [...methods].map(([name, m]) => [
        name,
        (receiver: Expr, args: ArgExpr[], h: FoldHelpers) => {
          const self = h.fold(receiver);
          return self === null ? null : m(self, args, h.fold);
        },
      ]),
    ),
  };
}

/** Calls to these canonical names fold when their arguments do. */
const DECODERS: ReadonlyMap<string, Decoder> = new Map(
  Object.entries({
  'String.fromCharCode': (args, fold) => {
    const codes = args.map((a) => (a.spread ? NaN : Number(fold(a.expr) ?? NaN)));
    return codes.every((c) => Number.isInteger(c) && c >= 0 && c <= 0xffff) ? String.fromCharCode(...codes) : null;
  },
  atob: (args, fold) => {
    const v = arg0(args, fold);
    return v === null ? null : fromBase64Binary(v);
  },
  'Buffer.from': (args, fold) => {
    const v = arg0(args, fold);
    const encoding = args.length > 1 ? fold(args[1]!.expr) : 'utf8';
    if (v === null || encoding === null) return null;
    if (encoding === 'base64' || encoding === 'base64url') return fromBase64(v);
    if (encoding === 'hex') return fromHex(v);
    return encoding === 'utf8' || encoding === 'utf-8' ? v : null;
  },
  String: arg0,
  str: arg0,
  'base64.b64decode': base64,
  'base64.standard_b64decode': base64,
  'base64.urlsafe_b64decode': base64,
  'base64.decodebytes': base64,
  'bytes.fromhex': hex,
  'binascii.unhexlify': hex,
  'binascii.a2b_hex': hex,
  'binascii.a2b_base64': base64,
  } satisfies Record<string, Decoder>),
);

/** Methods that fold on a constant receiver. */
export type Method = (self: string, args: ArgExpr[], fold: (e: Expr) => string | null) => string | null;
const METHODS: ReadonlyMap<string, Method> = new Map<string, Method>([
  ['toString', (self) => self],
  ['decode', (self) => self],
  ['encode', (self) => self],
  ['toLowerCase', (self) => self.toLowerCase()],
  ['lower', (self) => self.toLowerCase()],
  ['toUpperCase', (self) => self.toUpperCase()],
  ['upper', (self) => self.toUpperCase()],
  ['trim', (self) => self.trim()],
  ['strip', (self) => self.trim()],
  ['concat', (self, args, fold) => {
    const rest = args.map((a) => (a.spread ? null : fold(a.expr)));
    return rest.every((r) => r !== null) ? self + rest.join('') : null;
  }],
]);

const STRENGTH = { literal: 0, joined: 1, decoded: 2 } as const;
const stronger = <T extends keyof typeof STRENGTH>(a: T, b: T): T => (STRENGTH[a] >= STRENGTH[b] ? a : b);

export class Passes {
  private readonly refs = new Map<Expr, string | null>();
  private readonly folds = new Map<Expr, string | null>();
  private readonly inProgress = new Set<Binding>();
  private depth = 0;

  constructor(
    private readonly fe: FrontEnd,
    private readonly budget: Budget,
  ) {}

  /** The canonical dotted name an expression denotes (`child_process.exec`), or null. */
  canonical(expr: Expr): string | null {
    const ref = this.ref(expr);
    return ref === null || ref === ROOT ? null : ref;
  }

  /** The constant text an expression folds to, or null when any part of it is dynamic. */
  fold(expr: Expr): string | null {
    return this.memo(this.folds, expr, () => this.foldUncached(expr));
  }

  /**
   * How a constant was made: `decoded` when a call (a decoder, a method) computed any part of it,
   * `joined` when two or more pieces were concatenated, else `literal` (one literal, maybe reached
   * through names). Module loaders do not count: `require('fs')` is still the literal 'fs'.
   */
  derivation(expr: Expr): 'literal' | 'joined' | 'decoded' {
    const seen = new Set<Binding>();
    let depth = 0;
    const walk = (e: Expr): 'literal' | 'joined' | 'decoded' => {
      this.budget.tick();
      this.budget.depth(++depth);
      try {
        return step(e);
      } finally {
        depth--;
      }
    };
    const step = (e: Expr): 'literal' | 'joined' | 'decoded' => {
      switch (e.k) {
        case 'name': {
          let out: 'literal' | 'joined' | 'decoded' = 'literal';
          for (const b of e.scope.lookup(e.name) ?? []) {
            if (b.k !== 'value' || seen.has(b)) continue;
            seen.add(b);
            out = stronger(out, walk(b.get()));
          }
          return out;
        }
        case 'concat': {
          const pieces = e.parts.filter((p) => !(p.k === 'lit' && p.value === ''));
          const inner = pieces.map(walk).reduce(stronger, 'literal');
          return pieces.length > 1 ? stronger(inner, 'joined') : inner;
        }
        case 'call': {
          const callee = this.canonical(e.callee);
          if (callee !== null && this.fe.moduleLoaders.has(callee)) return e.args[0] ? walk(e.args[0].expr) : 'literal';
          return 'decoded';
        }
        case 'member':
          return stronger(walk(e.object), walk(e.prop));
        default:
          return 'literal';
      }
    };
    return walk(expr);
  }

  private ref(expr: Expr): string | null {
    return this.memo(this.refs, expr, () => this.refUncached(expr));
  }

  private memo(cache: Map<Expr, string | null>, expr: Expr, compute: () => string | null): string | null {
    if (cache.has(expr)) return cache.get(expr)!;
    this.budget.tick();
    this.budget.depth(++this.depth);
    try {
      const out = compute();
      cache.set(expr, out);
      return out;
    } finally {
      this.depth--;
    }
  }

  /** One answer for every binding of a name, or null when they disagree or one is opaque. */
  private throughBindings(bindings: Binding[], ask: (e: Expr) => string | null): string | null {
    let answer: string | null = null;
    for (const b of bindings) {
      if (b.k === 'opaque' || this.inProgress.has(b)) return null;
      this.inProgress.add(b);
      let got: string | null;
      try {
        got = ask(b.get());
      } finally {
        this.inProgress.delete(b);
      }
      if (got === null || (answer !== null && got !== answer)) return null;
      answer = got;
    }
    return answer;
  }

  private module(name: string): string {
    return this.fe.rootModules.has(name) ? ROOT : this.fe.moduleName(name);
  }

  private refUncached(expr: Expr): string | null {
    switch (expr.k) {
      case 'name': {
        const bindings = expr.scope.lookup(expr.name);
        if (bindings === null) return this.fe.globalObjects.has(expr.name) ? ROOT : expr.name;
        return this.throughBindings(bindings, (e) => this.ref(e));
      }
      case 'module':
        return this.module(expr.name);
      case 'member': {
        const object = this.ref(expr.object);
        const prop = object === null ? null : this.fold(expr.prop);
        if (object === null || prop === null || prop === '') return null;
        return object === ROOT ? prop : `${object}.${prop}`;
      }
      case 'call': {
        const callee = this.canonical(expr.callee);
        if (callee === null) return null;
        if (this.fe.moduleLoaders.has(callee)) {
          const name = arg0(expr.args, (e) => this.fold(e));
          return name === null ? null : this.module(name);
        }
        const made = this.fe.instanceOf?.(expr, callee);
        if (made) return made;
        if (this.fe.memberGetters.has(callee) && expr.args.length >= 2 && !expr.args.some((a) => a.spread)) {
          return this.ref({ k: 'member', object: expr.args[0]!.expr, prop: expr.args[1]!.expr });
        }
        return null;
      }
      default:
        return null;
    }
  }

  private foldUncached(expr: Expr): string | null {
    switch (expr.k) {
      case 'lit':
        return expr.value;
      case 'name': {
        const bindings = expr.scope.lookup(expr.name);
        return bindings === null ? null : this.throughBindings(bindings, (e) => this.fold(e));
      }
      case 'concat': {
        let out = '';
        for (const part of expr.parts) {
          const v = this.fold(part);
          if (v === null) return null;
          out += v;
        }
        return out;
      }
      case 'call':
        return this.foldCall(expr);
      default:
        return null;
    }
  }

  /** The items of a constant list (`['a', 'b']`, `'a b'.split(' ')`, `.reverse()`), or null. */
  private foldList(expr: Expr): string[] | null {
    this.budget.tick();
    if (expr.k === 'list') {
      const items = expr.items.map((item) => this.fold(item));
      return items.every((i) => i !== null) ? (items as string[]) : null;
    }
    if (expr.k === 'name') {
      const bindings = expr.scope.lookup(expr.name);
      if (bindings?.length !== 1 || bindings[0]!.k !== 'value' || this.inProgress.has(bindings[0]!)) return null;
      const b = bindings[0]!;
      this.inProgress.add(b);
      try {
        return this.foldList(b.get());
      } finally {
        this.inProgress.delete(b);
      }
    }
    if (expr.k === 'call' && expr.callee.k === 'member') {
      const method = this.fold(expr.callee.prop);
      if (method === 'reverse') return this.foldList(expr.callee.object)?.slice().reverse() ?? null;
      if (method === 'split') {
        const self = this.fold(expr.callee.object);
        const sep = arg0(expr.args, (e) => this.fold(e));
        return self === null || sep === null ? null : self.split(sep);
      }
    }
    return null;
  }

  private foldCall(expr: Expr & { k: 'call' }): string | null {
    const fold = (e: Expr): string | null => this.fold(e);
    const callee = this.canonical(expr.callee);
    const own = this.fe.folds;
    const h: FoldHelpers = { fold, list: (e) => this.foldList(e) };
    const ownCall = callee === null ? undefined : own?.calls?.get(callee);
    if (ownCall) return ownCall(expr.args, h);
    const decoder = callee === null ? undefined : DECODERS.get(callee);
    if (decoder) return decoder(expr.args, fold, (e) => this.foldList(e));
    if (expr.callee.k !== 'member') return null;
    const method = this.fold(expr.callee.prop);
    const ownMethod = method === null ? undefined : own?.methods?.get(method);
    if (ownMethod) return ownMethod(expr.callee.object, expr.args, h);
    if (method === 'join') {
      // JavaScript: list.join(sep = ','); Python: sep.join(list).
      const items = this.foldList(expr.callee.object);
      if (items) {
        const sep = expr.args.length === 0 ? ',' : arg0(expr.args, fold);
        return sep === null ? null : items.join(sep);
      }
      const sep = this.fold(expr.callee.object);
      const pyItems = expr.args[0] && !expr.args[0].spread ? this.foldList(expr.args[0].expr) : null;
      return sep === null || pyItems === null ? null : pyItems.join(sep);
    }
    const apply = method === null ? undefined : METHODS.get(method);
    if (!apply) return null;
    const self = this.fold(expr.callee.object);
    return self === null ? null : apply(self, expr.args, fold);
  }
}

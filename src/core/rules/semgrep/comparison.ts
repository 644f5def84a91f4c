import type { SgNode } from '@ast-grep/napi';

// Semgrep's `metavariable-comparison`, the documented subset: integers, strings, metavariables,
// `int(…)`, `str(…)`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `and`, `or`, `not` and parentheses.
// Parsed when the rule loads (anything else is refused there) and evaluated on each match.

export type Operand =
  | { k: 'int'; value: bigint }
  | { k: 'str'; value: string }
  | { k: 'var'; name: string }
  | { k: 'int()' | 'str()'; arg: Operand };

export type Comparison =
  | { k: 'cmp'; op: '==' | '!=' | '<' | '<=' | '>' | '>='; left: Operand; right: Operand }
  | { k: 'and' | 'or'; left: Comparison; right: Comparison }
  | { k: 'not'; inner: Comparison }
  | { k: 'test'; operand: Operand };

const TOKEN = /\s*(?:(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|\d[\d_]*)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(\$[A-Z_][A-Z0-9_]*)|(==|!=|<=|>=|<|>|\(|\)|,)|([A-Za-z_][\w.]*))/y;

/** Parses a comparison; throws an Error whose message says what is not in the subset. */
export function parseComparison(source: string): Comparison {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    if (!m) {
      if (source.slice(at).trim() === '') break;
      throw new Error(`unexpected \`${source.slice(at).trim().slice(0, 20)}\``);
    }
    tokens.push(m[0].trim());
  }
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const expect = (t: string): void => {
    if (tokens[i] !== t) throw new Error(`expected \`${t}\`${tokens[i] ? ` before \`${tokens[i]}\`` : ' at the end'}`);
    i++;
  };
  const operand = (): Operand => {
    const t = tokens[i++];
    if (t === undefined) throw new Error('expected a value at the end');
    if (/^\d|^0[xXoO]/.test(t)) return { k: 'int', value: BigInt(t.replaceAll('_', '').replace(/^0[oO]/, '0o')) };
    if (/^["']/.test(t)) return { k: 'str', value: t.slice(1, -1).replace(/\\(.)/g, '$1') };
    if (t.startsWith('$')) return { k: 'var', name: t.slice(1) };
    if (t === 'int' || t === 'str') {
      expect('(');
      const arg = operand();
      if (peek() === ',') throw new Error(`${t}() with a base or more arguments is not supported`);
      expect(')');
      return { k: `${t}()`, arg };
    }
    throw new Error(`\`${t}\` is not supported (only integers, strings, metavariables, int(), str(), comparisons, and, or, not)`);
  };
  const atom = (): Comparison => {
    if (peek() === 'not') {
      i++;
      return { k: 'not', inner: atom() };
    }
    if (peek() === '(') {
      i++;
      const inner = disjunction();
      expect(')');
      return inner;
    }
    const left = operand();
    const op = peek();
    if (op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=') {
      i++;
      return { k: 'cmp', op, left, right: operand() };
    }
    return { k: 'test', operand: left };
  };
  const conjunction = (): Comparison => {
    let left = atom();
    while (peek() === 'and') {
      i++;
      left = { k: 'and', left, right: atom() };
    }
    return left;
  };
  const disjunction = (): Comparison => {
    let left = conjunction();
    while (peek() === 'or') {
      i++;
      left = { k: 'or', left, right: conjunction() };
    }
    return left;
  };
  if (tokens.length === 0) throw new Error('empty comparison');
  const out = disjunction();
  if (i < tokens.length) throw new Error(`unexpected \`${tokens[i]}\``);
  return out;
}

/** Metavariables a comparison reads (names without `$`). */
export function comparisonVariables(c: Comparison): string[] {
  const ofOperand = (o: Operand): string[] => (o.k === 'var' ? [o.name] : o.k === 'int()' || o.k === 'str()' ? ofOperand(o.arg) : []);
  switch (c.k) {
    case 'cmp':
      return [...ofOperand(c.left), ...ofOperand(c.right)];
    case 'and':
    case 'or':
      return [...comparisonVariables(c.left), ...comparisonVariables(c.right)];
    case 'not':
      return comparisonVariables(c.inner);
    case 'test':
      return ofOperand(c.operand);
  }
}

type Value = bigint | string;

/** A literal's value: an integer (decimal, hex, octal, `_` separators) or the text as written. */
export function literalValue(text: string): Value {
  const t = text.trim().replace(/[lLuU]+$/, '');
  if (/^-?\d[\d_]*$/.test(t) || /^-?0[xX][0-9a-fA-F_]+$/.test(t) || /^-?0[oO][0-7_]+$/.test(t)) {
    const negative = t.startsWith('-');
    const body = t.replace(/^-/, '').replaceAll('_', '');
    const n = /^0\d/.test(body) ? BigInt(`0o${body.slice(1)}`) : BigInt(body.replace(/^0[oO]/, '0o'));
    return negative ? -n : n;
  }
  return text;
}

function toInt(v: Value): bigint | null {
  if (typeof v === 'bigint') return v;
  const parsed = literalValue(v);
  return typeof parsed === 'bigint' ? parsed : null;
}

/**
 * Evaluates a comparison; `bound` gives a metavariable's value (null when it has none, which
 * makes the comparison false, as when Semgrep cannot evaluate it).
 */
export function evaluateComparison(c: Comparison, bound: (name: string) => Value | null): boolean {
  const value = (o: Operand): Value | null => {
    switch (o.k) {
      case 'int':
      case 'str':
        return o.value;
      case 'var':
        return bound(o.name);
      case 'int()': {
        const v = value(o.arg);
        return v === null ? null : toInt(v);
      }
      case 'str()': {
        const v = value(o.arg);
        return v === null ? null : String(v);
      }
    }
  };
  switch (c.k) {
    case 'and':
      return evaluateComparison(c.left, bound) && evaluateComparison(c.right, bound);
    case 'or':
      return evaluateComparison(c.left, bound) || evaluateComparison(c.right, bound);
    case 'not':
      return !evaluateComparison(c.inner, bound);
    case 'test': {
      const v = value(c.operand);
      return v !== null && v !== '' && v !== 0n;
    }
    case 'cmp': {
      let left = value(c.left);
      let right = value(c.right);
      if (left === null || right === null) return false;
      // An integer compares with the integer a string spells, as Semgrep compares literal values.
      if (typeof left !== typeof right) {
        const l = toInt(left);
        const r = toInt(right);
        if (l === null || r === null) return c.op === '!=';
        left = l;
        right = r;
      }
      switch (c.op) {
        case '==':
          return left === right;
        case '!=':
          return left !== right;
        case '<':
          return left < right;
        case '<=':
          return left <= right;
        case '>':
          return left > right;
        case '>=':
          return left >= right;
      }
    }
  }
}

/** A string literal's content; other text as written. */
function unquote(text: string): string {
  const m = /^(?:[a-zA-Z]{0,2})(["'`])([\s\S]*)\1$/.exec(text.trim());
  return m ? m[2]! : text;
}

/**
 * The predicate a match must pass: every comparison holds, each metavariable read as the literal
 * it is bound to, or else as the constant `fold` finds for it (the semantic layer).
 */
export function comparisonFilter(
  sources: readonly string[],
  fold: (node: SgNode) => string | null,
): (get: (name: string) => SgNode | null) => boolean {
  const parsed = sources.map(parseComparison);
  return (get) => {
    const cache = new Map<string, Value | null>();
    const bound = (name: string): Value | null => {
      if (cache.has(name)) return cache.get(name)!;
      const node = get(name);
      let out: Value | null = null;
      if (node) {
        const literal = literalValue(unquote(node.text()));
        const looksLiteral = typeof literal === 'bigint' || /^(?:[a-zA-Z]{0,2})["'`]/.test(node.text().trim());
        const folded = looksLiteral ? null : fold(node);
        out = looksLiteral ? literal : folded === null ? null : literalValue(folded);
      }
      cache.set(name, out);
      return out;
    };
    return parsed.every((c) => evaluateComparison(c, bound));
  };
}

import { parse, type SgNode } from '@ast-grep/napi';
import type { Language } from '../rules/schema.js';
import { astLang } from '../scan/ast-languages.js';
import { Budget, DEFAULT_LIMITS, GaveUp, type Limits } from './budget.js';
import { Cx, walk, type FrontEnd } from './frontend.js';
import type { Expr } from './ir.js';
import { javascript } from './javascript.js';
import { Passes } from './passes.js';
import { python } from './python.js';

// The semantic layer's public face: every call in a file, with the canonical name of what it
// calls (however the callee was spelled or imported) and the folded value of each argument.

export type { Limits } from './budget.js';

const FRONT_ENDS: Partial<Record<Language, FrontEnd>> = {
  javascript,
  typescript: javascript,
  tsx: javascript,
  python,
};

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface FoldedArg {
  /** The argument's constant value, when it is built only from constants; else null. */
  value: string | null;
  /** True when the value depends on anything but constants. */
  dynamic: boolean;
  /** True when the value was computed (concatenated, joined, decoded), not written as one literal. */
  computed: boolean;
  /** Python keyword arguments: the keyword; null for positional arguments. */
  keyword: string | null;
}

export interface ResolvedCall {
  /** What the call calls, as a dotted name (`child_process.exec`, `os.system`, `eval`); null if unknown. */
  canonical: string | null;
  /** The callee as written. */
  callee: string;
  /** The whole call as written. */
  text: string;
  range: { start: Position; end: Position };
  args: FoldedArg[];
}

export interface CallsResult {
  calls: ResolvedCall[];
  /** Why the analysis stopped early, or null. When set, `calls` is incomplete: the file is not reviewed. */
  gaveUp: string | null;
}

export function semanticsSupports(language: Language): boolean {
  return FRONT_ENDS[language] !== undefined;
}

function position(p: { line: number; column: number }): Position {
  return { line: p.line + 1, column: p.column + 1 };
}

/**
 * All calls in a file, resolved and folded. `tree` is the root ast-grep already parsed (shared
 * with pattern rules) or the source text. Bounded by `limits`; past them the result says so.
 */
export function callsIn(tree: SgNode | string, language: Language, limits: Partial<Limits> = {}): CallsResult {
  const fe = FRONT_ENDS[language];
  if (!fe) throw new Error(`the semantic layer does not support ${language} yet`);
  const root = typeof tree === 'string' ? parse(astLang(language), tree).root() : tree;
  const budget = new Budget({ ...DEFAULT_LIMITS, ...limits });
  const calls: ResolvedCall[] = [];
  try {
    const cx = new Cx(fe, budget);
    const passes = new Passes(fe, budget);
    for (const site of walk(root, cx)) {
      const range = site.node.range();
      calls.push({
        canonical: passes.canonical(site.expr.callee),
        callee: site.node.field('function')?.text() ?? site.node.field('constructor')?.text() ?? '',
        text: site.node.text(),
        range: { start: position(range.start), end: position(range.end) },
        args: site.expr.args.map((a) => {
          const value = a.spread ? null : passes.fold(a.expr);
          return { value, dynamic: value === null, computed: value !== null && !isLiteral(a.expr), keyword: a.keyword };
        }),
      });
    }
  } catch (err) {
    if (err instanceof GaveUp) return { calls, gaveUp: err.reason };
    throw err;
  }
  return { calls, gaveUp: null };
}

function isLiteral(expr: Expr): boolean {
  return expr.k === 'lit';
}

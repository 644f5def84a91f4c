import { parse, type SgNode } from '@ast-grep/napi';
import type { Language } from '../rules/schema.js';
import { escapeRegexLiteral } from '../text.js';
import { astLang } from '../scan/ast-languages.js';
import { Budget, DEFAULT_LIMITS, GaveUp, type Limits } from './budget.js';
export { GaveUp } from './budget.js';
import { Cx, walk, type FrontEnd } from './frontend.js';
import type { CallSite } from './ir.js';
import { javascript } from './javascript.js';
import { Passes } from './passes.js';
import { php } from './php.js';
import { python } from './python.js';
import { ruby } from './ruby.js';
import { go } from './go.js';
import { java } from './java.js';

// The semantic layer's public face: every call in a file, with the canonical name of what it
// calls (however the callee was spelled or imported) and the folded value of each argument.

export type { Limits } from './budget.js';

const FRONT_ENDS: Partial<Record<Language, FrontEnd>> = {
  javascript,
  typescript: javascript,
  tsx: javascript,
  python,
  ruby,
  php,
  go,
  java,
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

/** The front end of a language, or undefined where the semantic layer has none. */
export function frontEndOf(language: Language): FrontEnd | undefined {
  return FRONT_ENDS[language];
}

export function semanticsSupports(language: Language): boolean {
  return FRONT_ENDS[language] !== undefined;
}

function position(p: { line: number; column: number }): Position {
  return { line: p.line + 1, column: p.column + 1 };
}

const wordCache = new Map<string, RegExp>();

function wordPattern(word: string, keyword: boolean): RegExp {
  const key = `${keyword ? '(' : ''}${word}`;
  let re = wordCache.get(key);
  if (!re) {
    re = new RegExp(`(?<![\\w$])${escapeRegexLiteral(word)}${keyword ? '\\s*\\(' : '(?![\\w$])'}`);
    if (wordCache.size > 1000) wordCache.clear();
    wordCache.set(key, re);
  }
  return re;
}

/**
 * Can any call in `text` resolve to one of `names`? False only when it certainly cannot. Every
 * resolution starts at a global or a module, named in the text (`eval`, `from os import …`,
 * `'node:child_process'`) unless reached through a loader or the global object (`require`,
 * `import(`, `getattr`, `globalThis`, …), and ends in a member named in the text unless the name
 * is computed, which takes a reflective call or, where the language allows it on modules and
 * globals, a subscript (`cp['ex' + 'ec']`). A cheap text test that lets most files skip the analysis.
 */
export function mayReach(text: string, language: Language, names: readonly string[]): boolean {
  const fe = FRONT_ENDS[language];
  if (!fe) return false;
  const first = (name: string): string => fe.anchor?.(name) ?? name.split('.')[0]!;
  const reach = [...fe.globalObjects, ...fe.rootModules, ...[...fe.moduleLoaders, ...fe.memberGetters].map(first)];
  if (reach.some((w) => wordPattern(w, fe.keywordLoaders.has(w)).test(text)) || fe.reach?.test(text)) return true;
  const subscripted = fe.subscriptsReachMembers && text.includes('[');
  const word = (w: string): RegExp => (fe.namesIgnoreCase ? new RegExp(wordPattern(w, false).source, 'i') : wordPattern(w, false));
  return names.some((name) => {
    const last = name.slice(name.lastIndexOf('.') + 1);
    return word(first(name)).test(text) && (subscripted || word(last).test(text));
  });
}

/**
 * One file's semantic facts, queried on demand: the walk runs once; a call's callee and its
 * arguments are converted and resolved only when asked for. Any query may throw GaveUp.
 */
export class FileSemantics {
  readonly sites: readonly CallSite[];
  /** The conversion context and the passes, for further passes (taint) over the same walk. */
  readonly cx: Cx;
  readonly passes: Passes;

  constructor(tree: SgNode | string, language: Language, limits: Partial<Limits> = {}) {
    const fe = FRONT_ENDS[language];
    if (!fe) throw new Error(`the semantic layer does not support ${language} yet`);
    const root = typeof tree === 'string' ? parse(astLang(language), tree).root() : tree;
    const budget = new Budget({ ...DEFAULT_LIMITS, ...limits });
    this.cx = new Cx(fe, budget);
    this.passes = new Passes(fe, budget);
    this.sites = walk(root, this.cx);
  }

  /** Lines the call spans, 1-based, without converting anything. */
  lines(site: CallSite): { start: number; end: number } {
    const r = site.node.range();
    return { start: r.start.line + 1, end: r.end.line + 1 };
  }

  /**
   * False when the call certainly does not resolve to a name ending in one of `lastNames`: its
   * callee is a member access with a plain property name that is not among them. Cheap.
   */
  mayEndIn(site: CallSite, lastNames: ReadonlySet<string>): boolean {
    const callee = site.node.field(site.parts.callee);
    const property = callee && this.cx.fe.plainProperty(callee);
    return property === null || property === undefined || lastNames.has(property);
  }

  canonical(site: CallSite): string | null {
    return this.passes.canonical(this.cx.expr(site.node.field(site.parts.callee), site.scope));
  }

  args(site: CallSite): FoldedArg[] {
    return this.cx.fe.args(site.node.field(site.parts.args), site.scope, this.cx).map((a) => {
      const value = a.spread ? null : this.passes.fold(a.expr);
      return { value, dynamic: value === null, computed: value !== null && a.expr.k !== 'lit', keyword: a.keyword };
    });
  }

  /** Everything about one call. */
  resolve(site: CallSite): ResolvedCall {
    const range = site.node.range();
    return {
      canonical: this.canonical(site),
      callee: site.node.field(site.parts.callee)?.text() ?? '',
      text: site.node.text(),
      range: { start: position(range.start), end: position(range.end) },
      args: this.args(site),
    };
  }
}

/**
 * All calls in a file, resolved and folded. `tree` is the root ast-grep already parsed (shared
 * with pattern rules) or the source text. Bounded by `limits`; past them the result says so.
 */
export function callsIn(tree: SgNode | string, language: Language, limits: Partial<Limits> = {}): CallsResult {
  const calls: ResolvedCall[] = [];
  try {
    const file = new FileSemantics(tree, language, limits);
    for (const site of file.sites) calls.push(file.resolve(site));
  } catch (err) {
    if (err instanceof GaveUp) return { calls, gaveUp: err.reason };
    throw err;
  }
  return { calls, gaveUp: null };
}

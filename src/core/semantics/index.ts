import { parse, type SgNode } from '@ast-grep/napi';
import type { Language } from '../rules/schema.js';
import { escapeRegexLiteral } from '../text.js';
import { astLang } from '../scan/ast-languages.js';
import { Budget, DEFAULT_LIMITS, GaveUp, type Limits } from './budget.js';
export { GaveUp } from './budget.js';
import { Cx, named, walk, type FrontEnd } from './frontend.js';
import type { ArgExpr, CallSite, Expr } from './ir.js';
import { javascript } from './languages/javascript.js';
import { Passes } from './passes.js';
import { php } from './languages/php.js';
import { python } from './languages/python.js';
import { ruby } from './languages/ruby.js';
import { go } from './languages/go.js';
import { java } from './languages/java.js';
import { bash } from './languages/bash.js';

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
  bash,
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
  /** True when a call (a decoder, a method) computed part of the value, not only concatenation. */
  decoded: boolean;
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

/**
 * A word of source text that is not part of a longer name (a `$` before it is allowed: Bash's
 * `$TOKEN`, PHP's `$_GET`), or with `keyword` a call of it (`require (`). Cached: the pre-filters
 * ask the same words of every file.
 */
export function wordPattern(word: string, { keyword = false, ignoreCase = false } = {}): RegExp {
  const key = `${keyword ? '(' : ''}${ignoreCase ? 'i' : ''}:${word}`;
  let re = wordCache.get(key);
  if (!re) {
    re = new RegExp(`(?<!\\w)${escapeRegexLiteral(word)}${keyword ? '\\s*\\(' : '(?![\\w$])'}`, ignoreCase ? 'i' : '');
    if (wordCache.size > 2000) wordCache.clear();
    wordCache.set(key, re);
  }
  return re;
}

/** The identifiers of the last text asked about (the rules of one file ask in turn), as written and lower-cased. */
let lastWords: { text: string; exact: Set<string>; lower: Set<string> } | null = null;

function wordsOf(text: string): { exact: Set<string>; lower: Set<string> } {
  if (lastWords?.text !== text) {
    const exact = new Set<string>();
    for (const m of text.matchAll(/\w+/g)) {
      // As in wordPattern: a name followed by `$` is part of a longer name.
      if (text[m.index + m[0].length] !== '$') exact.add(m[0]);
    }
    lastWords = { text, exact, lower: new Set([...exact].map((w) => w.toLowerCase())) };
  }
  return lastWords;
}

/**
 * Whether `text` contains `word` as `wordPattern` finds it. Plain identifiers are looked up in
 * the text's words, split once; anything else (a keyword call, a dotted or namespaced name) is
 * searched with the pattern.
 */
export function hasWord(text: string, word: string, options: { keyword?: boolean; ignoreCase?: boolean } = {}): boolean {
  if (options.keyword || !/^\w+$/.test(word)) return wordPattern(word, options).test(text);
  const words = wordsOf(text);
  return options.ignoreCase ? words.lower.has(word.toLowerCase()) : words.exact.has(word);
}

/**
 * Can any call in `text` resolve to one of `names`? False only when it certainly cannot. Every
 * resolution starts at a global or a module, named in the text (`eval`, `from os import …`,
 * `'node:child_process'`) unless reached through a loader or the global object (`require`,
 * `import(`, `getattr`, `globalThis`, …), and ends in a member named in the text unless the name
 * is computed, which takes a reflective call or, where the language allows it on modules and
 * globals, a subscript (`cp['ex' + 'ec']`). A cheap text test that lets most files skip the analysis.
 */
/** The word a file must contain to reach a canonical name (its first segment, unless the front end says otherwise). */
export function anchorOf(language: Language, name: string): string {
  return FRONT_ENDS[language]?.anchor?.(name) ?? name.split('.')[0]!;
}

/** A call with one plain string literal and nothing else: `('child_process')`, `("os")`. */
const LITERAL_CALL = /^\s*\(\s*(?:'[^'\\\r\n]*'|"[^"\\\r\n]*")\s*\)/;

/**
 * Whether a module loader in `text` may load a module whose name is not written there: some use
 * of it is other than a call with one plain string literal (`require(name)`, `require('a' + b)`,
 * `const r = require`, a template or an escape in the name). A module every use names as a
 * literal is named in the text, where the test of each name finds it. A keyword loader
 * (`import(…)`) is used only where it is called.
 */
function loaderMayCompute(text: string, word: string, keyword: boolean): boolean {
  if (!hasWord(text, word, { keyword })) return false;
  if (!/^\w+$/.test(word)) return true;
  const uses = new RegExp(`(?<![\\w$])${word}${keyword ? '(?=\\s*\\()' : '(?![\\w$])'}`, 'g');
  for (const use of text.matchAll(uses)) {
    const after = use.index + word.length;
    // A literal longer than this window counts as computed: the test stays cheap, and errs only towards analysing.
    if (!LITERAL_CALL.test(text.slice(after, after + 400))) return true;
  }
  return false;
}

export function mayReach(text: string, language: Language, names: readonly string[]): boolean {
  return mayReachEach(text, language, [names])[0]!;
}

/**
 * `mayReach` for several groups of names at once (one group per rule): the tests that do not
 * depend on the names run once, so a file costs one reach test per name, not per rule and name.
 */
export function mayReachEach(text: string, language: Language, groups: readonly (readonly string[])[]): boolean[] {
  const fe = FRONT_ENDS[language];
  if (!fe) return groups.map(() => false);
  const first = (name: string): string => anchorOf(language, name);
  const reach = [...fe.globalObjects, ...fe.rootModules, ...[...fe.memberGetters].map(first)];
  // A loader is called by its last name (`module.require(…)`, `Module._load(…)`), or reached by a getter above.
  const loaders = [...fe.moduleLoaders].map((name) => name.slice(name.lastIndexOf('.') + 1));
  if (reach.some((w) => hasWord(text, w)) || loaders.some((w) => loaderMayCompute(text, w, fe.keywordLoaders.has(w))) || fe.reach?.test(text)) {
    return groups.map(() => true);
  }
  const subscripted = fe.subscriptsReachMembers && text.includes('[');
  const has = (w: string): boolean => hasWord(text, w, { ignoreCase: fe.namesIgnoreCase === true });
  const named = new Map<string, boolean>();
  const nameMayReach = (name: string): boolean => {
    let found = named.get(name);
    if (found === undefined) {
      const last = name.slice(name.lastIndexOf('.') + 1);
      found = has(first(name)) && (subscripted || has(last));
      named.set(name, found);
    }
    return found;
  };
  return groups.map((names) => names.some(nameMayReach));
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
  /** The tree the walk ran over, for passes that search it further. */
  readonly root: SgNode;

  constructor(tree: SgNode | string, language: Language, limits: Partial<Limits> = {}) {
    const fe = FRONT_ENDS[language];
    if (!fe) throw new Error(`the semantic layer does not support ${language} yet`);
    this.root = typeof tree === 'string' ? parse(astLang(language), tree).root() : tree;
    const budget = new Budget({ ...DEFAULT_LIMITS, ...limits });
    this.cx = new Cx(fe, budget);
    this.passes = new Passes(fe, budget);
    this.sites = walk(this.root, this.cx);
  }

  /** Lines the call spans, 1-based, without converting anything. */
  lines(site: CallSite): { start: number; end: number } {
    return { start: site.start, end: site.end };
  }

  /**
   * False when the call certainly does not resolve to a name ending in one of `lastNames`: its
   * callee is a member access with a plain property name that is not among them. Cheap.
   */
  mayEndIn(site: CallSite, lastNames: ReadonlySet<string>): boolean {
    const property = this.plainProperty(site);
    return property === null || lastNames.has(property);
  }

  /** The callee as written: a node, or null for a builtin named by the front end (`echo`). */
  calleeNode(site: CallSite): SgNode | null {
    if (site.builtin) return typeof site.builtin.callee === 'string' ? null : site.builtin.callee;
    // Asked by the property test, the conversion and the owners of nodes: the tree is asked once.
    return this.cx.partOf(site.node, site.parts.callee);
  }

  /** The callee converted: a builtin is its canonical name, free. */
  calleeExpr(site: CallSite): Expr {
    if (typeof site.builtin?.callee === 'string') return { k: 'name', name: site.builtin.callee, scope: this.cx.root };
    let expr = this.calleeExprs.get(site);
    if (!expr) this.calleeExprs.set(site, (expr = this.cx.expr(this.calleeNode(site), site.scope)));
    return expr;
  }

  /** The callee's plain property name, or null; asked of the tree once per call, whatever the number of rules. */
  plainProperty(site: CallSite): string | null {
    let property = this.properties.get(site);
    if (property === undefined) {
      const callee = this.calleeNode(site);
      property = (callee && this.cx.fe.plainProperty(callee)) ?? null;
      this.properties.set(site, property);
    }
    return property;
  }

  /** True when the callee's name was built (joined or decoded), not written or aliased as one name. */
  calleeBuilt(site: CallSite): boolean {
    return this.passes.derivation(this.calleeExpr(site)) !== 'literal';
  }

  canonical(site: CallSite): string | null {
    let canonical = this.canonicals.get(site);
    if (canonical === undefined) {
      const builtin = site.builtin?.callee;
      canonical = typeof builtin === 'string' ? builtin : this.passes.canonical(this.calleeExpr(site));
      this.canonicals.set(site, canonical);
    }
    return canonical;
  }

  private readonly properties = new Map<CallSite, string | null>();
  private readonly calleeExprs = new Map<CallSite, Expr>();
  private readonly canonicals = new Map<CallSite, string | null>();
  private readonly argLists = new Map<CallSite, ArgExpr[]>();

  /** The call's arguments, converted once whatever the number of rules that ask. */
  argExprs(site: CallSite): ArgExpr[] {
    let args = this.argLists.get(site);
    if (!args) {
      const builtin = site.builtin;
      const { cx } = this;
      args = cx.lazyArgs(() =>
        builtin ? builtin.args.map((node) => cx.arg(() => cx.expr(node, site.scope))) : cx.fe.args(cx.partOf(site.node, site.parts.args), site.scope, cx),
      );
      this.argLists.set(site, args);
    }
    return args;
  }

  args(site: CallSite): FoldedArg[] {
    return this.argExprs(site).map((a) => {
      const value = a.spread ? null : this.passes.fold(a.expr);
      const computed = value !== null && a.expr.k !== 'lit';
      const decoded = computed && this.passes.derivation(a.expr) === 'decoded';
      return { value, dynamic: value === null, computed, decoded, keyword: a.keyword };
    });
  }

  /** Everything about one call. */
  resolve(site: CallSite): ResolvedCall {
    const range = site.node.range();
    return {
      canonical: this.canonical(site),
      callee: typeof site.builtin?.callee === 'string' ? site.builtin.callee : (this.calleeNode(site)?.text() ?? ''),
      text: site.node.text(),
      range: { start: position(range.start), end: position(range.end) },
      args: this.args(site),
    };
  }
}

/**
 * One file's semantic model, parsed and walked on first use, then shared by every call and taint
 * rule of the file: the cost of the layer is paid once per file, not once per rule or rule kind.
 * The rules share the model's budget too, so the bound holds for the file as a whole.
 */
export class SharedSemantics {
  private model: FileSemantics | GaveUp | null = null;

  constructor(
    readonly text: string,
    readonly language: Language,
    private readonly limits: Partial<Limits> = {},
  ) {}

  /** Whether the model was asked for, so that the file was parsed. */
  built(): boolean {
    return this.model !== null;
  }

  /** The model; throws GaveUp (every time) when building it went past the bounds. */
  get(): FileSemantics {
    if (this.model === null) {
      try {
        this.model = new FileSemantics(this.text, this.language, this.limits);
      } catch (err) {
        if (err instanceof GaveUp) this.model = err;
        throw err;
      }
    }
    if (this.model instanceof GaveUp) throw this.model;
    return this.model;
  }
}

/** What the call and taint rules analyse: a parsed tree, source text, or a model shared with other rules. */
export type SemanticsInput = SgNode | string | SharedSemantics;

export function textOf(input: SemanticsInput): string {
  return typeof input === 'string' ? input : input instanceof SharedSemantics ? input.text : input.text();
}

export function semanticsOf(input: SemanticsInput, language: Language): FileSemantics {
  return input instanceof SharedSemantics ? input.get() : new FileSemantics(input, language);
}

/**
 * All calls in a file, resolved and folded. `tree` is the root ast-grep already parsed (shared
 * with pattern rules) or the source text. Bounded by `limits`; past them the result says so.
 */
export function callsIn(tree: SgNode | string, language: Language, limits: Partial<Limits> = {}): CallsResult {
  const calls: ResolvedCall[] = [];
  try {
    const file = new FileSemantics(tree, language, limits);
    for (const site of file.sites) if (!site.builtin) calls.push(file.resolve(site));
  } catch (err) {
    if (err instanceof GaveUp) return { calls, gaveUp: err.reason };
    throw err;
  }
  return { calls, gaveUp: null };
}

/** The last file analysed for `foldAt`: the matches of one rule on one file ask about the same file. */
let foldCache: { text: string; language: Language; file: FileSemantics | null } | null = null;

/**
 * The constant an identifier or expression node folds to, through the bindings of the file it
 * sits in (`KEY = 1024` … `key_size=KEY`); null when it is not constant, the language has no
 * front end, or the analysis gives up. The node's scope is the innermost call site around it.
 */
export function foldAt(node: SgNode, language: Language): string | null {
  const fe = FRONT_ENDS[language];
  if (!fe) return null;
  // A wrapper the front end does not convert (PHP's `argument`, a parenthesised expression) folds as its one operand.
  for (let inner = named(node); !fe.exprs[node.kind() as string] && inner.length === 1; inner = named(node)) node = inner[0]!;
  const root = node.getRoot().root();
  const text = root.text();
  if (foldCache?.text !== text || foldCache.language !== language) {
    let file: FileSemantics | null = null;
    try {
      file = new FileSemantics(root, language);
    } catch (err) {
      if (!(err instanceof GaveUp)) throw err;
    }
    foldCache = { text, language, file };
  }
  const file = foldCache.file;
  if (!file) return null;
  const at = node.range();
  let site: CallSite | null = null;
  for (const s of file.sites) {
    const r = s.node.range();
    if (r.start.index <= at.start.index && at.end.index <= r.end.index && (!site || r.start.index >= site.node.range().start.index)) site = s;
  }
  if (!site) return null;
  try {
    return file.passes.fold(file.cx.expr(node, site.scope));
  } catch (err) {
    if (err instanceof GaveUp) return null;
    throw err;
  }
}

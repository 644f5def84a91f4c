import { parse, type SgNode } from '@ast-grep/napi';
import RE2 from 're2';
import { astLang } from '../../scan/ast-languages.js';
import { firstLine } from '../../scan/compile.js';
import type { Language } from '../schema.js';
import { comparisonVariables, parseComparison } from './comparison.js';

// Semgrep's pattern operators translated onto ast-grep's rule object (see docs/semgrep.md).
// Every construct without a faithful translation throws Unsupported, which the loader turns
// into a one-line error naming file, rule id and field: a rule that silently matches less than
// its author wrote is worse than no rule.

export class Unsupported extends Error {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'Unsupported';
  }
}

/** Operators a formula (a `patterns` item or a top-level rule) may use. */
const POSITIVE = ['pattern', 'patterns', 'pattern-either', 'pattern-inside', 'pattern-regex'] as const;

/** Operators Semgrep has that this engine refuses, with the reason given in the error. */
const REFUSED: Record<string, string> = {
  'pattern-where-python': 'it runs arbitrary Python',
  'metavariable-analysis': 'no entropy or ReDoS analysis is available',
  'metavariable-name': 'no name resolution is available',
  'metavariable-type': 'no type information is available',
  'pattern-sources': 'it belongs at the top level of a mode: taint rule',
  'pattern-sinks': 'it belongs at the top level of a mode: taint rule',
  'pattern-sanitizers': 'it belongs at the top level of a mode: taint rule',
  'pattern-propagators': 'it belongs at the top level of a mode: taint rule',
  'semgrep-internal-pattern-anywhere': 'it is internal to Semgrep',
};

export interface AstTranslation {
  kind: 'ast';
  rule: Record<string, unknown>;
  constraints: Record<string, Record<string, unknown>>;
  /** Metavariable whose bound node is reported instead of the whole match. */
  focus: string | null;
  /** `metavariable-comparison` expressions every match must satisfy (see comparison.ts). */
  compare: string[];
}

export interface RegexTranslation {
  kind: 'regex';
  regex: string;
  regexNot: string | null;
}

const METAVARIABLE_NAME = /^\$[A-Z_][A-Z0-9_]*$/;
/** PHP's superglobals look like metavariables ($_GET) but name one variable each. */
const PHP_SUPERGLOBAL = /\$_(?:GET|POST|REQUEST|COOKIE|FILES|SERVER|ENV|SESSION)\b/g;
const METAVARIABLE_USE = /\$(?:\.\.\.)?([A-Z_][A-Z0-9_]*)/g;

interface Context {
  languages: Language[];
  constraints: Record<string, Record<string, unknown>>;
  /** Metavariables bound by positive patterns. */
  bound: Set<string>;
  /** Metavariables bound only as sequences ($...X), which constraints cannot test. */
  boundMany: Set<string>;
  fresh: number;
  focus: string | null;
  /** How many patterns mention each metavariable, to check that nested filters stay local. */
  uses: Map<string, number>;
  /** Filters inside nested `patterns`: the metavariable and its uses within that scope. */
  scoped: { name: string; uses: number; where: string }[];
  /** Fresh metavariables standing for PHP superglobals, with the variable each stands for. */
  superglobals: Map<string, string>;
  compare: string[];
}

function asRecord(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Unsupported(field, 'expected a mapping');
  return value as Record<string, unknown>;
}

function asString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Unsupported(field, 'expected a non-empty string');
  return value;
}

function asList(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0) throw new Unsupported(field, 'expected a non-empty list');
  return value;
}

/** The single operator key of a `patterns` / `pattern-either` item. */
function operatorOf(item: unknown, field: string): [string, unknown] {
  const record = asRecord(item, field);
  const keys = Object.keys(record);
  if (keys.length !== 1) throw new Unsupported(field, `expected exactly one operator, got ${keys.length === 0 ? 'none' : keys.join(', ')}`);
  return [keys[0]!, record[keys[0]!]];
}

function refuse(key: string, field: string): never {
  const reason = REFUSED[key];
  throw new Unsupported(field, `${key} is not supported${reason ? ` (${reason})` : ''}`);
}

/**
 * Semgrep pattern text → ast-grep pattern text. `$X` and `$_` keep their meaning, `$...X`
 * becomes `$$$X`, `...` becomes `$$$`, and the string wildcard `"..."` becomes a fresh
 * metavariable constrained to a string literal (positive positions only: in a negation the
 * constraint would not apply and the negation would exclude every value).
 */
function translatePatternText(text: string, field: string, ctx: Context, positive: boolean): string {
  let source = text;
  source = source.replace(/<\.\.\.([\s\S]*?)\.\.\.>/g, (_m, inner: string) => deepExpression(inner.trim(), field, ctx, positive));
  if (source.includes('<...') || source.includes('...>')) {
    throw new Unsupported(field, 'an unbalanced or nested deep expression operator <... e ...> is not supported');
  }
  if (/["'`]=~\//.test(source)) throw new Unsupported(field, 'the string regex "=~/.../" is not supported (use metavariable-regex)');
  if (/\(\s*[A-Za-z_][\w.<>[\],? ]*\s+\$[A-Z_][A-Z0-9_]*\s*\)/.test(source)) {
    throw new Unsupported(field, 'typed metavariables like (String $X) are not supported (no type information)');
  }
  if (/[A-Za-z0-9_]\$[A-Z_]/.test(source)) throw new Unsupported(field, 'a metavariable inside an identifier (test_$X) is not supported');
  if (ctx.languages.includes('php')) {
    if (/\b(?:function|class|interface|trait)\s+\$[A-Z_]/.test(source)) {
      throw new Unsupported(field, 'a metavariable as a PHP function or class name is not supported (ast-grep cannot parse it)');
    }
    // ast-grep reads $_GET as a metavariable: a fresh one, checked against the variable's text
    // where the pattern is used (see superglobalChecks).
    source = source.replace(PHP_SUPERGLOBAL, (name: string) => {
      const fresh = `SEMGREP_VAR_${++ctx.fresh}`;
      ctx.superglobals.set(fresh, name);
      return `$${fresh}`;
    });
  }
  if (/\$_[A-Z0-9]/.test(source)) throw new Unsupported(field, 'metavariables starting with $_ are not supported (only $_ itself)');
  if (/\$\$\$|\$\d/.test(source)) throw new Unsupported(field, 'ast-grep-only or numbered metavariables ($$$, $1) are not Semgrep syntax');
  let out = source.replace(/(["'])\.\.\.\1/g, () => {
    if (!positive) throw new Unsupported(field, 'the string wildcard "..." is only supported in positive patterns');
    const name = `SEMGREP_STRING_${++ctx.fresh}`;
    ctx.constraints[name] = { regex: '^[A-Za-z]{0,3}["\'`]' };
    return `$${name}`;
  });
  out = out.replace(/\$\.\.\.([A-Z_][A-Z0-9_]*)/g, '$$$$$$$1').replace(/\.\.\./g, '$$$$$$');
  return out.trim();
}

/**
 * `<... e ...>`: a fresh metavariable constrained to be `e` or to contain it. Constraints bind
 * nothing and cannot see the rule's other metavariables, so `e` must have none.
 */
function deepExpression(inner: string, field: string, ctx: Context, positive: boolean): string {
  if (!positive) throw new Unsupported(field, 'the deep expression operator <... e ...> is only supported in positive patterns');
  if (inner.includes('<...')) throw new Unsupported(field, 'nested deep expression operators are not supported');
  if (/\$[A-Z_]/.test(inner)) throw new Unsupported(field, 'metavariables inside <... e ...> are not supported');
  const pattern = checkPattern(translatePatternText(inner, field, ctx, false), field, ctx.languages);
  const name = `SEMGREP_DEEP_${++ctx.fresh}`;
  ctx.constraints[name] = { any: [{ pattern }, { has: { pattern, stopBy: 'end' } }] };
  return `$${name}`;
}

function metavariablesIn(text: string): string[] {
  return [...text.matchAll(METAVARIABLE_USE)].filter((m) => !m[0].startsWith('$...')).map((m) => m[1]!).filter((n) => n !== '_' && !n.startsWith('SEMGREP_'));
}

/** Every tree-sitter error or missing token in a parsed text, as a short description. */
function syntaxProblem(node: SgNode): string | null {
  if (node.kind() === 'ERROR') return `syntax error at \`${node.text().slice(0, 40)}\``;
  const range = node.range();
  if (node.isLeaf() && range.start.index === range.end.index && node.kind() !== 'program' && node.kind() !== 'module') {
    return `missing \`${node.kind()}\``;
  }
  for (const child of node.children()) {
    const problem = syntaxProblem(child);
    if (problem) return problem;
  }
  return null;
}

/** The pattern with its metavariables replaced by plain code, to see whether it parses. */
function concreteInstance(pattern: string, language: Language): string {
  const statementFiller = language === 'python' || language === 'ruby' || language === 'bash' ? 'zz' : 'zz;';
  if (language === 'php') {
    // A PHP metavariable stands for a variable, except where only a name fits: a function or
    // method name, a class after `new`, a member after `->` or `::`.
    return pattern
      .replace(/^([ \t]*)\$\$\$;?[ \t]*$/gm, `$1${statementFiller}`)
      .replace(/\{\s*\$\$\$\s*\}/g, '{ zz; }')
      .replace(/\$\$\$([A-Z_][A-Z0-9_]*)?/g, '$zz')
      .replace(/(function\s+|new\s+|->|::)?\$([A-Z_][A-Z0-9_]*)(?=(\s*\()?)/g, (_m, before: string | undefined, name: string, call: string | undefined) =>
        `${before ?? ''}${before || call ? '' : '$'}v${name.toLowerCase()}`,
      );
  }
  return pattern
    .replace(/^([ \t]*)\$\$\$;?[ \t]*$/gm, `$1${statementFiller}`)
    .replace(/\$\$\$([A-Z_][A-Z0-9_]*)?/g, 'zz')
    .replace(/\$([A-Z_][A-Z0-9_]*)/g, (_m, name: string) => `v${name.toLowerCase()}`);
}

/**
 * A pattern as ast-grep takes it: its text, or the text inside a context (`<?php …;`, a Go
 * function body) with the kind of the node to select, for fragments ast-grep reads differently
 * on their own (PHP without `<?php` is inline HTML; a Go call with one argument, a conversion).
 */
export type AstPattern = string | { context: string; selector: string };

/** Contexts a fragment is framed in, as prefix and suffix, when the bare text is misread. */
const FRAMES: Partial<Record<Language, [string, string][]>> = {
  php: [['<?php\n', ';'], ['<?php\n', '']],
  go: [['package p\nfunc f() {\n', '\n}'], ['package p\nvar _ = ', '']],
};

/** The deepest named node spanning exactly [start, end), or null. */
function nodeSpanning(node: SgNode, start: number, end: number): SgNode | null {
  let found: SgNode | null = null;
  for (let n: SgNode | undefined = node; n; ) {
    const r = n.range();
    if (r.start.index === start && r.end.index === end && n.isNamed()) found = n;
    n = n.children().find((c) => c.range().start.index <= start && c.range().end.index >= end);
  }
  return found;
}

/** The pattern framed in its language's contexts, selecting the node the fragment is, when one matches its own example. */
function framedPattern(pattern: string, language: Language): AstPattern | null {
  const instance = concreteInstance(pattern, language);
  for (const [prefix, suffix] of FRAMES[language] ?? []) {
    const root = parse(astLang(language), prefix + instance + suffix).root();
    if (syntaxProblem(root)) continue;
    const node = nodeSpanning(root, prefix.length, prefix.length + instance.length);
    if (!node) continue;
    const framed = { context: prefix + pattern + suffix, selector: node.kind() as string };
    try {
      if (root.find({ rule: { pattern: framed } })) return framed;
    } catch {
      // ast-grep refused the framed text: try the next context.
    }
  }
  return null;
}

/**
 * Refuses a pattern that ast-grep rejects or that does not parse in one of the rule's languages,
 * and returns it as ast-grep should get it (framed when the bare text is misread, see above).
 */
function checkPattern(pattern: string, field: string, languages: Language[]): AstPattern {
  let chosen: AstPattern = pattern;
  for (const language of languages) {
    try {
      parse(astLang(language), '').root().findAll({ rule: { pattern } });
    } catch (err) {
      const detail = firstLine(err);
      throw new Unsupported(field, `does not parse as one ${language} node (${/multiple/i.test(detail) ? 'a sequence of statements is not supported' : detail})`);
    }
    const instance = concreteInstance(pattern, language);
    // Patterns are fragments: try the contexts a fragment of this language can stand in.
    const roots = contextsFor(language, instance).map((text) => parse(astLang(language), text).root());
    const problems = roots.map(syntaxProblem);
    if (!problems.includes(null)) throw new Unsupported(field, `does not parse in ${language}: ${problems[0]!}`);
    // A pattern ast-grep reads differently from code (PHP without its `<?php` context, a Go call
    // read as a conversion) would load and never match: it must at least match its own example.
    const matched = roots.map((root, i) => problems[i] === null && root.find({ rule: { pattern } }) !== null);
    // Where a context reads the example differently (a Go call as a conversion), try the framed
    // pattern; a framed pattern holds one language's context, so a rule for several cannot share it.
    const misread = FRAMES[language] !== undefined && matched.some((m, i) => !m && problems[i] === null);
    const framed = misread && languages.length === 1 ? framedPattern(pattern, language) : null;
    if (framed) chosen = framed;
    else if (!matched.includes(true)) {
      throw new Unsupported(field, `does not match its own example in ${language}: ast-grep reads this pattern differently from the code it describes (see docs/semgrep.md, known gaps)`);
    }
  }
  return chosen;
}

function contextsFor(language: Language, fragment: string): string[] {
  switch (language) {
    case 'go':
      return [fragment, `package p\nfunc f() {\n${fragment}\n}`, `package p\nvar _ = ${fragment}`];
    case 'java':
      return [fragment, `class C {\n${fragment}\n}`, `class C { void m() {\n${fragment}\n} }`, `class C { void m() {\n${fragment};\n} }`];
    case 'php':
      return [`<?php\n${fragment}`, `<?php\n${fragment};`];
    default:
      return [fragment];
  }
}

/** More trailing `, ...` than this (2^n variants) is refused. */
const MAX_TRAILING_ELLIPSES = 4;

/**
 * ast-grep's `$$$` after a comma at the end of a list needs at least one item there, while
 * Semgrep's `, ...` also matches none: each such ellipsis yields a variant with it and one
 * without it.
 */
function trailingEllipsisVariants(pattern: string, field: string): string[] {
  const trailing = /,\s*\$\$\$(?:[A-Z_][A-Z0-9_]*)?(?=\s*[)\]}])/g;
  const count = [...pattern.matchAll(trailing)].length;
  if (count > MAX_TRAILING_ELLIPSES) throw new Unsupported(field, `more than ${MAX_TRAILING_ELLIPSES} trailing ", ..." in one pattern`);
  let variants = [pattern];
  for (let i = 0; i < count; i++) {
    variants = variants.flatMap((v) => {
      const m = [...v.matchAll(trailing)][0]!;
      // The kept form is marked so that the next round looks at the next occurrence.
      return [`${v.slice(0, m.index)}\u0000${v.slice(m.index + 1)}`, v.slice(0, m.index) + v.slice(m.index + m[0].length)];
    });
  }
  return variants.map((v) => v.replaceAll('\u0000', ','));
}

/**
 * ast-grep's `$$$` stops at the first item the next element matches and never backtracks, so
 * `f(..., $X)` finds nothing in `f(a, b)`; Semgrep tries every split. An element that starts
 * with a metavariable right after an ellipsis is refused rather than matched less often; one
 * that starts with fixed text (`key_size=$N`) is bound to the first item that matches it.
 */
function checkEllipsisFollower(pattern: string, field: string): void {
  for (const m of pattern.matchAll(/\$\$\$[A-Z0-9_]*\s*[,;\n]\s*([^,;\n)\]}]*)/g)) {
    if (/^\$[A-Z_]/.test(m[1]!)) {
      throw new Unsupported(field, `an ellipsis followed by an element with a metavariable (... , ${m[1]!.trim()}) is not supported: ast-grep does not backtrack into the ellipsis`);
    }
  }
}

/** Languages where 'text' and "text" are the same string when neither escapes nor interpolates. */
const QUOTE_EQUIVALENT: ReadonlySet<Language> = new Set(['javascript', 'typescript', 'tsx', 'python', 'ruby', 'php']);

/** More plain string literals than this in one pattern (2^n quote variants) is refused. */
const MAX_QUOTED_LITERALS = 4;

/** Semgrep treats 'x' and "x" as the same literal; ast-grep compares text, so both are tried. */
function quoteVariants(pattern: string, field: string, languages: Language[]): string[] {
  if (!languages.every((l) => QUOTE_EQUIVALENT.has(l))) return [pattern];
  const literal = /(["'])([^"'\\$#{}\n]*)\1/g;
  const count = [...pattern.matchAll(literal)].length;
  if (count > MAX_QUOTED_LITERALS) throw new Unsupported(field, `more than ${MAX_QUOTED_LITERALS} string literals in one pattern`);
  let variants = [''];
  let last = 0;
  for (const m of pattern.matchAll(literal)) {
    const before = pattern.slice(last, m.index);
    variants = variants.flatMap((v) => [`${v}${before}"${m[2]!}"`, `${v}${before}'${m[2]!}'`]);
    last = m.index + m[0].length;
  }
  return variants.map((v) => v + pattern.slice(last));
}

function astPattern(value: unknown, field: string, ctx: Context, positive: boolean): Record<string, unknown> {
  const text = asString(value, field);
  if (ctx.languages.length === 0) throw new Unsupported(field, 'an AST pattern needs a language other than generic/regex');
  const translated = translatePatternText(text, field, ctx, positive);
  checkEllipsisFollower(translated, field);
  const variants = quoteVariants(translated, field, ctx.languages)
    .flatMap((v) => trailingEllipsisVariants(v, field))
    .map((pattern) => checkPattern(pattern, field, ctx.languages));
  for (const name of new Set(metavariablesIn(text))) ctx.uses.set(name, (ctx.uses.get(name) ?? 0) + 1);
  if (positive) {
    for (const name of metavariablesIn(text)) ctx.bound.add(name);
    for (const m of text.matchAll(/\$\.\.\.([A-Z_][A-Z0-9_]*)/g)) ctx.boundMany.add(m[1]!);
  }
  const checks = superglobalChecks(translated, ctx);
  const rules = variants.map((pattern) => {
    const parts = [{ pattern }, ...anchorOf(pattern), ...checks];
    return parts.length === 1 ? parts[0]! : { all: parts };
  });
  return rules.length === 1 ? rules[0]! : { any: rules };
}

/**
 * A framed pattern's longest identifier, as a regex on the matched node: the word pre-filter
 * reads words from pattern text, not from a context, and would otherwise run the rule on every
 * file. The node the selector picks is the fragment, so its text holds every identifier in it.
 */
function anchorOf(pattern: AstPattern): Record<string, unknown>[] {
  if (typeof pattern === 'string') return [];
  const frame = pattern.context;
  const fragment = frame.replace(/^<\?php\n|^package p\n(?:func f\(\) \{\n|var _ = )?/, '');
  const words = (fragment.replace(/(["'])(?:\\.|(?!\1)[^\\])*\1/g, ' ').replace(/\$+[A-Za-z_]\w*/g, ' ').match(/[A-Za-z_]\w{2,}/g) ?? [])
    .sort((a, b) => b.length - a.length);
  return words[0] ? [{ regex: words[0] }] : [];
}

/**
 * A PHP superglobal in a pattern is a fresh metavariable whose node must be that variable. The
 * check sits beside the pattern, not in `constraints`: ast-grep checks constraints once, on the
 * alternative of an `any` that matched first, so a constraint would hide later alternatives.
 */
function superglobalChecks(pattern: string, ctx: Context): Record<string, unknown>[] {
  return [...ctx.superglobals]
    .filter(([fresh]) => pattern.includes(`$${fresh}`))
    .map(([fresh, name]) => ({ has: { stopBy: 'end', all: [{ pattern: `$${fresh}` }, { regex: `^\\${name}$` }] } }));
}

/** `patterns`, `pattern-either`, `pattern` … as an ast-grep rule; `positive` is false under a negation. */
function translateFormula(key: string, value: unknown, field: string, ctx: Context, positive: boolean, top: boolean): Record<string, unknown> {
  switch (key) {
    case 'pattern':
      return astPattern(value, field, ctx, positive);
    case 'pattern-either':
      return {
        any: asList(value, field).map((item, i) => {
          const [k, v] = operatorOf(item, `${field}[${i}]`);
          if (!(POSITIVE as readonly string[]).includes(k) || k === 'pattern-inside') {
            if (k in REFUSED) refuse(k, `${field}[${i}]`);
            throw new Unsupported(`${field}[${i}]`, `${k} is not allowed in pattern-either`);
          }
          return translateFormula(k, v, `${field}[${i}].${k}`, ctx, positive, false);
        }),
      };
    case 'patterns':
      return translatePatterns(asList(value, field), field, ctx, positive, top);
    case 'pattern-regex':
      throw new Unsupported(field, 'pattern-regex mixed with AST patterns is not supported (regex-only rules are)');
    default:
      if (key in REFUSED) refuse(key, field);
      throw new Unsupported(field, `${key} is not supported`);
  }
}

/** Semgrep's pattern-inside also accepts the match itself as its own context. */
function insideOrSelf(rule: Record<string, unknown>): Record<string, unknown> {
  return { any: [rule, { inside: { ...rule, stopBy: 'end' } }] };
}

function metavariableOf(record: Record<string, unknown>, field: string, ctx: Context): string {
  const name = asString(record.metavariable, `${field}.metavariable`);
  if (!METAVARIABLE_NAME.test(name)) throw new Unsupported(`${field}.metavariable`, `"${name}" is not a metavariable like $X`);
  const bare = name.slice(1);
  if (ctx.boundMany.has(bare) && !ctx.bound.has(bare)) {
    throw new Unsupported(`${field}.metavariable`, `${name} is bound to a sequence ($...${bare}), which cannot be filtered or focused`);
  }
  if (!ctx.bound.has(bare)) throw new Unsupported(`${field}.metavariable`, `${name} is never bound by a positive pattern`);
  return bare;
}

function translatePatterns(items: unknown[], field: string, ctx: Context, positive: boolean, top: boolean): Record<string, unknown> {
  const usesBefore = new Map(ctx.uses);
  const all: Record<string, unknown>[] = [];
  const filters: [string, Record<string, unknown>, string][] = [];
  items.forEach((item, i) => {
    const [key, value] = operatorOf(item, `${field}[${i}]`);
    const where = `${field}[${i}].${key}`;
    switch (key) {
      case 'pattern':
      case 'patterns':
      case 'pattern-either':
        all.push(translateFormula(key, value, where, ctx, positive, false));
        break;
      case 'pattern-inside':
        all.push(insideOrSelf(translateFormula('pattern', value, where, ctx, positive, false)));
        break;
      case 'pattern-not':
        all.push({ not: translateFormula('pattern', value, where, ctx, false, false) });
        break;
      case 'pattern-not-inside':
        all.push({ not: insideOrSelf(translateFormula('pattern', value, where, ctx, false, false)) });
        break;
      case 'focus-metavariable':
      case 'metavariable-comparison':
        if (!top) throw new Unsupported(where, `${key} is only supported in the rule's top-level patterns`);
        if (key === 'metavariable-comparison') {
          filters.push([key, asRecord(value, where), where]);
          break;
        }
        filters.push([key, asRecord({ metavariable: value }, where), where]);
        break;
      case 'metavariable-regex':
      case 'metavariable-pattern':
        if (!positive) throw new Unsupported(where, `${key} is not supported under pattern-not`);
        filters.push([key, asRecord(value, where), where]);
        break;
      case 'pattern-regex':
      case 'pattern-not-regex':
        throw new Unsupported(where, `${key} mixed with AST patterns is not supported (regex-only rules are)`);
      default:
        if (key in REFUSED) refuse(key, where);
        throw new Unsupported(where, `${key} is not supported`);
    }
  });
  // Filters run after every pattern, so a metavariable bound by a later item counts as bound.
  for (const [key, record, where] of filters) {
    const name = applyFilter(key, record, where, ctx);
    // ast-grep constraints hold for the whole rule: one nested here must not reach other branches.
    if (!top) ctx.scoped.push({ name, uses: (ctx.uses.get(name) ?? 0) - (usesBefore.get(name) ?? 0), where });
  }
  if (all.length === 0) throw new Unsupported(field, 'needs at least one pattern');
  return all.length === 1 ? all[0]! : { all };
}

function applyFilter(key: string, record: Record<string, unknown>, where: string, ctx: Context): string {
  if (key === 'metavariable-comparison') return applyComparison(record, where, ctx);
  if (key === 'focus-metavariable') {
    const value = record.metavariable;
    const names = Array.isArray(value) ? value : [value];
    if (names.length !== 1) throw new Unsupported(where, 'focusing on more than one metavariable is not supported');
    const name = metavariableOf({ metavariable: names[0] }, where, ctx);
    if (ctx.focus !== null) throw new Unsupported(where, 'only one focus-metavariable per rule is supported');
    ctx.focus = name;
    return name;
  }
  const name = metavariableOf(record, where, ctx);
  const previous = ctx.constraints[name];
  let constraint: Record<string, unknown>;
  if (key === 'metavariable-regex') {
    const extra = Object.keys(record).filter((k) => k !== 'metavariable' && k !== 'regex');
    if (extra.length > 0) throw new Unsupported(`${where}.${extra[0]}`, 'is not supported');
    const regex = asString(record.regex, `${where}.regex`);
    checkRe2(regex, `${where}.regex`);
    // Semgrep matches from the start of the bound text (Python's re.match).
    constraint = { regex: `^(?:${regex})` };
  } else {
    const extra = Object.keys(record).filter((k) => k !== 'metavariable' && !(POSITIVE as readonly string[]).includes(k));
    if (extra.length > 0) {
      const why = extra[0] === 'language' ? 'a different language for the bound text is not supported' : 'is not supported';
      throw new Unsupported(`${where}.${extra[0]}`, why);
    }
    const ops = Object.keys(record).filter((k) => k !== 'metavariable');
    if (ops.length !== 1) throw new Unsupported(where, 'expected exactly one of pattern, patterns, pattern-either');
    const op = ops[0]!;
    if (op === 'pattern-regex' || op === 'pattern-inside') throw new Unsupported(`${where}.${op}`, 'is not supported in metavariable-pattern');
    // Constraints do not apply inside a constraint: a string wildcard there would match anything.
    if (/(["'])\.\.\.\1/.test(JSON.stringify(record[op]).replaceAll('\\"', '"'))) {
      throw new Unsupported(`${where}.${op}`, 'the string wildcard "..." is not supported inside metavariable-pattern');
    }
    if (ctx.languages.includes('php') && new RegExp(PHP_SUPERGLOBAL.source).test(JSON.stringify(record[op]))) {
      throw new Unsupported(`${where}.${op}`, 'a PHP superglobal ($_GET …) is not supported inside metavariable-pattern');
    }
    const outer = new Set(ctx.bound);
    const inner: Context = { ...ctx, bound: new Set(), boundMany: new Set(), uses: new Map(), scoped: [] };
    const sub = translateFormula(op, record[op], `${where}.${op}`, inner, true, false);
    ctx.fresh = inner.fresh;
    const shared = [...inner.bound].find((n) => outer.has(n));
    if (shared) throw new Unsupported(`${where}.${op}`, `reusing the outer metavariable $${shared} inside metavariable-pattern is not supported`);
    // Semgrep searches the bound text: the sub-pattern may match the node or anything inside it.
    constraint = { any: [sub, { has: { ...sub, stopBy: 'end' } }] };
  }
  ctx.constraints[name] = previous ? { all: [previous, constraint] } : constraint;
  return name;
}

/** `metavariable-comparison`: parsed to check it is in the subset; evaluated on each match by the engine. */
function applyComparison(record: Record<string, unknown>, where: string, ctx: Context): string {
  const extra = Object.keys(record).find((k) => k !== 'comparison' && k !== 'metavariable' && k !== 'strip');
  if (extra) throw new Unsupported(`${where}.${extra}`, extra === 'base' ? 'base is not supported (write the literal in decimal, hex or octal)' : 'is not supported');
  if (record.strip !== undefined && typeof record.strip !== 'boolean') throw new Unsupported(`${where}.strip`, 'expected true or false');
  const source = asString(record.comparison, `${where}.comparison`);
  let names: string[];
  try {
    names = comparisonVariables(parseComparison(source));
  } catch (err) {
    throw new Unsupported(`${where}.comparison`, `${(err as Error).message} in \`${source.trim()}\``);
  }
  if (record.metavariable !== undefined) metavariableOf(record, where, ctx);
  for (const name of names) metavariableOf({ metavariable: `$${name}` }, `${where}.comparison`, ctx);
  ctx.compare.push(source.trim());
  return names[0] ?? '';
}

function checkRe2(source: string, field: string): void {
  try {
    new RE2(source, 'u');
  } catch (err) {
    throw new Unsupported(field, `not a valid RE2 pattern (${firstLine(err)})`);
  }
}

/** Regexes spanning lines cannot be run line by line, which is how the regex kind runs. */
function lineRegex(value: unknown, field: string): string {
  const source = asString(value, field);
  if (/\\[nr]|\\x0[aAdD]|\\u000[aAdD]|\(\?[a-z]*s/.test(source)) {
    throw new Unsupported(field, 'a regex that matches across lines is not supported (regexes run line by line)');
  }
  checkRe2(source, field);
  return source;
}

/** Regex-only rules: pattern-regex, pattern-either of them, or patterns of one regex plus pattern-not-regex. */
function translateRegex(key: string, value: unknown, field: string): RegexTranslation | null {
  if (key === 'pattern-regex') return { kind: 'regex', regex: lineRegex(value, field), regexNot: null };
  if (key === 'pattern-either' && Array.isArray(value)) {
    const ops = value.map((item, i) => operatorOf(item, `${field}[${i}]`));
    if (!ops.every(([k]) => k === 'pattern-regex')) return null;
    return { kind: 'regex', regex: ops.map(([, v], i) => `(?:${lineRegex(v, `${field}[${i}].pattern-regex`)})`).join('|'), regexNot: null };
  }
  if (key === 'patterns' && Array.isArray(value)) {
    const ops = value.map((item, i) => operatorOf(item, `${field}[${i}]`));
    if (!ops.every(([k]) => k === 'pattern-regex' || k === 'pattern-not-regex')) {
      const regexAt = ops.findIndex(([k]) => k === 'pattern-regex' || k === 'pattern-not-regex');
      if (regexAt >= 0) throw new Unsupported(`${field}[${regexAt}].${ops[regexAt]![0]}`, 'mixing regexes with AST patterns is not supported');
      return null;
    }
    const positives = ops.flatMap(([k, v], i) => (k === 'pattern-regex' ? [lineRegex(v, `${field}[${i}].pattern-regex`)] : []));
    const negatives = ops.flatMap(([k, v], i) => (k === 'pattern-not-regex' ? [lineRegex(v, `${field}[${i}].pattern-not-regex`)] : []));
    if (positives.length !== 1) throw new Unsupported(field, `needs exactly one pattern-regex, got ${positives.length}`);
    return { kind: 'regex', regex: positives[0]!, regexNot: negatives.length > 0 ? negatives.map((n) => `(?:${n})`).join('|') : null };
  }
  return null;
}

/** Translates the rule's one top-level operator (`key: value`) for the given languages. */
export function translateTopLevel(key: string, value: unknown, languages: Language[]): AstTranslation | RegexTranslation {
  const regex = translateRegex(key, value, key);
  if (regex) return regex;
  const ctx: Context = {
    languages,
    constraints: {},
    bound: new Set(),
    boundMany: new Set(),
    fresh: 0,
    focus: null,
    uses: new Map(),
    scoped: [],
    superglobals: new Map(),
    compare: [],
  };
  const rule = translateFormula(key, value, key, ctx, true, true);
  for (const { name, uses, where } of ctx.scoped) {
    if ((ctx.uses.get(name) ?? 0) > uses) {
      throw new Unsupported(where, `$${name} is also used outside the nested patterns that filter it, which ast-grep cannot scope`);
    }
  }
  return { kind: 'ast', rule, constraints: ctx.constraints, focus: ctx.focus, compare: ctx.compare };
}

// Cheap text pre-filter for AST rules, in the spirit of Semgrep's: every identifier written
// in a rule's pattern, and every literal a node regex insists on, must appear verbatim in any
// source the rule matches. So for each rule we derive words of which at least one must occur
// in the file; when none does, the rule cannot match and is skipped — and when no AST rule
// survives for a file, the file is not parsed at all (parsing dominates the cost of a scan).
// The derivation returns "no requirement" (null) whenever unsure, so skipping is always sound.

import RE2 from 're2';
import type { Language } from '../rules/schema.js';
import { escapeRegexLiteral } from '../text.js';

export interface Requirement {
  /** At least one of these must occur in the text. */
  anyOf: string[];
  /** Compare lowercased (derived from a case-insensitive regex). */
  caseInsensitive: boolean;
}

type RuleObject = Record<string, unknown>;

/** Shortest identifier taken from a pattern; regex literals may be shorter (still sound, less selective). */
const MIN_WORD = 3;
const MIN_LITERAL = 2;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;
/** Characters that stand for themselves in a regex. */
const PLAIN = /^[A-Za-z0-9_:\-/@ '"=<>,;!%&~`#]$/;
/** Escaped characters that stand for themselves (`\.` is a dot; `\s`, `\b`, `\w` are not literal). */
const ESCAPED_LITERAL = /^[.\-/+*?()[\]{}^$|\\ '"#]$/;

function union(parts: Requirement[]): Requirement {
  const caseInsensitive = parts.some((p) => p.caseInsensitive);
  const words = parts.flatMap((p) => (caseInsensitive ? p.anyOf.map((w) => w.toLowerCase()) : p.anyOf));
  return { anyOf: [...new Set(words)], caseInsensitive };
}

/** Fewer alternatives, then longer shortest word, then case-sensitive: most selective first. */
function sortBySelectivity(candidates: Requirement[]): Requirement[] {
  const shortest = (r: Requirement) => Math.min(...r.anyOf.map((w) => w.length));
  return [...candidates].sort(
    (a, b) =>
      a.anyOf.length - b.anyOf.length ||
      shortest(b) - shortest(a) ||
      Number(a.caseInsensitive) - Number(b.caseInsensitive),
  );
}

function best(candidates: Requirement[]): Requirement | null {
  return sortBySelectivity(candidates)[0] ?? null;
}

/** Splits on `|` at nesting depth 0, respecting escapes and character classes. */
function splitTopLevel(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

function isOptional(source: string, at: number): boolean {
  const q = source[at];
  return q === '?' || q === '*' || (q === '{' && /^\{0\s*[,}]/.test(source.slice(at, at + 4)));
}

/** Index just past a quantifier at `at` (and its lazy `?`), or `at` when there is none. */
function skipQuantifier(source: string, at: number): number {
  let i = at;
  const q = source[i];
  if (q === '?' || q === '*' || q === '+') i++;
  else if (q === '{') {
    const close = source.indexOf('}', i);
    i = close < 0 ? source.length : close + 1;
  } else return at;
  return source[i] === '?' ? i + 1 : i;
}

/** Words a text matching this regex must contain (as a requirement), or null. */
function sequenceLiterals(source: string, caseInsensitive: boolean): Requirement | null {
  const candidates: Requirement[] = [];
  let run = '';
  const flush = () => {
    if (run.trim().length >= MIN_LITERAL) candidates.push({ anyOf: [caseInsensitive ? run.toLowerCase() : run], caseInsensitive });
    run = '';
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '^' || c === '$') {
      flush();
      i++;
      continue;
    }
    let literal: string | null = null;
    let atomEnd = i + 1;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      literal = ESCAPED_LITERAL.test(next) ? next : null;
      atomEnd = i + 2;
    } else if (c === '(') {
      let depth = 0;
      let j = i;
      for (; j < source.length; j++) {
        if (source[j] === '\\') j++;
        else if (source[j] === '(') depth++;
        else if (source[j] === ')' && --depth === 0) break;
      }
      flush();
      const inner = source.slice(i + 1, j);
      atomEnd = j + 1;
      if (!isOptional(source, atomEnd) && !inner.startsWith('?')) {
        const req = alternationLiterals(inner, caseInsensitive);
        if (req) candidates.push(req);
      } else if (!isOptional(source, atomEnd) && inner.startsWith('?:')) {
        const req = alternationLiterals(inner.slice(2), caseInsensitive);
        if (req) candidates.push(req);
      }
      i = skipQuantifier(source, atomEnd);
      continue;
    } else if (c === '[') {
      const close = source.indexOf(']', i + 2);
      atomEnd = close < 0 ? source.length : close + 1;
    } else if (PLAIN.test(c)) {
      literal = c;
    }
    if (literal !== null && !isOptional(source, atomEnd)) {
      run += literal;
      const after = skipQuantifier(source, atomEnd);
      if (after !== atomEnd) flush(); // `a+`: the run may continue differently after repeats
      i = after;
      continue;
    }
    flush();
    i = skipQuantifier(source, atomEnd);
  }
  flush();
  return best(candidates);
}

function alternationLiterals(source: string, caseInsensitive: boolean): Requirement | null {
  const parts = splitTopLevel(source);
  const reqs: Requirement[] = [];
  for (const part of parts) {
    const req = sequenceLiterals(part, caseInsensitive);
    if (!req) return null;
    reqs.push(req);
  }
  return parts.length === 1 ? reqs[0]! : union(reqs);
}

/** A hex, unicode, class or back-reference escape: the characters after it do not stand for themselves. */
function hasUnmodelledEscape(source: string): boolean {
  for (let i = 0; i < source.length; i++) {
    if (source[i] !== '\\') continue;
    if (/[xupPQEkNoc0-9]/.test(source[i + 1] ?? '')) return true;
    i++; // `\\N` is a backslash, then N
  }
  return false;
}

/**
 * Literal alternatives that any text matching a (RE2 / Rust) regex must contain, or null.
 * `(?i)` at the start of the regex or of a top-level alternative makes the requirement
 * case-insensitive (the flag holds to the end of the group, so for later alternatives too);
 * other inline flags give null.
 */
export function regexLiterals(source: string): Requirement | null {
  // Non-capturing groups are fine; inline flags elsewhere, hex/unicode escapes, classes and
  // back-references change what the characters mean in ways this reader does not model.
  if (hasUnmodelledEscape(source)) return null;
  let caseInsensitive = false;
  const reqs: Requirement[] = [];
  for (const part of splitTopLevel(source)) {
    let branch = part;
    // `i` makes the requirement case-insensitive; `s`, `m`, `U` do not change which literals must occur.
    const flags = /^\(\?([imsU]+)\)/.exec(branch);
    if (flags) {
      caseInsensitive ||= flags[1]!.includes('i');
      branch = branch.slice(flags[0].length);
    }
    if (/\(\?(?!:)/.test(branch)) return null;
    const req = sequenceLiterals(branch, caseInsensitive);
    if (!req) return null;
    reqs.push(req);
  }
  return reqs.length === 1 ? reqs[0]! : union(reqs);
}

/**
 * Tokens that the text of a node of a kind always contains, per language, for rules that match
 * kinds and name no word (PHP keywords are case-insensitive). Only kinds whose every spelling
 * contains one of the tokens belong here.
 */
const KIND_TOKENS: Partial<Record<Language, Record<string, Requirement>>> = {
  php: {
    shell_command_expression: { anyOf: ['`'], caseInsensitive: false },
    include_expression: { anyOf: ['include'], caseInsensitive: true },
    include_once_expression: { anyOf: ['include_once'], caseInsensitive: true },
    require_expression: { anyOf: ['require'], caseInsensitive: true },
    require_once_expression: { anyOf: ['require_once'], caseInsensitive: true },
  },
  ruby: {
    subshell: { anyOf: ['`', '%x'], caseInsensitive: false },
  },
};

/** The tokens a node of `kind` contains in every one of `languages`, or null. */
export function kindTokens(kind: string, languages: readonly Language[]): Requirement | null {
  const found = languages.map((l) => KIND_TOKENS[l]?.[kind]);
  if (found.length === 0 || found.some((r) => r === undefined)) return null;
  return union(found as Requirement[]);
}

/** Words of a pattern string, without metavariables ($X, $$$ARGS, $_). */
function patternWords(pattern: string): string[] {
  const withoutMeta = pattern.replace(/\$\$?\$?[A-Z_][A-Z0-9_]*/g, ' ');
  return (withoutMeta.match(WORD) ?? []).filter((w) => w.length >= MIN_WORD);
}

/**
 * Requirements that all hold for any text `rule` matches — each one a set of words of which
 * one must occur — or [] when the rule gives no such guarantee (kind-only rules, contextual
 * patterns, negations, complex regexes). `utils` resolves `matches:` references.
 */
export function requiredWords(
  rule: unknown,
  utils: Record<string, unknown> = {},
  seen: ReadonlySet<string> = new Set(),
  languages: readonly Language[] = [],
): Requirement[] {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return [];
  const r = rule as RuleObject;
  const sub = (value: unknown) => requiredWords(value, utils, seen, languages);
  // A rule object's keys are a conjunction: every requirement found must hold.
  const all: Requirement[] = [];
  const push = (req: Requirement | null | undefined) => {
    if (req) all.push(req);
  };
  if (typeof r.pattern === 'string') {
    const words = patternWords(r.pattern).sort((a, b) => b.length - a.length);
    if (words[0]) push({ anyOf: [words[0]], caseInsensitive: false });
  }
  if (typeof r.regex === 'string') push(regexLiterals(r.regex));
  if (typeof r.kind === 'string') push(kindTokens(r.kind, languages));
  if (typeof r.matches === 'string' && !seen.has(r.matches) && utils[r.matches] !== undefined) {
    all.push(...requiredWords(utils[r.matches], utils, new Set([...seen, r.matches]), languages));
  }
  for (const key of ['has', 'inside', 'precedes', 'follows'] as const) all.push(...sub(r[key]));
  if (Array.isArray(r.all)) for (const item of r.all) all.push(...sub(item));
  if (Array.isArray(r.any) && r.any.length > 0) {
    // Each alternative needs at least its own most selective requirement.
    const alternatives: Requirement[] = [];
    for (const item of r.any) {
      const req = best(sub(item));
      if (!req) {
        alternatives.length = 0;
        break;
      }
      alternatives.push(req);
    }
    if (alternatives.length > 0) push(union(alternatives));
  }
  // Checking a few selective requirements is enough; more only costs time.
  return sortBySelectivity(dedupe(all)).slice(0, MAX_REQUIREMENTS);
}

const MAX_REQUIREMENTS = 4;

function dedupe(reqs: Requirement[]): Requirement[] {
  const seen = new Set<string>();
  return reqs.filter((r) => {
    const key = `${r.caseInsensitive}\0${[...r.anyOf].sort().join('\0')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The requirements of a list of rules, checked against a text in one pass: a single RE2.Set
 * over every distinct word says which words occur (linear in the text, however many words),
 * then each rule's requirements are looked up.
 */
export class WordIndex {
  private readonly set: InstanceType<typeof RE2.Set> | null;
  /** Per rule, per requirement: ids of the words that satisfy it. */
  private readonly wordIds: number[][][];

  constructor(requirements: readonly (readonly Requirement[])[]) {
    const ids = new Map<string, number>();
    const idOf = (word: string, caseInsensitive: boolean): number => {
      const source = `${caseInsensitive ? '(?i)' : ''}${escapeRegexLiteral(word)}`;
      let id = ids.get(source);
      if (id === undefined) {
        id = ids.size;
        ids.set(source, id);
      }
      return id;
    };
    this.wordIds = requirements.map((reqs) => reqs.map((req) => req.anyOf.map((word) => idOf(word, req.caseInsensitive))));
    this.set = ids.size > 0 ? new RE2.Set([...ids.keys()], 'u') : null;
  }

  /** For each rule, in order: false when some requirement has none of its words in the text. */
  mayMatch(text: string): boolean[] {
    const present = new Set(this.set ? this.set.match(text) : []);
    return this.wordIds.map((reqs) => reqs.every((words) => words.some((id) => present.has(id))));
  }
}

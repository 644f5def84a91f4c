import { parse, type NapiConfig, type SgNode } from '@ast-grep/napi';
import RE2 from 're2';
import type { ChangedFile, FileStatus } from '../model.js';
import { RuleFileError, metaOf, type Language, type RuleSpec } from '../rules/schema.js';
import type { RuleMeta, RuleTests } from '../rules/types.js';
import { astLang } from './ast-languages.js';
import { globFinder } from './globs.js';
import { requiredWords, type Requirement } from './prefilter.js';
import { foldAt, semanticsSupports } from '../semantics/index.js';
import { comparisonFilter } from '../rules/semgrep/comparison.js';
import type { TaintSpec } from '../semantics/taint/analysis.js';
import { taintPatternWords, type TaintPattern, type TaintPatterns } from '../semantics/taint/patterns.js';

export interface CompiledAstMatch {
  kind: 'ast';
  config: NapiConfig;
  /** Word sets that must each have a member in the file for the rule to match at all. */
  required: Requirement[];
  /** Metavariable whose bound node is reported instead of the match, or null. */
  focus: string | null;
  /** Semgrep's metavariable-comparison: a match passes only if this holds for its bindings; null when none. */
  compare: ((get: (name: string) => SgNode | null) => boolean) | null;
  /** The author marked the rule as one that names no word and so runs on every file of its languages. */
  everyFile: boolean;
}

export interface CompiledRegexMatch {
  kind: 'regex';
  /** Source as given to RE2.Set (case-insensitivity inlined as (?i)). */
  setSource: string;
  regex: RE2;
  regexNot: RE2 | null;
  /** False: matches inside comments are not reported (`in-comments: false`). */
  inComments: boolean;
  /** Lines fetching only from the repository under review are not reported (`allow-own-repository`). */
  allowOwnRepository: boolean;
}

export interface CompiledPathMatch {
  kind: 'path';
  statuses: ReadonlySet<FileStatus>;
  becomesExecutable: boolean;
}

export interface CompiledCallMatch {
  kind: 'call';
  names: ReadonlySet<string>;
  arg: number;
  argIs: ReadonlySet<'dynamic' | 'computed' | 'decoded' | 'literal'>;
  hiddenCallee: boolean;
  calleeBuilt: boolean;
}

export interface CompiledTaintMatch {
  kind: 'taint';
  spec: TaintSpec;
  /** Rule ids that win on the same line. */
  deferTo: ReadonlySet<string>;
}

export interface CompiledRule {
  meta: RuleMeta;
  tests: RuleTests;
  /** Where the rule came from, for error messages: `rules/python.yml`. */
  source: string;
  languages: ReadonlySet<Language> | null;
  match: CompiledAstMatch | CompiledRegexMatch | CompiledPathMatch | CompiledCallMatch | CompiledTaintMatch;
  /** Path filter from `paths.include`/`paths.exclude`; true when absent. */
  appliesToPath(path: string): boolean;
  /** False when the rule has no path filter, so that `appliesToPath` is true for every path. */
  pathFiltered: boolean;
}

/**
 * Globs compiled once to regular expressions. Paths here are repository-relative with `/`, so
 * the regex test (plus picomatch's own rule that a path equal to the glob matches) is exact,
 * without picomatch's per-call normalisation, which cost more than the test on every file.
 */
export { globFinder };

function globsMatcher(globs: string[] | undefined): ((path: string) => boolean) | null {
  const find = globFinder(globs);
  return find && ((path) => find(path) !== null);
}

export function pathMatcher(include: string[] | undefined, exclude: string[] | undefined): (path: string) => boolean {
  const inc = globsMatcher(include);
  const exc = globsMatcher(exclude);
  if (inc === null && exc === null) return () => true;
  return (path) => (inc === null || inc(path)) && (exc === null || !exc(path));
}

function compileRe2(source: string, flags: string, file: string, id: string, field: string): RE2 {
  try {
    return new RE2(source, flags);
  } catch (err) {
    throw new RuleFileError(file, `rule ${id}: match.${field}: not a valid RE2 pattern (${firstLine(err)})`);
  }
}

export function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n').map((s) => s.trim()).filter(Boolean).join(' ').slice(0, 300);
}

/**
 * Turns a validated rule spec into matchers, rejecting patterns the engines cannot run.
 * `engineChecked` skips running AST rules once to validate them: for rules the build already
 * compiled with the same ast-grep (the rule cache), where it is most of the start-up time.
 */
/** Call and taint rules run on the semantic layer: every language they name must be supported. */
function requireSemanticLanguages(spec: RuleSpec, source: string, kind: string): void {
  const unsupported = (spec.languages ?? []).filter((l) => !semanticsSupports(l));
  if (!spec.languages || unsupported.length > 0) {
    throw new RuleFileError(source, `rule ${spec.id}: languages: ${kind} rules need languages the semantic layer supports (not ${unsupported.join(', ') || 'all'})`);
  }
}

/** A taint rule's sources, sinks and sanitizers by code shape, checked on an empty tree like AST rules. */
function taintPatterns(spec: RuleSpec, source: string, engineChecked: boolean): TaintPatterns | null {
  if (!('taint' in spec.match)) return null;
  const t = spec.match.taint;
  const compile = (field: string, list: { rule: Record<string, unknown>; constraints?: Record<string, Record<string, unknown>> | undefined; focus?: string | undefined; calls?: NonNullable<typeof t['sink-patterns']>[number]['calls'] }[] | undefined): TaintPattern[] =>
    (list ?? []).map((p, i) => {
      const config = { rule: p.rule, ...(p.constraints ? { constraints: p.constraints } : {}) } as NapiConfig;
      for (const language of engineChecked ? [] : (spec.languages ?? [])) {
        try {
          parse(astLang(language), '').root().findAll(config);
        } catch (err) {
          throw new RuleFileError(source, `rule ${spec.id}: match.taint.${field}[${i}] (${language}): ${firstLine(err)}`);
        }
      }
      const calls = (p.calls ?? []).map((c) => ({ callee: c.callee, arg: c.arg ?? null, arity: c.arity ?? null, construct: c.new ?? false }));
      return { config, focus: p.focus ?? null, key: JSON.stringify([p.rule, p.constraints ?? null, p.focus ?? null]), calls };
    });
  const sinks = compile('sink-patterns', t['sink-patterns']);
  const sources = compile('source-patterns', t['source-patterns']);
  const sanitizers = compile('sanitizer-patterns', t['sanitizer-patterns']);
  const propagators = compile('propagator-patterns', t['propagator-patterns']).map((p, i) => ({ ...p, from: t['propagator-patterns']![i]!.from, to: t['propagator-patterns']![i]!.to }));
  if (sinks.length + sources.length + sanitizers.length === 0) return null;
  return { sources, sinks, sanitizers, propagators, sinkWords: sinks.map((p) => taintPatternWords(p.config)), sourceWords: sources.map((p) => taintPatternWords(p.config)) };
}

/**
 * A rule's metavariable conditions as one predicate: its comparisons, and its `not-constant`
 * metavariables (a match whose every bound one folds to a constant is dropped). A bound
 * identifier folds in the rule's first language.
 */
function compileComparisons(spec: RuleSpec, source: string): CompiledAstMatch['compare'] {
  if (!('ast' in spec.match)) return null;
  const ast = spec.match.ast;
  const language = spec.languages?.[0];
  const fold = (node: SgNode): string | null => (language ? foldAt(node, language) : null);
  let compare: NonNullable<CompiledAstMatch['compare']> | null = null;
  if (ast.compare && ast.compare.length > 0) {
    try {
      compare = comparisonFilter(ast.compare, fold);
    } catch (err) {
      throw new RuleFileError(source, `rule ${spec.id}: match.ast.compare: ${firstLine(err)}`);
    }
  }
  const notConstant = ast['not-constant'] ?? [];
  if (notConstant.length === 0) return compare;
  const written = JSON.stringify([ast.rule, ast.utils ?? {}]);
  for (const name of notConstant) {
    if (!new RegExp(`\\$(\\$\\$)?${name}(?![A-Z0-9_])`).test(written)) {
      throw new RuleFileError(source, `rule ${spec.id}: match.ast.not-constant: $${name} is never bound by the rule or its utils`);
    }
  }
  return (get) => {
    if (compare && !compare(get)) return false;
    const bound = notConstant.map((name) => get(name)).filter((node): node is SgNode => node !== null);
    // A fold that fails counts as not constant: the match stays rather than passing silently.
    const constant = (node: SgNode): boolean => {
      try {
        return fold(node) !== null;
      } catch {
        return false;
      }
    };
    return bound.length === 0 || !bound.every(constant);
  };
}

export function compileRule(
  spec: RuleSpec,
  source: string,
  { engineChecked = false, required }: { engineChecked?: boolean; required?: Requirement[] | undefined } = {},
): CompiledRule {
  const languages = spec.languages ? new Set(spec.languages) : null;
  let match: CompiledRule['match'];
  if ('ast' in spec.match) {
    if (!spec.languages) throw new RuleFileError(source, `rule ${spec.id}: languages: required for ast rules`);
    const utils = usedUtils(spec.match.ast.rule, spec.match.ast.constraints, spec.match.ast.utils);
    const config = {
      rule: spec.match.ast.rule,
      ...(spec.match.ast.constraints ? { constraints: spec.match.ast.constraints } : {}),
      ...(utils ? { utils } : {}),
    } as NapiConfig;
    // ast-grep validates a rule only when it runs: run it once per language on an empty tree.
    for (const language of engineChecked ? [] : spec.languages) {
      try {
        parse(astLang(language), '').root().findAll(config);
      } catch (err) {
        throw new RuleFileError(source, `rule ${spec.id}: match.ast (${language}): ${firstLine(err)}`);
      }
    }
    match = {
      kind: 'ast',
      config,
      required: required ?? requiredWords(spec.match.ast.rule, spec.match.ast.utils ?? {}, new Set(), spec.languages),
      everyFile: spec.match.ast['every-file'] ?? false,
      focus: spec.match.ast.focus ?? null,
      compare: compileComparisons(spec, source),
    };
  } else if ('regex' in spec.match) {
    const insensitive = spec.match.flags === 'i';
    const regex = compileRe2(spec.match.regex, insensitive ? 'iu' : 'u', source, spec.id, 'regex');
    const not = spec.match['regex-not'];
    match = {
      kind: 'regex',
      // The set runs over all added lines joined by \n: multi-line mode keeps ^ and $ per line.
      setSource: `(?m${insensitive ? 'i' : ''}:${spec.match.regex})`,
      regex,
      regexNot: not ? compileRe2(not, insensitive ? 'iu' : 'u', source, spec.id, 'regex-not') : null,
      inComments: spec.match['in-comments'] !== false,
      allowOwnRepository: spec.match['allow-own-repository'] === true,
    };
  } else if ('call' in spec.match) {
    requireSemanticLanguages(spec, source, 'call');
    const { name, arg, 'arg-is': argIs, 'hidden-callee': hidden, 'callee-built': built } = spec.match.call;
    match = {
      kind: 'call',
      names: new Set(name),
      arg: arg ?? 0,
      argIs: new Set(argIs ?? ['dynamic', 'computed', 'literal']),
      hiddenCallee: hidden ?? false,
      calleeBuilt: built ?? false,
    };
  } else if ('taint' in spec.match) {
    requireSemanticLanguages(spec, source, 'taint');
    const t = spec.match.taint;
    const patterns = taintPatterns(spec, source, engineChecked);
    match = {
      kind: 'taint',
      spec: {
        sources: t.sources,
        sinks: t.sinks.map((s) => ({
          name: s.name,
          arg: s.arg ?? 0,
          ...(s.receiver ? { receiver: true } : {}),
          ...(s.url ? { url: true } : {}),
          ...(s.keyword ? { keyword: s.keyword } : {}),
          ...(s.when ? { when: s.when } : {}),
          ...(s.option ? { option: s.option } : {}),
          ...(s.whole ? { whole: true } : {}),
          ...(s.into !== undefined ? { into: s.into } : {}),
          ...(s.text ? { text: true } : {}),
          ...(s['no-literal'] ? { noLiteral: true } : {}),
          ...(s.built ? { built: true } : {}),
        })),
        sanitizers: t.sanitizers ?? [],
        sourceCalls: (t['source-calls'] ?? []).map((c, i) => ({ name: c.name, mentions: compileRe2(c.mentions, '', source, spec.id, `taint.source-calls[${i}].mentions`) })),
        secretSources: (t['secret-sources'] ?? []).map((c, i) => ({ name: c.name, keys: compileRe2(c.keys, '', source, spec.id, `taint.secret-sources[${i}].keys`) })),
        ...(t['ignore-keys'] ? { ignoreKeys: t['ignore-keys'] } : {}),
        ...(t['parameters-of'] ? { parametersOf: t['parameters-of'] } : {}),
        ...(patterns ? { patterns } : {}),
      },
      deferTo: new Set(t['defer-to'] ?? []),
    };
  } else {
    match = {
      kind: 'path',
      statuses: new Set(spec.match.path.status ?? ['added', 'modified', 'renamed', 'copied']),
      becomesExecutable: spec.match.path['becomes-executable'] ?? false,
    };
  }
  return {
    meta: metaOf(spec),
    tests: spec.tests,
    source,
    languages,
    match,
    appliesToPath: pathMatcher(spec.paths?.include, spec.paths?.exclude),
    pathFiltered: (spec.paths?.include?.length ?? 0) + (spec.paths?.exclude?.length ?? 0) > 0,
  };
}

/** Names of the utility rules that `value` refers to with `matches:`, anywhere inside it. */
function referencedUtils(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) referencedUtils(item, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'matches' && typeof inner === 'string') out.add(inner);
      else referencedUtils(inner, out);
    }
  }
}

/**
 * Keeps only the utils a rule actually uses (transitively). ast-grep compiles every util on
 * every search, so rule files that share one large set of utils between rules would otherwise
 * pay for all of them on each rule — several times the cost of the search itself.
 */
export function usedUtils(
  rule: unknown,
  constraints: unknown,
  utils: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (!utils) return undefined;
  const wanted = new Set<string>();
  referencedUtils(rule, wanted);
  referencedUtils(constraints, wanted);
  const kept: Record<string, unknown> = {};
  const queue = [...wanted];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (name in kept || !(name in utils)) continue;
    kept[name] = utils[name];
    const more = new Set<string>();
    referencedUtils(utils[name], more);
    queue.push(...more);
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/**
 * AST rules that no word pre-filter guards and that are not marked `every-file`: each one makes
 * every file of its languages be parsed and searched, and its cost grows with the whole change.
 */
export function unguardedAstRules(rules: readonly CompiledRule[]): CompiledRule[] {
  return rules.filter((r) => r.match.kind === 'ast' && r.match.required.length === 0 && !r.match.everyFile);
}

/** Does a changed-path rule fire for this file? */
export function pathRuleFires(match: CompiledPathMatch, file: ChangedFile): boolean {
  if (!match.statuses.has(file.status)) return false;
  if (match.becomesExecutable) return file.newMode === '100755' && file.oldMode !== '100755';
  return true;
}

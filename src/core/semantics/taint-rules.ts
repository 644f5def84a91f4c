import type { SgNode } from '@ast-grep/napi';
import type { Language } from '../rules/schema.js';
import type { CompiledRule } from '../scan/compile.js';
import { anyLineWithin } from '../scan/sorted-lines.js';
import { GaveUp } from './budget.js';
import type { CallRuleMatch } from './rules.js';
import { escapeRegexLiteral } from '../text.js';
import { anyReceiverMethod, TaintAnalysis, taintFile, type TaintSpec } from './taint.js';

// Taint rules on the semantic layer: a finding is a sink call whose argument carries a value from
// a source, and its message shows the path the value took.

/** A call-rule match whose message ends in the path, plus the rules that win on the same line. */
export interface TaintRuleMatch extends CallRuleMatch {
  deferTo: ReadonlySet<string>;
  flow: { line: number; text: string }[];
}

const sourceNames = new WeakMap<TaintSpec, { first: RegExp | null; segments: string[][] }>();

/** The spec's source names, split into their segments, and one test for any first segment. */
function sourceNamesOf(spec: TaintSpec): { first: RegExp | null; segments: string[][] } {
  let known = sourceNames.get(spec);
  if (!known) {
    const names = [...spec.sources, ...(spec.sourceCalls ?? []).map((c) => c.name), ...(spec.secretSources ?? []).map((c) => c.name), ...(spec.parametersOf ?? [])];
    const segments = names.map((n) => n.split('.'));
    const firsts = [...new Set(segments.map((parts) => parts[0]!))];
    known = { first: firsts.length === 0 ? null : wordsRegex(firsts), segments };
    sourceNames.set(spec, known);
  }
  return known;
}

function wordsRegex(words: readonly string[]): RegExp {
  return new RegExp(`(?<![\\w$])(?:${words.map(escapeRegexLiteral).join('|')})(?![\\w$])`);
}

const wordRegexes = new Map<string, RegExp>();

/**
 * Can the rule fire in this text? A source must be named in it (every segment of its name as a
 * word: `req` and `body` for `req.body`, which destructuring keeps too) and a sink as well: a
 * cheap test that keeps most files away from the analysis. `seen` caches words per file.
 */
function mayApply(spec: TaintSpec, text: string, seen: Map<string, boolean>): boolean {
  const { first, segments } = sourceNamesOf(spec);
  if (first && !first.test(text)) return false;
  const has = (word: string): boolean => {
    let yes = seen.get(word);
    if (yes === undefined) {
      let re = wordRegexes.get(word);
      if (!re) {
        re = wordsRegex([word]);
        if (wordRegexes.size > 2000) wordRegexes.clear();
        wordRegexes.set(word, re);
      }
      yes = re.test(text);
      seen.set(word, yes);
    }
    return yes;
  };
  if (segments.length > 0 && !segments.some((parts) => parts.every(has))) return false;
  // A sink is named in the text the same way (`exec` and `child_process` for `child_process.exec`,
  // however it was imported); a method sink on any receiver (`*.create`) by its method call. A sink
  // reached through a computed name (`cp['ex' + 'ec']`) is left to the rules about hidden calls.
  return spec.sinks.some((sink) => {
    const method = anyReceiverMethod(sink.name);
    return method !== null ? methodCall(method).test(text) : sink.name.split('.').every(has);
  });
}

const methodCalls = new Map<string, RegExp>();

function methodCall(method: string): RegExp {
  let re = methodCalls.get(method);
  if (!re) {
    re = new RegExp(`\\.\\s*${escapeRegexLiteral(method)}(?![\\w$])`);
    methodCalls.set(method, re);
  }
  return re;
}

/**
 * Matches of taint rules whose sink call is on one of the added lines. `gaveUp` is set when the
 * analysis hit its bounds: the caller must then list the file as not reviewed.
 */
export function taintRuleMatches(
  rules: readonly CompiledRule[],
  language: Language,
  tree: SgNode | string,
  sortedAdded: readonly number[],
): { matches: TaintRuleMatch[]; gaveUp: string | null } {
  const text = typeof tree === 'string' ? tree : tree.text();
  const seen = new Map<string, boolean>();
  const taintRules = rules.filter((r) => r.match.kind === 'taint' && mayApply(r.match.spec, text, seen));
  if (taintRules.length === 0) return { matches: [], gaveUp: null };
  const sinks = taintRules.flatMap((r) => (r.match.kind === 'taint' ? r.match.spec.sinks.map((s) => s.name) : []));
  const matches: TaintRuleMatch[] = [];
  try {
    const { file, root } = taintFile(tree, language);
    const lastNames = new Set(sinks.map((name) => name.slice(name.lastIndexOf('.') + 1)));
    const analyses = taintRules.map((rule) => ({ rule, analysis: rule.match.kind === 'taint' ? new TaintAnalysis(file, root, rule.match.spec) : null }));
    for (const site of file.sites) {
      const lines = file.lines(site);
      if (!anyLineWithin(sortedAdded, lines.start, lines.end) || !file.mayEndIn(site, lastNames)) continue;
      for (const { rule, analysis } of analyses) {
        const flow = analysis?.flowAt(site);
        if (!flow || rule.match.kind !== 'taint') continue;
        matches.push({
          ruleId: rule.meta.id,
          line: flow.sink.line,
          endLine: flow.sink.endLine,
          column: flow.sink.column,
          text: flow.sink.text,
          message: `${rule.meta.message}\n\nPath: ${flow.path}`,
          deferTo: rule.match.deferTo,
          flow: flow.steps.map((s) => ({ line: s.line, text: s.text })),
        });
      }
    }
  } catch (err) {
    if (err instanceof GaveUp) return { matches: [], gaveUp: err.reason };
    throw err;
  }
  return { matches, gaveUp: null };
}

import type { SgNode } from '@ast-grep/napi';
import type { Language } from '../rules/schema.js';
import type { CompiledRule } from '../scan/compile.js';
import { anyLineWithin } from '../scan/sorted-lines.js';
import { GaveUp } from './budget.js';
import { anchorOf } from './index.js';
import type { CallRuleMatch } from './rules.js';
import { escapeRegexLiteral } from '../text.js';
import { mayReachSink, TaintAnalysis, taintFile, type TaintSpec } from './taint.js';

// Taint rules on the semantic layer: a finding is a sink call whose argument carries a value from
// a source, and its message shows the path the value took.

/** A call-rule match whose message ends in the path, plus the rules that win on the same line. */
export interface TaintRuleMatch extends CallRuleMatch {
  deferTo: ReadonlySet<string>;
  flow: { line: number; text: string }[];
}

const sourceWords = new WeakMap<TaintSpec, Map<Language, RegExp | null>>();

/** The words a file must contain for one of the spec's sources to be in it: each source's anchor word. */
function sourceWordsOf(spec: TaintSpec, language: Language): RegExp | null {
  let byLanguage = sourceWords.get(spec);
  if (!byLanguage) sourceWords.set(spec, (byLanguage = new Map()));
  if (byLanguage.has(language)) return byLanguage.get(language)!;
  const names = [...spec.sources, ...(spec.sourceCalls ?? []).map((c) => c.name), ...(spec.secretSources ?? []).map((c) => c.name), ...(spec.parametersOf ?? [])];
  const words = [...new Set(names.map((n) => anchorOf(language, n)))];
  const re = words.length === 0 ? null : new RegExp(`(?<![\\w$])(?:${words.map(escapeRegexLiteral).join('|')})(?![\\w$])`, 'i');
  byLanguage.set(language, re);
  return re;
}

/**
 * Can the rule fire in this text? A source must be named in it (by the first word of its name:
 * a framework object, a module, a conventional parameter name; in any case, since PHP namespaces
 * and Go import paths are not written the way canonical names are) and a sink reachable: a cheap
 * test that keeps most files away from the analysis.
 */
function mayApply(spec: TaintSpec, text: string, language: Language): boolean {
  const words = sourceWordsOf(spec, language);
  if (words && !words.test(text)) return false;
  return mayReachSink(text, language, spec.sinks.map((s) => s.name));
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
  const taintRules = rules.filter((r) => r.match.kind === 'taint' && mayApply(r.match.spec, text, language));
  if (taintRules.length === 0) return { matches: [], gaveUp: null };
  const sinks = taintRules.flatMap((r) => (r.match.kind === 'taint' ? r.match.spec.sinks.map((s) => s.name) : []));
  const matches: TaintRuleMatch[] = [];
  try {
    const { file, root } = taintFile(tree, language);
    const lastNames = new Set(sinks.map((name) => name.slice(name.lastIndexOf('.') + 1)));
    const analyses = taintRules.map((rule) => ({ rule, analysis: rule.match.kind === 'taint' ? new TaintAnalysis(file, root, rule.match.spec) : null }));
    for (const site of file.sites) {
      const lines = file.lines(site);
      if (!anyLineWithin(sortedAdded, lines.start, lines.end)) continue;
      for (const { rule, analysis } of analyses) {
        if (!analysis?.mayFlowAt(site, lastNames)) continue;
        const flow = analysis.flowAt(site);
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

import type { SgNode } from '@ast-grep/napi';
import type { Language } from '../rules/schema.js';
import type { CompiledRule } from '../scan/compile.js';
import { anyLineWithin } from '../scan/sorted-lines.js';
import { GaveUp } from './budget.js';
import type { CallRuleMatch } from './rules.js';
import { calleeProperty, mayReachSink, maySourceIn, TaintAnalysis, taintFile } from './taint.js';

// Taint rules on the semantic layer: a finding is a sink call whose argument carries a value from
// a source, and its message shows the path the value took.

/** A call-rule match whose message ends in the path, plus the rules that win on the same line. */
export interface TaintRuleMatch extends CallRuleMatch {
  deferTo: ReadonlySet<string>;
  flow: { line: number; text: string }[];
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
  // A flow starts at a source: a rule none of whose sources is named in the file has none.
  const taintRules = rules.filter((r) => r.match.kind === 'taint' && maySourceIn(text, language, r.match.spec.sources));
  const sinks = taintRules.flatMap((r) => (r.match.kind === 'taint' ? r.match.spec.sinks.map((s) => s.name) : []));
  if (sinks.length === 0) return { matches: [], gaveUp: null };
  if (!mayReachSink(text, language, sinks)) return { matches: [], gaveUp: null };
  const matches: TaintRuleMatch[] = [];
  try {
    const { file, root } = taintFile(tree, language);
    const lastNames = new Set(sinks.map((name) => name.slice(name.lastIndexOf('.') + 1)));
    const analyses = taintRules.map((rule) => ({ rule, analysis: rule.match.kind === 'taint' ? new TaintAnalysis(file, root, rule.match.spec) : null }));
    for (const site of file.sites) {
      const lines = file.lines(site);
      if (!anyLineWithin(sortedAdded, lines.start, lines.end)) continue;
      const property = calleeProperty(file, site);
      for (const { rule, analysis } of analyses) {
        if (!analysis?.mayFlowAt(property, lastNames)) continue;
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

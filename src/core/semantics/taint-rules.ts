import type { SgNode } from '@ast-grep/napi';
import type { Language } from '../rules/schema.js';
import type { CompiledRule } from '../scan/compile.js';
import { anyLineWithin } from '../scan/sorted-lines.js';
import { GaveUp } from './budget.js';
import { mayReach } from './index.js';
import type { CallRuleMatch } from './rules.js';
import { namedSourcesMayMatch, patternSinkFlows, sinkCallsMayMatch, sinkPatternsMayMatch, sourcePatternsMayMatch } from './taint-patterns.js';
import { TaintAnalysis, taintFile, type TaintFlow } from './taint.js';

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
  const taintRules = rules.filter((r) => r.match.kind === 'taint');
  const sinks = taintRules.flatMap((r) => (r.match.kind === 'taint' ? r.match.spec.sinks.map((s) => s.name) : []));
  const byName = sinks.length > 0 && mayReach(text, language, sinks);
  // Rules with sinks named by code shape: those whose sink and source patterns (or named sources) may match this text.
  const byPattern = taintRules.filter((r) => {
    const spec = r.match.kind === 'taint' ? r.match.spec : null;
    if (!spec?.patterns) return false;
    if (!sinkPatternsMayMatch(spec.patterns, text) && !sinkCallsMayMatch(spec.patterns, text)) return false;
    return sourcePatternsMayMatch(spec.patterns, text) || namedSourcesMayMatch(spec.sources, text);
  });
  if (!byName && byPattern.length === 0) return { matches: [], gaveUp: null };
  const matches: TaintRuleMatch[] = [];
  try {
    const { file, root } = taintFile(tree, language);
    const lastNames = new Set(sinks.map((name) => name.slice(name.lastIndexOf('.') + 1)));
    const analyses = new Map(taintRules.map((rule) => [rule, rule.match.kind === 'taint' ? new TaintAnalysis(file, root, rule.match.spec) : null]));
    const push = (rule: CompiledRule, flow: TaintFlow) => {
      if (rule.match.kind !== 'taint') return;
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
    };
    for (const site of byName ? file.sites : []) {
      const lines = file.lines(site);
      if (!anyLineWithin(sortedAdded, lines.start, lines.end) || !file.mayEndIn(site, lastNames)) continue;
      for (const [rule, analysis] of analyses) {
        if (rule.match.kind !== 'taint' || rule.match.spec.sinks.length === 0) continue;
        const flow = analysis?.flowAt(site);
        if (flow) push(rule, flow);
      }
    }
    for (const rule of byPattern) {
      const analysis = analyses.get(rule);
      if (!analysis || rule.match.kind !== 'taint' || !rule.match.spec.patterns) continue;
      for (const flow of patternSinkFlows(analysis, root, rule.match.spec.patterns, sortedAdded)) push(rule, flow);
    }
  } catch (err) {
    if (err instanceof GaveUp) return { matches: [], gaveUp: err.reason };
    throw err;
  }
  return { matches, gaveUp: null };
}

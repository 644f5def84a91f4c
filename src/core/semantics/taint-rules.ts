import type { Language } from '../rules/schema.js';
import type { CompiledRule } from '../scan/compile.js';
import { anyLineWithin } from '../scan/sorted-lines.js';
import { GaveUp } from './budget.js';
import { mayReachEach, semanticsOf, textOf, type SemanticsInput } from './index.js';
import type { CallRuleMatch } from './rules.js';
import { TaintAnalysis } from './taint.js';

// Taint rules on the semantic layer: a finding is a sink call whose argument carries a value from
// a source, and its message shows the path the value took.

/** A call-rule match whose message ends in the path, plus the rules that win on the same line. */
export interface TaintRuleMatch extends CallRuleMatch {
  deferTo: ReadonlySet<string>;
  flow: { line: number; text: string }[];
}

const lastName = (name: string): string => name.slice(name.lastIndexOf('.') + 1);

/**
 * Matches of taint rules whose sink call is on one of the added lines. `gaveUp` is set when the
 * analysis hit its bounds: the caller must then list the file as not reviewed.
 *
 * The cost per rule stays small as rules grow: one semantic model per file serves every rule
 * (and the call rules, when `tree` is shared with them), a rule none of whose sinks the text can
 * reach is not run, a rule looks only at calls that can end in one of its sinks' last names, and
 * what does not depend on the rule (a call's callee and resolution, the file's functions) is
 * computed once per file.
 */
export function taintRuleMatches(
  rules: readonly CompiledRule[],
  language: Language,
  tree: SemanticsInput,
  sortedAdded: readonly number[],
): { matches: TaintRuleMatch[]; gaveUp: string | null } {
  const taintRules = rules.flatMap((rule) => (rule.match.kind === 'taint' ? [{ rule, spec: rule.match.spec, deferTo: rule.match.deferTo }] : []));
  const sinkNames = taintRules.map(({ spec }) => spec.sinks.map((s) => s.name));
  const reachable = mayReachEach(textOf(tree), language, sinkNames);
  const candidates = taintRules.filter((_, i) => reachable[i]);
  if (candidates.length === 0) return { matches: [], gaveUp: null };
  const matches: TaintRuleMatch[] = [];
  try {
    const file = semanticsOf(tree, language);
    const analyses = candidates.map(({ rule, spec, deferTo }) => ({
      rule,
      deferTo,
      lastNames: new Set(spec.sinks.map((s) => lastName(s.name))),
      analysis: new TaintAnalysis(file, file.root, spec),
    }));
    const anyLastName = new Set(candidates.flatMap(({ spec }) => spec.sinks.map((s) => lastName(s.name))));
    for (const site of file.sites) {
      const lines = file.lines(site);
      if (!anyLineWithin(sortedAdded, lines.start, lines.end) || !file.mayEndIn(site, anyLastName)) continue;
      // The callee's name is read once for all rules (and its resolution is kept by the model).
      const property = file.plainProperty(site);
      for (const { rule, deferTo, lastNames, analysis } of analyses) {
        const flow = property === null || lastNames.has(property) ? analysis.flowAt(site) : null;
        if (!flow) continue;
        matches.push({
          ruleId: rule.meta.id,
          line: flow.sink.line,
          endLine: flow.sink.endLine,
          column: flow.sink.column,
          text: flow.sink.text,
          message: `${rule.meta.message}\n\nPath: ${flow.path}`,
          deferTo,
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

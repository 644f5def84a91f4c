import type { Language } from '../../rules/schema.js';
import type { CompiledRule } from '../../scan/compile.js';
import { anyLineWithin } from '../../scan/sorted-lines.js';
import { GaveUp } from '../budget.js';
import { anchorOf, hasWord, semanticsOf, textOf, type SemanticsInput } from '../index.js';
import type { CallRuleMatch } from '../rules.js';
import { patternSinkFlows, sinkCallsMayMatch, sinkPatternsMayMatch, sourcePatternsMayMatch } from './patterns.js';
import { mayReachSink, TaintAnalysis, type TaintFlow, type TaintSpec } from './analysis.js';

// Taint rules on the semantic layer: a finding is a sink call whose argument carries a value from
// a source, and its message shows the path the value took.

/** A call-rule match whose message ends in the path, plus the rules that win on the same line. */
export interface TaintRuleMatch extends CallRuleMatch {
  deferTo: ReadonlySet<string>;
  flow: { line: number; text: string }[];
}

const sourceWords = new WeakMap<TaintSpec, Map<Language, { first: string; last: string }[]>>();

/**
 * Each source name as the two words a file must contain for it to be there: its anchor (the first
 * segment, or what the front end says: PHP namespaces and Go import paths are not written the way
 * canonical names are) and its last segment (`req` and `body` for `req.body`, which
 * destructuring keeps too). In any case, after anything but a word character (Bash writes
 * `$GITHUB_TOKEN`, PHP `$_GET`).
 */
function sourceWordsOf(spec: TaintSpec, language: Language): { first: string; last: string }[] {
  let byLanguage = sourceWords.get(spec);
  if (!byLanguage) sourceWords.set(spec, (byLanguage = new Map()));
  const known = byLanguage.get(language);
  if (known) return known;
  const names = [...spec.sources, ...(spec.sourceCalls ?? []).map((c) => c.name), ...(spec.secretSources ?? []).map((c) => c.name), ...(spec.parametersOf ?? [])];
  const words = names.map((n) => ({ first: anchorOf(language, n), last: n.slice(n.lastIndexOf('.') + 1) }));
  byLanguage.set(language, words);
  return words;
}

const lastNamesOf = new WeakMap<TaintSpec, ReadonlySet<string>>();

/** The last segments of a rule's sink names (`exec` for `child_process.exec` and `*.exec`). */
function sinkLastNames(spec: TaintSpec): ReadonlySet<string> {
  let names = lastNamesOf.get(spec);
  if (!names) lastNamesOf.set(spec, (names = new Set(spec.sinks.map((s) => s.name.slice(s.name.lastIndexOf('.') + 1)))));
  return names;
}


/**
 * Can the rule fire in this text? A source must be named in it and a sink reachable: a cheap test
 * that keeps most files away from the analysis.
 */
function mayApply(spec: TaintSpec, text: string, language: Language): boolean {
  if (!mayHaveSource(spec, text, language)) return false;
  return mayReachSink(text, language, spec.sinks.map((s) => s.name));
}

const IGNORE_CASE = { ignoreCase: true };

function mayHaveSource(spec: TaintSpec, text: string, language: Language): boolean {
  if (spec.patterns && sourcePatternsMayMatch(spec.patterns, text)) return true;
  const words = sourceWordsOf(spec, language);
  return words.length === 0 ? !spec.patterns : words.some((w) => hasWord(text, w.first, IGNORE_CASE) && hasWord(text, w.last, IGNORE_CASE));
}

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
  const text = textOf(tree);
  const taintRules = rules.flatMap((r) => (r.match.kind === 'taint' ? [{ rule: r, spec: r.match.spec }] : []));
  const byName = taintRules.filter(({ spec }) => spec.sinks.length > 0 && mayApply(spec, text, language));
  // Rules with sinks named by code shape (Semgrep's `mode: taint`): a sink pattern and a source may be in this text.
  const byPattern = taintRules.filter(({ spec }) => spec.patterns && (sinkPatternsMayMatch(spec.patterns, text) || sinkCallsMayMatch(spec.patterns, text)) && mayHaveSource(spec, text, language));
  if (byName.length === 0 && byPattern.length === 0) return { matches: [], gaveUp: null };
  const matches: TaintRuleMatch[] = [];
  try {
    const file = semanticsOf(tree, language);
    const root = file.root;
    const analyses = new Map([...byName, ...byPattern].map(({ rule, spec }) => [rule, new TaintAnalysis(file, root, spec)]));
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
    for (const site of byName.length > 0 ? file.sites : []) {
      const lines = file.lines(site);
      if (!anyLineWithin(sortedAdded, lines.start, lines.end)) continue;
      const property = file.plainProperty(site);
      for (const { rule, spec } of byName) {
        const analysis = analyses.get(rule)!;
        if (!analysis.mayFlowAt(property, sinkLastNames(spec))) continue;
        const flow = analysis.flowAt(site);
        if (flow) push(rule, flow);
      }
    }
    for (const { rule, spec } of byPattern) {
      for (const flow of patternSinkFlows(analyses.get(rule)!, root, spec.patterns!, sortedAdded)) push(rule, flow);
    }
  } catch (err) {
    if (err instanceof GaveUp) return { matches: [], gaveUp: err.reason };
    throw err;
  }
  return { matches, gaveUp: null };
}

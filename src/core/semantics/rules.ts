import type { Language } from '../rules/schema.js';
import type { CompiledRule } from '../scan/compile.js';
import { anyLineWithin } from '../scan/sorted-lines.js';
import { escapeRegexLiteral } from '../text.js';
import { GaveUp, mayReach, semanticsOf, textOf, type FoldedArg, type ResolvedCall, type SemanticsInput } from './index.js';

// Call rules on the semantic layer: a rule names canonical callees and which kinds of argument
// value fire; a constant that had to be computed is shown decoded in the finding.

export interface CallRuleMatch {
  ruleId: string;
  line: number;
  endLine: number;
  column: number;
  text: string;
  /** The rule's message plus what the call resolves to and what a computed argument decodes to. */
  message: string;
}

const SHOWN_MAX = 200;

function fires(argIs: ReadonlySet<string>, arg: FoldedArg): boolean {
  if (arg.decoded && argIs.has('decoded')) return true;
  return argIs.has(arg.dynamic ? 'dynamic' : arg.computed ? 'computed' : 'literal');
}

/** Visible form of a decoded value: control characters escaped, long values clipped. */
export function showValue(value: string): string {
  // JSON's escapes for control characters and backslashes; quotes stay readable.
  const escaped = JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"');
  return escaped.length <= SHOWN_MAX ? escaped : `${escaped.slice(0, SHOWN_MAX)}…`;
}

/**
 * True when the callee as written does not end in the name of the function it resolves to:
 * `run` or `cp['ex' + 'ec']` for `child_process.exec`, `(0, eval)`; not `exec`, `cp.exec`, PHP's
 * `\\exec` or a shell's `/usr/bin/curl`.
 */
export function calleeHides(callee: string, canonical: string): boolean {
  const last = canonical.slice(canonical.lastIndexOf('.') + 1);
  return !new RegExp(`(?:^|[.\\\\/])\\s*${escapeRegexLiteral(last)}$`).test(callee.trim());
}

/**
 * Matches of call rules on one file's added lines. `gaveUp` is set when the analysis hit its
 * bounds: the caller must then list the file as not reviewed, not treat it as clean.
 */
export function callRuleMatches(
  rules: readonly CompiledRule[],
  language: Language,
  tree: SemanticsInput,
  sortedAdded: readonly number[],
): { matches: CallRuleMatch[]; gaveUp: string | null } {
  const callRules = rules.filter((r) => r.match.kind === 'call');
  if (callRules.length === 0) return { matches: [], gaveUp: null };
  const wanted = new Set(callRules.flatMap((r) => (r.match.kind === 'call' ? [...r.match.names] : [])));
  if (!mayReach(textOf(tree), language, [...wanted])) return { matches: [], gaveUp: null };
  const lastNames = new Set([...wanted].map((name) => name.slice(name.lastIndexOf('.') + 1)));
  const matches: CallRuleMatch[] = [];
  try {
    const file = semanticsOf(tree, language);
    for (const site of file.sites) {
      // Statements that only act as calls (an assignment to a property, `echo`) are the taint
      // rules' sinks; call rules are about what code calls (`window.eval = f` calls nothing).
      if (site.builtin) continue;
      // Cheap questions first: is the call on an added line, can it call a name a rule wants?
      const lines = file.lines(site);
      if (!anyLineWithin(sortedAdded, lines.start, lines.end) || !file.mayEndIn(site, lastNames)) continue;
      const canonical = file.canonical(site);
      if (canonical === null || !wanted.has(canonical)) continue;
      matches.push(...matchesAt(callRules, file.resolve(site), () => file.calleeBuilt(site)));
    }
  } catch (err) {
    if (err instanceof GaveUp) return { matches: [], gaveUp: err.reason };
    throw err;
  }
  return { matches, gaveUp: null };
}

function matchesAt(callRules: readonly CompiledRule[], call: ResolvedCall, calleeBuilt: () => boolean): CallRuleMatch[] {
  const out: CallRuleMatch[] = [];
  for (const rule of callRules) {
    const m = rule.match;
    if (m.kind !== 'call' || call.canonical === null || !m.names.has(call.canonical)) continue;
    const arg = call.args.filter((a) => a.keyword === null)[m.arg];
    if (!arg || !fires(m.argIs, arg)) continue;
    if (m.hiddenCallee && !calleeHides(call.callee, call.canonical)) continue;
    if (m.calleeBuilt && !calleeBuilt()) continue;
    const notes = [`Resolves to: ${call.canonical}.`];
    if (arg.computed && arg.value !== null) notes.push(`The argument decodes to: ${showValue(arg.value)}`);
    out.push({
      ruleId: rule.meta.id,
      line: call.range.start.line,
      endLine: call.range.end.line,
      column: call.range.start.column,
      text: call.text,
      message: `${rule.meta.message}\n\n${notes.join('\n')}`,
    });
  }
  return out;
}

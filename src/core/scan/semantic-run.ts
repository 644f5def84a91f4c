import type { Language } from '../rules/schema.js';
import { SharedSemantics } from '../semantics/index.js';
import { callRuleMatches } from '../semantics/rules.js';
import { taintRuleMatches } from '../semantics/taint/rules.js';
import { firstLine, type CompiledRule } from './compile.js';

/** One file's work for the semantic layer (call and taint rules): plain data, so it can cross threads. */
export interface SemanticRequest {
  /** The file's path, for messages about it. */
  path: string;
  text: string;
  language: Language;
  /** Ids of the call rules the file's plan selected, in catalog order. */
  callRules: string[];
  /** Ids of the taint rules the file's plan selected, in catalog order. */
  taintRules: string[];
  sortedAdded: number[];
}

export interface SemanticMatch {
  ruleId: string;
  line: number;
  endLine: number;
  column: number;
  text: string;
  message: string;
  /** Taint matches: rule ids that win over this match on the same line. */
  deferTo?: ReadonlySet<string>;
  /** Taint matches: the path from source to sink. */
  flow?: { line: number; text: string }[];
}

export interface SemanticResult {
  matches: SemanticMatch[];
  /** Why the file was not fully reviewed by these rules ("analysis budget: …", "taint rules failed: …"). */
  partial: string[];
  /** Whether syntax trees were built (and so are there to free). */
  built: boolean;
}

/**
 * Runs the semantic layer somewhere else (worker threads, see io/semantic-pool.ts), so that the
 * scan goes on with other files meanwhile. A result is what `semanticMatches` gives for the
 * request; a rejection means the file's call and taint rules did not run (the reason is listed).
 */
export interface SemanticRunner {
  /** How many requests the scan keeps in flight so that the runner stays busy. */
  readonly concurrency: number;
  run(request: SemanticRequest): Promise<SemanticResult>;
}

/** The call and taint rules of one file, on one parse and one walk shared by both. */
export function semanticMatches(
  call: readonly CompiledRule[],
  taint: readonly CompiledRule[],
  text: string,
  language: Language,
  sortedAdded: readonly number[],
): SemanticResult {
  const out: SemanticResult = { matches: [], partial: [], built: false };
  if (sortedAdded.length === 0 || call.length + taint.length === 0) return out;
  const semantics = new SharedSemantics(text, language);
  // The rules share one budget: a file they gave up on is listed once.
  const gaveUpOn = (reason: string) => {
    const line = `analysis budget: ${reason}`;
    if (!out.partial.includes(line)) out.partial.push(line);
  };
  if (call.length > 0) {
    try {
      const { matches, gaveUp } = callRuleMatches(call, language, semantics, sortedAdded);
      if (gaveUp !== null) gaveUpOn(gaveUp);
      for (const m of matches) out.matches.push({ ruleId: m.ruleId, line: m.line, endLine: m.endLine, column: m.column, text: m.text, message: m.message });
    } catch (err) {
      out.partial.push(`call rules failed: ${firstLine(err)}`);
    }
  }
  if (taint.length > 0) {
    try {
      const { matches, gaveUp } = taintRuleMatches(taint, language, semantics, sortedAdded);
      if (gaveUp !== null) gaveUpOn(gaveUp);
      for (const m of matches) {
        out.matches.push({ ruleId: m.ruleId, line: m.line, endLine: m.endLine, column: m.column, text: m.text, message: m.message, deferTo: m.deferTo, flow: m.flow });
      }
    } catch (err) {
      out.partial.push(`taint rules failed: ${firstLine(err)}`);
    }
  }
  out.built = semantics.built();
  return out;
}

/**
 * Answers requests from a catalog's rules, looked up by id (what a worker thread does with the
 * catalog it built from the same rule sources). An id it does not know is an error: the catalogs differ.
 */
export function answerSemanticRequest(ruleById: (id: string) => CompiledRule | undefined, request: SemanticRequest): SemanticResult {
  const lookup = (ids: readonly string[], kind: 'call' | 'taint') =>
    ids.map((id) => {
      const rule = ruleById(id);
      if (!rule || rule.match.kind !== kind) throw new Error(`internal: no ${kind} rule ${id} in the worker's catalog`);
      return rule;
    });
  return semanticMatches(lookup(request.callRules, 'call'), lookup(request.taintRules, 'taint'), request.text, request.language, request.sortedAdded);
}

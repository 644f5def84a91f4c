// The `yaml` package recurses on flow collections: about 10,000 nested `{` abort the whole
// Node process with a fatal out-of-memory error that no try/catch can stop. Every YAML text
// we did not write ourselves is measured with this before it reaches the parser.
//
// Aliases are the other way to make a small text huge ("billion laughs": anchors of lists of
// aliases of anchors…). The parser refuses to expand past a bound; documentValue turns that
// refusal into a problem the caller reports against its file.

import { LineCounter, parseDocument, type Document } from 'yaml';

/** Alias expansion allowed per document (yaml's own default, stated so it cannot drift). */
export const MAX_ALIAS_COUNT = 100;

/** Deeper flow nesting ({[{[…) than this is refused; no real configuration comes close. */
export const MAX_FLOW_DEPTH = 1000;

/** Deepest naive nesting of `[`/`{` (quotes ignored: a cheap upper bound) and the line where it is reached. */
export function maxFlowDepth(text: string): { depth: number; line: number } {
  let depth = 0;
  let max = 0;
  let line = 1;
  let maxLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth > max) {
        max = depth;
        maxLine = line;
      }
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return { depth: max, line: maxLine };
}

/** A one-line problem (`line 3: brackets nested …`) when the text is too deeply nested to parse safely. */
export function yamlNestingProblem(text: string): string | null {
  const { depth, line } = maxFlowDepth(text);
  return depth > MAX_FLOW_DEPTH ? `line ${line}: brackets nested more than ${MAX_FLOW_DEPTH} levels deep` : null;
}

/** The plain value of a parsed document, or a one-line problem when its aliases expand too far. */
export function documentValue(doc: Document): { value: unknown } | { problem: string } {
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    // yaml throws a ReferenceError for alias bombs ("Excessive alias count …").
    const aliases = error instanceof ReferenceError && /alias/i.test(reason);
    return { problem: `invalid YAML: ${aliases ? `its aliases expand too far (${reason})` : reason}` };
  }
}

export type SafeYaml = { ok: true; doc: Document; counter: LineCounter; value: unknown } | { ok: false; problem: string };

/**
 * A YAML text read safely: nesting checked before parsing, the first syntax error as
 * `line N: invalid YAML: …`, aliases expanded within bounds. The document and its line counter
 * come back too, for callers that point at a node's line.
 */
export function readYamlSafely(text: string, options: { uniqueKeys: boolean }): SafeYaml {
  const tooDeep = yamlNestingProblem(text);
  if (tooDeep) return { ok: false, problem: tooDeep };
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: options.uniqueKeys });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = counter.linePos(err.pos[0]).line;
    return { ok: false, problem: `${line ? `line ${line}: ` : ''}invalid YAML: ${err.message.split('\n')[0]}` };
  }
  const expanded = documentValue(doc);
  if ('problem' in expanded) return { ok: false, problem: expanded.problem };
  return { ok: true, doc, counter, value: expanded.value };
}

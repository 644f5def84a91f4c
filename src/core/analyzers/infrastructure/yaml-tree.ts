import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { hclLiteral, type HclEntry, type HclValue } from '../../formats/hcl.js';
import { yamlNestingProblem } from '../../formats/yaml-safety.js';

// YAML documents (Kubernetes manifests, Compose files, cloud-config) as the same line-numbered
// value tree the Terraform checks read (formats/hcl.ts), so one set of lookups serves both.

/** Values read per file at most: aliases can make a small text huge ("billion laughs"). */
const MAX_NODES = 200_000;

export interface YamlTreeDocument {
  value: HclValue | null;
  /** 1-based lines the document spans. */
  startLine: number;
  endLine: number;
  /** The document's first syntax error, when it has one (its value is then null). */
  error: { line: number; message: string } | null;
}

export function readYamlDocuments(text: string): { documents: YamlTreeDocument[]; problem: string | null } {
  const problem = yamlNestingProblem(text);
  if (problem) return { documents: [], problem };
  const counter = new LineCounter();
  let parsed: Document.Parsed[];
  try {
    parsed = parseAllDocuments(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: false }) as Document.Parsed[];
  } catch (err) {
    return { documents: [], problem: err instanceof Error ? err.message.split('\n')[0]! : 'the file could not be parsed' };
  }
  if (!Array.isArray(parsed)) return { documents: [], problem: 'the file could not be parsed' };
  const lineAt = (offset: number) => counter.linePos(offset).line || 1;
  let budget = MAX_NODES;

  function convert(doc: Document.Parsed, node: unknown, depth: number): HclValue | null {
    if (--budget < 0 || depth > 200) return null;
    if (isAlias(node)) {
      try {
        return convert(doc, node.resolve(doc), depth + 1);
      } catch {
        return null;
      }
    }
    const range = (node as { range?: [number, number, number] } | null)?.range;
    const line = range ? lineAt(range[0]) : 1;
    if (isScalar(node)) {
      const v = node.value;
      if (typeof v === 'string') return { kind: 'string', line, value: v, endLine: range ? lineAt(Math.max(range[0], range[1] - 1)) : line };
      if (typeof v === 'number') return { kind: 'number', line, value: v };
      if (typeof v === 'boolean') return { kind: 'boolean', line, value: v };
      if (v === null || v === undefined) return { kind: 'null', line };
      return { kind: 'string', line, value: String(v) };
    }
    if (isSeq(node)) {
      const items: HclValue[] = [];
      for (const item of node.items) {
        const c = convert(doc, item, depth + 1);
        if (c) items.push(c);
      }
      return { kind: 'array', line, items };
    }
    if (isMap(node)) {
      const entries: HclEntry[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = convert(doc, pair.key, depth + 1);
        const key = (keyNode && hclLiteral(keyNode)) ?? '';
        const keyRange = (pair.key as { range?: [number, number, number] } | null)?.range;
        const keyLine = keyRange ? lineAt(keyRange[0]) : line;
        const value = convert(doc, pair.value, depth + 1) ?? { kind: 'null', line: keyLine };
        entries.push({ key, keyLine, value });
      }
      return { kind: 'object', line, entries };
    }
    return null;
  }

  const documents: YamlTreeDocument[] = [];
  for (const doc of parsed) {
    const range = doc.range;
    const startLine = lineAt(range[0]);
    const endLine = lineAt(Math.max(range[0], range[2] - 1));
    if (doc.errors.length > 0) {
      const err = doc.errors[0]!;
      documents.push({ value: null, startLine, endLine, error: { line: lineAt(err.pos[0]), message: err.message.split('\n')[0]! } });
      continue;
    }
    documents.push({ value: convert(doc, doc.contents, 0), startLine, endLine, error: null });
  }
  return { documents, problem: null };
}

/** Every object in a tree, with the key it sits under (the nearest key above a list item). */
export function* objectsWithin(node: HclValue | null, parentKey = ''): Generator<{ node: Extract<HclValue, { kind: 'object' }>; parentKey: string }> {
  if (!node) return;
  if (node.kind === 'object') {
    yield { node, parentKey };
    for (const e of node.entries) yield* objectsWithin(e.value, e.key);
  } else if (node.kind === 'array') for (const i of node.items) yield* objectsWithin(i, parentKey);
  else if (node.kind === 'call') for (const a of node.args) yield* objectsWithin(a, parentKey);
}

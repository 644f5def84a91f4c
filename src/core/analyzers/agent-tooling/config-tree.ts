// Agent configuration comes as JSON, TOML (Codex), YAML (Aider, Continue) or YAML front matter
// (Claude Code commands, subagents, skills). The checks work on one tree shape, the line-aware
// JSON node of formats/jsonc.ts; these adapters turn the other readers' output into it, keeping
// the line of every key and value.

import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { JsonEntry, JsonNode, JsonObject } from '../../formats/jsonc.js';
import { readToml, type TomlValue } from '../../formats/toml.js';
import { yamlNestingProblem } from '../../formats/yaml-safety.js';

export type TreeResult = { ok: true; value: JsonNode } | { ok: false; message: string; line: number };

const MAX_NODES = 200_000;
const MAX_DEPTH = 64;

// ---- TOML ----

function tomlScalar(raw: string, line: number): JsonNode {
  if (raw === 'true' || raw === 'false') return { kind: 'boolean', value: raw === 'true', line };
  const n = Number(raw.replace(/_/g, ''));
  return Number.isFinite(n) && /^[+-]?[\d_.eE+-]+$/.test(raw) ? { kind: 'number', value: n, line } : { kind: 'string', value: raw, line };
}

function tomlNode(value: TomlValue, depth = 0): JsonNode {
  if (depth > MAX_DEPTH) return { kind: 'null', line: value.line };
  switch (value.kind) {
    case 'string':
      return { kind: 'string', value: value.value, line: value.line };
    case 'other':
      return tomlScalar(value.raw, value.line);
    case 'array':
      return { kind: 'array', items: value.items.map((v) => tomlNode(v, depth + 1)), line: value.line };
    case 'table': {
      const obj: JsonObject = { kind: 'object', entries: [], line: value.line };
      for (const a of value.entries) assign(obj, a.key, tomlNode(a.value, depth + 1), a.line);
      return obj;
    }
  }
}

/** The object under `key` in `obj`, created (at `line`) when missing. */
function child(obj: JsonObject, key: string, line: number): JsonObject {
  const existing = obj.entries.findLast((e) => e.key === key);
  if (existing?.value.kind === 'object') return existing.value;
  if (existing?.value.kind === 'array') {
    const last = existing.value.items[existing.value.items.length - 1];
    if (last?.kind === 'object') return last;
  }
  const created: JsonObject = { kind: 'object', entries: [], line };
  obj.entries.push({ key, keyLine: line, value: created });
  return created;
}

function assign(obj: JsonObject, key: string[], value: JsonNode, line: number): void {
  let target = obj;
  for (const part of key.slice(0, -1)) target = child(target, part, line);
  const last = key[key.length - 1];
  if (last !== undefined) target.entries.push({ key: last, keyLine: line, value });
}

/** A TOML document as a JSON tree: tables become nested objects, `[[arrays]]` arrays of objects. */
export function tomlTree(text: string): TreeResult {
  const doc = readToml(text);
  if (doc.error) return { ok: false, message: doc.error.message, line: doc.error.line };
  const root: JsonObject = { kind: 'object', entries: [], line: 1 };
  for (const table of doc.tables) {
    let target = root;
    if (table.path.length > 0) {
      for (const part of table.path.slice(0, -1)) target = child(target, part, table.line);
      const last = table.path[table.path.length - 1]!;
      if (table.arrayItem) {
        let list = target.entries.findLast((e) => e.key === last);
        if (list?.value.kind !== 'array') {
          list = { key: last, keyLine: table.line, value: { kind: 'array', items: [], line: table.line } };
          target.entries.push(list);
        }
        const item: JsonObject = { kind: 'object', entries: [], line: table.line };
        (list.value as { items: JsonNode[] }).items.push(item);
        target = item;
      } else {
        target = child(target, last, table.line);
      }
    }
    for (const a of table.assignments) assign(target, a.key, tomlNode(a.value), a.line);
  }
  return { ok: true, value: root };
}

// ---- YAML ----

function yamlTree(node: YamlNode | null | undefined, lineAt: (offset: number) => number, budget: { left: number }, depth: number): JsonNode {
  const line = node?.range ? lineAt(node.range[0]) : 1;
  if (!node || budget.left-- <= 0 || depth > MAX_DEPTH || isAlias(node)) return { kind: 'null', line };
  if (isMap(node)) {
    const entries: JsonEntry[] = [];
    for (const pair of node.items) {
      const key = pair.key as YamlNode | null;
      const keyText = isScalar(key) ? String(key.value) : null;
      if (keyText === null) continue;
      const keyLine = key?.range ? lineAt(key.range[0]) : line;
      entries.push({ key: keyText, keyLine, value: yamlTree(pair.value as YamlNode | null, lineAt, budget, depth + 1) });
    }
    return { kind: 'object', entries, line };
  }
  if (isSeq(node)) return { kind: 'array', items: node.items.map((item) => yamlTree(item as YamlNode | null, lineAt, budget, depth + 1)), line };
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') return { kind: 'string', value: v, line };
    if (typeof v === 'boolean') return { kind: 'boolean', value: v, line };
    if (typeof v === 'number') return { kind: 'number', value: v, line };
    if (v === null || v === undefined) return { kind: 'null', line };
    return { kind: 'string', value: String(v), line };
  }
  return { kind: 'null', line };
}

/** The first YAML document as a JSON tree; `firstLine` is the file line of the text's first line. Aliases are not expanded. */
export function yamlToTree(text: string, firstLine = 1): TreeResult {
  const nesting = yamlNestingProblem(text);
  if (nesting !== null) {
    const at = /^line (\d+)/.exec(nesting);
    return { ok: false, message: nesting.replace(/^line \d+: /, ''), line: (at ? Number(at[1]) : 1) + firstLine - 1 };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const lineAt = (offset: number): number => (lineCounter.linePos(offset).line || 1) + firstLine - 1;
  const error = doc.errors[0];
  if (error) return { ok: false, message: error.message.split('\n')[0]!, line: lineAt(error.pos[0]) };
  return { ok: true, value: yamlTree(doc.contents as YamlNode | null, lineAt, { left: MAX_NODES }, 0) };
}

/**
 * The YAML front matter of a markdown file (between a first line `---` and the next `---`) as a
 * JSON tree with file line numbers, or null when the file has none or it does not parse.
 */
export function frontMatterTree(lines: readonly string[]): JsonNode | null {
  if (lines[0]?.trim() !== '---') return null;
  let end = -1;
  for (let i = 1; i < lines.length && i < 500; i++) {
    if (lines[i]!.trim() === '---') {
      end = i;
      break;
    }
  }
  if (end === -1) return null;
  const parsed = yamlToTree(lines.slice(1, end).join('\n'), 2);
  return parsed.ok ? parsed.value : null;
}

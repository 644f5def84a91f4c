// A small HCL (HashiCorp Configuration Language: Terraform, OpenTofu, Packer, Nomad) reader that
// remembers the line of every key and value, so infrastructure findings can point at the
// attribute a change adds. It reads the structure (blocks, attributes, literals, lists, objects,
// function calls, heredocs) and keeps every other expression as its source text: nothing is
// evaluated. The input is hostile: the reader is linear, bounds nesting depth and never throws.
//
// Blocks come out in the shape Terraform's JSON syntax (*.tf.json) gives them, so one set of
// checks reads both: `resource "aws_s3_bucket" "logs" { acl = "x" }` is the entry `resource`
// whose value is an object `{ aws_s3_bucket: { logs: { acl: "x" } } }`; a repeated nested block
// (`ingress { … } ingress { … }`) is one entry per block.

import type { JsonNode } from './jsonc.js';

export type HclValue =
  | { kind: 'object'; line: number; entries: HclEntry[] }
  | { kind: 'array'; line: number; items: HclValue[] }
  /** `endLine`: the last line of a value written over several lines (YAML block scalars). */
  | { kind: 'string'; line: number; value: string; heredoc?: { contentLine: number }; endLine?: number }
  | { kind: 'number'; line: number; value: number }
  | { kind: 'boolean'; line: number; value: boolean }
  | { kind: 'null'; line: number }
  /** A function call such as `jsonencode({ … })`, with its arguments read as values. */
  | { kind: 'call'; line: number; name: string; args: HclValue[] }
  /** Any other expression (a reference, a conditional, a `for`): its source text, unevaluated. */
  | { kind: 'expr'; line: number; text: string };

export interface HclEntry {
  key: string;
  /** 1-based line of the key (of the block's type for a block). */
  keyLine: number;
  value: HclValue;
}

export interface HclDocument {
  /** The file's top-level body. */
  body: Extract<HclValue, { kind: 'object' }>;
  /** Syntax errors met: the reader skips to the next top-level line and goes on. */
  errors: Array<{ line: number; message: string }>;
}

/** JSON values (jsonc.ts) are HCL values: *.tf.json files and JSON policies go through the same checks. */
export function fromJson(node: JsonNode): HclValue {
  return node;
}

const MAX_DEPTH = 200;

class HclSyntaxError {
  constructor(
    readonly line: number,
    readonly message: string,
  ) {}
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_CHAR = /[A-Za-z0-9_-]/;
const BINARY_OPERATORS = ['==', '!=', '&&', '||', '<=', '>=', '<', '>', '+', '-', '*', '/', '%'];

class Reader {
  private pos = 0;
  private depth = 0;
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private fail(message: string, at = this.pos): never {
    throw new HclSyntaxError(this.lineAt(at), message);
  }

  private peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`nested more than ${MAX_DEPTH} levels deep`);
  }

  /** Skips spaces and comments; newlines too when `newlines` (inside brackets, between body items). */
  private skip(newlines: boolean): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.pos++;
      else if (c === '#' || (c === '/' && this.peek(1) === '/')) {
        while (this.pos < this.text.length && this.peek() !== '\n') this.pos++;
      } else if (c === '/' && this.peek(1) === '*') {
        const end = this.text.indexOf('*/', this.pos + 2);
        this.pos = end < 0 ? this.text.length : end + 2;
      } else return;
    }
  }

  private ident(): string {
    const start = this.pos;
    if (!IDENT_START.test(this.peek())) this.fail(`expected a name, found ${JSON.stringify(this.peek() || 'end of file')}`);
    while (IDENT_CHAR.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  document(): HclDocument {
    const body: HclDocument['body'] = { kind: 'object', line: 1, entries: [] };
    const errors: HclDocument['errors'] = [];
    for (;;) {
      this.skip(true);
      if (this.pos >= this.text.length) break;
      const start = this.pos;
      try {
        body.entries.push(this.item());
      } catch (err) {
        if (!(err instanceof HclSyntaxError)) throw err;
        errors.push({ line: err.line, message: err.message });
        this.depth = 0;
        // Resume at the next line that starts a top-level item.
        this.pos = Math.max(this.pos, start + 1);
        const next = /\n(?=[A-Za-z_])/g;
        next.lastIndex = this.pos;
        const m = next.exec(this.text);
        this.pos = m ? m.index + 1 : this.text.length;
      }
    }
    return { body, errors };
  }

  /** One attribute (`name = expr`) or block (`type "label" … { body }`) of a body. */
  private item(): HclEntry {
    const keyStart = this.pos;
    const keyLine = this.lineAt(keyStart);
    const key = this.ident();
    this.skip(false);
    if (this.peek() === '=' && this.peek(1) !== '=') {
      this.pos++;
      this.skip(false);
      return { key, keyLine, value: this.expression(false) };
    }
    const labels: Array<{ name: string; line: number }> = [];
    while (this.peek() !== '{') {
      const line = this.lineAt(this.pos);
      if (this.peek() === '"') labels.push({ name: this.quoted(), line });
      else if (IDENT_START.test(this.peek())) labels.push({ name: this.ident(), line });
      else this.fail(`expected "=" or a block after ${key}`);
      this.skip(false);
    }
    let value: HclValue = this.blockBody();
    for (let i = labels.length - 1; i >= 0; i--) value = { kind: 'object', line: labels[i]!.line, entries: [{ key: labels[i]!.name, keyLine: labels[i]!.line, value }] };
    return { key, keyLine, value };
  }

  private blockBody(): Extract<HclValue, { kind: 'object' }> {
    const line = this.lineAt(this.pos);
    this.pos++; // {
    this.enter();
    const node: Extract<HclValue, { kind: 'object' }> = { kind: 'object', line, entries: [] };
    for (;;) {
      this.skip(true);
      if (this.peek() === '}') {
        this.pos++;
        this.depth--;
        return node;
      }
      if (this.pos >= this.text.length) this.fail('unclosed block', this.lineStarts[line - 1]);
      node.entries.push(this.item());
      this.skip(false);
      if (this.peek() === ';') this.pos++;
    }
  }

  /** A plain double-quoted string with no interpolation expected (block labels). */
  private quoted(): string {
    const node = this.templateString();
    return node.value;
  }

  private expression(nested: boolean): HclValue {
    const start = this.pos;
    const first = this.operand(nested);
    let compound = false;
    for (;;) {
      const save = this.pos;
      this.skip(nested);
      const op = BINARY_OPERATORS.find((o) => this.text.startsWith(o, this.pos));
      if (op && !(op === '/' && (this.peek(1) === '/' || this.peek(1) === '*'))) {
        this.pos += op.length;
        this.skip(true);
        this.operand(true);
        compound = true;
        continue;
      }
      if (this.peek() === '?') {
        this.pos++;
        this.skip(true);
        this.expression(true);
        this.skip(true);
        if (this.peek() !== ':') this.fail('expected ":" in a conditional expression');
        this.pos++;
        this.skip(true);
        this.expression(true);
        compound = true;
        continue;
      }
      this.pos = save;
      break;
    }
    if (!compound) return first;
    return { kind: 'expr', line: this.lineAt(start), text: this.text.slice(start, this.pos).trim() };
  }

  private operand(nested: boolean): HclValue {
    const start = this.pos;
    const line = this.lineAt(start);
    const c = this.peek();
    let value: HclValue;
    if (c === '"') value = this.templateString();
    else if (c === '<' && this.peek(1) === '<') value = this.heredoc();
    else if (c === '[') value = this.tuple();
    else if (c === '{') value = this.object();
    else if (c === '(') {
      this.pos++;
      this.enter();
      this.skip(true);
      this.expression(true);
      this.skip(true);
      if (this.peek() !== ')') this.fail('expected ")"');
      this.pos++;
      this.depth--;
      value = { kind: 'expr', line, text: this.text.slice(start, this.pos) };
    } else if (c === '!' || c === '-') {
      this.pos++;
      this.skip(nested);
      const inner = this.operand(nested);
      value = inner.kind === 'number' && c === '-' ? { ...inner, value: -inner.value } : { kind: 'expr', line, text: this.text.slice(start, this.pos) };
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 64))!;
      this.pos += m[0].length;
      value = { kind: 'number', line, value: Number(m[0]) };
    } else if (IDENT_START.test(c)) {
      const name = this.ident();
      if (name === 'true' || name === 'false') value = { kind: 'boolean', line, value: name === 'true' };
      else if (name === 'null') value = { kind: 'null', line };
      else if (this.peek() === '(' || (this.peek() === ':' && this.peek(1) === ':')) value = this.call(name, start, line);
      else value = { kind: 'expr', line, text: name };
    } else this.fail(`unexpected ${JSON.stringify(c || 'end of file')}`);
    // Traversals: .attr, [index], .*, [*]
    let traversed = false;
    for (;;) {
      if (this.peek() === '.' && (IDENT_START.test(this.peek(1)) || this.peek(1) === '*' || /[0-9]/.test(this.peek(1)))) {
        this.pos++;
        if (this.peek() === '*') this.pos++;
        else while (IDENT_CHAR.test(this.peek())) this.pos++;
        traversed = true;
      } else if (this.peek() === '[') {
        this.pos++;
        this.enter();
        this.skip(true);
        if (this.peek() === '*') this.pos++;
        else this.expression(true);
        this.skip(true);
        if (this.peek() !== ']') this.fail('expected "]"');
        this.pos++;
        this.depth--;
        traversed = true;
      } else break;
    }
    return traversed ? { kind: 'expr', line, text: this.text.slice(start, this.pos) } : value;
  }

  private call(name: string, start: number, line: number): HclValue {
    let full = name;
    while (this.peek() === ':' && this.peek(1) === ':') {
      this.pos += 2;
      full += `::${this.ident()}`;
    }
    if (this.peek() !== '(') this.fail(`expected "(" after ${full}`, start);
    this.pos++;
    this.enter();
    const args: HclValue[] = [];
    for (;;) {
      this.skip(true);
      if (this.peek() === ')') break;
      args.push(this.expression(true));
      this.skip(true);
      if (this.text.startsWith('...', this.pos)) this.pos += 3;
      this.skip(true);
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== ')') this.fail(`expected "," or ")" in the arguments of ${full}`);
    }
    this.pos++;
    this.depth--;
    return { kind: 'call', line, name: full, args };
  }

  /** Skips a `for` expression's body up to the bracket that closes it. */
  private skipBalanced(close: string): void {
    let depth = 1;
    while (this.pos < this.text.length) {
      const c = this.peek();
      if (c === '"') {
        this.templateString();
        continue;
      }
      if (c === '[' || c === '{' || c === '(') depth++;
      else if (c === ']' || c === '}' || c === ')') {
        depth--;
        if (depth === 0) {
          if (c !== close) this.fail(`expected "${close}"`);
          this.pos++;
          return;
        }
      }
      this.pos++;
    }
    this.fail(`expected "${close}"`);
  }

  private forAhead(): boolean {
    return /^for\s/.test(this.text.slice(this.pos, this.pos + 4));
  }

  private tuple(): HclValue {
    const start = this.pos;
    const line = this.lineAt(start);
    this.pos++;
    this.enter();
    this.skip(true);
    if (this.forAhead()) {
      this.skipBalanced(']');
      this.depth--;
      return { kind: 'expr', line, text: this.text.slice(start, this.pos) };
    }
    const items: HclValue[] = [];
    for (;;) {
      this.skip(true);
      if (this.peek() === ']') break;
      items.push(this.expression(true));
      this.skip(true);
      if (this.text.startsWith('...', this.pos)) this.pos += 3;
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== ']') this.fail('expected "," or "]" in a list');
    }
    this.pos++;
    this.depth--;
    return { kind: 'array', line, items };
  }

  private object(): HclValue {
    const start = this.pos;
    const line = this.lineAt(start);
    this.pos++;
    this.enter();
    this.skip(true);
    if (this.forAhead()) {
      this.skipBalanced('}');
      this.depth--;
      return { kind: 'expr', line, text: this.text.slice(start, this.pos) };
    }
    const entries: HclEntry[] = [];
    for (;;) {
      this.skip(true);
      if (this.peek() === '}') break;
      const keyLine = this.lineAt(this.pos);
      const keyNode = this.expression(true);
      const key = keyNode.kind === 'string' ? keyNode.value : keyNode.kind === 'expr' ? keyNode.text.replace(/^\((.*)\)$/s, '$1') : String('value' in keyNode ? keyNode.value : keyNode.kind);
      this.skip(true);
      if (this.peek() !== '=' && this.peek() !== ':') this.fail(`expected "=" or ":" after the object key ${key}`);
      this.pos++;
      this.skip(true);
      entries.push({ key, keyLine, value: this.expression(true) });
      this.skip(false);
      if (this.peek() === ',') this.pos++;
    }
    this.pos++;
    this.depth--;
    return { kind: 'object', line, entries };
  }

  /** A quoted template: escapes decoded, `${…}` and `%{…}` kept as written. */
  private templateString(): Extract<HclValue, { kind: 'string' }> {
    const line = this.lineAt(this.pos);
    this.pos++; // "
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === '' || c === '\n') this.fail('unterminated string', this.lineStarts[line - 1]);
      if (c === '"') {
        this.pos++;
        return { kind: 'string', line, value: out };
      }
      if (c === '\\') {
        const e = this.peek(1);
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
        if (e === 'u' || e === 'U') {
          const len = e === 'u' ? 4 : 8;
          const hex = this.text.slice(this.pos + 2, this.pos + 2 + len);
          const code = /^[0-9a-fA-F]+$/.test(hex) ? Number.parseInt(hex, 16) : NaN;
          out += Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
          this.pos += 2 + len;
        } else {
          out += map[e] ?? e;
          this.pos += 2;
        }
        continue;
      }
      if ((c === '$' || c === '%') && this.peek(1) === c && this.peek(2) === '{') {
        // $${ and %%{ are the escapes for a literal ${ and %{.
        out += `${c}{`;
        this.pos += 3;
        continue;
      }
      if ((c === '$' || c === '%') && this.peek(1) === '{') {
        const start = this.pos;
        this.pos += 2;
        this.enter();
        this.skipBalanced('}');
        this.depth--;
        out += this.text.slice(start, this.pos);
        continue;
      }
      out += c;
      this.pos++;
    }
  }

  private heredoc(): Extract<HclValue, { kind: 'string' }> {
    const line = this.lineAt(this.pos);
    const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(this.text.slice(this.pos, this.pos + 200));
    if (!m) this.fail('expected a heredoc marker after <<');
    const indented = m[1] === '-';
    const marker = m[2]!;
    this.pos += m[0].length;
    const lines: string[] = [];
    for (;;) {
      if (this.pos >= this.text.length) this.fail(`heredoc ${marker} is never closed`, this.lineStarts[line - 1]);
      let end = this.text.indexOf('\n', this.pos);
      if (end < 0) end = this.text.length;
      const raw = this.text.slice(this.pos, end).replace(/\r$/, '');
      this.pos = Math.min(end + 1, this.text.length);
      if (raw.trim() === marker) {
        // Leave the newline after the marker to end the attribute.
        if (end < this.text.length) this.pos = end;
        break;
      }
      lines.push(raw);
    }
    let body = lines;
    if (indented) {
      const widths = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
      const cut = widths.length > 0 ? Math.min(...widths) : 0;
      body = lines.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)![0].length)));
    }
    return { kind: 'string', line, value: body.map((l) => `${l}\n`).join(''), heredoc: { contentLine: line + 1 } };
  }
}

/** Reads an HCL file; syntax errors come back with their lines, never thrown. */
export function readHcl(text: string): HclDocument {
  const reader = new Reader(text);
  try {
    return reader.document();
  } catch {
    // Anything but a syntax error (e.g. a stack overflow on an engine with a tiny stack).
    return { body: { kind: 'object', line: 1, entries: [] }, errors: [{ line: 1, message: 'the file could not be read' }] };
  }
}

/** All values of `key` in an object (blocks repeat; *.tf.json also writes repeats as a list). */
export function hclValues(node: HclValue | undefined, key: string): HclValue[] {
  if (!node || node.kind !== 'object') return [];
  const out: HclValue[] = [];
  for (const e of node.entries) {
    if (e.key !== key) continue;
    if (e.value.kind === 'array' && e.value.items.every((i) => i.kind === 'object') && e.value.items.length > 0) out.push(...e.value.items);
    else out.push(e.value);
  }
  return out;
}

/** The entry of `key` (the last one when repeated, as Terraform refuses duplicates anyway). */
export function hclEntry(node: HclValue | undefined, key: string): HclEntry | undefined {
  if (!node || node.kind !== 'object') return undefined;
  for (let i = node.entries.length - 1; i >= 0; i--) if (node.entries[i]!.key === key) return node.entries[i];
  return undefined;
}

/** A literal's text (string, number or boolean), or undefined for anything computed. */
export function hclLiteral(node: HclValue | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === 'string') return node.value;
  if (node.kind === 'number' || node.kind === 'boolean') return String(node.value);
  return undefined;
}

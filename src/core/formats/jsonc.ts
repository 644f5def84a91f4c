// A small JSON / JSONC parser that remembers the line of every key and value.
// Agent config findings must point at the line of the offending key, which
// JSON.parse cannot tell us. The input is hostile: the parser is linear, bounds
// nesting depth and never throws.

export type JsonNode = JsonObject | JsonArray | JsonString | JsonNumber | JsonBoolean | JsonNull;

export interface JsonEntry {
  key: string;
  /** 1-based line of the key. */
  keyLine: number;
  value: JsonNode;
}

export interface JsonObject {
  kind: 'object';
  line: number;
  /** In source order; duplicate keys are all kept (tools usually take the last one). */
  entries: JsonEntry[];
}

export interface JsonArray {
  kind: 'array';
  line: number;
  items: JsonNode[];
}

export interface JsonString {
  kind: 'string';
  line: number;
  value: string;
}

export interface JsonNumber {
  kind: 'number';
  line: number;
  value: number;
}

export interface JsonBoolean {
  kind: 'boolean';
  line: number;
  value: boolean;
}

export interface JsonNull {
  kind: 'null';
  line: number;
}

export type JsonParseResult = { ok: true; value: JsonNode } | { ok: false; message: string; line: number };

export interface JsonParseOptions {
  /**
   * Accept // and /* *\/ comments, trailing commas and raw control characters in strings (VS
   * Code's JSONC); false reads strict JSON, as JSON.parse does (package.json, lockfiles).
   */
  jsonc: boolean;
}

const MAX_DEPTH = 200;

class JsonSyntaxError {
  constructor(
    readonly message: string,
    readonly line: number,
  ) {}
}

class Parser {
  private pos = 0;
  private line = 1;

  constructor(
    private readonly text: string,
    private readonly jsonc: boolean,
  ) {}

  parseDocument(): JsonNode {
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1;
    this.skipSpace();
    if (this.pos >= this.text.length) this.fail('the file is empty');
    const value = this.parseValue(0);
    this.skipSpace();
    if (this.pos < this.text.length) this.fail(`unexpected ${this.describeChar()} after the top-level value`);
    return value;
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(message, this.line);
  }

  private describeChar(): string {
    if (this.pos >= this.text.length) return 'end of file';
    const ch = this.text[this.pos]!;
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) return `character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    return `"${ch}"`;
  }

  private skipSpace(): void {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x0a) {
        this.line++;
        this.pos++;
      } else if (c === 0x20 || c === 0x09 || c === 0x0d) {
        this.pos++;
      } else if (c === 0x2f && this.jsonc) {
        const next = t.charCodeAt(this.pos + 1);
        if (next === 0x2f) {
          const end = t.indexOf('\n', this.pos);
          this.pos = end === -1 ? t.length : end;
        } else if (next === 0x2a) {
          const end = t.indexOf('*/', this.pos + 2);
          if (end === -1) this.fail('unterminated /* comment');
          for (let i = this.pos; i < end; i++) if (t.charCodeAt(i) === 0x0a) this.line++;
          this.pos = end + 2;
        } else {
          return;
        }
      } else {
        return;
      }
    }
  }

  private parseValue(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    const line = this.line;
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.parseObject(depth);
      case '[':
        return this.parseArray(depth);
      case '"':
        return { kind: 'string', line, value: this.parseString() };
      case 't':
        this.expectWord('true');
        return { kind: 'boolean', line, value: true };
      case 'f':
        this.expectWord('false');
        return { kind: 'boolean', line, value: false };
      case 'n':
        this.expectWord('null');
        return { kind: 'null', line };
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return { kind: 'number', line, value: this.parseNumber() };
        return this.fail(`unexpected ${this.describeChar()}`);
    }
  }

  private expectWord(word: string): void {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return;
    }
    this.fail(`unexpected ${this.describeChar()}`);
  }

  private parseNumber(): number {
    const start = this.pos;
    const t = this.text;
    while (this.pos < t.length && '+-0123456789.eE'.includes(t[this.pos]!)) this.pos++;
    const raw = t.slice(start, this.pos);
    const value = Number(raw);
    if (raw === '' || !Number.isFinite(value)) this.fail(`invalid number "${raw.slice(0, 20)}"`);
    return value;
  }

  private parseString(): string {
    const t = this.text;
    this.pos++; // opening quote
    let out = '';
    let chunkStart = this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated string');
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        out += t.slice(chunkStart, this.pos);
        this.pos++;
        return out;
      }
      if (c === 0x0a) this.fail('line break inside a string');
      // Strict JSON (manifests, lockfiles: what npm's JSON.parse accepts) has no raw control characters in strings.
      if (c < 0x20 && !this.jsonc) this.fail(`control character U+${c.toString(16).padStart(4, '0').toUpperCase()} inside a string`);
      if (c === 0x5c) {
        out += t.slice(chunkStart, this.pos);
        const e = t[this.pos + 1];
        this.pos += 2;
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out += e;
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const hex = t.slice(this.pos, this.pos + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape in a string');
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 4;
            break;
          }
          default:
            this.pos--;
            this.fail('invalid escape in a string');
        }
        chunkStart = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  private parseObject(depth: number): JsonObject {
    const node: JsonObject = { kind: 'object', line: this.line, entries: [] };
    this.pos++; // {
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return node;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail(`expected a quoted key, found ${this.describeChar()}`);
      const keyLine = this.line;
      const key = this.parseString();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail(`expected ":" after key "${key.slice(0, 40)}"`);
      this.pos++;
      this.skipSpace();
      const value = this.parseValue(depth + 1);
      node.entries.push({ key, keyLine, value });
      this.skipSpace();
      const sep = this.text[this.pos];
      if (sep === '}') {
        this.pos++;
        return node;
      }
      if (sep !== ',') this.fail(`expected "," or "}", found ${this.describeChar()}`);
      this.pos++;
      this.skipSpace();
      if (this.jsonc && this.text[this.pos] === '}') {
        this.pos++;
        return node;
      }
    }
  }

  private parseArray(depth: number): JsonArray {
    const node: JsonArray = { kind: 'array', line: this.line, items: [] };
    this.pos++; // [
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return node;
    }
    for (;;) {
      node.items.push(this.parseValue(depth + 1));
      this.skipSpace();
      const sep = this.text[this.pos];
      if (sep === ']') {
        this.pos++;
        return node;
      }
      if (sep !== ',') this.fail(`expected "," or "]", found ${this.describeChar()}`);
      this.pos++;
      this.skipSpace();
      if (this.jsonc && this.text[this.pos] === ']') {
        this.pos++;
        return node;
      }
    }
  }
}

/** Parses JSON (or JSONC with `jsonc: true`); a syntax error comes back as a value with its line, never thrown. */
export function parseJson(text: string, options: JsonParseOptions): JsonParseResult {
  try {
    return { ok: true, value: new Parser(text, options.jsonc).parseDocument() };
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { ok: false, message: err.message, line: err.line };
    // Anything else (e.g. a stack overflow on an engine with a tiny stack) is still a parse failure to report.
    return { ok: false, message: 'the file could not be parsed', line: 1 };
  }
}

/** All entries of `obj` with this key (duplicates included), or [] when `obj` is not an object. */
export function entriesOf(obj: JsonNode | undefined, key: string): JsonEntry[] {
  if (!obj || obj.kind !== 'object') return [];
  return obj.entries.filter((e) => e.key === key);
}

/** The value the tools would see for `key`: the last duplicate wins, as with JSON.parse. */
export function valueOf(obj: JsonNode | undefined, key: string): JsonNode | undefined {
  const all = entriesOf(obj, key);
  return all[all.length - 1]?.value;
}

export function stringValue(node: JsonNode | undefined): string | undefined {
  return node?.kind === 'string' ? node.value : undefined;
}

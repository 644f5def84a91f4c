// A strict JSON parser that remembers the line of every key and value, so
// manifest findings can point at the line that adds a dependency or script.
// Iterative (explicit stack), so hostile nesting depth cannot overflow the call stack.

export type JsonNode =
  | { kind: 'object'; line: number; entries: JsonEntry[] }
  | { kind: 'array'; line: number; items: JsonNode[] }
  | { kind: 'string'; line: number; value: string }
  | { kind: 'number' | 'boolean' | 'null'; line: number; raw: string };

export interface JsonEntry {
  key: string;
  keyLine: number;
  value: JsonNode;
}

export type JsonParseResult = { ok: true; root: JsonNode } | { ok: false; line: number; message: string };

class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

type Frame =
  | { node: Extract<JsonNode, { kind: 'object' }>; key: string | null; keyLine: number }
  | { node: Extract<JsonNode, { kind: 'array' }> };

function isWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

export function parseJsonWithLines(text: string): JsonParseResult {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;

  const fail = (message: string): never => {
    throw new JsonSyntaxError(line, message);
  };
  const skipWhitespace = (): void => {
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (!isWhitespace(c)) return;
      if (c === 10) line++;
      pos++;
    }
  };
  const describe = (): string => (pos >= n ? 'end of file' : JSON.stringify(text[pos]));

  const readString = (): string => {
    // pos is at the opening quote
    pos++;
    let out = '';
    let chunkStart = pos;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 34) {
        out += text.slice(chunkStart, pos);
        pos++;
        return out;
      }
      if (c < 32) fail('unescaped control character in string');
      if (c === 92) {
        out += text.slice(chunkStart, pos);
        const e = text[pos + 1];
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
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
            const hex = text.slice(pos + 2, pos + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
            pos += 4;
            break;
          }
          default:
            fail('invalid escape in string');
        }
        pos += 2;
        chunkStart = pos;
        continue;
      }
      pos++;
    }
    return fail('unterminated string');
  };

  const readLiteral = (): JsonNode => {
    const start = pos;
    const startLine = line;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (isWhitespace(c) || c === 44 || c === 93 || c === 125 || c === 58) break;
      pos++;
    }
    const raw = text.slice(start, pos);
    if (raw === 'true' || raw === 'false') return { kind: 'boolean', line: startLine, raw };
    if (raw === 'null') return { kind: 'null', line: startLine, raw };
    if (raw.length > 0 && raw.length < 400 && /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/.test(raw)) {
      return { kind: 'number', line: startLine, raw };
    }
    pos = start;
    return fail(`unexpected ${describe()}`);
  };

  const stack: Frame[] = [];
  /** True right after `{` or `[`: no comma is expected before the first element. */
  let afterOpen = false;
  let root: JsonNode | null = null;

  /** Attaches a finished value to its parent (or makes it the root). */
  const attach = (value: JsonNode): void => {
    const top = stack[stack.length - 1];
    if (!top) {
      root = value;
      return;
    }
    if (top.node.kind === 'array') top.node.items.push(value);
    else {
      const frame = top as Extract<Frame, { key: string | null }>;
      frame.node.entries.push({ key: frame.key!, keyLine: frame.keyLine, value });
      frame.key = null;
    }
  };

  /** Reads one value; containers are opened on the stack and filled by the main loop. */
  const readValue = (): void => {
    skipWhitespace();
    const c = text.charCodeAt(pos);
    if (c === 123) {
      const node = { kind: 'object' as const, line, entries: [] };
      pos++;
      stack.push({ node, key: null, keyLine: 0 });
      afterOpen = true;
    } else if (c === 91) {
      const node = { kind: 'array' as const, line, items: [] };
      pos++;
      stack.push({ node });
      afterOpen = true;
    } else if (c === 34) {
      const startLine = line;
      attach({ kind: 'string', line: startLine, value: readString() });
    } else if (pos >= n) {
      fail('unexpected end of file');
    } else {
      attach(readLiteral());
    }
  };

  try {
    readValue();
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const close = top.node.kind === 'object' ? 125 : 93;
      skipWhitespace();
      const c = text.charCodeAt(pos);
      if (c === close) {
        pos++;
        stack.pop();
        afterOpen = false;
        attach(top.node);
        continue;
      }
      if (!afterOpen) {
        if (c !== 44) fail(`expected "," or "${String.fromCharCode(close)}" but found ${describe()}`);
        pos++;
        skipWhitespace();
      }
      afterOpen = false;
      if (top.node.kind === 'object') {
        if (text.charCodeAt(pos) !== 34) fail(`expected a property name but found ${describe()}`);
        const keyLine = line;
        const key = readString();
        skipWhitespace();
        if (text.charCodeAt(pos) !== 58) fail(`expected ":" but found ${describe()}`);
        pos++;
        const frame = top as Extract<Frame, { key: string | null }>;
        frame.key = key;
        frame.keyLine = keyLine;
      }
      readValue();
    }
    skipWhitespace();
    if (pos < n) fail(`unexpected ${describe()} after the end of the document`);
    return { ok: true, root: root! };
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { ok: false, line: err.line, message: err.message };
    throw err;
  }
}

/** The value of `key` in an object node (the last one when the key repeats, as JSON.parse does). */
export function jsonGet(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (!node || node.kind !== 'object') return undefined;
  let found: JsonNode | undefined;
  for (const entry of node.entries) if (entry.key === key) found = entry.value;
  return found;
}

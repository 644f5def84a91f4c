// A small TOML reader for dependency manifests (pyproject.toml, Cargo.toml): tables,
// dotted keys, strings, arrays and inline tables, each with its line number. Numbers,
// dates and booleans are kept as raw text. Not a validator: it reports the first
// construct it cannot read and returns what it read before it.

export type TomlValue =
  | { kind: 'string'; value: string; line: number }
  | { kind: 'array'; items: TomlValue[]; line: number }
  | { kind: 'table'; entries: TomlAssignment[]; line: number }
  | { kind: 'other'; raw: string; line: number };

export interface TomlAssignment {
  /** Dotted key as written inside its table (`a.b = 1` → ["a", "b"]). */
  key: string[];
  value: TomlValue;
  line: number;
}

export interface TomlTable {
  /** Header path (`[tool.poetry.dependencies]` → ["tool", "poetry", "dependencies"]); [] for the root. */
  path: string[];
  /** True for `[[array.of.tables]]`. */
  arrayItem: boolean;
  line: number;
  assignments: TomlAssignment[];
}

export interface TomlDocument {
  tables: TomlTable[];
  error: { line: number; message: string } | null;
}

const MAX_DEPTH = 64;

class TomlSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

function isBareKeyChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95;
}

export function readToml(text: string): TomlDocument {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  const root: TomlTable = { path: [], arrayItem: false, line: 1, assignments: [] };
  const tables: TomlTable[] = [root];
  let current = root;

  const fail = (message: string): never => {
    throw new TomlSyntaxError(line, message);
  };
  const peek = (offset = 0): string => text[pos + offset] ?? '';
  const skipBlanks = (): void => {
    while (pos < n && (text[pos] === ' ' || text[pos] === '\t')) pos++;
  };
  const skipComment = (): void => {
    if (text[pos] === '#') while (pos < n && text[pos] !== '\n') pos++;
  };
  /** Blanks, comments and newlines (inside arrays and between statements). */
  const skipSpace = (): void => {
    for (;;) {
      skipBlanks();
      skipComment();
      if (text[pos] === '\r' && text[pos + 1] === '\n') pos++;
      if (text[pos] === '\n') {
        pos++;
        line++;
        continue;
      }
      return;
    }
  };
  const expectLineEnd = (): void => {
    skipBlanks();
    skipComment();
    if (text[pos] === '\r') pos++;
    if (pos < n && text[pos] !== '\n') fail(`unexpected ${JSON.stringify(text[pos])} after a value`);
  };

  const readBasicString = (): string => {
    pos++; // opening quote
    let out = '';
    while (pos < n) {
      const ch = text[pos]!;
      if (ch === '"') {
        pos++;
        return out;
      }
      if (ch === '\n') break;
      if (ch === '\\') {
        const e = text[pos + 1] ?? '';
        const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
        if (e in simple) {
          out += simple[e];
          pos += 2;
          continue;
        }
        if (e === 'u' || e === 'U') {
          const len = e === 'u' ? 4 : 8;
          const hex = text.slice(pos + 2, pos + 2 + len);
          const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === len ? parseInt(hex, 16) : -1;
          if (code < 0 || code > 0x10ffff) fail('invalid unicode escape');
          out += String.fromCodePoint(code);
          pos += 2 + len;
          continue;
        }
        fail('invalid escape in string');
      }
      out += ch;
      pos++;
    }
    return fail('unterminated string');
  };
  const readLiteralString = (): string => {
    const end = text.indexOf("'", pos + 1);
    const newline = text.indexOf('\n', pos + 1);
    if (end < 0 || (newline >= 0 && newline < end)) fail('unterminated string');
    const value = text.slice(pos + 1, end);
    pos = end + 1;
    return value;
  };
  const readMultilineString = (quote: string): string => {
    const delimiter = quote.repeat(3);
    const end = text.indexOf(delimiter, pos + 3);
    if (end < 0) fail('unterminated multi-line string');
    let close = end + 3;
    // Up to two extra quotes right before the delimiter belong to the content.
    while (text[close] === quote && close - end < 5) close++;
    let value = text.slice(pos + 3, close - 3);
    for (let i = pos; i < close; i++) if (text.charCodeAt(i) === 10) line++;
    if (value.startsWith('\r\n')) value = value.slice(2);
    else if (value.startsWith('\n')) value = value.slice(1);
    pos = close;
    return value;
  };

  const readKeyPart = (): string => {
    const ch = peek();
    if (ch === '"') return readBasicString();
    if (ch === "'") return readLiteralString();
    const start = pos;
    while (pos < n && isBareKeyChar(text.charCodeAt(pos))) pos++;
    if (pos === start) fail(`expected a key but found ${pos >= n ? 'end of file' : JSON.stringify(text[pos])}`);
    return text.slice(start, pos);
  };
  const readDottedKey = (): string[] => {
    const parts = [readKeyPart()];
    for (;;) {
      skipBlanks();
      if (peek() !== '.') return parts;
      pos++;
      skipBlanks();
      parts.push(readKeyPart());
    }
  };

  const readValue = (depth: number): TomlValue => {
    if (depth > MAX_DEPTH) fail('values nested too deeply');
    const startLine = line;
    const ch = peek();
    if (ch === '"') {
      if (text.startsWith('"""', pos)) return { kind: 'string', value: readMultilineString('"'), line: startLine };
      return { kind: 'string', value: readBasicString(), line: startLine };
    }
    if (ch === "'") {
      if (text.startsWith("'''", pos)) return { kind: 'string', value: readMultilineString("'"), line: startLine };
      return { kind: 'string', value: readLiteralString(), line: startLine };
    }
    if (ch === '[') {
      pos++;
      const items: TomlValue[] = [];
      for (;;) {
        skipSpace();
        if (peek() === ']') {
          pos++;
          return { kind: 'array', items, line: startLine };
        }
        items.push(readValue(depth + 1));
        skipSpace();
        if (peek() === ',') {
          pos++;
          continue;
        }
        if (peek() === ']') {
          pos++;
          return { kind: 'array', items, line: startLine };
        }
        fail(pos >= n ? 'unterminated array' : `expected "," or "]" in array but found ${JSON.stringify(peek())}`);
      }
    }
    if (ch === '{') {
      pos++;
      const entries: TomlAssignment[] = [];
      for (;;) {
        skipSpace();
        if (peek() === '}') {
          pos++;
          return { kind: 'table', entries, line: startLine };
        }
        const keyLine = line;
        const key = readDottedKey();
        skipBlanks();
        if (peek() !== '=') fail(`expected "=" after key "${key.join('.')}"`);
        pos++;
        skipBlanks();
        entries.push({ key, value: readValue(depth + 1), line: keyLine });
        skipSpace();
        if (peek() === ',') {
          pos++;
          continue;
        }
        if (peek() === '}') {
          pos++;
          return { kind: 'table', entries, line: startLine };
        }
        fail(pos >= n ? 'unterminated inline table' : `expected "," or "}" in inline table but found ${JSON.stringify(peek())}`);
      }
    }
    // Number, boolean, date or time: keep the raw text.
    const start = pos;
    while (pos < n) {
      const c = text[pos]!;
      if (c === ',' || c === ']' || c === '}' || c === '#' || c === '\n' || c === '\r') break;
      pos++;
    }
    const raw = text.slice(start, pos).trim();
    if (raw === '') fail('missing value');
    if (!/^[A-Za-z0-9_+\-.:]+(?: [0-9:.+\-Z]+)?$/.test(raw.length > 100 ? '' : raw)) fail(`invalid value ${JSON.stringify(raw.slice(0, 40))}`);
    return { kind: 'other', raw, line: startLine };
  };

  try {
    for (;;) {
      skipSpace();
      if (pos >= n) break;
      if (peek() === '[') {
        const headerLine = line;
        const arrayItem = peek(1) === '[';
        pos += arrayItem ? 2 : 1;
        skipBlanks();
        const path = readDottedKey();
        skipBlanks();
        if (peek() !== ']' || (arrayItem && peek(1) !== ']')) fail('unterminated table header');
        pos += arrayItem ? 2 : 1;
        expectLineEnd();
        current = { path, arrayItem, line: headerLine, assignments: [] };
        tables.push(current);
        continue;
      }
      const keyLine = line;
      const key = readDottedKey();
      skipBlanks();
      if (peek() !== '=') fail(`expected "=" after key "${key.join('.')}"`);
      pos++;
      skipBlanks();
      const value = readValue(0);
      current.assignments.push({ key, value, line: keyLine });
      expectLineEnd();
    }
    return { tables, error: null };
  } catch (err) {
    if (err instanceof TomlSyntaxError) return { tables, error: { line: err.line, message: err.message } };
    throw err;
  }
}

/** Concatenates a table's header path with an assignment's key: the full dotted path of a value. */
export function fullKey(table: TomlTable, assignment: TomlAssignment): string[] {
  return [...table.path, ...assignment.key];
}

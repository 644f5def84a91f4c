// A small GraphQL document parser: operations, variables, fields with aliases and
// arguments, fragments, inline fragments and @include/@skip. Enough to serve the
// queries an app sends to GitHub, and to refuse malformed ones with GitHub's kind
// of parse error.

export type GqlValue =
  | { kind: 'variable'; name: string }
  | { kind: 'int' | 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'enum'; value: string }
  | { kind: 'list'; values: GqlValue[] }
  | { kind: 'object'; fields: Record<string, GqlValue> };

export interface GqlDirective {
  name: string;
  args: Record<string, GqlValue>;
}

export interface GqlField {
  kind: 'field';
  alias?: string;
  name: string;
  args: Record<string, GqlValue>;
  directives: GqlDirective[];
  selections?: GqlSelection[];
  line: number;
  column: number;
}

export interface GqlSpread {
  kind: 'spread';
  name: string;
  directives: GqlDirective[];
}

export interface GqlInline {
  kind: 'inline';
  typeCondition?: string;
  directives: GqlDirective[];
  selections: GqlSelection[];
}

export type GqlSelection = GqlField | GqlSpread | GqlInline;

export interface GqlVariableDefinition {
  name: string;
  type: string;
  defaultValue?: GqlValue;
}

export interface GqlOperation {
  kind: 'query' | 'mutation' | 'subscription';
  name?: string;
  variables: GqlVariableDefinition[];
  selections: GqlSelection[];
}

export interface GqlDocument {
  operations: GqlOperation[];
  fragments: Map<string, { typeCondition: string; selections: GqlSelection[] }>;
}

export class GqlParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

interface Token {
  kind: 'punct' | 'name' | 'int' | 'float' | 'string' | 'eof';
  value: string;
  line: number;
  column: number;
}

const PUNCTUATORS = new Set(['!', '$', '(', ')', ':', '=', '@', '[', ']', '{', '}', '|', '&']);

function isNameStart(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_';
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (): { line: number; column: number } => ({ line, column: i - lineStart + 1 });
  while (i < source.length) {
    const ch = source[i] ?? '';
    if (ch === '\n') {
      i += 1;
      line += 1;
      lineStart = i;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === ',' || ch === '\ufeff') {
      i += 1;
      continue;
    }
    if (ch === '#') {
      while (i < source.length && source[i] !== '\n') i += 1;
      continue;
    }
    const pos = at();
    if (ch === '.' && source.startsWith('...', i)) {
      tokens.push({ kind: 'punct', value: '...', ...pos });
      i += 3;
      continue;
    }
    if (PUNCTUATORS.has(ch)) {
      tokens.push({ kind: 'punct', value: ch, ...pos });
      i += 1;
      continue;
    }
    if (isNameStart(ch)) {
      let j = i + 1;
      while (j < source.length && (isNameStart(source[j] ?? '') || isDigit(source[j] ?? ''))) j += 1;
      tokens.push({ kind: 'name', value: source.slice(i, j), ...pos });
      i = j;
      continue;
    }
    if (isDigit(ch) || ch === '-') {
      let j = i + 1;
      let float = false;
      while (j < source.length) {
        const c = source[j] ?? '';
        if (isDigit(c)) j += 1;
        else if ((c === '.' || c === 'e' || c === 'E' || ((c === '+' || c === '-') && /[eE]/.test(source[j - 1] ?? ''))) && j > i) {
          float = true;
          j += 1;
        } else break;
      }
      const text = source.slice(i, j);
      if (text === '-' || Number.isNaN(Number(text))) throw new GqlParseError(`Parse error on "${text}" at [${pos.line}, ${pos.column}]`, pos.line, pos.column);
      tokens.push({ kind: float ? 'float' : 'int', value: text, ...pos });
      i = j;
      continue;
    }
    if (ch === '"') {
      if (source.startsWith('"""', i)) {
        const end = source.indexOf('"""', i + 3);
        if (end < 0) throw new GqlParseError(`Parse error: unterminated string at [${pos.line}, ${pos.column}]`, pos.line, pos.column);
        const raw = source.slice(i + 3, end);
        for (const c of raw) if (c === '\n') line += 1;
        tokens.push({ kind: 'string', value: raw.replace(/\\"""/g, '"""'), ...pos });
        i = end + 3;
        continue;
      }
      let j = i + 1;
      let value = '';
      for (;;) {
        const c = source[j];
        if (c === undefined || c === '\n') throw new GqlParseError(`Parse error: unterminated string at [${pos.line}, ${pos.column}]`, pos.line, pos.column);
        if (c === '"') break;
        if (c === '\\') {
          const next = source[j + 1] ?? '';
          const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };
          if (next === 'u') {
            value += String.fromCharCode(Number.parseInt(source.slice(j + 2, j + 6), 16));
            j += 6;
          } else {
            value += simple[next] ?? next;
            j += 2;
          }
          continue;
        }
        value += c;
        j += 1;
      }
      tokens.push({ kind: 'string', value, ...pos });
      i = j + 1;
      continue;
    }
    throw new GqlParseError(`Parse error on "${ch}" at [${pos.line}, ${pos.column}]`, pos.line, pos.column);
  }
  tokens.push({ kind: 'eof', value: '', ...at() });
  return tokens;
}

/** Deeply nested documents are refused rather than risking the stack. */
const MAX_DEPTH = 64;

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index] ?? this.tokens[this.tokens.length - 1]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index += 1;
    return token;
  }

  private fail(token: Token): never {
    const shown = token.kind === 'eof' ? 'end of file' : `"${token.value}"`;
    throw new GqlParseError(`Parse error on ${shown} at [${token.line}, ${token.column}]`, token.line, token.column);
  }

  private isPunct(value: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.value === value;
  }

  private expectPunct(value: string): Token {
    const token = this.next();
    if (token.kind !== 'punct' || token.value !== value) this.fail(token);
    return token;
  }

  private expectName(): Token {
    const token = this.next();
    if (token.kind !== 'name') this.fail(token);
    return token;
  }

  parseDocument(): GqlDocument {
    const doc: GqlDocument = { operations: [], fragments: new Map() };
    while (this.peek().kind !== 'eof') {
      const token = this.peek();
      if (token.kind === 'punct' && token.value === '{') {
        doc.operations.push({ kind: 'query', variables: [], selections: this.parseSelectionSet() });
      } else if (token.kind === 'name' && (token.value === 'query' || token.value === 'mutation' || token.value === 'subscription')) {
        doc.operations.push(this.parseOperation());
      } else if (token.kind === 'name' && token.value === 'fragment') {
        this.next();
        const name = this.expectName().value;
        const on = this.expectName();
        if (on.value !== 'on') this.fail(on);
        const typeCondition = this.expectName().value;
        this.parseDirectives();
        doc.fragments.set(name, { typeCondition, selections: this.parseSelectionSet() });
      } else {
        this.fail(token);
      }
    }
    return doc;
  }

  private parseOperation(): GqlOperation {
    const kind = this.next().value as GqlOperation['kind'];
    const name = this.peek().kind === 'name' ? this.next().value : undefined;
    const variables: GqlVariableDefinition[] = [];
    if (this.isPunct('(')) {
      this.next();
      while (!this.isPunct(')')) {
        this.expectPunct('$');
        const varName = this.expectName().value;
        this.expectPunct(':');
        const type = this.parseType();
        let defaultValue: GqlValue | undefined;
        if (this.isPunct('=')) {
          this.next();
          defaultValue = this.parseValue(true);
        }
        this.parseDirectives();
        variables.push({ name: varName, type, ...(defaultValue ? { defaultValue } : {}) });
      }
      this.next();
    }
    this.parseDirectives();
    return { kind, ...(name !== undefined ? { name } : {}), variables, selections: this.parseSelectionSet() };
  }

  private parseType(): string {
    let type: string;
    if (this.isPunct('[')) {
      this.next();
      type = `[${this.parseType()}]`;
      this.expectPunct(']');
    } else {
      type = this.expectName().value;
    }
    if (this.isPunct('!')) {
      this.next();
      type += '!';
    }
    return type;
  }

  private parseSelectionSet(): GqlSelection[] {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) {
      const token = this.peek();
      throw new GqlParseError('Query is nested too deeply', token.line, token.column);
    }
    this.expectPunct('{');
    const selections: GqlSelection[] = [];
    while (!this.isPunct('}')) {
      if (this.peek().kind === 'eof') this.fail(this.peek());
      selections.push(this.parseSelection());
    }
    this.next();
    this.depth -= 1;
    if (selections.length === 0) this.fail(this.tokens[this.index - 1] ?? this.peek());
    return selections;
  }

  private parseSelection(): GqlSelection {
    if (this.isPunct('...')) {
      this.next();
      const token = this.peek();
      if (token.kind === 'name' && token.value === 'on') {
        this.next();
        const typeCondition = this.expectName().value;
        const directives = this.parseDirectives();
        return { kind: 'inline', typeCondition, directives, selections: this.parseSelectionSet() };
      }
      if (token.kind === 'name') {
        this.next();
        return { kind: 'spread', name: token.value, directives: this.parseDirectives() };
      }
      const directives = this.parseDirectives();
      return { kind: 'inline', directives, selections: this.parseSelectionSet() };
    }
    const first = this.expectName();
    let alias: string | undefined;
    let name = first.value;
    if (this.isPunct(':')) {
      this.next();
      alias = first.value;
      name = this.expectName().value;
    }
    const args = this.isPunct('(') ? this.parseArguments() : {};
    const directives = this.parseDirectives();
    const selections = this.isPunct('{') ? this.parseSelectionSet() : undefined;
    return {
      kind: 'field',
      ...(alias !== undefined ? { alias } : {}),
      name,
      args,
      directives,
      ...(selections ? { selections } : {}),
      line: first.line,
      column: first.column,
    };
  }

  private parseArguments(): Record<string, GqlValue> {
    this.expectPunct('(');
    const args: Record<string, GqlValue> = {};
    while (!this.isPunct(')')) {
      const name = this.expectName().value;
      this.expectPunct(':');
      args[name] = this.parseValue(false);
    }
    this.next();
    return args;
  }

  private parseDirectives(): GqlDirective[] {
    const directives: GqlDirective[] = [];
    while (this.isPunct('@')) {
      this.next();
      const name = this.expectName().value;
      directives.push({ name, args: this.isPunct('(') ? this.parseArguments() : {} });
    }
    return directives;
  }

  private parseValue(constant: boolean): GqlValue {
    this.depth += 1;
    try {
      return this.parseValueInner(constant);
    } finally {
      this.depth -= 1;
    }
  }

  private parseValueInner(constant: boolean): GqlValue {
    if (this.depth > MAX_DEPTH) {
      const token = this.peek();
      throw new GqlParseError('Query is nested too deeply', token.line, token.column);
    }
    const token = this.next();
    if (token.kind === 'punct' && token.value === '$' && !constant) return { kind: 'variable', name: this.expectName().value };
    if (token.kind === 'int') return { kind: 'int', value: Number(token.value) };
    if (token.kind === 'float') return { kind: 'float', value: Number(token.value) };
    if (token.kind === 'string') return { kind: 'string', value: token.value };
    if (token.kind === 'name') {
      if (token.value === 'true' || token.value === 'false') return { kind: 'boolean', value: token.value === 'true' };
      if (token.value === 'null') return { kind: 'null' };
      return { kind: 'enum', value: token.value };
    }
    if (token.kind === 'punct' && token.value === '[') {
      const values: GqlValue[] = [];
      while (!this.isPunct(']')) {
        if (this.peek().kind === 'eof') this.fail(this.peek());
        values.push(this.parseValue(constant));
      }
      this.next();
      return { kind: 'list', values };
    }
    if (token.kind === 'punct' && token.value === '{') {
      const fields: Record<string, GqlValue> = {};
      while (!this.isPunct('}')) {
        const name = this.expectName().value;
        this.expectPunct(':');
        fields[name] = this.parseValue(constant);
      }
      this.next();
      return { kind: 'object', fields };
    }
    return this.fail(token);
  }
}

export function parseGraphql(source: string): GqlDocument {
  return new Parser(tokenize(source)).parseDocument();
}

// Finds package installs in shell text (scripts, Dockerfile RUN lines, CI `run:` steps):
// `npm i x`, `yarn add x`, `pip install x`, `python -m pip install x`, `uv add x`, `npx x`, …
// A small shell lexer joins backslash-continued lines and keeps, for every word, the
// physical line and column it came from.

import { npmSpecName, readPypiName } from './package-names.js';

export type Ecosystem = 'npm' | 'pypi';

export interface ShellWord {
  text: string;
  line: number;
  column: number;
  /** True for control operators (`;`, `&&`, `|`, …) that end a simple command. */
  separator: boolean;
}

export interface InstalledPackage {
  ecosystem: Ecosystem;
  /** Registry name, or null when the argument is a URL, a git source or a path. */
  name: string | null;
  /** The argument as written. */
  spec: string;
  /** For non-registry arguments: what kind of source it is. */
  source: 'registry' | 'url' | 'git' | 'github-shorthand';
  line: number;
  column: number;
}

export type InstallOptionKind = 'npm-registry' | 'pip-index-url' | 'pip-extra-index-url' | 'pip-trusted-host';

export interface InstallOption {
  kind: InstallOptionKind;
  value: string;
  line: number;
  column: number;
}

export interface InstallScan {
  packages: InstalledPackage[];
  options: InstallOption[];
}

interface Segment {
  /** Offset in the logical line where this physical line's text starts. */
  offset: number;
  line: number;
}

interface LogicalLine {
  text: string;
  segments: Segment[];
}

/** Joins physical lines ending in a backslash into logical lines (1-based line numbers). */
export function logicalLines(lines: readonly string[]): LogicalLine[] {
  const result: LogicalLine[] = [];
  let text = '';
  let segments: Segment[] = [];
  for (let i = 0; i < lines.length; i++) {
    const physical = lines[i]!;
    segments.push({ offset: text.length, line: i + 1 });
    const trimmed = physical.trimEnd();
    if (trimmed.endsWith('\\') && !trimmed.endsWith('\\\\')) {
      text += trimmed.slice(0, -1) + ' ';
      continue;
    }
    text += physical;
    result.push({ text, segments });
    text = '';
    segments = [];
  }
  if (segments.length > 0) result.push({ text, segments });
  return result;
}

function positionOf(logical: LogicalLine, offset: number): { line: number; column: number } {
  // Last segment starting at or before offset (binary search: continued lines can be many).
  const segments = logical.segments;
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid]!.offset <= offset) lo = mid;
    else hi = mid - 1;
  }
  const segment = segments[lo]!;
  return { line: segment.line, column: offset - segment.offset + 1 };
}

const OPERATOR_CHARS = new Set([';', '&', '|', '(', ')', '<', '>', '`', '\n']);

/** Splits a logical line into words and operators. Linear; never fails on odd input. */
export function shellWords(logical: LogicalLine): ShellWord[] {
  const text = logical.text;
  const words: ShellWord[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (OPERATOR_CHARS.has(ch)) {
      while (i < n && OPERATOR_CHARS.has(text[i]!)) i++;
      words.push({ text: text.slice(start, i), ...positionOf(logical, start), separator: true });
      continue;
    }
    if (ch === '#') break; // comment to the end of the line
    let word = '';
    while (i < n) {
      const c = text[i]!;
      if (c === ' ' || c === '\t' || c === '\r' || OPERATOR_CHARS.has(c)) break;
      if (c === "'") {
        const end = text.indexOf("'", i + 1);
        const stop = end < 0 ? n : end;
        word += text.slice(i + 1, stop);
        i = stop + 1;
        continue;
      }
      if (c === '"') {
        i++;
        while (i < n && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < n) i++;
          word += text[i];
          i++;
        }
        i++;
        continue;
      }
      if (c === '\\' && i + 1 < n) {
        word += text[i + 1];
        i += 2;
        continue;
      }
      if (c === '$' && (text[i + 1] === '{' || text[i + 1] === '(')) {
        // ${VAR}, ${{ expr }}, $(cmd): one opaque piece of the word.
        const open = text[i + 1]!;
        const close = open === '{' ? '}' : ')';
        let depth = 0;
        let j = i + 1;
        for (; j < n; j++) {
          if (text[j] === open) depth++;
          else if (text[j] === close && --depth === 0) break;
        }
        word += text.slice(i, Math.min(j + 1, n));
        i = j + 1;
        continue;
      }
      word += c;
      i++;
    }
    words.push({ text: word, ...positionOf(logical, start), separator: false });
  }
  return words;
}

// Options whose value is the next word (unless written as --opt=value).
const NPM_VALUE_OPTIONS = new Set([
  '--registry', '--prefix', '-w', '--workspace', '--tag', '--cache', '--userconfig', '--globalconfig',
  '--omit', '--include', '--install-strategy', '--save-prefix', '-C', '--dir', '--filter', '-F', '--cwd',
  '--network-timeout', '--modules-folder', '--mutex', '--cache-folder', '--loglevel', '--call', '-c',
]);
const PIP_VALUE_OPTIONS = new Set([
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url',
  '-f', '--find-links', '--trusted-host', '-t', '--target', '--prefix', '--root', '--platform',
  '--python-version', '--implementation', '--abi', '--src', '--upgrade-strategy', '--progress-bar',
  '--cache-dir', '--log', '--timeout', '--retries', '--proxy', '--cert', '--client-cert', '--config-settings',
  '-C', '--python', '-p', '--only-binary', '--no-binary', '--global-option', '--install-option',
  '--exists-action', '--report', '--group', '-G', '--extra', '-E', '--extras', '--index', '--default-index',
  '--source', '--optional', '--with', '--from', '--spec',
]);
// Options whose value is itself a package to install.
const NPM_PACKAGE_OPTIONS = new Set(['-p', '--package']);
const PIP_PACKAGE_OPTIONS = new Set(['--with', '--from', '--spec']);

const NPM_INSTALL_VERBS = new Set([
  'install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add',
  'ci', // no package arguments, but its --registry option matters
]);

interface CommandShape {
  ecosystem: Ecosystem;
  /** Index of the first argument word after the command and its verb. */
  argsFrom: number;
  /** Only the first positional argument is a package (npx x args…). */
  firstOnly: boolean;
}

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

function isPip(word: string): boolean {
  const b = basename(word);
  if (b === 'pip') return true;
  if (!b.startsWith('pip3')) return false;
  for (let i = 4; i < b.length; i++) if (!/[0-9.]/.test(b[i]!)) return false;
  return true;
}

/** Recognizes an install command starting at words[i]. */
function commandAt(words: readonly ShellWord[], i: number): CommandShape | null {
  const w = (k: number): string => (words[k] && !words[k]!.separator ? words[k]!.text : '');
  // Makefile recipes prefix commands with @ (silent) or - (ignore errors).
  const cmd = basename(w(i)).replace(/^[@-]+/, '');
  const verb = w(i + 1);
  switch (cmd) {
    case 'npm':
      return NPM_INSTALL_VERBS.has(verb) ? { ecosystem: 'npm', argsFrom: i + 2, firstOnly: false } : null;
    case 'pnpm':
      if (verb === 'add' || verb === 'install' || verb === 'i') return { ecosystem: 'npm', argsFrom: i + 2, firstOnly: false };
      if (verb === 'dlx') return { ecosystem: 'npm', argsFrom: i + 2, firstOnly: true };
      return null;
    case 'yarn':
      if (verb === 'add') return { ecosystem: 'npm', argsFrom: i + 2, firstOnly: false };
      if (verb === 'global' && w(i + 2) === 'add') return { ecosystem: 'npm', argsFrom: i + 3, firstOnly: false };
      if (verb === 'dlx') return { ecosystem: 'npm', argsFrom: i + 2, firstOnly: true };
      return null;
    case 'bun':
      if (verb === 'add' || verb === 'a' || verb === 'install' || verb === 'i') return { ecosystem: 'npm', argsFrom: i + 2, firstOnly: false };
      return null;
    case 'npx':
    case 'bunx':
      return { ecosystem: 'npm', argsFrom: i + 1, firstOnly: true };
    case 'uv':
      if (verb === 'pip' && w(i + 2) === 'install') return { ecosystem: 'pypi', argsFrom: i + 3, firstOnly: false };
      if (verb === 'add') return { ecosystem: 'pypi', argsFrom: i + 2, firstOnly: false };
      if (verb === 'tool' && (w(i + 2) === 'install' || w(i + 2) === 'run')) return { ecosystem: 'pypi', argsFrom: i + 3, firstOnly: true };
      return null;
    case 'uvx':
      return { ecosystem: 'pypi', argsFrom: i + 1, firstOnly: true };
    case 'pipx':
      if (verb === 'install') return { ecosystem: 'pypi', argsFrom: i + 2, firstOnly: false };
      if (verb === 'run') return { ecosystem: 'pypi', argsFrom: i + 2, firstOnly: true };
      return null;
    case 'poetry':
    case 'pdm':
      return verb === 'add' ? { ecosystem: 'pypi', argsFrom: i + 2, firstOnly: false } : null;
    default:
      if (isPip(cmd) && verb === 'install') return { ecosystem: 'pypi', argsFrom: i + 2, firstOnly: false };
      return null;
  }
}

// Words that may stand before a command without making it an argument of something else.
const COMMAND_PREFIXES = new Set([
  'sudo', 'RUN', 'run:', '-', 'time', 'exec', 'command', 'env', 'nohup', 'then', 'do', 'else', 'xargs', '!',
  '{', 'script:', 'command:', 'cmd:', 'before_script:', 'after_script:', 'install:', 'before_install:',
  'entrypoint:', '-m',
]);

function isPython(word: string): boolean {
  const b = basename(word);
  return b === 'py' || b === 'python' || (b.startsWith('python') && /^python[0-9.]+$/.test(b.length < 20 ? b : ''));
}

/** True when words[i] is where a command name stands (not an argument of echo, a YAML name, …). */
function atCommandPosition(words: readonly ShellWord[], i: number): boolean {
  for (let k = i - 1; k >= 0 && k >= i - 50; k--) {
    const word = words[k]!;
    if (word.separator) return true;
    const text = word.text;
    if (COMMAND_PREFIXES.has(text) || text.startsWith('-') || isPython(text)) continue;
    // VAR=value assignments before a command
    const eq = text.indexOf('=');
    if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(text.slice(0, eq).length < 100 ? text.slice(0, eq) : '')) continue;
    return false;
  }
  return i <= 50 || words[i - 51]!.separator;
}

function hasScheme(spec: string): boolean {
  const lower = spec.toLowerCase();
  return lower.includes('://') || /^(?:git\+|hg\+|svn\+|bzr\+|git:|github:|gitlab:|bitbucket:|gist:)/.test(lower);
}

function isLocalPath(spec: string): boolean {
  const lower = spec.toLowerCase();
  return (
    spec.startsWith('.') ||
    spec.startsWith('/') ||
    spec.startsWith('~') ||
    lower.startsWith('file:') ||
    lower.startsWith('link:') ||
    lower.startsWith('workspace:') ||
    /\.(?:tgz|tar\.gz|tar\.bz2|zip|whl)$/.test(lower)
  );
}

function isOpaque(spec: string): boolean {
  return spec === '' || spec.includes('$') || spec.includes('*') || spec.includes('{') || spec === '-';
}

function sourceOf(spec: string): InstalledPackage['source'] {
  return /^(?:git\+|git:|github:|gitlab:|bitbucket:|gist:|hg\+|svn\+|bzr\+)/i.test(spec) ? 'git' : 'url';
}

function classify(ecosystem: Ecosystem, spec: string, word: ShellWord): InstalledPackage | null {
  if (isOpaque(spec)) return null;
  const at = { line: word.line, column: word.column };
  if (ecosystem === 'npm') {
    // An alias whose target is a URL (x@https://…) is still a URL install.
    const aliasTarget = spec.startsWith('@') ? spec.slice(spec.indexOf('@', 1) + 1) : spec.slice(spec.indexOf('@') + 1);
    if (hasScheme(spec) || (spec.includes('@') && hasScheme(aliasTarget))) {
      return { ecosystem, name: null, spec, source: sourceOf(hasScheme(spec) ? spec : aliasTarget), ...at };
    }
    if (isLocalPath(spec)) return null;
    if (!spec.startsWith('@') && spec.includes('/')) {
      return { ecosystem, name: null, spec, source: 'github-shorthand', ...at };
    }
    const name = npmSpecName(spec).toLowerCase();
    return { ecosystem, name, spec, source: 'registry', ...at };
  }
  if (hasScheme(spec)) return { ecosystem, name: null, spec, source: sourceOf(spec), ...at };
  if (isLocalPath(spec)) return null;
  const parsed = readPypiName(spec);
  if (!parsed) return null;
  // `name @ https://…` written as one quoted word
  const rest = spec.slice(parsed.end).trimStart();
  const restAfterExtras = rest.startsWith('[') ? rest.slice(rest.indexOf(']') + 1).trimStart() : rest;
  if (restAfterExtras.startsWith('@')) return { ecosystem, name: null, spec, source: sourceOf(restAfterExtras.slice(1).trim()), ...at };
  return { ecosystem, name: parsed.name, spec, source: 'registry', ...at };
}

const MANAGER_HINTS = ['npm', 'npx', 'yarn', 'bun', 'pip', 'uv', 'poetry', 'pdm'];

/**
 * Scans lines of shell-like text for package installs. Only logical lines that
 * contain a line accepted by `wanted` are read (the added lines of a change).
 */
export function findInstalls(lines: readonly string[], wanted: (line: number) => boolean, limit = 2000): InstallScan {
  const packages: InstalledPackage[] = [];
  const options: InstallOption[] = [];
  for (const logical of logicalLines(lines)) {
    if (!logical.segments.some((s) => wanted(s.line))) continue;
    if (!MANAGER_HINTS.some((hint) => logical.text.includes(hint))) continue;
    const words = shellWords(logical);
    for (let i = 0; i < words.length && packages.length < limit; i++) {
      if (words[i]!.separator) continue;
      const shape = commandAt(words, i);
      if (!shape || !atCommandPosition(words, i)) continue;
      const valueOptions = shape.ecosystem === 'npm' ? NPM_VALUE_OPTIONS : PIP_VALUE_OPTIONS;
      const packageOptions = shape.ecosystem === 'npm' ? NPM_PACKAGE_OPTIONS : PIP_PACKAGE_OPTIONS;
      let j = shape.argsFrom;
      let positional = 0;
      for (; j < words.length; j++) {
        const word = words[j]!;
        if (word.separator) break;
        const text = word.text;
        if (text.startsWith('-') && text.length > 1) {
          const eq = text.indexOf('=');
          const flag = eq > 0 ? text.slice(0, eq) : text;
          let value: string | null = null;
          let valueWord = word;
          if (eq > 0) value = text.slice(eq + 1);
          else if (valueOptions.has(flag) || packageOptions.has(flag)) {
            const next = words[j + 1];
            if (next && !next.separator) {
              value = next.text;
              valueWord = next;
              j++;
            }
          }
          if (value === null) continue;
          const option = optionKind(shape.ecosystem, flag);
          if (option) options.push({ kind: option, value, line: valueWord.line, column: valueWord.column });
          if (packageOptions.has(flag) || (shape.ecosystem === 'pypi' && (flag === '-e' || flag === '--editable'))) {
            const found = classify(shape.ecosystem, value, valueWord);
            // Editable installs of local paths are the norm; only URLs matter there.
            if (found && (found.source !== 'registry' || (flag !== '-e' && flag !== '--editable'))) packages.push(found);
          }
          continue;
        }
        if (shape.firstOnly && positional > 0) break;
        positional++;
        const found = classify(shape.ecosystem, text, word);
        if (found) packages.push(found);
      }
      i = j;
    }
  }
  return { packages, options };
}

function optionKind(ecosystem: Ecosystem, flag: string): InstallOptionKind | null {
  if (ecosystem === 'npm') return flag === '--registry' ? 'npm-registry' : null;
  if (flag === '-i' || flag === '--index-url' || flag === '--default-index') return 'pip-index-url';
  if (flag === '--extra-index-url' || flag === '--index') return 'pip-extra-index-url';
  if (flag === '--trusted-host') return 'pip-trusted-host';
  return null;
}

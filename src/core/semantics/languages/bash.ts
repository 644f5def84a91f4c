import type { SgNode } from '@ast-grep/napi';
import { named, type BindRule, type Cx, type ExprRule, type FrontEnd } from '../frontend.js';
import { lit, UNKNOWN, type ArgExpr, type Expr, type Scope } from '../ir.js';
import type { FoldHelpers, LanguageFolds } from '../passes.js';
import { fromBase64, fromHex, unescapeString } from '../strings.js';

// Front end for Bash: variables and command substitution. Variables and commands live apart: a
// command's name is a word folded to text (`$c`, `"$(echo Y3VybA== | base64 -d)"`), and its
// canonical name is the program that text names, without its directory (`/usr/bin/curl` → `curl`).
// A pipeline inside `$( … )` folds when each stage is a command the folder knows (echo, printf,
// base64 -d, xxd -r, rev, tr, cat): its standard input is an extra argument with the keyword
// `stdin`, so call rules, which look at positional arguments, do not see it.

/** The internal loader every command name goes through: `command curl` runs curl too. */
const COMMAND: Expr = { k: 'module', name: 'command' };
const STDIN = 'stdin';

/** Commands that run the command named by their first word that is not an option or `NAME=value`. */
const WRAPPERS = new Set(['command', 'builtin', 'exec', 'sudo', 'nohup', 'env', 'time']);
/** Shells whose `-c` option takes the script as the next word. */
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'mksh']);
/** Commands that write the variables named by their plain-word arguments. */
const READERS = new Set(['read', 'mapfile', 'readarray', 'getopts', 'unset']);
/** Declarations that bind in the function they appear in; the others (`export`, `readonly`) bind globally. */
const LOCAL_DECLARATIONS = new Set(['local', 'declare', 'typeset']);
/** `declare` flags after which the value is not the text written (integer, array, name reference). */
const NOT_TEXT_FLAGS = /^-[a-zA-Z]*[aAin]/;
const IDENTIFIER = /^[A-Za-z_]\w*$/;
/** A command that may write variables: a reader or `printf`, possibly behind `NAME=value` prefixes and wrappers. */
const MAY_WRITE = new RegExp(`^(?:\\S+=\\S*\\s+)*(?:(?:${[...WRAPPERS].join('|')})\\s+(?:-\\S*\\s+)*)*(?:${[...READERS].join('|')}|printf)\\b`);

/** Words of a command that are not redirections or `NAME=value` prefixes, the name first. */
function words(command: SgNode): SgNode[] {
  return named(command).filter((c) => {
    const kind = c.kind() as string;
    return kind !== 'variable_assignment' && !kind.endsWith('_redirect') && kind !== 'comment';
  });
}

/** The word that names the program a command runs, past wrappers like `sudo -E` and `env A=b`, and its arguments. */
function invocation(command: SgNode): { name: SgNode | null; argWords: SgNode[] } {
  const all = words(command);
  let i = 0;
  const plain = (n: SgNode | undefined): string | null => (n && n.kind() === 'word' ? n.text() : null);
  const first = all[0]?.kind() === 'command_name' ? named(all[0])[0] : all[0];
  let nameWord: SgNode | undefined = first;
  while (nameWord && WRAPPERS.has(plain(nameWord) ?? '') && i + 1 < all.length) {
    let j = i + 1;
    while (j < all.length && /^(?:-|[A-Za-z_]\w*=)/.test(plain(all[j]) ?? '')) j++;
    // `sudo curl` runs sudo as written; only a wrapped name that is not plain text is followed.
    if (j >= all.length || plain(all[j]) !== null) break;
    i = j;
    nameWord = all[j];
  }
  let argWords = all.slice(i + 1);
  // `bash -c SCRIPT …`: the script is the argument that matters.
  const program = plain(nameWord)?.replace(/^.*\//, '');
  if (program && SHELLS.has(program)) {
    const flag = argWords.findIndex((w) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(plain(w) ?? ''));
    if (flag >= 0) argWords = argWords.slice(flag + 1);
  }
  return { name: nameWord ?? null, argWords };
}

const commandCallee = (name: Expr): Expr => ({ k: 'call', callee: COMMAND, args: [{ expr: name, keyword: null, spread: false }] });

/** A command as a call: its program, its arguments, and a here-string as standard input. */
function commandExpr(command: SgNode, scope: Scope, cx: Cx, stdin: Expr | null): Expr {
  const { name, argWords } = invocation(command);
  if (!name) return UNKNOWN;
  if (name.kind() === 'word' && name.text() === 'echo') {
    const echoed = echoText(argWords, scope, cx);
    if (echoed) return echoed;
  }
  const args: ArgExpr[] = argWords.map((w) => cx.arg(() => cx.expr(w, scope)));
  const here = named(command).find((c) => c.kind() === 'herestring_redirect');
  const input = here ? cx.expr(named(here).at(-1), scope) : stdin;
  if (input) args.push({ expr: input, keyword: STDIN, spread: false });
  return { k: 'call', callee: commandCallee(programName(name, scope, cx)), args };
}

/**
 * `echo a "$b"` is its arguments joined by spaces, so its value is a concatenation: it folds, and
 * whatever flows into it flows out. With `-e` (escapes) it stays a command for the fold below.
 */
function echoText(argWords: SgNode[], scope: Scope, cx: Cx): Expr | null {
  let i = 0;
  while (argWords[i] && /^-[nE]+$/.test(argWords[i]!.text())) i++;
  if (argWords[i]?.kind() === 'word' && /^-[neE]+$/.test(argWords[i]!.text())) return null;
  const items: Expr[] = [];
  for (const w of argWords.slice(i)) items.push(...(items.length > 0 ? [lit(' ')] : []), cx.expr(w, scope));
  return { k: 'concat', parts: items };
}

/** Variables the shell sets to a shell: run as a command, they name it (`curl … | $SHELL`). */
const SHELL_VARIABLES = new Set(['SHELL', 'BASH']);

function programName(name: SgNode, scope: Scope, cx: Cx): Expr {
  const expr = cx.expr(name, scope);
  if (expr.k === 'name' && SHELL_VARIABLES.has(expr.name) && scope.lookup(expr.name) === null) return lit(expr.name);
  return expr;
}

/** In double quotes a backslash quotes only `$`, `` ` ``, `"`, `\` and a newline. */
const unquoteDouble = (text: string): string => text.replace(/\\([$`"\\\n])/g, (_m, c: string) => (c === '\n' ? '' : c));

/** `$x`, `${x}`: the variable; positional and special parameters are unknown. */
function variable(node: SgNode, scope: Scope): Expr {
  const name = named(node).find((c) => c.kind() === 'variable_name');
  return name && IDENTIFIER.test(name.text()) ? { k: 'name', name: name.text(), scope } : UNKNOWN;
}

const parts: ExprRule = (node, scope, cx) => {
  const items = named(node).map((c) => cx.expr(c, scope));
  return items.length === 1 ? items[0]! : { k: 'concat', parts: items };
};

/**
 * `$( … )`, backticks and `<( … )`: the output of the one command or pipeline inside. Trailing
 * newlines, which a substitution drops, are not produced by the folds in the first place.
 */
const substitution: ExprRule = (node, scope, cx) => {
  const inner = named(node).filter((c) => c.kind() !== 'comment');
  return inner.length === 1 ? { k: 'concat', parts: [cx.expr(inner[0], scope)] } : UNKNOWN;
};

const EXPRS: Record<string, ExprRule> = {
  // `c\url` splits the word to hide it: a backslash inside a word joins pieces (a leading one,
  // `\rm`, only skips aliases).
  word: (node) => {
    const text = node.text().replace(/^\\(?=\w)/, '');
    if (!text.includes('\\')) return lit(text);
    const pieces = (text.match(/\\.|[^\\]+/gs) ?? []).map((p) => lit(p.startsWith('\\') ? p.slice(1) : p));
    return pieces.length === 1 ? pieces[0]! : { k: 'concat', parts: pieces };
  },
  number: (node) => lit(node.text()),
  raw_string: (node) => lit(node.text().slice(1, -1)),
  ansi_c_string: (node) => {
    const body = unescapeString(node.text().slice(2, -1), true);
    return body === null ? UNKNOWN : lit(body);
  },
  string_content: (node) => lit(unquoteDouble(node.text())),
  string: (node, scope, cx) => (named(node).length === 0 ? lit('') : parts(node, scope, cx)),
  concatenation: parts,
  // The callee of a command: the program its (possibly wrapped) name folds to. Converted on its
  // own, without the arguments: most commands are asked only what they call.
  command_name: (node, scope, cx) => {
    const command = cx.owner(node);
    const name = command && invocation(command).name;
    return name ? commandCallee(programName(name, scope, cx)) : UNKNOWN;
  },
  simple_expansion: (node, scope) => variable(node, scope),
  expansion: (node, scope) => {
    const kids = node.children().filter((c) => c.kind() !== '${' && c.kind() !== '}');
    if (kids.length === 1) return variable(node, scope);
    // `${x:-default}`: the variable when the script sets it, else unknown (the environment may).
    const op = kids[1]?.text();
    const v = variable(node, scope);
    return (op === ':-' || op === '-') && v.k === 'name' && scope.lookup(v.name) !== null ? v : UNKNOWN;
  },
  command_substitution: substitution,
  process_substitution: substitution,
  // A stage of a pipeline reads the output of the stage before it.
  command: (node, scope, cx) => {
    if (node.parent()?.kind() !== 'pipeline') return commandExpr(node, scope, cx, null);
    let before = node.prev();
    while (before && !before.isNamed()) before = before.prev();
    return commandExpr(node, scope, cx, before ? cx.expr(before, scope) : null);
  },
  pipeline: (node, scope, cx) => cx.expr(named(node).at(-1), scope),
};

/** A variable assignment's value, or null when it is not plain text (`+=`, an array). */
function assignedValue(node: SgNode): SgNode | null | 'empty' {
  if (node.children().some((c) => c.kind() === '+=')) return null;
  const value = node.field('value');
  if (!value) return 'empty';
  return value.kind() === 'array' ? null : value;
}

/** The file's scope: where assignments outside `local` bind, even inside a function. */
function rootOf(scope: Scope): Scope {
  let root = scope;
  while (root.parent) root = root.parent;
  return root;
}

/** Names each function declares `local` without a value. */
const declaredLocals = new WeakMap<Scope, Set<string>>();
function declared(scope: Scope): Set<string> {
  let names = declaredLocals.get(scope);
  if (!names) declaredLocals.set(scope, (names = new Set()));
  return names;
}

/** Where a plain assignment writes: the function that declared the name `local`, else the file. */
function declaringScope(name: string, scope: Scope): Scope {
  for (let s: Scope | null = scope; s?.parent; s = s.parent) if (s.bindings.has(name) || declaredLocals.get(s)?.has(name)) return s;
  return rootOf(scope);
}

const bindAssignment: BindRule = (node, scope, cx) => {
  const name = node.field('name');
  if (!name || name.kind() !== 'variable_name') return;
  const parent = node.parent();
  const kind = parent?.kind() as string | undefined;
  // `NAME=value cmd` sets NAME for that command only.
  if (kind === 'command') return;
  let target = declaringScope(name.text(), scope);
  let opaque = false;
  if (kind === 'declaration_command') {
    const keyword = parent!.child(0)?.text() ?? '';
    if (LOCAL_DECLARATIONS.has(keyword)) target = scope;
    opaque = named(parent!).some((c) => c.kind() === 'word' && NOT_TEXT_FLAGS.test(c.text()));
  }
  const value = assignedValue(node);
  if (opaque || value === null) target.bind(name.text(), { k: 'opaque' });
  else target.bind(name.text(), cx.value(() => (value === 'empty' ? lit('') : cx.expr(value, scope))));
};

const BINDERS: Record<string, BindRule> = {
  variable_assignment: bindAssignment,
  // `local x` with no value: the function's own x, given its value by the assignments that follow.
  declaration_command: (node, scope) => {
    const keyword = node.child(0)?.text() ?? '';
    if (!LOCAL_DECLARATIONS.has(keyword)) return;
    for (const c of named(node)) if (c.kind() === 'variable_name') declared(scope).add(c.text());
  },
  for_statement: (node, scope) => {
    const v = node.field('variable');
    if (v) rootOf(scope).bind(v.text(), { k: 'opaque' });
  },
  // `read x`, `printf -v x`, `unset x`: written at run time.
  command: (node, scope) => {
    // One look at the text first: most commands write no variable.
    if (!MAY_WRITE.test(node.text())) return;
    const { name, argWords } = invocation(node);
    const program = name?.kind() === 'word' ? name.text() : '';
    const isPrintfV = program === 'printf' && argWords[0]?.text() === '-v';
    if (!READERS.has(program) && !isPrintfV) return;
    const targets = isPrintfV ? argWords.slice(1, 2) : argWords;
    for (const w of targets) if (w.kind() === 'word' && IDENTIFIER.test(w.text())) rootOf(scope).bind(w.text(), { k: 'opaque' });
  },
};

function args(node: SgNode | null, scope: Scope, cx: Cx): ArgExpr[] {
  const command = node && cx.owner(node);
  if (!command) return [];
  const call = cx.expr(command, scope);
  return call.k === 'call' ? call.args : [];
}

// Folds of the commands a pipeline may decode a name through. Each gets its positional arguments and its standard input.

type CommandFold = (argv: string[], stdin: string | null) => string | null;

function foldCommand(f: CommandFold) {
  return (argList: ArgExpr[], h: FoldHelpers): string | null => {
    const argv: string[] = [];
    let stdin: string | null = null;
    for (const a of argList) {
      if (a.spread) return null;
      const v = h.fold(a.expr);
      if (v === null) return null;
      if (a.keyword === STDIN) stdin = v;
      else argv.push(v);
    }
    return f(argv, stdin);
  };
}

/** `echo -e`: escapes decoded (its output's final newline is left out, as a substitution drops it). */
const echo: CommandFold = (argv) => {
  let escapes = false;
  while (argv[0] && /^-[neE]+$/.test(argv[0])) escapes = argv.shift()!.includes('e') || escapes;
  const text = argv.join(' ');
  return escapes ? unescapeString(text, true) : text;
};

/** `printf FORMAT ARGS…` with `%s`, `%b`, `%c`, `%%` and escapes in the format; the format repeats for extra arguments. */
const printf: CommandFold = (argv) => {
  const [format, ...rest] = argv;
  if (format === undefined) return null;
  const escaped = unescapeString(format, true);
  if (escaped === null) return null;
  let out = '';
  let i = 0;
  let failed = false;
  do {
    out += escaped.replace(/%([%sbc])/g, (_m, d: string) => {
      if (d === '%') return '%';
      const v = rest[i++] ?? '';
      if (d === 'c') return v.slice(0, 1);
      if (d === 'b') {
        const u = unescapeString(v, true);
        if (u === null) failed = true;
        return u ?? '';
      }
      return v;
    });
    if (/%[^%sbc]/.test(escaped)) return null;
  } while (i < rest.length && /%[sbc]/.test(escaped));
  return failed ? null : out;
};

const hasFlag = (argv: string[], short: string, long: string): boolean =>
  argv.some((a) => a === long || new RegExp(`^-[a-zA-Z]*${short}`).test(a));

/** `tr SET1 SET2` with ranges (`a-z`) and `-d SET`. */
function tr(argv: string[], stdin: string | null): string | null {
  if (stdin === null) return null;
  const expand = (set: string): string[] | null => {
    const out: string[] = [];
    const chars = [...set];
    for (let i = 0; i < chars.length; i++) {
      if (chars[i + 1] === '-' && chars[i + 2] !== undefined) {
        const from = chars[i]!.codePointAt(0)!;
        const to = chars[i + 2]!.codePointAt(0)!;
        if (to < from || to - from > 256) return null;
        for (let c = from; c <= to; c++) out.push(String.fromCodePoint(c));
        i += 2;
      } else out.push(chars[i]!);
    }
    return out;
  };
  if (argv[0] === '-d' && argv.length === 2) {
    const drop = expand(argv[1]!);
    return drop && [...stdin].filter((c) => !drop.includes(c)).join('');
  }
  if (argv.length !== 2 || argv.some((a) => a.startsWith('-') || a.includes('['))) return null;
  const from = expand(argv[0]!);
  const to = expand(argv[1]!);
  if (!from || !to || to.length === 0) return null;
  return [...stdin].map((c) => {
    const at = from.lastIndexOf(c);
    return at < 0 ? c : (to[Math.min(at, to.length - 1)] ?? c);
  }).join('');
}

const COMMAND_FOLDS: Record<string, CommandFold> = {
  echo,
  printf,
  cat: (argv, stdin) => (argv.length === 0 ? stdin : null),
  rev: (argv, stdin) => (argv.length === 0 && stdin !== null ? stdin.split('\n').map((l) => [...l].reverse().join('')).join('\n') : null),
  base64: (argv, stdin) => (stdin !== null && hasFlag(argv, 'd', '--decode') ? fromBase64(stdin) : null),
  xxd: (argv, stdin) => (stdin !== null && hasFlag(argv, 'r', '--revert') && hasFlag(argv, 'p', '--plain') ? fromHex(stdin) : null),
  tr,
};

export const BASH_FOLDS: LanguageFolds = {
  calls: new Map(Object.entries(COMMAND_FOLDS).map(([name, f]) => [name, foldCommand(f)] as const)),
  methods: new Map(),
};

export const bash: FrontEnd = {
  scopes: new Set(['function_definition']),
  enterScope() {},
  binders: BINDERS,
  // A command's name and arguments are words of the command itself: both resolve through its name node.
  calls: { command: { callee: 'name', args: 'name' } },
  args,
  // A name written as one plain word (not a wrapper like sudo) is the program it runs: calls
  // rules and sinks do not want are skipped without converting anything.
  plainProperty: (callee) => {
    const words = named(callee);
    const word = words.length === 1 && words[0]!.kind() === 'word' ? words[0]!.text() : null;
    return word !== null && !word.includes('\\') && !WRAPPERS.has(word) ? bash.moduleName(word) : null;
  },
  exprs: EXPRS,
  globalObjects: new Set(),
  moduleLoaders: new Set(['command']),
  subscriptsReachMembers: false,
  keywordLoaders: new Set(),
  memberGetters: new Set(),
  rootModules: new Set(),
  // `/usr/bin/curl` is curl, `.` is source; an empty or multi-word name is no program.
  moduleName: (name) => {
    const program = name.replace(/\n+$/, '').replace(/^.*\//, '');
    if (program === '.') return 'source';
    return /^[\w.+-]+$/.test(program) ? program : '';
  },
  folds: BASH_FOLDS,
  // A command name built from a variable, a substitution or escaped pieces may be any program;
  // `. <(…)` sources one.
  reach: /[$`]|\w\\\w|<\(|^\s*\.\s/m,
};

// Where commands run by themselves, and the command text at each place: build files (Makefile,
// justfile, Taskfile, .envrc, Dockerfile, git hooks, PowerShell and batch scripts, `//go:generate`,
// MSBuild <Exec>, Gradle exec, Maven exec-maven-plugin, setup.py subprocess calls, build.rs
// Command) and hooks that run without being asked (VS Code folder-open tasks, dev container
// lifecycle commands, Claude Code / Gemini CLI / Cursor / Copilot hooks, `!` lines of Claude
// Code slash commands).

import { entriesOf, parseJson, stringValue, type JsonNode } from '../../formats/jsonc.js';
import { languageOf } from '../../languages.js';

/** How a place runs its commands: as part of a build, or automatically when a tool opens or acts. */
export type SiteKind = 'build' | 'auto-run';

export interface CommandSite {
  kind: SiteKind;
  /** What runs it, for messages: "Makefile recipe", "dev container postCreateCommand". */
  where: string;
  /** The command text as lines; `lineOf(i)` maps its i-th line (0-based) to a line of the file. */
  lines: string[];
  lineOf: (index: number) => number;
  /**
   * Shell scripts the bash rules already read: only what those rules cannot see (a download run
   * from a file, credential reads) is reported here.
   */
  bashCovered?: boolean;
  /** Dev containers install tools as a matter of course: plain network access is not news there. */
  networkExpected?: boolean;
}

function lower(path: string): { base: string; segs: string[] } {
  const segs = path.toLowerCase().split('/').filter((s) => s !== '');
  return { base: segs[segs.length - 1] ?? '', segs };
}

const MAKEFILE = /^(?:makefile|gnumakefile|bsdmakefile)$|\.mk$|\.make$/;
const JUSTFILE = /^\.?justfile$|\.just$/;
const TASKFILE = /^taskfile(?:\.dist)?\.ya?ml$/;
const DOCKERFILE = /^(?:docker|container)file(?:\..+)?$|\.(?:docker|container)file$/;
const WINDOWS_SCRIPT = /\.(?:ps1|psm1|bat|cmd)$/;
const MSBUILD = /\.(?:csproj|vbproj|fsproj|vcxproj|proj|targets|props)$/;
const GRADLE = /\.gradle(?:\.kts)?$/;

/** True for a git hook file in the usual hook directories. */
function isHookFile(segs: string[]): boolean {
  const dirs = segs.slice(0, -1);
  const base = segs[segs.length - 1] ?? '';
  if (base.startsWith('.') || base.endsWith('.md')) return false;
  const at = dirs.findIndex((d) => d === '.husky' || d === '.githooks' || d === '.git-hooks');
  return at >= 0 && at === dirs.length - 1;
}

function isDevcontainer(segs: string[]): boolean {
  const base = segs[segs.length - 1] ?? '';
  if (base === '.devcontainer.json') return true;
  return base === 'devcontainer.json' && segs.includes('.devcontainer');
}

/** Cheap path test: a file that may hold commands that run by themselves. */
export function mayHoldCommands(path: string): boolean {
  const { base, segs } = lower(path);
  const dir = segs[segs.length - 2];
  return (
    MAKEFILE.test(base) ||
    JUSTFILE.test(base) ||
    TASKFILE.test(base) ||
    base === '.envrc' ||
    DOCKERFILE.test(base) ||
    WINDOWS_SCRIPT.test(base) ||
    MSBUILD.test(base) ||
    GRADLE.test(base) ||
    base === 'pom.xml' ||
    base === 'setup.py' ||
    base === 'hatch_build.py' ||
    base === 'build.rs' ||
    base.endsWith('.go') ||
    /\.(?:sh|bash|zsh|ksh)$/.test(base) ||
    isHookFile(segs) ||
    isDevcontainer(segs) ||
    (dir === '.vscode' && base === 'tasks.json') ||
    (dir === '.claude' && (base === 'settings.json' || base === 'settings.local.json')) ||
    (dir === '.gemini' && base === 'settings.json') ||
    (dir === '.cursor' && base === 'hooks.json') ||
    (dir === 'hooks' && segs[segs.length - 3] === '.github' && base.endsWith('.json')) ||
    (segs.includes('.claude') && segs.includes('commands') && base.endsWith('.md'))
  );
}

const identity = (i: number): number => i + 1;

/** A site for the whole file as shell text. */
function wholeFile(kind: SiteKind, where: string, lines: string[], extra: Partial<CommandSite> = {}): CommandSite {
  return { kind, where, lines, lineOf: identity, ...extra };
}

/**
 * A Makefile line as the shell would read it: `$$` is a literal `$`. Make runs each `$(shell …)`
 * in a shell while it reads the Makefile: its command is appended to the line as a command of its
 * own (under `$(eval …)`, as the eval of its output, which Make then runs as Make code).
 */
function asMakeShell(line: string): string {
  const unescaped = line.replace(/\$\$/g, '$');
  if (!unescaped.includes('$(shell')) return unescaped;
  const commands: string[] = [];
  for (let from = 0, guard = 0; guard < 20; guard++) {
    const at = unescaped.indexOf('$(shell', from);
    if (at === -1) break;
    let depth = 0;
    let end = -1;
    for (let i = at + 1; i < unescaped.length; i++) {
      if (unescaped[i] === '(') depth++;
      else if (unescaped[i] === ')' && --depth === 0) {
        end = i;
        break;
      }
    }
    const command = unescaped.slice(at + '$(shell'.length, end === -1 ? unescaped.length : end).trim();
    commands.push(/\$\(eval\s*$/.test(unescaped.slice(0, at)) ? `eval "$(${command})"` : command);
    if (end === -1) break;
    from = end + 1;
  }
  return `${unescaped} ; ${commands.join(' ; ')}`;
}

const SHELL_NAMES = new Set(['sh', 'bash', 'dash', 'zsh', 'ash', 'ksh']);

/** `RUN ["sh", "-c", "script"]` as `RUN script`, and other exec-form RUNs as their words. */
function execFormAsShell(line: string): string {
  const m = /^(\s*RUN\s+(?:--\S+\s+)*)(\[.*\])\s*$/i.exec(line);
  if (!m) return line;
  let args: unknown;
  try {
    args = JSON.parse(m[2]!);
  } catch {
    return line;
  }
  if (!Array.isArray(args) || !args.every((a): a is string => typeof a === 'string')) return line;
  const program = (args[0] ?? '').replace(/^.*\//, '');
  if (SHELL_NAMES.has(program) && args[1] === '-c' && args[2] !== undefined) return `${m[1]}${args[2]}`;
  return `${m[1]}${args.map((a) => (/^[\w./:=@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ')}`;
}

/** Lines with everything but the picked parts blanked, so line numbers stay those of the file. */
function picked(lines: readonly string[], pick: (line: string) => string | null): string[] | null {
  let any = false;
  const out = lines.map((l) => {
    const p = pick(l);
    if (p === null) return '';
    any = true;
    return p;
  });
  return any ? out : null;
}

const XML_ENTITIES: Record<string, string> = { '&quot;': '"', '&apos;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };
const unescapeXml = (s: string): string => s.replace(/&(?:quot|apos|lt|gt|amp);/g, (m) => XML_ENTITIES[m]!);

/** String literals of a line of code ('…', "…", Rust r"…"), joined by spaces: the words of a command built in code. */
function literals(line: string): string[] {
  const out: string[] = [];
  const re = /r?"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g;
  let m: RegExpExecArray | null;
  let guard = 0;
  while ((m = re.exec(line)) !== null && guard++ < 50) out.push((m[1] ?? m[2] ?? '').replace(/\\(["'\\])/g, '$1'));
  return out;
}

/** A word as the shell would need it written: quoted when it holds spaces. */
const quoteWord = (w: string): string => (/\s/.test(w) ? `"${w.replace(/["\\$`]/g, '\\$&')}"` : w);

/** Joins the words of an exec-form command into one command line (a lone word is a command line already). */
function joinWords(words: readonly string[]): string {
  return words.length === 1 ? words[0]! : words.map(quoteWord).join(' ');
}

/** Joins statement lines from `start` until one ends the statement, at most 12 lines. */
function statementText(lines: readonly string[], start: number, ends: RegExp): { text: string; last: number } {
  let text = '';
  let i = start;
  for (; i < lines.length && i < start + 12; i++) {
    text += ` ${lines[i]}`;
    if (ends.test(lines[i]!)) break;
  }
  return { text, last: i };
}

function codeSites(base: string, lines: string[]): CommandSite[] {
  const sites: CommandSite[] = [];
  const add = (where: string, index: number, words: string[]): void => {
    const text = joinWords(words).trim();
    if (text !== '') sites.push({ kind: 'build', where, lines: [text], lineOf: () => index + 1 });
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (base === 'build.rs') {
      if (!line.includes('Command::new')) continue;
      const { text } = statementText(lines, i, /;\s*$|\.(?:status|output|spawn)\(\)/);
      add('build.rs Command', i, literals(text.slice(text.indexOf('Command::new'))));
    } else if (base === 'setup.py' || base === 'hatch_build.py') {
      if (!/\b(?:os\.system|os\.popen|subprocess\.\w+|check_call|check_output|Popen)\s*\(/.test(line)) continue;
      const { text } = statementText(lines, i, /\)\s*$/);
      add(`${base} subprocess call`, i, literals(text));
    } else if (GRADLE.test(base)) {
      if (!/\bcommandLine\b|\.execute\(\)|\bexecutable\b|\bProcessBuilder\b/.test(line)) continue;
      add('Gradle exec', i, literals(line));
    }
  }
  return sites;
}

function mavenSites(lines: string[]): CommandSite[] {
  const sites: CommandSite[] = [];
  let words: string[] = [];
  let start = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const exe = /<executable>\s*([^<]+?)\s*<\/executable>/.exec(line);
    if (exe) {
      words = [unescapeXml(exe[1]!)];
      start = i;
      continue;
    }
    if (start < 0) continue;
    for (const m of line.matchAll(/<(?:argument|commandlineArgs)>\s*([^<]*?)\s*<\/(?:argument|commandlineArgs)>/g)) words.push(unescapeXml(m[1]!));
    if (/<\/configuration>|<\/execution>/.test(line)) {
      sites.push({ kind: 'build', where: 'Maven exec-maven-plugin', lines: [joinWords(words)], lineOf: ((s) => () => s + 1)(start) });
      start = -1;
    }
  }
  return sites;
}

function jsonRoot(text: string, jsonc: boolean): JsonNode | null {
  const parsed = parseJson(text, { jsonc });
  return parsed.ok ? parsed.value : null;
}

/** A command given as a string, an array (exec form) or an object of those (parallel commands). */
function commandValues(node: JsonNode, depth = 0): Array<{ text: string; line: number }> {
  if (node.kind === 'string') return [{ text: node.value, line: node.line }];
  if (node.kind === 'array') {
    const items = node.items.filter((i): i is Extract<JsonNode, { kind: 'string' }> => i.kind === 'string');
    if (items.length === 0) return [];
    return [{ text: joinWords(items.map((i) => i.value)), line: items[0]!.line }];
  }
  if (node.kind === 'object' && depth === 0) return node.entries.flatMap((e) => commandValues(e.value, depth + 1));
  return [];
}

function stringSite(kind: SiteKind, where: string, text: string, line: number, extra: Partial<CommandSite> = {}): CommandSite {
  const lines = text.split('\n');
  return { kind, where, lines, lineOf: (i) => (lines.length === 1 ? line : line + i), ...extra };
}

const DEVCONTAINER_COMMANDS = ['initializeCommand', 'onCreateCommand', 'updateContentCommand', 'postCreateCommand', 'postStartCommand', 'postAttachCommand'];

function devcontainerSites(root: JsonNode): CommandSite[] {
  const sites: CommandSite[] = [];
  for (const key of DEVCONTAINER_COMMANDS) {
    for (const e of entriesOf(root, key)) {
      const where = key === 'initializeCommand' ? 'dev container initializeCommand (runs on the host machine)' : `dev container ${key}`;
      for (const c of commandValues(e.value)) sites.push(stringSite('auto-run', where, c.text, c.line, { networkExpected: key !== 'initializeCommand' }));
    }
  }
  return sites;
}

function vscodeTaskSites(root: JsonNode): CommandSite[] {
  const sites: CommandSite[] = [];
  for (const tasks of entriesOf(root, 'tasks')) {
    if (tasks.value.kind !== 'array') continue;
    for (const task of tasks.value.items) {
      const runOn = stringValue(entriesOf(entriesOf(task, 'runOptions')[0]?.value, 'runOn')[0]?.value);
      if (runOn !== 'folderOpen') continue;
      const label = stringValue(entriesOf(task, 'label')[0]?.value) ?? 'task';
      const scopes: JsonNode[] = [task, ...['windows', 'linux', 'osx'].flatMap((os) => entriesOf(task, os).map((e) => e.value))];
      for (const scope of scopes) {
        for (const cmd of entriesOf(scope, 'command')) {
          const command = stringValue(cmd.value) ?? (cmd.value.kind === 'object' ? stringValue(entriesOf(cmd.value, 'value')[0]?.value) : undefined);
          if (command === undefined) continue;
          const args: Array<{ text: string; line: number }> = [];
          for (const a of entriesOf(scope, 'args')) {
            if (a.value.kind !== 'array') continue;
            for (const item of a.value.items) {
              const v = stringValue(item) ?? (item.kind === 'object' ? stringValue(entriesOf(item, 'value')[0]?.value) : undefined);
              if (v !== undefined) args.push({ text: v, line: item.line });
            }
          }
          // `command` is a command line of its own (shell tasks); the arguments are words.
          const text = [command, ...args.map((a) => quoteWord(a.text))].join(' ');
          // Point at the argument that carries the command when the program is only a shell.
          const line = args.length > 0 && /^(?:ba|z|da)?sh$|^(?:pwsh|powershell|cmd)(?:\.exe)?$/i.test(command.trim()) ? args[args.length - 1]!.line : cmd.keyLine;
          sites.push(stringSite('auto-run', `VS Code task "${label.slice(0, 60)}" that runs on folder open`, text, line));
        }
      }
    }
  }
  return sites;
}

/** Hook commands of Claude Code and Gemini CLI settings: hooks → event → [{ hooks: [{ command }] }]. */
function agentHookSites(root: JsonNode, tool: string): CommandSite[] {
  const sites: CommandSite[] = [];
  const walk = (node: JsonNode, event: string, depth: number): void => {
    if (depth > 8 || sites.length > 200) return;
    if (node.kind === 'array') for (const item of node.items) walk(item, event, depth + 1);
    if (node.kind !== 'object') return;
    for (const e of node.entries) {
      if ((e.key === 'command' || e.key === 'bash' || e.key === 'powershell') && e.value.kind === 'string') {
        sites.push(stringSite('auto-run', `${tool} ${event} hook`, e.value.value, e.value.line));
      } else walk(e.value, event, depth + 1);
    }
  };
  for (const hooks of entriesOf(root, 'hooks')) {
    if (hooks.value.kind !== 'object') continue;
    for (const ev of hooks.value.entries) walk(ev.value, ev.key, 0);
  }
  return sites;
}

/** `!` lines of a Claude Code slash command: !`cmd` runs before the prompt is sent. */
function slashCommandSites(lines: string[]): CommandSite[] {
  const sites: CommandSite[] = [];
  lines.forEach((line, i) => {
    for (const m of line.matchAll(/!`([^`]+)`/g)) sites.push(stringSite('auto-run', 'Claude Code slash command (! pre-execution)', m[1]!, i + 1));
  });
  return sites;
}

/** Every place in the file where commands run by themselves. */
export function commandSites(path: string, lines: string[], text: string): CommandSite[] {
  const { base, segs } = lower(path);
  const dir = segs[segs.length - 2];
  if (isDevcontainer(segs)) {
    const root = jsonRoot(text, true);
    return root ? devcontainerSites(root) : [];
  }
  if (dir === '.vscode' && base === 'tasks.json') {
    const root = jsonRoot(text, true);
    return root ? vscodeTaskSites(root) : [];
  }
  if (dir === '.claude' && base.endsWith('.json')) {
    const root = jsonRoot(text, true);
    return root ? agentHookSites(root, 'Claude Code') : [];
  }
  if (dir === '.gemini') {
    const root = jsonRoot(text, true);
    return root ? agentHookSites(root, 'Gemini CLI') : [];
  }
  if (dir === '.cursor') {
    const root = jsonRoot(text, true);
    return root ? agentHookSites(root, 'Cursor') : [];
  }
  if (dir === 'hooks' && segs[segs.length - 3] === '.github') {
    const root = jsonRoot(text, true);
    return root ? agentHookSites(root, 'Copilot') : [];
  }
  if (segs.includes('.claude') && base.endsWith('.md')) return slashCommandSites(lines);
  if (MAKEFILE.test(base)) return [wholeFile('build', 'Makefile recipe', lines.map(asMakeShell))];
  if (JUSTFILE.test(base)) return [wholeFile('build', 'justfile recipe', lines)];
  if (TASKFILE.test(base)) return [wholeFile('build', 'Taskfile command', lines)];
  if (base === '.envrc') return [wholeFile('auto-run', '.envrc (direnv runs it on entering the directory)', lines)];
  if (DOCKERFILE.test(base)) return [wholeFile('build', 'Dockerfile RUN', lines.map(execFormAsShell))];
  if (isHookFile(segs)) return [wholeFile('build', 'git hook', lines)];
  if (WINDOWS_SCRIPT.test(base)) return [wholeFile('build', base.endsWith('.ps1') || base.endsWith('.psm1') ? 'PowerShell script' : 'batch script', lines)];
  if (base.endsWith('.go')) {
    const gen = picked(lines, (l) => {
      const m = /^(\s*\/\/go:generate\s+)(.*)$/.exec(l);
      return m ? ' '.repeat(m[1]!.length) + m[2]! : null;
    });
    return gen ? [wholeFile('build', '//go:generate', gen)] : [];
  }
  if (MSBUILD.test(base)) {
    const sites: CommandSite[] = [];
    lines.forEach((l, i) => {
      for (const m of l.matchAll(/<Exec\b[^>]*?\bCommand\s*=\s*"([^"]*)"/gi)) sites.push(stringSite('build', 'MSBuild <Exec>', unescapeXml(m[1]!), i + 1));
    });
    return sites;
  }
  if (base === 'pom.xml') return mavenSites(lines);
  if (base === 'build.rs' || base === 'setup.py' || base === 'hatch_build.py' || GRADLE.test(base)) return codeSites(base, lines);
  if (languageOf(path, lines[0]) === 'bash') return [wholeFile('build', 'shell script', lines, { bashCovered: true })];
  return [];
}

// Mechanical fixes: for findings whose fix can be written without judgement, the replacement
// of the finding's lines, which the app offers as a GitHub suggestion. Only unambiguous cases
// get one; anything else keeps the rule's advice in words. A fix that needs facts from
// outside the change (the commit a tag points to) is declared as a need, and the shell that
// can ask GitHub resolves it (github/fixes.ts): the core reads nothing.
import { scanLine } from './analyzers/hidden-code/unicode.js';
import type { ContentLoader, Finding, FixNeed, FixSuggestion } from './model.js';
import type { RuleMeta } from './rules/types.js';
import { splitLines } from './text.js';

type Fixer = (lines: readonly string[], finding: Finding) => { replacement: string; description: string } | { need: FixNeed; description: string } | null;

const UNICODE_RULES = [
  'unicode.tag-characters',
  'unicode.bidi-control',
  'unicode.zero-width',
  'unicode.variation-selector-supplement',
  'unicode.hidden-in-agent-instructions',
];

/** The finding's lines, when it has exactly these and they exist. */
function linesOf(lines: readonly string[], finding: Finding): string[] | null {
  if (finding.line < 1 || finding.endLine < finding.line || finding.endLine > lines.length) return null;
  return lines.slice(finding.line - 1, finding.endLine);
}

/** Removes what the hidden-Unicode analyzer reports on each line (legitimate joiners and flags stay). */
const stripHiddenUnicode: Fixer = (lines, finding) => {
  const own = linesOf(lines, finding);
  if (!own) return null;
  let changed = false;
  const fixed = own.map((line, i) => {
    const found = scanLine(line, finding.line + i === 1);
    if (found.length === 0) return line;
    changed = true;
    let out = '';
    let at = 0;
    for (const o of [...found].sort((a, b) => a.index - b.index)) {
      out += line.slice(at, o.index);
      at = o.index + o.length;
    }
    return out + line.slice(at);
  });
  return changed ? { replacement: fixed.join('\n'), description: 'Remove the invisible characters from the line.' } : null;
};

/** One `"key": value,` entry alone on its line: removing the line leaves valid JSON. */
const LONE_ENTRY = /^\s*"[^"\\]+"\s*:\s*(?:"[^"\\]*"|true|false|-?\d+)\s*,\s*$/;

/** `"defaultMode": "bypassPermissions"`: the line removed, or (the last entry of its object) the mode set back to "default". */
const dropBypassMode: Fixer = (lines, finding) => {
  const own = linesOf(lines, finding);
  if (!own || own.length !== 1 || !own[0]!.includes('"bypassPermissions"')) return null;
  if (LONE_ENTRY.test(own[0]!)) return { replacement: '', description: 'Remove the setting: Claude Code then asks before running tools.' };
  if (!/^\s*"defaultMode"\s*:\s*"bypassPermissions"\s*}?\s*$/.test(own[0]!)) return null;
  return { replacement: own[0]!.replace('"bypassPermissions"', '"default"'), description: 'Set the mode back to "default": Claude Code then asks before running tools.' };
};

/** An auto-approval setting alone on its line: the line removed. */
const dropLoneSetting: Fixer = (lines, finding) => {
  const own = linesOf(lines, finding);
  if (!own || own.length !== 1 || !LONE_ENTRY.test(own[0]!)) return null;
  return { replacement: '', description: 'Remove the setting, so that the agent asks before acting.' };
};

/** Flags of AI coding CLIs that only ever turn their confirmations off. */
const BYPASS_FLAGS = ['--dangerously-skip-permissions', '--dangerously-bypass-approvals-and-sandbox', '--trust-all-tools', '--yolo', '--yes-always'];

const dropBypassFlag: Fixer = (lines, finding) => {
  const own = linesOf(lines, finding);
  if (!own || own.length !== 1) return null;
  let line = own[0]!;
  for (const flag of BYPASS_FLAGS) {
    line = line.replace(new RegExp(`[ \\t]+${flag}(?=[ \\t]|$)`, 'g'), '');
  }
  return line === own[0] ? null : { replacement: line, description: 'Remove the flag that turns the CLI’s confirmations off.' };
};

const SHA = /^[0-9a-f]{40}$/i;

/** `uses: owner/repo[/path]@tag` → the need of the tag's commit. */
const pinAction: Fixer = (lines, finding) => {
  const own = linesOf(lines, finding);
  if (!own || own.length !== 1) return null;
  const line = own[0]!;
  const m = /^(\s*-?\s*uses\s*:\s*['"]?)([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)((?:\/[^@\s'"#]*)?)@([A-Za-z0-9_./-]+)(['"]?\s*(?:#.*)?)$/.exec(line);
  if (!m) return null;
  const [, lead, owner, repo, path, ref, rest] = m as unknown as [string, string, string, string, string, string, string];
  if (SHA.test(ref) || ref.includes('..')) return null;
  return {
    need: { kind: 'action-commit', repository: `${owner}/${repo}`, ref, prefix: `${lead}${owner}/${repo}${path}@`, suffix: rest },
    description: `Pin ${owner}/${repo} to the full commit SHA of ${ref}.`,
  };
};

/** Characters that give a command string a meaning only a shell knows (`=` only in the first word: `VAR=x cmd`). */
const SHELL_SYNTAX = /[|&;<>()$`\\"'*?[\]#~%!\n{}]/;
const PY_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The words of a command, or null when a shell would read it differently from a split on spaces. */
function commandWords(literal: string, placeholders: boolean): string[] | null {
  const words = literal.trim().split(/[ \t]+/).filter((w) => w !== '');
  if (words.length === 0) return null;
  for (const [i, word] of words.entries()) {
    const plain = placeholders ? word.replace(/\{[A-Za-z_][A-Za-z0-9_.]*\}/g, '') : word;
    if (SHELL_SYNTAX.test(plain) || (i === 0 && plain.includes('='))) return null;
  }
  return words;
}

function pyWord(word: string): string {
  const only = /^\{([A-Za-z_][A-Za-z0-9_.]*)\}$/.exec(word);
  if (only && PY_NAME.test(only[1]!)) return only[1]!;
  return word.includes('{') ? `f"${word}"` : `"${word}"`;
}

/**
 * `subprocess.run(<command>, shell=True, …)` on one line, where the command is a string literal,
 * an f-string of whole-word placeholders, or a literal ending in a space plus one name: the same
 * program and arguments as a list, without the shell.
 */
const shellToArgv: Fixer = (lines, finding) => {
  const own = linesOf(lines, finding);
  if (!own || own.length !== 1) return null;
  const line = own[0]!;
  const call = /^(.*?\b(?:subprocess\.)?(?:run|call|check_call|check_output|Popen)\()(f?)(["'])([^"'\\]*)\3(\s*\+\s*([A-Za-z_][A-Za-z0-9_.]*))?(\s*,.*)$/.exec(line);
  if (!call) return null;
  const [, head, f, , literal, concat, name, tail] = call as unknown as [string, string, string, string, string, string | undefined, string | undefined, string];
  const shellArg = /,\s*shell\s*=\s*True\b/;
  if (!shellArg.test(tail) || (tail.match(/shell\s*=/g) ?? []).length !== 1) return null;
  let words: string[] | null;
  if (concat !== undefined) {
    if (f !== '' || !literal.endsWith(' ') || !PY_NAME.test(name!)) return null;
    words = commandWords(literal, false);
    if (words) words = [...words.map((w) => `"${w}"`), name!];
  } else {
    words = commandWords(literal, f !== '');
    if (words) words = words.map((w) => (f !== '' ? pyWord(w) : `"${w}"`));
  }
  if (!words) return null;
  return {
    replacement: `${head}[${words.join(', ')}]${tail.replace(shellArg, '')}`,
    description: 'Pass the program and its arguments as a list, without shell=True: no value can then add a command.',
  };
};

const FIXERS: Readonly<Record<string, Fixer>> = {
  ...Object.fromEntries(UNICODE_RULES.map((id) => [id, stripHiddenUnicode])),
  'agent.claude-bypass-permissions': dropBypassMode,
  'agent.gemini-auto-accept': dropLoneSetting,
  'agent.vscode-chat-auto-approve': dropLoneSetting,
  'workflow.ai-cli-bypass': dropBypassFlag,
  'workflow.unpinned-action': pinAction,
  'workflow.unpinned-first-party-action': pinAction,
  'py.injection.subprocess-shell': shellToArgv,
};

/** Whether a finding's rule has a mechanical fix (then its file is read for it). */
export function hasFixer(ruleId: string): boolean {
  return Object.hasOwn(FIXERS, ruleId);
}

/** The fix of one finding from its file's lines: a replacement, a need for the shell, or null. */
export function mechanicalFix(lines: readonly string[], finding: Finding, meta: RuleMeta | undefined): FixSuggestion | null {
  const fixer = Object.hasOwn(FIXERS, finding.ruleId) ? FIXERS[finding.ruleId]! : null;
  const found = fixer?.(lines, finding) ?? null;
  if (!found) return null;
  const description = finding.fix?.description ?? meta?.fix ?? found.description;
  return 'need' in found ? { description, needs: found.need } : { description, replacement: found.replacement };
}

/** Adds the mechanical fixes to the findings, reading each file that has one at most once. */
export async function withMechanicalFixes(findings: readonly Finding[], loadHead: ContentLoader, meta: ReadonlyMap<string, RuleMeta>): Promise<Finding[]> {
  const files = new Map<string, Promise<string[] | null>>();
  const linesOfFile = (path: string) => {
    let pending = files.get(path);
    if (!pending) {
      pending = loadHead(path).then((bytes) => (bytes ? splitLines(new TextDecoder().decode(bytes)) : null));
      files.set(path, pending);
    }
    return pending;
  };
  return Promise.all(
    findings.map(async (f) => {
      if (!hasFixer(f.ruleId) || f.fix?.replacement !== undefined) return f;
      const lines = await linesOfFile(f.path);
      const fix = lines ? mechanicalFix(lines, f, meta.get(f.ruleId)) : null;
      return fix ? { ...f, fix } : f;
    }),
  );
}

// Checks on parsed agent configuration: MCP servers, VS Code chat auto-approval,
// Claude Code and Gemini CLI settings. Each check names the lines that carry the
// problem, most specific first; the analyzer reports the first of them the change adds.

import RE2 from 're2';
import type { JsonEntry, JsonNode, JsonObject } from '../../formats/jsonc.js';
import { entriesOf, stringValue } from '../../formats/jsonc.js';
import { isLocalOnly } from '../build/command-effect.js';
import { isClaudeSettingsFile, isGeminiSettingsFile, isMcpConfigFile, isVscodeSettingsFile } from './agent-paths.js';

export const AGENT_CONFIG_RULE_IDS = {
  mcpServerAdded: 'agent.mcp-server-added',
  mcpUnpinned: 'agent.mcp-unpinned-package',
  mcpRemoteScript: 'agent.mcp-remote-script',
  mcpInsecureUrl: 'agent.mcp-insecure-url',
  vscodeAutoApprove: 'agent.vscode-chat-auto-approve',
  claudeUnrestrictedBash: 'agent.claude-unrestricted-bash',
  claudeBypassPermissions: 'agent.claude-bypass-permissions',
  settingsRunCommands: 'agent.settings-run-commands',
  claudeAllProjectMcp: 'agent.claude-all-project-mcp-servers',
  modelTrafficRedirect: 'agent.model-traffic-redirect',
  geminiAutoAccept: 'agent.gemini-auto-accept',
} as const;

export interface ConfigFinding {
  ruleId: string;
  /** Candidate lines, most specific first. */
  lines: number[];
  snippet: string;
  message: string;
}

/** Untrusted text shown in a message: one line, no control characters, bounded. */
export function display(text: string, max = 120): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    out += c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0) ? ' ' : ch;
    if (out.length > max) return `${out.slice(0, max)}…`;
  }
  return out;
}

function objectEntries(node: JsonNode | undefined): JsonEntry[] {
  return node?.kind === 'object' ? node.entries : [];
}

/** Lines of every value inside `node` (for "some line of this server was added"). */
function linesWithin(node: JsonNode, out: number[] = [], budget = { left: 10_000 }): number[] {
  if (budget.left-- <= 0) return out;
  out.push(node.line);
  if (node.kind === 'object') {
    for (const e of node.entries) {
      out.push(e.keyLine);
      linesWithin(e.value, out, budget);
    }
  } else if (node.kind === 'array') {
    for (const item of node.items) linesWithin(item, out, budget);
  }
  return out;
}

// ---- MCP servers ----

const PIPE_TO_SHELL = new RE2(
  '(?i)(?:\\b(?:curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod)\\b[^|\\n]{0,500}\\|\\s*(?:sudo\\s+)?(?:(?:ba|z|da|k|fi)?sh|python[0-9.]*|node|perl|ruby|iex|invoke-expression)\\b' +
    '|\\b(?:ba|z|da)?sh\\s+(?:-c\\s+)?["\']?\\$\\(\\s*(?:curl|wget)\\b' +
    '|\\b(?:ba|z|da)?sh\\s+<\\(\\s*(?:curl|wget)\\b' +
    '|\\biex\\s*\\(\\s*(?:irm|iwr|invoke-webrequest|invoke-restmethod|new-object)\\b)',
);

/** Splits a command line on whitespace, honouring simple quotes. Enough to find a launcher and its package. */
export function splitCommand(command: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | null = null;
  let has = false;
  for (const ch of command.slice(0, 4000)) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || current) out.push(current);
      current = '';
      has = false;
    } else {
      current += ch;
      has = true;
    }
  }
  if (has || current) out.push(current);
  return out;
}

type Ecosystem = 'npm' | 'pypi';

interface Launch {
  launcher: string;
  ecosystem: Ecosystem;
  autoYes: boolean;
  /** Index in the token list of each package spec. */
  packages: number[];
}

const NPM_VALUE_FLAGS = new Set(['-p', '--package', '-c', '--call', '--registry', '--cache', '--userconfig', '-w', '--workspace']);
const PY_VALUE_FLAGS = new Set(['--from', '--with', '--with-requirements', '--python', '-p', '--index-url', '--extra-index-url', '--index', '--default-index', '--spec', '--pip-args', '--constraints', '-c']);

function commandName(token: string): string {
  const base = token.slice(Math.max(token.lastIndexOf('/'), token.lastIndexOf('\\')) + 1).toLowerCase();
  return base.replace(/\.(?:cmd|exe|ps1|bat)$/, '');
}

/** Finds `npx pkg`, `bunx pkg`, `pnpm dlx pkg`, `uvx pkg`, `pipx run pkg` (also behind `cmd /c`) and the package specs it runs. */
export function findLaunch(tokens: string[]): Launch | null {
  for (let i = 0; i < tokens.length; i++) {
    const name = commandName(tokens[i]!);
    const next = tokens[i + 1]?.toLowerCase();
    let launcher: string | null = null;
    let ecosystem: Ecosystem = 'npm';
    let from = i + 1;
    if (name === 'npx' || name === 'bunx' || name === 'pnpx') launcher = name;
    else if ((name === 'pnpm' || name === 'yarn') && next === 'dlx') [launcher, from] = [`${name} dlx`, i + 2];
    else if (name === 'bun' && next === 'x') [launcher, from] = ['bun x', i + 2];
    else if (name === 'npm' && (next === 'exec' || next === 'x')) [launcher, from] = [`npm ${next}`, i + 2];
    else if (name === 'uvx') [launcher, ecosystem] = ['uvx', 'pypi'];
    else if (name === 'uv' && next === 'tool' && tokens[i + 2]?.toLowerCase() === 'run') [launcher, ecosystem, from] = ['uv tool run', 'pypi', i + 3];
    else if (name === 'pipx' && next === 'run') [launcher, ecosystem, from] = ['pipx run', 'pypi', i + 2];
    if (launcher === null) continue;

    const valueFlags = ecosystem === 'npm' ? NPM_VALUE_FLAGS : PY_VALUE_FLAGS;
    const explicit: number[] = [];
    let firstPositional = -1;
    let autoYes = false;
    for (let k = from; k < tokens.length; k++) {
      const tok = tokens[k]!;
      if (tok === '--') {
        if (firstPositional === -1 && k + 1 < tokens.length) firstPositional = k + 1;
        break;
      }
      if (tok.startsWith('-')) {
        const [flag, inline] = tok.includes('=') ? [tok.slice(0, tok.indexOf('=')), true] : [tok, false];
        if (flag === '-y' || flag === '--yes') autoYes = true;
        const carriesPackage = ['-p', '--package', '--from', '--spec'].includes(flag) && !(ecosystem === 'pypi' && flag === '-p');
        if (valueFlags.has(flag) && !inline) {
          if (carriesPackage && k + 1 < tokens.length) explicit.push(k + 1);
          k++;
        } else if (carriesPackage && inline) {
          explicit.push(k);
        }
        continue;
      }
      firstPositional = k;
      break;
    }
    const packages = explicit.length > 0 ? explicit : firstPositional >= 0 ? [firstPositional] : [];
    return { launcher, ecosystem, autoYes, packages };
  }
  return null;
}

const EXACT_SEMVER = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const FULL_SHA = /[#@][0-9a-f]{40}$/i;

function specOf(token: string): string {
  const eq = token.indexOf('=');
  return token.startsWith('-') && eq !== -1 ? token.slice(eq + 1) : token;
}

/** True when the package spec names one exact release (or is not a registry package at all). */
export function isPinnedSpec(rawSpec: string, ecosystem: Ecosystem): boolean {
  const spec = specOf(rawSpec).trim();
  if (spec === '') return true;
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\|file:)/.test(spec)) return true; // local path
  if (/^(?:git\+|https?:|github:|gitlab:|bitbucket:|git:)/i.test(spec)) return FULL_SHA.test(spec);
  if (ecosystem === 'pypi') {
    const exact = /===?\s*([0-9][0-9A-Za-z.+!-]*)$/.exec(spec);
    if (exact) return !exact[1]!.includes('*');
    const at = /@([0-9][0-9A-Za-z.+!-]*)$/.exec(spec);
    return at !== null;
  }
  const body = spec.startsWith('@') ? spec.slice(1) : spec;
  const at = body.lastIndexOf('@');
  if (at === -1) return false;
  return EXACT_SEMVER.test(body.slice(at + 1));
}

const LOOPBACK_URL = /^(?:http|ws):\/\/(?:localhost|127(?:\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0|host\.docker\.internal)(?:[:/?#]|$)/i;

interface McpServer {
  name: string;
  entry: JsonEntry;
}

function mcpServers(path: string, root: JsonNode): McpServer[] {
  const containers: JsonNode[] = [];
  for (const e of entriesOf(root, 'mcpServers')) containers.push(e.value);
  if (isMcpConfigFile(path)) for (const e of entriesOf(root, 'servers')) containers.push(e.value);
  for (const mcp of entriesOf(root, 'mcp')) for (const e of entriesOf(mcp.value, 'servers')) containers.push(e.value);
  // .code-workspace files keep settings under "settings".
  for (const settings of entriesOf(root, 'settings')) for (const mcp of entriesOf(settings.value, 'mcp')) for (const e of entriesOf(mcp.value, 'servers')) containers.push(e.value);
  const out: McpServer[] = [];
  for (const c of containers) for (const entry of objectEntries(c)) if (entry.value.kind === 'object') out.push({ name: entry.key, entry });
  return out;
}

function checkMcpServer(server: McpServer): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  const obj = server.entry.value as JsonObject;
  const name = display(server.name, 60);
  const commandEntries = entriesOf(obj, 'command');
  const argEntries = entriesOf(obj, 'args');
  const tokens: string[] = [];
  const tokenLines: number[] = [];
  for (const c of commandEntries) {
    const cmd = stringValue(c.value);
    if (cmd === undefined) continue;
    for (const t of splitCommand(cmd)) {
      tokens.push(t);
      tokenLines.push(c.keyLine);
    }
  }
  for (const a of argEntries) {
    if (a.value.kind !== 'array') continue;
    for (const item of a.value.items) {
      if (item.kind !== 'string') continue;
      tokens.push(item.value);
      tokenLines.push(item.line);
    }
  }
  const launchLines = [...commandEntries.map((c) => c.keyLine), ...argEntries.flatMap((a) => linesWithin(a.value)), server.entry.keyLine];
  const commandText = display(tokens.join(' '), 160);

  const joined = tokens.join(' ').slice(0, 20_000);
  if (/curl|wget|iwr|irm|invoke-/i.test(joined) && PIPE_TO_SHELL.test(joined)) {
    findings.push({
      ruleId: AGENT_CONFIG_RULE_IDS.mcpRemoteScript,
      lines: launchLines,
      snippet: commandText,
      message: `MCP server "${name}" downloads a script and pipes it into an interpreter: \`${commandText}\`. Whatever the remote host serves at that moment runs on every developer machine that starts the agent.`,
    });
  }

  const launch = findLaunch(tokens);
  if (launch) {
    for (const index of launch.packages) {
      const spec = tokens[index]!;
      if (isPinnedSpec(spec, launch.ecosystem)) continue;
      const how = launch.autoYes ? ' with auto-confirm, so it installs without asking' : '';
      findings.push({
        ruleId: AGENT_CONFIG_RULE_IDS.mcpUnpinned,
        lines: [tokenLines[index]!, ...launchLines],
        snippet: commandText,
        message:
          `MCP server "${name}" runs \`${display(specOf(spec), 80)}\` through ${launch.launcher}${how}, without a pinned version: ` +
          `every start fetches whatever the registry serves as latest. Pin an exact version (${launch.ecosystem === 'npm' ? 'pkg@1.2.3' : 'pkg==1.2.3'}).`,
      });
    }
  }

  for (const key of ['url', 'serverUrl', 'httpUrl', 'uri', 'endpoint']) {
    for (const e of entriesOf(obj, key)) {
      const url = stringValue(e.value);
      if (url === undefined || !/^(?:http|ws):\/\//i.test(url) || LOOPBACK_URL.test(url)) continue;
      findings.push({
        ruleId: AGENT_CONFIG_RULE_IDS.mcpInsecureUrl,
        lines: [e.keyLine, server.entry.keyLine],
        snippet: display(url, 160),
        message: `MCP server "${name}" is reached over plain ${url.slice(0, url.indexOf(':')).toLowerCase()}:// (${display(url, 100)}): anyone on the network path can read the traffic and inject tool results. Use https:// (or wss://).`,
      });
    }
  }

  if (findings.length === 0) {
    const what = commandText !== '' ? `runs \`${commandText}\`` : `connects to ${display(stringValue(obj.entries.find((e) => /url|uri/i.test(e.key))?.value) ?? 'a remote server', 100)}`;
    findings.push({
      ruleId: AGENT_CONFIG_RULE_IDS.mcpServerAdded,
      lines: [server.entry.keyLine],
      snippet: `${name}: ${commandText}`.trim(),
      message: `MCP server "${name}" is configured; it ${what} and its tools become available to the agent. Check that it is expected and trustworthy.`,
    });
  }
  return findings;
}

// ---- VS Code ----

interface FlatSetting {
  key: string;
  entry: JsonEntry;
}

/** VS Code settings are usually dotted keys; nested objects are flattened to the same names. */
function flattenSettings(node: JsonNode, prefix = '', out: FlatSetting[] = [], depth = 0): FlatSetting[] {
  if (depth > 6) return out;
  for (const entry of objectEntries(node)) {
    const key = prefix ? `${prefix}.${entry.key}` : entry.key;
    out.push({ key, entry });
    if (entry.value.kind === 'object' && !/autoapprove/i.test(entry.key)) flattenSettings(entry.value, key, out, depth + 1);
  }
  return out;
}

/** Entries inside an auto-approve value that switch approval on: `true` or `{ approve: true }`. */
function approvingEntries(node: JsonNode, depth = 0): JsonEntry[] {
  if (depth > 4 || node.kind !== 'object') return [];
  const out: JsonEntry[] = [];
  for (const e of node.entries) {
    if (e.value.kind === 'boolean' && e.value.value) out.push(e);
    else if (e.value.kind === 'object' && approvingEntries(e.value, depth + 1).length > 0) out.push(e);
  }
  return out;
}

function checkVscode(path: string, root: JsonNode): ConfigFinding[] {
  const settingsRoot = path.toLowerCase().endsWith('.code-workspace') ? (entriesOf(root, 'settings').pop()?.value ?? root) : root;
  const findings: ConfigFinding[] = [];
  for (const { key, entry } of flattenSettings(settingsRoot)) {
    const lower = key.toLowerCase();
    if (!lower.includes('autoapprove') || !(lower.startsWith('chat.') || lower.includes('copilot'))) continue;
    const v = entry.value;
    let approved: string | null = null;
    let lines = [entry.keyLine];
    if (v.kind === 'boolean' && v.value) approved = 'every tool call';
    else if (v.kind === 'string' && /^(?:true|on|always|all)$/i.test(v.value)) approved = 'every tool call';
    else if (v.kind === 'array' && v.items.length > 0) approved = `${v.items.length} tool pattern(s)`;
    else if (v.kind === 'object') {
      const on = approvingEntries(v);
      if (on.length > 0) {
        const everything = on.some((e) => /^\/\.\*\/[a-z]*$|^\*$|^\.\*$/.test(e.key));
        approved = everything ? 'every command (catch-all pattern)' : on.slice(0, 5).map((e) => `"${display(e.key, 40)}"`).join(', ') + (on.length > 5 ? ` and ${on.length - 5} more` : '');
        lines = [...on.map((e) => e.keyLine), entry.keyLine];
      }
    }
    if (approved === null) continue;
    findings.push({
      ruleId: AGENT_CONFIG_RULE_IDS.vscodeAutoApprove,
      lines,
      snippet: `"${display(key, 80)}": ${v.kind === 'boolean' ? String(v.value) : v.kind}`,
      message:
        `VS Code setting "${display(key, 80)}" auto-approves ${approved} for the chat agent: tools and commands run without a confirmation prompt, ` +
        'so a prompt injection in any file the agent reads becomes code execution (CVE-2025-53773).',
    });
  }
  return findings;
}

// ---- Claude Code ----

const INTERPRETER_PREFIX =
  /^(?:sudo|bash|sh|zsh|dash|fish|eval|exec|env|xargs|python[0-9.]*|node|deno|bun|perl|ruby|php|curl|wget|npx|pwsh|powershell|osascript|docker|ssh)(?:\s*:\s*\*|\s+\*|\*)$/i;

/** Describes why a Claude permission rule opens up arbitrary shell commands, or null. */
export function unrestrictedBashRule(rule: string): string | null {
  const trimmed = rule.trim();
  if (trimmed.slice(0, 4).toLowerCase() !== 'bash') return null;
  const rest = trimmed.slice(4).trim();
  if (rest === '') return 'any shell command';
  if (!rest.startsWith('(') || !rest.endsWith(')')) return null;
  const inner = rest.slice(1, -1).replace(/\s+/g, ' ').trim();
  if (/^[*: ]*$/.test(inner)) return 'any shell command';
  if (inner.length < 100 && INTERPRETER_PREFIX.test(inner)) return `any \`${inner.split(/[\s:*]/)[0]}\` command, which can run arbitrary code`;
  return null;
}

const COMMAND_SETTINGS = ['apiKeyHelper', 'awsAuthRefresh', 'awsCredentialExport', 'otelHeadersHelper', 'gcpAuthRefresh'];

const REDIRECT_ENV = new Set([
  'ANTHROPIC_BASE_URL',
  'ANTHROPIC_BEDROCK_BASE_URL',
  'ANTHROPIC_VERTEX_BASE_URL',
  'ANTHROPIC_FOUNDRY_BASE_URL',
  'OPENAI_BASE_URL',
  'GOOGLE_GEMINI_BASE_URL',
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'ALL_PROXY',
  'NODE_EXTRA_CA_CERTS',
]);

function hookCommands(node: JsonNode, event: string, out: Array<{ event: string; entry: JsonEntry }>, depth = 0): void {
  if (depth > 8 || out.length > 200) return;
  if (node.kind === 'array') for (const item of node.items) hookCommands(item, event, out, depth + 1);
  if (node.kind === 'object') {
    for (const e of node.entries) {
      if (e.key === 'command' && e.value.kind === 'string') out.push({ event, entry: e });
      else hookCommands(e.value, event, out, depth + 1);
    }
  }
}

function checkClaude(root: JsonNode): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  const permissions = entriesOf(root, 'permissions');
  const allowLists = [...permissions.flatMap((p) => entriesOf(p.value, 'allow')), ...entriesOf(root, 'allowedTools')];
  for (const list of allowLists) {
    if (list.value.kind !== 'array') continue;
    for (const item of list.value.items) {
      if (item.kind !== 'string') continue;
      const why = unrestrictedBashRule(item.value);
      if (why === null) continue;
      findings.push({
        ruleId: AGENT_CONFIG_RULE_IDS.claudeUnrestrictedBash,
        lines: [item.line, list.keyLine],
        snippet: display(item.value, 80),
        message: `Claude Code permission "${display(item.value, 60)}" lets the agent run ${why} without asking. A prompt injection in any file or web page it reads then runs on the developer's machine.`,
      });
    }
  }
  for (const p of permissions) {
    for (const mode of entriesOf(p.value, 'defaultMode')) {
      if (stringValue(mode.value) !== 'bypassPermissions') continue;
      findings.push({
        ruleId: AGENT_CONFIG_RULE_IDS.claudeBypassPermissions,
        lines: [mode.keyLine],
        snippet: '"defaultMode": "bypassPermissions"',
        message: 'Claude Code settings set permissions.defaultMode to "bypassPermissions": every tool call, including shell commands and file writes, runs without confirmation for anyone who opens this repository.',
      });
    }
  }
  for (const hooks of entriesOf(root, 'hooks')) {
    const commands: Array<{ event: string; entry: JsonEntry }> = [];
    for (const ev of objectEntries(hooks.value)) hookCommands(ev.value, ev.key, commands);
    if (commands.length === 0 && objectEntries(hooks.value).length > 0) {
      findings.push({
        ruleId: AGENT_CONFIG_RULE_IDS.settingsRunCommands,
        lines: [hooks.keyLine],
        snippet: '"hooks"',
        message: 'Claude Code settings define hooks: commands that run automatically on agent events, without confirmation.',
      });
    }
    for (const { event, entry } of commands) {
      const cmd = stringValue(entry.value) ?? '';
      // A formatter or linter hook only touches the repository (the build-commands analyzer judges the others by effect).
      if (isLocalOnly(cmd)) continue;
      findings.push({
        ruleId: AGENT_CONFIG_RULE_IDS.settingsRunCommands,
        lines: [entry.keyLine, hooks.keyLine],
        snippet: display(cmd, 120),
        message: `Claude Code hook (${display(event, 40)}) runs \`${display(cmd, 120)}\` automatically on every matching agent event, on the machine of anyone who opens this repository with Claude Code.`,
      });
    }
  }
  const commandSettings: Array<[string, JsonEntry]> = [];
  for (const key of COMMAND_SETTINGS) for (const e of entriesOf(root, key)) commandSettings.push([key, e]);
  for (const s of entriesOf(root, 'statusLine')) for (const e of entriesOf(s.value, 'command')) commandSettings.push(['statusLine.command', e]);
  for (const [key, e] of commandSettings) {
    const cmd = stringValue(e.value);
    if (cmd === undefined || cmd.trim() === '') continue;
    findings.push({
      ruleId: AGENT_CONFIG_RULE_IDS.settingsRunCommands,
      lines: [e.keyLine],
      snippet: display(cmd, 120),
      message: `Claude Code setting ${key} runs \`${display(cmd, 120)}\` automatically as a shell command.`,
    });
  }
  for (const e of entriesOf(root, 'enableAllProjectMcpServers')) {
    if (e.value.kind !== 'boolean' || !e.value.value) continue;
    findings.push({
      ruleId: AGENT_CONFIG_RULE_IDS.claudeAllProjectMcp,
      lines: [e.keyLine],
      snippet: '"enableAllProjectMcpServers": true',
      message: 'Claude Code settings approve every MCP server in the project\'s .mcp.json automatically, including servers a later change adds, without the per-server prompt.',
    });
  }
  for (const env of entriesOf(root, 'env')) {
    for (const e of objectEntries(env.value)) {
      if (!REDIRECT_ENV.has(e.key.toUpperCase())) continue;
      const value = stringValue(e.value) ?? '';
      findings.push({
        ruleId: AGENT_CONFIG_RULE_IDS.modelTrafficRedirect,
        lines: [e.keyLine],
        snippet: `${display(e.key, 40)}=${display(value, 100)}`,
        message: `Claude Code settings set ${display(e.key, 40)}=${display(value, 100)}: the agent's model traffic, prompts, code and API key go through that endpoint instead of the provider's.`,
      });
    }
  }
  return findings;
}

// ---- Gemini CLI ----

function checkGemini(root: JsonNode): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  const push = (entry: JsonEntry, lines: number[], what: string, snippet: string): void => {
    findings.push({
      ruleId: AGENT_CONFIG_RULE_IDS.geminiAutoAccept,
      lines: [...lines, entry.keyLine],
      snippet,
      message: `Gemini CLI settings ${what}: tool calls run without confirmation for anyone who opens this repository.`,
    });
  };
  const scopes: JsonNode[] = [root, ...entriesOf(root, 'tools').map((e) => e.value), ...entriesOf(root, 'general').map((e) => e.value)];
  for (const scope of scopes) {
    for (const e of entriesOf(scope, 'autoAccept')) if (e.value.kind === 'boolean' && e.value.value) push(e, [], 'turn on autoAccept', '"autoAccept": true');
    for (const key of ['defaultApprovalMode', 'approvalMode']) {
      for (const e of entriesOf(scope, key)) {
        const mode = stringValue(e.value)?.toLowerCase();
        if (mode === 'yolo' || mode === 'auto_edit') push(e, [], `set ${key} to "${mode}"`, `"${key}": "${mode}"`);
      }
    }
    for (const key of ['allowed', 'allowedTools']) {
      for (const list of entriesOf(scope, key)) {
        if (list.value.kind !== 'array') continue;
        for (const item of list.value.items) {
          if (item.kind !== 'string') continue;
          const tool = item.value.trim();
          if (/^(?:run_shell_command|shelltool)(?:\(\s*\*?\s*\))?$/i.test(tool)) push(list, [item.line], `allow "${display(tool, 40)}" for any command`, display(tool, 60));
        }
      }
    }
  }
  for (const servers of entriesOf(root, 'mcpServers')) {
    for (const server of objectEntries(servers.value)) {
      for (const t of entriesOf(server.value, 'trust')) {
        if (t.value.kind === 'boolean' && t.value.value) push(t, [], `trust MCP server "${display(server.key, 40)}" (trust: true skips its confirmations)`, `"${display(server.key, 40)}": trust`);
      }
    }
  }
  return findings;
}

/** All checks that apply to this config file. */
export function checkAgentConfig(path: string, root: JsonNode): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  for (const server of mcpServers(path, root)) findings.push(...checkMcpServer(server));
  if (isVscodeSettingsFile(path)) findings.push(...checkVscode(path, root));
  if (isClaudeSettingsFile(path)) findings.push(...checkClaude(root));
  if (isGeminiSettingsFile(path)) findings.push(...checkGemini(root));
  return findings;
}

// Checks on parsed agent configuration: MCP servers in every agent's format, and the
// settings that let an agent act without asking (Claude Code, Codex, Gemini CLI, Cursor,
// Zed, Amp, Aider, VS Code chat and its extensions). Each check names the lines that carry
// the problem, most specific first; the analyzer reports the first of them the change adds.

import RE2 from 're2';
import type { JsonEntry, JsonNode, JsonObject } from '../../formats/jsonc.js';
import { entriesOf, stringValue, valueOf } from '../../formats/jsonc.js';
import { BUILD_RULE_IDS } from '../build/build-commands.js';
import {
  isAiderConfigFile,
  isAmpSettingsFile,
  isClaudeSettingsFile,
  isCodexConfigFile,
  isCursorPermissionsFile,
  isDevcontainerFile,
  isGeminiSettingsFile,
  isMcpConfigFile,
  isOpencodeConfigFile,
  isVscodeSettingsFile,
  isZedSettingsFile,
} from './agent-paths.js';
import { isLocalOnly } from '../build/command-effect.js';

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
  autoApproveAll: 'agent.auto-approve-all',
  unrestrictedShell: 'agent.unrestricted-shell',
  networkToolAllowed: 'agent.network-tool-allowed',
  mcpLiteralCredential: 'agent.mcp-literal-credential',
  cliPermissionBypass: 'agent.cli-permission-bypass',
} as const;

export interface ConfigFinding {
  ruleId: string;
  /** Candidate lines, most specific first. */
  lines: number[];
  snippet: string;
  message: string;
  /** Replaces the rule's confidence when the finding is weaker or stronger than the rule's usual case. */
  confidence?: 'high' | 'medium' | 'low';
  /** Rules that report the same problem on the same line more precisely (see RawFinding.deferTo). */
  deferTo?: readonly string[];
}

/** What the build-commands analyzer reports about a command by its effect: said once, there. */
const COMMAND_EFFECT_RULES = [BUILD_RULE_IDS.remoteCode, BUILD_RULE_IDS.upload, BUILD_RULE_IDS.credentialRead, BUILD_RULE_IDS.autoRunNetwork];

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
  obj: JsonObject;
  /** The line that names the server (its key, or the start of its list item). */
  line: number;
}

/** Servers in a container: an object of name → server (most formats) or a list of servers with a `name` (Continue). */
function serversIn(container: JsonNode, out: McpServer[]): void {
  if (container.kind === 'object') {
    for (const entry of container.entries) if (entry.value.kind === 'object') out.push({ name: entry.key, obj: entry.value, line: entry.keyLine });
  } else if (container.kind === 'array') {
    for (const item of container.items) {
      if (item.kind !== 'object') continue;
      // Continue's older config.json: { "transport": { "type": "stdio", "command": …, "args": … } }.
      const transport = valueOf(item, 'transport');
      const obj = transport?.kind === 'object' ? transport : item;
      out.push({ name: stringValue(valueOf(item, 'name')) ?? `#${container.items.indexOf(item) + 1}`, obj, line: item.line });
    }
  }
}

/** VS Code-style settings (dotted or nested keys) that hold MCP servers: `mcp.servers`, `amp.mcpServers`. */
function settingsMcpContainers(settings: JsonNode, out: JsonNode[]): void {
  for (const mcp of entriesOf(settings, 'mcp')) for (const e of entriesOf(mcp.value, 'servers')) out.push(e.value);
  for (const key of ['mcp.servers', 'amp.mcpServers']) for (const e of entriesOf(settings, key)) out.push(e.value);
  for (const amp of entriesOf(settings, 'amp')) for (const e of entriesOf(amp.value, 'mcpServers')) out.push(e.value);
}

function mcpServers(path: string, root: JsonNode): McpServer[] {
  const containers: JsonNode[] = [];
  // mcpServers: Claude, Cursor, Gemini CLI, Cline, Roo, Windsurf, Continue; mcp_servers: Codex; context_servers: Zed.
  for (const key of ['mcpServers', 'mcp_servers', 'context_servers']) for (const e of entriesOf(root, key)) containers.push(e.value);
  if (isMcpConfigFile(path)) for (const e of entriesOf(root, 'servers')) containers.push(e.value);
  // OpenCode: "mcp": { name: { "type": "local", "command": ["npx", …] } | { "type": "remote", "url": … } }.
  if (isOpencodeConfigFile(path)) for (const e of entriesOf(root, 'mcp')) containers.push(e.value);
  else settingsMcpContainers(root, containers);
  // .code-workspace files keep settings under "settings"; dev containers under customizations.vscode.settings.
  for (const settings of entriesOf(root, 'settings')) settingsMcpContainers(settings.value, containers);
  for (const settings of devcontainerVscodeSettings(path, root)) settingsMcpContainers(settings, containers);
  for (const exp of entriesOf(root, 'experimental')) for (const e of entriesOf(exp.value, 'modelContextProtocolServers')) containers.push(e.value);
  const out: McpServer[] = [];
  for (const c of containers) serversIn(c, out);
  return out;
}

/** A value that names a secret kept elsewhere: `${env:X}`, `${input:x}`, `{env:X}`, `$X`, `%X%`, `{{ secrets.X }}`, `env:X`. */
const REFERENCE = /\$\{[^}]*\}|\{(?:env|file|input):[^}]*\}|\$[A-Z_][A-Z0-9_]*|%[A-Z_][A-Z0-9_]*%|\{\{[^}]*\}\}|^env:|^\$\(|^op:\/\//i;
/** Text that stands in for a value the user fills in. */
const PLACEHOLDER = /your|xxx|\*\*\*|placeholder|changeme|change_me|replace|example|dummy|redacted|here|<[^>]*>|\.\.\.|^(?:token|secret|password|key|none|null|undefined|test|fake|sample)$/i;
/** Credential formats recognisable on their own. */
const TOKEN_SHAPE =
  /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}|glpat-[A-Za-z0-9_-]{20,}|sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}|[sr]k_live_[A-Za-z0-9]{20,}|xox[abposr]-[A-Za-z0-9-]{20,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}|npm_[A-Za-z0-9]{36})\b/;
const SECRET_NAME = /token|secret|passw|api[-_]?key|apikey|access[-_]?key|private[-_]?key|authorization|^auth$|auth[-_]?key|credential|cookie|\bpat\b|_pat$|^pat_|bearer/i;

/** Why a header or environment value looks like a credential written into the file, or null. */
export function literalCredential(name: string, rawValue: string): string | null {
  const value = rawValue.trim();
  if (value === '' || REFERENCE.test(value)) return null;
  if (TOKEN_SHAPE.test(value)) return 'a token in a known credential format';
  if (!SECRET_NAME.test(name) || PLACEHOLDER.test(value)) return null;
  const secret = value.replace(/^(?:bearer|basic|token|bot)\s+/i, '');
  if (/\s/.test(secret) || secret.length < 16 || secret.length > 4096) return null;
  // A credential mixes letters and digits (or is a long base64/hex run); words and paths do not.
  if (!/[0-9]/.test(secret) || !/[A-Za-z]/.test(secret) || /^(?:https?:|\/|\.|~)/.test(secret)) return null;
  // Identifiers such as "oauth2-device-flow" or "v1.2.3-beta": short parts joined by separators.
  if (secret.split(/[-_.:]/).every((part) => part.length < 12)) return null;
  return `a literal value for ${display(name, 40)}`;
}

function credentialFindings(server: McpServer, name: string): ConfigFinding[] {
  const out: ConfigFinding[] = [];
  const candidates: Array<[string, JsonEntry]> = [];
  // headers: Claude, Cursor, VS Code, Gemini CLI, Zed; http_headers: Codex; requestInit.headers: Continue.
  const headerObjects = [...entriesOf(server.obj, 'headers'), ...entriesOf(server.obj, 'http_headers'), ...entriesOf(server.obj, 'requestOptions').flatMap((r) => entriesOf(r.value, 'headers'))];
  for (const env of [...entriesOf(server.obj, 'env'), ...entriesOf(server.obj, 'environment'), ...headerObjects]) for (const e of objectEntries(env.value)) candidates.push([e.key, e]);
  for (const key of ['bearer_token', 'apiKey', 'token']) for (const e of entriesOf(server.obj, key)) candidates.push([key, e]);
  for (const [key, e] of candidates) {
    const value = stringValue(e.value);
    if (value === undefined) continue;
    const why = literalCredential(key, value);
    if (why === null) continue;
    out.push({
      ruleId: AGENT_CONFIG_RULE_IDS.mcpLiteralCredential,
      lines: [e.keyLine, server.line],
      snippet: `${display(key, 40)}: ${value.length > 8 ? `${display(value.slice(0, 4), 4)}…` : '…'}`,
      message:
        `MCP server "${name}" carries ${why} in the repository: everyone who can read it can use that credential, and it stays in the history after removal. ` +
        'Reference it instead (${env:NAME}, ${input:name}, bearer_token_env_var) and revoke the committed one.',
    });
  }
  return out;
}

function isInsecureUrl(url: string): boolean {
  return /^(?:http|ws):\/\//i.test(url) && !LOOPBACK_URL.test(url);
}

function checkMcpServer(server: McpServer): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  const obj = server.obj;
  const name = display(server.name, 60);
  // Zed's older form nests the launch: "command": { "path": "npx", "args": […], "env": {…} }.
  const nested = entriesOf(obj, 'command').filter((c) => c.value.kind === 'object');
  const commandEntries = [...entriesOf(obj, 'command').filter((c) => c.value.kind === 'string'), ...nested.flatMap((c) => entriesOf(c.value, 'path'))];
  // OpenCode writes the whole command line as one array: "command": ["npx", "-y", "pkg"].
  const argEntries = [...entriesOf(obj, 'command').filter((c) => c.value.kind === 'array'), ...entriesOf(obj, 'args'), ...nested.flatMap((c) => entriesOf(c.value, 'args'))];
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
  const launchLines = [...commandEntries.map((c) => c.keyLine), ...argEntries.flatMap((a) => linesWithin(a.value)), server.line];
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
      const source = specOf(spec);
      const outside = /^(?:git\+|https?:|github:|gitlab:|bitbucket:|git:)/i.test(source);
      findings.push({
        ruleId: AGENT_CONFIG_RULE_IDS.mcpUnpinned,
        lines: [tokenLines[index]!, ...launchLines],
        snippet: commandText,
        message: outside
          ? `MCP server "${name}" runs \`${display(source, 80)}\` through ${launch.launcher}${how}: code from a git or download URL outside the package registry, without a pinned version (no full commit SHA), ` +
            'so whoever controls that URL decides what runs at every start. Publish and pin a release, or pin the full commit SHA.'
          : `MCP server "${name}" runs \`${display(source, 80)}\` through ${launch.launcher}${how}, without a pinned version: ` +
            `every start fetches whatever the registry serves as latest. Pin an exact version (${launch.ecosystem === 'npm' ? 'pkg@1.2.3' : 'pkg==1.2.3'}).`,
      });
    }
  }

  const urlEntries: JsonEntry[] = [];
  for (const key of ['url', 'serverUrl', 'httpUrl', 'uri', 'endpoint']) urlEntries.push(...entriesOf(obj, key));
  for (const e of urlEntries) {
    const url = stringValue(e.value);
    if (url === undefined || !isInsecureUrl(url)) continue;
    findings.push({
      ruleId: AGENT_CONFIG_RULE_IDS.mcpInsecureUrl,
      lines: [e.keyLine, server.line],
      snippet: display(url, 160),
      message: `MCP server "${name}" is reached over plain ${url.slice(0, url.indexOf(':')).toLowerCase()}:// (${display(url, 100)}): anyone on the network path can read the traffic and inject tool results. Use https:// (or wss://).`,
    });
  }
  // A local bridge to a remote server (mcp-remote, supergateway, …) takes the URL as an argument.
  if (urlEntries.length === 0) {
    const index = tokens.findIndex((t) => isInsecureUrl(t));
    if (index !== -1) {
      const url = tokens[index]!;
      findings.push({
        ruleId: AGENT_CONFIG_RULE_IDS.mcpInsecureUrl,
        lines: [tokenLines[index]!, ...launchLines],
        snippet: display(url, 160),
        message: `MCP server "${name}" connects to ${display(url, 100)} over plain ${url.slice(0, url.indexOf(':')).toLowerCase()}://: anyone on the network path can read the traffic and inject tool results. Use https:// (or wss://).`,
      });
    }
  }

  findings.push(...credentialFindings(server, name));

  if (findings.length === 0) {
    const what = commandText !== '' ? `runs \`${commandText}\`` : `connects to ${display(stringValue(obj.entries.find((e) => /url|uri/i.test(e.key))?.value) ?? 'a remote server', 100)}`;
    findings.push({
      ruleId: AGENT_CONFIG_RULE_IDS.mcpServerAdded,
      lines: [server.line],
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

/** Dev containers apply `customizations.vscode.settings` as machine settings inside the container. */
function devcontainerVscodeSettings(path: string, root: JsonNode): JsonNode[] {
  if (!isDevcontainerFile(path)) return [];
  return entriesOf(root, 'customizations').flatMap((c) => entriesOf(c.value, 'vscode')).flatMap((v) => entriesOf(v.value, 'settings')).map((e) => e.value);
}

function vscodeSettingsRoots(path: string, root: JsonNode): JsonNode[] {
  if (path.toLowerCase().endsWith('.code-workspace')) return entriesOf(root, 'settings').slice(-1).map((e) => e.value);
  if (isDevcontainerFile(path)) return devcontainerVscodeSettings(path, root);
  return [root];
}

function checkVscode(path: string, root: JsonNode): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  for (const settingsRoot of vscodeSettingsRoots(path, root)) {
    findings.push(...checkVscodeChat(settingsRoot), ...checkExtensionSettings(flattenSettings(settingsRoot), 'VS Code setting'));
  }
  return findings;
}

function checkVscodeChat(settingsRoot: JsonNode): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  for (const { key, entry } of flattenSettings(settingsRoot)) {
    const lower = key.toLowerCase();
    const v = entry.value;
    // The session permission level (Default Approvals, Bypass Approvals, Autopilot): anything above default approves every tool.
    if (lower === 'chat.permissions.default' && v.kind === 'string' && /auto|bypass|pilot|full|yolo/i.test(v.value)) {
      findings.push({
        ruleId: AGENT_CONFIG_RULE_IDS.vscodeAutoApprove,
        lines: [entry.keyLine],
        snippet: `"${display(key, 80)}": "${display(v.value, 40)}"`,
        message: `VS Code setting "chat.permissions.default" is "${display(v.value, 40)}": chat agent sessions start with every tool call and terminal command approved, so a prompt injection in any file the agent reads becomes code execution.`,
      });
      continue;
    }
    if (!lower.includes('autoapprove') || !(lower.startsWith('chat.') || lower.includes('copilot'))) continue;
    let approved: string | null = null;
    let narrow = false;
    let lines = [entry.keyLine];
    if (v.kind === 'boolean' && v.value) approved = 'every tool call';
    else if (v.kind === 'string' && /^(?:true|on|always|all)$/i.test(v.value)) approved = 'every tool call';
    else if (v.kind === 'array' && v.items.length > 0) approved = `${v.items.length} tool pattern(s)`;
    else if (v.kind === 'object') {
      const on = approvingEntries(v);
      if (on.length > 0) {
        const everything = on.some((e) => /^\/\.\*\/[a-z]*$|^\*$|^\.\*$/.test(e.key));
        // Named commands or hosts ("npm test", "git status"): a narrow list the user can read, not a blanket grant.
        narrow = !everything && !on.some((e) => catchAllCommand(e.key) !== null || /^(?:https?:\/\/)?\*(?:[/:]|$)/.test(e.key));
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
      ...(narrow ? { confidence: 'low' as const } : {}),
    });
  }
  return findings;
}

// ---- Claude Code ----

const INTERPRETER_PREFIX =
  /^(?:sudo|bash|sh|zsh|dash|fish|eval|exec|env|xargs|python[0-9.]*|node|deno|bun|perl|ruby|php|curl|wget|npx|pwsh|powershell|osascript|docker|ssh)(?:\s*:\s*\*|\s+\*|\*)$/i;

const INTERPRETER_COMMAND = /^(?:sudo|bash|sh|zsh|dash|fish|eval|exec|env|xargs|python[0-9.]*|node|deno|bun|perl|ruby|php|curl|wget|npx|pwsh|powershell|osascript|docker|ssh|cmd|\*+)$/i;

/**
 * Describes why a permission rule `Tool(specifier)` opens up arbitrary shell commands, or null.
 * `tools` are the shell tool's names in that agent (Claude Code: Bash; Cursor CLI: Shell).
 */
export function unrestrictedShellRule(rule: string, tools: readonly string[] = ['bash']): string | null {
  const trimmed = rule.trim();
  const tool = tools.find((t) => trimmed.slice(0, t.length).toLowerCase() === t);
  if (tool === undefined) return null;
  const rest = trimmed.slice(tool.length).trim();
  if (rest === '') return 'any shell command';
  if (!rest.startsWith('(') || !rest.endsWith(')')) return null;
  const inner = rest.slice(1, -1).replace(/\s+/g, ' ').trim();
  if (/^[*: ]*$/.test(inner)) return 'any shell command';
  if (inner.length < 100 && INTERPRETER_PREFIX.test(inner)) return `any \`${inner.split(/[\s:*]/)[0]}\` command, which can run arbitrary code`;
  // Cursor names the base command alone: Shell(python) allows every python invocation.
  if (tool !== 'bash' && inner.length < 40 && INTERPRETER_COMMAND.test(inner)) return `any \`${inner}\` command, which can run arbitrary code`;
  return null;
}

/** Describes why a Claude permission rule opens up arbitrary shell commands, or null. */
export function unrestrictedBashRule(rule: string): string | null {
  return unrestrictedShellRule(rule, ['bash']);
}

/** True for a Claude Code rule that lets the agent fetch any URL without asking: WebFetch, WebFetch(*), WebFetch(domain:*). */
export function unrestrictedFetchRule(rule: string): boolean {
  return /^webfetch\s*(?:\(\s*(?:domain\s*:\s*)?\*?\s*\))?$/i.test(rule.trim());
}

/** A command allow-list entry (a prefix the agent may run unprompted) that covers every command. */
function catchAllCommand(entry: string): string | null {
  const e = entry.trim();
  if (/^(?:\*+|\.\*|\/\.\*\/[a-z]*|\^?\.\*\$?|\^?\.\+\$?|\^)$/.test(e)) return 'every command';
  const first = e.split(/\s+/)[0]!;
  if (INTERPRETER_COMMAND.test(first) && (e === first || /^\S+\s+\*$/.test(e))) return `every \`${first}\` command, which can run arbitrary code`;
  return null;
}

function permissionFinding(ruleId: string, lines: number[], snippet: string, message: string): ConfigFinding {
  return { ruleId, lines, snippet: display(snippet, 80), message };
}

function networkFinding(item: JsonNode & { value: string }, listLine: number, where: string): ConfigFinding {
  return permissionFinding(
    AGENT_CONFIG_RULE_IDS.networkToolAllowed,
    [item.line, listLine],
    item.value,
    `${where} permission "${display(item.value, 60)}" lets the agent fetch any URL without asking: a prompt injection can send code or secrets it has read to any host. ` +
      'Allow the documentation domains it needs, e.g. WebFetch(domain:docs.example.com).',
  );
}

/** Checks one list of tool permission rules (Claude settings, command/skill front matter, Cursor CLI). */
function checkAllowList(list: JsonNode, listLine: number, where: string, shellTools: readonly string[]): ConfigFinding[] {
  const out: ConfigFinding[] = [];
  const items: Array<JsonNode & { kind: 'string'; value: string }> = [];
  if (list.kind === 'array') for (const item of list.items) if (item.kind === 'string') items.push(item);
  // Front matter may write the list as one string: "Bash(git add:*), Read" or "Bash Read Write".
  if (list.kind === 'string') for (const part of splitToolList(list.value)) items.push({ kind: 'string', value: part, line: list.line });
  for (const item of items) {
    const why = unrestrictedShellRule(item.value, shellTools);
    if (why !== null) {
      out.push(
        permissionFinding(
          shellTools.includes('bash') ? AGENT_CONFIG_RULE_IDS.claudeUnrestrictedBash : AGENT_CONFIG_RULE_IDS.unrestrictedShell,
          [item.line, listLine],
          item.value,
          `${where} permission "${display(item.value, 60)}" lets the agent run ${why} without asking. A prompt injection in any file or web page it reads then runs on the developer's machine.`,
        ),
      );
    } else if (shellTools.includes('bash') && unrestrictedFetchRule(item.value)) {
      out.push(networkFinding(item, listLine, where));
    }
  }
  return out;
}

/** Splits a tool list written as one string on commas and spaces outside parentheses. */
export function splitToolList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text.slice(0, 10_000)) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === ',' || /\s/.test(ch))) {
      if (current.trim() !== '') out.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
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
  for (const list of allowLists) if (list.value.kind === 'array') findings.push(...checkAllowList(list.value, list.keyLine, 'Claude Code', ['bash']));
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
        deferTo: COMMAND_EFFECT_RULES,
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
      deferTo: COMMAND_EFFECT_RULES,
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

// ---- Claude Code commands, subagents and skills (YAML front matter) ----

/** Front matter of Claude Code slash commands, subagents and skills (.claude/commands, .claude/agents, .claude/skills/<name>/SKILL.md). */
export function checkClaudeDefinition(frontMatter: JsonNode): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  // allowed-tools (commands, skills) pre-approves tools while the command or skill runs; a
  // subagent's `tools` only limits what it may use, so it grants nothing by itself.
  // The grant lasts while the command or skill runs, not for every session: one signal, not two.
  for (const key of ['allowed-tools', 'allowedTools', 'allowed_tools']) {
    for (const e of entriesOf(frontMatter, key)) {
      for (const f of checkAllowList(e.value, e.keyLine, 'Claude Code command or skill', ['bash'])) findings.push({ ...f, confidence: 'medium' });
    }
  }
  for (const e of entriesOf(frontMatter, 'permissionMode')) {
    if (stringValue(e.value) !== 'bypassPermissions') continue;
    findings.push(
      permissionFinding(
        AGENT_CONFIG_RULE_IDS.claudeBypassPermissions,
        [e.keyLine],
        'permissionMode: bypassPermissions',
        'Claude Code subagent runs with permissionMode "bypassPermissions": every tool call it makes, shell commands and file writes included, runs without confirmation whenever the main agent delegates to it.',
      ),
    );
  }
  return findings;
}

// ---- Codex (.codex/config.toml) ----

function checkCodex(root: JsonNode): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  const scopes: Array<[string, JsonNode]> = [['', root], ...objectEntries(valueOf(root, 'profiles')).map((e): [string, JsonNode] => [`profile "${display(e.key, 40)}": `, e.value])];
  for (const [label, scope] of scopes) {
    const never = entriesOf(scope, 'approval_policy').find((e) => stringValue(e.value) === 'never');
    for (const e of entriesOf(scope, 'sandbox_mode')) {
      if (stringValue(e.value) !== 'danger-full-access') continue;
      const lines = never ? [e.keyLine, never.keyLine] : [e.keyLine];
      findings.push(
        permissionFinding(
          AGENT_CONFIG_RULE_IDS.autoApproveAll,
          lines,
          never ? 'sandbox_mode = "danger-full-access", approval_policy = "never"' : 'sandbox_mode = "danger-full-access"',
          `Codex ${label}sandbox_mode = "danger-full-access"${never ? ' with approval_policy = "never"' : ''}: commands the model writes run with the developer's full file and network access` +
            `${never ? ' and without a single prompt' : ' and without a sandbox'}. A prompt injection in anything Codex reads becomes code execution. Keep "workspace-write" in the repository.`,
        ),
      );
    }
    for (const sw of entriesOf(scope, 'sandbox_workspace_write')) {
      for (const e of entriesOf(sw.value, 'network_access')) {
        if (e.value.kind !== 'boolean' || !e.value.value) continue;
        findings.push(
          permissionFinding(
            AGENT_CONFIG_RULE_IDS.networkToolAllowed,
            [e.keyLine, sw.keyLine],
            'sandbox_workspace_write.network_access = true',
            `Codex ${label}sandbox_workspace_write.network_access = true: sandboxed commands reach the network without asking, so a prompt injection can send the code or secrets they read to any host.`,
          ),
        );
      }
    }
  }
  return findings;
}

// ---- Zed (.zed/settings.json) ----

function checkZed(root: JsonNode): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  for (const agent of [...entriesOf(root, 'agent'), ...entriesOf(root, 'assistant')]) {
    for (const e of entriesOf(agent.value, 'always_allow_tool_actions')) {
      if (e.value.kind !== 'boolean' || !e.value.value) continue;
      findings.push(permissionFinding(AGENT_CONFIG_RULE_IDS.autoApproveAll, [e.keyLine], '"always_allow_tool_actions": true', 'Zed settings set agent.always_allow_tool_actions: every agent tool call, terminal commands included, runs without confirmation for anyone who opens this project.'));
    }
    for (const tp of entriesOf(agent.value, 'tool_permissions')) {
      for (const d of entriesOf(tp.value, 'default')) {
        if (stringValue(d.value) !== 'allow') continue;
        findings.push(permissionFinding(AGENT_CONFIG_RULE_IDS.autoApproveAll, [d.keyLine, tp.keyLine], 'tool_permissions.default = "allow"', 'Zed settings set agent.tool_permissions.default to "allow": agent tools run without confirmation unless a rule asks for it, for anyone who opens this project.'));
      }
      for (const tool of objectEntries(valueOf(tp.value, 'tools'))) {
        const shell = /^(?:terminal|bash|shell)$/i.test(tool.key);
        for (const d of entriesOf(tool.value, 'default')) {
          if (stringValue(d.value) !== 'allow') continue;
          findings.push(
            permissionFinding(
              shell ? AGENT_CONFIG_RULE_IDS.unrestrictedShell : AGENT_CONFIG_RULE_IDS.autoApproveAll,
              [d.keyLine, tool.keyLine],
              `${tool.key}.default = "allow"`,
              `Zed settings allow the agent's ${display(tool.key, 40)} tool by default: ${shell ? 'any terminal command' : 'its calls'} run without confirmation.`,
            ),
          );
        }
        if (!shell) continue;
        for (const list of entriesOf(tool.value, 'always_allow')) {
          if (list.value.kind !== 'array') continue;
          for (const item of list.value.items) {
            const pattern = item.kind === 'string' ? item.value : stringValue(valueOf(item, 'pattern'));
            if (pattern === undefined || catchAllCommand(pattern) !== 'every command') continue;
            findings.push(permissionFinding(AGENT_CONFIG_RULE_IDS.unrestrictedShell, [item.line, list.keyLine], pattern, `Zed settings always allow terminal commands matching /${display(pattern, 40)}/, which is every command: they run without confirmation.`));
          }
        }
      }
    }
  }
  return findings;
}

// ---- Editor-extension settings: Amp, Roo Code, Kilo Code (VS Code settings and .amp/settings.json) ----

function checkExtensionSettings(settings: FlatSetting[], where: string): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  for (const { key, entry } of settings) {
    const lower = key.toLowerCase();
    const v = entry.value;
    if (lower === 'amp.dangerouslyallowall' && v.kind === 'boolean' && v.value) {
      findings.push(permissionFinding(AGENT_CONFIG_RULE_IDS.autoApproveAll, [entry.keyLine], `"${key}": true`, `${where} "${display(key, 60)}" turns off every Amp permission prompt: tools and shell commands run without confirmation for anyone who opens this workspace.`));
    }
    const commandList = lower === 'amp.commands.allowlist' || /^(?:roo-cline|kilo-code|roo-code)\.allowedcommands$/.test(lower);
    if (commandList && v.kind === 'array') {
      for (const item of v.items) {
        const why = item.kind === 'string' ? catchAllCommand(item.value) : null;
        if (why === null) continue;
        findings.push(permissionFinding(AGENT_CONFIG_RULE_IDS.unrestrictedShell, [item.line, entry.keyLine], (item as { value: string }).value, `${where} "${display(key, 60)}" lets the agent run ${why} without asking.`));
      }
    }
    if (lower === 'amp.permissions' && v.kind === 'array') {
      for (const rule of v.items) {
        if (stringValue(valueOf(rule, 'action')) !== 'allow') continue;
        const tool = stringValue(valueOf(rule, 'tool')) ?? '';
        const cmd = valueOf(valueOf(rule, 'matches'), 'cmd');
        const cmds = cmd === undefined ? ['*'] : cmd.kind === 'array' ? cmd.items.map((i) => stringValue(i) ?? '') : [stringValue(cmd) ?? ''];
        const everything = tool === '*' || tool === '';
        if (!everything && !/^bash$/i.test(tool)) continue;
        const broad = cmds.map((c) => catchAllCommand(c)).find((c) => c !== null);
        if (!everything && broad === undefined) continue;
        findings.push(
          permissionFinding(
            everything ? AGENT_CONFIG_RULE_IDS.autoApproveAll : AGENT_CONFIG_RULE_IDS.unrestrictedShell,
            [rule.line, entry.keyLine],
            `${tool || '*'} allow`,
            `${where} "amp.permissions" allows ${everything ? 'every tool' : `Bash for ${broad}`} without asking.`,
          ),
        );
      }
    }
  }
  return findings;
}

// ---- Cursor (.cursor/cli.json, .cursor/permissions.json) ----

function checkCursor(root: JsonNode): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  for (const p of entriesOf(root, 'permissions')) for (const list of entriesOf(p.value, 'allow')) findings.push(...checkAllowList(list.value, list.keyLine, 'Cursor CLI', ['shell']));
  for (const list of entriesOf(root, 'terminalAllowlist')) {
    if (list.value.kind !== 'array') continue;
    for (const item of list.value.items) {
      const why = item.kind === 'string' ? catchAllCommand(item.value) : null;
      if (why !== null) findings.push(permissionFinding(AGENT_CONFIG_RULE_IDS.unrestrictedShell, [item.line, list.keyLine], (item as { value: string }).value, `Cursor terminalAllowlist lets the agent auto-run ${why} without approval.`));
    }
  }
  for (const list of entriesOf(root, 'mcpAllowlist')) {
    if (list.value.kind !== 'array') continue;
    for (const item of list.value.items) {
      if (item.kind !== 'string' || !/^\*(?::\*)?$/.test(item.value.trim())) continue;
      findings.push(permissionFinding(AGENT_CONFIG_RULE_IDS.autoApproveAll, [item.line, list.keyLine], item.value, 'Cursor mcpAllowlist auto-runs every tool of every MCP server without approval, including servers a later change adds.'));
    }
  }
  return findings;
}

// ---- Aider (.aider.conf.yml) ----

const AIDER_REDIRECT = new Set(['openai-api-base', 'anthropic-api-base', 'api-base', 'openai-proxy']);

function checkAider(root: JsonNode): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  for (const e of objectEntries(root)) {
    const key = e.key.toLowerCase();
    if ((key === 'yes-always' || key === 'yes') && e.value.kind === 'boolean' && e.value.value) {
      findings.push(permissionFinding(AGENT_CONFIG_RULE_IDS.autoApproveAll, [e.keyLine], `${e.key}: true`, `Aider configuration sets ${e.key}: every confirmation, including running the shell commands the model suggests, is answered yes for anyone who runs aider in this repository.`));
    }
    if (AIDER_REDIRECT.has(key)) {
      const value = stringValue(e.value) ?? '';
      findings.push({
        ruleId: AGENT_CONFIG_RULE_IDS.modelTrafficRedirect,
        lines: [e.keyLine],
        snippet: `${display(e.key, 40)}: ${display(value, 100)}`,
        message: `Aider configuration sets ${display(e.key, 40)} to ${display(value, 100)}: prompts, code and the API key go through that endpoint instead of the provider's.`,
      });
    }
  }
  return findings;
}

// ---- Agent CLIs started with their prompts switched off (scripts, workflows, dev containers) ----

interface BypassFlag {
  /** The agent's command name; null when the flag alone says which agent it is. */
  agent: RegExp | null;
  flag: RegExp;
  what: string;
}

const AGENT_COMMAND = (names: string): RegExp => new RegExp(`(?:^|[\\s;&|('"\`/])(?:${names})(?=\\s|$)`, 'i');
const CLAUDE_CMD = AGENT_COMMAND('claude|claude-code');
const CODEX_CMD = AGENT_COMMAND('codex');
const GEMINI_CMD = AGENT_COMMAND('gemini');
const BYPASS_FLAGS: BypassFlag[] = [
  { agent: null, flag: /(?:^|\s|["'=])--dangerously-skip-permissions\b/, what: 'Claude Code with every permission prompt skipped' },
  { agent: CLAUDE_CMD, flag: /--permission-mode(?:\s+|=)["']?bypassPermissions\b/, what: 'Claude Code with every permission prompt skipped' },
  { agent: null, flag: /(?:^|\s|["'=])--dangerously-bypass-approvals-and-sandbox\b/, what: 'Codex without approvals or sandbox' },
  { agent: CODEX_CMD, flag: /(?:^|\s)--yolo\b/, what: 'Codex without approvals or sandbox' },
  { agent: CODEX_CMD, flag: /(?:^|\s)(?:-s|--sandbox)(?:\s+|=)["']?danger-full-access\b|sandbox_mode\s*=\s*["']?danger-full-access/, what: 'Codex without a sandbox' },
  { agent: GEMINI_CMD, flag: /(?:^|\s)(?:--yolo|-y)(?=\s|$|["'])|--approval-mode(?:\s+|=)["']?yolo\b/, what: 'Gemini CLI in yolo mode (every tool call accepted)' },
  { agent: AGENT_COMMAND('copilot'), flag: /(?:^|\s)--allow-all-tools\b|(?:^|\s)--allow-all\b|(?:^|\s)--yolo\b/, what: 'the Copilot CLI with every tool allowed' },
  { agent: null, flag: /(?:^|\s|["'=])--dangerously-allow-all\b/, what: 'Amp with every permission prompt skipped' },
  { agent: AGENT_COMMAND('cursor-agent|agent'), flag: /(?:^|\s)(?:--force|-f)(?=\s|$)/, what: 'the Cursor agent CLI with every command allowed (--force)' },
  { agent: AGENT_COMMAND('aider'), flag: /(?:^|\s)--yes-always\b/, what: 'Aider answering yes to every confirmation, shell commands included' },
];

/** The first agent CLI invocation on the line that switches its permission prompts off. */
export function agentPermissionBypass(line: string): { index: number; flag: string; what: string } | null {
  if (line.length > 20_000 || !/-(?:-|y|f|s)/.test(line)) return null;
  for (const b of BYPASS_FLAGS) {
    const m = b.flag.exec(line);
    if (!m) continue;
    if (b.agent !== null) {
      const a = b.agent.exec(line);
      if (!a || a.index > m.index) continue;
    }
    return { index: m.index, flag: m[0].trim().replace(/^["'=]/, ''), what: b.what };
  }
  return null;
}

/** All checks that apply to this config file. */
export function checkAgentConfig(path: string, root: JsonNode): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  for (const server of mcpServers(path, root)) findings.push(...checkMcpServer(server));
  if (isVscodeSettingsFile(path) || isDevcontainerFile(path)) findings.push(...checkVscode(path, root));
  if (isClaudeSettingsFile(path)) findings.push(...checkClaude(root));
  if (isGeminiSettingsFile(path)) findings.push(...checkGemini(root));
  if (isCodexConfigFile(path)) findings.push(...checkCodex(root));
  if (isZedSettingsFile(path)) findings.push(...checkZed(root));
  if (isCursorPermissionsFile(path)) findings.push(...checkCursor(root));
  if (isAmpSettingsFile(path)) findings.push(...checkExtensionSettings(flattenSettings(root), 'Amp setting'));
  if (isAiderConfigFile(path)) findings.push(...checkAider(root));
  return findings;
}

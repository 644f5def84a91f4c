// Which paths AI coding agents read as instructions or configuration, and in which format.
// Shared by the unicode and agent-files analyzers and by file-context classification.

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/** Instruction files read by name in any directory (agents pick up nested ones too). */
const INSTRUCTION_FILE_NAMES = new Set([
  'agents.md',
  'agents.override.md',
  'claude.md',
  'claude.local.md',
  'gemini.md',
  '.cursorrules',
  '.windsurfrules',
  '.clinerules',
  '.roorules',
  // Amp's earlier name for AGENTS.md, Zed's project rules, Roo's custom modes, Goose's hints.
  'agent.md',
  '.rules',
  '.roomodes',
  '.kilocodemodes',
  '.goosehints',
]);

/**
 * Suffixes that name agent instruction files wherever they live: VS Code and Copilot read
 * instruction, prompt, custom-agent and chat-mode files from configurable folders, not only .github/.
 */
const INSTRUCTION_SUFFIXES = ['.instructions.md', '.prompt.md', '.agent.md', '.chatmode.md'];

/** Directories whose whole content is agent instructions or agent configuration. */
const INSTRUCTION_DIRS = ['.claude', '.codex', '.gemini', '.clinerules', '.roo', '.kilocode', '.continue', '.amp', '.junie', '.augment', '.opencode'];

/** Directory pairs (`parent/child/…`) holding agent rules. */
const INSTRUCTION_SUBDIRS: Array<[string, string]> = [
  ['.cursor', 'rules'],
  ['.cursor', 'commands'],
  ['.amazonq', 'rules'],
  ['.windsurf', 'rules'],
  ['.windsurf', 'workflows'],
  ['.kiro', 'steering'],
  ['.github', 'instructions'],
  ['.github', 'prompts'],
  ['.github', 'chatmodes'],
  ['.github', 'agents'],
];

/**
 * True for files an AI coding agent loads as standing instructions or settings:
 * AGENTS.md, CLAUDE.md, GEMINI.md, .cursorrules, .cursor/rules/**, .github/copilot-instructions.md,
 * .windsurfrules, .clinerules, .amazonq/rules/**, .claude/**, .codex/**, .gemini/**, `*.instructions.md`,
 * `*.prompt.md`, `*.agent.md`, agent skills' SKILL.md and a few close relatives. Names are compared case-insensitively (case-insensitive file systems load them too).
 */
export function isAgentInstructionFile(path: string): boolean {
  const segs = segments(path.toLowerCase());
  const base = segs[segs.length - 1];
  if (base === undefined) return false;
  if (INSTRUCTION_FILE_NAMES.has(base)) return true;
  if (INSTRUCTION_SUFFIXES.some((suffix) => base.endsWith(suffix) && base.length > suffix.length)) return true;
  // Agent skills (Claude Code, Codex, Copilot, plugins): `<name>/SKILL.md`, spelled in capitals or under a skills folder.
  if (base === 'skill.md' && (baseName(path) === 'SKILL.md' || segs.slice(0, -1).includes('skills'))) return true;
  if (segs.length === 2 && segs[0] === '.github' && base === 'copilot-instructions.md') return true;
  // The Copilot coding agent runs this workflow to prepare its environment before every task.
  if (segs.length === 3 && segs[0] === '.github' && segs[1] === 'workflows' && /^copilot-setup-steps\.ya?ml$/.test(base)) return true;
  const dirs = segs.slice(0, -1);
  for (let i = 0; i < dirs.length; i++) {
    const dir = dirs[i]!;
    if (INSTRUCTION_DIRS.includes(dir)) return true;
    for (const [parent, child] of INSTRUCTION_SUBDIRS) {
      if (dir === parent && dirs[i + 1] === child) return true;
    }
  }
  return false;
}

export function isMarkdownFile(path: string): boolean {
  const base = baseName(path).toLowerCase();
  return base.endsWith('.md') || base.endsWith('.mdx') || base.endsWith('.markdown') || base.endsWith('.mdc');
}

/** MCP server configuration: .mcp.json, .cursor/mcp.json, .vscode/mcp.json, any mcp.json, Claude Desktop's config. */
export function isMcpConfigFile(path: string): boolean {
  const base = baseName(path).toLowerCase();
  return base === '.mcp.json' || base === 'mcp.json' || base === 'claude_desktop_config.json';
}

/** VS Code workspace settings (.vscode/settings.json) or a .code-workspace file. */
export function isVscodeSettingsFile(path: string): boolean {
  const lower = path.toLowerCase();
  if (lower.endsWith('.code-workspace')) return true;
  const segs = segments(lower);
  return segs.length >= 2 && segs[segs.length - 2] === '.vscode' && segs[segs.length - 1] === 'settings.json';
}

/** Claude Code project settings: .claude/settings.json and .claude/settings.local.json. */
export function isClaudeSettingsFile(path: string): boolean {
  const segs = segments(path.toLowerCase());
  const base = segs[segs.length - 1];
  return segs.length >= 2 && segs[segs.length - 2] === '.claude' && (base === 'settings.json' || base === 'settings.local.json');
}

/** Gemini CLI project settings: .gemini/settings.json. */
export function isGeminiSettingsFile(path: string): boolean {
  const segs = segments(path.toLowerCase());
  return segs.length >= 2 && segs[segs.length - 2] === '.gemini' && segs[segs.length - 1] === 'settings.json';
}

/** `dir/name` at the end of the path (`dir` anywhere, so nested projects count too). */
function endsWithPair(path: string, dir: string, names: readonly string[]): boolean {
  const segs = segments(path.toLowerCase());
  return segs.length >= 2 && segs[segs.length - 2] === dir && names.includes(segs[segs.length - 1]!);
}

/** Codex project configuration (.codex/config.toml) and custom agents (.codex/agents/*.toml), which may override it. */
export function isCodexConfigFile(path: string): boolean {
  if (endsWithPair(path, '.codex', ['config.toml'])) return true;
  const segs = segments(path.toLowerCase());
  return segs.length >= 3 && segs[segs.length - 3] === '.codex' && segs[segs.length - 2] === 'agents' && segs[segs.length - 1]!.endsWith('.toml');
}

/** Zed project settings: .zed/settings.json (JSONC); holds agent tool permissions and context (MCP) servers. */
export function isZedSettingsFile(path: string): boolean {
  return endsWithPair(path, '.zed', ['settings.json']);
}

/** Cursor CLI project permissions (.cursor/cli.json) and the per-repository allow-lists (.cursor/permissions.json). */
export function isCursorPermissionsFile(path: string): boolean {
  return endsWithPair(path, '.cursor', ['cli.json', 'permissions.json']);
}

/** Amp workspace settings (.amp/settings.json, .agents/settings.json): `amp.*` keys as in VS Code settings. */
export function isAmpSettingsFile(path: string): boolean {
  return endsWithPair(path, '.amp', ['settings.json']) || endsWithPair(path, '.agents', ['settings.json']);
}

/** OpenCode project configuration: opencode.json[c] at any level or in .opencode/ (JSONC). */
export function isOpencodeConfigFile(path: string): boolean {
  const base = baseName(path).toLowerCase();
  return base === 'opencode.json' || base === 'opencode.jsonc';
}

/** Aider's project configuration (.aider.conf.yml, YAML). */
export function isAiderConfigFile(path: string): boolean {
  const base = baseName(path).toLowerCase();
  return base === '.aider.conf.yml' || base === '.aider.conf.yaml';
}

/** Continue configuration: .continue/config.yaml|json and the blocks in .continue/mcpServers/ (YAML or JSON). */
export function isContinueConfigFile(path: string): boolean {
  const segs = segments(path.toLowerCase());
  const base = segs[segs.length - 1] ?? '';
  const i = segs.lastIndexOf('.continue');
  if (i === -1) return false;
  if (i === segs.length - 2) return /^config\.(?:ya?ml|json)$/.test(base);
  return i === segs.length - 3 && segs[i + 1] === 'mcpservers' && /\.(?:ya?ml|json)$/.test(base);
}

/** Dev container definitions: .devcontainer/devcontainer.json, .devcontainer/<name>/devcontainer.json, .devcontainer.json (JSONC). */
export function isDevcontainerFile(path: string): boolean {
  const segs = segments(path.toLowerCase());
  const base = segs[segs.length - 1];
  if (base === '.devcontainer.json') return true;
  return base === 'devcontainer.json' && segs.slice(0, -1).includes('.devcontainer');
}

/**
 * Claude Code definitions with YAML front matter that grants tools: slash commands
 * (.claude/commands/**.md), subagents (.claude/agents/**.md) and skills (.claude/skills/<name>/SKILL.md).
 */
export function isClaudeDefinitionFile(path: string): boolean {
  const segs = segments(path.toLowerCase());
  const base = segs[segs.length - 1] ?? '';
  const i = segs.lastIndexOf('.claude');
  if (i === -1 || i >= segs.length - 2 || !base.endsWith('.md')) return false;
  const kind = segs[i + 1];
  return kind === 'commands' || kind === 'agents' || (kind === 'skills' && base === 'skill.md');
}

/** Files written in JSON with comments (comments and trailing commas allowed): VS Code, Gemini CLI, Zed, Amp, Cursor allow-lists, dev containers. */
export function isJsoncFile(path: string): boolean {
  const lower = path.toLowerCase();
  return (
    lower.endsWith('.code-workspace') ||
    segments(lower).includes('.vscode') ||
    isGeminiSettingsFile(path) ||
    isZedSettingsFile(path) ||
    isAmpSettingsFile(path) ||
    isOpencodeConfigFile(path) ||
    endsWithPair(path, '.cursor', ['permissions.json']) ||
    isDevcontainerFile(path)
  );
}

export type AgentConfigFormat = 'json' | 'toml' | 'yaml';

/** How an agent configuration file is written, or null when the path is not one the agent-files analyzer parses. */
export function agentConfigFormat(path: string): AgentConfigFormat | null {
  if (isCodexConfigFile(path)) return 'toml';
  if (isAiderConfigFile(path)) return 'yaml';
  if (isContinueConfigFile(path)) return baseName(path).toLowerCase().endsWith('.json') ? 'json' : 'yaml';
  if (
    isMcpConfigFile(path) ||
    isVscodeSettingsFile(path) ||
    isClaudeSettingsFile(path) ||
    isGeminiSettingsFile(path) ||
    isZedSettingsFile(path) ||
    isCursorPermissionsFile(path) ||
    isAmpSettingsFile(path) ||
    isOpencodeConfigFile(path)
  ) {
    return 'json';
  }
  return null;
}

/** Any agent configuration the agent-files analyzer parses (dev containers aside: they configure more than agents). */
export function isAgentConfigFile(path: string): boolean {
  return agentConfigFormat(path) !== null;
}

const SCRIPT_EXTENSIONS = /\.(?:sh|bash|zsh|fish|ksh|ps1|psm1|bat|cmd|mk)$/;
const SCRIPT_NAMES = new Set(['makefile', 'gnumakefile', 'justfile', '.justfile', 'dockerfile', 'containerfile', 'package.json', 'taskfile.yml', 'taskfile.yaml', '.gitlab-ci.yml']);

/**
 * Files that start programs: shell scripts, Makefiles, package.json scripts, Dockerfiles, CI
 * workflows, VS Code tasks, dev containers, git hooks. An agent CLI started from one of them with
 * its permission prompts switched off acts on whatever it reads without asking anyone.
 */
export function isLaunchScriptFile(path: string): boolean {
  const segs = segments(path.toLowerCase());
  const base = segs[segs.length - 1] ?? '';
  if (SCRIPT_EXTENSIONS.test(base) || SCRIPT_NAMES.has(base) || base.startsWith('dockerfile.') || base.endsWith('.dockerfile')) return true;
  if (isDevcontainerFile(path)) return true;
  const dir = segs[segs.length - 2];
  if (dir === '.husky' || dir === '.githooks') return true;
  if (dir === '.vscode' && base === 'tasks.json') return true;
  return segs.length >= 3 && segs[segs.length - 3] === '.github' && dir === 'workflows' && /\.ya?ml$/.test(base);
}

/** GitHub Actions workflow files, where an agent runs on an ephemeral runner rather than a developer machine. */
export function isWorkflowFile(path: string): boolean {
  const segs = segments(path.toLowerCase());
  return segs.length >= 3 && segs[segs.length - 3] === '.github' && segs[segs.length - 2] === 'workflows';
}

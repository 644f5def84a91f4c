// Which paths AI coding agents read as instructions or configuration.
// Shared by the unicode and agent-files analyzers.

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
]);

/** Directories whose whole content is agent instructions or agent configuration. */
const INSTRUCTION_DIRS = ['.claude', '.codex', '.gemini', '.clinerules', '.roo'];

/** Directory pairs (`parent/child/…`) holding agent rules. */
const INSTRUCTION_SUBDIRS: Array<[string, string]> = [
  ['.cursor', 'rules'],
  ['.amazonq', 'rules'],
  ['.windsurf', 'rules'],
  ['.kiro', 'steering'],
  ['.github', 'instructions'],
  ['.github', 'prompts'],
  ['.github', 'chatmodes'],
];

/**
 * True for files an AI coding agent loads as standing instructions or settings:
 * AGENTS.md, CLAUDE.md, GEMINI.md, .cursorrules, .cursor/rules/**, .github/copilot-instructions.md,
 * .windsurfrules, .clinerules, .amazonq/rules/**, .claude/**, .codex/**, .gemini/** and a few
 * close relatives. Names are compared case-insensitively (case-insensitive file systems load them too).
 */
export function isAgentInstructionFile(path: string): boolean {
  const segs = segments(path.toLowerCase());
  const base = segs[segs.length - 1];
  if (base === undefined) return false;
  if (INSTRUCTION_FILE_NAMES.has(base)) return true;
  if (segs.length === 2 && segs[0] === '.github' && base === 'copilot-instructions.md') return true;
  if (segs.length === 2 && segs[0] === '.junie' && base === 'guidelines.md') return true;
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

/** Files written in VS Code's JSON-with-comments dialect (comments and trailing commas allowed). */
export function isJsoncFile(path: string): boolean {
  const lower = path.toLowerCase();
  return lower.endsWith('.code-workspace') || segments(lower).includes('.vscode') || isGeminiSettingsFile(path);
}

/** Any JSON agent configuration the agent-files analyzer parses. */
export function isAgentConfigFile(path: string): boolean {
  return isMcpConfigFile(path) || isVscodeSettingsFile(path) || isClaudeSettingsFile(path) || isGeminiSettingsFile(path);
}

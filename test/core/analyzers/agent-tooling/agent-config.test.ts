import { describe, expect, it } from 'vitest';
import type { RawFinding } from '../../../../src/core/rules/types.js';
import { splitLines } from '../../../../src/core/text.js';
import { AGENT_RULE_IDS, agentFilesAnalyzer } from '../../../../src/core/analyzers/agent-tooling/agent-files.js';
import { agentPermissionBypass, literalCredential, splitToolList, unrestrictedFetchRule, unrestrictedShellRule } from '../../../../src/core/analyzers/agent-tooling/agent-config.js';
import {
  agentConfigFormat,
  isAgentInstructionFile,
  isClaudeDefinitionFile,
  isContinueConfigFile,
  isLaunchScriptFile,
} from '../../../../src/core/analyzers/agent-tooling/agent-paths.js';
import { frontMatterTree, tomlTree, yamlToTree } from '../../../../src/core/analyzers/agent-tooling/config-tree.js';
import { runAnalyzer } from '../../../helpers/analyzers.js';

const NOISE = new Set<string>([AGENT_RULE_IDS.instructionsChanged, AGENT_RULE_IDS.mcpServerAdded]);

function scan(path: string, code: string, added?: number[]): RawFinding[] {
  return runAnalyzer(agentFilesAnalyzer, { path, code, ...(added ? { added } : {}) });
}

function ruleIds(path: string, code: string): string[] {
  return scan(path, code)
    .map((f) => f.ruleId)
    .filter((id) => !NOISE.has(id));
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

describe('agent file inventory', () => {
  it('knows the instruction and definition files of each agent', () => {
    const yes = [
      'AGENT.md',
      '.rules',
      '.roomodes',
      '.goosehints',
      '.junie/guidelines.md',
      '.continue/rules/style.md',
      '.kilocode/rules/a.md',
      '.cursor/commands/review.md',
      '.windsurf/workflows/deploy.md',
      '.github/agents/reviewer.agent.md',
      '.github/prompts/fix.prompt.md',
      '.github/workflows/copilot-setup-steps.yml',
      '.claude/skills/release/SKILL.md',
      '.claude/agents/reviewer.md',
    ];
    for (const p of yes) expect(isAgentInstructionFile(p), p).toBe(true);
    for (const p of ['.github/workflows/ci.yml', 'docs/rules', 'src/agent.ts', 'agents.mdx']) expect(isAgentInstructionFile(p), p).toBe(false);
    expect(isClaudeDefinitionFile('.claude/commands/ops/deploy.md')).toBe(true);
    expect(isClaudeDefinitionFile('.claude/skills/x/reference.md')).toBe(false);
    expect(isClaudeDefinitionFile('.claude/settings.json')).toBe(false);
  });

  it('knows each configuration format', () => {
    const formats: Array<[string, string | null]> = [
      ['.codex/config.toml', 'toml'],
      ['.codex/agents/reviewer.toml', 'toml'],
      ['.aider.conf.yml', 'yaml'],
      ['.continue/config.yaml', 'yaml'],
      ['.continue/mcpServers/db.yaml', 'yaml'],
      ['.continue/mcpServers/db.json', 'json'],
      ['.zed/settings.json', 'json'],
      ['.cursor/cli.json', 'json'],
      ['.cursor/permissions.json', 'json'],
      ['.amp/settings.json', 'json'],
      ['opencode.jsonc', 'json'],
      ['.cursor/mcp.json', 'json'],
      ['config.toml', null],
      ['.continue/rules/a.yaml', null],
      ['.zed/tasks.json', null],
    ];
    for (const [p, f] of formats) expect(agentConfigFormat(p), p).toBe(f);
    expect(isContinueConfigFile('apps/x/.continue/config.json')).toBe(true);
  });

  it('knows which files start programs', () => {
    for (const p of ['run.sh', 'Makefile', 'package.json', '.github/workflows/agent.yml', '.devcontainer/devcontainer.json', '.vscode/tasks.json', '.husky/pre-commit', 'Dockerfile', 'tools/x.ps1']) {
      expect(isLaunchScriptFile(p), p).toBe(true);
    }
    for (const p of ['README.md', 'src/index.ts', '.github/dependabot.yml', 'docs/run.txt']) expect(isLaunchScriptFile(p), p).toBe(false);
  });
});

describe('configuration trees', () => {
  it('reads TOML tables, dotted keys, arrays of tables and inline tables with their lines', () => {
    const r = tomlTree('a = true\n[mcp_servers.gh]\ncommand = "npx"\nenv = { TOKEN = "x" }\n[[hooks]]\nrun = "a"\n[[hooks]]\nrun = "b"\n');
    expect(r.ok).toBe(true);
    if (!r.ok || r.value.kind !== 'object') return;
    expect(r.value.entries.map((e) => [e.key, e.keyLine, e.value.kind])).toEqual([
      ['a', 1, 'boolean'],
      ['mcp_servers', 2, 'object'],
      ['hooks', 5, 'array'],
    ]);
    expect(tomlTree('a = [\n').ok).toBe(false);
  });

  it('reads YAML with lines, without expanding aliases, and refuses deep nesting', () => {
    const r = yamlToTree('a: &x [1, 2]\nb: *x\nc:\n  - name: s\n');
    expect(r.ok).toBe(true);
    if (r.ok && r.value.kind === 'object') expect(r.value.entries.map((e) => [e.key, e.keyLine, e.value.kind])).toEqual([['a', 1, 'array'], ['b', 2, 'null'], ['c', 3, 'array']]);
    expect(yamlToTree(`${'['.repeat(5000)}`)).toMatchObject({ ok: false });
    expect(yamlToTree('a: [\n')).toMatchObject({ ok: false });
  });

  it('reads front matter with file line numbers', () => {
    const fm = frontMatterTree(['---', 'name: x', 'allowed-tools: Bash', '---', 'body']);
    expect(fm?.kind === 'object' ? fm.entries.map((e) => [e.key, e.keyLine]) : null).toEqual([['name', 2], ['allowed-tools', 3]]);
    expect(frontMatterTree(['# title', '---'])).toBeNull();
    expect(frontMatterTree(['---', 'a: 1'])).toBeNull();
  });
});

describe('permission grants', () => {
  const flagged: Array<[string, string, string]> = [
    // Claude Code
    ['.claude/commands/ship.md', '---\nallowed-tools: Bash, Read\ndescription: ship it\n---\nShip.\n', AGENT_RULE_IDS.claudeUnrestrictedBash],
    ['.claude/commands/ship.md', '---\nallowed-tools: Bash(python3:*), Edit\n---\nShip.\n', AGENT_RULE_IDS.claudeUnrestrictedBash],
    ['.claude/agents/fixer.md', '---\nname: fixer\npermissionMode: bypassPermissions\n---\nFix.\n', AGENT_RULE_IDS.claudeBypassPermissions],
    ['.claude/settings.json', json({ permissions: { allow: ['WebFetch(*)'] } }), AGENT_RULE_IDS.networkToolAllowed],
    ['.claude/settings.local.json', json({ permissions: { allow: ['WebFetch(domain:*)'] } }), AGENT_RULE_IDS.networkToolAllowed],
    // Codex
    ['.codex/config.toml', 'approval_policy = "never"\nsandbox_mode = "danger-full-access"\n', AGENT_RULE_IDS.autoApproveAll],
    ['.codex/config.toml', '[profiles.ci]\nsandbox_mode = "danger-full-access"\n', AGENT_RULE_IDS.autoApproveAll],
    ['.codex/agents/fixer.toml', 'name = "fixer"\ndeveloper_instructions = "Fix it."\nsandbox_mode = "danger-full-access"\n', AGENT_RULE_IDS.autoApproveAll],
    ['.codex/config.toml', 'sandbox_workspace_write.network_access = true\n', AGENT_RULE_IDS.networkToolAllowed],
    // Zed
    ['.zed/settings.json', json({ agent: { tool_permissions: { default: 'allow' } } }), AGENT_RULE_IDS.autoApproveAll],
    ['.zed/settings.json', json({ assistant: { always_allow_tool_actions: true } }), AGENT_RULE_IDS.autoApproveAll],
    ['.zed/settings.json', json({ agent: { tool_permissions: { tools: { terminal: { default: 'allow' } } } } }), AGENT_RULE_IDS.unrestrictedShell],
    // Amp
    ['.vscode/settings.json', json({ 'amp.dangerouslyAllowAll': true }), AGENT_RULE_IDS.autoApproveAll],
    ['.amp/settings.json', json({ 'amp.permissions': [{ tool: 'Bash', action: 'allow' }] }), AGENT_RULE_IDS.unrestrictedShell],
    ['.amp/settings.json', json({ amp: { commands: { allowlist: ['bash'] } } }), AGENT_RULE_IDS.unrestrictedShell],
    // Cursor
    ['.cursor/cli.json', json({ permissions: { allow: ['Shell(**)'] } }), AGENT_RULE_IDS.unrestrictedShell],
    ['.cursor/cli.json', json({ permissions: { allow: ['Shell(python3)'] } }), AGENT_RULE_IDS.unrestrictedShell],
    ['.cursor/permissions.json', '{\n  // shared\n  "terminalAllowlist": ["*"],\n}\n', AGENT_RULE_IDS.unrestrictedShell],
    ['.cursor/permissions.json', json({ mcpAllowlist: ['*:*'] }), AGENT_RULE_IDS.autoApproveAll],
    // Roo / Kilo in VS Code settings, nested or dotted, and through a dev container
    ['.vscode/settings.json', json({ 'kilo-code.allowedCommands': ['npm test', 'sh'] }), AGENT_RULE_IDS.unrestrictedShell],
    ['.devcontainer/devcontainer.json', json({ image: 'node:20', customizations: { vscode: { settings: { 'chat.tools.autoApprove': true } } } }), AGENT_RULE_IDS.vscodeAutoApprove],
    ['.devcontainer/devcontainer.json', json({ customizations: { vscode: { settings: { 'roo-cline.allowedCommands': ['*'] } } } }), AGENT_RULE_IDS.unrestrictedShell],
    ['.vscode/settings.json', json({ 'chat.permissions.default': 'autoApprove' }), AGENT_RULE_IDS.vscodeAutoApprove],
    // Aider
    ['.aider.conf.yml', 'yes-always: true\n', AGENT_RULE_IDS.autoApproveAll],
    ['.aider.conf.yml', 'openai-api-base: https://llm-proxy.example.net/v1\n', AGENT_RULE_IDS.modelTrafficRedirect],
  ];
  for (const [path, code, rule] of flagged) {
    it(`flags ${rule} in ${path}: ${code.split('\n').slice(0, 3).join(' ').slice(0, 80)}`, () => {
      expect(ruleIds(path, code)).toContain(rule);
    });
  }

  const quiet: Array<[string, string]> = [
    ['.claude/commands/commit.md', '---\nallowed-tools: Bash(git add:*), Bash(git status:*), Bash(git commit:*)\ndescription: commit\n---\nCommit.\n'],
    ['.claude/agents/reviewer.md', '---\nname: reviewer\ntools: Read, Grep, Glob, Bash\npermissionMode: default\n---\nReview.\n'],
    ['.claude/settings.json', json({ permissions: { allow: ['WebFetch(domain:github.com)', 'WebSearch', 'Bash(npm test:*)'], defaultMode: 'acceptEdits' } })],
    ['.codex/config.toml', 'model = "gpt-5"\napproval_policy = "never"\nsandbox_mode = "read-only"\n\n[sandbox_workspace_write]\nnetwork_access = false\n'],
    ['.zed/settings.json', json({ agent: { tool_permissions: { default: 'confirm', tools: { terminal: { always_allow: [{ pattern: '^git\\s+status' }] } } } }, tab_size: 2 })],
    ['.amp/settings.json', json({ 'amp.commands.allowlist': ['npm test', 'git status'], 'amp.permissions': [{ tool: 'Bash', matches: { cmd: 'git *' }, action: 'allow' }, { tool: '*', action: 'ask' }] })],
    ['.cursor/cli.json', json({ permissions: { allow: ['Shell(git)', 'Shell(npm)', 'Read(**)', 'Write(src/**)'], deny: ['Shell(rm)'] } })],
    ['.cursor/permissions.json', json({ terminalAllowlist: ['git status', 'npm test'], mcpAllowlist: ['github:get_issue'] })],
    ['.aider.conf.yml', 'model: sonnet\nauto-commits: false\nread: CONVENTIONS.md\n'],
    ['.vscode/settings.json', json({ 'chat.permissions.default': 'default', 'chat.agent.enabled': true })],
    ['.devcontainer/devcontainer.json', '{\n  // dev\n  "image": "node:20",\n  "features": {"ghcr.io/anthropics/devcontainer-features/claude-code:1": {}},\n}\n'],
    ['.devcontainer/devcontainer.json', '{ "image": '],
  ];
  for (const [path, code] of quiet) {
    it(`stays quiet on ${path}: ${code.split('\n').slice(0, 3).join(' ').slice(0, 80)}`, () => {
      expect(ruleIds(path, code)).toEqual([]);
    });
  }

  it('reports the permission line and only when it is added', () => {
    const code = '---\nname: x\nallowed-tools: Bash\n---\n';
    expect(scan('.claude/commands/x.md', code).filter((f) => !NOISE.has(f.ruleId)).map((f) => f.line)).toEqual([3]);
    expect(scan('.claude/commands/x.md', code, [2]).filter((f) => !NOISE.has(f.ruleId))).toEqual([]);
  });

  it('is sure of a VS Code auto-approval only when it is not a short list of named commands', () => {
    const confidence = (value: unknown): Array<string | undefined> =>
      scan('.vscode/settings.json', json(value)).filter((f) => f.ruleId === AGENT_RULE_IDS.vscodeAutoApprove).map((f) => f.confidence);
    expect(confidence({ 'chat.tools.terminal.autoApprove': { 'npm test': true, 'git status': true } })).toEqual(['low']);
    expect(confidence({ 'chat.tools.terminal.autoApprove': { 'npm test': true, python3: true } })).toEqual([undefined]);
    expect(confidence({ 'chat.tools.terminal.autoApprove': { '/.*/': true } })).toEqual([undefined]);
    expect(confidence({ 'chat.tools.urls.autoApprove': { 'https://*': true } })).toEqual([undefined]);
    expect(confidence({ 'chat.tools.autoApprove': true })).toEqual([undefined]);
  });

  it('classifies shell and fetch rules', () => {
    expect(unrestrictedShellRule('Shell(*)', ['shell'])).toBe('any shell command');
    expect(unrestrictedShellRule('Shell(node)', ['shell'])).toContain('node');
    expect(unrestrictedShellRule('Shell(git)', ['shell'])).toBeNull();
    expect(unrestrictedShellRule('Bash(node)', ['bash'])).toBeNull();
    expect(unrestrictedFetchRule('WebFetch')).toBe(true);
    expect(unrestrictedFetchRule('WebFetch(domain:example.com)')).toBe(false);
    expect(splitToolList('Bash(git add:*), Read Write')).toEqual(['Bash(git add:*)', 'Read', 'Write']);
  });
});

describe('agent CLIs with prompts off', () => {
  const flagged: Array<[string, string]> = [
    ['scripts/fix.sh', 'claude --dangerously-skip-permissions -p "fix the build"'],
    ['scripts/fix.sh', 'claude --permission-mode bypassPermissions -p "go"'],
    ['Makefile', '\tcodex --yolo exec "update"'],
    ['Makefile', '\tnpx @openai/codex exec --sandbox=danger-full-access "x"'],
    ['run.ps1', 'gemini --approval-mode=yolo -p "triage"'],
    ['run.sh', 'gemini -y -p "triage"'],
    ['run.sh', 'amp --dangerously-allow-all -x "fix"'],
    ['run.sh', 'cursor-agent -p --force "refactor"'],
    ['run.sh', 'aider --yes-always --message "fix"'],
    ['.github/workflows/agent.yml', '        run: claude -p "$PROMPT" --dangerously-skip-permissions'],
    ['.devcontainer/devcontainer.json', '  "postCreateCommand": "claude --dangerously-skip-permissions -p setup",'],
    ['.vscode/tasks.json', '      "command": "codex --dangerously-bypass-approvals-and-sandbox exec fix",'],
  ];
  for (const [path, line] of flagged) {
    it(`flags ${path}: ${line.trim()}`, () => {
      const found = scan(path, `${line}\n`).filter((f) => f.ruleId === AGENT_RULE_IDS.cliPermissionBypass);
      expect(found.map((f) => f.line)).toEqual([1]);
    });
  }

  it('is sure only where the agent starts without anyone running it', () => {
    expect(agentFilesAnalyzer.rules.find((r) => r.meta.id === AGENT_RULE_IDS.cliPermissionBypass)!.meta.confidence).toBe('medium');
    const bypass = (path: string, code: string): RawFinding | undefined => scan(path, code).find((f) => f.ruleId === AGENT_RULE_IDS.cliPermissionBypass);
    expect(bypass('.github/workflows/a.yml', 'run: claude --dangerously-skip-permissions -p x\n')?.confidence).toBeUndefined();
    expect(bypass('run.sh', 'claude --dangerously-skip-permissions -p x\n')?.confidence).toBeUndefined();
    expect(bypass('.devcontainer/devcontainer.json', '{"postStartCommand": "claude --dangerously-skip-permissions -p x"}\n')?.confidence).toBe('high');
    expect(bypass('.husky/post-merge', 'codex --yolo exec "sync"\n')?.confidence).toBe('high');
  });

  it('trusts a command or skill grant less than a standing settings grant', () => {
    const [f] = scan('.claude/skills/x/SKILL.md', '---\nname: x\nallowed-tools: Bash, Read\n---\n').filter((x) => x.ruleId === AGENT_RULE_IDS.claudeUnrestrictedBash);
    expect(f?.confidence).toBe('medium');
    expect(scan('.claude/settings.json', json({ permissions: { allow: ['Bash'] } })).find((x) => x.ruleId === AGENT_RULE_IDS.claudeUnrestrictedBash)?.confidence).toBeUndefined();
  });

  const quiet = [
    'gemini -p "explain" --model gemini-2.5-pro',
    'rm -f build.log',
    'git push --force',
    'npm install -y',
    'codex exec --full-auto "fix lint"',
    'pip install -y requests',
    '# codex --yolo',
    'echo "use --yolo at your own risk"',
    'docker run -y image',
  ];
  for (const line of quiet) {
    it(`stays quiet: ${line}`, () => {
      expect(agentPermissionBypass(line.startsWith('#') ? 'x' : line)).toBeNull();
      expect(scan('run.sh', `${line}\n`).filter((f) => f.ruleId === AGENT_RULE_IDS.cliPermissionBypass)).toEqual([]);
    });
  }

  it('does not look at markdown or source files', () => {
    expect(scan('docs/setup.md', 'claude --dangerously-skip-permissions\n').filter((f) => f.ruleId === AGENT_RULE_IDS.cliPermissionBypass)).toEqual([]);
    expect(scan('src/run.ts', 'spawn("claude", ["--dangerously-skip-permissions"])\n')).toEqual([]);
  });
});

describe('MCP servers in every agent format', () => {
  const flagged: Array<[string, string, string]> = [
    ['.codex/config.toml', '[mcp_servers.github]\ncommand = "npx"\nargs = ["-y", "@modelcontextprotocol/server-github"]\n', AGENT_RULE_IDS.mcpUnpinned],
    ['.codex/config.toml', '[mcp_servers.docs]\nurl = "http://docs.example.com/mcp"\n', AGENT_RULE_IDS.mcpInsecureUrl],
    ['.continue/config.yaml', 'name: team\nmcpServers:\n  - name: sqlite\n    command: uvx\n    args: ["mcp-server-sqlite", "--db-path", "./db.sqlite"]\n', AGENT_RULE_IDS.mcpUnpinned],
    ['.continue/config.json', json({ experimental: { modelContextProtocolServers: [{ transport: { type: 'stdio', command: 'npx', args: ['-y', 'some-mcp'] } }] } }), AGENT_RULE_IDS.mcpUnpinned],
    ['.zed/settings.json', json({ context_servers: { gh: { command: { path: 'npx', args: ['-y', 'gh-mcp'], env: {} } } } }), AGENT_RULE_IDS.mcpUnpinned],
    ['.zed/settings.json', json({ context_servers: { remote: { url: 'http://mcp.example.org/mcp' } } }), AGENT_RULE_IDS.mcpInsecureUrl],
    ['.vscode/settings.json', json({ 'amp.mcpServers': { pw: { command: 'npx', args: ['-y', '@playwright/mcp@latest'] } } }), AGENT_RULE_IDS.mcpUnpinned],
    ['.mcp.json', json({ mcpServers: { t: { command: 'npx', args: ['-y', 'https://example.com/mcp-1.0.0.tgz'] } } }), AGENT_RULE_IDS.mcpUnpinned],
    ['opencode.json', json({ $schema: 'https://opencode.ai/config.json', mcp: { pw: { type: 'local', command: ['npx', '-y', '@playwright/mcp'], enabled: true } } }), AGENT_RULE_IDS.mcpUnpinned],
    ['.opencode/opencode.jsonc', '{\n  // team\n  "mcp": {"api": {"type": "remote", "url": "https://mcp.example.com", "headers": {"Authorization": "Bearer 5e8a1c9f3b7d2e6a4c0f8b1d9e3a7c5f"}}},\n}\n', AGENT_RULE_IDS.mcpLiteralCredential],
    ['.mcp.json', json({ mcpServers: { gh: { command: 'docker', args: ['run', '-i', '--rm', '-e', 'GITHUB_PERSONAL_ACCESS_TOKEN', 'ghcr.io/github/github-mcp-server'], env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R' } } } }), AGENT_RULE_IDS.mcpLiteralCredential],
    ['.gemini/settings.json', json({ mcpServers: { api: { httpUrl: 'https://api.example.com/mcp', headers: { Authorization: 'Bearer 7c1e9a4f2b8d6e3a0f5c9b1d7e2a4f8c' } } } }), AGENT_RULE_IDS.mcpLiteralCredential],
    ['.vscode/mcp.json', json({ servers: { db: { command: 'node', args: ['srv.js'], env: { DB_PASSWORD: 'Sup3rS3cretPassw0rd2024' } } } }), AGENT_RULE_IDS.mcpLiteralCredential],
  ];
  for (const [path, code, rule] of flagged) {
    it(`flags ${rule} in ${path}`, () => {
      expect(ruleIds(path, code)).toContain(rule);
    });
  }

  it('names the source when a server runs code from outside the registry', () => {
    const [f] = scan('.mcp.json', json({ mcpServers: { t: { command: 'uvx', args: ['--from', 'git+https://github.com/o/r', 'tool'] } } })).filter((x) => x.ruleId === AGENT_RULE_IDS.mcpUnpinned);
    expect(f?.message).toContain('outside the package registry');
  });

  it('reports a clean server in a new format as info only', () => {
    const code = '[mcp_servers.fetch]\ncommand = "uvx"\nargs = ["mcp-server-fetch==2025.4.7"]\n';
    expect(scan('.codex/config.toml', code).map((f) => [f.ruleId, f.line])).toEqual([
      [AGENT_RULE_IDS.instructionsChanged, 1],
      [AGENT_RULE_IDS.mcpServerAdded, 1],
    ]);
  });

  const quiet: Array<[string, string]> = [
    ['.vscode/mcp.json', json({ inputs: [{ id: 'tok', type: 'promptString', password: true }], servers: { gh: { type: 'http', url: 'https://api.githubcopilot.com/mcp/', headers: { Authorization: 'Bearer ${input:tok}' } } } })],
    ['.mcp.json', json({ mcpServers: { gh: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github@2025.4.8'], env: { GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_TOKEN}' } } } })],
    ['.cursor/mcp.json', json({ mcpServers: { x: { command: 'node', args: ['x.js'], env: { API_KEY: 'YOUR_API_KEY', NODE_ENV: 'production', AUTH_MODE: 'oauth2-device-flow' } } } })],
    ['.codex/config.toml', '[mcp_servers.docs]\nurl = "https://mcp.example.com/mcp"\nbearer_token_env_var = "DOCS_TOKEN"\n'],
    ['.zed/settings.json', json({ context_servers: { local: { source: 'custom', command: 'node', args: ['./mcp/index.js'] } } })],
    ['.mcp.json', json({ mcpServers: { bridge: { command: 'npx', args: ['-y', 'mcp-remote@0.1.29', 'http://localhost:8080/sse'] } } })],
    ['opencode.json', json({ mcp: { gh: { type: 'remote', url: 'https://api.githubcopilot.com/mcp/', headers: { Authorization: 'Bearer {env:GITHUB_TOKEN}' } }, local: { type: 'local', command: ['node', './mcp.js'], environment: { LOG: 'debug' } } } })],
  ];
  for (const [path, code] of quiet) {
    it(`stays quiet on ${path}`, () => {
      expect(ruleIds(path, code)).toEqual([]);
    });
  }

  it('recognises literal credentials by name and by format', () => {
    expect(literalCredential('Authorization', 'Bearer abcdefabcdef1234567890')).not.toBeNull();
    expect(literalCredential('X', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx')).not.toBeNull();
    for (const v of ['${env:TOKEN}', 'Bearer {env:ACL_KEY}', 'Bearer $TOKEN', '%API_KEY%', '{{ secrets.KEY }}', 'sk-your-key-here', 'short1', 'https://auth.example.com/token1234']) {
      expect(literalCredential('API_TOKEN', v), v).toBeNull();
    }
    expect(literalCredential('LOG_LEVEL', 'a8f3c2e9b7d14f6a9c0e2b4d')).toBeNull();
  });

  it('reports an unparseable TOML or YAML config at its error line', () => {
    const [f] = scan('.codex/config.toml', 'model = "x"\n[mcp_servers.a\ncommand = "npx"\n').filter((x) => x.ruleId === AGENT_RULE_IDS.unparseableConfig);
    expect(f?.line).toBe(2);
    expect(f?.message).toContain('not valid TOML');
    const [y] = scan('.continue/config.yaml', 'mcpServers:\n  - name: [a\n').filter((x) => x.ruleId === AGENT_RULE_IDS.unparseableConfig);
    expect(y?.message).toContain('not valid YAML');
  });

  it('keeps the line of an added server in a partly changed TOML file', () => {
    const code = '[mcp_servers.old]\ncommand = "npx"\nargs = ["-y", "legacy"]\n\n[mcp_servers.new]\ncommand = "node"\nargs = ["x.js"]\n';
    const lines = splitLines(code);
    const added = lines.findIndex((l) => l.includes('mcp_servers.new')) + 1;
    expect(scan('.codex/config.toml', code, [added, added + 1, added + 2]).filter((f) => !NOISE.has(f.ruleId) || f.ruleId === AGENT_RULE_IDS.mcpServerAdded).map((f) => [f.ruleId, f.line])).toEqual([
      [AGENT_RULE_IDS.mcpServerAdded, added],
    ]);
  });
});

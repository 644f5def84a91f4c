// Threat variants written before the checks and set aside: the checks are not tuned against
// them. They measure how far the checks generalise beyond the cases in agent-config.test.ts.

import { describe, expect, it } from 'vitest';
import { AGENT_RULE_IDS, agentFilesAnalyzer } from '../../../../src/core/analyzers/agent-tooling/agent-files.js';
import { runAnalyzer } from '../../../helpers/analyzers.js';

function ruleIds(path: string, code: string): string[] {
  return runAnalyzer(agentFilesAnalyzer, { path, code })
    .map((f) => f.ruleId)
    .filter((id) => id !== AGENT_RULE_IDS.instructionsChanged && id !== AGENT_RULE_IDS.mcpServerAdded);
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const caught: Array<[string, string, string, string]> = [
  ['skill allowing any shell command', '.claude/skills/release/SKILL.md', '---\nname: release\ndescription: Cut a release\nallowed-tools: [Read, Bash(*)]\n---\nRun the release.\n', AGENT_RULE_IDS.claudeUnrestrictedBash],
  ['Codex profile without sandbox or approvals', '.codex/config.toml', 'model = "o4-mini"\n\n[profiles.fast]\napproval_policy = "never"\nsandbox_mode = "danger-full-access"\n', AGENT_RULE_IDS.autoApproveAll],
  ['Zed terminal always-allow catch-all', '.zed/settings.json', json({ agent: { tool_permissions: { tools: { terminal: { always_allow: [{ pattern: '.*' }] } } } } }), AGENT_RULE_IDS.unrestrictedShell],
  ['Amp Bash allowed for every command', '.amp/settings.json', json({ 'amp.permissions': [{ tool: 'Bash', matches: { cmd: '*' }, action: 'allow' }] }), AGENT_RULE_IDS.unrestrictedShell],
  ['Gemini CLI yolo in a Makefile', 'Makefile', 'fix:\n\tgemini --yolo -p "fix the failing tests"\n', AGENT_RULE_IDS.cliPermissionBypass],
  ['Copilot CLI allowing every tool in a script', 'scripts/agent.sh', '#!/bin/sh\ncopilot -p "triage issues" --allow-all-tools\n', AGENT_RULE_IDS.cliPermissionBypass],
  ['Codex sandbox disabled on the command line', 'scripts/review.sh', 'codex exec -s danger-full-access "review the diff"\n', AGENT_RULE_IDS.cliPermissionBypass],
  ['literal API key in a Cursor MCP env', '.cursor/mcp.json', json({ mcpServers: { stripe: { command: 'npx', args: ['-y', '@stripe/mcp@0.2.4'], env: { STRIPE_SECRET_KEY: 'sk_live_51HxYzAbCdEfGhIjKlMnOpQrStUv' } } } }), AGENT_RULE_IDS.mcpLiteralCredential],
  ['literal token in Codex http_headers', '.codex/config.toml', '[mcp_servers.docs]\nurl = "https://mcp.example.com/mcp"\nhttp_headers = { "X-Api-Key" = "a8f3c2e9b7d14f6a9c0e2b4d6f8a1c3e" }\n', AGENT_RULE_IDS.mcpLiteralCredential],
  ['Continue MCP block file with an unpinned server', '.continue/mcpServers/browser.yaml', 'name: Browser\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: Playwright\n    command: npx\n    args:\n      - "@playwright/mcp@latest"\n', AGENT_RULE_IDS.mcpUnpinned],
  ['Zed custom context server, newer form, unpinned', '.zed/settings.json', json({ context_servers: { fetch: { source: 'custom', command: 'uvx', args: ['mcp-server-fetch'] } } }), AGENT_RULE_IDS.mcpUnpinned],
  ['mcp-remote bridging to a plain-http server', '.mcp.json', json({ mcpServers: { remote: { command: 'npx', args: ['-y', 'mcp-remote@0.1.29', 'http://mcp.internal.example.com/sse'] } } }), AGENT_RULE_IDS.mcpInsecureUrl],
];

const quiet: Array<[string, string, string]> = [
  ['Zed narrow terminal allow-list', '.zed/settings.json', json({ agent: { tool_permissions: { tools: { terminal: { always_allow: [{ pattern: '^cargo\\s+(build|test)' }] } } } } })],
  ['Roo narrow allowed commands', '.vscode/settings.json', json({ 'roo-cline.allowedCommands': ['npm test', 'git log', 'git diff'] })],
  ['README telling users about the bypass flag', 'README.md', '# Usage\n\nRun `claude --dangerously-skip-permissions` only inside a disposable container.\n'],
  ['placeholder API key in an MCP env', '.vscode/mcp.json', json({ servers: { brave: { command: 'npx', args: ['-y', '@brave/brave-search-mcp-server@2.0.10'], env: { BRAVE_API_KEY: '<your-api-key>' } } } })],
];

describe('agent config held-back variants', () => {
  for (const [name, path, code, rule] of caught) {
    it(`catches: ${name}`, () => {
      expect(ruleIds(path, code)).toContain(rule);
    });
  }
  for (const [name, path, code] of quiet) {
    it(`stays quiet: ${name}`, () => {
      expect(ruleIds(path, code)).toEqual([]);
    });
  }
});

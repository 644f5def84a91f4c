// Mechanical fixes: the replacement of a finding's lines, or the need the shell resolves.
import { describe, expect, it } from 'vitest';
import { ANALYZERS } from '../../src/core/analyzers/index.js';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { mechanicalFix } from '../../src/core/fixes.js';
import type { Finding } from '../../src/core/model.js';
import { review } from '../../src/core/review.js';
import { buildCatalog } from '../../src/core/rules/catalog.js';
import { NO_DATA } from '../helpers/analyzers.js';
import { changeSetOf } from '../helpers/changeset.js';
import { finding } from './render/fixture.js';

const at = (ruleId: string, line: number, endLine = line): Finding => ({ ...finding(ruleId, 'f', line), endLine });
const fixOf = (ruleId: string, text: string, line = 1, endLine = line) => mechanicalFix(text.split('\n'), at(ruleId, line, endLine), undefined);

describe('hidden Unicode', () => {
  it('strips what the analyzer reports and keeps legitimate joiners', () => {
    expect(fixOf('unicode.bidi-control', 'if (role != "user\u202E \u2066// admin\u2069 \u2066") {')?.replacement).toBe('if (role != "user // admin ") {');
    expect(fixOf('unicode.zero-width', 'const ad\u200Bmin = 1; // 👩\u200D💻')?.replacement).toBe('const admin = 1; // 👩\u200D💻');
    expect(fixOf('unicode.tag-characters', `# note${String.fromCodePoint(0xe0069, 0xe0067, 0xe006e)}`)?.replacement).toBe('# note');
    expect(fixOf('unicode.hidden-in-agent-instructions', 'a\u200Bb\nc\u202Ed', 1, 2)?.replacement).toBe('ab\ncd');
    expect(fixOf('unicode.zero-width', 'plain line')).toBeNull();
  });
});

describe('agent settings that turn confirmations off', () => {
  it('removes a lone "defaultMode": "bypassPermissions" entry, or sets the last one back to default', () => {
    expect(fixOf('agent.claude-bypass-permissions', '    "defaultMode": "bypassPermissions",')).toMatchObject({ replacement: '' });
    expect(fixOf('agent.claude-bypass-permissions', '    "defaultMode": "bypassPermissions"')?.replacement).toBe('    "defaultMode": "default"');
    expect(fixOf('agent.claude-bypass-permissions', '  "permissions": { "defaultMode": "bypassPermissions", "allow": [] },')).toBeNull();
  });

  it('removes a lone auto-approval line, and nothing shared with other settings', () => {
    expect(fixOf('agent.vscode-chat-auto-approve', '  "chat.tools.autoApprove": true,')?.replacement).toBe('');
    expect(fixOf('agent.gemini-auto-accept', '  "autoAccept": true')).toBeNull();
  });

  it('drops the bypass flag of an AI CLI, leaving the rest of the command', () => {
    expect(fixOf('workflow.ai-cli-bypass', '      - run: claude --dangerously-skip-permissions -p "fix the tests"')?.replacement).toBe('      - run: claude -p "fix the tests"');
    expect(fixOf('workflow.ai-cli-bypass', '        gemini --yolo --prompt "$P"')?.replacement).toBe('        gemini --prompt "$P"');
    expect(fixOf('workflow.ai-cli-bypass', '        codex exec --full-auto "x"')).toBeNull();
  });
});

describe('actions pinned by tag', () => {
  it('declares the tag whose commit the shell must find, keeping the line around it', () => {
    expect(fixOf('workflow.unpinned-action', '      - uses: tj-actions/changed-files@v45 # changed')).toMatchObject({
      needs: { kind: 'action-commit', repository: 'tj-actions/changed-files', ref: 'v45', prefix: '      - uses: tj-actions/changed-files@', suffix: ' # changed' },
    });
    expect(fixOf('workflow.unpinned-first-party-action', "        uses: 'github/codeql-action/init@v3'")?.needs).toMatchObject({
      repository: 'github/codeql-action',
      prefix: "        uses: 'github/codeql-action/init@",
      suffix: "'",
    });
    expect(fixOf('workflow.unpinned-action', '      - uses: docker://alpine:3')).toBeNull();
    expect(fixOf('workflow.unpinned-action', '      - uses: owner/action')).toBeNull();
    expect(fixOf('workflow.unpinned-action', '      - uses: ./local')).toBeNull();
  });
});

describe('shell=True to an argument list', () => {
  const rule = 'py.injection.subprocess-shell';
  it('rewrites an f-string of whole-word placeholders and a literal plus a name', () => {
    expect(fixOf(rule, '    subprocess.run(f"tar -xf {archive} -C {dest}", shell=True, check=True)')?.replacement).toBe(
      '    subprocess.run(["tar", "-xf", archive, "-C", dest], check=True)',
    );
    expect(fixOf(rule, 'out = sp.check_output("git log " + ref, shell=True, text=True)')?.replacement).toBe('out = sp.check_output(["git", "log", ref], text=True)');
    expect(fixOf(rule, 'subprocess.call(f"convert --size={size} {src.path}", shell=True)')?.replacement).toBe('subprocess.call(["convert", f"--size={size}", src.path])');
  });

  it('leaves commands with shell syntax, or not on one line, as advice', () => {
    expect(fixOf(rule, 'subprocess.run(f"tar -xf {archive} && rm {archive}", shell=True)')).toBeNull();
    expect(fixOf(rule, 'subprocess.run(f"cat {path} | grep x", shell=True)')).toBeNull();
    expect(fixOf(rule, 'subprocess.run(f"echo {x!r}", shell=True)')).toBeNull();
    expect(fixOf(rule, 'subprocess.run("ls " + a + b, shell=True)')).toBeNull();
    expect(fixOf(rule, 'subprocess.run(cmd, shell=True)')).toBeNull();
    expect(fixOf(rule, 'subprocess.run(f"LANG=C sort {path}", shell=True)')).toBeNull();
    expect(fixOf(rule, 'p = subprocess.Popen(\n    cmd,\n    shell=True,\n)', 1, 4)).toBeNull();
  });
});

describe('in a review', () => {
  it('attaches replacements to the findings of the engine, and needs where GitHub must be asked', async () => {
    const catalog = buildCatalog([], [...ANALYZERS]);
    const report = await review({
      changeSet: changeSetOf([
        { path: 'src/auth.ts', code: 'const isAdmin = role === "user\u202E";\n' },
        { path: '.github/workflows/ci.yml', code: 'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: tj-actions/changed-files@v45\n' },
      ]),
      facts: { author: 'a', authorType: 'User', labels: [], title: 't', body: '', headBranch: 'x', commits: [] },
      config: DEFAULT_CONFIG,
      catalog,
      data: NO_DATA,
      tool: { name: 'airlock', version: 'test' },
      forceReview: true,
    });
    const bidi = report.result.findings.find((f) => f.ruleId === 'unicode.bidi-control');
    expect(bidi?.fix?.replacement).toBe('const isAdmin = role === "user";');
    const pin = report.result.findings.find((f) => f.ruleId === 'workflow.unpinned-action');
    expect(pin?.fix?.needs?.ref).toBe('v45');
    expect(pin?.fix?.replacement).toBeUndefined();
  });
});

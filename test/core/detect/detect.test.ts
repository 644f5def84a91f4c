import { describe, expect, it } from 'vitest';
import { AGENTS, NOT_AI_ACCOUNTS } from '../../../src/core/detect/agents.js';
import { detectAuthorship, matchesGlob } from '../../../src/core/detect/detect.js';
import type { CommitFacts, PullRequestFacts } from '../../../src/core/model.js';

// ---- fixtures: a human PR, and helpers to change one thing about it ----

const SHA = '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
const SHORT = 'commit 1a2b3c4';

function commit(overrides: Partial<CommitFacts> = {}): CommitFacts {
  return {
    sha: SHA,
    authorName: 'Ann Example',
    authorEmail: 'ann@example.com',
    authorLogin: 'ann',
    committerName: 'Ann Example',
    committerEmail: 'ann@example.com',
    committerLogin: 'ann',
    message: 'Fix login redirect\n\nThe redirect lost the query string.\n',
    ...overrides,
  };
}

function pr(overrides: Partial<PullRequestFacts> = {}): PullRequestFacts {
  return {
    author: 'ann',
    authorType: 'User',
    labels: [],
    title: 'Fix login redirect',
    body: 'The redirect lost the query string. Fixes #12.',
    headBranch: 'fix-login-redirect',
    commits: [commit()],
    ...overrides,
  };
}

/** A PR by a human whose only commit carries `message`. */
function withMessage(message: string): Partial<PullRequestFacts> {
  return { commits: [commit({ message })] };
}

/** A PR by a human whose only commit has this author (committer unchanged). */
function withCommitAuthor(authorName: string, authorEmail: string, authorLogin: string | null = null): Partial<PullRequestFacts> {
  return { commits: [commit({ authorName, authorEmail, authorLogin })] };
}

// ---- one row per agent per signal kind of THREATS.md table A ----

type SignalKind =
  | 'PR author login'
  | 'commit author login'
  | 'commit author name'
  | 'commit author email'
  | 'co-author trailer'
  | 'other trailer'
  | 'PR body marker'
  | 'commit message marker'
  | 'branch'
  | 'label'
  | 'name suffix'
  | 'subject prefix';

interface PositiveCase {
  agent: string;
  kind: SignalKind;
  facts: Partial<PullRequestFacts>;
  evidence: string;
}

const botLogin = (login: string): PositiveCase['facts'] => ({ author: login, authorType: 'Bot' });

const POSITIVE: PositiveCase[] = [
  // GitHub Copilot coding agent
  { agent: 'GitHub Copilot coding agent', kind: 'PR author login', facts: botLogin('Copilot'), evidence: 'PR author "Copilot"' },
  { agent: 'GitHub Copilot coding agent', kind: 'PR author login', facts: botLogin('copilot-swe-agent[bot]'), evidence: 'PR author "copilot-swe-agent[bot]"' },
  { agent: 'GitHub Copilot coding agent', kind: 'commit author login', facts: withCommitAuthor('Someone', 'someone@example.com', 'Copilot'), evidence: `${SHORT} author login "Copilot"` },
  {
    agent: 'GitHub Copilot coding agent',
    kind: 'commit author name',
    facts: withCommitAuthor('copilot-swe-agent[bot]', 'agent@example.invalid'),
    evidence: `${SHORT} author "copilot-swe-agent[bot] <agent@example.invalid>"`,
  },
  {
    agent: 'GitHub Copilot coding agent',
    kind: 'commit author email',
    facts: withCommitAuthor('copilot-swe-agent[bot]', '198982749+Copilot@users.noreply.github.com'),
    evidence: `${SHORT} author "copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>"`,
  },
  {
    agent: 'GitHub Copilot coding agent',
    kind: 'co-author trailer',
    facts: withMessage('Refactor session store\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>\n'),
    evidence: `${SHORT} trailer "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>"`,
  },
  { agent: 'GitHub Copilot coding agent', kind: 'branch', facts: { headBranch: 'copilot/fix-login-redirect' }, evidence: 'branch "copilot/fix-login-redirect"' },

  // OpenAI Codex
  {
    agent: 'OpenAI Codex',
    kind: 'PR body marker',
    facts: { body: '## Summary\n- fix redirect\n\n------\nhttps://chatgpt.com/codex/tasks/task_e_68a1b2c3d4e5' },
    evidence: 'PR body marker "https://chatgpt.com/codex/tasks/task_…"',
  },
  { agent: 'OpenAI Codex', kind: 'branch', facts: { headBranch: 'codex/fix-login' }, evidence: 'branch "codex/fix-login"' },
  { agent: 'OpenAI Codex', kind: 'label', facts: { labels: ['bug', 'codex'] }, evidence: 'label "codex"' },

  // Devin
  { agent: 'Devin', kind: 'PR author login', facts: botLogin('devin-ai-integration[bot]'), evidence: 'PR author "devin-ai-integration[bot]"' },
  {
    agent: 'Devin',
    kind: 'PR author login',
    // Some APIs drop the "[bot]" suffix from app logins; the account type tells.
    facts: botLogin('devin-ai-integration'),
    evidence: 'PR author "devin-ai-integration"',
  },
  {
    agent: 'Devin',
    kind: 'commit author login',
    facts: withCommitAuthor('Someone', 'someone@example.com', 'devin-ai-integration[bot]'),
    evidence: `${SHORT} author login "devin-ai-integration[bot]"`,
  },
  {
    agent: 'Devin',
    kind: 'commit author name',
    facts: withCommitAuthor('devin-ai-integration[bot]', 'devin@example.invalid'),
    evidence: `${SHORT} author "devin-ai-integration[bot] <devin@example.invalid>"`,
  },
  {
    agent: 'Devin',
    kind: 'commit author email',
    facts: withCommitAuthor('Devin AI', '158243242+devin-ai-integration[bot]@users.noreply.github.com'),
    evidence: `${SHORT} author "Devin AI <158243242+devin-ai-integration[bot]@users.noreply.github.com>"`,
  },
  {
    agent: 'Devin',
    kind: 'co-author trailer',
    facts: withMessage('Fix login\n\nCo-Authored-By: Devin <158243242+devin-ai-integration[bot]@users.noreply.github.com>'),
    evidence: `${SHORT} trailer "Co-Authored-By: Devin <158243242+devin-ai-integration[bot]@users.noreply.github.com>"`,
  },
  {
    agent: 'Devin',
    kind: 'PR body marker',
    facts: { body: 'Link to Devin run: https://app.devin.ai/sessions/0a1b2c3d4e5f\nRequested by: Ann' },
    evidence: 'PR body marker "https://app.devin.ai/sessions/…"',
  },
  { agent: 'Devin', kind: 'branch', facts: { headBranch: 'devin/1718900000-fix-login' }, evidence: 'branch "devin/1718900000-fix-login"' },

  // Google Jules
  { agent: 'Google Jules', kind: 'PR author login', facts: botLogin('google-labs-jules[bot]'), evidence: 'PR author "google-labs-jules[bot]"' },
  {
    agent: 'Google Jules',
    kind: 'commit author name',
    facts: withCommitAuthor('google-labs-jules[bot]', 'jules@example.invalid'),
    evidence: `${SHORT} author "google-labs-jules[bot] <jules@example.invalid>"`,
  },
  {
    agent: 'Google Jules',
    kind: 'commit author email',
    facts: withCommitAuthor('Jules', '161369871+google-labs-jules[bot]@users.noreply.github.com'),
    evidence: `${SHORT} author "Jules <161369871+google-labs-jules[bot]@users.noreply.github.com>"`,
  },
  {
    agent: 'Google Jules',
    kind: 'PR body marker',
    facts: { body: 'Task link: https://jules.google.com/task/1234567890' },
    evidence: 'PR body marker "https://jules.google.com/task/…"',
  },
  {
    agent: 'Google Jules',
    kind: 'PR body marker',
    facts: { body: 'PR created automatically by Jules for task 1234567890 started by @ann' },
    evidence: 'PR body marker "PR created automatically by Jules for task"',
  },

  // Cursor agent
  {
    agent: 'Cursor agent',
    kind: 'commit author email',
    facts: withCommitAuthor('Cursor Agent', 'cursoragent@cursor.com'),
    evidence: `${SHORT} author "Cursor Agent <cursoragent@cursor.com>"`,
  },
  {
    agent: 'Cursor agent',
    kind: 'commit author name',
    facts: withCommitAuthor('Cursor Agent', 'agent@example.invalid'),
    evidence: `${SHORT} author "Cursor Agent <agent@example.invalid>"`,
  },
  {
    agent: 'Cursor agent',
    kind: 'co-author trailer',
    facts: withMessage('Add retries\n\nCo-authored-by: Cursor <cursoragent@cursor.com>\n'),
    evidence: `${SHORT} trailer "Co-authored-by: Cursor <cursoragent@cursor.com>"`,
  },
  { agent: 'Cursor agent', kind: 'branch', facts: { headBranch: 'cursor/add-retry-logic-7f3a' }, evidence: 'branch "cursor/add-retry-logic-7f3a"' },

  // Claude Code (CLI)
  {
    agent: 'Claude Code',
    kind: 'PR body marker',
    facts: { body: '## Summary\n- fix redirect\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)' },
    evidence: 'PR body marker "Generated with [Claude Code](https://claude.com/claude-code)"',
  },
  {
    agent: 'Claude Code',
    kind: 'PR body marker',
    facts: { body: '## Summary\n- fix redirect\n\n🤖 Generated with [Claude Code](https://claude.ai/code)' },
    evidence: 'PR body marker "Generated with [Claude Code](https://claude.ai/code)"',
  },
  {
    agent: 'Claude Code',
    kind: 'commit message marker',
    facts: withMessage('Fix login\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n'),
    evidence: `${SHORT} message marker "Generated with [Claude Code](https://claude.com/claude-code)"`,
  },
  {
    agent: 'Claude Code',
    kind: 'co-author trailer',
    facts: withMessage('Fix login\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n'),
    evidence: `${SHORT} trailer "Co-Authored-By: Claude <noreply@anthropic.com>"`,
  },
  {
    agent: 'Claude Code',
    kind: 'co-author trailer',
    facts: withMessage('Fix login\n\nco-authored-by: Claude Opus 4.5 <NoReply@Anthropic.com>\n'),
    evidence: `${SHORT} trailer "co-authored-by: Claude Opus 4.5 <NoReply@Anthropic.com>"`,
  },
  {
    agent: 'Claude Code',
    kind: 'other trailer',
    facts: withMessage('Fix login\n\nClaude-Session: https://claude.ai/code/session_01AbCdEf\n'),
    evidence: `${SHORT} trailer "Claude-Session: https://claude.ai/code/session_01AbCdEf"`,
  },

  // claude-code-action
  {
    agent: 'Claude Code GitHub Action',
    kind: 'commit author email',
    facts: withCommitAuthor('claude[bot]', '209825114+claude[bot]@users.noreply.github.com'),
    evidence: `${SHORT} author "claude[bot] <209825114+claude[bot]@users.noreply.github.com>"`,
  },
  {
    agent: 'Claude Code GitHub Action',
    kind: 'branch',
    facts: { headBranch: 'claude/issue-42-20250101-1200' },
    evidence: 'branch "claude/issue-42-20250101-1200"',
  },
  {
    agent: 'Claude Code GitHub Action',
    kind: 'branch',
    facts: { headBranch: 'claude/pr-7-20250101_120000' },
    evidence: 'branch "claude/pr-7-20250101_120000"',
  },
  { agent: 'Claude Code GitHub Action', kind: 'label', facts: { labels: ['Claude'] }, evidence: 'label "Claude"' },

  // Amazon Q Developer
  {
    agent: 'Amazon Q Developer',
    kind: 'commit author email',
    facts: withCommitAuthor('amazon-q-developer[bot]', '208079219+amazon-q-developer[bot]@users.noreply.github.com'),
    evidence: `${SHORT} author "amazon-q-developer[bot] <208079219+amazon-q-developer[bot]@users.noreply.github.com>"`,
  },
  {
    agent: 'Amazon Q Developer',
    kind: 'label',
    facts: { labels: ['Amazon Q development agent'] },
    evidence: 'label "Amazon Q development agent"',
  },

  // Gemini
  {
    agent: 'Gemini CLI',
    kind: 'commit author email',
    facts: withCommitAuthor('gemini-cli[bot]', '218195315+gemini-cli[bot]@users.noreply.github.com'),
    evidence: `${SHORT} author "gemini-cli[bot] <218195315+gemini-cli[bot]@users.noreply.github.com>"`,
  },

  // Aider
  {
    agent: 'Aider',
    kind: 'co-author trailer',
    facts: withMessage('Fix login\n\nCo-authored-by: aider (anthropic/claude-sonnet-4) <noreply@aider.chat>\n'),
    evidence: `${SHORT} trailer "Co-authored-by: aider (anthropic/claude-sonnet-4) <noreply@aider.chat>"`,
  },
  {
    agent: 'Aider',
    kind: 'name suffix',
    facts: withCommitAuthor('Ann Example (aider)', 'ann@example.com'),
    evidence: `${SHORT} author "Ann Example (aider) <ann@example.com>"`,
  },
  {
    agent: 'Aider',
    kind: 'name suffix',
    facts: { commits: [commit({ committerName: 'Ann Example (aider)' })] },
    evidence: `${SHORT} committer "Ann Example (aider) <ann@example.com>"`,
  },
  {
    agent: 'Aider',
    kind: 'subject prefix',
    facts: withMessage('aider: Fix login redirect\n'),
    evidence: `${SHORT} subject "aider: Fix login redirect"`,
  },

  // OpenHands
  {
    agent: 'OpenHands',
    kind: 'commit author email',
    facts: withCommitAuthor('openhands', 'openhands@all-hands.dev'),
    evidence: `${SHORT} author "openhands <openhands@all-hands.dev>"`,
  },
  {
    agent: 'OpenHands',
    kind: 'co-author trailer',
    facts: withMessage('Fix login\n\nCo-authored-by: openhands <openhands@all-hands.dev>'),
    evidence: `${SHORT} trailer "Co-authored-by: openhands <openhands@all-hands.dev>"`,
  },

  { agent: 'OpenHands', kind: 'branch', facts: { headBranch: 'openhands/fix-jupyter-image-output' }, evidence: 'branch "openhands/fix-jupyter-image-output"' },
  { agent: 'OpenHands', kind: 'branch', facts: { headBranch: 'openhands-fix-issue-6531' }, evidence: 'branch "openhands-fix-issue-6531"' },

  // Sourcegraph Amp
  {
    agent: 'Sourcegraph Amp',
    kind: 'co-author trailer',
    facts: withMessage('Fix login\n\nAmp-Thread-ID: https://ampcode.com/threads/T-5f2e\nCo-authored-by: Amp <amp@ampcode.com>'),
    evidence: `${SHORT} trailer "Co-authored-by: Amp <amp@ampcode.com>"`,
  },
  {
    agent: 'Sourcegraph Amp',
    kind: 'other trailer',
    facts: withMessage('Fix login\n\nAmp-Thread-ID: https://ampcode.com/threads/T-5f2e'),
    evidence: `${SHORT} trailer "Amp-Thread-ID: https://ampcode.com/threads/T-5f2e"`,
  },

  // Trailers wherever they stand: squash merges keep every commit's trailers mid-message.
  {
    agent: 'Claude Code',
    kind: 'co-author trailer',
    facts: withMessage('Fix login (#12)\n\n* Fix login\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n\n* Review fixes\n'),
    evidence: `${SHORT} trailer "Co-Authored-By: Claude <noreply@anthropic.com>"`,
  },
  {
    agent: 'Claude Code',
    kind: 'co-author trailer',
    facts: withMessage('Fix login\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n\nMore details follow.\n'),
    evidence: `${SHORT} trailer "Co-Authored-By: Claude <noreply@anthropic.com>"`,
  },
  {
    agent: 'Claude Code',
    kind: 'PR body marker',
    facts: { body: 'Summary of the change.\n\nhttps://claude.ai/code/session_011CUqZqZZH2oNhj3wzzu1g5' },
    evidence: 'PR body marker "https://claude.ai/code/session_…"',
  },
  {
    agent: 'Claude Code',
    kind: 'branch',
    facts: { headBranch: 'claude/fix-login-redirect-011CUqZqZZH2oNhj3wzzu1g5' },
    evidence: 'branch "claude/fix-login-redirect-011CUqZqZZH2oNhj3wzzu1g5"',
  },
  { agent: 'Claude Code', kind: 'branch', facts: { headBranch: 'claude/update-claude-md-6j15w3' }, evidence: 'branch "claude/update-claude-md-6j15w3"' },
  // The action's own shapes win over the general prefix; a malformed one is still a claude/ branch.
  { agent: 'Claude Code', kind: 'branch', facts: { headBranch: 'claude/issue-42' }, evidence: 'branch "claude/issue-42"' },
  {
    agent: 'Claude Code',
    kind: 'commit author email',
    facts: withCommitAuthor('Claude', 'noreply@anthropic.com'),
    evidence: `${SHORT} author "Claude <noreply@anthropic.com>"`,
  },

  // GitHub Copilot Autofix (code scanning and code quality)
  {
    agent: 'GitHub Copilot Autofix',
    kind: 'co-author trailer',
    facts: withMessage(
      'Potential fix for code scanning alert no. 2: Workflow does not contain permissions\n\nCo-authored-by: Copilot Autofix powered by AI <62310815+github-advanced-security[bot]@users.noreply.github.com>',
    ),
    evidence: `${SHORT} trailer "Co-authored-by: Copilot Autofix powered by AI <62310815+github-advanced-security[bot]@users.noreply.github.com>"`,
  },
  {
    agent: 'GitHub Copilot Autofix',
    kind: 'co-author trailer',
    facts: withMessage("Tidy\n\nCo-authored-by: Copilot Autofix powered by AI <223894421+github-code-quality[bot]@users.noreply.github.com>"),
    evidence: `${SHORT} trailer "Co-authored-by: Copilot Autofix powered by AI <223894421+github-code-quality[bot]@users.noreply.github.com>"`,
  },
  {
    agent: 'GitHub Copilot Autofix',
    kind: 'commit author name',
    facts: withMessage('Fix\n\nCo-authored-by: Copilot Autofix powered by AI <175728472+Copilot@users.noreply.github.com>'),
    evidence: `${SHORT} trailer "Co-authored-by: Copilot Autofix powered by AI <175728472+Copilot@users.noreply.github.com>"`,
  },
  {
    agent: 'GitHub Copilot Autofix',
    kind: 'subject prefix',
    facts: withMessage("Potential fix for pull request finding 'Unused variable'\n"),
    evidence: `${SHORT} subject "Potential fix for pull request finding 'Unused variable'"`,
  },
  { agent: 'GitHub Copilot Autofix', kind: 'PR author login', facts: botLogin('github-advanced-security[bot]'), evidence: 'PR author "github-advanced-security[bot]"' },

  // OpenAI Codex CLI and committed Codex review suggestions
  {
    agent: 'OpenAI Codex',
    kind: 'co-author trailer',
    facts: withMessage('Fix login\n\nCo-authored-by: Codex <noreply@openai.com>'),
    evidence: `${SHORT} trailer "Co-authored-by: Codex <noreply@openai.com>"`,
  },
  { agent: 'OpenAI Codex', kind: 'PR author login', facts: botLogin('chatgpt-codex-connector[bot]'), evidence: 'PR author "chatgpt-codex-connector[bot]"' },
  {
    agent: 'OpenAI Codex',
    kind: 'commit author name',
    facts: withMessage('Apply suggestion\n\nCo-authored-by: chatgpt-codex-connector[bot] <199175422+chatgpt-codex-connector[bot]@users.noreply.github.com>'),
    evidence: `${SHORT} trailer "Co-authored-by: chatgpt-codex-connector[bot] <199175422+chatgpt-codex-connector[bot]@users.noreply.github.com>"`,
  },

  // Cursor's newer trailer and PR footer
  { agent: 'Cursor agent', kind: 'other trailer', facts: withMessage('Add retries\n\nMade-with: Cursor'), evidence: `${SHORT} trailer "Made-with: Cursor"` },
  { agent: 'Cursor agent', kind: 'PR body marker', facts: { body: 'Adds retries.\n\nMade with [Cursor](https://cursor.com)' }, evidence: 'PR body marker "Made with [Cursor](https://cursor.com)"' },

  // Qwen Code, opencode, Grok
  {
    agent: 'Qwen Code',
    kind: 'co-author trailer',
    facts: withMessage('Fix login\n\nCo-authored-by: Qwen-Coder <qwen-coder@alibabacloud.com>'),
    evidence: `${SHORT} trailer "Co-authored-by: Qwen-Coder <qwen-coder@alibabacloud.com>"`,
  },
  {
    agent: 'Qwen Code',
    kind: 'commit author name',
    facts: withMessage('Fix login\n\nCo-authored-by: Qwen-Coder'),
    evidence: `${SHORT} trailer "Co-authored-by: Qwen-Coder"`,
  },
  {
    agent: 'opencode',
    kind: 'co-author trailer',
    facts: withMessage('Fix login\n\n🤖 Generated with [opencode](https://opencode.ai)\n\nCo-Authored-By: opencode <noreply@opencode.ai>'),
    evidence: `${SHORT} trailer "Co-Authored-By: opencode <noreply@opencode.ai>"`,
  },
  {
    agent: 'opencode',
    kind: 'PR body marker',
    facts: { body: 'Fix.\n\n🤖 Generated with [opencode](https://opencode.ai)' },
    evidence: 'PR body marker "Generated with [opencode](https://opencode.ai)"',
  },
  { agent: 'Grok', kind: 'co-author trailer', facts: withMessage('Fix\n\nCo-Authored-By: Grok <noreply@x.ai>'), evidence: `${SHORT} trailer "Co-Authored-By: Grok <noreply@x.ai>"` },

  // Aider today, OpenHands by model, Kiro
  {
    agent: 'Aider',
    kind: 'co-author trailer',
    facts: withMessage('Fix login\n\nCo-authored-by: aider (openrouter/qwen/qwen3-coder) <aider@aider.chat>'),
    evidence: `${SHORT} trailer "Co-authored-by: aider (openrouter/qwen/qwen3-coder) <aider@aider.chat>"`,
  },
  {
    agent: 'OpenHands',
    kind: 'co-author trailer',
    facts: withMessage('Fix login\n\nCo-authored-by: OpenHands-GPT-5 openhands@all-hands.dev'),
    evidence: `${SHORT} trailer "Co-authored-by: OpenHands-GPT-5 openhands@all-hands.dev"`,
  },
  {
    agent: 'Kiro',
    kind: 'commit author email',
    facts: withCommitAuthor('Kiro Agent', '244629292+kiro-agent@users.noreply.github.com'),
    evidence: `${SHORT} author "Kiro Agent <244629292+kiro-agent@users.noreply.github.com>"`,
  },

  // An agent as committer only: it applied or rebased the change.
  {
    agent: 'OpenHands',
    kind: 'commit author email',
    facts: { commits: [commit({ committerName: 'openhands', committerEmail: 'openhands@all-hands.dev', committerLogin: null })] },
    evidence: `${SHORT} committer "openhands <openhands@all-hands.dev>"`,
  },

  { agent: 'Cosine', kind: 'co-author trailer', facts: withMessage('Harden CLI\n\nCo-authored-by: Cosine <agent@cosine.sh>'), evidence: `${SHORT} trailer "Co-authored-by: Cosine <agent@cosine.sh>"` },

  // Review bots' suggestions committed from the PR page.
  ...(
    [
      ['CodeRabbit', 'coderabbitai[bot]', '136622811'],
      ['Gemini Code Assist', 'gemini-code-assist[bot]', '176961590'],
      ['Greptile', 'greptile-apps[bot]', '165735046'],
      ['Sourcery', 'sourcery-ai[bot]', '58596630'],
    ] as const
  ).map(([agent, login, id]): PositiveCase => ({
    agent,
    kind: 'co-author trailer',
    facts: withMessage(`Apply suggestions from code review\n\nCo-authored-by: ${login} <${id}+${login}@users.noreply.github.com>`),
    evidence: `${SHORT} trailer "Co-authored-by: ${login} <${id}+${login}@users.noreply.github.com>"`,
  })),

  // Replit
  {
    agent: 'Replit Agent',
    kind: 'other trailer',
    facts: withMessage('Add landing page\n\nReplit-Commit-Author: Agent\nReplit-Commit-Session-Id: 1b2c'),
    evidence: `${SHORT} trailer "Replit-Commit-Author: Agent"`,
  },

  // Bot accounts: as PR author, commit author login, name and noreply email.
  ...(
    [
      ['Claude Code GitHub Action', 'claude[bot]'],
      ['Amazon Q Developer', 'amazon-q-developer[bot]'],
      ['Gemini CLI', 'gemini-cli[bot]'],
      ['Sweep', 'sweep-ai[bot]'],
      ['Codegen', 'codegen-sh[bot]'],
      ['Factory Droid', 'factory-droid[bot]'],
      ['Lovable', 'lovable-dev[bot]'],
      ['GPT Engineer', 'gpt-engineer-app[bot]'],
      ['Kiro', 'kiro-agent[bot]'],
      ['CodeRabbit', 'coderabbitai[bot]'],
      ['Gemini Code Assist', 'gemini-code-assist[bot]'],
      ['Greptile', 'greptile-apps[bot]'],
      ['Sourcery', 'sourcery-ai[bot]'],
      ['opencode', 'opencode-agent[bot]'],
      ['Tembo', 'tembo[bot]'],
      ['Mentat', 'mentatbot[bot]'],
      ['v0', 'v0[bot]'],
    ] as const
  ).flatMap(([agent, login]): PositiveCase[] => [
    { agent, kind: 'PR author login', facts: botLogin(login), evidence: `PR author "${login}"` },
    {
      agent,
      kind: 'commit author login',
      facts: withCommitAuthor('Someone', 'someone@example.com', login),
      evidence: `${SHORT} author login "${login}"`,
    },
    {
      agent,
      kind: 'commit author name',
      facts: withCommitAuthor(login, 'bot@example.invalid'),
      evidence: `${SHORT} author "${login} <bot@example.invalid>"`,
    },
    {
      agent,
      kind: 'commit author email',
      facts: withCommitAuthor(login, `12345+${login}@users.noreply.github.com`),
      evidence: `${SHORT} author "${login} <12345+${login}@users.noreply.github.com>"`,
    },
  ]),
];

describe('detectAuthorship: each agent, each signal', () => {
  it.each(POSITIVE)('$agent by $kind: $evidence', ({ agent, facts, evidence }) => {
    const result = detectAuthorship(pr(facts));
    expect(result.ai).toBe(true);
    expect(result.agent).toBe(agent);
    expect(result.evidence).toContain(evidence);
  });

  it('the table above covers every agent and every kind of signal it has', () => {
    const kindsOf = (a: (typeof AGENTS)[number]): SignalKind[] => [
      ...(a.logins.length ? (['PR author login'] as const) : []),
      ...(a.names.length ? (['commit author name'] as const) : []),
      ...(a.emails.length || a.emailSuffixes.length ? (['commit author email'] as const) : []),
      ...(a.trailers.length ? (['other trailer'] as const) : []),
      ...(a.markers.length ? (['PR body marker'] as const) : []),
      ...(a.branches.length ? (['branch'] as const) : []),
      ...(a.labels.length ? (['label'] as const) : []),
      ...(a.nameSuffixes.length ? (['name suffix'] as const) : []),
      ...(a.subjectPrefixes.length ? (['subject prefix'] as const) : []),
    ];
    const missing: string[] = [];
    for (const a of AGENTS) {
      for (const kind of kindsOf(a)) {
        // An email-only agent shows its email either as commit author or as co-author.
        const alternatives: SignalKind[] = kind === 'commit author email' ? [kind, 'co-author trailer'] : [kind];
        if (!POSITIVE.some((c) => c.agent === a.name && alternatives.includes(c.kind))) missing.push(`${a.name}: ${kind}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every exact string of the agent table is recognised in its place', () => {
    for (const a of AGENTS) {
      for (const login of a.logins) expect(detectAuthorship(pr(botLogin(login))).agent, login).toBe(a.name);
      for (const email of a.emails) expect(detectAuthorship(pr(withCommitAuthor('X', email))).agent, email).toBe(a.name);
      for (const suffix of a.emailSuffixes) expect(detectAuthorship(pr(withCommitAuthor('X', `1${suffix}`))).agent, suffix).toBe(a.name);
      for (const label of a.labels) expect(detectAuthorship(pr({ labels: [label] })).agent, label).toBe(a.name);
      for (const marker of a.markers) expect(detectAuthorship(pr({ body: `x ${marker.text}abc` })).agent, marker.text).toBe(a.name);
    }
  });
});

describe('detectAuthorship: Copilot "Initial plan"', () => {
  it('supports a Copilot identification', () => {
    const result = detectAuthorship(
      pr({ headBranch: 'copilot/fix-login', commits: [commit({ message: 'Initial plan' }), commit({ sha: 'ffff000', message: 'Fix login' })] }),
    );
    expect(result.agent).toBe('GitHub Copilot coding agent');
    expect(result.evidence).toEqual(['branch "copilot/fix-login"', `${SHORT} subject "Initial plan"`]);
  });

  it('is not evidence on its own', () => {
    expect(detectAuthorship(pr(withMessage('Initial plan\n')))).toEqual({ ai: false, agent: null, evidence: [] });
  });

  it('does not support another agent', () => {
    const result = detectAuthorship(pr({ labels: ['codex'], commits: [commit({ message: 'Initial plan' })] }));
    expect(result.evidence).toEqual(['label "codex"']);
  });
});

// ---- things that must not count as AI ----

const NOT_AI: { name: string; facts: Partial<PullRequestFacts> }[] = [
  {
    name: 'dependabot[bot]',
    facts: {
      author: 'dependabot[bot]',
      authorType: 'Bot',
      headBranch: 'dependabot/npm_and_yarn/lodash-4.17.21',
      body: 'Bumps [lodash](https://github.com/lodash/lodash) from 4.17.20 to 4.17.21.',
      commits: [
        commit({
          authorName: 'dependabot[bot]',
          authorEmail: '49699333+dependabot[bot]@users.noreply.github.com',
          authorLogin: 'dependabot[bot]',
          message: 'Bump lodash from 4.17.20 to 4.17.21\n\nSigned-off-by: dependabot[bot] <support@github.com>\n',
        }),
      ],
    },
  },
  {
    name: 'renovate[bot]',
    facts: {
      author: 'renovate[bot]',
      authorType: 'Bot',
      headBranch: 'renovate/lodash-4.x',
      commits: [commit({ authorName: 'renovate[bot]', authorEmail: '29139614+renovate[bot]@users.noreply.github.com', authorLogin: 'renovate[bot]' })],
    },
  },
  {
    name: 'github-actions[bot]',
    facts: {
      author: 'github-actions[bot]',
      authorType: 'Bot',
      commits: [commit({ authorName: 'github-actions[bot]', authorEmail: '41898282+github-actions[bot]@users.noreply.github.com' })],
    },
  },
  { name: 'a release bot', facts: { author: 'release-please[bot]', authorType: 'Bot', headBranch: 'release-please--branches--main' } },
  { name: 'a release bot without app suffix', facts: { author: 'semantic-release-bot', authorType: 'User' } },
  {
    name: 'Bugbot summary on a human PR',
    facts: {
      body:
        'Fixes the redirect.\n\n<!-- CURSOR_SUMMARY -->\n---\n\n> [!NOTE]\n> Preserves the query string on login redirect.\n\n' +
        '<sup>Written by [Cursor Bugbot](https://cursor.com/dashboard?tab=bugbot) for commit 1a2b3c4. This will update automatically on new commits.</sup>\n' +
        '<!-- /CURSOR_SUMMARY -->',
    },
  },
  {
    name: 'human prose mentioning agents in title and body',
    facts: {
      title: 'Make retries work like Claude suggested',
      body:
        'I wrote this with help from ChatGPT, then Copilot autocompleted the tests. Claude Code generated a first draft that I rewrote; ' +
        'Devin and Jules were not involved. Tried https://claude.ai/code and https://chatgpt.com/share/abc too. Co-Authored-By: Claude <noreply@anthropic.com>',
    },
  },
  { name: 'a human co-author named Claude', facts: withMessage('Fix login\n\nCo-authored-by: Claude Martin <claude.martin@example.com>\n') },
  { name: 'a commit author named Claude', facts: withCommitAuthor('Claude', 'claude@example.com', 'claude') },
  {
    name: 'a co-author trailer quoted in a message',
    facts: withMessage('Strip agent trailers\n\nThe hook removes lines like\n> Co-Authored-By: Claude <noreply@anthropic.com>\n  Co-authored-by: Cursor <cursoragent@cursor.com>\n'),
  },
  {
    name: 'a co-author trailer in a diff or code block of a message',
    facts: withMessage(
      'Drop the footer\n\n```\nCo-Authored-By: Claude <noreply@anthropic.com>\n```\n\n-Co-authored-by: aider (gpt-4o) <aider@aider.chat>\n+Made-with: Cursor\n',
    ),
  },
  { name: 'a human mentioning the Made-with trailer of another tool', facts: withMessage('Fix\n\nMade-with: love') },
  { name: 'Gemini CLI release bot', facts: withCommitAuthor('gemini-cli-robot', 'gemini-cli-robot@google.com') },
  { name: 'a co-author trailer in the subject line', facts: withMessage('Co-Authored-By: Claude <noreply@anthropic.com>') },
  { name: 'a trailer key inside prose', facts: withMessage('Fix login\n\nThanks to Co-Authored-By: Claude <noreply@anthropic.com> for nothing') },
  { name: 'a Replit trailer naming a human', facts: withMessage('Fix\n\nReplit-Commit-Author: Ann') },
  { name: 'aider mentioned later in the subject', facts: withMessage('Revert "aider: fix"\n') },
  // `ai` and `llm` name the AI feature area in many projects; review-bot labels are not authorship.
  { name: 'labels that only resemble agent labels', facts: { labels: ['codex-review', 'ai', 'llm', 'AI review', 'Amazon Q', 'bot', 'automated'] } },
  {
    name: 'branches that only resemble agent branches',
    facts: { headBranch: 'devin/fix-login' },
  },
  { name: 'claude/ branch with other case', facts: { headBranch: 'Claude/refactor-auth' } },
  { name: 'agent prefix not at the start', facts: { headBranch: 'feature/copilot/fix' } },
  { name: 'a branch about OpenHands, not by it', facts: { headBranch: 'fix-openhands-fix-issue-1' } },
  { name: 'agent prefix with other case (git refs are case-sensitive)', facts: { headBranch: 'Codex/fix' } },
  { name: 'agent name as the whole branch', facts: { headBranch: 'cursor/' } },
  { name: 'human PR author named like an agent but not a bot login', facts: { author: 'devin', authorType: 'User' } },
];

describe('detectAuthorship: not AI', () => {
  it.each(NOT_AI)('$name', ({ facts }) => {
    expect(detectAuthorship(pr(facts))).toEqual({ ai: false, agent: null, evidence: [] });
  });

  it.each(NOT_AI_ACCOUNTS.map((login) => ({ login })))('$login as PR and commit author is not AI', ({ login }) => {
    const facts = pr({ author: login, authorType: 'Bot', commits: [commit({ authorName: login, authorEmail: `1+${login}@users.noreply.github.com`, authorLogin: login })] });
    expect(detectAuthorship(facts).ai).toBe(false);
  });

  it('a PR with no facts at all is not AI', () => {
    expect(detectAuthorship(pr({ author: null, authorType: null, body: '', title: '', headBranch: null, commits: [] }))).toEqual({
      ai: false,
      agent: null,
      evidence: [],
    });
  });
});

// ---- mixed evidence ----

describe('detectAuthorship: mixed evidence', () => {
  it('a human author with a Claude trailer is Claude Code', () => {
    const result = detectAuthorship(pr(withMessage('Fix login\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n')));
    expect(result).toEqual({ ai: true, agent: 'Claude Code', evidence: [`${SHORT} trailer "Co-Authored-By: Claude <noreply@anthropic.com>"`] });
  });

  it('the strongest agent wins and the others are named', () => {
    const result = detectAuthorship(
      pr({
        headBranch: 'codex/fix-login',
        commits: [commit({ message: 'Fix login\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n' })],
      }),
    );
    expect(result.agent).toBe('Claude Code');
    expect(result.evidence).toEqual([
      `${SHORT} trailer "Co-Authored-By: Claude <noreply@anthropic.com>"`,
      'branch "codex/fix-login"',
      'also signals of: OpenAI Codex',
    ]);
  });

  it('more evidence beats a single stronger signal', () => {
    const result = detectAuthorship(
      pr({
        labels: ['codex'],
        headBranch: 'codex/fix-login',
        body: 'https://chatgpt.com/codex/tasks/task_e_1',
        commits: [commit({ authorName: 'Cursor Agent', authorEmail: 'cursoragent@cursor.com' })],
      }),
    );
    expect(result.agent).toBe('OpenAI Codex');
    expect(result.evidence.at(-1)).toBe('also signals of: Cursor agent');
  });

  it('the claude-code-action bot outranks the Claude Code footer it writes', () => {
    const result = detectAuthorship(
      pr({ ...botLogin('claude[bot]'), headBranch: 'claude/issue-3-20250908-0809', body: 'Generated with [Claude Code](https://claude.ai/code)' }),
    );
    expect(result.agent).toBe('Claude Code GitHub Action');
    expect(result.evidence).toEqual([
      'PR author "claude[bot]"',
      'PR body marker "Generated with [Claude Code](https://claude.ai/code)"',
      'branch "claude/issue-3-20250908-0809"',
      'also signals of: Claude Code',
    ]);
  });

  it('on a tie, the earlier agent of the table wins', () => {
    expect(detectAuthorship(pr({ labels: ['claude', 'codex'] })).agent).toBe('OpenAI Codex');
  });

  it('orders evidence by strength: account, trailer or marker, label, branch', () => {
    const result = detectAuthorship(
      pr({
        headBranch: 'devin/1718900000-fix',
        labels: ['codex'],
        body: 'https://app.devin.ai/sessions/abc',
        author: 'devin-ai-integration[bot]',
        authorType: 'Bot',
      }),
    );
    expect(result.evidence).toEqual([
      'PR author "devin-ai-integration[bot]"',
      'PR body marker "https://app.devin.ai/sessions/…"',
      'label "codex"',
      'branch "devin/1718900000-fix"',
      'also signals of: OpenAI Codex',
    ]);
  });

  it('reports a signal repeated across commits once, with a count', () => {
    const commits = ['a1', 'b2', 'c3'].map((sha) =>
      commit({ sha: `${sha}00000000`, message: `Step ${sha}\n\nCo-Authored-By: Claude <noreply@anthropic.com>` }),
    );
    expect(detectAuthorship(pr({ commits })).evidence).toEqual([
      'commit a100000 trailer "Co-Authored-By: Claude <noreply@anthropic.com>" (and 2 more commits)',
    ]);
  });

  it('reports a committer only when it differs from the author', () => {
    const same = commit({ authorName: 'Cursor Agent', authorEmail: 'cursoragent@cursor.com', committerName: 'Cursor Agent', committerEmail: 'cursoragent@cursor.com', authorLogin: null, committerLogin: null });
    expect(detectAuthorship(pr({ commits: [same] })).evidence).toEqual([`${SHORT} author "Cursor Agent <cursoragent@cursor.com>"`]);
  });
});

// ---- configuration ----

describe('detectAuthorship: configured labels, authors and branch patterns', () => {
  const cases: { name: string; facts: Partial<PullRequestFacts>; options: Parameters<typeof detectAuthorship>[1]; evidence: string }[] = [
    { name: 'extra label, any case', facts: { labels: ['Made-By-Bot'] }, options: { extraLabels: ['made-by-bot'] }, evidence: 'label "Made-By-Bot" (configured)' },
    { name: 'common AI label without configuration', facts: { labels: ['AI-Generated'] }, options: {}, evidence: 'label "AI-Generated" (common AI label)' },
    { name: 'common AI label also configured', facts: { labels: ['ai-assisted'] }, options: { extraLabels: ['ai-assisted'] }, evidence: 'label "ai-assisted" (common AI label)' },
    { name: 'extra author as PR author', facts: { author: 'our-agent[bot]', authorType: 'Bot' }, options: { extraAuthors: ['Our-Agent[bot]'] }, evidence: 'PR author "our-agent[bot]" (configured)' },
    {
      name: 'extra author as commit author login',
      facts: withCommitAuthor('Build Agent', 'agent@corp.example', 'our-agent[bot]'),
      options: { extraAuthors: ['our-agent[bot]'] },
      evidence: `${SHORT} author "our-agent[bot]" (configured)`,
    },
    {
      name: 'extra author as commit email',
      facts: withCommitAuthor('Build Agent', 'Agent@Corp.example'),
      options: { extraAuthors: ['agent@corp.example'] },
      evidence: `${SHORT} author "Agent@Corp.example" (configured)`,
    },
    {
      name: 'extra author as co-author',
      facts: withMessage('Fix\n\nCo-authored-by: Build Agent <agent@corp.example>'),
      options: { extraAuthors: ['agent@corp.example'] },
      evidence: `${SHORT} trailer "Co-authored-by: Build Agent <agent@corp.example>" (configured)`,
    },
    { name: 'extra branch pattern', facts: { headBranch: 'ai/fix-login' }, options: { extraBranchPatterns: ['ai/*'] }, evidence: 'branch "ai/fix-login" (configured pattern "ai/*")' },
    { name: 'extra branch pattern with ?', facts: { headBranch: 'bot-7/x' }, options: { extraBranchPatterns: ['nope/*', 'bot-?/*'] }, evidence: 'branch "bot-7/x" (configured pattern "bot-?/*")' },
  ];

  it.each(cases)('$name: AI with no agent named', ({ facts, options, evidence }) => {
    const result = detectAuthorship(pr(facts), options);
    expect(result).toEqual({ ai: true, agent: null, evidence: [evidence] });
  });

  it('configured signals do not fire on other values', () => {
    const options = { extraLabels: ['ai-generated'], extraAuthors: ['our-agent[bot]'], extraBranchPatterns: ['ai/*'] };
    expect(detectAuthorship(pr({ labels: ['ai'], headBranch: 'main/ai/x' }), options).ai).toBe(false);
  });

  it('a specific agent is still named when a configured signal is also present', () => {
    const result = detectAuthorship(pr({ labels: ['ai-generated'], ...withMessage('Fix\n\nCo-Authored-By: Claude <noreply@anthropic.com>') }), {
      extraLabels: ['ai-generated'],
    });
    expect(result.agent).toBe('Claude Code');
    expect(result.evidence).toEqual([`${SHORT} trailer "Co-Authored-By: Claude <noreply@anthropic.com>"`, 'label "ai-generated" (common AI label)']);
  });

  it('a configured label that is also an agent label is reported once, for the agent', () => {
    expect(detectAuthorship(pr({ labels: ['codex'] }), { extraLabels: ['codex'] })).toEqual({ ai: true, agent: 'OpenAI Codex', evidence: ['label "codex"'] });
  });

  const globs: [pattern: string, text: string, matches: boolean][] = [
    ['ai/*', 'ai/x/y', true],
    ['ai/*', 'ai/', true],
    ['ai/*', 'xai/y', false],
    ['*-agent', 'my-agent', true],
    ['*-agent', 'my-agent-2', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['exact', 'exact', true],
    ['*a*a*a*a*a*b', 'a'.repeat(1000), false],
  ];
  it.each(globs)('glob %s on %s → %s', (pattern, text, matches) => {
    expect(matchesGlob(pattern, text)).toBe(matches);
  });
});

// ---- hostile input ----

const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/u;

describe('detectAuthorship: hostile input', () => {
  it('strips controls, bidi and zero-width characters from evidence', () => {
    const result = detectAuthorship(
      pr({
        headBranch: 'codex/fix\u202E\u200Blogin\nInjected: yes\u001b[2J',
        commits: [commit({ sha: '1a2b\u202E3c4d', message: 'Fix\n\nClaude-Session: https://claude.ai/code/session_1\u0007\u2066x' })],
      }),
    );
    expect(result.evidence).toContain('branch "codex/fixlogin Injected: yes[2J"');
    expect(result.evidence).toContain('commit 1a2b3c4 trailer "Claude-Session: https://claude.ai/code/session_1x"');
    for (const line of result.evidence) expect(line).not.toMatch(HIDDEN);
  });

  it('caps long values', () => {
    const result = detectAuthorship(pr({ headBranch: `codex/${'a'.repeat(900)}` }));
    expect(result.evidence).toEqual([`branch "codex/${'a'.repeat(74)}…"`]);
  });

  it('ignores branch names too long to be real', () => {
    expect(detectAuthorship(pr({ headBranch: `codex/${'a'.repeat(5000)}` })).ai).toBe(false);
  });

  it('handles a 5 MB body with the marker at its end', () => {
    const body = `${'lorem ipsum '.repeat(440_000)}\nhttps://chatgpt.com/codex/tasks/task_e_1`;
    expect(body.length).toBeGreaterThan(5_000_000);
    expect(detectAuthorship(pr({ body }))).toEqual({ ai: true, agent: 'OpenAI Codex', evidence: ['PR body marker "https://chatgpt.com/codex/tasks/task_…"'] });
  });

  it('handles a 5 MB body without markers', () => {
    const body = 'Claude '.repeat(800_000);
    expect(detectAuthorship(pr({ body })).ai).toBe(false);
  });

  it('handles megabyte commit messages, one of them with a trailer at the end', () => {
    const huge = 'x'.repeat(2 * 1024 * 1024);
    const result = detectAuthorship(
      pr({
        commits: [
          commit({ message: `Fix\n\n${huge}` }),
          commit({ sha: 'bbbbbbbbbb', message: `Fix\n\n${huge}\n\nAmp-Thread-ID: https://ampcode.com/threads/T-1` }),
          commit({ sha: 'cccccccccc', message: huge }),
        ],
      }),
    );
    expect(result).toEqual({ ai: true, agent: 'Sourcegraph Amp', evidence: ['commit bbbbbbb trailer "Amp-Thread-ID: https://ampcode.com/threads/T-1"'] });
  });

  it('never throws on malformed facts', () => {
    const malformed = {
      author: 42,
      authorType: null,
      labels: [null, 7, 'codex', { name: 'x' }],
      title: undefined,
      body: null,
      headBranch: ['x'],
      commits: [null, 'nope', { sha: null, message: 5 }, commit({ sha: '', message: 'Fix\n\nCo-Authored-By: Claude <noreply@anthropic.com>' })],
    } as unknown as PullRequestFacts;
    const result = detectAuthorship(malformed, {
      extraLabels: [null as unknown as string],
      extraAuthors: 5 as unknown as string[],
      extraBranchPatterns: { '*': true } as unknown as string[],
    });
    expect(result.agent).toBe('Claude Code');
    expect(result.evidence).toContain('commit (no sha) trailer "Co-Authored-By: Claude <noreply@anthropic.com>"');
  });

  it('bounds the number of evidence lines', () => {
    const labels = Array.from({ length: 100 }, (_, i) => `ai-${i}`);
    const result = detectAuthorship(pr({ labels }), { extraLabels: labels });
    expect(result.evidence).toHaveLength(31);
    expect(result.evidence.at(-1)).toBe('… and 70 more signals');
  });
});

describe('commits that were not all read', () => {
  it('examines every commit given, however many', () => {
    const commits = [...Array.from({ length: 5000 }, () => commit()), commit({ message: 'Add x\n\nCo-Authored-By: Claude <noreply@anthropic.com>' })];
    expect(detectAuthorship(pr({ commits }))).toMatchObject({ ai: true, agent: 'Claude Code' });
  });

  it('calls authorship unknown, not human, when no marker was found in the commits read', () => {
    const reason = 'only 3000 of the 4000 commits were read';
    expect(detectAuthorship(pr({ unreadCommits: reason }))).toEqual({ ai: false, agent: null, evidence: [], unknown: reason });
    // A marker among the commits read settles it.
    expect(detectAuthorship(pr({ unreadCommits: reason, labels: ['codex'] }))).not.toHaveProperty('unknown');
  });
});

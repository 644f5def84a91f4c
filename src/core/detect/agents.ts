// The authorship signals of each AI coding agent, as data (THREATS.md table A).
//
// Every string here is an exact marker an agent leaves behind. Matching rules, applied by
// detect.ts:
// - logins, names, emails, email suffixes, trailer keys and labels compare case-insensitively
//   (GitHub and git treat them so);
// - body markers, branch prefixes and subject prefixes compare exactly (they are literal text
//   written by the agent's own tooling).
// A marker means "AI"; its absence proves nothing.

/**
 * A branch prefix; with `digitsThenDash` the prefix must be followed by one or more digits and a
 * `-`. When several prefixes match a branch, only the longest counts (`claude/issue-` over `claude/`).
 */
export interface BranchSignal {
  prefix: string;
  digitsThenDash?: boolean;
}

/** A trailer other than an identity in `Co-authored-by` (those match through `emails`/`names`). */
export interface TrailerSignal {
  /** Trailer key, compared case-insensitively. */
  key: string;
  /** When set, the value must equal this (case-insensitively); otherwise any value counts. */
  value?: string;
}

/** Literal text in a PR body or commit message. */
export interface MarkerSignal {
  text: string;
  /** The marker is the start of a link to a run/task; evidence shows it followed by "…". */
  isLinkPrefix: boolean;
}

export interface AgentSignals {
  /** Canonical name reported as `Authorship.agent`. */
  name: string;
  /** GitHub logins: PR author, commit author/committer login. */
  logins: string[];
  /** Commit author/committer or co-author names. Only names no human would plausibly carry. */
  names: string[];
  /** Suffixes of author/committer/co-author names (Aider appends " (aider)"). Exact case. */
  nameSuffixes: string[];
  /** Exact commit author/committer/co-author emails. */
  emails: string[];
  /** Endings of commit author/committer/co-author emails (GitHub noreply addresses `<id>+<login>@…`). */
  emailSuffixes: string[];
  trailers: TrailerSignal[];
  markers: MarkerSignal[];
  branches: BranchSignal[];
  /** PR labels, compared case-insensitively. */
  labels: string[];
  /** Commit subject prefixes. Exact case. */
  subjectPrefixes: string[];
  /**
   * Commit subjects that only support an identification made by another signal of the same
   * agent (Copilot's "Initial plan"): never evidence on their own.
   */
  supportingSubjects: string[];
}

const NOREPLY = '@users.noreply.github.com';

/**
 * The account signals of a GitHub App bot `<slug>[bot]`: its login, the name git records for
 * it, and its noreply email with or without the numeric id prefix.
 */
function botAccount(slug: string): Pick<AgentSignals, 'logins' | 'names' | 'emails' | 'emailSuffixes'> {
  const login = `${slug}[bot]`;
  return { logins: [login], names: [login], emails: [`${login}${NOREPLY}`], emailSuffixes: [`+${login}${NOREPLY}`] };
}

const NONE: Omit<AgentSignals, 'name'> = {
  logins: [],
  names: [],
  nameSuffixes: [],
  emails: [],
  emailSuffixes: [],
  trailers: [],
  markers: [],
  branches: [],
  labels: [],
  subjectPrefixes: [],
  supportingSubjects: [],
};

function agent(name: string, signals: Partial<Omit<AgentSignals, 'name'>>): AgentSignals {
  return { ...NONE, ...signals, name };
}

function otherBot(name: string, slug: string): AgentSignals {
  return agent(name, botAccount(slug));
}

/** In table order; on a tie in evidence the earlier entry wins. */
export const AGENTS: readonly AgentSignals[] = [
  agent('GitHub Copilot Autofix', {
    // "Commit fix" on a code scanning alert or a code quality finding: the fix is written by
    // Copilot Autofix and co-authored under the app that raised it, as
    // `Copilot Autofix powered by AI <62310815+github-advanced-security[bot]@…>` or
    // `<223894421+github-code-quality[bot]@…>`; older fixes used Copilot's address with this name.
    logins: ['github-advanced-security[bot]', 'github-code-quality[bot]'],
    names: ['Copilot Autofix powered by AI', 'github-advanced-security[bot]', 'github-code-quality[bot]'],
    emails: [`github-advanced-security[bot]${NOREPLY}`, `github-code-quality[bot]${NOREPLY}`],
    emailSuffixes: [`+github-advanced-security[bot]${NOREPLY}`, `+github-code-quality[bot]${NOREPLY}`],
    subjectPrefixes: ['Potential fix for code scanning alert no. ', 'Potential fix for pull request finding'],
  }),
  agent('GitHub Copilot coding agent', {
    // The agent's PR author login is "Copilot"; its commits are authored by
    // `copilot-swe-agent[bot] <…+Copilot@users.noreply.github.com>`. The same noreply address
    // in a `Co-authored-by` trailer comes from editor-side Copilot edits: still AI-assisted.
    logins: ['Copilot', 'copilot-swe-agent[bot]'],
    names: ['copilot-swe-agent[bot]'],
    emails: [`Copilot${NOREPLY}`],
    emailSuffixes: [`+Copilot${NOREPLY}`],
    branches: [{ prefix: 'copilot/' }],
    supportingSubjects: ['Initial plan'],
  }),
  agent('OpenAI Codex', {
    // Codex cloud opens PRs under the human's login. Codex CLI (since February 2026) adds
    // `Co-authored-by: Codex <noreply@openai.com>` through its own prepare-commit-msg hook; the
    // label is configurable, the address is not. `chatgpt-codex-connector[bot]` reviews, and is
    // a co-author only when its suggested change is committed.
    ...botAccount('chatgpt-codex-connector'),
    // `Codex <codex@openai.com>` is the identity Codex cloud and set-ups around the CLI commit as.
    emails: ['noreply@openai.com', 'codex@openai.com', `chatgpt-codex-connector[bot]${NOREPLY}`],
    markers: [{ text: 'https://chatgpt.com/codex/tasks/task_', isLinkPrefix: true }],
    branches: [{ prefix: 'codex/' }],
    labels: ['codex'],
  }),
  agent('Devin', {
    ...botAccount('devin-ai-integration'),
    markers: [{ text: 'https://app.devin.ai/sessions/', isLinkPrefix: true }],
    branches: [{ prefix: 'devin/', digitsThenDash: true }],
  }),
  agent('Google Jules', {
    ...botAccount('google-labs-jules'),
    markers: [
      { text: 'https://jules.google.com/task/', isLinkPrefix: true },
      { text: 'PR created automatically by Jules for task', isLinkPrefix: false },
    ],
  }),
  agent('Cursor agent', {
    // `<!-- CURSOR_SUMMARY -->` is deliberately absent: Bugbot writes it on human PRs too.
    // The CLI and editor agent add `Co-authored-by: Cursor <cursoragent@cursor.com>` and, in
    // newer versions, a `Made-with: Cursor` trailer; PR bodies end "Made with [Cursor](…)".
    names: ['Cursor Agent'],
    emails: ['cursoragent@cursor.com'],
    trailers: [{ key: 'Made-with', value: 'Cursor' }],
    markers: [{ text: 'Made with [Cursor](https://cursor.com)', isLinkPrefix: false }],
    branches: [{ prefix: 'cursor/' }],
  }),
  agent('Claude Code', {
    // Only the email identifies Claude as co-author: "Claude" alone is also a human name.
    // Claude Code on the web commits as author `Claude <noreply@anthropic.com>` and links the
    // session in commits and PR bodies. Its git proxy only accepts pushes to `claude/…` branches
    // (`claude/<slug>-<session id>`, lately `claude/<slug>-<5 or 6 characters>`).
    emails: ['noreply@anthropic.com'],
    trailers: [{ key: 'Claude-Session' }],
    markers: [
      { text: 'Generated with [Claude Code](https://claude.com/claude-code)', isLinkPrefix: false },
      { text: 'Generated with [Claude Code](https://claude.ai/code)', isLinkPrefix: false },
      { text: 'https://claude.ai/code/session_', isLinkPrefix: true },
    ],
    branches: [{ prefix: 'claude/' }],
  }),
  agent('Claude Code GitHub Action', {
    ...botAccount('claude'),
    branches: [
      { prefix: 'claude/issue-', digitsThenDash: true },
      { prefix: 'claude/pr-', digitsThenDash: true },
    ],
    labels: ['claude'],
  }),
  agent('Amazon Q Developer', {
    ...botAccount('amazon-q-developer'),
    labels: ['Amazon Q development agent'],
  }),
  // The run-gemini-cli action commits as `gemini-cli[bot]`; the CLI itself adds no trailer.
  otherBot('Gemini CLI', 'gemini-cli'),
  agent('Qwen Code', {
    // Added to every commit unless `general.gitCoAuthor` is off.
    names: ['Qwen-Coder'],
    emails: ['qwen-coder@alibabacloud.com'],
  }),
  agent('Aider', {
    // `aider (<model>) <aider@aider.chat>` today; `noreply@aider.dev` and `noreply@aider.chat` earlier.
    emails: ['aider@aider.chat', 'noreply@aider.chat', 'noreply@aider.dev'],
    nameSuffixes: [' (aider)'],
    subjectPrefixes: ['aider: '],
  }),
  agent('OpenHands', {
    // Co-author names vary with the model (`OpenHands-Claude`, `OpenHands-GPT-5`); the addresses do not.
    emails: ['openhands@all-hands.dev', 'opendevin@all-hands.dev', 'openhands-claude@all-hands.dev'],
    // The resolver pushes to `openhands-fix-issue-<n>`; agent sessions to `openhands/<slug>`.
    branches: [{ prefix: 'openhands/' }, { prefix: 'openhands-fix-issue-' }],
  }),
  agent('Sourcegraph Amp', {
    emails: ['amp@ampcode.com'],
    trailers: [{ key: 'Amp-Thread-ID' }],
  }),
  otherBot('Sweep', 'sweep-ai'),
  otherBot('Codegen', 'codegen-sh'),
  otherBot('Factory Droid', 'factory-droid'),
  otherBot('Lovable', 'lovable-dev'),
  otherBot('GPT Engineer', 'gpt-engineer-app'),
  agent('Kiro', {
    // Kiro's commits come from a user account, not an app: `Kiro Agent <…+kiro-agent@…>`.
    ...botAccount('kiro-agent'),
    names: ['kiro-agent[bot]', 'Kiro Agent'],
    emailSuffixes: [`+kiro-agent[bot]${NOREPLY}`, `+kiro-agent${NOREPLY}`],
  }),
  agent('opencode', {
    // The CLI's default commit footer; the GitHub action commits as `opencode-agent[bot]`.
    ...botAccount('opencode-agent'),
    emails: [`opencode-agent[bot]${NOREPLY}`, 'noreply@opencode.ai'],
    markers: [{ text: 'Generated with [opencode](https://opencode.ai)', isLinkPrefix: false }],
  }),
  agent('Grok', {
    // xAI's CLI writes no trailer of its own; these are the addresses projects tell agents
    // running Grok models to sign with. No human mail goes through them.
    emails: ['noreply@x.ai', 'grok@x.ai', 'grok-build@x.ai'],
  }),
  otherBot('Tembo', 'tembo'),
  otherBot('Mentat', 'mentatbot'),
  otherBot('v0', 'v0'),
  agent('Cosine', {
    // Cosine's agent co-authors the commits of its pull requests as `Cosine <agent@cosine.sh>`.
    emails: ['agent@cosine.sh'],
  }),
  // Review bots whose suggested changes are committed from the pull request page: the commit is
  // the human's, the lines are the model's, and GitHub records the bot as co-author.
  otherBot('CodeRabbit', 'coderabbitai'),
  otherBot('Gemini Code Assist', 'gemini-code-assist'),
  otherBot('Greptile', 'greptile-apps'),
  otherBot('Sourcery', 'sourcery-ai'),
  agent('Replit Agent', {
    trailers: [{ key: 'Replit-Commit-Author', value: 'Agent' }],
  }),
];

/**
 * Accounts that look automated but do not author code with an AI agent. They carry no signal:
 * this list documents the decision (and the tests hold detect.ts to it).
 */
export const NOT_AI_ACCOUNTS: readonly string[] = [
  'dependabot[bot]',
  'renovate[bot]',
  'github-actions[bot]',
  // Gemini CLI's release bot.
  'gemini-cli-robot',
  // Bugbot reviews; its findings are fixed by whoever owns the PR.
  'cursor[bot]',
];

/**
 * Labels teams put on agent-written pull requests, counted without configuration. Each says
 * "written with AI" and nothing else. Left out: `ai` and `llm` (in many projects the label of
 * the AI feature area), `bot` and `automated` (dependency and release bots), `agent`
 * (the agent component of agent frameworks).
 */
export const COMMON_AI_LABELS: readonly string[] = [
  'ai-generated',
  'ai generated',
  'ai-assisted',
  'ai-authored',
  'ai-pr',
  'generated-by-ai',
  'llm-generated',
  'agent-generated',
  'copilot',
  'claude-code',
  'devin',
  'jules',
  'cursor',
  'aider',
];

// The authorship signals of each AI coding agent, as data (THREATS.md table A).
//
// Every string here is an exact marker an agent leaves behind. Matching rules, applied by
// detect.ts:
// - logins, names, emails, email suffixes, trailer keys and labels compare case-insensitively
//   (GitHub and git treat them so);
// - body markers, branch prefixes and subject prefixes compare exactly (they are literal text
//   written by the agent's own tooling).
// A marker means "AI"; its absence proves nothing.

/** A branch prefix; with `digitsThenDash` the prefix must be followed by one or more digits and a `-`. */
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
    // Codex cloud opens PRs under the human's login; `chatgpt-codex-connector[bot]` only reviews.
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
    names: ['Cursor Agent'],
    emails: ['cursoragent@cursor.com'],
    branches: [{ prefix: 'cursor/' }],
  }),
  agent('Claude Code', {
    // Only the email identifies Claude as co-author: "Claude" alone is also a human name.
    emails: ['noreply@anthropic.com'],
    trailers: [{ key: 'Claude-Session' }],
    markers: [
      { text: 'Generated with [Claude Code](https://claude.com/claude-code)', isLinkPrefix: false },
      { text: 'Generated with [Claude Code](https://claude.ai/code)', isLinkPrefix: false },
    ],
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
  // `gemini-code-assist[bot]` only reviews and is deliberately absent.
  otherBot('Gemini CLI', 'gemini-cli'),
  agent('Aider', {
    emails: ['noreply@aider.chat'],
    nameSuffixes: [' (aider)'],
    subjectPrefixes: ['aider: '],
  }),
  agent('OpenHands', {
    emails: ['openhands@all-hands.dev'],
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
  otherBot('Kiro', 'kiro-agent'),
  otherBot('opencode', 'opencode-agent'),
  otherBot('Tembo', 'tembo'),
  otherBot('Mentat', 'mentatbot'),
  otherBot('v0', 'v0'),
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
  // Reviewers, not authors:
  'chatgpt-codex-connector[bot]',
  'gemini-code-assist[bot]',
  'cursor[bot]',
];

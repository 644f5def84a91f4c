// Authorship detection: was this change written by an AI coding agent, which one, and why do
// we think so. Only exact markers count (agents.ts); prose that merely names an agent does not.

import type { Authorship, CommitFacts, PullRequestFacts } from '../model.js';
import { AGENTS, COMMON_AI_LABELS, type AgentSignals, type BranchSignal } from './agents.js';
import { sanitizeEvidenceText } from './sanitize.js';
import { findTrailerLines, parseTrailers, type Trailer } from './trailers.js';

export { parseTrailers, type Trailer } from './trailers.js';

export interface DetectOptions {
  /** Labels that mark a PR as AI-authored (case-insensitive). */
  extraLabels?: string[];
  /** Logins, emails or names of AI accounts (case-insensitive). */
  extraAuthors?: string[];
  /** Head branch patterns: `*` matches any run of characters (slashes included), `?` one character. */
  extraBranchPatterns?: string[];
}

/**
 * Bounds on how much hostile input is examined. GitHub caps PR bodies at 65,536 characters, so
 * the window only bites on forged or local input; agents write their markers at the start or the
 * end of a text, which the head and tail windows keep. Every commit given is examined: the shells
 * bound how many they read and say so in `unreadCommits`.
 */
const TEXT_WINDOW = 128 * 1024;
const MAX_LABELS = 1000;
const MAX_BRANCH_LENGTH = 1024;
const MAX_EVIDENCE_LINES = 30;

/** How much a signal weighs: an account is stronger than a trailer or marker, a branch is weakest. */
const STRENGTH = {
  account: 4,
  trailer: 3,
  marker: 3,
  subject: 3,
  label: 2,
  branch: 1,
  supporting: 0,
} as const;

interface Signal {
  /** Null for a configured (generic) signal. */
  agent: AgentSignals | null;
  strength: number;
  /** The evidence line, as first seen. */
  text: string;
  /** True when the signal was seen in commits: later sightings are counted, not listed. */
  perCommit: boolean;
  occurrences: number;
  order: number;
}

/** Collects signals, one per distinct (agent, kind, pattern), counting repeats across commits. */
class Evidence {
  private readonly signals = new Map<string, Signal>();

  add(agent: AgentSignals | null, strength: number, key: string, text: string, perCommit = false): void {
    const groupKey = `${agent?.name ?? '(configured)'}\u0000${key}`;
    const existing = this.signals.get(groupKey);
    if (existing) {
      existing.occurrences++;
      return;
    }
    this.signals.set(groupKey, { agent, strength, text, perCommit, occurrences: 1, order: this.signals.size });
  }

  has(agent: AgentSignals): boolean {
    for (const s of this.signals.values()) if (s.agent === agent && s.strength > STRENGTH.supporting) return true;
    return false;
  }

  all(): Signal[] {
    return [...this.signals.values()];
  }
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The strings of a list that may arrive malformed from configuration. */
function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.length > 0) : [];
}

function quote(value: string, maxLength = 80): string {
  return `"${sanitizeEvidenceText(value, maxLength)}"`;
}

function headAndTail(text: string): string[] {
  return text.length <= 2 * TEXT_WINDOW ? [text] : [text.slice(0, TEXT_WINDOW), text.slice(-TEXT_WINDOW)];
}

function shortSha(sha: string): string {
  const short = Array.from(sanitizeEvidenceText(str(sha).slice(0, 64), 64).replace(/…$/, ''))
    .slice(0, 7)
    .join('');
  return short.length > 0 ? `commit ${short}` : 'commit (no sha)';
}

function firstLine(message: string): string {
  const newline = message.indexOf('\n');
  const line = newline < 0 ? message : message.slice(0, newline);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

// ---- lookups built once from the agent table ----

function lowerMap(pick: (agent: AgentSignals) => string[]): Map<string, AgentSignals> {
  const map = new Map<string, AgentSignals>();
  for (const agent of AGENTS) for (const value of pick(agent)) if (!map.has(value.toLowerCase())) map.set(value.toLowerCase(), agent);
  return map;
}

const BY_LOGIN = lowerMap((a) => a.logins);
const BY_NAME = lowerMap((a) => a.names);
const BY_EMAIL = lowerMap((a) => a.emails);
const BY_LABEL = lowerMap((a) => a.labels);
const COMMON_LABELS = new Set(COMMON_AI_LABELS.map((l) => l.toLowerCase()));
const EMAIL_SUFFIXES = AGENTS.flatMap((agent) => agent.emailSuffixes.map((suffix) => ({ agent, suffix: suffix.toLowerCase() })));
const NAME_SUFFIXES = AGENTS.flatMap((agent) => agent.nameSuffixes.map((suffix) => ({ agent, suffix })));

interface IdentityMatch {
  agent: AgentSignals;
  /** What matched, normalized, so repeats across commits group together. */
  key: string;
}

function matchLogin(login: string): IdentityMatch | null {
  const agent = BY_LOGIN.get(login.toLowerCase());
  return agent ? { agent, key: `login:${login.toLowerCase()}` } : null;
}

/** Matches a git identity (commit author/committer or co-author trailer) against the table. */
function matchIdentity(name: string, email: string): IdentityMatch | null {
  const lowerEmail = email.trim().toLowerCase();
  if (lowerEmail.length > 0) {
    const agent = BY_EMAIL.get(lowerEmail);
    if (agent) return { agent, key: `email:${lowerEmail}` };
  }
  // An exact name before an address suffix: Copilot Autofix writes its own name with Copilot's address.
  const trimmedName = name.trim();
  const byName = trimmedName.length > 0 ? BY_NAME.get(trimmedName.toLowerCase()) : undefined;
  if (byName) return { agent: byName, key: `name:${trimmedName.toLowerCase()}` };
  if (lowerEmail.length > 0) {
    for (const { agent: a, suffix } of EMAIL_SUFFIXES) {
      if (lowerEmail.endsWith(suffix)) return { agent: a, key: `email:*${suffix}` };
    }
  }
  if (trimmedName.length > 0) {
    for (const { agent: a, suffix } of NAME_SUFFIXES) {
      if (trimmedName.endsWith(suffix)) return { agent: a, key: `name:*${suffix}` };
    }
  }
  return null;
}

/** Splits `Name <email>` (a co-author trailer value); without brackets the whole value is the name. */
function splitIdentity(value: string): { name: string; email: string } {
  const open = value.lastIndexOf('<');
  if (open < 0) {
    // `Name email@host` without brackets (hand-written trailers): the last word, if an address.
    const trimmed = value.trim();
    const space = trimmed.lastIndexOf(' ');
    const last = trimmed.slice(space + 1);
    if (space > 0 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(last)) return { name: trimmed.slice(0, space).trim(), email: last };
    return { name: trimmed, email: '' };
  }
  const close = value.indexOf('>', open);
  return { name: value.slice(0, open).trim(), email: value.slice(open + 1, close < 0 ? value.length : close).trim() };
}

function formatIdentity(name: string, email: string): string {
  return email.length > 0 ? `${name} <${email}>` : name;
}

// ---- branch patterns ----

function matchesBranchSignal(branch: string, signal: BranchSignal): boolean {
  if (!branch.startsWith(signal.prefix)) return false;
  if (!signal.digitsThenDash) return branch.length > signal.prefix.length;
  let i = signal.prefix.length;
  const digitsStart = i;
  while (i < branch.length && branch.charCodeAt(i) >= 0x30 && branch.charCodeAt(i) <= 0x39) i++;
  return i > digitsStart && branch.charCodeAt(i) === 0x2d;
}

/**
 * Glob match with `*` (any run, slashes included) and `?` (one character). Greedy matching
 * with a single backtrack point: O(pattern × text), never exponential.
 */
export function matchesGlob(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const pc = pattern[p];
    if (pc === '*') {
      starP = p++;
      starT = t;
    } else if (pc !== undefined && (pc === '?' || pc === text[t])) {
      p++;
      t++;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

// ---- the detector ----

function examinePullRequest(facts: PullRequestFacts, evidence: Evidence, options: DetectOptions, configuredAuthors: Set<string>): void {
  const author = str(facts.author);
  if (author.length > 0) {
    let match = matchLogin(author);
    // Some APIs report an app's login without its "[bot]" suffix.
    if (!match && str(facts.authorType).toLowerCase() === 'bot' && !author.toLowerCase().endsWith('[bot]')) {
      match = matchLogin(`${author}[bot]`);
    }
    if (match) evidence.add(match.agent, STRENGTH.account, match.key, `PR author ${quote(author)}`);
    else if (configuredAuthors.has(author.toLowerCase())) {
      evidence.add(null, STRENGTH.account, `author:${author.toLowerCase()}`, `PR author ${quote(author)} (configured)`);
    }
  }

  const configuredLabels = new Set(stringList(options.extraLabels).map((l) => l.trim().toLowerCase()));
  for (const common of COMMON_AI_LABELS) configuredLabels.delete(common);
  const labels = Array.isArray(facts.labels) ? facts.labels.slice(0, MAX_LABELS) : [];
  for (const raw of labels) {
    const label = str(raw).trim();
    if (label.length === 0) continue;
    const agent = BY_LABEL.get(label.toLowerCase());
    if (agent) evidence.add(agent, STRENGTH.label, `label:${label.toLowerCase()}`, `label ${quote(label)}`);
    else if (COMMON_LABELS.has(label.toLowerCase())) {
      evidence.add(null, STRENGTH.label, `label:${label.toLowerCase()}`, `label ${quote(label)} (common AI label)`);
    } else if (configuredLabels.has(label.toLowerCase())) {
      evidence.add(null, STRENGTH.label, `label:${label.toLowerCase()}`, `label ${quote(label)} (configured)`);
    }
  }

  const branch = str(facts.headBranch);
  if (branch.length > 0 && branch.length <= MAX_BRANCH_LENGTH) {
    const matches = AGENTS.flatMap((agent) => agent.branches.filter((signal) => matchesBranchSignal(branch, signal)).map((signal) => ({ agent, signal })));
    const longest = Math.max(0, ...matches.map((m) => m.signal.prefix.length));
    for (const { agent, signal } of matches) {
      if (signal.prefix.length === longest) evidence.add(agent, STRENGTH.branch, `branch:${signal.prefix}`, `branch ${quote(branch)}`);
    }
    if (matches.length === 0) {
      for (const p of stringList(options.extraBranchPatterns)) {
        if (p.length <= MAX_BRANCH_LENGTH && matchesGlob(p, branch)) {
          evidence.add(null, STRENGTH.branch, `branch:${p}`, `branch ${quote(branch)} (configured pattern ${quote(p, 40)})`);
          break;
        }
      }
    }
  }

  for (const part of headAndTail(str(facts.body))) examineMarkers(part, 'PR body', evidence, false);
}

function examineMarkers(text: string, where: string, evidence: Evidence, perCommit: boolean): void {
  for (const agent of AGENTS) {
    for (const marker of agent.markers) {
      if (text.includes(marker.text)) {
        const shown = marker.isLinkPrefix ? `${marker.text}…` : marker.text;
        evidence.add(agent, STRENGTH.marker, `marker:${marker.text}`, `${where} marker "${shown}"`, perCommit);
      }
    }
  }
}

function examineIdentity(
  role: 'author' | 'committer',
  name: string,
  email: string,
  login: string,
  where: string,
  evidence: Evidence,
  configuredAuthors: Set<string>,
): void {
  const byIdentity = matchIdentity(name, email);
  const match = byIdentity ?? (login.length > 0 ? matchLogin(login) : null);
  if (match) {
    const shown = byIdentity ? quote(formatIdentity(name, email), 100) : `login ${quote(login)}`;
    evidence.add(match.agent, STRENGTH.account, `${role}:${match.key}`, `${where} ${role} ${shown}`, true);
    return;
  }
  for (const candidate of [login, email, name]) {
    const lower = candidate.trim().toLowerCase();
    if (lower.length > 0 && configuredAuthors.has(lower)) {
      evidence.add(null, STRENGTH.account, `${role}:${lower}`, `${where} ${role} ${quote(candidate)} (configured)`, true);
      return;
    }
  }
}

/** Keys whose trailers are read wherever they stand in a message, not only in the last paragraph. */
const ANYWHERE_KEYS = new Set(['co-authored-by', ...AGENTS.flatMap((agent) => agent.trailers.map((t) => t.key.toLowerCase()))]);

/** The trailer block of a message plus the agent-related trailer lines elsewhere in it, each once. */
function commitTrailers(message: string): Trailer[] {
  const seen = new Set<string>();
  const trailers: Trailer[] = [];
  for (const trailer of [...parseTrailers(message), ...findTrailerLines(message, ANYWHERE_KEYS)]) {
    const key = `${trailer.key.toLowerCase()}\u0000${trailer.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    trailers.push(trailer);
  }
  return trailers;
}

function examineCommit(commit: CommitFacts, evidence: Evidence, configuredAuthors: Set<string>, supporting: Map<AgentSignals, string>): void {
  const where = shortSha(str(commit.sha));
  const authorName = str(commit.authorName);
  const authorEmail = str(commit.authorEmail);
  const authorLogin = str(commit.authorLogin);
  examineIdentity('author', authorName, authorEmail, authorLogin, where, evidence, configuredAuthors);
  const committerName = str(commit.committerName);
  const committerEmail = str(commit.committerEmail);
  const committerLogin = str(commit.committerLogin);
  const sameAsAuthor =
    committerName === authorName && committerEmail.toLowerCase() === authorEmail.toLowerCase() && committerLogin === authorLogin;
  if (!sameAsAuthor) {
    examineIdentity('committer', committerName, committerEmail, committerLogin, where, evidence, configuredAuthors);
  }

  const message = str(commit.message);
  for (const trailer of commitTrailers(message)) {
    const key = trailer.key.toLowerCase();
    const shown = `${where} trailer ${quote(`${trailer.key}: ${trailer.value}`, 160)}`;
    if (key === 'co-authored-by') {
      const { name, email } = splitIdentity(trailer.value);
      const match = matchIdentity(name, email);
      if (match) evidence.add(match.agent, STRENGTH.trailer, `co-author:${match.key}`, shown, true);
      else {
        const configured = [email, name].find((c) => c.length > 0 && configuredAuthors.has(c.toLowerCase()));
        if (configured !== undefined) evidence.add(null, STRENGTH.trailer, `co-author:${configured.toLowerCase()}`, `${shown} (configured)`, true);
      }
      continue;
    }
    for (const agent of AGENTS) {
      for (const signal of agent.trailers) {
        if (signal.key.toLowerCase() !== key) continue;
        if (signal.value !== undefined && signal.value.toLowerCase() !== trailer.value.toLowerCase()) continue;
        evidence.add(agent, STRENGTH.trailer, `trailer:${key}`, shown, true);
      }
    }
  }

  const subject = firstLine(message.length > TEXT_WINDOW ? message.slice(0, TEXT_WINDOW) : message);
  for (const agent of AGENTS) {
    for (const prefix of agent.subjectPrefixes) {
      if (subject.startsWith(prefix)) {
        evidence.add(agent, STRENGTH.subject, `subject:${prefix}`, `${where} subject ${quote(subject, 60)}`, true);
      }
    }
    for (const supportingSubject of agent.supportingSubjects) {
      if (subject.trim() === supportingSubject && !supporting.has(agent)) {
        supporting.set(agent, `${where} subject ${quote(subject, 60)}`);
      }
    }
  }

  for (const part of headAndTail(message)) examineMarkers(part, `${where} message`, evidence, true);
}

function score(signals: Signal[]): { total: number; strongest: number; occurrences: number } {
  let total = 0;
  let strongest = 0;
  let occurrences = 0;
  for (const s of signals) {
    total += s.strength;
    strongest = Math.max(strongest, s.strength);
    occurrences += s.occurrences;
  }
  return { total, strongest, occurrences };
}

/** Picks the agent with the most weighty evidence; ties go to the stronger single signal, then to more sightings, then to table order. */
function strongestAgent(signals: Signal[]): AgentSignals | null {
  let best: AgentSignals | null = null;
  let bestScore = { total: 0, strongest: 0, occurrences: 0 };
  for (const agent of AGENTS) {
    const own = signals.filter((s) => s.agent === agent);
    if (own.length === 0) continue;
    const candidate = score(own);
    const better =
      best === null ||
      candidate.total > bestScore.total ||
      (candidate.total === bestScore.total &&
        (candidate.strongest > bestScore.strongest ||
          (candidate.strongest === bestScore.strongest && candidate.occurrences > bestScore.occurrences)));
    if (better) {
      best = agent;
      bestScore = candidate;
    }
  }
  return best;
}

function render(signal: Signal): string {
  if (!signal.perCommit || signal.occurrences < 2) return signal.text;
  const more = signal.occurrences - 1;
  return `${signal.text} (and ${more} more commit${more === 1 ? '' : 's'})`;
}

/**
 * Decides whether a change is AI-authored from the PR's and its commits' exact markers, names
 * the strongest agent and lists the evidence, strongest first. Never throws.
 */
export function detectAuthorship(facts: PullRequestFacts, options: DetectOptions = {}): Authorship {
  const evidence = new Evidence();
  const safeFacts: PullRequestFacts = facts ?? { author: null, authorType: null, labels: [], title: '', body: '', headBranch: null, commits: [] };
  const configuredAuthors = new Set(stringList(options?.extraAuthors).map((a) => a.trim().toLowerCase()));

  examinePullRequest(safeFacts, evidence, options ?? {}, configuredAuthors);

  const supporting = new Map<AgentSignals, string>();
  const commits = Array.isArray(safeFacts.commits) ? safeFacts.commits : [];
  for (const commit of commits) {
    if (commit && typeof commit === 'object') examineCommit(commit, evidence, configuredAuthors, supporting);
  }
  // Supporting subjects ("Initial plan") count only for an agent already identified otherwise.
  for (const [agent, text] of supporting) {
    if (evidence.has(agent)) evidence.add(agent, STRENGTH.supporting, 'supporting-subject', text);
  }

  const signals = evidence.all();
  if (signals.length === 0) {
    const unread = sanitizeEvidenceText(str(safeFacts.unreadCommits), 300);
    return unread.length > 0 ? { ai: false, agent: null, evidence: [], unknown: unread } : { ai: false, agent: null, evidence: [] };
  }

  const winner = strongestAgent(signals);
  const ordered = [...signals].sort((a, b) => b.strength - a.strength || a.order - b.order);
  const rendered = [...new Set(ordered.map(render))];
  const lines = rendered.slice(0, MAX_EVIDENCE_LINES);
  if (rendered.length > MAX_EVIDENCE_LINES) lines.push(`… and ${rendered.length - MAX_EVIDENCE_LINES} more signals`);

  const others: string[] = [];
  for (const s of signals) if (s.agent && s.agent !== winner && !others.includes(s.agent.name)) others.push(s.agent.name);
  if (others.length > 0) lines.push(`also signals of: ${others.join(', ')}`);

  return { ai: true, agent: winner?.name ?? null, evidence: lines };
}

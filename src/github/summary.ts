// Everything the app writes on GitHub, as plain text: check run title and summary (the
// core's markdown renderer plus the app's own sections), annotations, inline comment
// bodies and the choice of lines to comment on. Text taken from the pull request goes
// through the renderer's escaping (`mdText`) or `visible`; nothing here calls GitHub.
import { locationsOf, type Finding, type Severity } from '../core/model.js';
import { blocksUnder, heldBackUnder, thresholdFor } from '../core/verdict.js';
import { clip, compareBySeverity, plural, utf8Length, visible } from '../core/render/common.js';
import { fenceFor, mdCode, mdInline, mdText, renderMarkdown } from '../core/render/markdown.js';
import type { Report } from '../core/render/index.js';
import { formatMarker } from './markers.js';
import { ruleDocUrl } from '../core/docs/links.js';
import type { DismissalReason, IgnoredAllowance } from './commands.js';
import { networkFailure } from './network-errors.js';
import type { AcceptedFinding } from './outcome.js';
import { hunkContaining, type Hunk } from './patch.js';

export const CHECK_NAME = 'Airlock';
/** GitHub: 65,535 characters for a check summary, 65,536 for a comment body; stay below. */
export const SUMMARY_LIMIT = 65_000;
export const COMMENT_LIMIT = 60_000;
/** Annotations per check run update (GitHub's limit). */
export const ANNOTATION_BATCH = 50;
/** Annotations per check run; the summary lists everything anyway. */
export const MAX_ANNOTATIONS = 1000;
const TITLE_LIMIT = 200;
const ACCEPTED_ROWS = 30;
/** Line numbers an annotation or inline comment names for the other places of a grouped finding. */
const OTHER_LINES_LISTED = 30;

const SEVERITY_ICON: Record<Severity, string> = { critical: '🔴', high: '🟠', medium: '🟡', low: '🔵', info: '⚪' };

/** One line of the check run's title: the verdict, or why the change was not reviewed. */
export function checkTitle(report: Report, acceptedCount = 0): string {
  if (!report.reviewed) {
    const reason = report.notReviewedReason?.split(';')[0] ?? 'not AI-authored';
    return clip(`Not reviewed: ${reason}`, TITLE_LIMIT);
  }
  if (acceptedCount > 0 && report.result.findings.length === 0 && report.verdict.conclusion === 'success') {
    return clip(`No open findings: ${plural(acceptedCount, 'finding')} accepted by maintainers`, TITLE_LIMIT);
  }
  const accepted = acceptedCount > 0 ? ` (${acceptedCount} accepted by maintainers)` : '';
  return clip(`${report.verdict.title}${accepted}`, TITLE_LIMIT);
}

export interface CommentStats {
  posted: number;
  /** Findings that already have a comment from an earlier push. */
  alreadyCommented: number;
  /** Findings listed only in the summary: over the cap, or on lines outside the diff. */
  listedOnly: number;
  cap: number;
  /** Findings below `comment_on`, listed only in the summary. Absent: none. */
  belowCommentOn?: { count: number; threshold: Severity };
  /** Why inline comments could not be written, when they could not. */
  problem: string | null;
  /** Why each finding listed only in the summary has no inline comment; absent: not known. */
  notPosted?: NotPosted;
}

/** The reasons a new finding got no inline comment on this push, counted. */
export interface NotPosted {
  /** Past `comments.max` for this push. */
  overLimit: number;
  /** No line of the finding is in the diff GitHub shows (GitHub takes inline comments only there). */
  outsideDiff: number;
  /** Another finding of this push already has the comment on that line. */
  sameLine: number;
  /** GitHub refused the comment when it was posted. */
  refused: number;
  /** This commit already has Airlock's review, from an earlier run. */
  earlierReview: number;
}

/** The sentence for each reason that applies: "3 over the limit of 20 inline comments per push (`comments.max`)". */
function notPostedReasons(n: NotPosted, cap: number): string[] {
  const out: string[] = [];
  if (n.overLimit > 0) out.push(`${n.overLimit} over the limit of ${cap} inline comments per push (\`comments.max\`)`);
  if (n.outsideDiff > 0) out.push(`${n.outsideDiff} on lines the diff does not show (GitHub takes inline comments only on them)`);
  if (n.sameLine > 0) out.push(`${n.sameLine} on a line that already has a comment of this push`);
  if (n.refused > 0) out.push(`${n.refused} refused by GitHub when posted`);
  if (n.earlierReview > 0) out.push(`${n.earlierReview} not posted because this commit already has an Airlock review`);
  return out;
}

export interface SummaryExtras {
  accepted: readonly AcceptedFinding[];
  /** Allowances written in comments that do not count. */
  ignored?: readonly IgnoredAllowance[];
  comments: CommentStats | null;
}

const DISMISSAL_LABEL: Record<DismissalReason, string> = {
  'false-positive': 'false positive',
  'accepted-risk': 'accepted risk',
  'used-in-tests': 'used in tests',
};

/** Lists of the app's own sections longer than this are folded into `<details>`, as the report's are. */
const FOLD_OVER = 10;

/** A list (rows starting with `- `) folded under a click when it is long. */
function folded(list: string, count: number, what: string): string {
  return count > FOLD_OVER ? `<details><summary>Show ${what}</summary>\n\n${list}\n</details>\n` : list;
}

function acceptedSection(accepted: readonly AcceptedFinding[]): string {
  if (accepted.length === 0) return '';
  const rows = [...accepted]
    .sort((a, b) => compareBySeverity(a.finding, b.finding))
    .slice(0, ACCEPTED_ROWS)
    .map(
      ({ finding, allowance }) =>
        `- ${SEVERITY_ICON[finding.severity]} ${finding.severity} <code>${mdText(finding.ruleId, 100)}</code> ` +
        `<code>${mdText(`${finding.path}:${finding.line}`, 220)}</code>: accepted by ${mdText(`@${allowance.by}`, 41)}` +
        `${allowance.category ? ` as **${DISMISSAL_LABEL[allowance.category]}**` : ''}` +
        `${allowance.category && allowance.reason === allowance.category ? '' : `: ${mdText(allowance.reason, 300)}`}\n`,
    );
  const more = accepted.length > ACCEPTED_ROWS ? `- … and ${accepted.length - ACCEPTED_ROWS} more\n` : '';
  return `\n### Accepted by maintainers (${accepted.length})\n\nThese findings no longer fail the check.\n\n${folded(rows.join('') + more, accepted.length, `all ${accepted.length}`)}`;
}

function ignoredSection(ignored: readonly IgnoredAllowance[]): string {
  if (ignored.length === 0) return '';
  const rows = ignored
    .slice(0, ACCEPTED_ROWS)
    .map((a) => `- <code>${mdText(a.target, 120)}</code> in comment ${a.commentId} by ${mdText(`@${a.by}`, 41)}: ${mdText(a.reason, 300)}\n`);
  const more = ignored.length > ACCEPTED_ROWS ? `- … and ${ignored.length - ACCEPTED_ROWS} more\n` : '';
  return `\n### Allowances not honoured (${ignored.length})\n\nThese \`/airlock allow\` commands do not count.\n\n${folded(rows.join('') + more, ignored.length, `all ${ignored.length}`)}`;
}

function commentsSection(report: Report, stats: CommentStats | null): string {
  if (!report.reviewed) return '';
  const lines: string[] = [];
  if (stats) {
    const parts: string[] = [];
    if (stats.posted > 0) parts.push(`${plural(stats.posted, 'finding')} commented inline on this push`);
    if (stats.alreadyCommented > 0) parts.push(`${stats.alreadyCommented} already commented on an earlier push`);
    if (stats.belowCommentOn) {
      parts.push(`${stats.belowCommentOn.count} below ${stats.belowCommentOn.threshold} listed only here (\`comment_on: ${stats.belowCommentOn.threshold}\`)`);
    }
    if (stats.listedOnly > 0) {
      const reasons = stats.notPosted ? notPostedReasons(stats.notPosted, stats.cap) : [];
      parts.push(
        reasons.length > 0
          ? `${stats.listedOnly} listed only here: ${reasons.join(', ')}`
          : `${stats.listedOnly} listed only here (over the limit of ${stats.cap} inline comments per push, \`comments.max\`, or outside the lines the diff shows)`,
      );
    }
    if (parts.length > 0) lines.push(`${parts.join('; ')}.`);
    if (stats.problem) lines.push(`Inline comments could not be written: ${mdText(stats.problem, 300)}. The findings above are complete.`);
  }
  if (report.result.findings.length > 0) {
    lines.push(
      'A maintainer can accept a finding by replying `/airlock allow <reason>` in its review thread, or by commenting `/airlock allow <rule-id or fingerprint> <reason>`; ' +
        'fingerprints are in the inline comments and annotations. The reason may start with `false-positive`, `accepted-risk` or `used-in-tests`. `/airlock rescan` reviews again; `/airlock help` lists the commands.',
    );
  }
  return lines.length === 0 ? '' : `\n### Review comments\n\n${lines.join('\n\n')}\n`;
}

function modeSection(report: Report): string {
  if (!report.reviewed || report.verdict.mode !== 'observe') return '';
  return (
    '\n### Observe mode\n\nThis repository runs Airlock with `mode: observe`: findings that would block are reported and commented, ' +
    'and the check concludes neutral instead of failing. Set `mode: enforce` in `.github/airlock.yml` on the default branch to let it block.\n'
  );
}

/** The check run summary: the core's markdown report, then the app's own sections, within GitHub's limit. */
export function checkSummary(report: Report, extras: SummaryExtras): string {
  const tail = modeSection(report) + acceptedSection(extras.accepted) + ignoredSection(extras.ignored ?? []) + commentsSection(report, extras.comments);
  const budget = Math.max(1000, SUMMARY_LIMIT - utf8Length(tail));
  return renderMarkdown(report, { maxChars: budget, accepted: extras.accepted.length }) + tail;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title: string;
  raw_details: string;
}

/** Plain text for annotations: every line made visible, bounded. */
function plainText(text: string, max: number): string {
  return clip(
    text
      .split('\n')
      .map((l) => visible(l.endsWith('\r') ? l.slice(0, -1) : l))
      .join('\n'),
    max,
  );
}

function fixOf(report: Report, finding: Finding): string | null {
  return finding.fix?.description ?? report.rules.find((r) => r.id === finding.ruleId)?.fix ?? null;
}

/** The lines of a grouped finding other than the one it is shown on, as "line 20" or "lines 20, 31 and 2 more"; null when there is none. */
function otherLines(finding: Finding, shownAt: number): string | null {
  const others = [...new Set(locationsOf(finding).map((l) => l.line))].filter((line) => line !== shownAt);
  if (others.length === 0) return null;
  const listed = others.slice(0, OTHER_LINES_LISTED);
  const more = others.length > listed.length ? ` and ${others.length - listed.length} more` : '';
  return `${others.length === 1 ? 'line' : 'lines'} ${listed.join(', ')}${more}`;
}

/** "Also at lines 20, 31 and 42 of this file." for a grouped finding, leaving out the line it is shown on; null when there is none. */
export function otherPlaces(finding: Finding, shownAt: number = finding.line): string | null {
  const lines = otherLines(finding, shownAt);
  return lines ? `The same problem is also at ${lines} of this file.` : null;
}

/**
 * For a grouped finding whose comment carries a suggestion, as markdown: GitHub applies a
 * suggestion to the lines of its comment only (one suggestion per comment, one comment per line
 * range), so the comment says which other lines need the same change, and for an action pin,
 * the commit to pin them to.
 */
export function otherPlacesOfSuggestion(finding: Finding, shownAt: number): string | null {
  const lines = otherLines(finding, shownAt);
  if (!lines) return null;
  const many = lines.startsWith('lines');
  const need = finding.fix?.needs;
  const replacement = finding.fix?.replacement ?? '';
  const sha = need?.kind === 'action-commit' ? /^[0-9a-f]{40}/.exec(replacement.slice(need.prefix.length))?.[0] : undefined;
  const same =
    need && sha
      ? `${many ? 'they use' : 'it uses'} the same ${mdCode(`${need.repository}@${need.ref}`, 200)}: pin ${many ? 'them' : 'it'} to the same commit, ${mdCode(sha, 40)}`
      : `${many ? 'they need' : 'it needs'} the same change`;
  return `**This suggestion changes line ${shownAt} only.** The same problem is also at ${lines} of this file: ${same}.`;
}

/**
 * One annotation per finding, most severe first, at most MAX_ANNOTATIONS. A finding found at
 * several places has one annotation, on its primary line, that names the others: an
 * annotation per place would repeat one problem down the diff, count lines instead of
 * problems in the check's annotation list, and push other findings past the cap.
 */
export function annotationsOf(report: Report): Annotation[] {
  return [...report.result.findings]
    .sort(compareBySeverity)
    .slice(0, MAX_ANNOTATIONS)
    .map((f) => {
      const fix = fixOf(report, f);
      const others = otherPlaces(f);
      const docs = ruleDocUrl(report.ruleDocs, f.ruleId);
      const body = others ? `${f.message}\n\n${others}` : f.message;
      const text = fix ? `${body}\n\nFix: ${fix}` : body;
      return {
        path: f.path,
        start_line: Math.max(1, f.line),
        end_line: Math.max(1, f.line, f.endLine),
        // Only a finding that blocks is a failure annotation; one held back for confidence is a warning.
        annotation_level: blocksUnder(report.verdict, f) ? 'failure' : f.severity === 'info' ? 'notice' : 'warning',
        title: plainText(`${f.severity}, ${f.confidence} confidence: ${f.title} (${f.ruleId})`, 250),
        // The link last and never cut: a long message is shortened before it.
        message: docs ? `${plainText(text, 3800)}\n\nRule documentation: ${docs}` : plainText(text, 4000),
        raw_details: `fingerprint ${f.fingerprint}\n/airlock allow ${f.fingerprint} <reason>`,
      };
    });
}

export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Multi-line text from rules as escaped markdown, one paragraph; its `code` spans stay code. */
function mdParagraph(text: string, max: number): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => mdInline(l, max))
    .join(' ');
}

export interface CommentAnchor {
  path: string;
  line: number;
  startLine: number | null;
  /** True when the comment spans exactly the finding's lines, so a suggestion can replace them. */
  exact: boolean;
}

/** The body of an inline comment: severity, rule, why it matters, a suggestion when known, the marker. */
export function commentBody(report: Report, finding: Finding, anchor: CommentAnchor): string {
  const blocking = blocksUnder(report.verdict, finding);
  const heldBack = heldBackUnder(report.verdict, finding);
  const observe = report.verdict.mode === 'observe';
  const status = blocking
    ? observe
      ? ' (would block merging; observe mode)'
      : ' (blocks merging)'
    : heldBack
      ? ` (does not block: confidence below ${thresholdFor(report.verdict, finding.path).failConfidence})`
      : '';
  const cwe = finding.cwe.length > 0 ? ` · ${finding.cwe.map((c) => mdText(c, 20)).join(', ')}` : '';
  const parts = [
    `${SEVERITY_ICON[finding.severity]} **${finding.severity.toUpperCase()}**${status} · ${finding.confidence} confidence · **${mdText(finding.title, 150)}** · <code>${mdText(finding.ruleId, 100)}</code>${cwe}`,
    mdParagraph(finding.message, 1500),
  ];
  const replacement = finding.fix?.replacement;
  const suggests = replacement !== undefined && anchor.exact && replacement.length <= 20_000;
  const shownAt = anchor.startLine ?? anchor.line;
  const others = suggests ? otherPlacesOfSuggestion(finding, shownAt) : otherPlaces(finding, shownAt);
  if (others) parts.push(suggests ? others : mdText(others, 400));
  const fix = fixOf(report, finding);
  if (fix) parts.push(`**Fix:** ${mdParagraph(fix, 800)}`);
  if (suggests) {
    const fence = fenceFor(replacement);
    parts.push(`${fence}suggestion\n${replacement.endsWith('\n') ? replacement : `${replacement}\n`}${fence}`);
  }
  const docs = ruleDocUrl(report.ruleDocs, finding.ruleId);
  const docsLink = docs ? ` · [rule documentation](<${docs}>)` : '';
  parts.push(
    `<sub>Airlock${docsLink} · fingerprint <code>${finding.fingerprint}</code> · a maintainer can accept it by replying <code>/airlock allow false-positive|accepted-risk|used-in-tests &lt;reason&gt;</code> here</sub>`,
  );
  const marker = formatMarker({ kind: 'fp', fingerprint: finding.fingerprint });
  return `${clip(parts.join('\n\n'), COMMENT_LIMIT)}\n\n${marker}`;
}

/**
 * Where a finding can be commented: its exact lines when the diff shows them, else its first
 * line, else (a finding at several places) the first other place the diff shows, else nowhere.
 */
export function anchorFor(finding: Finding, hunks: readonly Hunk[] | undefined): CommentAnchor | null {
  if (!hunks || hunks.length === 0) return null;
  const first = finding.line;
  const last = Math.max(finding.line, finding.endLine);
  if (last - first <= 30 && hunkContaining(hunks, first, last)) {
    return { path: finding.path, line: last, startLine: last > first ? first : null, exact: true };
  }
  if (hunkContaining(hunks, first, first)) return { path: finding.path, line: first, startLine: null, exact: last === first };
  // A finding found at several places: the first other place the diff shows.
  for (const place of locationsOf(finding).slice(1)) {
    if (hunkContaining(hunks, place.line, place.line)) return { path: finding.path, line: place.line, startLine: null, exact: false };
  }
  return null;
}

export interface CommentPlan {
  post: { finding: Finding; anchor: CommentAnchor }[];
  /** Not commented: over the cap or no line of the diff to anchor on. */
  listedOnly: Finding[];
  /** Why each of `listedOnly` is not commented, counted. */
  reasons: Pick<NotPosted, 'overLimit' | 'outsideDiff' | 'sameLine'>;
}

/** Chooses which new findings get an inline comment: most severe first, up to `max`. */
export function planComments(findings: readonly Finding[], hunks: ReadonlyMap<string, Hunk[]>, max: number): CommentPlan {
  const post: CommentPlan['post'] = [];
  const listedOnly: Finding[] = [];
  const reasons = { overLimit: 0, outsideDiff: 0, sameLine: 0 };
  const usedLines = new Set<string>();
  for (const finding of [...findings].sort(compareBySeverity)) {
    if (post.length >= max) {
      listedOnly.push(finding);
      reasons.overLimit += 1;
      continue;
    }
    const anchor = anchorFor(finding, hunks.get(finding.path));
    // One comment per line: GitHub shows several as one confusing stack.
    const lineKey = anchor ? `${anchor.path}\0${anchor.line}` : '';
    if (!anchor || usedLines.has(lineKey)) {
      listedOnly.push(finding);
      if (anchor) reasons.sameLine += 1;
      else reasons.outsideDiff += 1;
      continue;
    }
    usedLines.add(lineKey);
    post.push({ finding, anchor });
  }
  return { post, listedOnly, reasons };
}

export function reviewBody(headSha: string, posted: number, listedOnly: number): string {
  const more = listedOnly > 0 ? ` ${plural(listedOnly, 'more finding')} ${listedOnly === 1 ? 'is' : 'are'} listed only in the check.` : '';
  return (
    `**Airlock** reviewed \`${headSha.slice(0, 7)}\` and commented ${plural(posted, 'finding')} inline.${more} ` +
    'The verdict and the full list are in the **Airlock** check run.\n\n' +
    formatMarker({ kind: 'review', sha: headSha })
  );
}

export function configErrorOutput(message: string, lineText: string | null, defaultBranch: string): { title: string; summary: string } {
  const quoted = lineText === null ? '' : `\n\nThe line:\n\n<pre>${mdText(lineText, 300)}</pre>`;
  return {
    title: 'Invalid Airlock configuration',
    summary:
      `**Airlock could not use its configuration, so it did not review this change.**\n\n<code>${mdText(message, 600)}</code>${quoted}\n\n` +
      `Fix the file on the default branch (<code>${mdText(defaultBranch, 100)}</code>); the configuration is never read from a pull request. ` +
      'Then push again or comment `/airlock rescan`.\n',
  };
}

export function describeError(error: unknown): string {
  const e = error as { status?: number; message?: string; request?: { method?: string; url?: string } };
  const firstLine = (e?.message ?? String(error)).split('\n')[0] ?? '';
  const where = e?.request?.method && e.request.url ? ` (${e.request.method} ${new URL(e.request.url, 'http://x').pathname})` : '';
  const said = networkFailure(error) ?? `${typeof e?.status === 'number' ? `GitHub answered ${e.status}: ` : ''}${firstLine}`;
  return clip(`${said}${where}`, 400);
}

export const NOT_FINISHED_TITLE = 'Airlock could not finish the review';

function notFinishedConsequence(conclusion: 'failure' | 'neutral'): string {
  const consequence =
    conclusion === 'failure'
      ? 'The check fails so that nothing merges unreviewed (`on_error: failure`).'
      : 'The check is neutral, so merging is not blocked, but **this change was not reviewed** (`on_error: neutral`).';
  return `${consequence} Press **Re-run** on this check, or comment \`/airlock rescan\`.\n`;
}

export function errorOutput(error: unknown, conclusion: 'failure' | 'neutral'): { title: string; summary: string } {
  return {
    title: NOT_FINISHED_TITLE,
    summary:
      `**Airlock could not finish reviewing this change.** This is a failure of Airlock or of GitHub, not a finding in the change.\n\n` +
      `<code>${mdText(describeError(error), 500)}</code>\n\n${notFinishedConsequence(conclusion)}`,
  };
}

/** For a run found still in progress long after any live review would have finished. */
export function abandonedOutput(startedAt: string | null, conclusion: 'failure' | 'neutral'): { title: string; summary: string } {
  const since = startedAt ? ` started at <code>${mdText(startedAt, 40)}</code> and` : '';
  return {
    title: NOT_FINISHED_TITLE,
    summary:
      `**Airlock could not finish reviewing this change.** The review${since} never completed: the Airlock process stopped, ` +
      `or GitHub did not accept its result. This is not a finding in the change.\n\n${notFinishedConsequence(conclusion)}`,
  };
}

export function supersededOutput(reason: string): { title: string; summary: string } {
  return {
    title: 'Superseded by a newer run',
    summary: `A newer event (${mdText(reason, 200)}) started another review of this pull request; this result was not published. See the **Airlock** check on the pull request's latest commit.\n`,
  };
}

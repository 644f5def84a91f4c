// One review of one pull request head: configuration and allowances, the `Airlock` check
// run (created in progress before the heavy work, always completed), the change, the
// engine's verdict, comments, and the completed check. Every input is read from GitHub
// at each run; nothing is remembered between runs. A run has a deadline: past it, its
// requests stop and the check completes with the `on_error` conclusion.
import { createHash } from 'node:crypto';
import { detectAuthorship } from '../core/detect/detect.js';
import type { Report } from '../core/render/index.js';
import { review, reviewDecision } from '../core/review.js';
import { searchAstFiles } from '../io/ast-file-search.js';
import { nativeMemoryReclaimer } from '../io/native-memory.js';
import type { SemanticSession } from '../io/semantic-pool.js';
import type { RuleCatalog, RuleSource } from '../core/rules/catalog.js';
import type { ScanData } from '../core/rules/types.js';
import { TOOL } from '../io/version.js';
import { ruleIndexUrl } from '../core/docs/links.js';
import { StoppingError } from './queue/embedded.js';
import { latestCheckRun } from './check-runs.js';
import { collectAllowances, permissionLookup, readAllowanceComments, type Allowance, type IgnoredAllowance } from './commands.js';
import { CONFIG_PATH, InvalidConfigError, loadRepoConfig, type LoadedConfig } from './config.js';
import { factsOf, listPullCommits, loadPullRequest, type PullRequestInfo, type RepoRef } from './loader.js';
import { formatDuration, outsideRequestSignal, withRequestSignal, type GitHub } from './octokit.js';
import { addUnlistedFiles, applyAllowances } from './outcome.js';
import { githubTagResolver, resolveFixNeeds } from './fixes.js';
import { pinRuleAllowances } from './allowance-scope.js';
import {
  completeCheckRun,
  createCheckRun,
  finishCheckRun,
  publishCommentsSafely,
  readPublishState,
  RERUN_ACTION,
  type CheckConclusion,
} from './publisher.js';
import { annotationsOf, checkSummary, checkTitle, configErrorOutput, errorOutput, supersededOutput } from './summary.js';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** The same logger with fields added to every line (structured logs); absent: lines stay as they are. */
  with?(fields: LogFields): Logger;
}

/** What a log line may carry besides its message: identifiers only, never tokens, keys or file contents. */
export interface LogFields {
  delivery?: string;
  repository?: string;
  pull_request?: number;
  head_sha?: string;
}

/** What every run needs besides GitHub; injected so tests and the demo control it. */
export interface Services {
  catalog(): Promise<RuleCatalog>;
  data(): Promise<ScanData>;
  /** The app's id and slug (its comments are written by `<slug>[bot]`). */
  identity(octokit: GitHub): Promise<{ id: number; slug: string }>;
  /**
   * A runner of the call and taint rules off the event loop, for a review whose catalog is the
   * shipped rules plus `sources` (the repository's own rule files); without it they run in-process.
   */
  semantics?(sources: RuleSource[]): SemanticSession | null;
  /** The folder of the shipped rules' pages, linked from comments, annotations and the check; absent: no links. */
  docsBase?: string | null;
  log: Logger;
}

export interface ReviewJob {
  octokit: GitHub;
  repo: RepoRef;
  /** The pull request from a webhook payload, or its number (then fetched). */
  pull: PullRequestInfo | number;
  /** What caused the run, for logs and the superseded note. */
  trigger: string;
  /** Review again even when an earlier run had exactly these inputs (rescans, re-runs). */
  force: boolean;
  signal: AbortSignal;
  /** Time the whole run may take (default `DEFAULT_REVIEW_DEADLINE_MS`). */
  deadlineMs?: number;
  /** Check runs this process is working on right now (the reaper leaves them alone). */
  activeCheckRuns?: Set<number>;
  /** The webhook delivery that caused the run, for the logs. */
  delivery?: string;
}

/** Ten minutes: far more than a review needs, short enough that a stuck one does not block merging for long. */
export const DEFAULT_REVIEW_DEADLINE_MS = 600_000;

/** The run's deadline passed. */
export class DeadlineError extends Error {
  constructor(deadlineMs: number) {
    super(`The review did not finish within its deadline of ${formatDuration(deadlineMs)}: GitHub did not answer in time, or the change took too long to review`);
    this.name = 'DeadlineError';
  }
}

export type RunResult =
  | { kind: 'skipped'; reason: string }
  | { kind: 'completed'; checkRunId: number; conclusion: CheckConclusion; report: Report | null }
  | { kind: 'superseded'; checkRunId: number | null }
  | { kind: 'failed'; checkRunId: number | null; error: unknown };

/** A newer event took over; this run must not publish. */
export class SupersededError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SupersededError';
  }
}

/** Suffix of `external_id` once a run published everything: a later run with the same inputs has nothing to add. */
const DONE = ':done';

const NOT_REVIEWED_HINT = 'add the `airlock:review` label, or set `review: all` in .github/airlock.yml, to review it anyway';

function runKey(parts: {
  headSha: string;
  config: LoadedConfig | null;
  configError: string | null;
  pr: PullRequestInfo;
  allowances: readonly Allowance[];
  ignored: readonly IgnoredAllowance[];
}): string {
  const material = JSON.stringify([
    TOOL.version,
    parts.headSha,
    parts.config?.files.map((f) => [f.source, f.text]) ?? null,
    parts.config?.ruleFiles.map((f) => [f.source, f.text]) ?? null,
    parts.configError,
    parts.pr.labels.map((l) => l.name ?? '').sort(),
    parts.pr.title,
    parts.pr.body ?? '',
    parts.pr.user?.login ?? null,
    parts.pr.head.ref,
    parts.allowances.map((a) => [a.target, a.by, a.reason, a.category ?? null, a.all, a.pinned ? [...a.pinned] : null]),
    parts.ignored.map((a) => [a.commentId, a.target, a.reason]),
  ]);
  return createHash('sha256').update(material).digest('hex').slice(0, 40);
}

/**
 * Reviews under the run's deadline: when it passes, the run's GitHub requests are cancelled
 * (not retried) and the check completes with the `on_error` conclusion and the reason.
 */
export async function runPullRequestReview(services: Services, job: ReviewJob): Promise<RunResult> {
  const deadlineMs = job.deadlineMs ?? DEFAULT_REVIEW_DEADLINE_MS;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DeadlineError(deadlineMs)), deadlineMs);
  timer.unref();
  const tracked: number[] = [];
  const track = (id: number) => {
    tracked.push(id);
    job.activeCheckRuns?.add(id);
  };
  try {
    return await withRequestSignal(deadline.signal, () => reviewBeforeDeadline(services, job, { signal: deadline.signal, at: Date.now() + deadlineMs }, track));
  } finally {
    clearTimeout(timer);
    for (const id of tracked) job.activeCheckRuns?.delete(id);
  }
}

async function reviewBeforeDeadline(
  services: Services,
  job: ReviewJob,
  deadline: { signal: AbortSignal; at: number },
  track: (checkRunId: number) => void,
): Promise<RunResult> {
  const { octokit, repo } = job;
  const number = typeof job.pull === 'number' ? job.pull : job.pull.number;
  const bound = (fields: LogFields): Logger => services.log.with?.(fields) ?? services.log;
  const runFields: LogFields = { ...(job.delivery ? { delivery: job.delivery } : {}), repository: `${repo.owner}/${repo.repo}`, pull_request: number };
  let log = bound(typeof job.pull === 'number' ? runFields : { ...runFields, head_sha: job.pull.head.sha });
  const checkpoint = () => {
    if (job.signal.aborted) throw job.signal.reason instanceof StoppingError ? job.signal.reason : new SupersededError(String(job.signal.reason ?? 'a newer event'));
    deadline.signal.throwIfAborted();
  };
  let checkRunId: number | null = null;
  let onError: 'failure' | 'neutral' = 'failure';
  let headSha: string | null = typeof job.pull === 'number' ? null : job.pull.head.sha;
  try {
    const pr: PullRequestInfo = typeof job.pull === 'number' ? (await octokit.rest.pulls.get({ ...repo, pull_number: job.pull })).data : job.pull;
    if (headSha !== pr.head.sha) log = bound({ ...runFields, head_sha: pr.head.sha });
    headSha = pr.head.sha;
    if (pr.state !== 'open') return { kind: 'skipped', reason: 'the pull request is not open' };
    const [identity, catalog] = await Promise.all([services.identity(octokit), services.catalog()]);
    // The configuration file and the app's latest check run on the head (was this head already
    // reviewed with the same inputs?) come with the allowance comments, in one query.
    const context = readAllowanceComments(octokit, repo, pr.number, { filePath: CONFIG_PATH, checkRun: { sha: pr.head.sha, appId: identity.id } });
    const [configOutcome, comments, existing, stateNow] = await Promise.all([
      context.then(({ file }) => loadRepoConfig(octokit, repo.owner, repo.repo, catalog, file)).then(
        (config) => ({ config, error: null }),
        (error: unknown) => {
          if (error instanceof InvalidConfigError) return { config: null, error };
          throw error;
        },
      ),
      // Pull request comments and replies in findings' threads, oldest first: the latest allowance of a finding counts.
      context.then(({ comments }) => comments),
      // When GraphQL could not tell it whole, REST does: a review is never skipped on a partial answer.
      context.then(({ checkRun }) => {
        if (checkRun?.ok) return checkRun.run;
        log.info(`${repo.owner}/${repo.repo}#${pr.number}: the latest check run read over REST (${checkRun?.reason ?? 'not asked'})`);
        return latestCheckRun(octokit, repo, pr.head.sha, identity.id);
      }),
      context.then(({ pullState }) => pullState),
    ]);
    // The pull request may come from a webhook answered a while ago (a job that waited in the
    // queue): closed or merged since, it is left alone, as when it is read from GitHub first.
    if (stateNow !== null && stateNow !== 'OPEN') return { kind: 'skipped', reason: 'the pull request is not open' };
    const config = configOutcome.config?.config ?? null;
    if (config) onError = config.on_error;
    const permissionOf = permissionLookup(octokit, repo);
    const { allowances, ignored } = config ? await collectAllowances(comments, pr.user?.login ?? null, permissionOf) : { allowances: [], ignored: [] };
    const key = runKey({ headSha: pr.head.sha, config: configOutcome.config, configError: configOutcome.error?.message ?? null, pr, allowances, ignored });
    if (!job.force && existing?.externalId === `${key}${DONE}`) {
      log.info(`${repo.owner}/${repo.repo}#${pr.number}: ${pr.head.sha.slice(0, 7)} already reviewed with the same inputs (${job.trigger})`);
      return { kind: 'skipped', reason: 'already reviewed with the same inputs' };
    }
    checkpoint();
    checkRunId = await createCheckRun(octokit, repo, pr.head.sha, key, {
      title: 'Reviewing…',
      summary: `Airlock is reviewing \`${pr.head.sha.slice(0, 7)}\`. This check completes when the review is done.`,
    });
    track(checkRunId);

    if (!config) {
      const error = configOutcome.error!;
      checkRunId = await finishCheckRun(
        octokit,
        repo,
        { id: checkRunId, headSha: pr.head.sha },
        { conclusion: 'failure', output: configErrorOutput(error.message, error.lineText, pr.base.ref), externalId: `${key}${DONE}` },
        log,
      );
      return { kind: 'completed', checkRunId, conclusion: 'failure', report: null };
    }

    // Authorship first: a change that will not be reviewed needs no file list.
    const detectOptions = { extraLabels: config.ai.labels, extraAuthors: config.ai.authors, extraBranchPatterns: config.ai.branches };
    // Past GitHub's 250, more commits are read only when the first ones do not already show an agent.
    const commits = await listPullCommits(octokit, repo, pr, (first) => detectAuthorship(factsOf(pr, first), detectOptions).ai);
    const facts = factsOf(pr, commits.commits, commits.unread);
    const authorship = detectAuthorship(facts, detectOptions);
    const decision = reviewDecision(authorship, facts, config, false);
    checkpoint();
    const change = decision.reviewed ? await loadPullRequest(octokit, repo, pr, commits) : null;
    checkpoint();
    const [data] = await Promise.all([services.data()]);
    // The engine gets at most half of the time left, so that publishing still fits.
    const engineSeconds = Math.max(1, Math.floor((deadline.at - Date.now()) / 2000));
    const semantics = services.semantics?.(configOutcome.config?.ruleSources ?? []) ?? null;
    const base = await review({
      changeSet: change?.changeSet ?? { base: pr.base.sha, head: pr.head.sha, files: [], loadHead: async () => null },
      facts,
      config: { ...config, limits: { ...config.limits, time_budget_seconds: Math.min(config.limits.time_budget_seconds, engineSeconds) } },
      catalog: configOutcome.config?.catalog ?? catalog,
      data,
      tool: TOOL,
      notReviewedHint: NOT_REVIEWED_HINT,
      // The shipped rules have pages; the repository's own (semgrep_rules) do not.
      ...(services.docsBase ? { ruleDocs: { baseUrl: services.docsBase, documented: new Set(catalog.meta.keys()) } } : {}),
      astSearch: searchAstFiles,
      reclaim: nativeMemoryReclaimer(),
      ...(semantics ? { semanticRunner: semantics } : {}),
    }).finally(() => semantics?.release());
    const unlisted = addUnlistedFiles({ ...base, base: pr.base.ref, head: pr.head.sha.slice(0, 7) }, change?.unlisted ?? null);
    // The core declares the fixes that need GitHub (an action's tag → its commit); the suggestions get them here.
    const shown = await resolveFixNeeds(unlisted, githubTagResolver(octokit));
    const scoped = await pinRuleAllowances(octokit, { repo, number: pr.number, headSha: pr.head.sha, appId: identity.id }, allowances, shown.result.findings);
    const { report, accepted } = applyAllowances(shown, scoped.allowances);
    checkpoint();

    let stats = null;
    if (report.reviewed && change) {
      // Another process may have seen a newer push: never comment an old head's findings on a new head.
      // The same query brings the app's threads and reviews, which publishing needs.
      const state = await readPublishState(octokit, repo, pr.number, pr.head.sha);
      if (state.headSha !== pr.head.sha) throw new SupersededError(`a push of ${state.headSha.slice(0, 7)}`);
      stats = await publishCommentsSafely(
        octokit,
        {
          repo,
          number: pr.number,
          headSha: pr.head.sha,
          report,
          accepted,
          hunks: change.hunks,
          max: config.comments.max,
          commentOn: config.comment_on,
          botLogin: `${identity.slug}[bot]`,
          checkpoint,
          state,
        },
        (e) => e instanceof SupersededError,
      );
    }
    checkpoint();
    checkRunId = await finishCheckRun(
      octokit,
      repo,
      { id: checkRunId, headSha: pr.head.sha },
      {
        conclusion: report.verdict.conclusion,
        output: { title: checkTitle(report, accepted.length), summary: checkSummary(report, { accepted, ignored: [...ignored, ...scoped.ignored], comments: stats }) },
        annotations: annotationsOf(report),
        externalId: stats?.problem ? key : `${key}${DONE}`,
        ...(ruleIndexUrl(report.ruleDocs) ? { detailsUrl: ruleIndexUrl(report.ruleDocs)! } : {}),
      },
      log,
    );
    log.info(
      `${repo.owner}/${repo.repo}#${pr.number}: ${pr.head.sha.slice(0, 7)} ${report.verdict.conclusion}: ${checkTitle(report, accepted.length)} (${job.trigger})`,
    );
    return { kind: 'completed', checkRunId, conclusion: report.verdict.conclusion, report };
  } catch (error) {
    if (error instanceof SupersededError) {
      log.info(`${repo.owner}/${repo.repo}: run for ${headSha?.slice(0, 7) ?? '?'} superseded by ${error.message}`);
      const supersededRun = checkRunId;
      if (supersededRun !== null) {
        await outsideRequestSignal(() => completeCheckRun(octokit, repo, supersededRun, { conclusion: 'cancelled', output: supersededOutput(error.message) })).catch(
          (e: unknown) => log.error(`could not complete superseded check run ${supersededRun}: ${String(e)}`),
        );
      }
      return { kind: 'superseded', checkRunId };
    }
    log.error(`${repo.owner}/${repo.repo}: review of ${headSha?.slice(0, 7) ?? '?'} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    // The check must never stay in progress: it tells the truth instead, and offers a re-run.
    // These writes happen even past the deadline: they are what the deadline is for.
    const conclusion = onError;
    const result = { conclusion, output: errorOutput(error, conclusion), actions: [RERUN_ACTION] };
    const failedHead = headSha;
    if (failedHead !== null) {
      const failedRun = checkRunId;
      try {
        checkRunId = await outsideRequestSignal(() => finishCheckRun(octokit, repo, { id: failedRun, headSha: failedHead }, result, log));
      } catch (again) {
        log.error(`${repo.owner}/${repo.repo}: could not complete the check run either: ${String(again)}`);
      }
    }
    return { kind: 'failed', checkRunId, error };
  }
}

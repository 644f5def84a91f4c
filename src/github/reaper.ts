// Completes `Airlock` check runs left in progress: a process killed mid-review, or GitHub
// refusing every write of the result. GitHub does not redeliver a webhook that was
// answered, so nothing else would ever complete them, and a required check in progress
// blocks merging for good. A pass runs at start and then periodically; it is bounded in
// repositories and time, and safe with several instances running: a run counts as
// abandoned only when it is older than the review deadline plus a grace period, which no
// live review reaches (it completes its check at the deadline).
import { InvalidConfigError, loadRepoConfig } from './config.js';
import type { RepoRef } from './loader.js';
import { withRequestSignal, type GitHub } from './octokit.js';
import { latestCheckRun } from './check-runs.js';
import { finishCheckRun, RERUN_ACTION } from './publisher.js';
import type { Services } from './review-run.js';
import { abandonedOutput } from './summary.js';

export interface ReaperOptions {
  /** Time between passes after the one at start (default 10 min; 0: only the pass at start). */
  intervalMs: number;
  /** How much older than the review deadline an in-progress run must be to count as abandoned (default 5 min). */
  graceMs: number;
  /** Repositories looked at per pass (default 200); the rest wait for the next pass. */
  maxRepositories: number;
  /** A pass stops starting new work after this long (default 2 min). */
  passTimeLimitMs: number;
}

export const DEFAULT_REAPER_OPTIONS: ReaperOptions = {
  intervalMs: 600_000,
  graceMs: 300_000,
  maxRepositories: 200,
  passTimeLimitMs: 120_000,
};

const PER_PAGE = 100;
const MAX_INSTALLATION_PAGES = 10;

export interface ReaperDeps {
  /** A client authenticated as the app (JWT). */
  appClient(): Promise<GitHub>;
  /** A client for one installation, with the request policy installed. */
  installationClient(installationId: number): Promise<GitHub>;
  services: Services;
  reviewDeadlineMs: number;
  /** Check runs this process is working on: never reaped. */
  activeCheckRuns: ReadonlySet<number>;
}

export interface ReapReport {
  repositories: number;
  pulls: number;
  reaped: number;
  /** True when the pass hit its repository or time limit. */
  stoppedEarly: boolean;
}

interface Budget {
  repositoriesLeft: number;
  endsAt: number;
}

function exhausted(budget: Budget): boolean {
  return budget.repositoriesLeft <= 0 || Date.now() >= budget.endsAt;
}

/** The repository's `on_error` conclusion; `failure` when its configuration cannot be read. */
async function onErrorConclusion(deps: ReaperDeps, octokit: GitHub, repo: RepoRef): Promise<'failure' | 'neutral'> {
  try {
    return (await loadRepoConfig(octokit, repo.owner, repo.repo, await deps.services.catalog())).config.on_error;
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) deps.services.log.warn(`${repo.owner}/${repo.repo}: configuration unreadable while completing an abandoned check: ${String(error)}`);
    return 'failure';
  }
}

interface Pass {
  appId: number;
  /** Runs started before this (ms since epoch) are abandoned. */
  cutoff: number;
  budget: Budget;
  report: ReapReport;
}

async function reapRepository(deps: ReaperDeps, octokit: GitHub, repo: RepoRef, pass: Pass): Promise<void> {
  const { report } = pass;
  // The most recently updated open pull requests: where a review was running lately.
  const { data: pulls } = await octokit.rest.pulls.list({ ...repo, state: 'open', sort: 'updated', direction: 'desc', per_page: PER_PAGE });
  let conclusion: 'failure' | 'neutral' | null = null;
  for (const pull of pulls) {
    report.pulls += 1;
    const run = await latestCheckRun(octokit, repo, pull.head.sha, pass.appId);
    if (!run || run.status === 'completed' || deps.activeCheckRuns.has(run.id)) continue;
    const started = run.startedAt ? Date.parse(run.startedAt) : Number.NaN;
    if (!(started < pass.cutoff)) continue;
    conclusion ??= await onErrorConclusion(deps, octokit, repo);
    await finishCheckRun(
      octokit,
      repo,
      { id: run.id, headSha: pull.head.sha },
      { conclusion, output: abandonedOutput(run.startedAt, conclusion), actions: [RERUN_ACTION] },
      deps.services.log,
    );
    report.reaped += 1;
    deps.services.log.info(`${repo.owner}/${repo.repo}#${pull.number}: completed abandoned check run ${run.id} (started ${run.startedAt ?? '?'}) as ${conclusion}`);
  }
}

async function reapInstallation(deps: ReaperDeps, installationId: number, pass: Pass): Promise<void> {
  const { budget, report } = pass;
  const octokit = await deps.installationClient(installationId);
  for (let page = 1; !exhausted(budget); page++) {
    const { data } = await octokit.rest.apps.listReposAccessibleToInstallation({ per_page: PER_PAGE, page });
    for (const repository of data.repositories) {
      if (exhausted(budget)) return;
      budget.repositoriesLeft -= 1;
      report.repositories += 1;
      const repo = { owner: repository.owner.login, repo: repository.name };
      try {
        await reapRepository(deps, octokit, repo, pass);
      } catch (error) {
        deps.services.log.warn(`${repo.owner}/${repo.repo}: looking for abandoned checks failed: ${String(error)}`);
      }
    }
    if (data.repositories.length < PER_PAGE) return;
  }
}

/** One pass over every installation: completes abandoned in-progress `Airlock` runs. */
export async function reapAbandonedChecks(deps: ReaperDeps, options: ReaperOptions): Promise<ReapReport> {
  const report: ReapReport = { repositories: 0, pulls: 0, reaped: 0, stoppedEarly: false };
  const budget: Budget = { repositoriesLeft: options.maxRepositories, endsAt: Date.now() + options.passTimeLimitMs };
  const app = await deps.appClient();
  const { id: appId } = await deps.services.identity(app);
  const pass: Pass = { appId, cutoff: Date.now() - deps.reviewDeadlineMs - options.graceMs, budget, report };
  for (let page = 1; page <= MAX_INSTALLATION_PAGES && !exhausted(budget); page++) {
    const { data: installations } = await app.rest.apps.listInstallations({ per_page: PER_PAGE, page });
    for (const installation of installations) {
      if (exhausted(budget)) break;
      try {
        await reapInstallation(deps, installation.id, pass);
      } catch (error) {
        deps.services.log.warn(`installation ${installation.id}: looking for abandoned checks failed: ${String(error)}`);
      }
    }
    if (installations.length < PER_PAGE) break;
  }
  report.stoppedEarly = exhausted(budget);
  return report;
}

/** Runs passes at start and every `intervalMs`, one at a time; `stop` ends the schedule and any pass under way. */
export class Reaper {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly stopped = new AbortController();

  constructor(
    private readonly deps: ReaperDeps,
    private readonly options: ReaperOptions,
    /** Runs a pass as background work (the review queue, so `idle()` waits for it). */
    private readonly runInBackground: (pass: () => Promise<void>) => void,
  ) {}

  start(): void {
    this.runPass();
  }

  stop(): void {
    this.stopped.abort(new Error('the app stopped'));
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One pass now (also what the schedule runs). */
  async pass(): Promise<ReapReport | null> {
    if (this.stopped.signal.aborted) return null;
    try {
      return await withRequestSignal(this.stopped.signal, () => reapAbandonedChecks(this.deps, this.options));
    } catch (error) {
      if (!this.stopped.signal.aborted) this.deps.services.log.warn(`looking for abandoned checks failed: ${String(error)}`);
      return null;
    }
  }

  private runPass(): void {
    this.runInBackground(async () => {
      await this.pass();
      if (this.options.intervalMs > 0) this.schedule(this.options.intervalMs);
    });
  }

  private schedule(delayMs: number): void {
    if (this.stopped.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.runPass();
    }, delayMs);
    this.timer.unref();
  }
}

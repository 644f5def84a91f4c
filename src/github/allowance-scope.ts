// What an allowance by rule id covers. `/airlock allow <rule-id> <reason>` accepts the
// findings of that rule that existed when it was written, not instances pushed afterwards;
// `--all` is the broad form. Nothing is stored outside GitHub: the first review that honours
// such an allowance replies to it with a hidden marker listing the fingerprints it covers,
// and later reviews honour exactly those.
//
// "Existed when it was written" is read from the app's own check runs: the findings of the
// head under review are pinned only if Airlock began reviewing that head before the
// allowance took its current text (the maintainer could have seen them). Otherwise the head
// was pushed, or reviewed, after the allowance, and it does not count until given again.
import type { Finding } from '../core/model.js';
import { plural } from '../core/render/common.js';
import { safeLogin, type Allowance, type IgnoredAllowance } from './commands.js';
import type { RepoRef } from './loader.js';
import { formatMarker, MAX_PINNED } from './markers.js';
import type { GitHub } from './octokit.js';
import { CHECK_NAME } from './summary.js';

const RUNS_PER_PAGE = 100;

/** When the app first began reviewing `sha` (its earliest `Airlock` check run), or null. */
async function firstReviewStart(octokit: GitHub, repo: RepoRef, sha: string, appId: number): Promise<number | null> {
  const list = (page: number) =>
    octokit.rest.checks.listForRef({ ...repo, ref: sha, check_name: CHECK_NAME, app_id: appId, filter: 'all', per_page: RUNS_PER_PAGE, page });
  const first = (await list(1)).data;
  // Newest first: the earliest run is on the last page.
  const lastPage = Math.ceil(first.total_count / RUNS_PER_PAGE);
  const runs = lastPage > 1 ? [...first.check_runs, ...(await list(lastPage)).data.check_runs] : first.check_runs;
  const starts = runs.filter((r) => r.app?.id === appId && r.started_at).map((r) => Date.parse(r.started_at!));
  const valid = starts.filter((t) => Number.isFinite(t));
  return valid.length > 0 ? Math.min(...valid) : null;
}

function pinReply(allowance: Allowance, covered: readonly Finding[], headSha: string): string {
  const who = safeLogin(allowance.by);
  const rule = `\`${allowance.target}\``;
  return (
    `Accepted ${plural(covered.length, 'finding')} of ${rule}${who ? ` for \`${who}\`` : ''}: the findings of this rule in \`${headSha.slice(0, 7)}\`. ` +
    `Instances pushed later are not covered; \`/airlock allow ${allowance.target} --all <reason>\` covers them.\n\n` +
    formatMarker({ kind: 'pin', commentId: allowance.commentId, target: allowance.target, fingerprints: covered.map((f) => f.fingerprint) })
  );
}

export interface ScopedAllowances {
  allowances: Allowance[];
  ignored: IgnoredAllowance[];
}

/**
 * Settles allowances by rule id (without `--all`) that have no pin yet: pins the current
 * findings of the rule when the head was under review before the allowance was written,
 * replying with the pin; otherwise lists the allowance as not honoured. Fingerprint
 * allowances, `--all` and pinned ones pass through unchanged.
 */
export async function pinRuleAllowances(
  octokit: GitHub,
  context: { repo: RepoRef; number: number; headSha: string; appId: number },
  allowances: readonly Allowance[],
  findings: readonly Finding[],
): Promise<ScopedAllowances> {
  const fingerprints = new Set(findings.map((f) => f.fingerprint));
  const byRule = new Map<string, Finding[]>();
  for (const f of findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
  const unpinned = (a: Allowance) => !a.all && a.pinned === undefined && !fingerprints.has(a.target) && byRule.has(a.target);
  if (!allowances.some(unpinned)) return { allowances: [...allowances], ignored: [] };

  const reviewedSince = await firstReviewStart(octokit, context.repo, context.headSha, context.appId);
  const kept: Allowance[] = [];
  const ignored: IgnoredAllowance[] = [];
  for (const allowance of allowances) {
    if (!unpinned(allowance)) {
      kept.push(allowance);
      continue;
    }
    const givenAt = allowance.givenAt === null ? NaN : Date.parse(allowance.givenAt);
    // GitHub's times have one-second resolution: a tie does not prove the head came first.
    if (reviewedSince === null || !Number.isFinite(givenAt) || reviewedSince >= givenAt) {
      ignored.push({
        target: allowance.target,
        by: allowance.by,
        commentId: allowance.commentId,
        reason:
          `written before Airlock reviewed ${context.headSha.slice(0, 7)}, so it covers none of its findings ` +
          '(by rule id an allowance accepts the findings reported when it was written); give it again, or add --all',
      });
      continue;
    }
    const covered = byRule.get(allowance.target)!.slice(0, MAX_PINNED);
    await octokit.rest.issues.createComment({ ...context.repo, issue_number: context.number, body: pinReply(allowance, covered, context.headSha) });
    kept.push({ ...allowance, pinned: new Set(covered.map((f) => f.fingerprint)) });
  }
  return { allowances: kept, ignored };
}

// `airlock action`: the review a GitHub Actions job runs on `pull_request` (action.yml). It
// reads what Actions provides (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_WORKSPACE,
// RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) and runs `airlock scan` on the pull
// request: base...head from the checkout (fetched with its history), the configuration
// from the base branch (the change cannot relax its own review), authorship from the
// payload, SARIF to a file for code scanning, the summary to the job's page. It calls no API.
import { appendFile, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { revisionExists } from '../io/git.js';
import type { Report } from '../core/render/report.js';
import { UsageError } from './errors.js';
import type { Io } from './main.js';
import { scanCommand } from './scan-command.js';

const eventSchema = z.object({
  pull_request: z.object({
    base: z.object({ ref: z.string().min(1) }),
    head: z.object({ sha: z.string().regex(/^[0-9a-f]{40,64}$/) }),
  }),
});

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new UsageError(`action: ${name} is not set: run it as a step of a GitHub Actions job (see action.yml)`);
  return value;
}

export async function actionCommand(args: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  if (args.length > 0) throw new UsageError(`airlock action takes no arguments (its inputs are environment variables: see action.yml), not "${args[0]}"`);
  const eventName = required(env, 'GITHUB_EVENT_NAME');
  if (eventName !== 'pull_request') {
    throw new UsageError(
      `action: runs on pull_request only, not ${eventName}` +
        (eventName === 'pull_request_target' ? ' (pull_request_target runs with the base repository\'s secrets and write token: never review a change there)' : ''),
    );
  }
  const eventPath = required(env, 'GITHUB_EVENT_PATH');
  let payload: z.infer<typeof eventSchema>;
  try {
    const parsed = eventSchema.safeParse(JSON.parse(await readFile(eventPath, 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new UsageError(`action: GITHUB_EVENT_PATH ${eventPath}: ${issue.path.join('.')}: ${issue.message}`);
    }
    payload = parsed.data;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`action: GITHUB_EVENT_PATH ${eventPath}: cannot read a JSON payload (${(err as NodeJS.ErrnoException).code ?? (err as Error).message.split('\n')[0]})`);
  }
  const repo = resolve(io.cwd, env.GITHUB_WORKSPACE || '.');
  const base = `origin/${payload.pull_request.base.ref}`;
  const head = payload.pull_request.head.sha;
  for (const [ref, what] of [
    [base, 'the base branch'],
    [head, "the pull request's head commit"],
  ] as const) {
    if (!(await revisionExists(repo, ref))) {
      throw new UsageError(`action: ${what} (${ref}) is not in the checkout at ${repo}: check out with actions/checkout and fetch-depth: 0`);
    }
  }
  const sarif = env.AIRLOCK_SARIF_FILE || join(required(env, 'RUNNER_TEMP'), 'airlock.sarif');
  const scanArgs = ['--repo', repo, '--base', base, '--head', head, '--config-from-base', '--pr-event', eventPath, '--sarif-file', sarif];
  if (env.GITHUB_STEP_SUMMARY) scanArgs.push('--summary-file', env.GITHUB_STEP_SUMMARY);
  if (env.AIRLOCK_FAIL_ON) scanArgs.push('--fail-on', env.AIRLOCK_FAIL_ON);
  if (env.AIRLOCK_FAIL_CONFIDENCE) scanArgs.push('--fail-confidence', env.AIRLOCK_FAIL_CONFIDENCE);
  if (env.AIRLOCK_ALL === 'true') scanArgs.push('--all');
  let report: Report | undefined;
  const code = await scanCommand(scanArgs, io, (r) => {
    report = r;
  });
  if (env.GITHUB_OUTPUT && report) {
    const lines = Object.entries({ sarif, ...actionOutputs(report) }).map(([name, value]) => `${name}=${value}\n`);
    await appendFile(env.GITHUB_OUTPUT, lines.join(''));
  }
  return code;
}

/**
 * The step's outputs (action.yml lists them): the verdict as the app's check would conclude,
 * and, since observe mode concludes neutral where enforce would fail, the enforced verdict
 * too; the counts behind it. The exit code alone cannot say any of this: observe mode exits 0.
 */
export function actionOutputs(report: Report): Record<string, string> {
  const v = report.verdict;
  const observe = v.mode === 'observe';
  return {
    verdict: v.conclusion,
    'enforced-verdict': observe && v.conclusion === 'neutral' ? 'failure' : v.conclusion,
    mode: observe ? 'observe' : 'enforce',
    reviewed: String(v.reviewed),
    title: v.title.replace(/[\r\n]+/g, ' '),
    findings: String(report.result.findings.length),
    blocking: String(v.blocking.length),
    'held-back': String(v.heldBack.length),
    'not-reviewed': String(report.result.notReviewed.length),
    counts: JSON.stringify(v.counts),
  };
}

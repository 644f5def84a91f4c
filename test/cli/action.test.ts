// `airlock action` (action.yml's entry point) as a GitHub Actions job runs it: the built CLI,
// the environment variables Actions provides, GitHub's own `pull_request` payload, and a
// checkout with the history and the base branch. It calls no GitHub API.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../../src/io/package-root.js';
import { cleanupRepos, isolatedGitEnv, makeRepo, type TestRepo } from '../helpers/git-repo.js';
import { actionOutputs } from '../../src/cli/action-command.js';
import { startStandIn } from '../github/stand-in/server.js';
import { loadExamplePayload } from '../github/webhooks.js';

const bin = join(PACKAGE_ROOT, 'bin', 'airlock.js');
let runner: string;
beforeAll(() => {
  runner = mkdtempSync(join(tmpdir(), 'airlock-runner-'));
});
afterAll(() => {
  cleanupRepos();
  rmSync(runner, { recursive: true, force: true });
});

/** A checkout as actions/checkout with fetch-depth: 0 leaves it: origin/main and the PR's head. */
function checkout(config: string | null): { repo: TestRepo; head: string } {
  const repo = makeRepo({ defaultBranch: 'main' });
  repo.write('README.md', '# app\n');
  if (config !== null) repo.write('.github/airlock.yml', config);
  repo.commit('initial');
  repo.git('update-ref', 'refs/remotes/origin/main', 'main');
  repo.branch('feature');
  repo.write('src/run.js', "import { exec } from 'node:child_process';\nexport const run = (req) => exec('ls ' + req.query.dir);\n");
  // The change tries to switch its own review off: the base's configuration governs.
  repo.write('.github/airlock.yml', 'review: labeled\nfail_on: critical\n');
  const head = repo.commit('Add runner');
  return { repo, head };
}

function event(dir: string, head: string, overrides: { body?: string; eventName?: string } = {}) {
  const payload = loadExamplePayload('pull_request', 'opened') as { pull_request: Record<string, unknown> & { head: Record<string, unknown>; base: Record<string, unknown> } };
  payload.pull_request.head.sha = head;
  payload.pull_request.head.ref = 'feature';
  payload.pull_request.base.ref = 'main';
  payload.pull_request.body = overrides.body ?? 'Generated with [Claude Code](https://claude.com/claude-code)';
  const path = join(dir, 'event.json');
  writeFileSync(path, JSON.stringify(payload));
  const files = { output: join(dir, 'output'), summary: join(dir, 'summary.md') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const env = isolatedGitEnv({
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: overrides.eventName ?? 'pull_request',
    GITHUB_EVENT_PATH: path,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: dir,
  });
  return { env, files };
}

function runAction(cwd: string, env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [bin, 'action'], { cwd, env, encoding: 'utf8', timeout: 120_000 });
}

/** As runAction, without blocking this process: a server of the test can answer meanwhile. */
function runActionAsync(cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [bin, 'action'], { cwd, env, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      done({ status: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

function outputsOf(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as [string, string]),
  );
}

describe('airlock action', () => {
  it('reviews the pull request with the base branch configuration, writes SARIF, outputs and the summary', () => {
    const { repo, head } = checkout('review: ai\nfail_on: high\n');
    const dir = mkdtempSync(join(runner, 'job-'));
    const { env, files } = event(dir, head);
    const result = runAction(dir, { ...env, GITHUB_WORKSPACE: repo.dir });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/AI-authored: yes \(Claude Code\)/);
    expect(result.stdout).toMatch(/js\.injection\.child-process-exec/);
    const outputs = outputsOf(files.output);
    expect(outputs).toEqual({
      sarif: join(dir, 'airlock.sarif'),
      verdict: 'failure',
      'enforced-verdict': 'failure',
      mode: 'enforce',
      reviewed: 'true',
      // The exec, and the change's edit of the configuration (airlock.config-changed).
      title: '2 findings at or above high',
      findings: '2',
      blocking: '2',
      'held-back': '0',
      'not-reviewed': '0',
      counts: '{"critical":0,"high":2,"medium":0,"low":0,"info":0}',
    });
    const sarif = JSON.parse(readFileSync(outputs.sarif!, 'utf8')) as { version: string; runs: { results: { ruleId: string }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toContain('js.injection.child-process-exec');
    expect(readFileSync(files.summary, 'utf8')).toMatch(/js\.injection\.child-process-exec/);
    // The change's own .github/airlock.yml (review: labeled, fail_on: critical) was not used.
    expect(result.stdout).not.toMatch(/Not reviewed/);
  });

  it('in observe mode exits 0 and outputs neutral with the verdict enforce would give, calling no GitHub API', async () => {
    const { repo, head } = checkout('review: ai\nmode: observe\n');
    const dir = mkdtempSync(join(runner, 'job-'));
    const { env, files } = event(dir, head);
    // What a runner provides: the API of the job's GitHub and a token. The action needs neither.
    const standIn = await startStandIn();
    try {
      const result = await runActionAsync(dir, {
        ...env,
        GITHUB_WORKSPACE: repo.dir,
        GITHUB_API_URL: standIn.apiUrl,
        GITHUB_GRAPHQL_URL: `${standIn.url}/api/graphql`,
        GITHUB_SERVER_URL: standIn.url,
        GITHUB_TOKEN: standIn.installationToken(),
        GITHUB_REPOSITORY: 'acme/widgets',
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/verdict: neutral · observe mode: Observe mode, would fail: 2 findings at or above high\n$/);
      expect(outputsOf(files.output)).toMatchObject({
        verdict: 'neutral',
        'enforced-verdict': 'failure',
        mode: 'observe',
        reviewed: 'true',
        title: 'Observe mode, would fail: 2 findings at or above high',
        findings: '2',
        blocking: '2',
      });
      expect(readFileSync(files.summary, 'utf8')).toContain('Conclusion: **neutral** (observe mode: enforce would fail)');
      expect(standIn.requests).toEqual([]);
    } finally {
      await standIn.close();
    }
  });

  it('passes a change that is not AI-authored, as the app does', () => {
    const { repo, head } = checkout(null);
    const dir = mkdtempSync(join(runner, 'job-'));
    const { env, files } = event(dir, head, { body: 'A small fix' });
    const result = runAction(dir, { ...env, GITHUB_WORKSPACE: repo.dir });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^airlock: origin\/main has no \.github\/airlock\.yml; using the default configuration\n$/);
    expect(outputsOf(files.output)).toMatchObject({ verdict: 'success', 'enforced-verdict': 'success', reviewed: 'false', findings: '0' });
  });

  it('refuses pull_request_target and a shallow checkout, one line each', () => {
    const { repo, head } = checkout(null);
    const dir = mkdtempSync(join(runner, 'job-'));
    const target = runAction(dir, { ...event(dir, head, { eventName: 'pull_request_target' }).env, GITHUB_WORKSPACE: repo.dir });
    expect([target.status, target.stderr]).toEqual([2, expect.stringMatching(/^airlock: action: runs on pull_request only, not pull_request_target \(pull_request_target runs with/)]);
    expect(target.stderr.trimEnd().split('\n')).toHaveLength(1);
    repo.git('update-ref', '-d', 'refs/remotes/origin/main');
    const shallow = runAction(dir, { ...event(dir, head).env, GITHUB_WORKSPACE: repo.dir });
    expect([shallow.status, shallow.stderr.trimEnd()]).toEqual([2, expect.stringMatching(/^airlock: action: the base branch \(origin\/main\) is not in the checkout at .*: check out with actions\/checkout and fetch-depth: 0$/)]);
  });
});

describe('action.yml', () => {
  const action = parse(readFileSync(join(PACKAGE_ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
    runs: { using: string; steps: { run?: string; env?: Record<string, string> }[] };
  };
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

  it('runs this package, at this version, through the action entry point', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.inputs.version!.default).toBe(pkg.version);
    const [step] = action.runs.steps;
    expect(step!.run).toBe(`npx --yes "${pkg.name}@\${AIRLOCK_VERSION}" action`);
    expect(step!.env).toMatchObject({ AIRLOCK_VERSION: '${{ inputs.version }}', AIRLOCK_FAIL_ON: '${{ inputs.fail-on }}' });
  });

  it('declares every output the entry point writes, each read from the review step', () => {
    const outputs = (parse(readFileSync(join(PACKAGE_ROOT, 'action.yml'), 'utf8')) as { outputs: Record<string, { value: string; description: string }> }).outputs;
    const report = { verdict: { conclusion: 'success', mode: undefined, reviewed: true, title: 't', blocking: [], heldBack: [], counts: {} }, result: { findings: [], notReviewed: [] } };
    const written = ['sarif', ...Object.keys(actionOutputs(report as unknown as Parameters<typeof actionOutputs>[0]))];
    expect(Object.keys(outputs).sort()).toEqual(written.sort());
    for (const [name, output] of Object.entries(outputs)) {
      expect(output.value).toBe(`\${{ steps.review.outputs.${name} }}`);
      expect(output.description.length).toBeGreaterThan(10);
    }
  });
});

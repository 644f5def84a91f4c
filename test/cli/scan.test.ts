import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { cleanupRepos, isolatedGitEnv, makeRepo, type TestRepo } from '../helpers/git-repo.js';

afterAll(cleanupRepos);

const run = runCli;

const CLAUDE = { name: 'Dana', email: 'dana@example.com' };

/** A repo whose `feature` branch adds `files` on top of a `main` with one file. */
function repoWith(files: Record<string, string>, message: string, branch = 'feature'): TestRepo {
  const repo = makeRepo({ defaultBranch: 'main' });
  repo.write('README.md', '# app\n');
  repo.commit('initial');
  repo.branch(branch);
  for (const [path, text] of Object.entries(files)) repo.write(path, text);
  repo.commit(message, { author: CLAUDE });
  return repo;
}

const AI_MESSAGE = 'Add runner\n\nCo-Authored-By: Claude <noreply@anthropic.com>';
// Request input reaches exec: the pattern rule's finding, confirmed by the taint rule's path, blocks.
const DANGEROUS = { 'src/run.js': "import { exec } from 'node:child_process';\nexport const run = (req) => exec('ls ' + req.query.dir);\n" };
// Only a parameter reaches exec: reported at high severity with medium confidence, never blocking by default.
const UNPROVEN = { 'src/run.js': "import { exec } from 'node:child_process';\nexport const run = (x) => exec('ls ' + x);\n" };

describe('airlock scan', () => {
  it('reviews an AI-authored change and exits 1 on a blocking finding', async () => {
    const repo = repoWith(DANGEROUS, AI_MESSAGE);
    const { code, stdout, stderr } = await run(['scan', '--repo', repo.dir, '--base', 'main', '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(json.version).toBe(1);
    expect(json.authorship).toMatchObject({ ai: true, agent: 'Claude Code' });
    expect(json.findings).toContainEqual(
      expect.objectContaining({ ruleId: 'js.injection.child-process-exec', severity: 'high', confidence: 'high', path: 'src/run.js', line: 2 }),
    );
    expect(json.summary).toMatchObject({ failOn: 'high', failConfidence: 'high', blocking: 1, heldBack: 0 });
  });

  it('holds back a finding below the confidence threshold, and --fail-confidence lowers it', async () => {
    const repo = repoWith(UNPROVEN, AI_MESSAGE);
    const held = await run(['scan', '--repo', repo.dir, '--base', 'main', '--format', 'json']);
    expect(held.code).toBe(0);
    const json = JSON.parse(held.stdout);
    expect(json.findings).toContainEqual(expect.objectContaining({ ruleId: 'js.injection.child-process-exec', severity: 'high', confidence: 'medium' }));
    expect(json.summary).toMatchObject({ conclusion: 'success', blocking: 0, heldBack: 1 });
    expect(json.summary.title).toBe('Passed with 1 finding: 1 at or above high held back from blocking (confidence below high)');
    const text = await run(['scan', '--repo', repo.dir, '--base', 'main']);
    expect(text.stdout).toContain('(medium confidence)');
    expect(text.stdout).toContain('1 at or above high held back from blocking (confidence below high) · verdict: success');
    expect((await run(['scan', '--repo', repo.dir, '--base', 'main', '--fail-confidence', 'medium'])).code).toBe(1);
    const bad = await run(['scan', '--repo', repo.dir, '--base', 'main', '--fail-confidence', 'certain']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('airlock: --fail-confidence must be one of high, medium, low, not "certain"\n');
    const dir = mkdtempSync(join(tmpdir(), 'airlock-config-'));
    writeFileSync(join(dir, 'airlock.yml'), 'fail_confidence: medium\n');
    expect((await run(['scan', '--repo', repo.dir, '--base', 'main', '--config', join(dir, 'airlock.yml')])).code).toBe(1);
    writeFileSync(join(dir, 'airlock.yml'), 'rules:\n  js.injection.child-process-exec: { confidence: high }\n');
    expect((await run(['scan', '--repo', repo.dir, '--base', 'main', '--config', join(dir, 'airlock.yml')])).code).toBe(1);
  });

  it('reads every commit of the range: an agent trailer in commit 1,001 makes it AI-authored', async () => {
    const repo = repoWith(DANGEROUS, 'Add runner');
    // 999 more human commits, then one with an agent trailer: 1,001 commits after main.
    const messages = [...Array.from({ length: 999 }, (_, i) => `Step ${i}`), AI_MESSAGE];
    const stream = messages
      .map((message, i) => {
        const data = Buffer.from(message);
        const from = i === 0 ? `from ${repo.sha('feature')}\n` : '';
        return `commit refs/heads/feature\ncommitter Hu Man <hu@example.com> ${1_700_000_000 + i} +0000\ndata ${data.length}\n${message}\n${from}\n`;
      })
      .join('');
    execFileSync('git', ['fast-import', '--quiet'], { cwd: repo.dir, input: stream, env: isolatedGitEnv() });
    expect(repo.git('rev-list', '--count', 'main..feature')).toBe('1001');
    const started = performance.now();
    const { code, stdout } = await run(['scan', '--repo', repo.dir, '--base', 'main', '--head', 'feature', '--format', 'json']);
    const elapsedMs = performance.now() - started;
    console.log(`airlock scan over 1,001 commits: ${Math.round(elapsedMs)} ms`);
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(json.authorship).toMatchObject({ ai: true, agent: 'Claude Code' });
    expect(json.authorship.evidence[0]).toContain('Co-Authored-By: Claude');
  });

  it('does not review a human change, but still reports authorship; --all forces the review', async () => {
    const repo = repoWith(DANGEROUS, 'Add runner');
    const skipped = await run(['scan', '--repo', repo.dir, '--base', 'main', '--format', 'json']);
    expect(skipped.code).toBe(0);
    const json = JSON.parse(skipped.stdout);
    expect(json.authorship).toEqual({ ai: false, agent: null, evidence: [] });
    expect(json.findings).toEqual([]);
    expect(json.summary.reviewed).toBe(false);
    expect(json.summary.notReviewedReason).toMatch(/not AI-authored.*--all/);
    const forced = await run(['scan', '--repo', repo.dir, '--base', 'main', '--all', '--format', 'json']);
    expect(forced.code).toBe(1);
    expect(JSON.parse(forced.stdout).findings.length).toBeGreaterThan(0);
  });

  it('uses labels and the PR author from --pr-event', async () => {
    const repo = repoWith(DANGEROUS, 'Add runner');
    const dir = mkdtempSync(join(tmpdir(), 'airlock-event-'));
    const event = join(dir, 'event.json');
    writeFileSync(
      event,
      JSON.stringify({
        action: 'opened',
        pull_request: { title: 'Add runner', body: null, user: { login: 'devin-ai-integration[bot]', type: 'Bot' }, labels: [], head: { ref: 'devin/1700000000-runner' } },
      }),
    );
    const { code, stdout } = await run(['scan', '--repo', repo.dir, '--base', 'main', '--pr-event', event, '--format', 'json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).authorship.agent).toBe('Devin');
    writeFileSync(event, '{"pull_request": {"title": 3}}');
    const bad = await run(['scan', '--repo', repo.dir, '--base', 'main', '--pr-event', event]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^airlock: --pr-event .*event\.json: pull_request\.title: .*\n$/);
  });

  it('applies --fail-on and a config file', async () => {
    const repo = repoWith(DANGEROUS, AI_MESSAGE);
    expect((await run(['scan', '--repo', repo.dir, '--base', 'main', '--fail-on', 'critical'])).code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'airlock-config-'));
    writeFileSync(join(dir, 'airlock.yml'), 'rules:\n  js.injection.child-process-exec: off\n');
    const off = await run(['scan', '--repo', repo.dir, '--base', 'main', '--config', join(dir, 'airlock.yml'), '--format', 'json']);
    expect(JSON.parse(off.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain('js.injection.child-process-exec');
    writeFileSync(join(dir, 'bad.yml'), 'review: ai\nfail_on: urgent\n');
    const bad = await run(['scan', '--repo', repo.dir, '--base', 'main', '--config', join(dir, 'bad.yml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^airlock: .*bad\.yml: line 2: fail_on: .*\n$/);
  });

  it('renders SARIF, markdown and text', async () => {
    const repo = repoWith(DANGEROUS, AI_MESSAGE);
    const sarif = JSON.parse((await run(['scan', '--repo', repo.dir, '--base', 'main', '--format', 'sarif'])).stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'js.injection.child-process-exec')).toBe(true);
    const md = (await run(['scan', '--repo', repo.dir, '--base', 'main', '--format', 'markdown'])).stdout;
    expect(md).toMatch(/js\.injection\.child-process-exec/);
    const text = (await run(['scan', '--repo', repo.dir, '--base', 'main'])).stdout;
    expect(text).toMatch(/src\/run\.js/);
    expect(text).not.toMatch(/\u001b\[/);
  });

  it.each([
    [['scan'], /scan needs --base/],
    [['scan', '--base', 'main', '--format', 'xml'], /--format must be one of/],
    [['scan', '--base', 'main', '--fail-on', 'urgent'], /--fail-on must be one of/],
    [['scan', '--base', 'main', '--bogus'], /Unknown option '--bogus'/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('rejects bad usage %j with one line and exit 2', async (args, message) => {
    const { code, stderr } = await run(args as string[]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('names the problem when the repo or a ref is wrong', async () => {
    const notRepo = mkdtempSync(join(tmpdir(), 'airlock-norepo-'));
    const a = await run(['scan', '--repo', notRepo, '--base', 'main']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/^airlock: not a git repository: .*\n$/);
    const repo = repoWith(DANGEROUS, AI_MESSAGE);
    const b = await run(['scan', '--repo', repo.dir, '--base', 'v9.9']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^airlock: unknown revision: v9\.9.*\n$/);
  });

  it('lists binary and oversized files of an AI change as not reviewed, which fails the review', async () => {
    const repo = repoWith({ 'logo.png': '\u0000PNG', 'src/ok.js': 'export const a = 1;\n' }, AI_MESSAGE);
    const { code, stdout } = await run(['scan', '--repo', repo.dir, '--base', 'main', '--format', 'json']);
    const json = JSON.parse(stdout);
    expect(json.summary.notReviewed).toEqual([{ path: 'logo.png', reason: 'binary file' }]);
    expect(json.summary.conclusion).toBe('failure');
    expect(code).toBe(1);
  });

  it('works as an installed command from any directory', () => {
    const repo = repoWith(DANGEROUS, AI_MESSAGE);
    const bin = join(process.cwd(), 'bin', 'airlock.js');
    const elsewhere = mkdtempSync(join(tmpdir(), 'airlock-cwd-'));
    const result = spawnSync(process.execPath, [bin, 'scan', '--repo', repo.dir, '--base', 'main', '--format', 'json'], { cwd: elsewhere, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).findings.length).toBeGreaterThan(0);
    expect(execFileSync(process.execPath, [bin, '--version'], { cwd: elsewhere, encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('airlock scan on worker threads', () => {
  const TAINTED = {
    'src/run.js': "const cp = require('child_process');\nfunction run(cmd) { cp.exec('sh -c ' + cmd); }\napp.get('/x', (req, res) => run(req.query.a));\n",
    'app.py': "import os\nfrom flask import request\n\ndef handler():\n    os.system('ls ' + request.args.get('d'))\n",
  };
  const bin = join(process.cwd(), 'bin', 'airlock.js');
  const scan = (repo: TestRepo, workers: string | undefined) =>
    spawnSync(process.execPath, [bin, 'scan', '--repo', repo.dir, '--base', 'main', '--format', 'json'], {
      encoding: 'utf8',
      env: { ...process.env, AIRLOCK_WORKERS: workers },
    });

  it('reports what the main thread finds, and the process exits when the scan is done', () => {
    const repo = repoWith(TAINTED, AI_MESSAGE);
    const [pooled, inProcess] = [scan(repo, '2'), scan(repo, '0')];
    expect([pooled.status, pooled.stderr]).toEqual([1, '']);
    const report = JSON.parse(pooled.stdout);
    expect(report.findings.length).toBeGreaterThan(1);
    const withoutTime = (r: { summary: { stats: object } }) => ({ ...r, summary: { ...r.summary, stats: { ...r.summary.stats, durationMs: 0 } } });
    expect(withoutTime(report)).toEqual(withoutTime(JSON.parse(inProcess.stdout)));
  });

  it('refuses an AIRLOCK_WORKERS that is not a number of threads', () => {
    const result = scan(repoWith(TAINTED, AI_MESSAGE), 'all');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('AIRLOCK_WORKERS must be a whole number of worker threads from 0 (none: the main thread) to 64 (got "all")');
  });
});

describe('airlock rules', () => {
  it('lists rules and runs their tests', async () => {
    const list = await run(['rules', 'list', '--format', 'json']);
    const ids = JSON.parse(list.stdout).map((m: { id: string }) => m.id);
    expect(ids).toContain('airlock.suppression-added');
    const tests = await run(['rules', 'test', '--rule', 'airlock.suppression-added']);
    expect(tests.code).toBe(0);
    expect(tests.stdout).toMatch(/1 rules, \d+ cases: \d+ passed, 0 failed/);
    expect((await run(['rules', 'test', '--rule', 'nope.'])).code).toBe(2);
  });
});

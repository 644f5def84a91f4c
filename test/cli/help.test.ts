// --help on every command, --version, --quiet, --docs-url and the progress line of long scans.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import { progressLine, PROGRESS_AFTER_MS } from '../../src/cli/scan-command.js';
import { PACKAGE_ROOT } from '../../src/io/package-root.js';
import { runCli } from '../helpers/cli.js';
import { cleanupRepos, makeRepo } from '../helpers/git-repo.js';

afterAll(cleanupRepos);

const DANGEROUS = "import { exec } from 'node:child_process';\nexport const run = (req) => exec('ls ' + req.query.dir);\n";

function aiRepo() {
  const repo = makeRepo({ defaultBranch: 'main' });
  repo.write('README.md', '# app\n');
  repo.commit('initial');
  repo.branch('feature');
  repo.write('src/run.js', DANGEROUS);
  repo.commit('Add runner\n\nCo-Authored-By: Claude <noreply@anthropic.com>', { author: { name: 'Dana', email: 'dana@example.com' } });
  return repo;
}

describe('airlock --help and --version', () => {
  it.each([
    [['scan', '--help'], 'usage: airlock scan --base REF'],
    [['scan', '-h', '--no-such-option'], 'usage: airlock scan --base REF'],
    [['action', '--help'], 'usage: airlock action'],
    [['rules', '--help'], 'usage: airlock rules test|list'],
    [['rules', 'test', '--help'], 'usage: airlock rules test [--rule ID-PREFIX]'],
    [['rules', 'list', '-h'], 'usage: airlock rules list [--format text|json]'],
    [['--help'], 'Each command takes --help'],
  ])('%j prints its help and exits 0', async (args, first) => {
    const { code, stdout, stderr } = await runCli(args);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(first);
  });

  it('scan --help names every option scan accepts', async () => {
    const { stdout } = await runCli(['scan', '--help']);
    for (const option of ['--base', '--head', '--repo', '--format', '--all', '--config', '--config-from-base', '--fail-on', '--fail-confidence', '--pr-event', '--sarif-file', '--summary-file', '--docs-url', '--quiet']) {
      expect(stdout).toContain(option);
    }
  });

  it('--version prints the version from package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await runCli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('airlock scan --quiet, --docs-url and progress', () => {
  it('--quiet prints only the verdict line, keeps the exit code and still writes the SARIF file', async () => {
    const repo = aiRepo();
    const full = await runCli(['scan', '--repo', repo.dir, '--base', 'main']);
    const quiet = await runCli(['scan', '--repo', repo.dir, '--base', 'main', '--quiet', '--sarif-file', join(repo.dir, 'out.sarif')]);
    expect(quiet.code).toBe(1);
    expect(full.code).toBe(1);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout.split('\n')).toEqual([full.stdout.trimEnd().split('\n').at(-1), '']);
    expect(quiet.stdout).toMatch(/^1 finding \(1 high\) · verdict: failure\n$/);
    expect(JSON.parse(readFileSync(join(repo.dir, 'out.sarif'), 'utf8')).runs[0].results).toHaveLength(1);
    // -q is the same; the note that the base has no configuration is left out too.
    const short = await runCli(['scan', '--repo', repo.dir, '--base', 'main', '-q', '--config-from-base']);
    expect(short).toEqual({ code: 1, stdout: quiet.stdout, stderr: '' });
  });

  it('links the rule pages under --docs-url (markdown and SARIF) and refuses a base that is not a URL', async () => {
    const repo = aiRepo();
    const md = await runCli(['scan', '--repo', repo.dir, '--base', 'main', '--format', 'markdown', '--docs-url', 'https://docs.example.org/rules/']);
    expect(md.stdout).toContain('[`js.injection.child-process-exec`](<https://docs.example.org/rules/js.injection.child-process-exec.md>)');
    const sarif = await runCli(['scan', '--repo', repo.dir, '--base', 'main', '--format', 'sarif']);
    const rules = JSON.parse(sarif.stdout).runs[0].tool.driver.rules as { id: string; helpUri?: string }[];
    expect(rules.find((r) => r.id === 'js.injection.child-process-exec')!.helpUri).toBe(
      'https://github.com/airlock-review/airlock/blob/main/docs/rules/js.injection.child-process-exec.md',
    );
    const bad = await runCli(['scan', '--repo', repo.dir, '--base', 'main', '--docs-url', 'ftp://x']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toBe('airlock: --docs-url must be an http(s) URL of the folder holding the rule pages, not "ftp://x"\n');
  });

  it('shows no progress when stderr is not a terminal', async () => {
    const repo = aiRepo();
    let stderr = '';
    const io: Io = { stdout: () => {}, stderr: (t) => (stderr += t), isTTY: false, stderrIsTTY: false, cwd: process.cwd() };
    await main(['scan', '--repo', repo.dir, '--base', 'main'], io);
    expect(stderr).toBe('');
  });

  it('the progress line waits for a long scan, is throttled, and is cleared at the end', () => {
    let t = 0;
    let err = '';
    const line = progressLine({ stderr: (s) => (err += s) }, () => t);
    line.update(1, 100);
    t = PROGRESS_AFTER_MS - 1;
    line.update(2, 100);
    expect(err).toBe('');
    t = PROGRESS_AFTER_MS;
    line.update(3, 100);
    line.update(4, 100);
    expect(err).toBe('\r\x1b[2Kairlock: reviewing file 3 of 100…');
    t += 300;
    line.update(50, 100);
    line.done();
    expect(err).toBe('\r\x1b[2Kairlock: reviewing file 3 of 100…\r\x1b[2Kairlock: reviewing file 50 of 100…\r\x1b[2K');
    // A short scan never wrote anything, so it clears nothing either.
    let quiet = '';
    const short = progressLine({ stderr: (s) => (quiet += s) }, () => 0);
    short.update(1, 1);
    short.done();
    expect(quiet).toBe('');
  });
});

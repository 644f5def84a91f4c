import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { cleanupRepos, makeRepo, type TestRepo } from '../helpers/git-repo.js';

afterAll(cleanupRepos);

const AGENT = { name: 'Dana', email: 'dana@example.com' };
const AI_MESSAGE = 'Add loader\n\nCo-Authored-By: Claude <noreply@anthropic.com>';

const ORG_RULES = `rules:
  - id: org.no-shelve-open
    message: shelve.open unpickles whatever the file holds; do not open shelves from user paths.
    severity: ERROR
    languages: [python]
    metadata: { cwe: "CWE-502: Deserialization of Untrusted Data" }
    pattern: shelve.open(...)
`;

const CODE = 'import shelve\n\ndef load(path):\n    return shelve.open(path)\n\ndef load2(p):\n    return shelve.open(p)  # airlock-ignore org.no-shelve-open -- read-only fixture\n';

/** main carries the config and the org rule file; `feature` adds code and tries to drop the rule. */
function repoWithOrgRules(config: string, rules = ORG_RULES): TestRepo {
  const repo = makeRepo({ defaultBranch: 'main' });
  repo.write('.github/airlock.yml', config);
  repo.write('security/rules.yml', rules);
  repo.commit('policy');
  repo.branch('feature');
  repo.write('app/store.py', CODE);
  repo.write('security/rules.yml', 'rules:\n  - id: org.no-shelve-open\n    message: relaxed by the change\n    severity: INFO\n    languages: [python]\n    pattern: nothing_at_all()\n');
  repo.commit(AI_MESSAGE, { author: AGENT });
  return repo;
}

describe('airlock scan with semgrep_rules', () => {
  it('runs the rules as committed at the base, diff-filtered and suppressible like shipped rules', async () => {
    const repo = repoWithOrgRules('semgrep_rules: [security/rules.yml]\n');
    const { code, stdout, stderr } = await runCli(['scan', '--repo', repo.dir, '--base', 'main', '--config-from-base', '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    const mine = json.findings.filter((f: { ruleId: string }) => f.ruleId === 'org.no-shelve-open');
    // Only added lines count; the suppression the change itself adds is reported, not honoured,
    // exactly as for a shipped rule.
    expect(mine).toEqual([
      expect.objectContaining({ path: 'app/store.py', line: 4, severity: 'high', category: 'semgrep', cwe: ['CWE-502'] }),
      expect.objectContaining({ path: 'app/store.py', line: 7 }),
    ]);
    expect(mine[0].fingerprint).toMatch(/^\w{8,}$/);
    const added = json.findings.find((f: { ruleId: string }) => f.ruleId === 'airlock.suppression-added');
    expect(added.message).toContain('org.no-shelve-open');
  });

  it('reads the rule files from the work tree with --config', async () => {
    const repo = repoWithOrgRules('{}\n', ORG_RULES);
    repo.write('security/rules.yml', ORG_RULES.replace('severity: ERROR', 'severity: WARNING'));
    const configFile = join(mkdtempSync(join(tmpdir(), 'airlock-cfg-')), 'airlock.yml');
    writeFileSync(configFile, 'semgrep_rules: [security/rules.yml]\n');
    const { code, stdout } = await runCli(['scan', '--repo', repo.dir, '--base', 'main', '--head', 'feature', '--config', configFile, '--format', 'json']);
    // The shipped unpickling rule also reports both shelve.open calls at high severity, but with
    // medium confidence (nothing shows where the path comes from): reported, held back from blocking.
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.findings).toContainEqual(expect.objectContaining({ ruleId: 'py.deserialization.pickle', severity: 'high', confidence: 'medium', line: 4 }));
    expect(json.summary).toMatchObject({ conclusion: 'success', blocking: 0, heldBack: 2 });
    const mine = json.findings.filter((f: { ruleId: string }) => f.ruleId === 'org.no-shelve-open');
    expect(mine.map((f: { line: number; severity: string }) => [f.line, f.severity])).toEqual([
      [4, 'medium'],
      [7, 'medium'],
    ]);
  });

  it('refuses an unsupported rule with one line naming file, rule and field (exit 2)', async () => {
    const repo = repoWithOrgRules('semgrep_rules: [security/rules.yml]\n', ORG_RULES.replace('    pattern: shelve.open(...)\n', '    mode: taint\n    pattern-sources: [{pattern: input(), label: USER}]\n    pattern-sinks: [{pattern: eval(...)}]\n'));
    const { code, stdout, stderr } = await runCli(['scan', '--repo', repo.dir, '--base', 'main', '--config-from-base']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^airlock: main:security\/rules\.yml: rule org\.no-shelve-open: pattern-sources\[0\]\.label: label is not supported \(taint labels are not tracked[^\n]*\n$/);
  });

  it('runs a mode: taint rule: the finding shows the path from the source to the sink', async () => {
    const taintRules = `rules:
  - id: org.shell-from-request
    mode: taint
    message: Request input reaches a shell command; pass an argument list instead.
    severity: ERROR
    languages: [python]
    pattern-sources:
      - pattern: flask.request.args
    pattern-sinks:
      - pattern: subprocess.getoutput(...)
    pattern-sanitizers:
      - pattern: shlex.quote(...)
`;
    const repo = makeRepo({ defaultBranch: 'main' });
    repo.write('.github/airlock.yml', 'semgrep_rules: [security/taint.yml]\n');
    repo.write('security/taint.yml', taintRules);
    repo.commit('policy');
    repo.branch('feature');
    repo.write(
      'app/run.py',
      "import shlex\nimport subprocess\nfrom flask import request\n\ndef run():\n    name = request.args.get('name')\n    subprocess.getoutput('ls ' + shlex.quote(name))\n    return subprocess.getoutput('ls ' + name)\n",
    );
    repo.commit(AI_MESSAGE, { author: AGENT });
    const { code, stdout, stderr } = await runCli(['scan', '--repo', repo.dir, '--base', 'main', '--config-from-base', '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    const mine = json.findings.filter((f: { ruleId: string }) => f.ruleId === 'org.shell-from-request');
    expect(mine).toEqual([expect.objectContaining({ path: 'app/run.py', line: 8, severity: 'high' })]);
    expect(mine[0].message).toContain("Path: `request.args.get('name')` (line 6) → `name` (line 6) → `subprocess.getoutput('ls ' + name)` (line 8)");
  });

  it('refuses a missing rule file, a path outside the repository, and an id a shipped rule uses', async () => {
    const missing = repoWithOrgRules('semgrep_rules: [security/other.yml]\n');
    const a = await runCli(['scan', '--repo', missing.dir, '--base', 'main', '--config-from-base']);
    expect([a.code, a.stderr]).toEqual([2, 'airlock: semgrep_rules: security/other.yml: no such file at main\n']);
    const outside = repoWithOrgRules('semgrep_rules: [../etc/rules.yml]\n');
    const b = await runCli(['scan', '--repo', outside.dir, '--base', 'main', '--config-from-base']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/semgrep_rules\.0: must be a path inside the repository/);
    const clash = repoWithOrgRules('semgrep_rules: [security/rules.yml]\n', ORG_RULES.replace('org.no-shelve-open', 'py.injection.eval'));
    const c = await runCli(['scan', '--repo', clash.dir, '--base', 'main', '--config-from-base']);
    expect([c.code, c.stderr]).toEqual([2, 'airlock: main:security/rules.yml: rule py.injection.eval: id already used by a shipped rule\n']);
  });
});

describe('airlock rules test with the organisation rule files', () => {
  function rulesDir(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-org-rules-'));
    mkdirSync(join(dir, '.github'), { recursive: true });
    mkdirSync(join(dir, 'security'), { recursive: true });
    for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
    return dir;
  }
  const TESTS = 'import shelve\n# ruleid: org.no-shelve-open\nshelve.open(path)\n# ok: org.no-shelve-open\nopen(path)\n';

  it('runs the annotated test file beside each rule file named by --config or on the command line', async () => {
    const dir = rulesDir({ '.github/airlock.yml': 'semgrep_rules: [security/rules.yml]\n', 'security/rules.yml': ORG_RULES, 'security/rules.py': TESTS });
    const byConfig = await runCli(['rules', 'test', '--config', '.github/airlock.yml'], dir);
    expect(byConfig).toEqual({ code: 0, stdout: '1 rules, 1 cases: 1 passed, 0 failed\n', stderr: '' });
    const byFile = await runCli(['rules', 'test', join(dir, 'security', 'rules.yml')]);
    expect(byFile.stdout).toBe('1 rules, 1 cases: 1 passed, 0 failed\n');
  });

  it('fails on a wrong annotation and on a rule no test file mentions', async () => {
    const dir = rulesDir({ 'security/rules.yml': ORG_RULES, 'security/rules.py': TESTS.replace('# ok: org.no-shelve-open\nopen', '# ok: org.no-shelve-open\nshelve.open') });
    const wrong = await runCli(['rules', 'test', 'security/rules.yml'], dir);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toBe('FAIL org.no-shelve-open invalid case 1: expected line(s) 3, got 3, 5\n1 rules, 1 cases: 0 passed, 1 failed\n');
    const bare = rulesDir({ 'security/rules.yml': ORG_RULES });
    const untested = await runCli(['rules', 'test', 'security/rules.yml'], bare);
    expect(untested.code).toBe(1);
    expect(untested.stdout).toBe(
      'FAIL org.no-shelve-open: no test file beside security/rules.yml mentions it (add ruleid:/ok: annotations)\n1 rules, 0 cases: 0 passed, 1 failed\n',
    );
  });

  it('reports a missing file, a config without rules and a reused shipped id in one line, exit 2', async () => {
    const dir = rulesDir({ '.github/airlock.yml': '{}\n', 'security/rules.yml': ORG_RULES.replace('org.no-shelve-open', 'py.injection.os-system') });
    expect(await runCli(['rules', 'test', 'security/nope.yml'], dir)).toEqual({ code: 2, stdout: '', stderr: 'airlock: semgrep_rules: security/nope.yml: cannot read (ENOENT)\n' });
    expect((await runCli(['rules', 'test', '--config', '.github/airlock.yml'], dir)).stderr).toBe('airlock: --config .github/airlock.yml: lists no semgrep_rules to test\n');
    const reused = await runCli(['rules', 'test', 'security/rules.yml'], dir);
    expect(reused.code).toBe(2);
    expect(reused.stderr).toMatch(/^airlock: security\/rules\.yml: rule py\.injection\.os-system: id already used by a shipped rule\n$/);
  });
});

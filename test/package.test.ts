// The package as npm publishes it: `npm pack`'s tarball, unpacked into another project's
// node_modules beside its production dependencies only, runs `npx airlock` from that
// project: `--version`, `rules list` and a scan of a small git repository. The dependencies
// are the ones this checkout installed from package-lock.json (linked, not downloaded), so
// the test needs no network; a dependency the CLI needs at run time but that package.json
// lists under devDependencies is missing here, as it would be for a user.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/io/package-root.js';
import { cleanupRepos, isolatedGitEnv, makeRepo } from './helpers/git-repo.js';

const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };
let work: string;
let consumer: string;
let packed: string[];

/** The production dependency closure's top-level folders in this checkout's node_modules. */
function productionDependencies(): string[] {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: PACKAGE_ROOT, encoding: 'utf8', env: { ...process.env, npm_config_offline: 'true' } });
  const top = new Set<string>();
  for (const path of out.split('\n')) {
    const rel = relative(join(PACKAGE_ROOT, 'node_modules'), path);
    if (!path || rel.startsWith('..') || rel === '') continue;
    const parts = rel.split(sep);
    const name = parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
    if (!name.includes('node_modules')) top.add(name);
  }
  return [...top];
}

function npx(args: string[], cwd: string) {
  return spawnSync('npx', ['--no-install', ...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...isolatedGitEnv(), npm_config_offline: 'true', npm_config_update_notifier: 'false' } });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'airlock-pack-'));
  const [info] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: PACKAGE_ROOT, encoding: 'utf8' })) as [{ filename: string; files: { path: string }[] }];
  packed = info.files.map((f) => f.path);
  consumer = join(work, 'consumer');
  const target = join(consumer, 'node_modules', ...pkg.name.split('/'));
  mkdirSync(target, { recursive: true });
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  execFileSync('tar', ['xzf', join(work, info.filename), '--strip-components=1', '-C', target]);
  for (const name of productionDependencies()) {
    const link = join(consumer, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(PACKAGE_ROOT, 'node_modules', name), link, 'dir');
  }
  mkdirSync(join(consumer, 'node_modules', '.bin'));
  symlinkSync(join('..', ...pkg.name.split('/'), pkg.bin.airlock!), join(consumer, 'node_modules', '.bin', 'airlock'));
}, 120_000);

afterAll(() => {
  cleanupRepos();
  rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('is published under our own scoped name', () => {
    expect(pkg.name).toMatch(/^@airlock-review\//);
  });

  it('holds the built CLI, server, rules and data, and no sources or tests', () => {
    for (const file of ['bin/airlock.js', 'dist/cli/main.js', 'dist/server.js', 'dist/setup.js', 'dist/rules-cache.json', 'app.yml', 'LICENSE', 'README.md', 'package.json', 'scripts/prepare.mjs']) {
      expect(packed, file).toContain(file);
    }
    expect(packed.some((f) => f.startsWith('rules/') && f.endsWith('.yml'))).toBe(true);
    expect(packed.some((f) => f.startsWith('data/'))).toBe(true);
    expect(packed.filter((f) => /^(src|test|bench|dist\/demo)\//.test(f))).toEqual([]);
  });

  it('runs with npx from another project: --version, rules list, and a scan', () => {
    const version = npx(['airlock', '--version'], consumer);
    expect([version.status, version.stdout.trim(), version.stderr]).toEqual([0, pkg.version, '']);
    const list = npx(['airlock', 'rules', 'list'], consumer);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/js\.injection\.child-process-exec/);

    const repo = makeRepo({ defaultBranch: 'main' });
    repo.write('README.md', '# app\n');
    repo.commit('initial');
    repo.branch('feature');
    repo.write('src/run.js', "import { exec } from 'node:child_process';\nexport const run = (req) => exec('ls ' + req.query.dir);\n");
    repo.commit('Add runner\n\nCo-Authored-By: Claude <noreply@anthropic.com>');
    const scan = npx(['airlock', 'scan', '--repo', repo.dir, '--base', 'main', '--format', 'json'], consumer);
    expect(scan.stderr).toBe('');
    expect(scan.status).toBe(1);
    const report = JSON.parse(scan.stdout) as { findings: { ruleId: string }[] };
    expect(report.findings.map((f) => f.ruleId)).toContain('js.injection.child-process-exec');
  });
});

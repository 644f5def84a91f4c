// `npm run bench:noise`: how much Airlock says about established code that nobody would block.
// Commits, as one change on a throwaway git repository, (1) a fixed list of popular npm
// packages at pinned versions (`npm pack`, cached), (2) the Python standard library of this
// machine's `python3`, (3) the packages this project depends on, as installed; reviews it with
// `airlock scan --all`, and prints findings per 100,000 lines at >= medium and at the blocking
// threshold, per source and per rule, and every blocking finding. bench/noise-triage.md keeps a
// verdict for each blocking finding. Target: at most 1 blocking finding per 100,000 lines.
//
//   --json FILE       also write the figures and every blocking finding as JSON
//   --compare FILE    a JSON written earlier by --json: show what changed since
//   --sources LIST    comma-separated subset of npm,python-stdlib,project-deps (default: all)
//   --cache DIR       where npm tarballs are kept (default: $AIRLOCK_BENCH_CACHE or ~/.cache/airlock-bench)
//   --fail-on SEV     blocking threshold (default: the configured default of a scan)
//   --airlock FILE    the bin/airlock.js to run (default: this checkout's), e.g. a build of the base branch
// The scan runs with the default configuration but no time budget (figures must not depend on load).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable, scanJson } from '../report.mjs';
import { compareNoise, parseNumstat, scoreNoise, unitOf } from './score.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let airlock = join(ROOT, 'bin/airlock.js');
const SOURCES = ['npm', 'python-stdlib', 'project-deps'];

/** Popular npm packages at pinned versions: web servers, clients, CLIs, templating, databases, mail, crypto. */
export const NPM_PACKAGES = [
  'lodash@4.17.21', 'underscore@1.13.7', 'async@3.2.6', 'jquery@3.7.1', 'react@18.3.1',
  'express@4.21.2', 'body-parser@1.20.3', 'cookie@0.7.2', 'cors@2.8.5', 'helmet@8.0.0', 'morgan@1.10.0',
  'multer@1.4.5-lts.1', 'passport@0.7.0', 'http-proxy@1.18.1', 'socket.io@4.8.1', 'ws@8.18.0',
  'axios@1.7.9', 'node-fetch@2.7.0', 'request@2.88.2', 'form-data@4.0.1', 'qs@6.13.1', 'mime-types@2.1.35',
  'debug@4.4.0', 'chalk@5.3.0', 'commander@12.1.0', 'yargs@17.7.2', 'minimist@1.2.8', 'semver@7.6.3', 'uuid@9.0.1',
  'dotenv@16.4.7', 'jsonwebtoken@9.0.2', 'bcryptjs@2.4.3', 'nodemailer@6.9.16',
  'handlebars@4.7.8', 'ejs@3.1.10', 'marked@12.0.2', 'sanitize-html@2.13.1', 'serialize-javascript@6.0.2',
  'js-yaml@4.1.0', 'xml2js@0.6.2', 'pg@8.13.1', 'mysql@2.18.1', 'knex@3.1.0',
  'shelljs@0.8.5', 'cross-spawn@7.0.6', 'execa@8.0.1', 'tar@6.2.1', 'glob@10.4.5', 'rimraf@5.0.10',
];

/** Folders that are not established source: caches, compiled output, the standard library's own test suite. */
const STDLIB_EXCLUDES = ['test', 'tests', 'idle_test', 'site-packages', 'dist-packages', '__pycache__', 'lib-dynload', 'config-*'];
const DEPS_EXCLUDES = ['node_modules', 'build', '__pycache__'];

function usage(message) {
  fail(`${message}\nusage: npm run bench:noise -- [--json FILE] [--compare FILE] [--sources npm,python-stdlib,project-deps] [--cache DIR] [--fail-on SEVERITY] [--airlock FILE]`);
}

function fail(message) {
  process.stderr.write(`bench:noise: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = {
    json: null,
    compare: null,
    sources: SOURCES,
    cache: process.env.AIRLOCK_BENCH_CACHE ?? join(homedir(), '.cache', 'airlock-bench'),
    failOn: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i] ?? usage(`${arg} needs a value`);
    if (arg === '--json') options.json = resolve(value());
    else if (arg === '--compare') options.compare = resolve(value());
    else if (arg === '--cache') options.cache = resolve(value());
    else if (arg === '--fail-on') options.failOn = value();
    else if (arg === '--airlock') airlock = resolve(value());
    else if (arg === '--sources') {
      options.sources = value().split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = options.sources.filter((s) => !SOURCES.includes(s));
      if (unknown.length > 0 || options.sources.length === 0) usage(`--sources takes ${SOURCES.join(', ')}; got ${unknown.join(', ') || 'nothing'}`);
    } else usage(`unknown option ${arg}`);
  }
  if (options.compare && !existsSync(options.compare)) fail(`${options.compare}: no such file (write one first with --json)`);
  return options;
}

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'], ...opts });

/** `name@version` → the tarball file name npm pack writes (`@scope/name` → `scope-name-version.tgz`). */
function tarballName(spec) {
  const at = spec.lastIndexOf('@');
  const name = spec.slice(0, at);
  return `${name.replace(/^@/, '').replace('/', '-')}-${spec.slice(at + 1)}.tgz`;
}

function folderName(spec) {
  return spec.replace('/', '+');
}

/** Downloads the pinned tarballs that are not cached yet, with one npm pack. */
function npmTarballs(cacheDir) {
  const dir = join(cacheDir, 'npm');
  mkdirSync(dir, { recursive: true });
  const missing = NPM_PACKAGES.filter((spec) => !existsSync(join(dir, tarballName(spec))));
  if (missing.length > 0) {
    console.log(`downloading ${missing.length} npm package(s) into ${dir} …`);
    try {
      run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', dir, ...missing]);
    } catch (error) {
      fail(`npm pack failed: ${String(error.stderr || error.message).trim().split('\n').slice(-3).join(' ')}`);
    }
  }
  return NPM_PACKAGES.map((spec) => {
    const file = join(dir, tarballName(spec));
    if (!existsSync(file)) fail(`npm pack did not write ${file}`);
    return { spec, file };
  });
}

function copyTree(from, to, excludes) {
  mkdirSync(to, { recursive: true });
  const tar = spawnSyncPipe(
    ['tar', ['-C', from, ...excludes.map((e) => `--exclude=${e}`), '-cf', '-', '.']],
    ['tar', ['-C', to, '-xf', '-']],
  );
  if (tar !== 0) fail(`copying ${from} failed`);
}

function spawnSyncPipe([cmdA, argsA], [cmdB, argsB]) {
  const script = `${[cmdA, ...argsA].map(shellQuote).join(' ')} | ${[cmdB, ...argsB].map(shellQuote).join(' ')}`;
  try {
    execFileSync('sh', ['-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    return 0;
  } catch {
    return 1;
  }
}

const shellQuote = (s) => `'${String(s).replaceAll("'", "'\\''")}'`;

function pythonStdlib() {
  try {
    const out = run('python3', ['-c', 'import sys, sysconfig; print(sysconfig.get_paths()["stdlib"]); print(sys.version.split()[0])']).trim().split('\n');
    return { dir: out[0], version: out[1] };
  } catch {
    fail('python3 not found: install it or leave it out with --sources npm,project-deps');
  }
}

/** This project's runtime dependencies as installed (their own nested dependencies left out). */
function projectDependencies() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return Object.keys(pkg.dependencies ?? {})
    .sort()
    .map((name) => {
      const dir = join(ROOT, 'node_modules', name);
      if (!existsSync(join(dir, 'package.json'))) fail(`${name} is not installed: run npm ci first`);
      return { name, version: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version, dir };
    });
}

/** The throwaway repository: an empty `main`, and a branch `established` that adds every source. */
function buildRepository(options) {
  const repo = mkdtempSync(join(tmpdir(), 'airlock-noise-'));
  const inventory = {};
  if (options.sources.includes('npm')) {
    inventory.npm = [];
    for (const { spec, file } of npmTarballs(options.cache)) {
      const to = join(repo, 'npm', folderName(spec));
      mkdirSync(to, { recursive: true });
      run('tar', ['-xzf', file, '-C', to, '--strip-components=1']);
      inventory.npm.push(spec);
    }
  }
  if (options.sources.includes('python-stdlib')) {
    const { dir, version } = pythonStdlib();
    copyTree(dir, join(repo, 'python-stdlib'), STDLIB_EXCLUDES);
    inventory['python-stdlib'] = [`python ${version}`];
  }
  if (options.sources.includes('project-deps')) {
    inventory['project-deps'] = [];
    for (const dep of projectDependencies()) {
      copyTree(dep.dir, join(repo, 'project-deps', `${folderName(dep.name)}@${dep.version}`), DEPS_EXCLUDES);
      inventory['project-deps'].push(`${dep.name}@${dep.version}`);
    }
  }
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' };
  const git = (...args) => run('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.invalid', '-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, env });
  git('init', '-q', '-b', 'main');
  git('commit', '-q', '--allow-empty', '-m', 'base');
  git('checkout', '-q', '-b', 'established');
  // -f: a package's own .gitignore must not hide its published files from the review.
  git('add', '-A', '-f', '.');
  git('commit', '-q', '-m', 'add established code');
  const lineCounts = parseNumstat(git('diff', '--numstat', '--no-renames', 'main', 'established'));
  return { repo, inventory, lineCounts };
}

/**
 * The defaults a pull request gets, except the scan's time budget: on a busy machine the budget
 * would leave files "not reviewed" and the figures would vary with the load, not with the rules.
 */
function benchConfig() {
  const file = join(mkdtempSync(join(tmpdir(), 'airlock-noise-config-')), 'airlock.yml');
  writeFileSync(file, 'limits:\n  time_budget_seconds: 3600\n');
  return file;
}

async function scan(repo, failOn) {
  const config = benchConfig();
  try {
    return await scanJson(airlock, ['scan', '--repo', repo, '--base', 'main', '--head', 'established', '--all', '--format', 'json', '--config', config, ...(failOn ? ['--fail-on', failOn] : [])]);
  } finally {
    rmSync(dirname(config), { recursive: true, force: true });
  }
}

const fmt = (x) => (x === null || x === undefined ? '-' : x.toLocaleString('en-US'));

function printScore(score, inventory, seconds) {
  console.log(`\nreviewed as one change: ${fmt(score.total.files)} files, ${fmt(score.total.lines)} lines, scan ${seconds.toFixed(1)} s, blocking threshold: ${score.failOn}, confidence ${score.failConfidence}`);
  for (const [source, items] of Object.entries(inventory)) console.log(`  ${source}: ${items.join(', ')}`);
  console.log('');
  const row = (s) => [s.source, fmt(s.files), fmt(s.lines), s.atLeastMedium, fmt(s.atLeastMediumPer100k), s.blocking, fmt(s.blockingPer100k), s.notReviewed];
  printTable(['source', 'files', 'lines', '>=medium', 'per 100k', 'blocking', 'per 100k', 'not reviewed'], [...score.sources.map(row), row(score.total)], 1);
  const target = score.total.blockingPer100k !== null && score.total.blockingPer100k <= 1;
  console.log(`target: <= 1 blocking finding per 100,000 lines — ${target ? 'met' : 'NOT met'}`);
  if (score.rules.length > 0) {
    console.log('\nby rule (>= medium):');
    printTable(
      ['  rule', '>=medium', 'blocking', 'by source'],
      score.rules.map((r) => [`  ${r.ruleId}`, r.atLeastMedium, r.blocking, Object.entries(r.bySource).map(([s, n]) => `${s} ${n}`).join(', ')]),
      1,
    );
  }
  if (score.blocking.length > 0) {
    console.log(`\nblocking findings (${score.blocking.length}):`);
    for (const f of score.blocking) {
      console.log(`  ${f.severity.padEnd(8)} ${f.confidence.padEnd(6)} ${f.ruleId}  ${f.path}:${f.line}  [${unitOf(f.path)}]`);
      console.log(`           ${f.snippet.split('\n')[0].trim().slice(0, 140)}`);
    }
  }
}

function printComparison(file, diff) {
  console.log(`\ncompared with ${file}:`);
  console.log(`  >= medium ${diff.total.atLeastMedium.join(' → ')}, blocking ${diff.total.blocking.join(' → ')} (${diff.total.blockingPer100k.map(fmt).join(' → ')} per 100k lines)`);
  for (const r of diff.rules) console.log(`  ${r.ruleId}: >= medium ${r.atLeastMedium.join(' → ')}, blocking ${r.blocking.join(' → ')}`);
  for (const f of diff.newBlocking) console.log(`  + ${f.ruleId}  ${f.path}:${f.line}`);
  for (const f of diff.goneBlocking) console.log(`  - ${f.ruleId}  ${f.path}:${f.line}`);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = process.hrtime.bigint();
  const { repo, inventory, lineCounts } = buildRepository(options);
  const prepared = process.hrtime.bigint();
  try {
    const report = await scan(repo, options.failOn);
    const scanned = process.hrtime.bigint();
    const score = scoreNoise(
      { findings: report.findings, failOn: report.summary.failOn, failConfidence: report.summary.failConfidence, notReviewed: report.summary.notReviewed },
      lineCounts,
    );
    const seconds = Number(scanned - prepared) / 1e9;
    printScore(score, inventory, seconds);
    const notReviewed = new Map();
    for (const n of report.summary.notReviewed) notReviewed.set(n.reason, (notReviewed.get(n.reason) ?? 0) + 1);
    for (const [reason, n] of notReviewed) console.log(`not reviewed: ${n} × ${reason}`);
    console.log(`\nwhole run: ${(Number(scanned - started) / 1e9).toFixed(1)} s (preparing the change: ${(Number(prepared - started) / 1e9).toFixed(1)} s)`);
    if (options.compare) printComparison(options.compare, compareNoise(JSON.parse(readFileSync(options.compare, 'utf8')).score, score));
    if (options.json) {
      writeFileSync(options.json, `${JSON.stringify({ inventory, scanSeconds: seconds, score }, null, 2)}\n`);
      console.log(`wrote ${options.json}`);
    }
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => fail(error.message));
}

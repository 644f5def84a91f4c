// `npm run bench:suites -- <suite-dir> …`: how much of a public, labelled SAST test suite
// Airlock catches. Each suite directory is a local checkout holding an OWASP-Benchmark-style
// expectedresults-*.csv; the whole suite is committed as one change on a throwaway git
// repository and reviewed with `airlock scan --all`, the way a pull request adding it would be.
// Prints recall and false-positive rate per CWE family and the noisiest rules. Downloads nothing.
//
//   --json FILE      also write every figure (and each case's outcome) as JSON
//   --compare FILE   a JSON written earlier by --json: list the cases whose outcome changed
//   --config FILE    an airlock.yml for the scan (default: the defaults, as a pull request gets)
//   --examples N     examples shown per noisy rule (default 3)
//   --top N          noisy rules shown per list (default 8)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable, scanJson } from '../report.mjs';
import { compareFamilies, compareRuns, familyLabel, parseExpectedResults, scoreSuite } from './score.mjs';

const AIRLOCK = fileURLToPath(new URL('../../bin/airlock.js', import.meta.url));

function usage(message) {
  fail(`${message}\nusage: npm run bench:suites -- [--json FILE] [--compare FILE] [--config FILE] [--examples N] [--top N] <suite-dir> …`);
}

function fail(message) {
  process.stderr.write(`bench:suites: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { suites: [], json: null, compare: null, config: null, examples: 3, top: 8 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i] ?? usage(`${arg} needs a value`);
    if (arg === '--json') options.json = resolve(value());
    else if (arg === '--compare') options.compare = resolve(value());
    else if (arg === '--config') options.config = resolve(value());
    else if (arg === '--examples' || arg === '--top') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0) usage(`${arg} needs a whole number`);
      options[arg.slice(2)] = n;
    } else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else options.suites.push(resolve(arg));
  }
  if (options.suites.length === 0) usage('name at least one suite directory');
  return options;
}

/** The suite's ground truth: its expectedresults-*.csv (exactly one). */
function groundTruth(dir) {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) fail(`${dir}: not a directory`);
  const csvs = readdirSync(dir).filter((n) => /^expectedresults-.*\.csv$/.test(n));
  if (csvs.length !== 1) fail(`${dir}: expected one expectedresults-*.csv, found ${csvs.length === 0 ? 'none' : csvs.join(', ')}`);
  const file = join(dir, csvs[0]);
  try {
    return { file: csvs[0], cases: parseExpectedResults(readFileSync(file, 'utf8'), `${basename(dir)}/${csvs[0]}`) };
  } catch (error) {
    fail(error.message);
  }
}

/** A throwaway repository: an empty `main`, and a `suite` branch that adds the whole directory. */
function suiteRepository(dir) {
  const repo = mkdtempSync(join(tmpdir(), 'airlock-suite-'));
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' };
  const git = (cwd, ...args) =>
    execFileSync('git', ['-c', 'user.name=Suite', '-c', 'user.email=suite@example.invalid', '-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', ...args], {
      cwd,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'commit', '-q', '--allow-empty', '-m', 'base');
  git(repo, 'checkout', '-q', '-b', 'suite');
  // The suite's files are read in place, nothing is copied: the index and objects live in the
  // throwaway repository, the suite directory only serves as its work tree for this commit.
  env.GIT_DIR = join(repo, '.git');
  env.GIT_WORK_TREE = dir;
  git(dir, 'add', '-A', '.');
  git(dir, 'commit', '-q', '-m', `add ${basename(dir)}`);
  return repo;
}

function scan(repo, config) {
  return scanJson(AIRLOCK, ['scan', '--repo', repo, '--base', 'main', '--head', 'suite', '--all', '--format', 'json', ...(config ? ['--config', config] : [])]);
}

const pct = (x) => (x === null || x === undefined ? '   -  ' : `${(100 * x).toFixed(1).padStart(5)}%`);

/** Prints rows under a header: the first `left` columns aligned left, the others right. */
function printSuite(name, truthFile, result, report, { seconds, committedSeconds }, options) {
  const { stats, notReviewed } = report.summary;
  console.log(`\n== ${name} (${truthFile}: ${result.cases.length} test cases)`);
  console.log(`scan: ${seconds.toFixed(1)} s (committing the suite before: ${committedSeconds.toFixed(1)} s), ${stats.filesScanned} files, ${stats.addedLines} lines, ${report.findings.length} findings, ${notReviewed.length} files not reviewed`);
  if (notReviewed.length > 0) {
    const reasons = new Map();
    for (const n of notReviewed) reasons.set(n.reason, (reasons.get(n.reason) ?? 0) + 1);
    for (const [reason, n] of reasons) console.log(`  not reviewed: ${n} × ${reason}`);
  }
  const header = ['family', 'CWE', 'vulnerable', 'caught', 'recall', 'safe', 'flagged', 'FP rate', 'not reviewed'];
  const rows = result.families.map((r) => [r.label, r.cwes.join('/'), r.vulnerable, r.caught, pct(r.recall), r.safe, r.flagged, pct(r.fpRate), r.notReviewedVulnerable + r.notReviewedSafe]);
  const t = result.total;
  rows.push(['all', '', t.vulnerable, t.caught, pct(t.recall), t.safe, t.flagged, pct(t.fpRate), t.notReviewedVulnerable + t.notReviewedSafe]);
  printTable(header, rows, 2);
  const missed = result.families.filter((r) => r.missed.length > 0);
  if (missed.length > 0) console.log('vulnerable cases missed, e.g.:');
  for (const r of missed) console.log(`  ${r.label}: ${r.missed.join(', ')}`);

  const list = (title, entries, what) => {
    if (entries.length === 0) return;
    console.log(`${title}:`);
    for (const e of entries.slice(0, options.top)) {
      console.log(`  ${e.count} ${what}  ${e.ruleId}  (${familyLabel(e.family)})`);
      for (const x of e.examples) console.log(`      ${x.path}:${x.line}  ${x.snippet.split('\n')[0].trim().slice(0, 100)}`);
    }
    if (entries.length > options.top) console.log(`  … ${entries.length - options.top} more rules`);
  };
  list('rules flagging safe cases of their own CWE (false alarms)', result.byRule.falseAlarms, 'cases');
  list('findings of another CWE in test case files (noise)', result.noise.otherCweOnCases, 'findings');
  list('findings outside test case files (noise)', result.noise.outsideCases, 'findings');
  if (result.byRule.rules.length > 0) {
    console.log('by rule:');
    printTable(
      ['  rule', 'family', 'caught', 'false alarms', 'precision'],
      result.byRule.rules.map((r) => [`  ${r.ruleId}`, familyLabel(r.family), r.caught, r.flagged, pct(r.precision)]),
      2,
    );
  }
}

function printComparison(file, before, after) {
  const changes = compareRuns(before, after);
  console.log(`compared with ${basename(file)}:`);
  printTable(
    ['  family', 'recall before', 'after', 'FP rate before', 'after'],
    compareFamilies(before, after).map((r) => [`  ${r.label}`, pct(r.before?.recall), pct(r.after?.recall), pct(r.before?.fpRate), pct(r.after?.fpRate)]),
    1,
  );
  console.log(`${changes.length} cases changed`);
  for (const c of changes) console.log(`  ${c.kind.padEnd(16)} ${c.name} (${familyLabel(c.family)}) ${c.rules.join(', ')}`);
}

const options = parseArgs(process.argv.slice(2));
const earlier = options.compare ? JSON.parse(readFileSync(options.compare, 'utf8')) : null;
const results = {};
for (const dir of options.suites) {
  const name = basename(dir);
  const truth = groundTruth(dir);
  let started = process.hrtime.bigint();
  const repo = suiteRepository(dir);
  const committedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  try {
    started = process.hrtime.bigint();
    const report = await scan(repo, options.config);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const result = scoreSuite({ cases: truth.cases, findings: report.findings, notReviewed: report.summary.notReviewed, examples: options.examples });
    printSuite(name, truth.file, result, report, { seconds, committedSeconds }, options);
    results[name] = { seconds, committedSeconds, findings: report.findings.length, notReviewed: report.summary.notReviewed, ...result };
    const before = earlier?.[name];
    if (before) printComparison(options.compare, before, result);
    else if (earlier) console.log(`${basename(options.compare)} has no figures for ${name}`);
  } catch (error) {
    rmSync(repo, { recursive: true, force: true });
    fail(`${name}: ${error.message}`);
  }
  rmSync(repo, { recursive: true, force: true });
}
if (options.json) writeFileSync(options.json, `${JSON.stringify(results, null, 2)}\n`);

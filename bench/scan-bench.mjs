// `npm run bench`: end-to-end scan of a synthetic 1,000-file / 100,000-line AI-authored change,
// against ripgrep running the same regex rules over the same files as a floor.
import { findInFiles } from '@ast-grep/napi';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { astLang } from '../dist/core/scan/ast-languages.js';
import { languageOf } from '../dist/core/languages.js';
import { fileURLToPath } from 'node:url';
import { loadShippedCatalog } from '../dist/io/rules-dir.js';
import { makeSyntheticChange } from './synthetic-change.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const change = makeSyntheticChange({ files: 1000, linesPerFile: 100 });
console.log(`synthetic change: ${change.files} files, ${change.lines} added lines (repo ${change.dir})`);

// The taint rules on (the shipped configuration) and off (`rules: { id: off }` removes them from
// the scan), alternating so that both see the same minute of a shared machine.
const catalog = await loadShippedCatalog();
const taintIds = catalog.rules.filter((r) => r.match.kind === 'taint').map((r) => r.meta.id);
const taintOff = join(change.dir, '.git', 'taint-off.yml');
writeFileSync(taintOff, `rules:\n${taintIds.map((id) => `  ${id}: off\n`).join('')}`);
const scanOnce = (...extra) => {
  const started = process.hrtime.bigint();
  const out = execFileSync(process.execPath, [join(here, 'scan-child.mjs'), change.dir, change.base, change.head, ...extra], { encoding: 'utf8' });
  return { ...JSON.parse(out), processMs: Number(process.hrtime.bigint() - started) / 1e6 };
};
const runs = [];
const offRuns = [];
for (let i = 0; i < RUNS; i++) {
  runs.push(scanOnce());
  if (taintIds.length > 0) offRuns.push(scanOnce('--config', taintOff));
}
const ms = median(runs.map((r) => r.ms));
const rss = Math.max(...runs.map((r) => r.maxRssMB));
const { addedLines, findings, filesScanned, notReviewed } = runs[0];
const cores = availableParallelism();
console.log(`airlock scan (git diff to rendered report, ${RUNS} runs, median): ${(ms / 1000).toFixed(2)} s`);
console.log(`  added lines/s: ${Math.round(addedLines / (ms / 1000)).toLocaleString('en-US')} (target >= 50,000)`);
console.log(`  peak RSS: ${rss.toFixed(0)} MB (target < 500 MB)`);
console.log(`  whole process incl. Node start-up: ${(median(runs.map((r) => r.processMs)) / 1000).toFixed(2)} s; CPU time, all threads: ${(median(runs.map((r) => r.cpuMs)) / 1000).toFixed(2)} s on ${cores} cores`);
console.log(`  files scanned: ${filesScanned}, findings: ${findings}, not reviewed: ${notReviewed}`);
if (offRuns.length > 0) {
  const offMs = median(offRuns.map((r) => r.ms));
  const cpu = (rs) => median(rs.map((r) => r.cpuMs));
  console.log(
    `taint rules (${taintIds.length}) on / off, same runs alternating: wall ${(ms / 1000).toFixed(2)} / ${(offMs / 1000).toFixed(2)} s = ${(ms / offMs).toFixed(2)}x, ` +
      `CPU ${(cpu(runs) / 1000).toFixed(2)} / ${(cpu(offRuns) / 1000).toFixed(2)} s = ${(cpu(runs) / cpu(offRuns)).toFixed(2)}x (target <= 1.10x); ` +
      `findings ${findings} / ${offRuns[0].findings}`,
  );
}

// The same scan with the semantic layer on this thread, counting its calls into ast-grep's
// tree objects: a figure of the engine's work that does not move with the machine's load.
{
  const counted = spawnSync(process.execPath, ['--import', join(here, 'napi-calls.mjs'), join(here, 'scan-child.mjs'), change.dir, change.base, change.head], {
    encoding: 'utf8',
    env: { ...process.env, AIRLOCK_WORKERS: '0' },
    maxBuffer: 64 << 20,
  });
  const line = counted.stderr.split('\n').find((l) => l.startsWith('NAPI_CALLS '));
  if (counted.status !== 0 || !line) {
    console.log(`ast-grep calls: not counted (${counted.stderr.trim().split('\n').at(-1) ?? `exit ${counted.status}`})`);
  } else {
    const counts = JSON.parse(line.slice('NAPI_CALLS '.length));
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const top = Object.entries(counts).slice(0, 6).map(([name, n]) => `${name} ${Math.round(n / 1000)}k`).join(', ');
    console.log(`ast-grep calls, semantic layer on the scan's thread: ${total.toLocaleString('en-US')} = ${(total / addedLines).toFixed(1)} per added line (${top})`);
  }
}

// Parsing floor: ast-grep parsing the same files with a rule that matches nothing, on all
// cores. Every file here has some AST rule whose words occur in it, so a scan cannot parse less.
const parseTimes = [];
for (let i = 0; i < RUNS; i++) parseTimes.push(await parseOnly(join(change.dir, 'src')));
const parseMs = median(parseTimes);
console.log(`ast-grep parse only (same source files, no rules): ${(parseMs / 1000).toFixed(2)} s — airlock / parse: ${(ms / parseMs).toFixed(1)}x`);

// ripgrep floor: the same RE2 regex rules, one pass over the same files.
const patterns = catalog.rules.filter((r) => r.match.kind === 'regex').map((r) => r.match.setSource);
const patternFile = join(change.dir, '.git', 'rg-patterns.txt');
writeFileSync(patternFile, `${patterns.join('\n')}\n`);
const rgArgs = ['--no-config', '--count-matches', '--no-messages', '-f', patternFile, join(change.dir, 'src')];
const probe = spawnSync('rg', ['--version'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.log('ripgrep: not installed (apt-get install ripgrep) — no floor to compare against');
} else {
  const times = [];
  let status = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync('rg', rgArgs, { encoding: 'utf8', maxBuffer: 64 << 20 });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    status = r.status ?? 2;
    if (status === 2) console.log(`ripgrep error: ${r.stderr.split('\n')[0]}`);
  }
  const rg = median(times);
  console.log(`ripgrep ${probe.stdout.split('\n')[0].split(' ')[1]}, ${patterns.length} regex rules, same files: ${(rg / 1000).toFixed(3)} s`);
  console.log(`  ratio airlock / ripgrep: ${(ms / rg).toFixed(1)}x (airlock also runs ${catalog.rules.length - patterns.length} AST/path rules and ${catalog.analyzers.length} analyzers, reads git and renders)`);
}
rmSync(change.dir, { recursive: true, force: true });

/** Milliseconds for ast-grep to parse every source file under `dir`, one search per language. */
async function parseOnly(dir) {
  const byLanguage = new Map();
  for (const entry of readdirSync(dir, { recursive: true })) {
    const language = extname(entry) ? languageOf(entry) : null;
    if (language === null || language === 'yaml') continue;
    byLanguage.set(language, [...(byLanguage.get(language) ?? []), join(dir, entry)]);
  }
  const started = process.hrtime.bigint();
  for (const [language, paths] of byLanguage) {
    // A kind no file contains: every file is parsed and walked, nothing is returned.
    await findInFiles(astLang(language), { paths, matcher: { rule: { kind: 'ERROR', regex: '^\\b$' } } }, () => {});
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}

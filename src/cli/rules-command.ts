import { relative, resolve } from 'node:path';
import { extendCatalog, type RuleCatalog } from '../core/rules/catalog.js';
import { runRuleTests } from '../core/rules/rule-tests.js';
import { loadShippedCatalog } from '../io/rules-dir.js';
import { loadScanData } from '../io/scan-data.js';
import { readSemgrepSourcesWithTests } from '../io/semgrep-sources.js';
import { UsageError } from './errors.js';
import { HELP, wantsHelp } from './help.js';
import { parseOptions, parseOptionsAndFiles, type Io } from './main.js';
import { readConfig } from './scan-command.js';

/**
 * The organisation's Semgrep rule files to test instead of the shipped rules: those named on the
 * command line, and those under `semgrep_rules:` in `--config` (relative to `--repo`).
 */
async function orgCatalog(files: string[], config: string | undefined, repo: string, cwd: string): Promise<RuleCatalog | null> {
  const root = resolve(cwd, repo);
  const listed = config ? (await readConfig(config, cwd)).semgrep_rules : [];
  const paths = [...files.map((f) => relative(root, resolve(cwd, f))), ...listed];
  if (paths.length === 0) return null;
  const sources = await readSemgrepSourcesWithTests(root, paths);
  // Checked against the shipped ids, as when the rules run in a scan.
  const all = extendCatalog(await loadShippedCatalog(), sources);
  const names = new Set(sources.map((s) => s.name));
  return { ...all, rules: all.rules.filter((r) => names.has(r.source)), analyzers: [] };
}

export async function rulesCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    io.stdout(`${HELP.rules}\n`);
    return sub === undefined ? 2 : 0;
  }
  if ((sub === 'test' || sub === 'list') && wantsHelp(rest)) {
    io.stdout(`${HELP[`rules ${sub}`]}\n`);
    return 0;
  }
  if (sub === 'test') {
    const { values, positionals } = parseOptionsAndFiles(rest, {
      rule: { type: 'string', default: '' },
      config: { type: 'string' },
      repo: { type: 'string', default: '.' },
    });
    const [org, data] = await Promise.all([orgCatalog(positionals, values.config, values.repo, io.cwd), loadScanData()]);
    if (values.config && org === null) throw new UsageError(`--config ${values.config}: lists no semgrep_rules to test`);
    const catalog = org ?? (await loadShippedCatalog());
    const report = await runRuleTests(catalog, data, values.rule);
    if (report.rules === 0) throw new UsageError(`no rule id starts with "${values.rule}"`);
    // A rule of the organisation without a test file would pass unseen: that is a failure.
    const untested = (org?.rules ?? []).filter((r) => r.meta.id.startsWith(values.rule) && r.tests.valid.length + r.tests.invalid.length === 0);
    for (const r of untested) io.stdout(`FAIL ${r.meta.id}: no test file beside ${r.source} mentions it (add ruleid:/ok: annotations)\n`);
    for (const f of report.failures) io.stdout(`FAIL ${f.ruleId} ${f.kind} case ${f.index}: ${f.problem}\n`);
    const failed = report.failures.length + untested.length;
    io.stdout(`${report.rules} rules, ${report.cases} cases: ${report.cases - report.failures.length} passed, ${failed} failed\n`);
    return failed > 0 ? 1 : 0;
  }
  if (sub === 'list') {
    const { values } = parseOptions(rest, { format: { type: 'string', default: 'text' } });
    const catalog = await loadShippedCatalog();
    const metas = [...catalog.meta.values()].sort((a, b) => a.id.localeCompare(b.id));
    if (values.format === 'json') {
      io.stdout(`${JSON.stringify(metas, null, 2)}\n`);
    } else if (values.format === 'text') {
      for (const m of metas) io.stdout(`${m.id.padEnd(48)} ${m.severity.padEnd(8)} ${m.confidence.padEnd(6)} ${m.cwe.join(',').padEnd(10)} ${m.title}\n`);
      io.stdout(`${metas.length} rules\n`);
    } else {
      throw new UsageError(`--format must be text or json, not "${values.format}"`);
    }
    return 0;
  }
  throw new UsageError(`unknown rules subcommand "${sub ?? ''}" (use: airlock rules test | airlock rules list)`);
}

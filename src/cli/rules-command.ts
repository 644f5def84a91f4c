import { runRuleTests } from '../core/rules/rule-tests.js';
import { loadShippedCatalog } from '../io/rules-dir.js';
import { loadScanData } from '../io/scan-data.js';
import { UsageError } from './errors.js';
import { parseOptions, type Io } from './main.js';

export async function rulesCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'test') {
    const { values } = parseOptions(rest, { rule: { type: 'string', default: '' } });
    const [catalog, data] = await Promise.all([loadShippedCatalog(), loadScanData()]);
    const report = await runRuleTests(catalog, data, values.rule);
    if (report.rules === 0) throw new UsageError(`no rule id starts with "${values.rule}"`);
    for (const f of report.failures) io.stdout(`FAIL ${f.ruleId} ${f.kind} case ${f.index}: ${f.problem}\n`);
    const passed = report.cases - report.failures.length;
    io.stdout(`${report.rules} rules, ${report.cases} cases: ${passed} passed, ${report.failures.length} failed\n`);
    return report.failures.length > 0 ? 1 : 0;
  }
  if (sub === 'list') {
    const { values } = parseOptions(rest, { format: { type: 'string', default: 'text' } });
    const catalog = await loadShippedCatalog();
    const metas = [...catalog.meta.values()].sort((a, b) => a.id.localeCompare(b.id));
    if (values.format === 'json') {
      io.stdout(`${JSON.stringify(metas, null, 2)}\n`);
    } else if (values.format === 'text') {
      for (const m of metas) io.stdout(`${m.id.padEnd(48)} ${m.severity.padEnd(8)} ${m.cwe.join(',').padEnd(10)} ${m.title}\n`);
      io.stdout(`${metas.length} rules\n`);
    } else {
      throw new UsageError(`--format must be text or json, not "${values.format}"`);
    }
    return 0;
  }
  throw new UsageError(`unknown rules subcommand "${sub ?? ''}" (use: airlock rules test | airlock rules list)`);
}

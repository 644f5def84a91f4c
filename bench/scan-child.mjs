// Runs one `airlock scan` in this process and reports wall time and peak RSS as JSON,
// so the parent benchmark measures exactly what a user's CLI run costs.
import { main } from '../dist/cli/main.js';

// Further arguments (`--config FILE`) go to the scan as given.
const [repo, base, head, ...extra] = process.argv.slice(2);
let output = '';
const started = process.hrtime.bigint();
const code = await main(['scan', '--repo', repo, '--base', base, '--head', head, '--format', 'json', ...extra], {
  stdout: (t) => (output += t),
  stderr: (t) => process.stderr.write(t),
  isTTY: false,
  cwd: process.cwd(),
});
const ms = Number(process.hrtime.bigint() - started) / 1e6;
if (code === 2) process.exit(2);
const report = JSON.parse(output);
const usage = process.resourceUsage();
process.stdout.write(
  JSON.stringify({
    ms,
    maxRssMB: usage.maxRSS / 1024,
    // All threads of the process (ast-grep parses on its own threads), start-up included.
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    findings: report.findings.length,
    addedLines: report.summary.stats.addedLines,
    filesScanned: report.summary.stats.filesScanned,
    notReviewed: report.summary.notReviewed.length,
  }),
);

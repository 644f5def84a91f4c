// What the benches that review a corpus as one change share: running `airlock scan --format json`
// and printing aligned tables.
import { spawn } from 'node:child_process';

/** Runs `node <airlock> <args>` and resolves to its JSON report; exit codes 0 and 1 are verdicts, others errors. */
export function scanJson(airlock, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [airlock, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let err = '';
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => (err += b));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 && code !== 1) return reject(new Error(`airlock scan exited ${code}: ${err.trim().split('\n')[0]}`));
      resolve(JSON.parse(Buffer.concat(out).toString('utf8')));
    });
  });
}

/** Prints rows under a header, the first `left` columns left-aligned and the rest right-aligned. */
export function printTable(header, rows, left) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i < left ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}

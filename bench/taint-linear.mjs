// Part of `npm run bench`: one long function, scanned whole at 5,000, 10,000 and 20,000 lines,
// to show that the scan and its taint pass grow linearly with the size of a function, and that
// they finish on realistic code rather than give up on the analysis budget (a file they give up
// on is listed as not reviewed, and this prints it).
//
// The function reads a request value at the top, then builds strings from it in ten-line blocks
// (concatenation, arrays joined, an accumulator appended to, objects, branches, logging) and
// hands the accumulator to a shell at the bottom. The accumulator is written `out = out + line`:
// the front ends do not yet read `out += line` as an assignment. "tainted" is that function; "clean" is the same
// with a constant at the top, so the pass must search every block before it can say "no flow".
import { loadShippedCatalog } from '../dist/io/rules-dir.js';
import { loadScanData } from '../dist/io/scan-data.js';
import { searchAstFiles } from '../dist/io/ast-file-search.js';
import { scanChangeSet } from '../dist/core/scan/engine.js';
import { extendCatalog } from '../dist/core/rules/catalog.js';
import { SharedSemantics } from '../dist/core/semantics/index.js';
import { taintRuleMatches } from '../dist/core/semantics/taint/rules.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZES = (process.env.BENCH_SIZES ?? "5000,10000,20000").split(",").map(Number);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Per language: file name, the function around the blocks, and one ten-line block. */
const LANGUAGES = {
  javascript: {
    path: 'src/handler.js',
    head: (source) => [`const cp = require('child_process');`, 'function handler(req, res) {', `  const input = ${source};`, "  let out = '';", '  let total = 0;', '  const items = [];'],
    block: (b) => [
      `  const msg${b} = 'step ${b}: ' + input;`,
      `  const parts${b} = [msg${b}, String(${b})];`,
      `  const line${b} = parts${b}.join(' ');`,
      `  total += line${b}.length;`,
      `  out = out + line${b};`,
      `  console.log(\`built \${total} at ${b}\`);`,
      `  const opts${b} = { n: ${b}, label: 'x' + ${b} };`,
      `  if (total > ${b}) { out = out + opts${b}.label; }`,
      `  items.push(line${b});`,
      `  const count${b} = total + ${b};`,
    ],
    tail: ["  cp.exec('echo ' + out);", '}'],
    tainted: 'req.query.cmd',
    clean: "'fixed'",
  },
  python: {
    path: 'app/handler.py',
    head: (source) => ['import subprocess', 'from flask import request', '', '', 'def handler():', `    data = ${source}`, '    out = ""', '    total = 0', '    items = []'],
    block: (b) => [
      `    msg_${b} = "step ${b}: " + data`,
      `    parts_${b} = [msg_${b}, str(${b})]`,
      `    line_${b} = " ".join(parts_${b})`,
      `    total += len(line_${b})`,
      `    out = out + line_${b}`,
      `    print("built", total, ${b})`,
      `    opts_${b} = {"n": ${b}, "label": "x" + str(${b})}`,
      `    if total > ${b}:`,
      `        out = out + opts_${b}["label"]`,
      `    items.append(line_${b})`,
    ],
    tail: ['    subprocess.getoutput("echo " + out)'],
    tainted: 'request.args["cmd"]',
    clean: '"fixed"',
  },
  go: {
    path: 'cmd/handler.go',
    head: (source) => ['package main', '', 'import (', '\t"log"', '\t"net/http"', '\t"os/exec"', ')', '', 'func handler(w http.ResponseWriter, r *http.Request) {', `\tinput := ${source}`, '\tout := ""', '\ttotal := 0', '\titems := []string{}'],
    block: (b) => [
      `\tmsg${b} := "step ${b}: " + input`,
      `\tparts${b} := []string{msg${b}, "${b}"}`,
      `\tline${b} := msg${b} + " " + parts${b}[1]`,
      `\ttotal += len(line${b})`,
      `\tout = out + line${b}`,
      `\tlog.Println("built", total, ${b})`,
      `\tlabel${b} := "x" + "${b}"`,
      `\tif total > ${b} { out = out + label${b} }`,
      `\titems = append(items, line${b})`,
      `\tcount${b} := total + ${b}; _ = count${b}`,
    ],
    tail: ['\texec.Command("sh", "-c", "echo "+out).Run()', '}'],
    tainted: 'r.URL.Query().Get("cmd")',
    clean: '"fixed"',
  },
};

/** A Go command-injection rule for this bench, used when no shipped taint rule covers Go. */
const GO_FALLBACK = `rules:
  - id: bench.go.taint.command-injection
    title: Request input reaches a shell command
    severity: critical
    category: injection
    cwe: [CWE-78]
    languages: [go]
    message: A value taken from the HTTP request reaches a shell command in the benchmark function.
    match:
      taint:
        sources: [r.URL]
        sinks: [{ name: exec.Command, arg: 2 }]
    tests:
      valid: [{ code: "package main\\nfunc f() { exec.Command(\\"sh\\", \\"-c\\", \\"ls\\") }" }]
      invalid: [{ code: "package main\\nfunc f(r *http.Request) { exec.Command(\\"sh\\", \\"-c\\", r.URL.Path) }" }]
`;

function functionOf(language, lines, variant) {
  const l = LANGUAGES[language];
  const head = l.head(variant === 'tainted' ? l.tainted : l.clean);
  const out = [...head];
  for (let b = 0; out.length + 10 + l.tail.length <= lines; b++) out.push(...l.block(b));
  while (out.length + l.tail.length < lines) out.push(language === 'python' ? '    pass' : '');
  return `${[...out, ...l.tail].join('\n')}\n`;
}

function changeSetOf(path, text) {
  const lines = text.split('\n').length - 1;
  const file = {
    path,
    oldPath: null,
    status: 'added',
    addedLines: Array.from({ length: lines }, (_, i) => i + 1),
    deletedLineCount: 0,
    removedAfter: [],
    binary: false,
    oldMode: null,
    newMode: '100644',
    size: Buffer.byteLength(text),
    unavailable: null,
  };
  return { base: 'main', head: 'bench', files: [file], loadHead: async () => new TextEncoder().encode(text) };
}

const shipped = await loadShippedCatalog();
const data = await loadScanData();
const hasTaintRules = (catalog, language) => catalog.rules.some((r) => r.match.kind === 'taint' && r.languages?.has(language));
const catalogFor = (language) =>
  language === 'go' && !hasTaintRules(shipped, 'go') ? extendCatalog(shipped, [{ name: 'bench/go-taint.yml', text: GO_FALLBACK }]) : shipped;

const time = async (f) => {
  const started = process.hrtime.bigint();
  const result = await f();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
};

console.log(`one long function, ${RUNS} runs each, median (µs per line: flat means linear)`);
for (const language of Object.keys(LANGUAGES)) {
  const catalog = catalogFor(language);
  const rules = catalog.rules.filter((r) => r.match.kind === 'taint' && r.languages?.has(language));
  for (const variant of ['tainted', 'clean']) {
    const perLine = [];
    for (const lines of SIZES) {
      const text = functionOf(language, lines, variant);
      const all = Array.from({ length: lines }, (_, i) => i + 1);
      const scans = [];
      const passes = [];
      let scan = null;
      let pass = null;
      for (let i = 0; i < RUNS; i++) {
        const s = await time(() => scanChangeSet(changeSetOf(LANGUAGES[language].path, text), { catalog, data, astSearch: searchAstFiles }));
        scans.push(s.ms);
        scan = s.result;
        // The taint pass alone: the model is built first, so this is the rules' own queries.
        const semantics = new SharedSemantics(text, language);
        semantics.get();
        const p = await time(() => taintRuleMatches(rules, language, semantics, all));
        passes.push(p.ms);
        pass = p.result;
      }
      const scanMs = median(scans);
      const passMs = median(passes);
      perLine.push(scanMs / lines);
      const sinkLine = lines - LANGUAGES[language].tail.length + 1;
      // A taint finding may give way to a pattern rule's finding on the same line (defer-to).
      const atSink = scan.findings.filter((f) => f.line === sinkLine).map((f) => f.ruleId);
      const flows = pass.matches.map((m) => `${m.ruleId}@${m.line} (${m.flow.length} steps)`);
      const notReviewed = scan.notReviewed.map((n) => n.reason).join('; ') || 'none';
      console.log(
        `  ${language.padEnd(10)} ${variant.padEnd(7)} ${String(lines).padStart(6)} lines: scan ${scanMs.toFixed(0).padStart(5)} ms (${((scanMs * 1000) / lines).toFixed(1)} µs/line), ` +
          `taint pass ${passMs.toFixed(0).padStart(4)} ms (${((passMs * 1000) / lines).toFixed(1)} µs/line); ` +
          `flows: ${flows.join(', ') || 'none'}; pass gave up: ${pass.gaveUp ?? 'no'}; scan findings on the sink line ${sinkLine}: ${atSink.join(', ') || 'none'}; not reviewed: ${notReviewed}`,
      );
    }
    console.log(`  ${language} ${variant}: µs/line at ${SIZES.at(-1)} over ${SIZES[0]} lines: ${(perLine.at(-1) / perLine[0]).toFixed(2)}x (1.00x is linear)`);
  }
}

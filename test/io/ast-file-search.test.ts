import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/core/rules/catalog.js';
import { DEFAULT_FILE, runRuleTests } from '../../src/core/rules/rule-tests.js';
import type { ScanData } from '../../src/core/rules/types.js';
import { AstBatchScheduler, combineAstRules, type AstTextSearch } from '../../src/core/scan/ast-batch.js';
import { scanChangeSet } from '../../src/core/scan/engine.js';
import { searchAstFiles } from '../../src/io/ast-file-search.js';
import { loadShippedCatalog } from '../../src/io/rules-dir.js';
import { loadScanData } from '../../src/io/scan-data.js';
import { changeSetOf, type FakeFile } from '../helpers/changeset.js';

const catalog = await loadShippedCatalog();
const data = await loadScanData();
const noData: ScanData = { popularNpm: new Map(), popularPypi: new Map() };

/** A JavaScript AST rule of a test catalog, as a rule file lists it; `match` is the YAML under `ast:`. */
const rule = (id: string, match: string) => `
  - id: ${id}
    title: test rule
    severity: high
    category: injection
    cwe: [CWE-95]
    languages: [javascript]
    message: A test rule.
    match:
      ast:
${match}
    tests: { valid: [{ code: "x" }], invalid: [{ code: "x" }] }`;

/** Every test case of every shipped AST rule as one file of one big change, in many languages. */
function everyAstCase(): FakeFile[] {
  const files: FakeFile[] = [];
  for (const rule of catalog.rules) {
    if (rule.match.kind !== 'ast') continue;
    const language = [...rule.languages!][0]!;
    for (const testCase of [...rule.tests.valid, ...rule.tests.invalid]) {
      files.push({
        path: `cases/${files.length}/${testCase.path ?? DEFAULT_FILE[language]}`,
        code: testCase.code,
        ...(testCase.added ? { added: testCase.added } : {}),
      });
    }
  }
  return files;
}

describe('AST rules searched in batches of files', () => {
  it('passes every shipped rule case', async () => {
    const report = await runRuleTests(catalog, data, '', { astSearch: searchAstFiles });
    expect(report.failures).toEqual([]);
    expect(report.cases).toBeGreaterThan(1000);
  });

  it('finds exactly what the file-by-file search finds, over all rule cases in one change', async () => {
    const files = everyAstCase();
    const byFile = await scanChangeSet(changeSetOf(files), { catalog, data });
    expect(files.length).toBeGreaterThan(700);
    expect(byFile.findings.filter((f) => f.source === 'ast').length).toBeGreaterThan(400);
    const batched = await scanChangeSet(changeSetOf(files), { catalog, data, astSearch: searchAstFiles });
    expect(batched.findings).toEqual(byFile.findings);
    expect(batched.suppressed).toEqual(byFile.suppressed);
    expect(batched.notReviewed).toEqual(byFile.notReviewed);
  });

  it('keeps rules that share metavariable and util names apart, and applies each rule’s constraints', async () => {
    const rules = buildCatalog(
      [
        {
          name: 'rules/t.yml',
          text: `rules:${rule('t.same-args', '        rule: { pattern: "call($X, $X)" }')}${rule(
            't.any-call',
            '        rule: { pattern: "call($X, $Y)" }',
          )}${rule(
            't.util-a',
            '        rule: { kind: call_expression, has: { field: function, matches: callee } }\n        utils: { callee: { regex: "^call$" } }',
          )}${rule(
            't.util-b',
            '        rule: { kind: call_expression, has: { field: function, matches: callee } }\n        utils: { callee: { regex: "^other$" } }',
          )}${rule(
            't.constrained',
            '        rule: { pattern: "call($A, $B)" }\n        constraints: { A: { regex: "^secret" } }',
          )}`,
        },
      ],
      [],
    );
    const code = 'call(a, a);\ncall(a, b);\nother(1);\ncall(secretKey, 2);\n';
    const files = [{ path: 'a.js', code }];
    const byFile = await scanChangeSet(changeSetOf(files), { catalog: rules, data: noData });
    const batched = await scanChangeSet(changeSetOf(files), { catalog: rules, data: noData, astSearch: searchAstFiles });
    const hits = (r: typeof byFile) => r.findings.map((f) => `${f.line}:${f.ruleId}`).sort();
    expect(hits(byFile)).toEqual([
      '1:t.any-call',
      '1:t.same-args',
      '1:t.util-a',
      '2:t.any-call',
      '2:t.util-a',
      '3:t.util-b',
      '4:t.any-call',
      '4:t.constrained',
      '4:t.util-a',
    ]);
    expect(hits(batched)).toEqual(hits(byFile));
  });

  it('given the lines under review, reports only matches that touch them, their constraints still checked', async () => {
    const rules = buildCatalog(
      [
        {
          name: 'rules/t.yml',
          text: `rules:${rule('t.dynamic-call', '        rule: { pattern: "call($X)" }\n        not-constant: [X]')}`,
        },
      ],
      [],
    );
    const combined = combineAstRules(rules.rules);
    const code = 'call(a);\ncall(b);\nconst k = "x";\ncall(k);\ncall(c);\n';
    const linesOf = async (lines?: number[][]) => {
      const found: number[] = [];
      await searchAstFiles('javascript', combined, [code], (_, hits) => found.push(...hits.map((h) => h.line)), lines);
      return found.sort();
    };
    expect(await linesOf()).toEqual([1, 2, 5]);
    expect(await linesOf([[2, 4]])).toEqual([2]);
    expect(await linesOf([[3]])).toEqual([]);
  });

  it('survives hostile nesting in every language on ast-grep\'s threads, finding what the file-by-file search finds', async () => {
    const n = 50_000;
    const files = [
      { path: 'deep.js', code: `x = ${'['.repeat(n)}${']'.repeat(n)};\neval(req.query.y);\n` },
      { path: 'deep.py', code: `import os\nx = ${'['.repeat(n)}${']'.repeat(n)}\nos.system(cmd)\n` },
      { path: 'deep.rb', code: `x = ${'['.repeat(n)}${']'.repeat(n)}\nsystem("ls #{params[:d]}")\n` },
      { path: 'deep.php', code: `<?php $x = ${'('.repeat(n)}1${')'.repeat(n)}; system($_GET['c']);\n` },
      { path: 'deep.go', code: `package main\nfunc main() { x := ${'('.repeat(n)}1${')'.repeat(n)} }\n` },
    ];
    const byFile = await scanChangeSet(changeSetOf(files), { catalog, data });
    const batched = await scanChangeSet(changeSetOf(files), { catalog, data, astSearch: searchAstFiles });
    expect(batched.notReviewed).toEqual([]);
    expect(batched.findings).toEqual(byFile.findings);
    expect(new Set(batched.findings.filter((f) => f.source === 'ast').map((f) => f.path))).toEqual(new Set(['deep.js', 'deep.py', 'deep.rb', 'deep.php']));
  });

  it('searches file by file when a batch cannot run, so nothing is skipped', async () => {
    const files = everyAstCase().slice(0, 150);
    const failing: AstTextSearch = async () => {
      throw new Error('disk full');
    };
    const byFile = await scanChangeSet(changeSetOf(files), { catalog, data });
    const fallback = await scanChangeSet(changeSetOf(files), { catalog, data, astSearch: failing });
    expect(byFile.findings.length).toBeGreaterThan(20);
    expect(fallback.findings).toEqual(byFile.findings);
  });
});

describe('AST batch scheduler', () => {
  it('doubles the early size of each later batch of a language, up to maxFiles', async () => {
    const sizes: string[] = [];
    const scheduler = new AstBatchScheduler<number>(
      async (language, items) => void sizes.push(`${language}:${items.length}`),
      () => 1,
      { minFiles: 2, maxFiles: 8, maxChars: 1_000, maxRunning: 1 },
    );
    const added: Promise<void>[] = [];
    for (let i = 0; i < 30; i++) {
      added.push(scheduler.add('javascript', i));
      // The previous batch has ended: the scheduler is idle again before the next file.
      await Promise.resolve();
      await Promise.resolve();
    }
    void scheduler.add('python', 100);
    void scheduler.add('python', 101);
    scheduler.flush();
    await Promise.all(added);
    expect(sizes).toEqual(['javascript:2', 'javascript:4', 'javascript:8', 'javascript:8', 'javascript:8', 'python:2']);
  });

  it('starts small batches while idle, larger ones while busy, and the rest on flush', async () => {
    const started: string[] = [];
    const release: (() => void)[] = [];
    const scheduler = new AstBatchScheduler<number>(
      async (language, items) => {
        started.push(`${language}:${items.join(',')}`);
        await new Promise<void>((resolve) => release.push(resolve));
      },
      () => 1,
      { minFiles: 2, maxFiles: 3, maxChars: 100, maxRunning: 1 },
    );
    const first = scheduler.add('python', 1);
    expect(started).toEqual([]);
    void scheduler.add('python', 2);
    expect(started).toEqual(['python:1,2']);
    // Busy: the next queue waits for maxFiles.
    void scheduler.add('go', 3);
    void scheduler.add('go', 4);
    expect(started).toHaveLength(1);
    void scheduler.add('go', 5);
    expect(started).toEqual(['python:1,2', 'go:3,4,5']);
    void scheduler.add('java', 6);
    scheduler.flush();
    expect(started).toEqual(['python:1,2', 'go:3,4,5', 'java:6']);
    release.forEach((r) => r());
    await expect(first).resolves.toBeUndefined();
  });
});

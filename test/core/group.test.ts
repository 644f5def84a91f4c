import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { groupFindings } from '../../src/core/group.js';
import { locationsOf, type Finding } from '../../src/core/model.js';
import { review } from '../../src/core/review.js';
import { ANALYZERS } from '../../src/core/analyzers/index.js';
import { buildCatalog } from '../../src/core/rules/catalog.js';
import type { RuleCatalog } from '../../src/core/rules/catalog.js';
import type { ScanData } from '../../src/core/rules/types.js';
import { fingerprint } from '../../src/core/scan/fingerprint.js';
import { loadScanData } from '../../src/io/scan-data.js';
import { changeSetOf, type FakeFile } from '../helpers/changeset.js';

const data: ScanData = { popularNpm: new Map(), popularPypi: new Map() };
const facts = { author: 'bot', authorType: 'Bot', labels: [], title: 't', body: '', headBranch: 'x', commits: [] };

const EVAL_RULES = `rules:
  - id: js.test.eval
    title: eval call
    severity: high
    category: injection
    cwe: [CWE-95]
    languages: [javascript]
    message: eval runs arbitrary code.
    match:
      ast:
        rule: { pattern: "eval($X)" }
    tests:
      valid: [{ code: "evaluate(x)" }]
      invalid: [{ code: "eval(x)" }]
  - id: js.test.eval-any
    title: any eval call
    severity: medium
    category: injection
    cwe: [CWE-95]
    languages: [javascript]
    message: eval again.
    match:
      ast:
        rule: { pattern: "eval($X)" }
    tests:
      valid: [{ code: "evaluate(x)" }]
      invalid: [{ code: "eval(x)" }]
`;
const catalog = buildCatalog([{ name: 'rules/test.yml', text: EVAL_RULES }], [...ANALYZERS]);

async function findingsOf(files: FakeFile[], c: RuleCatalog = catalog): Promise<Finding[]> {
  const report = await review({
    changeSet: changeSetOf(files),
    facts,
    config: DEFAULT_CONFIG,
    catalog: c,
    data,
    tool: { name: 'airlock', version: 'test' },
    forceReview: true,
  });
  return report.result.findings;
}

/** A workflow with one job whose steps use the given actions, one step per entry. */
function workflow(uses: string[], list = true): string {
  const steps = uses.map((u, i) => (list || i % 2 === 0 ? `      - uses: ${u}\n` : `      - name: step ${i}\n        uses: ${u}\n`));
  return `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${steps.join('')}`;
}

const unpinned = (fs: Finding[]) => fs.filter((f) => f.ruleId === 'workflow.unpinned-action');

// Connection-string passwords, long and random enough to be reported; the two share their redacted form.
const PASSWORD_A = ['Xq7', 'Lm2Vt9', 'Rk4Wz8'].join('');
const PASSWORD_B = ['Xq9', 'Pn3Bz5', 'Tc7Yd1'].join('');
const url = (password: string) => `const url = "postgres://app:${password}@db.internal:5432/app";`;

describe('one finding per problem', () => {
  it('reports one third-party action left unpinned in 20 steps as one finding with 20 locations', async () => {
    const findings = unpinned(await findingsOf([{ path: '.github/workflows/ci.yml', code: workflow(Array(20).fill('someone/setup@v4'), false) }]));
    expect(findings).toHaveLength(1);
    const [f] = findings as [Finding];
    const lines = locationsOf(f).map((l) => l.line);
    expect(lines).toHaveLength(20);
    expect(lines[0]).toBe(f.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(new Set(lines).size).toBe(20);
    expect(f.message).toContain('someone/setup');
  });

  it('keeps two different unpinned actions as two findings', async () => {
    const findings = unpinned(await findingsOf([{ path: '.github/workflows/ci.yml', code: workflow(['someone/setup@v4', 'other/cache@v2', 'someone/setup@v4']) }]));
    expect(findings.map((f) => [f.message.includes('someone/setup') ? 'setup' : 'cache', locationsOf(f).length])).toEqual([
      ['setup', 2],
      ['cache', 1],
    ]);
    expect(findings[1]).not.toHaveProperty('locations');
  });

  it('reports the same secret at 3 lines as one finding, and a different secret with the same redaction apart', async () => {
    const code = [url(PASSWORD_A), url(PASSWORD_B), url(PASSWORD_A), '', url(PASSWORD_A)].join('\n');
    const findings = (await findingsOf([{ path: 'src/db.js', code }])).filter((f) => f.ruleId.startsWith('secrets.'));
    expect(findings.map((f) => [f.ruleId, f.snippet])).toEqual([
      ['secrets.connection-string-password', findings[0]!.snippet],
      ['secrets.connection-string-password', findings[0]!.snippet],
    ]);
    expect(findings.map((f) => locationsOf(f).map((l) => l.line))).toEqual([[1, 3, 5], [2]]);
    expect(JSON.stringify(findings)).not.toContain(PASSWORD_A);
  });

  it('reports one suspect package named at two lines of a manifest once, and another one apart', async () => {
    const manifest = ['{', '  "dependencies": {', '    "expres": "^4.19.2",', '    "lodahs": "^4.0.0"', '  },', '  "devDependencies": {', '    "expres": "^4.18.0"', '  }', '}', ''].join('\n');
    const report = await review({
      changeSet: changeSetOf([{ path: 'package.json', code: manifest }]),
      facts,
      config: DEFAULT_CONFIG,
      catalog,
      data: await loadScanData(),
      tool: { name: 'airlock', version: 'test' },
      forceReview: true,
    });
    const typos = report.result.findings.filter((f) => f.ruleId === 'dependency.typosquat');
    expect(typos.map((f) => [f.message.includes('"expres"') ? 'expres' : 'lodahs', locationsOf(f).map((l) => l.line)])).toEqual([
      ['expres', [3, 7]],
      ['lodahs', [4]],
    ]);
  });

  it('merges the same matched text, never different rules, different files or different text', async () => {
    const code = 'eval(x)\neval(y)\neval( x )\n';
    const findings = await findingsOf([
      { path: 'a.js', code },
      { path: 'b.js', code: 'eval(x)\n' },
    ]);
    const shape = findings.map((f) => [f.ruleId, f.path, locationsOf(f).map((l) => l.line)]);
    expect(shape).toEqual([
      ['js.test.eval', 'a.js', [1, 3]],
      ['js.test.eval-any', 'a.js', [1, 3]],
      ['js.test.eval', 'a.js', [2]],
      ['js.test.eval-any', 'a.js', [2]],
      ['js.test.eval', 'b.js', [1]],
      ['js.test.eval-any', 'b.js', [1]],
    ]);
    // The grouping key is internal: it never leaves the core.
    for (const f of findings) expect(f).not.toHaveProperty('group');
  });

  it('counts groups in the verdict', async () => {
    const report = await review({
      changeSet: changeSetOf([{ path: 'a.js', code: 'eval(x)\n'.repeat(5) }]),
      facts,
      config: DEFAULT_CONFIG,
      catalog,
      data,
      tool: { name: 'airlock', version: 'test' },
      forceReview: true,
    });
    expect(report.verdict.blocking).toHaveLength(1);
    expect(report.verdict.counts.high).toBe(1);
    expect(report.verdict.counts.medium).toBe(1);
    expect(report.verdict.title).toBe('1 finding at or above high');
  });
});

describe('fingerprints of grouped findings', () => {
  it('does not change when one more occurrence is added, before or after the others', async () => {
    const before = await findingsOf([{ path: 'a.js', code: 'f()\neval(x)\ng()\neval(x)\n' }]);
    const later = await findingsOf([{ path: 'a.js', code: 'eval(x)\nf()\neval(x)\ng()\neval(x)\neval(x)\n' }]);
    const fp = (fs: Finding[]) => fs.find((f) => f.ruleId === 'js.test.eval')!.fingerprint;
    expect(fp(later)).toBe(fp(before));
    expect(locationsOf(later.find((f) => f.ruleId === 'js.test.eval')!)).toHaveLength(4);
    // It is the fingerprint the first occurrence had before grouping: earlier allowances keep working.
    expect(fp(before)).toBe(fingerprint('js.test.eval', 'a.js', 'eval(x)', 0));
  });

  it('keeps an unpinned action\'s fingerprint when a step using it is added, whatever the step looks like', async () => {
    const path = '.github/workflows/ci.yml';
    const fp = async (uses: string[], list: boolean) => unpinned(await findingsOf([{ path, code: workflow(uses, list) }]))[0]!.fingerprint;
    const base = await fp(['actions/checkout@v4', 'someone/setup@v4', 'someone/setup@v4'], true);
    expect(await fp(['someone/setup@v4', 'actions/checkout@v4', 'someone/setup@v4', 'someone/setup@v4'], false)).toBe(base);
  });

  it('keeps a secret\'s fingerprint when the value appears once more', async () => {
    const fp = async (code: string) => (await findingsOf([{ path: 'src/db.js', code }])).find((f) => f.ruleId.startsWith('secrets.'))!.fingerprint;
    expect(await fp(`// config\n${url(PASSWORD_A)}\n${url(PASSWORD_A)}\n`)).toBe(await fp(`${url(PASSWORD_A)}\n`));
  });
});

describe('groupFindings', () => {
  const base: Finding = {
    ruleId: 'r',
    title: 't',
    severity: 'high',
    confidence: 'medium',
    category: 'c',
    cwe: [],
    path: 'a.js',
    line: 1,
    endLine: 1,
    column: 1,
    message: 'm',
    fix: null,
    references: [],
    snippet: 's',
    fingerprint: 'old',
    source: 'regex',
    group: { key: 'k', analyzer: false },
  };
  const at = (line: number, extra: Partial<Finding> = {}): Finding => ({ ...base, line, endLine: line, ...extra });

  it('takes the surest occurrence\'s confidence, so one confident occurrence is enough to block', () => {
    const [f] = groupFindings([at(1), at(5, { confidence: 'high' }), at(9, { confidence: 'low' })]);
    expect(f!.confidence).toBe('high');
    expect(f!.line).toBe(1);
  });

  it('keeps occurrences that a rule explains differently apart, with distinct fingerprints ranked by first line', () => {
    const fs = groupFindings([at(1, { message: 'step "lint"' }), at(4, { message: 'step "test"' }), at(7, { message: 'step "lint"' })]);
    expect(fs.map((f) => [f.message, locationsOf(f).map((l) => l.line), f.fingerprint])).toEqual([
      ['step "lint"', [1, 7], fingerprint('r', 'a.js', 'k', 0)],
      ['step "test"', [4], fingerprint('r', 'a.js', 'k', 1)],
    ]);
  });

  it('merges an analyzer\'s key whatever the message says, and leaves findings without a key alone', () => {
    const keyed = { group: { key: 'owner/action@v1', analyzer: true } };
    const plain: Finding = { ...at(3), fingerprint: 'kept' };
    delete plain.group;
    const fs = groupFindings([at(1, { ...keyed, message: 'at column 1' }), plain, at(2, { ...keyed, message: 'at column 9' })]);
    expect(fs.map((f) => [f.line, locationsOf(f).length, f.fingerprint])).toEqual([
      [1, 2, fingerprint('r', 'a.js', 'owner/action@v1', 0)],
      [3, 1, 'kept'],
    ]);
  });
});

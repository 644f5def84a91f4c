import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ANALYZERS } from '../../src/core/analyzers/index.js';
import { EXTENSION_OF, languageOf } from '../../src/core/languages.js';
import type { ScanResult } from '../../src/core/model.js';
import { buildCatalog, type RuleCatalog, type RuleSource } from '../../src/core/rules/catalog.js';
import type { ScanData } from '../../src/core/rules/types.js';
import { scanChangeSet, type ScanOptions } from '../../src/core/scan/engine.js';
import { searchAstFiles } from '../../src/io/ast-file-search.js';
import { loadShippedCatalog, shippedRuleSources } from '../../src/io/rules-dir.js';
import { SemanticPool, workerUrlFor, workersFromEnv } from '../../src/io/semantic-pool.js';
import { changeSetOf, type FakeFile } from '../helpers/changeset.js';

// The workers run the built code (dist/, as `npm test` builds it first); the scan here runs the
// sources. Both come from the same tree, so a difference in findings is a difference of the pool.
const WORKER = new URL('../../dist/io/semantic-worker.js', import.meta.url);
const FAILING_WORKER = new URL('./fixtures/failing-semantic-worker.mjs', import.meta.url);

const data: ScanData = { popularNpm: new Map(), popularPypi: new Map() };

/** A change of every call and taint rule's own flagged examples, plus files the semantic layer does not look at. */
function mixedChange(catalog: RuleCatalog): FakeFile[] {
  const files: FakeFile[] = [];
  for (const rule of catalog.rules) {
    if (rule.match.kind !== 'call' && rule.match.kind !== 'taint') continue;
    const language = [...(rule.languages ?? [])][0];
    const ext = language ? EXTENSION_OF[language] : undefined;
    rule.tests.invalid.forEach((c, n) => {
      const path = c.path ?? `cases/${rule.meta.id}/${n}.${ext ?? 'txt'}`;
      if (files.some((f) => f.path === path)) return;
      files.push({ path, code: c.code, ...(c.added ? { added: c.added } : {}) });
    });
  }
  files.push({ path: 'notes/readme.md', code: 'curl https://example.com/x.sh | bash\n' });
  files.push({ path: 'src/empty.py', code: '' });
  return files;
}

const sameResult = (result: ScanResult) => ({ ...result, stats: { ...result.stats, durationMs: 0 } });

async function scanBoth(catalog: RuleCatalog, files: FakeFile[], pool: SemanticPool, sources: RuleSource[] = []) {
  const options: ScanOptions = { catalog, data, astSearch: searchAstFiles, now: () => 0 };
  const inProcess = await scanChangeSet(changeSetOf(files), options);
  const session = pool.session(sources);
  try {
    const pooled = await scanChangeSet(changeSetOf(files), { ...options, semanticRunner: session });
    return { inProcess: sameResult(inProcess), pooled: sameResult(pooled) };
  } finally {
    session.release();
  }
}

const ORG_RULES: RuleSource = {
  name: '.github/airlock-rules/org.yml',
  text: `rules:
  - id: org.test.exec-query
    title: Query to exec
    severity: high
    category: injection
    cwe: [CWE-78]
    languages: [javascript]
    message: A request parameter reaches a shell command.
    match:
      taint:
        sources: [req.query]
        sinks: [{ name: child_process.exec }]
    tests:
      valid: [{ code: "x()" }]
      invalid: [{ code: "y()" }]
`,
};

const ORG_CODE = `const cp = require('child_process');
function run(cmd) { cp.exec('sh -c ' + cmd); }
app.get('/x', (req, res) => {
  run(req.query.a);
});
`;

describe('semantic pool', () => {
  beforeAll(() => {
    if (!existsSync(WORKER)) throw new Error('dist/io/semantic-worker.js is missing: run `npm run build` first');
  });

  describe('with the shipped rules', () => {
    let pool: SemanticPool;
    beforeAll(() => {
      pool = new SemanticPool({ size: 2, workerUrl: WORKER });
    });
    afterAll(() => pool.close());

    it('finds on worker threads exactly what the scan finds in-process, in the same order', async () => {
      const catalog = await loadShippedCatalog();
      const files = mixedChange(catalog);
      const { inProcess, pooled } = await scanBoth(catalog, files, pool);
      // The change exercises the semantic layer: taint and call findings, with their flows.
      const semanticIds = new Set(catalog.rules.filter((r) => r.match.kind === 'taint' || r.match.kind === 'call').map((r) => r.meta.id));
      expect(inProcess.findings.filter((f) => semanticIds.has(f.ruleId)).length).toBeGreaterThan(20);
      expect(inProcess.findings.some((f) => f.flow && f.flow.length > 1)).toBe(true);
      expect(pooled).toEqual(inProcess);
    });

    it('runs several scans at once on one pool, each with its own rule files', async () => {
      const shipped = await loadShippedCatalog();
      const orgCatalog = buildCatalog([...(await shippedRuleSources()), ORG_RULES], [...ANALYZERS]);
      const files: FakeFile[] = [{ path: 'src/app.js', code: ORG_CODE }, ...mixedChange(shipped).slice(0, 20)];
      const [org, plain] = await Promise.all([scanBoth(orgCatalog, files, pool, [ORG_RULES]), scanBoth(shipped, files, pool)]);
      expect(org.inProcess.findings.map((f) => f.ruleId)).toContain('org.test.exec-query');
      expect(org.pooled).toEqual(org.inProcess);
      expect(plain.pooled.findings.map((f) => f.ruleId)).not.toContain('org.test.exec-query');
      expect(plain.pooled).toEqual(plain.inProcess);
    });
  });

  describe('when a worker dies', () => {
    const own = buildCatalog([ORG_RULES], []);
    const files = (marker: string): FakeFile[] => [
      { path: 'a/one.js', code: ORG_CODE },
      { path: 'a/two.js', code: `${ORG_CODE}// ${marker}\n` },
      { path: 'a/three.js', code: ORG_CODE },
      { path: 'a/four.js', code: ORG_CODE },
    ];

    it.each([
      ['AIRLOCK_TEST_EXIT', 'the analysis thread stopped (exit code 3) on a/two.js'],
      ['AIRLOCK_TEST_HEAP', 'the analysis thread ran out of memory (its heap is limited to 32 MB) on a/two.js'],
      // Generous: only a worker stuck for good reaches it, even on a busy machine.
      ['AIRLOCK_TEST_HANG', 'the analysis thread was stopped after 10 s on a/two.js'],
    ])('lists the file it was on (%s) as not reviewed, replaces it, and scans the others', async (marker, reason) => {
      const pool = new SemanticPool({ size: 1, heapMb: 32, requestTimeoutMs: 10_000, shipped: false, workerUrl: FAILING_WORKER });
      try {
        const { inProcess, pooled } = await scanBoth(own, files(marker), pool, [ORG_RULES]);
        expect(pooled.notReviewed).toEqual([{ path: 'a/two.js', reason: `call and taint rules not run: ${reason}` }]);
        expect(inProcess.findings.map((f) => f.path)).toEqual(['a/four.js', 'a/one.js', 'a/three.js', 'a/two.js']);
        expect(pooled.findings).toEqual(inProcess.findings.filter((f) => f.path !== 'a/two.js'));
        expect(pooled.stats.filesScanned).toBe(4);
      } finally {
        await pool.close();
      }
    });

    it('lists every file when no worker can start, and does not hang', async () => {
      const pool = new SemanticPool({ size: 2, shipped: false, workerUrl: new URL('./fixtures/no-such-worker.mjs', import.meta.url) });
      try {
        const result = await scanChangeSet(changeSetOf(files('none')), { catalog: own, data, semanticRunner: pool.session([ORG_RULES]) });
        expect(result.findings).toEqual([]);
        expect(result.notReviewed.map((n) => n.path).sort()).toEqual(['a/four.js', 'a/one.js', 'a/three.js', 'a/two.js']);
        for (const n of result.notReviewed) expect(n.reason).toMatch(new RegExp(`^call and taint rules not run: the analysis thread failed \\(.*\\) on ${n.path}$`));
      } finally {
        await pool.close();
      }
    });
  });

  it('stops workers idle for idleMs, and starts them again for the next request', async () => {
    const own = buildCatalog([ORG_RULES], []);
    const pool = new SemanticPool({ size: 2, idleMs: 1, shipped: false, workerUrl: WORKER });
    const scan = () => scanChangeSet(changeSetOf([{ path: 'src/app.js', code: ORG_CODE }]), { catalog: own, data, now: () => 0, semanticRunner: pool.session([ORG_RULES]) });
    try {
      expect(pool.workers).toBe(0);
      const first = await scan();
      expect(first.findings.map((f) => f.ruleId)).toEqual(['org.test.exec-query']);
      await vi.waitFor(() => expect(pool.workers).toBe(0), { timeout: 30_000 });
      expect(await scan()).toEqual(first);
    } finally {
      await pool.close();
    }
  });

  it('takes its size from AIRLOCK_WORKERS: a whole number, 0 for none, anything else a clear error', () => {
    expect(workersFromEnv({})).toBeUndefined();
    expect(workersFromEnv({ AIRLOCK_WORKERS: ' 3 ' })).toBe(3);
    expect(workersFromEnv({ AIRLOCK_WORKERS: '0' })).toBeNull();
    expect(() => workersFromEnv({ AIRLOCK_WORKERS: 'many' })).toThrow('AIRLOCK_WORKERS must be a whole number of worker threads from 0 (none: the main thread) to 64 (got "many")');
    expect(() => workersFromEnv({ AIRLOCK_WORKERS: '-1' })).toThrow(/got "-1"/);
  });

  it('refuses a size or heap limit it cannot use', () => {
    expect(() => new SemanticPool({ size: 0 })).toThrow('semantic pool: size must be a whole number of workers, at least 1 (got 0)');
    expect(() => new SemanticPool({ heapMb: 1.5 })).toThrow(/heapMb must be a whole number of MB/);
  });
});

// The languages the change above covers, so that a rule in a new language is not silently left out.
describe('semantic pool worker file', () => {
  const packageWorker = new URL('../../dist/io/semantic-worker.js', import.meta.url).href;

  it('is the package build beside the built pool', () => {
    expect(workerUrlFor(new URL('../../dist/io/semantic-pool.js', import.meta.url).href).href).toBe(packageWorker);
  });

  it("is the package's build for the sources and for builds that compile no worker of their own (the demo's, the benches')", () => {
    expect(workerUrlFor(new URL('../../src/io/semantic-pool.ts', import.meta.url).href).href).toBe(packageWorker);
    const elsewhere = new URL('../../dist/demo/src/io/semantic-pool.js', import.meta.url).href;
    expect(existsSync(new URL('./semantic-worker.js', elsewhere))).toBe(false);
    expect(workerUrlFor(elsewhere).href).toBe(packageWorker);
    expect(existsSync(new URL(packageWorker))).toBe(true);
  });
});

describe('semantic pool test change', () => {
  it('has a file extension for every language of a call or taint rule', async () => {
    const catalog = await loadShippedCatalog();
    for (const rule of catalog.rules) {
      if (rule.match.kind !== 'call' && rule.match.kind !== 'taint') continue;
      const language = [...(rule.languages ?? [])][0]!;
      expect(EXTENSION_OF[language], rule.meta.id).toBeDefined();
      expect(languageOf(`x.${EXTENSION_OF[language]}`)).toBe(language);
    }
  });
});

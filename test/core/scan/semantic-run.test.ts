import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/core/rules/catalog.js';
import type { ScanData } from '../../../src/core/rules/types.js';
import { scanChangeSet, type ScanOptions } from '../../../src/core/scan/engine.js';
import { answerSemanticRequest, type SemanticRequest, type SemanticResult, type SemanticRunner } from '../../../src/core/scan/semantic-run.js';
import { changeSetOf, type FakeFile } from '../../helpers/changeset.js';
import { ruleYaml } from '../../helpers/rule-yaml.js';

const data: ScanData = { popularNpm: new Map(), popularPypi: new Map() };


const catalog = buildCatalog(
  [
    {
      name: 'rules/t.yml',
      text: `rules:
${ruleYaml('js.t.exec', '      taint:\n        sources: [req.query]\n        sinks: [{ name: child_process.exec }]')}${ruleYaml(
        'js.t.eval-call',
        '      call:\n        name: [eval]\n        arg-is: [dynamic]',
      )}${ruleYaml('js.t.todo', "      regex: 'TODO'")}`,
    },
  ],
  [],
);
const byId = new Map(catalog.rules.map((r) => [r.meta.id, r]));

const CODE = (n: number) => `const cp = require('child_process');
function run${n}(cmd) { cp.exec('sh -c ' + cmd); }
app.get('/x${n}', (req, res) => {
  run${n}(req.query.a);
  eval(req.query.c); // TODO
});
`;

const files: FakeFile[] = [
  ...Array.from({ length: 9 }, (_, i) => ({ path: `src/f${i}.js`, code: CODE(i) })),
  { path: 'README.md', code: 'TODO\n' },
  { path: 'src/g.js', code: CODE(9), added: [5] },
];

/** Answers on this thread, later and in reverse order of asking: the scan must not depend on the order. */
function reversingRunner(concurrency: number, fail?: (request: SemanticRequest) => Error | null) {
  const held: { request: SemanticRequest; resolve: (r: SemanticResult) => void; reject: (e: Error) => void }[] = [];
  const seen = { requests: 0, maxInFlight: 0, inFlight: 0 };
  const runner: SemanticRunner = {
    concurrency,
    run: (request) =>
      new Promise<SemanticResult>((resolve, reject) => {
        seen.requests++;
        seen.maxInFlight = Math.max(seen.maxInFlight, ++seen.inFlight);
        held.push({ request, resolve, reject });
        setImmediate(() => {
          for (const h of held.splice(0).reverse()) {
            seen.inFlight--;
            const error = fail?.(h.request) ?? null;
            if (error) h.reject(error);
            else h.resolve(structuredClone(answerSemanticRequest((id) => byId.get(id), h.request)));
          }
        });
      }),
  };
  return { runner, seen };
}

describe('the semantic layer on a runner', () => {
  const options: ScanOptions = { catalog, data, now: () => 0 };

  it('gives the findings and reasons of the in-process scan, in file order, with at most `concurrency` files in flight', async () => {
    const inProcess = await scanChangeSet(changeSetOf(files), options);
    expect(inProcess.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['js.t.exec', 'js.t.eval-call', 'js.t.todo']));
    expect(inProcess.findings.find((f) => f.ruleId === 'js.t.exec')?.flow?.length).toBeGreaterThan(1);
    const { runner, seen } = reversingRunner(3);
    const pooled = await scanChangeSet(changeSetOf(files), { ...options, semanticRunner: runner });
    expect(pooled).toEqual(inProcess);
    // Every JavaScript file with added lines goes to the runner; README.md does not.
    expect(seen.requests).toBe(10);
    expect(seen.maxInFlight).toBe(3);
  });

  it('lists a file whose request failed as not reviewed, with the reason, and keeps its other findings', async () => {
    const { runner } = reversingRunner(4, (r) => (r.path === 'src/f3.js' ? new Error('the analysis thread stopped (exit code 1) on src/f3.js') : null));
    const result = await scanChangeSet(changeSetOf(files), { ...options, semanticRunner: runner });
    expect(result.notReviewed).toEqual([{ path: 'src/f3.js', reason: 'call and taint rules not run: the analysis thread stopped (exit code 1) on src/f3.js' }]);
    expect(result.findings.filter((f) => f.path === 'src/f3.js').map((f) => f.ruleId)).toEqual(['js.t.todo']);
    expect(result.findings.filter((f) => f.path === 'src/f4.js').map((f) => f.ruleId).sort()).toEqual(['js.t.eval-call', 'js.t.exec', 'js.t.todo']);
  });

  it('refuses a request naming a rule its catalog does not have, or one of another kind', () => {
    const request: SemanticRequest = { path: 'a.js', text: CODE(0), language: 'javascript', callRules: [], taintRules: ['js.t.nope'], sortedAdded: [1] };
    expect(() => answerSemanticRequest((id) => byId.get(id), request)).toThrow("internal: no taint rule js.t.nope in the worker's catalog");
    expect(() => answerSemanticRequest((id) => byId.get(id), { ...request, taintRules: [], callRules: ['js.t.exec'] })).toThrow(
      "internal: no call rule js.t.exec in the worker's catalog",
    );
  });
});

import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../../src/core/rules/catalog.js';
import type { ScanData } from '../../../../src/core/rules/types.js';
import { scanChangeSet } from '../../../../src/core/scan/engine.js';
import { SharedSemantics } from '../../../../src/core/semantics/index.js';
import { callRuleMatches } from '../../../../src/core/semantics/rules.js';
import { taintRuleMatches } from '../../../../src/core/semantics/taint/rules.js';
import { changeSetOf } from '../../../helpers/changeset.js';
import { ruleYaml } from '../../../helpers/rule-yaml.js';

// Call and taint rules of one file share one semantic model: what one rule learns about the file
// (its functions, its calls' callees) must not change what another rule finds.


const catalog = buildCatalog(
  [
    {
      name: 'rules/t.yml',
      text: `rules:
${ruleYaml('js.t.exec', '      taint:\n        sources: [req.query]\n        sinks: [{ name: child_process.exec }]')}${ruleYaml(
        'js.t.fetch',
        '      taint:\n        sources: [req.query]\n        sinks: [{ name: fetch }]',
      )}${ruleYaml('js.t.eval-call', '      call:\n        name: [eval]\n        arg-is: [dynamic]')}`,
    },
  ],
  [],
);
const taint = catalog.rules.filter((r) => r.match.kind === 'taint');
const calls = catalog.rules.filter((r) => r.match.kind === 'call');

const CODE = `const cp = require('child_process');
function run(cmd) { cp.exec('sh -c ' + cmd); }
function get(url) { return fetch(url); }
app.get('/x', (req, res) => {
  run(req.query.a);
  get(req.query.b);
  eval(req.query.c);
  cp.exec(req.query.d);
});
`;
const ALL = CODE.split('\n').map((_, i) => i + 1);

describe('taint and call rules on one shared model', () => {
  it('each rule finds its own flows through the same-file helpers, whichever rule asks first', () => {
    for (const order of [taint, [...taint].reverse()]) {
      const shared = new SharedSemantics(CODE, 'javascript');
      expect(callRuleMatches(calls, 'javascript', shared, ALL).matches.map((m) => [m.ruleId, m.line])).toEqual([['js.t.eval-call', 7]]);
      const found = taintRuleMatches(order, 'javascript', shared, ALL).matches.map((m) => [m.ruleId, m.line]);
      expect(found.sort()).toEqual([
        ['js.t.exec', 5],
        ['js.t.exec', 8],
        ['js.t.fetch', 6],
      ]);
    }
  });

  it('give the same findings on a shared model as each on its own text', () => {
    const shared = new SharedSemantics(CODE, 'javascript');
    const together = taintRuleMatches(taint, 'javascript', shared, ALL).matches;
    const apart = taint.flatMap((r) => taintRuleMatches([r], 'javascript', CODE, ALL).matches);
    expect(together.map((m) => m.message).sort()).toEqual(apart.map((m) => m.message).sort());
  });

  it('share the budget: a model past its bounds makes both kinds of rule give up, and the scan lists the file once', async () => {
    const shared = new SharedSemantics(CODE, 'javascript', { maxSteps: 5 });
    expect(callRuleMatches(calls, 'javascript', shared, ALL)).toEqual({ matches: [], gaveUp: 'more than 5 analysis steps' });
    expect(taintRuleMatches(taint, 'javascript', shared, ALL)).toEqual({ matches: [], gaveUp: 'more than 5 analysis steps' });

    const body = ['  let v0 = req.query.x;'];
    for (let i = 1; i < 400; i++) body.push(`  let v${i} = v${i - 1} + "y";`);
    const deep = `app.get('/x', (req, res) => {\n${body.join('\n')}\n  eval(v399);\n  require('child_process').exec(v399);\n});\n`;
    const data: ScanData = { popularNpm: new Map(), popularPypi: new Map() };
    const result = await scanChangeSet(changeSetOf([{ path: 'deep.js', code: deep }]), { catalog, data });
    expect(result.notReviewed).toEqual([{ path: 'deep.js', reason: expect.stringMatching(/^analysis budget: nesting deeper than/) }]);
  });

  it('skip a rule none of whose sinks the file can reach, and still run the others', () => {
    const code = "const cp = require('child_process');\napp.get('/x', (req) => cp.exec(req.query.a));\n";
    const lines = [1, 2];
    expect(taintRuleMatches(taint, 'javascript', code, lines).matches.map((m) => m.ruleId)).toEqual(['js.t.exec']);
    expect(taintRuleMatches(taint.filter((r) => r.meta.id === 'js.t.fetch'), 'javascript', code, lines)).toEqual({ matches: [], gaveUp: null });
  });
});

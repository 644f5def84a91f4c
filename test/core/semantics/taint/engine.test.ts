import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../../src/core/rules/catalog.js';
import type { ScanData } from '../../../../src/core/rules/types.js';
import { scanChangeSet } from '../../../../src/core/scan/engine.js';
import { loadShippedCatalog } from '../../../../src/io/rules-dir.js';
import { changeSetOf } from '../../../helpers/changeset.js';

// Taint rules inside the real engine: the path in the message, deferring to pattern rules on the
// same line, and the "gave up" path.

const data: ScanData = { popularNpm: new Map(), popularPypi: new Map() };
const shipped = await loadShippedCatalog();

describe('taint rules in the scan engine', () => {
  it('report the path, and leave a line a pattern rule already reports to that rule', async () => {
    const code = `import * as nodeCp from 'child_process';
const cp = require('child_process');
app.get('/x', (req, res) => {
  const name = req.query.name;
  nodeCp.exec('ls ' + name);
  cp.exec('ls ' + name);
});
`;
    const result = await scanChangeSet(changeSetOf([{ path: 'app.js', code }]), { catalog: shipped, data });
    const shell = result.findings.filter((f) => /command-injection|child-process-exec/.test(f.ruleId)).map((f) => [f.ruleId, f.line]);
    expect(shell).toEqual([
      ['js.taint.command-injection', 5],
      ['js.injection.child-process-exec', 6],
    ]);
    const taint = result.findings.find((f) => f.ruleId === 'js.taint.command-injection')!;
    expect(taint.message).toContain("Path: `req.query.name` (line 4) → `name` (line 4) → `nodeCp.exec('ls ' + name)` (line 5)");
    expect(taint.flow).toEqual([
      { line: 4, text: 'req.query.name' },
      { line: 4, text: 'name' },
      { line: 5, text: "nodeCp.exec('ls ' + name)" },
    ]);
  });

  it('list a file the taint analysis gave up on as not reviewed', async () => {
    const rules = shipped.rules.filter((r) => r.meta.id === 'py.taint.command-injection');
    const catalog = { ...shipped, rules, analyzers: [], disabled: new Set<string>() };
    const lines = ['import os', 'from flask import request', 'def v():', '    a0 = request.args["x"]'];
    for (let i = 1; i < 400; i++) lines.push(`    a${i} = a${i - 1} + "y"`);
    lines.push('    os.system(a399)');
    const result = await scanChangeSet(changeSetOf([{ path: 'deep.py', code: `${lines.join('\n')}\n` }]), { catalog, data });
    expect(result.findings).toEqual([]);
    expect(result.notReviewed).toEqual([{ path: 'deep.py', reason: expect.stringMatching(/^analysis budget: nesting deeper than/) }]);
  });

  it('a taint rule that names no supported language is refused', () => {
    const yaml = `rules:
  - id: go.test.taint
    title: taint rule
    severity: high
    category: injection
    cwe: [CWE-78]
    languages: [yaml]
    message: A message long enough for the schema.
    match:
      taint:
        sources: [req.query]
        sinks: [{ name: child_process.exec }]
    tests:
      valid: [{ code: "x" }]
      invalid: [{ code: "y" }]
`;
    expect(() => buildCatalog([{ name: 'rules/t.yml', text: yaml }], [])).toThrow(/taint rules need languages the semantic layer supports/);
  });
});

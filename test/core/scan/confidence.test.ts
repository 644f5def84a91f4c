import { describe, expect, it } from 'vitest';
import { ANALYZERS } from '../../../src/core/analyzers/index.js';
import { buildCatalog, configureCatalog, extendCatalog } from '../../../src/core/rules/catalog.js';
import { DEFAULT_RULE_CONFIDENCE, RuleFileError } from '../../../src/core/rules/schema.js';
import type { ScanData } from '../../../src/core/rules/types.js';
import { scanChangeSet } from '../../../src/core/scan/engine.js';
import { loadShippedCatalog } from '../../../src/io/rules-dir.js';
import { changeSetOf } from '../../helpers/changeset.js';

const data: ScanData = { popularNpm: new Map(), popularPypi: new Map() };

const rule = (id: string, confidence: string | null) => `
  - id: ${id}
    title: eval call
    severity: high
${confidence === null ? '' : `    confidence: ${confidence}\n`}    category: injection
    cwe: [CWE-95]
    languages: [javascript]
    message: eval runs arbitrary code.
    match:
      ast:
        rule: { pattern: "${id.endsWith('b') ? 'evalB' : 'eval'}($X)" }
    tests:
      valid: [{ code: "evaluate(x)" }]
      invalid: [{ code: "${id.endsWith('b') ? 'evalB' : 'eval'}(x)" }]
`;

const RULES = `rules:${rule('js.test.eval', 'medium')}${rule('js.test.evalb', null)}`;
const catalog = buildCatalog([{ name: 'rules/test.yml', text: RULES }], [...ANALYZERS]);

// A password in a connection string: long and random, so the analyzer judges it high on its own.
const RANDOM_PASSWORD = ['Xq7', 'Lm2Vt9', 'Rk4Wz8'].join('');
const CODE = `eval(x)\nevalB(y)\nconst url = "postgres://app:${RANDOM_PASSWORD}@db.internal:5432/app";\n`;

async function confidences(c = catalog) {
  const result = await scanChangeSet(changeSetOf([{ path: 'a.js', code: CODE }]), { catalog: c, data });
  return Object.fromEntries(result.findings.map((f) => [f.ruleId, f.confidence]));
}

describe('confidence in rules and findings', () => {
  it('takes the rule\'s declared confidence, the default for a rule that declares none, and the analyzer\'s own per finding', async () => {
    expect(DEFAULT_RULE_CONFIDENCE).toBe('high');
    expect(catalog.meta.get('js.test.eval')!.confidence).toBe('medium');
    expect(catalog.meta.get('js.test.evalb')!.confidence).toBe('high');
    // The connection-string rule is medium; this finding's random password makes it high.
    expect(catalog.meta.get('secrets.connection-string-password')!.confidence).toBe('medium');
    expect(await confidences()).toEqual({
      'js.test.eval': 'medium',
      'js.test.evalb': 'high',
      'secrets.connection-string-password': 'high',
    });
  });

  it('refuses a bad confidence with one line naming file, rule and field', () => {
    const bad = `rules:${rule('js.test.eval', 'certain')}`;
    expect(() => buildCatalog([{ name: 'rules/bad.yml', text: bad }], [])).toThrow(RuleFileError);
    expect(() => buildCatalog([{ name: 'rules/bad.yml', text: bad }], [])).toThrow(
      /^rules\/bad\.yml: rule js\.test\.eval: confidence: Invalid option: expected one of "high"\|"medium"\|"low"$/,
    );
    expect(() => buildCatalog([{ name: 'rules/bad.yml', text: `rules:${rule('js.test.eval', 'HIGH')}` }], [])).toThrow(/rule js\.test\.eval: confidence: /);
  });

  it('applies a configured confidence to every finding of the rule, over the analyzer\'s own judgement', async () => {
    const configured = configureCatalog(catalog, {
      'js.test.eval': { confidence: 'high' },
      'js.test.evalb': { severity: 'low' },
      'secrets.*': { confidence: 'low' },
    });
    expect(configured.meta.get('js.test.eval')).toMatchObject({ severity: 'high', confidence: 'high' });
    expect(configured.meta.get('js.test.evalb')).toMatchObject({ severity: 'low', confidence: 'high' });
    expect(await confidences(configured)).toEqual({
      'js.test.eval': 'high',
      'js.test.evalb': 'high',
      'secrets.connection-string-password': 'low',
    });
    // The organisation's own rules added later keep the configured overrides of the shipped ones.
    const extended = extendCatalog(configured, [{ name: 'org.yml', text: `rules:${rule('org.test.evalc', null)}` }]);
    expect(extended.confidenceConfigured).toBe(configured.confidenceConfigured);
  });

  it('raises a pattern finding to the confidence of a taint path that confirms it on the same line, and shows that path', async () => {
    const shipped = await loadShippedCatalog();
    expect(shipped.meta.get('js.injection.child-process-exec')!.confidence).toBe('medium');
    expect(shipped.meta.get('js.taint.command-injection')!.confidence).toBe('high');
    const code = [
      "import { exec } from 'node:child_process';",
      "export const list = (req, res) => exec('ls ' + req.query.dir);",
      "export const run = (x) => exec('ls ' + x);",
      '',
    ].join('\n');
    const result = await scanChangeSet(changeSetOf([{ path: 'src/run.js', code }]), { catalog: shipped, data });
    const execs = result.findings.filter((f) => f.ruleId === 'js.injection.child-process-exec');
    expect(execs.map((f) => [f.line, f.confidence])).toEqual([
      [2, 'high'],
      [3, 'medium'],
    ]);
    expect(execs[0]!.flow?.length).toBeGreaterThan(0);
    expect(execs[1]!.flow).toBeUndefined();
    // The taint rule's own finding is not reported beside the one it confirmed.
    expect(result.findings.some((f) => f.ruleId === 'js.taint.command-injection')).toBe(false);
  });
});

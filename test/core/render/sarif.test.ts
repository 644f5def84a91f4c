import { describe, expect, it } from 'vitest';
import {
  MAX_SARIF_RESULTS,
  pathToUri,
  renderSarif,
  ruleName,
  sarifText,
} from '../../../src/core/render/sarif.js';
import { validateSarif } from './sarif-validator.js';
import { HOSTILE, finding, hostileReport, makeReport, manyFindings, realisticReport } from './fixture.js';

// Loose shapes for reading the output in assertions.
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId: string };
      region: { startLine: number; endLine?: number; startColumn?: number; snippet?: { text: string } };
    };
  }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string; status?: string; justification?: string }[];
  properties: { severity: string; confidence: string; category: string };
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: string };
  properties: { tags: string[]; precision: string; 'security-severity': string };
}
interface SarifNotification {
  level: string;
  message: { text: string };
  descriptor: { id: string };
  locations?: { physicalLocation: { artifactLocation: { uri: string } } }[];
}

// Documents are broken on purpose below, through paths the types cannot follow.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type MutableJson = any;

function parse(text: string) {
  const doc = JSON.parse(text);
  const run = doc.runs[0];
  return {
    doc,
    run,
    rules: run.tool.driver.rules as SarifRule[],
    results: run.results as SarifResult[],
    notifications: run.invocations[0].toolExecutionNotifications as SarifNotification[],
  };
}

describe('SARIF validator (the test tool itself)', () => {
  it('accepts a minimal valid log', () => {
    expect(validateSarif({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [] }] })).toEqual([]);
  });

  it('rejects broken documents', () => {
    const good = JSON.parse(renderSarif(realisticReport()));
    expect(validateSarif(good)).toEqual([]);
    const broken: [string, (d: MutableJson) => void][] = [
      ['version', (d) => (d.version = '2.0.0')],
      ['missing runs', (d) => delete d.runs],
      ['missing driver name', (d) => delete d.runs[0].tool.driver.name],
      ['unknown result property', (d) => (d.runs[0].results[0].partialFingerprint = {})],
      ['bad level', (d) => (d.runs[0].results[0].level = 'critical')],
      ['no message', (d) => delete d.runs[0].results[0].message],
      ['startLine 0', (d) => (d.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0)],
      ['absolute uri', (d) => (d.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'file:///etc/passwd')],
      ['space in uri', (d) => (d.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'a b.ts')],
      ['wrong ruleIndex', (d) => (d.runs[0].results[0].ruleIndex = 99)],
      ['bad suppression kind', (d) => (d.runs[0].results.at(-1).suppressions[0].kind = 'inline')],
      ['no executionSuccessful', (d) => delete d.runs[0].invocations[0].executionSuccessful],
      ['fingerprint not a string', (d) => (d.runs[0].results[0].partialFingerprints['airlock/v1'] = 5)],
      ['security-severity not numeric', (d) => (d.runs[0].tool.driver.rules[0].properties['security-severity'] = 'high')],
      ['help without text', (d) => delete d.runs[0].tool.driver.rules[0].help.text],
      ['duplicate tags', (d) => d.runs[0].tool.driver.rules[0].properties.tags.push('security')],
      ['too many results', (d) => (d.runs[0].results = new Array(MAX_SARIF_RESULTS + 1).fill(d.runs[0].results[0]))],
    ];
    for (const [name, breakIt] of broken) {
      const doc = structuredClone(good);
      breakIt(doc);
      expect(validateSarif(doc), name).not.toEqual([]);
    }
  });
});

describe('renderSarif', () => {
  it('produces a valid SARIF 2.1.0 log for GitHub', () => {
    const text = renderSarif(realisticReport());
    const { doc, run } = parse(text);
    expect(validateSarif(doc)).toEqual([]);
    expect(doc.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(doc.version).toBe('2.1.0');
    expect(doc.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({ name: 'Airlock', semanticVersion: '0.1.0' });
    expect(run.tool.driver.informationUri).toBeUndefined();
  });

  it('writes informationUri when the report names one', () => {
    const report = realisticReport();
    report.tool.informationUri = 'https://example.org/airlock';
    expect(parse(renderSarif(report)).run.tool.driver.informationUri).toBe('https://example.org/airlock');
  });

  it('links each documented rule page as helpUri and from its help, other rules keep their first reference', () => {
    const report = realisticReport();
    report.ruleDocs = { baseUrl: 'https://example.org/docs/rules', documented: new Set(['js.injection.child-process-exec']) };
    const { rules } = parse(renderSarif(report));
    const exec = rules.find((r) => r.id === 'js.injection.child-process-exec')!;
    expect(exec.helpUri).toBe('https://example.org/docs/rules/js.injection.child-process-exec.md');
    expect(exec.help.markdown).toContain('[Rule documentation](https://example.org/docs/rules/js.injection.child-process-exec.md)');
    expect(exec.help.text).toContain('Documentation: https://example.org/docs/rules/js.injection.child-process-exec.md');
    const other = rules.find((r) => r.id === 'secrets.aws.access-key-id')!;
    expect(other.helpUri ?? '').not.toContain('example.org');
  });

  it('names each rule distinctly from its id', () => {
    expect(ruleName('js.injection.child-process-exec')).toBe('JsInjectionChildProcessExec');
    expect(ruleName('py.ssrf')).toBe('PySsrf');
    expect(ruleName('Rule')).toBe('RuleRule');
    const { rules } = parse(renderSarif(realisticReport()));
    for (const r of rules) expect(r.name).not.toBe(r.id);
  });

  it('gives a region start and end columns when the match span is known, and never an end before the start', () => {
    const report = makeReport({
      findings: [
        finding('js.injection.child-process-exec', 'src/a.js', 3, { column: 5, endColumn: 19 }),
        finding('js.injection.child-process-exec', 'src/b.js', 3, { column: 5, endColumn: 2 }),
        finding('js.injection.child-process-exec', 'src/c.js', 3, { column: 5, endLine: 4, endColumn: 2 }),
        finding('js.injection.child-process-exec', 'src/d.js', 3, { column: null, endColumn: 9 }),
      ],
    });
    const { run } = parse(renderSarif(report));
    const regions: Record<string, Record<string, unknown>> = Object.fromEntries(
      run.results.map((r: SarifResult) => [r.locations[0]!.physicalLocation.artifactLocation.uri, r.locations[0]!.physicalLocation.region]),
    );
    expect(regions['src/a.js']).toMatchObject({ startLine: 3, endLine: 3, startColumn: 5, endColumn: 19 });
    expect(regions['src/b.js']!.endColumn).toBeUndefined();
    expect(regions['src/c.js']).toMatchObject({ startLine: 3, endLine: 4, startColumn: 5, endColumn: 2 });
    expect(regions['src/d.js']!.endColumn).toBeUndefined();
  });

  it('describes every rule with GitHub metadata', () => {
    const { rules } = parse(renderSarif(realisticReport()));
    expect(rules.map((r) => r.id)).toEqual([...rules.map((r) => r.id)].sort());
    const exec = rules.find((r) => r.id === 'js.injection.child-process-exec')!;
    expect(exec).toMatchObject({
      name: 'JsInjectionChildProcessExec',
      shortDescription: { text: 'Shell command built from dynamic input' },
      helpUri: 'https://owasp.org/www-community/attacks/Command_Injection',
      defaultConfiguration: { level: 'error' },
      properties: {
        tags: ['security', 'injection', 'external/cwe/cwe-78'],
        precision: 'high',
        'security-severity': '8.0',
      },
    });
    expect(exec.fullDescription.text).toContain('runs its argument through a shell');
    expect(exec.help.text).toContain('Fix: Use execFile');
    expect(exec.help.markdown).toContain('**Fix:** Use execFile');
    expect(exec.help.markdown).toContain('[CWE-78](https://cwe.mitre.org/data/definitions/78.html)');
    const gha = rules.find((r) => r.id.startsWith('gha.'))!;
    expect(gha.properties.tags).toEqual(['security', 'ci', 'external/cwe/cwe-94', 'external/cwe/cwe-78']);
    const severities = Object.fromEntries(rules.map((r) => [r.id, r.properties['security-severity']]));
    expect(severities).toMatchObject({
      'secrets.aws.access-key-id': '9.5',
      'js.tls.reject-unauthorized-false': '5.5',
      'tests.skip-added': '3.0',
    });
    // Rules that ran without results are still listed, so GitHub can close their alerts.
    expect(rules.some((r) => r.id === 'js.crypto.weak-hash')).toBe(true);
  });

  it('gives each rule the precision of its confidence and each result its own confidence', () => {
    const report = makeReport({
      findings: [
        finding('js.crypto.weak-hash', 'src/a.js', 1),
        finding('js.injection.child-process-exec', 'src/b.js', 2, { confidence: 'low' }),
      ],
    });
    report.rules = report.rules.map((r) => (r.id === 'tests.skip-added' ? { ...r, confidence: 'low' as const } : r));
    const { doc, rules, results, run } = parse(renderSarif(report));
    expect(validateSarif(doc)).toEqual([]);
    const precision = Object.fromEntries(rules.map((r) => [r.id, r.properties.precision]));
    expect(precision).toMatchObject({
      'js.crypto.weak-hash': 'medium',
      'js.injection.child-process-exec': 'high',
      'tests.skip-added': 'low',
    });
    const weak = rules.find((r) => r.id === 'js.crypto.weak-hash')!;
    expect(weak.help.text).toContain('Severity: medium · Confidence: medium · Category: crypto');
    expect(weak.help.markdown).toContain('**Confidence:** medium');
    // A finding judged less sure than its rule says so on the result; the rule keeps its own precision.
    const exec = results.find((r) => r.ruleId === 'js.injection.child-process-exec')!;
    expect(exec.properties).toEqual({ severity: 'high', confidence: 'low', category: 'injection' });
    expect(run.properties).toMatchObject({ failOn: 'high', failConfidence: 'high', conclusion: 'success' });
  });

  it('maps severities to levels and locations to the source root', () => {
    const { results, rules } = parse(renderSarif(realisticReport()));
    const levels = Object.fromEntries(results.filter((r) => !r.suppressions).map((r) => [r.ruleId, r.level]));
    expect(levels).toEqual({
      'secrets.aws.access-key-id': 'error',
      'js.injection.child-process-exec': 'error',
      'gha.injection.untrusted-context-in-run': 'error',
      'js.tls.reject-unauthorized-false': 'warning',
      'tests.skip-added': 'note',
    });
    for (const r of results) expect(rules[r.ruleIndex]!.id).toBe(r.ruleId);
    const exec = results.find((r) => r.ruleId === 'js.injection.child-process-exec' && r.locations[0]!.physicalLocation.region.startLine === 12)!;
    expect(exec.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'src/server/git.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 12, endLine: 14, startColumn: 5, snippet: { text: 'exec(`git log ${req.query.ref}`)' } },
    });
    const gha = results.find((r) => r.ruleId.startsWith('gha.'))!;
    expect(gha.locations[0]!.physicalLocation.region.startColumn).toBeUndefined();
    // Most severe first.
    expect(results[0]!.ruleId).toBe('secrets.aws.access-key-id');
  });

  it('gives every result its fingerprint under airlock/v1', () => {
    const report = realisticReport();
    const { results } = parse(renderSarif(report));
    const expected = [...report.result.findings, ...report.result.suppressed.map((s) => s.finding)].map((f) => f.fingerprint).sort();
    expect(results.map((r) => r.partialFingerprints['airlock/v1']).sort()).toEqual(expected);
    for (const r of results) expect(Object.keys(r.partialFingerprints)).toEqual(['airlock/v1']);
  });

  it('reports suppressed findings as results with an in-source suppression', () => {
    const { results } = parse(renderSarif(realisticReport()));
    const suppressed = results.filter((r) => r.suppressions);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]).toMatchObject({
      ruleId: 'js.crypto.weak-hash',
      level: 'warning',
      suppressions: [{ kind: 'inSource', status: 'accepted', justification: 'cache key only, not security relevant' }],
    });
    expect(results.at(-1)).toBe(suppressed[0]);
  });

  it('lists files that were not reviewed as warnings of the invocation', () => {
    const { run, notifications } = parse(renderSarif(realisticReport()));
    expect(run.invocations[0].executionSuccessful).toBe(true);
    expect(notifications).toEqual([
      {
        descriptor: { id: 'airlock/file-not-reviewed' },
        level: 'warning',
        message: { text: 'Not reviewed: binary file' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'assets/logo.png', uriBaseId: '%SRCROOT%' } } }],
      },
      {
        descriptor: { id: 'airlock/file-not-reviewed' },
        level: 'warning',
        message: { text: 'Not reviewed: file over 1000000 bytes' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'vendor/bundle.min.js', uriBaseId: '%SRCROOT%' } } }],
      },
    ]);
  });

  it('says so when the whole change was not reviewed', () => {
    const { doc, results, notifications } = parse(renderSarif(makeReport({ reviewed: false })));
    expect(validateSarif(doc)).toEqual([]);
    expect(results).toEqual([]);
    expect(notifications[0]).toMatchObject({
      level: 'note',
      message: { text: 'Change not reviewed: not AI-authored (no agent markers found); use --all to review anyway' },
    });
  });

  it('adds a rule for a finding whose rule is not in the report', () => {
    const report = makeReport({
      findings: [finding('engine.timeout', 'src/huge.ts', 1, { title: 'Scan stopped early', severity: 'info' })],
    });
    const { doc, rules, results } = parse(renderSarif(report));
    expect(validateSarif(doc)).toEqual([]);
    const rule = rules[results[0]!.ruleIndex]!;
    expect(rule).toMatchObject({ id: 'engine.timeout', shortDescription: { text: 'Scan stopped early' } });
    expect(rule.properties['security-severity']).toBe('0.0');
  });

  it('stays within GitHub limits: cuts the least severe results and says so', () => {
    const findings = manyFindings(MAX_SARIF_RESULTS + 20);
    const { doc, results, notifications } = parse(renderSarif(makeReport({ findings })));
    expect(validateSarif(doc)).toEqual([]);
    expect(results).toHaveLength(MAX_SARIF_RESULTS);
    // The 20 that went are info findings, the least severe.
    expect(results.filter((r) => r.level === 'note').length).toBe(findings.filter((f) => f.severity === 'low' || f.severity === 'info').length - 20);
    const note = notifications.find((n) => n.descriptor.id === 'airlock/results-truncated');
    expect(note?.message.text).toContain(`20 of ${MAX_SARIF_RESULTS + 20} results were left out`);
  });

  it('keeps hostile paths and messages valid and literal', () => {
    const { doc, results } = parse(renderSarif(hostileReport()));
    expect(validateSarif(doc)).toEqual([]);
    const uri = results[0]!.locations[0]!.physicalLocation.artifactLocation.uri;
    expect(decodeURIComponent(uri)).toBe(HOSTILE.path);
    expect(uri).not.toMatch(/[\s<>|`\x00-\x1f]/);
  });

  it('encodes paths as relative URI references', () => {
    expect(pathToUri('src/a b/ü.ts')).toBe('src/a%20b/%C3%BC.ts');
    expect(pathToUri('c:x/#1?.ts')).toBe('c%3Ax/%231%3F.ts');
    expect(pathToUri('100%.ts')).toBe('100%25.ts');
    expect(pathToUri('node_modules/@scope/pkg/index.js')).toBe('node_modules/@scope/pkg/index.js');
    expect(pathToUri('bad\uD800.ts')).toBe('bad%EF%BF%BD.ts');
  });

  it('keeps message text from reading as an embedded link', () => {
    expect(sarifText('plain [text] stays')).toBe('plain [text] stays');
    expect(sarifText('see [here](1) now')).toBe('see \\[here\\](1) now');
  });
});

describe('SARIF code flows', () => {
  it('a taint finding carries its path as a thread flow; other findings have none', () => {
    const flow = [
      { line: 3, text: 'req.query.name' },
      { line: 3, text: 'name' },
      { line: 4, text: "nodeCp.exec('ls ' + name)" },
    ];
    const report = makeReport({
      findings: [finding('js.injection.child-process-exec', 'app.js', 4, { flow }), finding('js.injection.child-process-exec', 'b.js', 1)],
    });
    const doc = JSON.parse(renderSarif(report)) as { runs: { results: { codeFlows?: { threadFlows: { locations: { location: { physicalLocation: { region: { startLine: number } }; message: { text: string } } }[] }[] }[] }[] }[] };
    expect(validateSarif(doc)).toEqual([]);
    const [withFlow, without] = doc.runs[0]!.results;
    const steps = withFlow!.codeFlows![0]!.threadFlows[0]!.locations.map((l) => [l.location.physicalLocation.region.startLine, l.location.message.text]);
    expect(steps).toEqual(flow.map((s) => [s.line, s.text]));
    expect(without!.codeFlows).toBeUndefined();
  });
});

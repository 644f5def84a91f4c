import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/model.js';
import { jsonReport } from '../../../src/core/render/json.js';
import { renderMarkdown } from '../../../src/core/render/markdown.js';
import { renderSarif } from '../../../src/core/render/sarif.js';
import { renderText } from '../../../src/core/render/text.js';
import { finding, makeReport } from './fixture.js';

const lowered: Finding = finding('go.tls.insecure-skip-verify', 'net/client_test.go', 3, {
  severity: 'info',
  confidence: 'high',
  context: { kind: 'test', reason: 'Go test file (*_test.go)', original: { severity: 'high', confidence: 'high' } },
});
const production: Finding = finding('go.tls.insecure-skip-verify', 'net/client.go', 3, {
  severity: 'high',
  context: { kind: 'production', reason: 'production code' },
});
const report = makeReport({ findings: [lowered, production] });

describe('file context in every output', () => {
  it('JSON: context on each finding, original only when lowered', () => {
    const byPath = Object.fromEntries(jsonReport(report).findings.map((f) => [f.path, f]));
    expect(byPath['net/client_test.go']!.context).toEqual({
      kind: 'test',
      reason: 'Go test file (*_test.go)',
      original: { severity: 'high', confidence: 'high' },
    });
    expect(byPath['net/client.go']!.context).toEqual({ kind: 'production', reason: 'production code' });
    expect(jsonReport(makeReport({ findings: [finding('go.tls.insecure-skip-verify', 'a.go', 1)] })).findings[0]).not.toHaveProperty('context');
  });

  it('SARIF: the context and the original severity in the result properties', () => {
    const sarif = JSON.parse(renderSarif(report)) as { runs: { results: { properties: Record<string, string>; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const results = Object.fromEntries(sarif.runs[0]!.results.map((r) => [r.locations[0]!.physicalLocation.artifactLocation.uri, r.properties]));
    expect(results['net/client_test.go']).toMatchObject({ context: 'test', contextReason: 'Go test file (*_test.go)', originalSeverity: 'high', originalConfidence: 'high' });
    expect(results['net/client.go']).toMatchObject({ context: 'production' });
    expect(results['net/client.go']).not.toHaveProperty('originalSeverity');
  });

  it('text and markdown say why a finding was lowered', () => {
    const note = 'test file (Go test file (*_test.go)): lowered from high, high confidence';
    expect(renderText(report, { color: false })).toContain(note);
    expect(renderMarkdown(report)).toContain('lowered from high, high confidence');
    expect(renderText(makeReport({ findings: [production] }), { color: false })).not.toContain('lowered from');
  });
});

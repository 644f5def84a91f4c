// How each renderer shows a finding found at several places of its file, and the count per rule.
import { describe, expect, it } from 'vitest';
import type { Finding, FindingLocation } from '../../../src/core/model.js';
import { countByRule, moreLocations } from '../../../src/core/render/common.js';
import { renderJson } from '../../../src/core/render/json.js';
import { renderMarkdown } from '../../../src/core/render/markdown.js';
import { MAX_SARIF_RELATED, renderSarif } from '../../../src/core/render/sarif.js';
import { renderText } from '../../../src/core/render/text.js';
import { validateSarif } from './sarif-validator.js';
import { finding, makeReport } from './fixture.js';

const places = (lines: number[]): FindingLocation[] => lines.map((line) => ({ line, endLine: line, column: 7 }));

/** An unpinned-style finding at 12 places, a second exec finding elsewhere, and a single one. */
function groupedReport() {
  const lines = [3, 9, 15, 21, 27, 33, 39, 45, 51, 57, 63, 69];
  const grouped = finding('js.injection.child-process-exec', 'src/server/git.ts', 3, { column: 7, locations: places(lines) });
  const other = finding('js.injection.child-process-exec', 'src/server/run.ts', 8);
  const single = finding('tests.skip-added', 'test/git.test.ts', 8);
  return { report: makeReport({ findings: [grouped, other, single] }), grouped };
}

describe('a finding at several places', () => {
  it('JSON lists every location, primary first, and every finding has at least its own', () => {
    const { report, grouped } = groupedReport();
    const doc = JSON.parse(renderJson(report));
    const g = doc.findings.find((f: { path: string }) => f.path === 'src/server/git.ts');
    expect(g.line).toBe(3);
    expect(g.locations).toEqual(grouped.locations);
    const single = doc.findings.find((f: { path: string }) => f.path === 'test/git.test.ts');
    expect(single.locations).toEqual([{ line: 8, endLine: 8, column: 5 }]);
    expect(doc.summary.total).toBe(3);
    expect(doc.summary.byRule).toEqual([
      { ruleId: 'js.injection.child-process-exec', severity: 'high', findings: 2, locations: 13 },
      { ruleId: 'tests.skip-added', severity: 'low', findings: 1, locations: 1 },
    ]);
  });

  it('text says "and N more: lines …" under the finding and counts per rule', () => {
    const text = renderText(groupedReport().report, { color: false });
    expect(text).toContain('> exec(`git log ${req.query.ref}`)\n       and 11 more: lines 9, 15, 21, 27, 33, 39, 45, 51, 57, 63, …\n');
    expect(text).toContain(
      ['By rule:', '  high      js.injection.child-process-exec  2 findings at 13 places', '  low       tests.skip-added                 1 finding', ''].join('\n'),
    );
    expect(text).toContain('3 findings (2 high, 1 low)');
  });

  it('markdown shows the other lines in the location cell, counts places, and counts per rule, most severe first', () => {
    const md = renderMarkdown(groupedReport().report);
    expect(md).toContain('`src/server/git.ts:3` and 11 more: lines 9, 15, 21, 27, 33, 39, 45, 51, 57, 63, … |');
    expect(md).toContain('3 findings at 14 places');
    expect(md).toContain('### Findings (3)');
    const byRule = md.slice(md.indexOf('### By rule'), md.indexOf('### Findings'));
    expect(byRule).toBe(
      '### By rule\n\n' +
        '- 🟠 high `js.injection.child-process-exec` Shell command built from dynamic input: 2 findings at 13 places\n' +
        '- 🔵 low `tests.skip-added` Test skipped: 1 finding\n\n',
    );
  });

  it('SARIF gives one result with the primary location and the others as related locations linked from the message', () => {
    const { report } = groupedReport();
    const text = renderSarif(report);
    expect(validateSarif(JSON.parse(text))).toEqual([]);
    const results = JSON.parse(text).runs[0].results;
    expect(results).toHaveLength(3);
    const g = results.find((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'src/server/git.ts');
    expect(g.locations).toHaveLength(1);
    expect(g.locations[0].physicalLocation.region.startLine).toBe(3);
    expect(g.relatedLocations.map((r: { id: number; physicalLocation: { region: { startLine: number } } }) => [r.id, r.physicalLocation.region.startLine])).toEqual(
      [9, 15, 21, 27, 33, 39, 45, 51, 57, 63, 69].map((line, i) => [i + 1, line]),
    );
    expect(g.message.text).toMatch(/\n\nAlso at \[line 9\]\(1\), \[line 15\]\(2\), .*\[line 69\]\(11\)\.$/);
    const single = results.find((r: { ruleId: string }) => r.ruleId === 'tests.skip-added');
    expect(single).not.toHaveProperty('relatedLocations');
  });

  it('SARIF lists at most MAX_SARIF_RELATED related locations and counts the rest; message brackets stay literal', () => {
    const lines = Array.from({ length: MAX_SARIF_RELATED + 6 }, (_, i) => i + 1);
    const f = finding('tests.skip-added', 'a.js', 1, { message: 'see [docs] for more', locations: places(lines) });
    const [result] = JSON.parse(renderSarif(makeReport({ findings: [f] }))).runs[0].results;
    expect(result.relatedLocations).toHaveLength(MAX_SARIF_RELATED);
    expect(result.message.text).toMatch(/^see \\\[docs\\\] for more\n\nAlso at \[line 2\]\(1\), /);
    expect(result.message.text).toMatch(/\[line 101\]\(100\) and 5 more\.$/);
  });
});

describe('counting per rule', () => {
  it('orders by severity, then by number of findings, then by rule id, and takes a rule\'s most severe finding', () => {
    const fs: Finding[] = [
      finding('tests.skip-added', 'a.js', 1),
      finding('js.tls.reject-unauthorized-false', 'a.js', 2),
      finding('js.tls.reject-unauthorized-false', 'b.js', 2, { severity: 'critical' }),
      finding('js.injection.child-process-exec', 'a.js', 3),
      finding('secrets.aws.access-key-id', 'a.js', 4, { locations: places([4, 5]) }),
    ];
    expect(countByRule(fs).map((r) => [r.ruleId, r.severity, r.findings, r.locations])).toEqual([
      ['js.tls.reject-unauthorized-false', 'critical', 2, 2],
      ['secrets.aws.access-key-id', 'critical', 1, 2],
      ['js.injection.child-process-exec', 'high', 1, 1],
      ['tests.skip-added', 'low', 1, 1],
    ]);
  });

  it('describes the other places only when there are some', () => {
    expect(moreLocations(finding('tests.skip-added', 'a.js', 1))).toBeNull();
    expect(moreLocations(finding('tests.skip-added', 'a.js', 1, { locations: places([1, 4]) }))).toBe('and 1 more: line 4');
  });
});

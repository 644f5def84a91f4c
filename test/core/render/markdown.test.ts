import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MARKDOWN_MAX_CHARS,
  escapeMarkdown,
  fenceFor,
  mdCode,
  mdInline,
  mdText,
  renderMarkdown,
} from '../../../src/core/render/markdown.js';
import { utf8Length } from '../../../src/core/render/common.js';
import { SUBMODULE_NOT_REVIEWED } from '../../../src/core/model.js';
import { decideVerdict } from '../../../src/core/verdict.js';
import { finding, hostileReport, makeReport, manyFindings, realisticReport } from './fixture.js';

/** The markdown with every code span (delimiters paired as CommonMark pairs them) removed. */
function outsideCodeSpans(md: string): string {
  return md.replace(/(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, '');
}

const tableRows = (md: string) => md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Severity') && !l.startsWith('| ---'));

describe('renderMarkdown', () => {
  it('starts with the verdict and lists authorship, findings, fixes, unreviewed and suppressed', () => {
    const md = renderMarkdown(realisticReport());
    const lines = md.split('\n');
    expect(lines[0]).toBe('**Airlock: 4 blocking findings (1 critical, 3 high)**');
    expect(lines[2]).toContain('Conclusion: **failure**');
    expect(lines[2]).toContain('6 findings');
    expect(lines[2]).toContain('2 files not reviewed');
    expect(lines[2]).toContain('compared `main`...`claude/issue-42-20260101`');
    expect(md).toContain('AI-authored: **yes** (Claude Code)');
    expect(md).toContain('- commit 1a2b3c4 trailer &quot;Co-Authored-By: Claude &lt;noreply@&#8203;anthropic.com&gt;&quot;');
    expect(lines[2]).toContain('fails on **high** or above (confidence **high** or above)');
    expect(md).toContain('### Findings (6)\n\n| Severity | Confidence | Rule | Location | Title |\n| --- | --- | --- | --- | --- |\n');
    expect(md).toContain('### How to fix');
    expect(md).toContain('- **Shell command built from dynamic input** (`js.injection.child-process-exec`, 2 findings): Use execFile or spawn with an argument array and no shell.');
    expect(md).toContain('### Not reviewed (2 files)');
    expect(md).toContain('- `assets/logo.png`: binary file');
    expect(md).toContain('### Suppressed (1)');
    expect(md).toContain('- `src/cache.ts:17` `js.crypto.weak-hash`: cache key only, not security relevant');
    expect(md).not.toContain('Left out');
  });

  it('headlines a change that fails only because files could not be reviewed, not as "no findings"', () => {
    const report = makeReport({ findings: [finding('tests.skip-added', 'a.test.ts', 3)], notReviewed: [{ path: 'vendor/lib', reason: SUBMODULE_NOT_REVIEWED }] });
    report.verdict = decideVerdict({ authorship: report.authorship, reviewed: true, result: report.result, failOn: 'high' });
    expect(report.verdict.conclusion).toBe('failure');
    expect(renderMarkdown(report).split('\n')[0]).toBe('**Airlock: 1 file not reviewed** (the check fails until every file of the change is reviewed)');
  });

  it('orders the table by severity and marks blocking severities in bold', () => {
    const rows = tableRows(renderMarkdown(realisticReport()));
    expect(rows).toHaveLength(6);
    expect(rows[0]).toBe(
      '| 🔴 **critical** | high | `secrets.aws.access-key-id` | `config/deploy.js:3` | AWS access key ID in source |',
    );
    expect(rows.map((r) => r.split(' | ')[0])).toEqual([
      '| 🔴 **critical**',
      '| 🟠 **high**',
      '| 🟠 **high**',
      '| 🟠 **high**',
      '| 🟡 medium',
      '| 🔵 low',
    ]);
  });

  it('shows each finding\'s confidence, bolds only what blocks, and says what confidence held back', () => {
    const findings = [
      finding('js.injection.child-process-exec', 'src/a.js', 1, { confidence: 'medium' }),
      finding('secrets.aws.access-key-id', 'src/b.js', 2),
    ];
    const md = renderMarkdown(makeReport({ findings }));
    expect(md.split('\n')[0]).toBe(
      '**Airlock: 1 blocking finding (1 critical)** (1 at or above high held back from blocking (confidence below high))',
    );
    expect(tableRows(md)).toEqual([
      '| 🔴 **critical** | high | `secrets.aws.access-key-id` | `src/b.js:2` | AWS access key ID in source |',
      '| 🟠 high | medium | `js.injection.child-process-exec` | `src/a.js:1` | Shell command built from dynamic input |',
    ]);
    const heldOnly = makeReport({ findings: [findings[0]!, finding('tests.skip-added', 'a.test.ts', 3)] });
    expect(heldOnly.verdict.conclusion).toBe('success');
    expect(renderMarkdown(heldOnly).split('\n')[0]).toBe(
      '**Airlock: no blocking findings** (1 high, 1 low; 1 at or above high held back from blocking (confidence below high))',
    );
    const lowered = renderMarkdown(makeReport({ findings: [findings[0]!], failConfidence: 'medium' }));
    expect(lowered.split('\n')[0]).toBe('**Airlock: 1 blocking finding (1 high)**');
    expect(lowered).toContain('fails on **high** or above (confidence **medium** or above)');
    expect(tableRows(lowered)[0]).toMatch(/^\| 🟠 \*\*high\*\* \| medium \|/);
  });

  it('headlines a passing review and an unreviewed change', () => {
    const minorOnly = makeReport({ findings: [finding('tests.skip-added', 'a.test.ts', 3)] });
    expect(renderMarkdown(minorOnly).split('\n')[0]).toBe(
      '**Airlock: no blocking findings** (1 low; the check fails on high or above)',
    );
    expect(renderMarkdown(makeReport()).split('\n')[0]).toBe('**Airlock: no findings**');
    const notReviewed = makeReport({ reviewed: false });
    notReviewed.authorship = { ai: false, agent: null, evidence: [] };
    const md = renderMarkdown(notReviewed);
    expect(md.split('\n')[0]).toBe('**Not reviewed: not AI-authored (no agent markers found); use --all to review anyway**');
    expect(md).toContain('AI-authored: **no**');
    expect(md).not.toContain('### Findings');
  });

  it('stays under the limit with 5,000 findings, cutting whole rows and saying how many', () => {
    const report = makeReport({ findings: manyFindings(5000) });
    const md = renderMarkdown(report);
    expect(md.length).toBeLessThanOrEqual(DEFAULT_MARKDOWN_MAX_CHARS);
    expect(utf8Length(md)).toBeLessThanOrEqual(DEFAULT_MARKDOWN_MAX_CHARS);
    const rows = tableRows(md);
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.length).toBeLessThan(5000);
    // Every row is complete: six cell borders.
    for (const row of rows) expect(row.split(' | ')).toHaveLength(5);
    // The most severe are the ones kept.
    expect(rows[0]).toContain('critical');
    expect(rows.at(-1)).not.toContain('info');
    const last = md.trimEnd().split('\n').at(-1)!;
    expect(last).toContain(`${5000 - rows.length} of 5000 findings`);
    expect(last).toContain('See the full report');
    expect(md.endsWith('\n')).toBe(true);
    // The fix hint is short and kept ahead of table rows.
    expect(md).toContain('### How to fix');
    expect(last).not.toContain('fix hint');
  });

  it('does not let long hostile paths crowd the findings table out', () => {
    const longPath = `${'|<>`*_@x#1'.repeat(40)}.ts`;
    const report = makeReport({
      findings: manyFindings(3000),
      notReviewed: Array.from({ length: 200 }, (_, i) => ({ path: `${i}/${longPath}`, reason: longPath })),
      evidence: Array.from({ length: 50 }, () => longPath),
    });
    const md = renderMarkdown(report);
    expect(utf8Length(md)).toBeLessThanOrEqual(DEFAULT_MARKDOWN_MAX_CHARS);
    expect(tableRows(md).length).toBeGreaterThan(50);
    const last = md.trimEnd().split('\n').at(-1)!;
    expect(last).toMatch(/\d+ of 3000 findings, 195 not-reviewed files, 47 lines of evidence/);
  });

  it('never exceeds a small limit and still ends with the note', () => {
    const report = realisticReport();
    const fullLength = renderMarkdown(report).length;
    for (let max = 1200; max < fullLength; max += 97) {
      const md = renderMarkdown(report, { maxChars: max });
      expect(utf8Length(md), `maxChars ${max}`).toBeLessThanOrEqual(max);
      expect(md, `maxChars ${max}`).toContain('Left out to stay within');
      for (const row of tableRows(md)) expect(row.endsWith(' |')).toBe(true);
    }
    // Absurdly small limits are still honoured.
    for (const max of [0, 1, 10, 50, 300]) {
      expect(utf8Length(renderMarkdown(report, { maxChars: max }))).toBeLessThanOrEqual(max);
    }
    // A nonsensical limit falls back to the default.
    expect(renderMarkdown(report, { maxChars: Number.NaN })).toBe(renderMarkdown(report));
  });

  it('keeps unreviewed files ahead of findings when space is short', () => {
    const report = makeReport({
      findings: manyFindings(3000),
      notReviewed: [{ path: 'dist/app.min.js', reason: 'file over 1000000 bytes' }],
    });
    const md = renderMarkdown(report, { maxChars: 20_000 });
    expect(md).toContain('- `dist/app.min.js`: file over 1000000 bytes');
    expect(md.length).toBeLessThanOrEqual(20_000);
  });

  it('neutralises hostile paths, snippets, evidence and reasons', () => {
    const md = renderMarkdown(hostileReport());
    // Outside code spans (where nothing is markup): no HTML from the PR, our own tags only.
    const prose = outsideCodeSpans(md);
    expect(prose).not.toContain('</details>');
    expect(prose).not.toContain('<img');
    expect(prose).not.toContain('<!--');
    // No live mentions or issue references.
    const decoded = prose.replace(/&#?[A-Za-z0-9]+;/g, '·');
    expect(decoded).not.toMatch(/@[A-Za-z0-9]/);
    expect(decoded).not.toMatch(/#\d/);
    expect(md).toContain('@&#8203;org/security-team');
    // The hostile path is one code span that its own backticks cannot close.
    expect(md).toContain('``src/@org/team/</details><img src=x onerror=alert(1)>|`x`\\n## fake heading');
    // No raw control characters, and the injected newline did not start a heading.
    expect(md).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(md).not.toContain('\n## fake heading');
    expect(md).not.toContain('\n**Airlock: no findings**');
    // The table still has exactly one row of five cells: the `|` in a code span is escaped for the table.
    const rows = tableRows(md);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.replaceAll('\\|', '').split('|')).toHaveLength(7);
    expect(rows[0]).toContain('>\\|`x`');
    expect(md).not.toContain('&#96;');
  });

  it('breaks mentions, references and autolinks in fix hints', () => {
    const md = renderMarkdown(hostileReport());
    expect(md).toContain('Ask @&#8203;security-team in #&#8203;42 or visit https:&#8203;//evil.example');
  });
});

describe('escapeMarkdown', () => {
  it('writes markdown syntax as entities', () => {
    expect(escapeMarkdown('a|b `c` *d* _e_ [f](g) <h> & ~i~ $j$ \\k')).toBe(
      'a&#124;b \\`c\\` &#42;d&#42; &#95;e&#95; &#91;f&#93;(g) &lt;h&gt; &amp; &#126;i&#126; &#36;j&#36; &#92;k',
    );
  });

  it('breaks mentions, issue references and autolinks but leaves plain @ and # alone', () => {
    expect(escapeMarkdown('@octocat @org/team a@b.io')).toBe('@&#8203;octocat @&#8203;org/team a@&#8203;b.io');
    expect(escapeMarkdown('#12 owner/repo#3 # heading #x')).toBe('#&#8203;12 owner/repo#&#8203;3 # heading #x');
    expect(escapeMarkdown('http://a.b WWW.x.y')).toBe('http:&#8203;//a.b WWW&#8203;.x.y');
    expect(escapeMarkdown('email @ end @')).toBe('email @ end @');
  });

  it('mdText makes text visible and bounded', () => {
    expect(mdText('a\nb\x1b[0m', 100)).toBe('a&#92;nb&#92;x1B&#91;0m');
    expect(mdText('x'.repeat(500), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(mdText('\u202Eevil', 100)).toBe('&#92;u{202E}evil');
  });
});

describe('code spans', () => {
  it('mdCode delimits with more backticks than the text holds and pads a backtick at an edge', () => {
    expect(mdCode('src/a.ts:3', 100)).toBe('`src/a.ts:3`');
    expect(mdCode('a`b', 100)).toBe('``a`b``');
    expect(mdCode('`x``', 100)).toBe('``` `x`` ```');
    expect(mdCode('a|b', 100, { inTable: true })).toBe('`a\\|b`');
    expect(mdCode('a\nb', 100)).toBe('`a\\nb`');
    expect(mdCode('', 100)).toBe('` `');
  });

  it('mdInline renders `code` spans as code and escapes the rest, with no HTML-escaped backtick', () => {
    expect(mdInline('Use `execFile` with an *array*', 200)).toBe('Use `execFile` with an &#42;array&#42;');
    expect(mdInline('Run ``a ` b`` now', 200)).toBe('Run ``a ` b`` now');
    expect(mdInline('a lone ` backtick', 200)).toBe('a lone \\` backtick');
    expect(mdInline('`@octocat` and @octocat #1', 200)).toBe('`@octocat` and @&#8203;octocat #&#8203;1');
    expect(mdInline('x `a|b` y|z', 200, { inTable: true })).toBe('x `a\\|b` y&#124;z');
    expect(mdInline('`</details><img src=x>`', 200)).toBe('`</details><img src=x>`');
    expect(mdInline('msg `a`', 200)).not.toContain('&#96;');
  });

  it('fenceFor outgrows any run of backticks', () => {
    expect(fenceFor('no ticks')).toBe('```');
    expect(fenceFor('````x')).toBe('`````');
    expect(fenceFor('a`b', 1)).toBe('``');
  });
});

describe('collapsed lists', () => {
  it('folds a long list under its heading and leaves a short one open', () => {
    const long = renderMarkdown(makeReport({ findings: manyFindings(40) }));
    expect(long).toContain('### Findings (40)\n\n<details><summary>Show all 40 findings</summary>\n\n| Severity | Confidence | Rule | Location | Title |');
    expect(long.split('<details>').length).toBe(long.split('</details>').length);
    const short = renderMarkdown(makeReport({ findings: manyFindings(3) }));
    expect(short).toContain('### Findings (3)\n\n| Severity |');
    expect(short).not.toContain('<details>');
  });

  it('closes every fold it opens when rows are cut to fit', () => {
    const md = renderMarkdown(makeReport({ findings: manyFindings(3000) }), { maxChars: 20_000 });
    expect(md.split('<details>').length).toBe(md.split('</details>').length);
    expect(utf8Length(md)).toBeLessThanOrEqual(20_000);
  });

  it('headlines accepted findings as accepted', () => {
    expect(renderMarkdown(makeReport({ findings: [] }), { accepted: 2 }).split('\n')[0]).toBe('**Airlock: no open findings** (2 findings accepted by maintainers, listed below)');
  });
});

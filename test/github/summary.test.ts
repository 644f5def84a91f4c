import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/model.js';
import type { Report } from '../../src/core/render/index.js';
import { decideVerdict } from '../../src/core/verdict.js';
import { parseMarker } from '../../src/github/markers.js';
import { anchorFor, annotationsOf, checkSummary, checkTitle, commentBody, configErrorOutput, errorOutput, planComments } from '../../src/github/summary.js';

function finding(fields: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'js.injection.child-process-exec',
    title: 'Shell command built from input',
    severity: 'high',
    confidence: 'high',
    category: 'injection',
    cwe: ['CWE-78'],
    path: 'src/a.js',
    line: 5,
    endLine: 5,
    column: 1,
    message: 'exec runs a shell.\nInput reaches it.',
    fix: { description: 'Use execFile with an argument list.' },
    references: [],
    snippet: 'exec(x)',
    fingerprint: '0123456789abcdef0123',
    source: 'ast',
    ...fields,
  };
}

function reportOf(findings: Finding[], reviewed = true): Report {
  const authorship = { ai: true, agent: 'Claude Code', evidence: ['commit abc trailer "Co-Authored-By: Claude"'] };
  const result = { findings, suppressed: [], notReviewed: [], ignored: { files: 0, globs: [] }, stats: { filesScanned: 1, addedLines: 3, rulesRun: 10, durationMs: 1 } };
  return {
    tool: { name: 'airlock', version: '0.0.0' },
    base: 'main',
    head: 'abc1234',
    authorship,
    reviewed,
    notReviewedReason: reviewed ? null : 'not AI-authored: no agent markers found; add the label',
    result,
    verdict: decideVerdict({ authorship, reviewed, result, failOn: 'high' }),
    rules: [],
  };
}

describe('what the app writes', () => {
  it('titles the check with the verdict, or with why the change was not reviewed', () => {
    expect(checkTitle(reportOf([finding()]))).toBe('1 finding at or above high');
    expect(checkTitle(reportOf([]), 2)).toBe('No open findings: 2 findings accepted by maintainers');
    expect(checkTitle(reportOf([], false))).toBe('Not reviewed: not AI-authored: no agent markers found');
  });

  it('writes comment bodies with severity, rule, fix, a safe suggestion and the marker last', () => {
    const hostile = finding({ message: 'Calls @octocat about #12 <img src=x> ```', fix: { description: 'Quote it.', replacement: 'run(```\n`cmd`)' }, endLine: 6 });
    const body = commentBody(reportOf([hostile]), hostile, { path: 'src/a.js', line: 6, startLine: 5, exact: true });
    expect(body).toContain('🟠 **HIGH** (blocks merging) · high confidence · **Shell command built from input**');
    expect(body).toContain('<code>js.injection.child-process-exec</code> · CWE-78');
    expect(body).toContain('@&#8203;octocat');
    expect(body).toContain('#&#8203;12');
    expect(body).toContain('&lt;img src=x&gt;');
    expect(body).toContain('````suggestion\nrun(```\n`cmd`)\n````');
    expect(parseMarker(body)).toEqual({ kind: 'fp', fingerprint: '0123456789abcdef0123' });
    const inexact = commentBody(reportOf([hostile]), hostile, { path: 'src/a.js', line: 5, startLine: null, exact: false });
    expect(inexact).not.toContain('suggestion');
  });

  it('says in titles, annotations and comments when confidence held a finding back from blocking', () => {
    const held = finding({ confidence: 'medium' });
    const report = reportOf([held]);
    expect(report.verdict.conclusion).toBe('success');
    expect(checkTitle(report)).toBe('Passed with 1 finding: 1 at or above high held back from blocking (confidence below high)');
    expect(annotationsOf(report)[0]).toMatchObject({
      annotation_level: 'warning',
      title: 'high, medium confidence: Shell command built from input (js.injection.child-process-exec)',
    });
    const body = commentBody(report, held, { path: 'src/a.js', line: 5, startLine: null, exact: true });
    expect(body).toContain('🟠 **HIGH** (does not block: confidence below high) · medium confidence ·');
    expect(body).not.toContain('blocks merging');
    const both = reportOf([held, finding({ line: 9, fingerprint: 'f'.repeat(20) })]);
    expect(checkTitle(both)).toBe('1 finding at or above high; 1 at or above high held back from blocking (confidence below high)');
    expect(checkSummary(both, { accepted: [], comments: { posted: 2, alreadyCommented: 0, listedOnly: 0, cap: 20, problem: null } })).toContain(
      '1 at or above high held back from blocking (confidence below high)',
    );
  });

  it('anchors comments only on lines the diff shows, one per line, up to the cap', () => {
    const hunks = new Map([['src/a.js', [{ newStart: 3, newEnd: 8 }]]]);
    expect(anchorFor(finding({ line: 5, endLine: 7 }), hunks.get('src/a.js'))).toEqual({ path: 'src/a.js', line: 7, startLine: 5, exact: true });
    expect(anchorFor(finding({ line: 7, endLine: 12 }), hunks.get('src/a.js'))).toEqual({ path: 'src/a.js', line: 7, startLine: null, exact: false });
    expect(anchorFor(finding({ line: 20 }), hunks.get('src/a.js'))).toBeNull();
    expect(anchorFor(finding(), undefined)).toBeNull();
    const plan = planComments(
      [finding({ severity: 'low', fingerprint: 'a'.repeat(20) }), finding({ severity: 'critical', fingerprint: 'b'.repeat(20) }), finding({ line: 4, fingerprint: 'c'.repeat(20) }), finding({ line: 40, fingerprint: 'd'.repeat(20) })],
      hunks,
      1,
    );
    expect(plan.post.map((p) => p.finding.severity)).toEqual(['critical']);
    expect(plan.listedOnly).toHaveLength(3);
  });

  it('names the other places of a grouped finding in its comment and annotation, and anchors on another place the diff shows', () => {
    const locations = [5, 12, 30].map((line) => ({ line, endLine: line, column: 1 }));
    const grouped = finding({ line: 5, endLine: 5, locations });
    const hunks = [{ newStart: 1, newEnd: 14 }];
    const anchor = anchorFor(grouped, hunks)!;
    expect(anchor).toEqual({ path: 'src/a.js', line: 5, startLine: null, exact: true });
    expect(commentBody(reportOf([grouped]), grouped, anchor)).toContain('The same problem is also at lines 12, 30 of this file.');
    const [annotation] = annotationsOf(reportOf([grouped]));
    expect(annotation!.start_line).toBe(5);
    expect(annotation!.message).toBe('exec runs a shell.\nInput reaches it.\n\nThe same problem is also at lines 12, 30 of this file.\n\nFix: Use execFile with an argument list.');
    // The primary line is outside the diff GitHub shows: the comment goes on the first other place it shows, naming the rest.
    const elsewhere = anchorFor(grouped, [{ newStart: 10, newEnd: 40 }])!;
    expect(elsewhere).toEqual({ path: 'src/a.js', line: 12, startLine: null, exact: false });
    expect(commentBody(reportOf([grouped]), grouped, elsewhere)).toContain('The same problem is also at lines 5, 30 of this file.');
    expect(anchorFor(grouped, [{ newStart: 40, newEnd: 50 }])).toBeNull();
    // A single-place finding says nothing of other places.
    expect(commentBody(reportOf([finding()]), finding(), anchor)).not.toContain('The same problem');
    // With a suggestion (it changes the comment's lines only), the comment says the others need the same change.
    const fixed = { ...grouped, fix: { description: 'Use execFile.', replacement: 'execFile("ls", [dir]);' } };
    expect(commentBody(reportOf([fixed]), fixed, anchor)).toContain(
      '**This suggestion changes line 5 only.** The same problem is also at lines 12, 30 of this file: they need the same change.',
    );
    expect(commentBody(reportOf([fixed]), fixed, anchor)).toContain('```suggestion\nexecFile("ls", [dir]);\n```');
  });

  it('annotates every finding with its level and fingerprint, and keeps the summary under the limit', () => {
    const many = Array.from({ length: 3000 }, (_, i) => finding({ path: `src/${'x'.repeat(150)}/${i}.js`, line: i + 1, endLine: i + 1, fingerprint: i.toString(16).padStart(20, '0') }));
    const report = reportOf(many);
    const annotations = annotationsOf(report);
    expect(annotations).toHaveLength(1000);
    expect(annotations[0]).toMatchObject({ annotation_level: 'failure', title: 'high, high confidence: Shell command built from input (js.injection.child-process-exec)' });
    expect(annotations[0]!.raw_details).toContain('/airlock allow');
    const summary = checkSummary(report, { accepted: [], comments: { posted: 20, alreadyCommented: 0, listedOnly: 2980, cap: 20, problem: 'GitHub answered 502' } });
    expect(summary.length).toBeLessThan(65_535);
    expect(summary).toContain('2980 listed only here');
    expect(summary).toContain('Inline comments could not be written: GitHub answered 502');
  });

  it('explains configuration errors and internal errors without trusting their text', () => {
    const config = configErrorOutput('.github/airlock.yml: line 2: fail_on: bad', 'fail_on: <b>@team</b>', 'main');
    expect(config.summary).toContain('<pre>fail&#95;on: &lt;b&gt;@&#8203;team&lt;/b&gt;</pre>');
    const failed = errorOutput(Object.assign(new Error('Server Error\nstack'), { status: 500, request: { method: 'GET', url: 'http://x/api/v3/repos/a/b/pulls/1/files?page=2' } }), 'failure');
    expect(failed.summary).toContain('GitHub answered 500: Server Error (GET /api/v3/repos/a/b/pulls/1/files)');
    expect(failed.summary).toContain('`on_error: failure`');
  });
});

describe('links to the rule pages and why a finding has no comment', () => {
  const docs = { baseUrl: 'https://example.org/rules', documented: new Set(['js.injection.child-process-exec']) };
  const page = 'https://example.org/rules/js.injection.child-process-exec.md';

  it('links the rule page from the inline comment, the annotation and the summary; a rule without a page gets no link', () => {
    const report = { ...reportOf([finding(), finding({ ruleId: 'org.own-rule', fingerprint: 'ffff', line: 9 })]), ruleDocs: docs };
    const body = commentBody(report, report.result.findings[0]!, { path: 'src/a.js', line: 5, startLine: null, exact: true });
    expect(body).toContain(`[rule documentation](<${page}>)`);
    expect(commentBody(report, report.result.findings[1]!, { path: 'src/a.js', line: 9, startLine: null, exact: true })).not.toContain('rule documentation');
    const [first, second] = annotationsOf(report);
    expect(first!.message.endsWith(`Rule documentation: ${page}`)).toBe(true);
    expect(second!.message).not.toContain('Rule documentation');
    expect(checkSummary(report, { accepted: [], comments: null })).toContain(`[\`js.injection.child-process-exec\`](<${page}>)`);
  });

  it('keeps the annotation link whole when the message is long', () => {
    const report = { ...reportOf([finding({ message: 'x'.repeat(10_000) })]), ruleDocs: docs };
    const [a] = annotationsOf(report);
    expect(a!.message.length).toBeLessThanOrEqual(4000 + 100);
    expect(a!.message.endsWith(page)).toBe(true);
  });

  it('plans comments with the reason each other finding is listed only in the summary', () => {
    const hunks = new Map([['src/a.js', [{ newStart: 10, newEnd: 60 }]]]);
    const findings = [
      finding({ fingerprint: 'a', line: 15, endLine: 15 }),
      finding({ fingerprint: 'b', line: 15, endLine: 15, ruleId: 'js.other' }),
      finding({ fingerprint: 'c', line: 5, endLine: 5 }),
      finding({ fingerprint: 'd', line: 16, endLine: 16 }),
      finding({ fingerprint: 'e', line: 17, endLine: 17 }),
    ];
    const plan = planComments(findings, hunks, 2);
    expect(plan.post.map((p) => p.finding.fingerprint)).toEqual(['a', 'd']);
    expect(plan.reasons).toEqual({ overLimit: 1, outsideDiff: 1, sameLine: 1 });
    expect(plan.listedOnly).toHaveLength(3);
  });

  it('says in the summary why findings were not commented', () => {
    const report = reportOf([finding()]);
    const summary = checkSummary(report, {
      accepted: [],
      comments: { posted: 2, alreadyCommented: 0, listedOnly: 4, cap: 2, problem: null, notPosted: { overLimit: 1, outsideDiff: 1, sameLine: 1, refused: 1, earlierReview: 0 } },
    });
    expect(summary).toContain(
      '4 listed only here: 1 over the limit of 2 inline comments per push (`comments.max`), 1 on lines the diff does not show (GitHub takes inline comments only on them), 1 on a line that already has a comment of this push, 1 refused by GitHub when posted.',
    );
  });

  it('shows accepted findings as accepted, not as "no findings", and folds a long accepted list', () => {
    const accepted = Array.from({ length: 12 }, (_, i) => ({
      finding: finding({ fingerprint: `f${i}`, line: i + 1 }),
      allowance: { target: `f${i}`, by: 'mo', reason: 'fixture', all: false, commentId: i, at: null, pinned: null },
    })) as unknown as Parameters<typeof checkSummary>[1]['accepted'];
    const summary = checkSummary(reportOf([]), { accepted, comments: null });
    expect(summary.startsWith('**Airlock: no open findings** (12 findings accepted by maintainers, listed below)')).toBe(true);
    expect(summary).not.toContain('**Airlock: no findings**');
    expect(summary).toContain('### Accepted by maintainers (12)\n\nThese findings no longer fail the check.\n\n<details><summary>Show all 12</summary>\n\n- ');
    expect(summary).toContain('\n</details>\n');
    expect(checkTitle(reportOf([]), 12)).toBe('No open findings: 12 findings accepted by maintainers');
  });
});

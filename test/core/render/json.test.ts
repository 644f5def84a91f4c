import { describe, expect, it } from 'vitest';
import { renderJson } from '../../../src/core/render/json.js';
import { renderText } from '../../../src/core/render/text.js';
import { HOSTILE, finding, hostileReport, makeReport, realisticReport } from './fixture.js';

describe('renderJson', () => {
  it('follows the contract: version, authorship, findings, summary, in that order', () => {
    const doc = JSON.parse(renderJson(realisticReport()));
    expect(Object.keys(doc)).toEqual(['version', 'authorship', 'findings', 'summary']);
    expect(doc.version).toBe(1);
    expect(doc.authorship).toEqual({
      ai: true,
      agent: 'Claude Code',
      evidence: [
        'commit 1a2b3c4 trailer "Co-Authored-By: Claude <noreply@anthropic.com>"',
        'PR body "🤖 Generated with [Claude Code](https://claude.com/claude-code)"',
      ],
    });
    for (const f of doc.findings) {
      expect(Object.keys(f)).toEqual([
        'ruleId',
        'severity',
        'confidence',
        'category',
        'path',
        'line',
        'endLine',
        'message',
        'fingerprint',
        'title',
        'cwe',
        'column',
        'fix',
        'references',
        'snippet',
        'locations',
      ]);
      expect(['critical', 'high', 'medium', 'low', 'info']).toContain(f.severity);
      expect(['high', 'medium', 'low']).toContain(f.confidence);
    }
  });

  it('writes one finding completely', () => {
    const doc = JSON.parse(renderJson(realisticReport()));
    const exec = doc.findings.find((f: { line: number; path: string }) => f.path === 'src/server/git.ts' && f.line === 12);
    expect(exec).toMatchObject({
      ruleId: 'js.injection.child-process-exec',
      severity: 'high',
      confidence: 'high',
      category: 'injection',
      line: 12,
      endLine: 14,
      column: 5,
      cwe: ['CWE-78'],
      fix: { description: 'Use execFile or spawn with an argument array and no shell.', replacement: null },
      references: ['https://owasp.org/www-community/attacks/Command_Injection'],
    });
    expect(exec.fingerprint).toMatch(/^fp/);
    const gha = doc.findings.find((f: { ruleId: string }) => f.ruleId.startsWith('gha.'));
    expect(gha.column).toBeNull();
    const tls = doc.findings.find((f: { ruleId: string }) => f.ruleId.startsWith('js.tls'));
    expect(tls.fix).toBeNull();
  });

  it('sorts findings by path, then line, then rule', () => {
    const doc = JSON.parse(renderJson(realisticReport()));
    const order = doc.findings.map((f: { path: string; line: number }) => `${f.path}:${f.line}`);
    expect(order).toEqual([
      '.github/workflows/triage.yml:21',
      'config/deploy.js:3',
      'src/server/git.ts:3',
      'src/server/git.ts:12',
      'src/server/git.ts:40',
      'test/git.test.ts:8',
    ]);
    const sameLine = makeReport({
      findings: [finding('tests.skip-added', 'a.ts', 1), finding('js.crypto.weak-hash', 'a.ts', 1)],
    });
    const ids = JSON.parse(renderJson(sameLine)).findings.map((f: { ruleId: string }) => f.ruleId);
    expect(ids).toEqual(['js.crypto.weak-hash', 'tests.skip-added']);
  });

  it('summarises verdict, counts, suppressions, unreviewed files, revisions and stats', () => {
    const doc = JSON.parse(renderJson(realisticReport()));
    expect(Object.keys(doc.summary)).toEqual([
      'conclusion',
      'title',
      'reviewed',
      'notReviewedReason',
      'failOn',
      'failConfidence',
      'counts',
      'total',
      'byRule',
      'blocking',
      'heldBack',
      'suppressed',
      'notReviewed',
      'ignored',
      'base',
      'head',
      'stats',
      'tool',
    ]);
    expect(doc.summary).toMatchObject({
      conclusion: 'failure',
      reviewed: true,
      notReviewedReason: null,
      failOn: 'high',
      failConfidence: 'high',
      counts: { critical: 1, high: 3, medium: 1, low: 1, info: 0 },
      total: 6,
      blocking: 4,
      heldBack: 0,
      suppressed: [
        {
          rule: 'js.crypto.weak-hash',
          path: 'src/cache.ts',
          line: 17,
          reason: 'cache key only, not security relevant',
          suppressionLine: 16,
        },
      ],
      notReviewed: [
        { path: 'assets/logo.png', reason: 'binary file' },
        { path: 'vendor/bundle.min.js', reason: 'file over 1000000 bytes' },
      ],
      ignored: { files: 0, globs: [] },
      base: 'main',
      head: 'claude/issue-42-20260101',
      stats: { filesScanned: 7, addedLines: 412, rulesRun: 6, durationMs: 184 },
      tool: { name: 'airlock', version: '0.1.0' },
    });
    expect(Object.keys(doc.summary.counts)).toEqual(['critical', 'high', 'medium', 'low', 'info']);
  });

  it('gives each finding its own confidence and counts what confidence held back from blocking', () => {
    const report = makeReport({
      findings: [
        finding('js.injection.child-process-exec', 'src/a.js', 1, { confidence: 'medium' }),
        finding('secrets.aws.access-key-id', 'src/b.js', 2),
        finding('js.crypto.weak-hash', 'src/c.js', 3),
      ],
    });
    const doc = JSON.parse(renderJson(report));
    expect(doc.findings.map((f: { ruleId: string; confidence: string }) => [f.ruleId, f.confidence])).toEqual([
      ['js.injection.child-process-exec', 'medium'],
      ['secrets.aws.access-key-id', 'high'],
      ['js.crypto.weak-hash', 'medium'],
    ]);
    expect(doc.summary).toMatchObject({ failOn: 'high', failConfidence: 'high', blocking: 1, heldBack: 1, conclusion: 'failure' });
    const lowered = JSON.parse(renderJson(makeReport({ findings: report.result.findings, failConfidence: 'medium' })));
    expect(lowered.summary).toMatchObject({ failConfidence: 'medium', blocking: 2, heldBack: 0 });
  });

  it('says why authorship is unknown when not every commit was read', () => {
    const report = makeReport({});
    report.authorship = { ai: false, agent: null, evidence: [], unknown: 'only 3000 of the 3001 commits were read' };
    const doc = JSON.parse(renderJson(report));
    expect(doc.authorship).toEqual({ ai: false, agent: null, evidence: [], unknown: 'only 3000 of the 3001 commits were read' });
    expect(renderText(report, { color: false })).toContain('AI-authored: unknown, reviewed: only 3000 of the 3001 commits were read\n');
  });

  it('keeps authorship and says why when the change was not reviewed', () => {
    const report = makeReport({ reviewed: false });
    report.authorship = { ai: false, agent: null, evidence: [] };
    const doc = JSON.parse(renderJson(report));
    expect(doc.authorship).toEqual({ ai: false, agent: null, evidence: [] });
    expect(doc.findings).toEqual([]);
    expect(doc.summary.reviewed).toBe(false);
    expect(doc.summary.conclusion).toBe('neutral');
    expect(doc.summary.notReviewedReason).toBe('not AI-authored (no agent markers found); use --all to review anyway');
  });

  it('is deterministic whatever the input order', () => {
    const a = realisticReport();
    const b = realisticReport();
    b.result.findings.reverse();
    b.result.notReviewed.reverse();
    const strip = (s: string) => s.replace(/"fingerprint": "[^"]*"/g, '');
    expect(strip(renderJson(b))).toBe(strip(renderJson(a)));
  });

  it('carries hostile strings through exactly, as valid JSON on any number of lines', () => {
    const text = renderJson(hostileReport());
    expect(text.endsWith('\n')).toBe(true);
    // JSON.stringify escapes control characters, so no raw ESC or newline sits inside a string.
    expect(text).not.toContain('\x1b');
    const doc = JSON.parse(text);
    expect(doc.findings[0].path).toBe(HOSTILE.path);
    expect(doc.findings[0].snippet).toBe(HOSTILE.snippet);
    expect(doc.authorship.evidence).toEqual([HOSTILE.evidence]);
    expect(doc.summary.notReviewed[0]).toEqual({ path: HOSTILE.path, reason: HOSTILE.reason });
  });
});

describe('renderJson: taint paths', () => {
  it('a taint finding carries `flow`, its steps from source to sink; other findings have none', () => {
    const flow = [
      { line: 3, text: 'req.query.name' },
      { line: 4, text: "nodeCp.exec('ls ' + name)" },
    ];
    const report = makeReport({
      findings: [finding('js.taint.command-injection', 'app.js', 4, { flow }), finding('js.injection.child-process-exec', 'b.js', 1)],
    });
    const doc = JSON.parse(renderJson(report));
    const withFlow = doc.findings.find((f: { path: string }) => f.path === 'app.js');
    const without = doc.findings.find((f: { path: string }) => f.path === 'b.js');
    expect(withFlow.flow).toEqual(flow);
    expect(Object.keys(withFlow).at(-1)).toBe('flow');
    expect(without).not.toHaveProperty('flow');
  });
});

import { describe, expect, it } from 'vitest';
import { renderText } from '../../../src/core/render/text.js';
import { HOSTILE, finding, hostileReport, makeReport, realisticReport } from './fixture.js';

// Our own colour sequences: CSI, digits and semicolons, "m".
const OWN_SGR = /\x1b\[[0-9;]*m/g;

describe('renderText', () => {
  it('prints authorship, findings grouped by file and sorted by line, and a summary', () => {
    const text = renderText(realisticReport(), { color: false });
    expect(text).toBe(
      [
        'Airlock 0.1.0 · main...claude/issue-42-20260101',
        'AI-authored: yes (Claude Code)',
        '  evidence: commit 1a2b3c4 trailer "Co-Authored-By: Claude <noreply@anthropic.com>"',
        '  evidence: PR body "🤖 Generated with [Claude Code](https://claude.com/claude-code)"',
        '',
        '.github/workflows/triage.yml',
        '  21  high      gha.injection.untrusted-context-in-run  Untrusted event data in a run step  (high confidence)',
        '      A ${{ github.event.* }} expression is expanded into a shell script.',
        '      > run: echo "${{ github.event.issue.title }}"',
        '      fix: Pass the value through an environment variable and quote it.',
        '',
        'config/deploy.js',
        '  3:18  critical  secrets.aws.access-key-id  AWS access key ID in source  (high confidence)',
        '        An AWS access key ID is committed to the repository.',
        "        > accessKeyId: 'AKIAIOSFODNN7EXAMPLE'",
        '        fix: Revoke the key, then load credentials from the environment or a secret store.',
        '',
        'src/server/git.ts',
        '  3:1   high      js.injection.child-process-exec  Shell command built from dynamic input  (high confidence)',
        '        child_process.exec runs its argument through a shell.',
        '        A value that reaches it from a request can run arbitrary commands.',
        '        > exec(`git log ${req.query.ref}`)',
        '        fix: Use execFile or spawn with an argument array and no shell.',
        '  12:5  high      js.injection.child-process-exec  Shell command built from dynamic input  (high confidence)',
        '        child_process.exec runs its argument through a shell.',
        '        A value that reaches it from a request can run arbitrary commands.',
        '        > exec(`git log ${req.query.ref}`)',
        '        fix: Use execFile or spawn with an argument array and no shell.',
        '  40:5  medium    js.tls.reject-unauthorized-false  TLS certificate verification disabled  (high confidence)',
        '        rejectUnauthorized: false accepts any certificate.',
        '        > rejectUnauthorized: false',
        '',
        'test/git.test.ts',
        '  8:5  low       tests.skip-added  Test skipped  (high confidence)',
        '       The change skips a test.',
        "       > it.skip('rejects bad refs', () => {",
        '       fix: Fix the test instead of skipping it.',
        '',
        'By rule:',
        '  critical  secrets.aws.access-key-id               1 finding',
        '  high      js.injection.child-process-exec         2 findings',
        '  high      gha.injection.untrusted-context-in-run  1 finding',
        '  medium    js.tls.reject-unauthorized-false        1 finding',
        '  low       tests.skip-added                        1 finding',
        '',
        'Not reviewed:',
        '  assets/logo.png  binary file',
        '  vendor/bundle.min.js  file over 1000000 bytes',
        '',
        'Suppressed:',
        '  src/cache.ts:17  js.crypto.weak-hash  cache key only, not security relevant',
        '',
        '6 findings (1 critical, 3 high, 1 medium, 1 low) · 2 files not reviewed · 1 suppressed · verdict: failure',
        '',
      ].join('\n'),
    );
  });

  it('shows each finding\'s confidence and says how many confidence held back from blocking', () => {
    const report = makeReport({
      findings: [
        finding('js.injection.child-process-exec', 'src/a.js', 1, { confidence: 'medium', column: null }),
        finding('js.crypto.weak-hash', 'src/a.js', 2, { column: null }),
      ],
    });
    const text = renderText(report, { color: false });
    expect(text).toContain('  1  high      js.injection.child-process-exec  Shell command built from dynamic input  (medium confidence)\n');
    expect(text).toContain('  2  medium    js.crypto.weak-hash  Weak hash algorithm  (medium confidence)\n');
    expect(text).toContain('2 findings (1 high, 1 medium) · 1 at or above high held back from blocking (confidence below high) · verdict: success\n');
  });

  it('has no escape sequences at all without colour', () => {
    expect(renderText(realisticReport(), { color: false })).not.toContain('\x1b');
  });

  it('colours severities and the verdict with colour on', () => {
    const text = renderText(realisticReport(), { color: true });
    expect(text).toContain('\x1b[1;35mcritical\x1b[0m');
    expect(text).toContain('\x1b[31mhigh    \x1b[0m');
    expect(text).toContain('\x1b[33mmedium  \x1b[0m');
    expect(text).toContain('\x1b[36mlow     \x1b[0m');
    expect(text).toContain('verdict: \x1b[1;31mfailure\x1b[0m');
    expect(text).toContain('(\x1b[1;35m1 critical\x1b[0m, \x1b[31m3 high\x1b[0m');
    // Same content once the colours are removed.
    expect(text.replace(OWN_SGR, '')).toBe(renderText(realisticReport(), { color: false }));
  });

  it('reports a change that was not reviewed', () => {
    const report = makeReport({ reviewed: false });
    report.authorship = { ai: false, agent: null, evidence: [] };
    expect(renderText(report, { color: false })).toBe(
      [
        'Airlock 0.1.0 · main...claude/issue-42-20260101',
        'AI-authored: no',
        'Not reviewed: not AI-authored (no agent markers found); use --all to review anyway',
        '',
        'not reviewed · verdict: neutral',
        '',
      ].join('\n'),
    );
  });

  it('says "no findings" for a clean review', () => {
    expect(renderText(makeReport(), { color: false }).trimEnd().split('\n').at(-1)).toBe('no findings · verdict: success');
  });

  it('lets no hostile text write escape sequences or fake lines, with or without colour', () => {
    for (const color of [false, true]) {
      const text = renderText(hostileReport(), { color });
      const withoutOwn = text.replace(OWN_SGR, '');
      expect(withoutOwn).not.toContain('\x1b');
      expect(withoutOwn).not.toContain('\x07');
      expect(withoutOwn).not.toContain('\x9b');
      expect(withoutOwn).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
      // The newline in the path is shown, not obeyed.
      expect(text).not.toContain('\n## fake heading');
      expect(text).toContain('\\n## fake heading\\x1B[2J\\x1B]0;pwned\\x07.ts');
      expect(text).not.toContain('\n**Airlock: no findings**');
      expect(text).toContain('\\x9B31m');
    }
    // Our colour codes only wrap our own words.
    const colored = renderText(hostileReport(), { color: true });
    const painted = [...colored.matchAll(/\x1b\[[0-9;]*m([^\x1b]*)\x1b\[0m/g)].map((m) => m[1]);
    for (const word of painted) expect(word).toMatch(/^(critical|high|medium|low|info|\d+ \w+|failure|success|neutral|src\/.*)\s*$/);
    expect(HOSTILE.path).toContain('\x1b');
  });

  it('shows invisible characters in paths and bounds huge snippets', () => {
    const report = makeReport({
      findings: [finding('tests.skip-added', 'src/\u202Egnp.ts', 1, { snippet: 'x'.repeat(100_000) })],
    });
    const text = renderText(report, { color: false });
    expect(text).toContain('src/\\u{202E}gnp.ts');
    expect(text.length).toBeLessThan(2_000);
  });
});

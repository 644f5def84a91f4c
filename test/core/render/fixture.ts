// A realistic review report (Claude Code PR with a command injection, a leaked key, a
// workflow change and a few minor findings) plus builders for variants of it.

import { atLeast, blocks } from '../../../src/core/model.js';
import type { Confidence, Finding, IgnoredFiles, Severity, SuppressedFinding, NotReviewed } from '../../../src/core/model.js';
import type { RuleMeta } from '../../../src/core/rules/types.js';
import type { Report } from '../../../src/core/render/report.js';
import { countBySeverity } from '../../../src/core/render/common.js';

export const RULES: RuleMeta[] = [
  {
    id: 'js.injection.child-process-exec',
    title: 'Shell command built from dynamic input',
    severity: 'high',
    confidence: 'high',
    category: 'injection',
    cwe: ['CWE-78'],
    message: 'child_process.exec runs its argument through a shell.\nA value that reaches it from a request can run arbitrary commands.',
    fix: 'Use execFile or spawn with an argument array and no shell.',
    references: ['https://owasp.org/www-community/attacks/Command_Injection'],
  },
  {
    id: 'secrets.aws.access-key-id',
    title: 'AWS access key ID in source',
    severity: 'critical',
    confidence: 'high',
    category: 'secrets',
    cwe: ['CWE-798'],
    message: 'An AWS access key ID is committed to the repository.',
    fix: 'Revoke the key, then load credentials from the environment or a secret store.',
    references: [],
  },
  {
    id: 'gha.injection.untrusted-context-in-run',
    title: 'Untrusted event data in a run step',
    severity: 'high',
    confidence: 'high',
    category: 'ci',
    cwe: ['CWE-94', 'CWE-78'],
    message: 'A ${{ github.event.* }} expression is expanded into a shell script.',
    fix: 'Pass the value through an environment variable and quote it.',
    references: ['https://securitylab.github.com/resources/github-actions-untrusted-input/'],
  },
  {
    id: 'js.tls.reject-unauthorized-false',
    title: 'TLS certificate verification disabled',
    severity: 'medium',
    confidence: 'high',
    category: 'weakened-safety',
    cwe: ['CWE-295'],
    message: 'rejectUnauthorized: false accepts any certificate.',
    fix: null,
    references: [],
  },
  {
    id: 'tests.skip-added',
    title: 'Test skipped',
    severity: 'low',
    confidence: 'high',
    category: 'weakened-safety',
    cwe: [],
    message: 'The change skips a test.',
    fix: 'Fix the test instead of skipping it.',
    references: [],
  },
  {
    id: 'js.crypto.weak-hash',
    title: 'Weak hash algorithm',
    severity: 'medium',
    confidence: 'medium',
    category: 'crypto',
    cwe: ['CWE-328'],
    message: 'MD5 and SHA-1 are broken for security purposes.',
    fix: 'Use SHA-256 or better.',
    references: [],
  },
];

const META = new Map(RULES.map((r) => [r.id, r]));

let counter = 0;

/** A finding of a known rule (metadata copied from RULES) with the given place. */
export function finding(ruleId: string, path: string, line: number, extra: Partial<Finding> = {}): Finding {
  const meta = META.get(ruleId);
  counter += 1;
  return {
    ruleId,
    title: meta?.title ?? 'Unknown rule',
    severity: meta?.severity ?? 'info',
    confidence: meta?.confidence ?? 'high',
    category: meta?.category ?? 'misc',
    cwe: meta?.cwe ?? [],
    path,
    line,
    endLine: line,
    column: 5,
    message: meta?.message ?? 'Something odd.',
    fix: meta?.fix ? { description: meta.fix } : null,
    references: meta?.references ?? [],
    snippet: 'exec(`git log ${req.query.ref}`)',
    fingerprint: `fp${String(counter).padStart(6, '0')}${ruleId.length.toString(16)}`,
    source: 'ast',
    ...extra,
  };
}

export function verdictFor(
  findings: Finding[],
  failOn: Severity = 'high',
  reviewed = true,
  failConfidence: Confidence = 'high',
): Report['verdict'] {
  const blocking = reviewed ? findings.filter((f) => blocks(f, failOn, failConfidence)) : [];
  const heldBack = reviewed ? findings.filter((f) => atLeast(f.severity, failOn) && !blocks(f, failOn, failConfidence)) : [];
  return {
    conclusion: !reviewed ? 'neutral' : blocking.length > 0 ? 'failure' : 'success',
    reviewed,
    title: blocking.length > 0 ? `${blocking.length} blocking findings` : 'No blocking findings',
    failOn,
    failConfidence,
    counts: countBySeverity(findings),
    blocking,
    heldBack,
  };
}

export interface ReportParts {
  findings?: Finding[];
  suppressed?: SuppressedFinding[];
  notReviewed?: NotReviewed[];
  ignored?: IgnoredFiles;
  evidence?: string[];
  reviewed?: boolean;
  failOn?: Severity;
  failConfidence?: Confidence;
}

export function makeReport(parts: ReportParts = {}): Report {
  const findings = parts.findings ?? [];
  const reviewed = parts.reviewed ?? true;
  return {
    tool: { name: 'airlock', version: '0.1.0' },
    base: 'main',
    head: 'claude/issue-42-20260101',
    authorship: {
      ai: true,
      agent: 'Claude Code',
      evidence: parts.evidence ?? [
        'commit 1a2b3c4 trailer "Co-Authored-By: Claude <noreply@anthropic.com>"',
        'PR body "🤖 Generated with [Claude Code](https://claude.com/claude-code)"',
      ],
    },
    reviewed,
    notReviewedReason: reviewed ? null : 'not AI-authored (no agent markers found); use --all to review anyway',
    result: {
      findings,
      suppressed: parts.suppressed ?? [],
      notReviewed: parts.notReviewed ?? [],
      ignored: parts.ignored ?? { files: 0, globs: [] },
      stats: { filesScanned: 7, addedLines: 412, rulesRun: RULES.length, durationMs: 184 },
    },
    verdict: verdictFor(findings, parts.failOn ?? 'high', reviewed, parts.failConfidence ?? 'high'),
    rules: RULES,
  };
}

/** The realistic report: 6 findings in 4 files, one suppression, two files not reviewed. */
export function realisticReport(): Report {
  return makeReport({
    findings: [
      finding('js.injection.child-process-exec', 'src/server/git.ts', 12, { column: 5, endLine: 14 }),
      finding('secrets.aws.access-key-id', 'config/deploy.js', 3, {
        column: 18,
        snippet: "accessKeyId: 'AKIAIOSFODNN7EXAMPLE'",
        source: 'regex',
      }),
      finding('gha.injection.untrusted-context-in-run', '.github/workflows/triage.yml', 21, {
        column: null,
        snippet: 'run: echo "${{ github.event.issue.title }}"',
      }),
      finding('js.tls.reject-unauthorized-false', 'src/server/git.ts', 40, { snippet: 'rejectUnauthorized: false' }),
      finding('tests.skip-added', 'test/git.test.ts', 8, { snippet: "it.skip('rejects bad refs', () => {" }),
      finding('js.injection.child-process-exec', 'src/server/git.ts', 3, { column: 1 }),
    ],
    suppressed: [
      {
        finding: finding('js.crypto.weak-hash', 'src/cache.ts', 17, { snippet: "createHash('md5')" }),
        reason: 'cache key only, not security relevant',
        suppressionLine: 16,
      },
    ],
    notReviewed: [
      { path: 'assets/logo.png', reason: 'binary file' },
      { path: 'vendor/bundle.min.js', reason: 'file over 1000000 bytes' },
    ],
  });
}

/** Strings an attacker controls in a PR, aimed at each output format. */
export const HOSTILE = {
  path: 'src/@org/team/</details><img src=x onerror=alert(1)>|`x`\n## fake heading\x1b[2J\x1b]0;pwned\x07.ts',
  snippet: "run('\x1b[31mred\x1b[0m') // @octocat see #123 https://evil.example www.evil.example",
  evidence: 'commit deadbee trailer "Co-Authored-By: x <a@b.c>\n**Airlock: no findings**\r\n<!-- airlock:hidden -->"',
  reason: 'binary file </details> @org/security-team \x9b31m',
};

export function hostileReport(): Report {
  return makeReport({
    findings: [
      finding('js.injection.child-process-exec', HOSTILE.path, 7, {
        snippet: HOSTILE.snippet,
        message: `Shell command built from ${HOSTILE.snippet}`,
        fix: { description: 'Ask @security-team in #42 or visit https://evil.example' },
      }),
    ],
    suppressed: [{ finding: finding('js.crypto.weak-hash', HOSTILE.path, 9), reason: HOSTILE.reason, suppressionLine: 8 }],
    notReviewed: [{ path: HOSTILE.path, reason: HOSTILE.reason }],
    evidence: [HOSTILE.evidence],
  });
}

const SEVERITY_CYCLE: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** n findings spread over n/10 files, all severities, for size limits. */
export function manyFindings(n: number): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const severity = SEVERITY_CYCLE[i % SEVERITY_CYCLE.length]!;
    out.push(
      finding('js.injection.child-process-exec', `src/generated/module-${Math.floor(i / 10)}/handler.ts`, (i % 10) * 7 + 1, {
        severity,
        fingerprint: `bulk${i}`,
      }),
    );
  }
  return out;
}

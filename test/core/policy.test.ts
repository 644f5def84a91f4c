// `mode`, `comment_on` parsing and `policies`: the missing-tests finding, thresholds per path.
import { describe, expect, it } from 'vitest';
import { ANALYZERS } from '../../src/core/analyzers/index.js';
import { ConfigError, DEFAULT_CONFIG, parseConfig, type AirlockConfig } from '../../src/core/config.js';
import type { Finding, ScanResult } from '../../src/core/model.js';
import { CHANGE_RULES, MISSING_TESTS } from '../../src/core/policy.js';
import { review } from '../../src/core/review.js';
import { buildCatalog, configureCatalog } from '../../src/core/rules/catalog.js';
import { decideVerdict, thresholdFor } from '../../src/core/verdict.js';
import { NO_DATA } from '../helpers/analyzers.js';
import { changeSetOf, type FakeFile } from '../helpers/changeset.js';
import { finding } from './render/fixture.js';

const catalog = buildCatalog([], [...ANALYZERS], CHANGE_RULES);
const AI_COMMIT = {
  sha: 'a'.repeat(40),
  authorName: 'dev',
  authorEmail: 'dev@example.com',
  authorLogin: null,
  committerName: 'dev',
  committerEmail: 'dev@example.com',
  committerLogin: null,
  message: 'Change login\n\nCo-Authored-By: Claude <noreply@anthropic.com>',
};
const aiFacts = { author: 'dev', authorType: 'User', labels: [], title: 't', body: '', headBranch: 'x', commits: [AI_COMMIT] };
const humanFacts = { ...aiFacts, commits: [{ ...AI_COMMIT, message: 'Change login' }] };
const AUTH = { paths: ['src/auth/**'], require_tests: true, tests: [] };

async function reviewed(files: FakeFile[], config: Partial<AirlockConfig>, facts = aiFacts) {
  return review({
    changeSet: changeSetOf(files),
    facts,
    config: { ...DEFAULT_CONFIG, ...config },
    catalog: config.rules ? configureCatalog(catalog, config.rules) : catalog,
    data: NO_DATA,
    tool: { name: 'airlock', version: 'test' },
    forceReview: true,
  });
}

const policyFindings = (findings: Finding[]) => findings.filter((f) => f.ruleId === MISSING_TESTS);

describe('configuration of the rollout', () => {
  it('reads mode, comment_on and policies, with defaults that keep enforcing and commenting everything', () => {
    expect([DEFAULT_CONFIG.mode, DEFAULT_CONFIG.comment_on, DEFAULT_CONFIG.policies]).toEqual(['enforce', 'info', []]);
    const config = parseConfig(
      'mode: observe\ncomment_on: medium\npolicies:\n  - paths: ["src/auth/**"]\n    require_tests: true\n    fail_on: medium\n',
      'airlock.yml',
    );
    expect(config.mode).toBe('observe');
    expect(config.comment_on).toBe('medium');
    expect(config.policies).toEqual([{ paths: ['src/auth/**'], require_tests: true, tests: [], fail_on: 'medium' }]);
  });

  it('names the file, line and field of a mistake in a policy', () => {
    expect(() => parseConfig('policies:\n  - paths: []\n', 'airlock.yml')).toThrow(ConfigError);
    expect(() => parseConfig('policies:\n  - paths: []\n', 'airlock.yml')).toThrow(/^airlock\.yml: line 2: policies\.0\.paths: /);
    expect(() => parseConfig('policies:\n  - paths: [a]\n    require_test: true\n', 'airlock.yml')).toThrow(/^airlock\.yml: line 2: policies\.0: Unrecognized key: "require_test"/);
    expect(() => parseConfig('mode: audit\n', 'airlock.yml')).toThrow(/^airlock\.yml: line 1: mode: /);
  });
});

describe('policies: require_tests', () => {
  it('reports an AI-authored change to a covered path that changes no test', async () => {
    const report = await reviewed([{ path: 'src/auth/session.ts', code: 'export const ttl = 60;\n', added: [1] }], { policies: [AUTH] });
    const [f] = policyFindings(report.result.findings);
    expect(f).toMatchObject({ ruleId: MISSING_TESTS, path: 'src/auth/session.ts', line: 1, severity: 'high', confidence: 'high' });
    expect(f!.message).toContain('modifies src/auth/session.ts (policy for src/auth/**: `require_tests`)');
    expect(report.verdict.conclusion).toBe('failure');
    expect(report.rules.map((r) => r.id)).toContain(MISSING_TESTS);
  });

  it('is satisfied by a test file by convention, or by the policy’s own test globs', async () => {
    const auth = { path: 'src/auth/session.ts', code: 'export const ttl = 60;\n' };
    expect(policyFindings((await reviewed([auth, { path: 'src/auth/session.test.ts', code: 'it("x", () => {});\n' }], { policies: [AUTH] })).result.findings)).toEqual([]);
    expect(policyFindings((await reviewed([auth, { path: 'tests/test_session.py', code: 'def test_x(): pass\n' }], { policies: [AUTH] })).result.findings)).toEqual([]);
    const own = { ...AUTH, tests: ['checks/**/*.spec.sh'] };
    expect(policyFindings((await reviewed([auth, { path: 'checks/auth/login.spec.sh', code: 'true\n' }], { policies: [own] })).result.findings)).toEqual([]);
    // A deleted test is no evidence.
    const deleted = { path: 'src/auth/session.test.ts', code: '', status: 'deleted' as const, added: [] };
    expect(policyFindings((await reviewed([auth, deleted], { policies: [AUTH] })).result.findings)).toHaveLength(1);
  });

  it('stays quiet for paths outside the policy, human changes, and when switched off', async () => {
    const other = [{ path: 'src/ui/button.ts', code: 'export const x = 1;\n' }];
    expect(policyFindings((await reviewed(other, { policies: [AUTH] })).result.findings)).toEqual([]);
    const auth = [{ path: 'src/auth/session.ts', code: 'export const ttl = 60;\n' }];
    expect(policyFindings((await reviewed(auth, { policies: [AUTH] }, humanFacts)).result.findings)).toEqual([]);
    expect(policyFindings((await reviewed(auth, { policies: [{ ...AUTH, require_tests: false }] })).result.findings)).toEqual([]);
    expect(policyFindings((await reviewed(auth, { policies: [AUTH], rules: { [MISSING_TESTS]: 'off' } })).result.findings)).toEqual([]);
  });

  it('keeps its fingerprint when a later push touches another covered file first', async () => {
    const one = policyFindings((await reviewed([{ path: 'src/auth/session.ts', code: 'a\n' }], { policies: [AUTH] })).result.findings);
    const two = policyFindings(
      (await reviewed([{ path: 'src/auth/a.ts', code: 'b\n' }, { path: 'src/auth/session.ts', code: 'a\n' }], { policies: [AUTH] })).result.findings,
    );
    expect(two[0]!.path).toBe('src/auth/a.ts');
    expect(two[0]!.fingerprint).toBe(one[0]!.fingerprint);
  });

  it('takes a configured severity from rules:', async () => {
    const report = await reviewed([{ path: 'src/auth/session.ts', code: 'a\n' }], { policies: [AUTH], rules: { [MISSING_TESTS]: { severity: 'medium' } } });
    expect(policyFindings(report.result.findings)[0]!.severity).toBe('medium');
    expect(report.verdict.conclusion).toBe('success');
  });
});

const ai = { ai: true, agent: 'Claude Code', evidence: ['trailer'] };
function resultOf(findings: Finding[]): ScanResult {
  return { findings, suppressed: [], notReviewed: [], ignored: { files: 0, globs: [] }, stats: { filesScanned: 1, addedLines: 1, rulesRun: 1, durationMs: 1 } };
}

describe('thresholds per path and observe mode', () => {
  const weakInAuth = finding('js.crypto.weak-hash', 'src/auth/hash.js', 3, { confidence: 'medium' });
  const weakElsewhere = finding('js.crypto.weak-hash', 'src/ui/hash.js', 3, { confidence: 'medium' });

  it('blocks a medium finding in a path whose policy fails on medium, and only there', () => {
    const pathThresholds = [{ paths: ['src/auth/**'], failOn: 'medium' as const, failConfidence: 'medium' as const }];
    const verdict = decideVerdict({ authorship: ai, reviewed: true, result: resultOf([weakInAuth, weakElsewhere]), failOn: 'high', pathThresholds });
    expect(verdict.conclusion).toBe('failure');
    expect(verdict.blocking.map((f) => f.path)).toEqual(['src/auth/hash.js']);
    expect(verdict.title).toBe('1 blocking finding (thresholds of `policies` included)');
    expect(verdict.pathThresholds).toEqual(pathThresholds);
  });

  it('takes the strictest threshold of several matching policies, each field on its own', () => {
    const verdict = {
      failOn: 'high' as const,
      failConfidence: 'high' as const,
      pathThresholds: [
        { paths: ['src/**'], failOn: 'critical' as const },
        { paths: ['src/auth/**'], failOn: 'low' as const },
        { paths: ['src/auth/*.js'], failConfidence: 'low' as const },
      ],
    };
    expect(thresholdFor(verdict, 'src/auth/a.js')).toEqual({ failOn: 'low', failConfidence: 'low' });
    expect(thresholdFor(verdict, 'src/ui/a.js')).toEqual({ failOn: 'critical', failConfidence: 'high' });
    expect(thresholdFor(verdict, 'docs/a.md')).toEqual({ failOn: 'high', failConfidence: 'high' });
  });

  it('observe mode concludes neutral where enforce fails, and says what it would do', () => {
    const exec = finding('js.injection.child-process-exec', 'src/a.js', 1, { confidence: 'high' });
    const enforce = decideVerdict({ authorship: ai, reviewed: true, result: resultOf([exec]), failOn: 'high' });
    const observe = decideVerdict({ authorship: ai, reviewed: true, result: resultOf([exec]), failOn: 'high', mode: 'observe' });
    expect([enforce.conclusion, enforce.mode]).toEqual(['failure', undefined]);
    expect(observe).toMatchObject({ conclusion: 'neutral', mode: 'observe', title: 'Observe mode, would fail: 1 finding at or above high' });
    expect(observe.blocking).toHaveLength(1);
    const clean = decideVerdict({ authorship: ai, reviewed: true, result: resultOf([]), failOn: 'high', mode: 'observe' });
    expect([clean.conclusion, clean.title]).toEqual(['success', 'No findings']);
  });
});

// Per-path policies (`policies:` in the configuration): rules about the change as a whole
// rather than about a line of a file. `require_tests` asks an AI-authored change to a
// high-risk path (`src/auth/**`) to change a test too; without one it gets the finding
// `airlock.policy.missing-tests`. Thresholds per path are the verdict's (verdict.ts).
import type { PathPolicy } from './config.js';
import { classifyFile } from './context/classify.js';
import type { Authorship, ChangedFile, Finding, PathThreshold } from './model.js';
import type { RuleMeta } from './rules/types.js';
import { globFinder } from './scan/globs.js';
import { fingerprint } from './scan/fingerprint.js';

export const MISSING_TESTS = 'airlock.policy.missing-tests';

/** Rules about the whole change; their metadata is in the catalog like any rule's (configurable under `rules:`). */
export const CHANGE_RULES: readonly RuleMeta[] = [
  {
    id: MISSING_TESTS,
    title: 'High-risk path changed without test evidence',
    severity: 'high',
    confidence: 'high',
    category: 'safety-net',
    // The policy is a protection mechanism of the repository's own; a change that skips it weakens it.
    cwe: ['CWE-693'],
    message:
      'A policy of this repository requires an AI-authored change to these files to come with tests, and this change modifies none. An agent can change authentication or payment code in ways that look right and are not; a test that shows the intended behaviour is the evidence a reviewer needs.',
    fix: 'Add or update tests that exercise the changed behaviour in this pull request, or have a maintainer accept the finding with a reason.',
    references: ['docs/config.md#policies'],
  },
];

/** The thresholds the policies set, for the verdict (only policies that set one). */
export function policyThresholds(policies: readonly PathPolicy[]): PathThreshold[] {
  return policies
    .filter((p) => p.fail_on !== undefined || p.fail_confidence !== undefined)
    .map((p) => ({
      paths: p.paths,
      ...(p.fail_on !== undefined ? { failOn: p.fail_on } : {}),
      ...(p.fail_confidence !== undefined ? { failConfidence: p.fail_confidence } : {}),
    }));
}

const LISTED = 5;

/** Whether a changed file is test evidence for a policy: a test file by convention, or one of its `tests` globs. */
function isTestEvidence(file: ChangedFile, testGlobs: ((path: string) => string | null) | null): boolean {
  if (file.status === 'deleted') return false;
  return classifyFile(file.path).kind === 'test' || (testGlobs?.(file.path) ?? null) !== null;
}

/**
 * `airlock.policy.missing-tests` for each `require_tests` policy whose paths an AI-authored (or
 * unknown-authorship) change touches without changing any test file. The finding sits on the first
 * added line of the first such file and names the others.
 */
export function policyFindings(
  files: readonly ChangedFile[],
  authorship: Authorship,
  policies: readonly PathPolicy[],
  meta: RuleMeta | undefined,
): Finding[] {
  if (!meta || !(authorship.ai || authorship.unknown !== undefined)) return [];
  const out: Finding[] = [];
  for (const policy of policies) {
    if (!policy.require_tests) continue;
    const covered = globFinder(policy.paths)!;
    const testGlobs = globFinder(policy.tests);
    const touched = files
      .filter((f) => covered(f.path) !== null && !isTestEvidence(f, testGlobs))
      .sort((a, b) => a.path.localeCompare(b.path));
    if (touched.length === 0 || files.some((f) => isTestEvidence(f, testGlobs))) continue;
    const anchor = touched.find((f) => f.status !== 'deleted' && f.addedLines.length > 0) ?? touched[0]!;
    const line = anchor.status === 'deleted' ? 1 : (anchor.addedLines[0] ?? 1);
    const names = touched.slice(0, LISTED).map((f) => f.path);
    const more = touched.length > LISTED ? ` and ${touched.length - LISTED} more` : '';
    const key = policy.paths.join(',');
    const context = classifyFile(anchor.path);
    out.push({
      ruleId: meta.id,
      title: meta.title,
      severity: meta.severity,
      confidence: meta.confidence,
      category: meta.category,
      cwe: meta.cwe,
      path: anchor.path,
      line,
      endLine: line,
      column: null,
      message: `This AI-authored change modifies ${names.join(', ')}${more} (policy for ${policy.paths.join(', ')}: \`require_tests\`) and changes no test file. ${meta.message}`,
      fix: null,
      references: meta.references,
      snippet: key,
      // The policy, not the file it is shown on: a later push touching another file keeps the fingerprint (and an allowance of it).
      fingerprint: fingerprint(meta.id, key, 'policy', 0),
      source: 'engine',
      context: { kind: context.kind, reason: context.reason },
    });
  }
  return out;
}

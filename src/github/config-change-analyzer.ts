// A change to Airlock's own configuration is itself a finding. The app reads the
// configuration from the default branch, so the edit cannot relax this review, but once
// merged it decides how every later pull request is reviewed: a human must look at it.
// Pure (no GitHub types): it runs in the engine like every other analyzer.
import type { Analyzer } from '../core/rules/types.js';

export const CONFIG_CHANGE_RULE = 'airlock.config-changed';
const CONFIG_FILES = new Set(['.github/airlock.yml', '.github/airlock.yaml']);

export const configChangeAnalyzer: Analyzer = {
  name: 'airlock-config',
  rules: [
    {
      meta: {
        id: CONFIG_CHANGE_RULE,
        title: "Change to Airlock's own configuration",
        severity: 'high',
        category: 'safety-net',
        cwe: ['CWE-284'],
        message:
          'This change edits .github/airlock.yml. Airlock reads its configuration from the default branch, so the edit does not affect this review, but after merging it governs every later review (which pull requests are reviewed, which rules run, what fails the check). A maintainer should review it on its own.',
        fix: 'Move configuration changes to a separate pull request written and reviewed by a maintainer.',
        references: ['https://cwe.mitre.org/data/definitions/284.html'],
      },
      tests: {
        valid: [{ path: '.github/workflows/airlock.yml', code: 'on: push\n' }],
        invalid: [{ path: '.github/airlock.yml', code: 'review: ai\nfail_on: critical\n', lines: [1] }],
      },
    },
  ],
  appliesTo: (file) => CONFIG_FILES.has(file.path) || (file.oldPath !== null && CONFIG_FILES.has(file.oldPath)),
  analyze({ file, added }) {
    const first = [...added].sort((a, b) => a - b)[0] ?? 1;
    // The path alone as snippet: the fingerprint stays the same however the file is edited.
    return [{ ruleId: CONFIG_CHANGE_RULE, line: first, snippet: file.path }];
  },
};

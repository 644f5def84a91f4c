import { describe, expect, it } from 'vitest';
import { scannersAnalyzer } from '../../../../src/core/analyzers/safety-nets/scanners.js';
import { describeAnalyzerRules, runAnalyzer } from '../../../helpers/analyzers.js';

describeAnalyzerRules(scannersAnalyzer);

const found = (path: string, code: string, base?: string) =>
  runAnalyzer(scannersAnalyzer, { path, code, ...(base !== undefined ? { base } : {}) }).map((f) => [f.ruleId, f.line]);

describe('security scanners against the base', () => {
  it('reads bandit settings only in bandit sections of shared files', () => {
    expect(found('pyproject.toml', '[tool.ruff.lint]\nignore = ["B008"]\n')).toEqual([]);
    expect(found('pyproject.toml', '[tool.bandit]\nskips = ["B101", "B602"]\n')).toEqual([['safety-net.security-scanner-weakened', 2]]);
  });

  it('reports CodeQL paths-ignore only in CodeQL configuration', () => {
    expect(found('.github/codeql/codeql-config.yml', 'paths-ignore:\n  - "src/**"\n')).toEqual([['safety-net.security-scanner-weakened', 1]]);
    expect(found('.github/workflows/ci.yml', 'on:\n  push:\n    paths-ignore:\n      - "docs/**"\n')).toEqual([]);
    // Leaving tests and docs out narrows nothing that ships.
    expect(found('.github/workflows/codeql.yml', 'steps:\n  - uses: github/codeql-action/init@v3\n    with:\n      config: |\n        paths-ignore:\n          - test\n          - docs/**\n')).toEqual([]);
    expect(found('.github/workflows/codeql.yml', 'steps:\n  - uses: github/codeql-action/init@v3\n    with:\n      config: |\n        paths-ignore:\n          - test\n          - src/api\n')).toEqual([['safety-net.security-scanner-weakened', 5]]);
  });

  it('reports a removed CODEOWNERS entry where it stood', () => {
    const base = '* @org/dev\n/infra/ @org/sre\n/README.md @org/docs\n';
    expect(found('CODEOWNERS', '* @org/dev\n', base)).toEqual([['safety-net.codeowners-entry-removed', 1]]);
  });
});

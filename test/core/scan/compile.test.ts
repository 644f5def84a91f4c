import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { pathMatcher } from '../../../src/core/scan/compile.js';
import { parseRuleSource } from '../../../src/core/rules/catalog.js';
import { readRuleSources } from '../../../src/io/rules-dir.js';

const PATHS = [
  'src/app.ts',
  'src/app.test.ts',
  'test/unit/app.spec.js',
  '.github/workflows/ci.yml',
  '.claude/settings.json',
  'pkg/.cursor/rules/x.mdc',
  'Dockerfile',
  'build/app.Dockerfile',
  'src/[id].tsx',
  'docs/README.md',
  'a/b/c/deep_test.go',
  'lib/UserTest.java',
  '.env',
  'node_modules/x/index.js',
  'weird name (1).py',
];

describe('path globs', () => {
  it('match exactly as picomatch does, for every glob the shipped rules use', async () => {
    const globs = new Set<string>(['src/[id].tsx', '**/*.{js,ts}', '!**/*.md', 'src/**']);
    for (const source of await readRuleSources()) {
      for (const spec of parseRuleSource(source)) {
        for (const glob of [...(spec.paths?.include ?? []), ...(spec.paths?.exclude ?? [])]) globs.add(glob);
      }
    }
    expect(globs.size).toBeGreaterThan(40);
    for (const glob of globs) {
      const reference = picomatch(glob, { dot: true });
      const ours = pathMatcher([glob], undefined);
      const excluded = pathMatcher(undefined, [glob]);
      for (const path of PATHS) {
        expect(ours(path), `${glob} on ${path}`).toBe(reference(path));
        expect(excluded(path), `not ${glob} on ${path}`).toBe(!reference(path));
      }
    }
    expect(pathMatcher(undefined, undefined)('anything')).toBe(true);
  });
});

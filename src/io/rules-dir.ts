import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ANALYZERS } from '../core/analyzers/index.js';
import { CHANGE_RULES } from '../core/policy.js';
import { buildCatalog, type RuleCatalog, type RuleSource } from '../core/rules/catalog.js';
import { RULES_DIR } from './package-root.js';
import { withCachedParses } from './rule-cache.js';

export const isYaml = (n: string): boolean => n.endsWith('.yml') || n.endsWith('.yaml');

/** The base name of a file without its extension: `flask.yml` → `flask`. */
export function stem(name: string): string {
  const at = name.lastIndexOf('.');
  return at > 0 ? name.slice(0, at) : name;
}

/**
 * Reads the shipped rule files, sorted by name so rule order is stable: rules/*.yml in this
 * format and rules/semgrep/*.yml in Semgrep's, each of those with its annotated test files
 * (same base name, another extension).
 */
export async function readRuleSources(dir: string = RULES_DIR): Promise<RuleSource[]> {
  const names = (await readdir(dir)).filter(isYaml).sort();
  const own = await Promise.all(names.map(async (n) => ({ name: `rules/${n}`, text: await readFile(join(dir, n), 'utf8') })));
  const semgrepDir = join(dir, 'semgrep');
  const entries = await readdir(semgrepDir).catch(() => [] as string[]);
  const semgrep = await Promise.all(
    entries
      .filter(isYaml)
      .sort()
      .map(async (n): Promise<RuleSource> => {
        const tests = entries.filter((t) => t !== n && stem(t) === stem(n) && !isYaml(t)).sort();
        return {
          name: `rules/semgrep/${n}`,
          text: await readFile(join(semgrepDir, n), 'utf8'),
          format: 'semgrep',
          companions: await Promise.all(tests.map(async (t) => ({ name: `rules/semgrep/${t}`, text: await readFile(join(semgrepDir, t), 'utf8') }))),
        };
      }),
  );
  return [...own, ...semgrep];
}

let sourcesOnce: Promise<RuleSource[]> | null = null;
let catalogOnce: Promise<RuleCatalog> | null = null;

/** The shipped rule files, read once per process. */
export function shippedRuleSources(): Promise<RuleSource[]> {
  sourcesOnce ??= readRuleSources().then((sources) => withCachedParses(sources));
  return sourcesOnce;
}

/** The shipped catalog (YAML rules + analyzers), loaded once per process. */
export function loadShippedCatalog(): Promise<RuleCatalog> {
  catalogOnce ??= shippedRuleSources().then((sources) => buildCatalog(sources, [...ANALYZERS], CHANGE_RULES));
  return catalogOnce;
}

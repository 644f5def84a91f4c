import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ANALYZERS } from '../core/analyzers/index.js';
import { buildCatalog, type RuleCatalog, type RuleSource } from '../core/rules/catalog.js';
import { RULES_DIR } from './package-root.js';
import { withCachedParses } from './rule-cache.js';

/** Reads the shipped rule files (rules/*.yml), sorted by name so rule order is stable. */
export async function readRuleSources(dir: string = RULES_DIR): Promise<RuleSource[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.yml') || n.endsWith('.yaml')).sort();
  return Promise.all(names.map(async (n) => ({ name: `rules/${n}`, text: await readFile(join(dir, n), 'utf8') })));
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
  catalogOnce ??= shippedRuleSources().then((sources) => buildCatalog(sources, [...ANALYZERS]));
  return catalogOnce;
}

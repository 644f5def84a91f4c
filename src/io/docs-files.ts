// The generated documentation as files: docs/rules/ (one page per shipped rule, plus the
// index) and docs/configuration.md. `npm run docs` writes them; the docs test compares them
// with what is committed, so the pages never drift from the rules and the schema.
import { readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { configSchema } from '../core/config.js';
import { configReference } from '../core/docs/config-reference.js';
import { RULE_DOCS_DIR } from '../core/docs/links.js';
import { rulePages } from '../core/docs/rule-pages.js';
import type { RuleCatalog } from '../core/rules/catalog.js';
import { loadShippedCatalog } from './rules-dir.js';

export const CONFIG_REFERENCE = 'docs/configuration.md';

/** Every generated file, by path relative to the package root. */
export async function generatedDocs(catalog?: RuleCatalog): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const [name, text] of rulePages(catalog ?? (await loadShippedCatalog()))) files.set(`${RULE_DOCS_DIR}/${name}`, text);
  files.set(CONFIG_REFERENCE, configReference(configSchema));
  return files;
}

async function committedRulePages(root: string): Promise<string[]> {
  const names = await readdir(join(root, RULE_DOCS_DIR)).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith('.md')).map((n) => `${RULE_DOCS_DIR}/${n}`);
}

/** What differs between the committed docs under `root` and the generated ones, one line each; [] when none. */
export async function docsDrift(root: string, generated: ReadonlyMap<string, string>): Promise<string[]> {
  const problems: string[] = [];
  for (const [path, text] of generated) {
    const committed = await readFile(join(root, path), 'utf8').catch(() => null);
    if (committed === null) problems.push(`${path} is missing`);
    else if (committed !== text) problems.push(`${path} differs from what the generator writes`);
  }
  for (const path of await committedRulePages(root)) {
    if (!generated.has(path)) problems.push(`${path} belongs to no shipped rule`);
  }
  return problems;
}

/** Writes the generated docs under `root` and removes rule pages that no rule has any more. Returns what changed. */
export async function writeDocs(root: string, generated: ReadonlyMap<string, string>): Promise<string[]> {
  const changed: string[] = [];
  await mkdir(join(root, RULE_DOCS_DIR), { recursive: true });
  for (const [path, text] of generated) {
    const committed = await readFile(join(root, path), 'utf8').catch(() => null);
    if (committed === text) continue;
    await writeFile(join(root, path), text);
    changed.push(path);
  }
  for (const path of await committedRulePages(root)) {
    if (generated.has(path)) continue;
    await rm(join(root, path));
    changed.push(`${path} (removed)`);
  }
  return changed;
}

import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RuleSource } from '../core/rules/catalog.js';
import { parseRuleFile, type RuleSpec } from '../core/rules/schema.js';
import { PACKAGE_ROOT } from './package-root.js';

// Parsing ~300 KB of rule YAML costs about half a second per process (most of it warming up
// the YAML parser), paid again by every worker thread. The build parses and validates the
// rule files once and stores the result keyed by each file's hash; a file whose text no
// longer matches its entry is simply parsed again, so the cache can never serve stale rules.

const CACHE_FILE = join(PACKAGE_ROOT, 'dist', 'rules-cache.json');

interface CacheFile {
  version: 1;
  files: Record<string, { sha256: string; specs: RuleSpec[] }>;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Attaches cached parses to the sources whose text is unchanged since the build. */
export async function withCachedParses(sources: RuleSource[], file = CACHE_FILE): Promise<RuleSource[]> {
  let cache: CacheFile;
  try {
    cache = JSON.parse(await readFile(file, 'utf8')) as CacheFile;
  } catch {
    return sources;
  }
  if (cache.version !== 1 || typeof cache.files !== 'object' || cache.files === null) return sources;
  return sources.map((source) => {
    const entry = cache.files[source.name];
    return entry && entry.sha256 === sha256(source.text) ? { ...source, parsed: entry.specs } : source;
  });
}

/** Parses and validates every source (throwing RuleFileError on a bad one) and writes the cache. */
export async function writeRuleCache(sources: RuleSource[], file = CACHE_FILE): Promise<number> {
  const cache: CacheFile = { version: 1, files: {} };
  for (const source of sources) cache.files[source.name] = { sha256: sha256(source.text), specs: parseRuleFile(source.name, source.text) };
  await writeFile(file, JSON.stringify(cache));
  return Object.keys(cache.files).length;
}

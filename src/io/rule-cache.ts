import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseRuleSource, type RuleSource } from '../core/rules/catalog.js';
import type { RuleSpec } from '../core/rules/schema.js';
import { compileRule } from '../core/scan/compile.js';
import type { Requirement } from '../core/scan/prefilter.js';
import { PACKAGE_ROOT } from './package-root.js';

// Parsing ~300 KB of rule YAML and running every AST rule once to validate it costs about half
// a second per process. The build does both once and stores the parsed rules keyed by each
// file's hash and by the ast-grep version that checked them; a file whose text no longer
// matches its entry, or a different ast-grep, means parsing and checking again, so the cache
// can never serve stale or unchecked rules.

const CACHE_FILE = join(PACKAGE_ROOT, 'dist', 'rules-cache.json');

interface CacheFile {
  version: 3;
  engine: string;
  files: Record<string, { sha256: string; specs: RuleSpec[]; required: (Requirement[] | null)[] }>;
}

/** The installed ast-grep, whose rule validation the cache stands for. */
async function engineVersion(): Promise<string> {
  const manifest = createRequire(import.meta.url).resolve('@ast-grep/napi/package.json');
  return (JSON.parse(await readFile(manifest, 'utf8')) as { version: string }).version;
}

/** The hash of everything a source's parse depends on: its format, its text and its test files. */
function sha256(source: RuleSource): string {
  const hash = createHash('sha256').update(source.format ?? 'airlock').update('\0').update(source.text);
  for (const c of source.companions ?? []) hash.update('\0').update(c.name).update('\0').update(c.text);
  return hash.digest('hex');
}

/** Attaches cached parses to the sources whose text is unchanged since the build. */
export async function withCachedParses(sources: RuleSource[], file = CACHE_FILE): Promise<RuleSource[]> {
  let cache: CacheFile;
  try {
    cache = JSON.parse(await readFile(file, 'utf8')) as CacheFile;
  } catch {
    return sources;
  }
  if (cache.version !== 3 || cache.engine !== (await engineVersion()) || typeof cache.files !== 'object' || cache.files === null) {
    return sources;
  }
  return sources.map((source) => {
    const entry = cache.files[source.name];
    return entry && entry.sha256 === sha256(source) ? { ...source, parsed: entry.specs, required: entry.required } : source;
  });
}

/** Parses and validates every source (throwing RuleFileError on a bad one) and writes the cache. */
export async function writeRuleCache(sources: RuleSource[], file = CACHE_FILE): Promise<number> {
  const cache: CacheFile = { version: 3, engine: await engineVersion(), files: {} };
  for (const source of sources) {
    const specs = parseRuleSource(source);
    // Compiled with the engines (throwing on a rule ast-grep rejects) before anything is cached.
    const compiled = specs.map((spec) => compileRule(spec, source.name));
    cache.files[source.name] = {
      sha256: sha256(source),
      specs,
      required: compiled.map((rule) => (rule.match.kind === 'ast' ? rule.match.required : null)),
    };
  }
  await writeFile(file, JSON.stringify(cache));
  return Object.keys(cache.files).length;
}

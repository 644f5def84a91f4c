import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../core/config.js';
import type { RuleSource } from '../core/rules/catalog.js';
import { decodeUtf8 } from '../core/text.js';
import { readFileAtRevision } from './git.js';
import { isYaml, stem } from './rules-dir.js';

// The organisation's Semgrep rule files named by `semgrep_rules:` in the configuration.

/** Larger rule files are refused: no real rule file comes close, and they are parsed on every run. */
export const MAX_RULE_FILE_BYTES = 1_000_000;

function source(name: string, bytes: Uint8Array, configPath: string): RuleSource {
  if (bytes.length > MAX_RULE_FILE_BYTES) {
    throw new ConfigError(`semgrep_rules: ${configPath}: larger than ${MAX_RULE_FILE_BYTES} bytes`);
  }
  return { name, text: decodeUtf8(bytes), format: 'semgrep' };
}

/** The files as committed at `rev` (the base: a change cannot edit the rules that review it). */
export async function readSemgrepSourcesAt(repo: string, rev: string, paths: string[]): Promise<RuleSource[]> {
  return Promise.all(
    paths.map(async (path) => {
      const bytes = await readFileAtRevision(repo, rev, path);
      if (bytes === null) throw new ConfigError(`semgrep_rules: ${path}: no such file at ${rev}`);
      return source(`${rev}:${path}`, bytes, path);
    }),
  );
}

/** The files in a work tree (with `--config`: the caller chose the configuration and its rules). */
export async function readSemgrepSourcesIn(root: string, paths: string[]): Promise<RuleSource[]> {
  return Promise.all(
    paths.map(async (path) => {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(join(root, path));
      } catch (err) {
        throw new ConfigError(`semgrep_rules: ${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      return source(path, bytes, path);
    }),
  );
}

/**
 * The files in a work tree with their annotated test files: the files beside each with the same
 * base name and another extension (`rules.yml` → `rules.py`), as for the shipped rules.
 */
export async function readSemgrepSourcesWithTests(root: string, paths: string[]): Promise<RuleSource[]> {
  const sources = await readSemgrepSourcesIn(root, paths);
  return Promise.all(
    sources.map(async (source, i) => {
      const path = paths[i]!;
      const dir = dirname(join(root, path));
      const name = basename(path);
      const entries = await readdir(dir).catch(() => [] as string[]);
      const tests = entries.filter((t) => t !== name && stem(t) === stem(name) && !isYaml(t)).sort();
      const companions = await Promise.all(
        tests.map(async (t) => {
          const testPath = join(dirname(path), t);
          let bytes: Uint8Array;
          try {
            bytes = await readFile(join(dir, t));
          } catch (err) {
            throw new ConfigError(`semgrep_rules: ${testPath}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
          }
          if (bytes.length > MAX_RULE_FILE_BYTES) throw new ConfigError(`semgrep_rules: ${testPath}: larger than ${MAX_RULE_FILE_BYTES} bytes`);
          return { name: testPath, text: decodeUtf8(bytes) };
        }),
      );
      return { ...source, companions };
    }),
  );
}

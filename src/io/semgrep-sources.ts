import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../core/config.js';
import type { RuleSource } from '../core/rules/catalog.js';
import { decodeUtf8 } from '../core/text.js';
import { readFileAtRevision } from './git.js';

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

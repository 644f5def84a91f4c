// Reads `.github/airlock.yml` the way Probot's config plugin does (the base repository's
// default branch, then the owner's `.github` repository, following `_extends`), but keeps
// each file's text so that a mistake is reported with its file and line. Never reads the
// pull request's head: a change cannot relax its own review.
import { parseDocument } from 'yaml';
import { CONFIG_PATH, ConfigError, parseConfig, validateConfig, type AirlockConfig } from '../core/config.js';
import { configureCatalog, extendCatalog, type RuleCatalog, type RuleSource } from '../core/rules/catalog.js';
import { RuleFileError } from '../core/rules/schema.js';
import { MAX_RULE_FILE_BYTES } from '../io/semgrep-sources.js';
import type { BlobOutcome } from './blobs.js';
import type { GitHub } from './octokit.js';

export { CONFIG_PATH };
const MAX_EXTENDS = 5;

export interface ConfigFile {
  /** `owner/repo:path`. */
  source: string;
  text: string;
}

export interface LoadedConfig {
  config: AirlockConfig;
  /** The files that made it, repository first; empty when none exists (defaults apply). */
  files: ConfigFile[];
  /** The organisation's Semgrep rule files named by `semgrep_rules`, as read. */
  ruleFiles: ConfigFile[];
  /** The catalog the review runs: the shipped rules plus those rule files. */
  catalog: RuleCatalog;
  /** Those rule files as the catalog was built from them (worker threads build their rules from them too). */
  ruleSources: RuleSource[];
}

/** A configuration that cannot be used, with the offending line quoted when known. */
export class InvalidConfigError extends Error {
  constructor(
    message: string,
    readonly source: string,
    readonly lineText: string | null,
  ) {
    super(message);
    this.name = 'InvalidConfigError';
  }
}

interface Location {
  owner: string;
  repo: string;
  path: string;
}

function display(loc: Location, home: Location): string {
  return loc.owner === home.owner && loc.repo === home.repo ? loc.path : `${loc.owner}/${loc.repo}:${loc.path}`;
}

async function readRaw(octokit: GitHub, loc: Location): Promise<string | null> {
  try {
    const response = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { ...loc, mediaType: { format: 'raw' } });
    const data: unknown = response.data;
    if (typeof data === 'string') return data;
    if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
    // A directory or submodule answers JSON: there is no file to read.
    return null;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
}

/** `_extends` as Probot reads it: `repo`, `owner/repo`, optionally `:path/file.yml`. */
function parseExtends(value: unknown, from: Location, source: string): Location {
  if (typeof value !== 'string' || value.length === 0 || value.length > 300) {
    throw new InvalidConfigError(`${source}: _extends must be "repo", "owner/repo" or "owner/repo:path.yml"`, source, null);
  }
  const colon = value.indexOf(':');
  const target = colon < 0 ? value : value.slice(0, colon);
  const path = colon < 0 ? from.path : value.slice(colon + 1);
  const slash = target.indexOf('/');
  const owner = slash < 0 ? from.owner : target.slice(0, slash);
  const repo = slash < 0 ? target : target.slice(slash + 1);
  const nameOk = (s: string) => s.length > 0 && s.length <= 100 && [...s].every((c) => /[A-Za-z0-9._-]/.test(c));
  const pathOk = path.length > 0 && (path.endsWith('.yml') || path.endsWith('.yaml')) && !path.includes('..');
  if (!nameOk(owner) || !nameOk(repo) || !pathOk) {
    throw new InvalidConfigError(`${source}: _extends "${value.slice(0, 100)}" is not "repo", "owner/repo" or "owner/repo:path.yml"`, source, null);
  }
  return { owner, repo, path };
}

function lineNumberIn(message: string): number | null {
  const at = message.indexOf(': line ');
  if (at < 0) return null;
  let i = at + ': line '.length;
  let digits = '';
  while (i < message.length && digits.length < 9 && message[i]! >= '0' && message[i]! <= '9') digits += message[i++];
  return digits === '' ? null : Number(digits);
}

function quoteLine(text: string, line: number | null): string | null {
  if (line === null) return null;
  const lines = text.split('\n');
  const found = lines[line - 1];
  return found === undefined ? null : found.replace(/\r$/, '').slice(0, 300);
}

function lineOfKey(text: string, key: string): number | null {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(key)) return i + 1;
  return null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** deepmerge's rules, as Probot applies them: objects merge, arrays concatenate, the nearer file wins. */
function merge(base: unknown, nearer: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(nearer)) return [...new Set([...base, ...nearer])];
  if (isPlainObject(base) && isPlainObject(nearer)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(nearer)) out[key] = key in base ? merge(base[key], value) : value;
    return out;
  }
  return nearer;
}

/**
 * Loads and validates the configuration. Throws InvalidConfigError for a configuration
 * that exists but cannot be used; other errors (GitHub unreachable) pass through.
 */
/**
 * `read` is the repository's own file when the caller already has it (read with other things in
 * one query); when absent, or not given byte for byte, it is read here.
 */
export async function loadRepoConfig(octokit: GitHub, owner: string, repo: string, catalog: RuleCatalog, read?: BlobOutcome): Promise<LoadedConfig> {
  const home: Location = { owner, repo, path: CONFIG_PATH };
  const files: (ConfigFile & { raw: Record<string, unknown>; loc: Location })[] = [];
  let loc: Location | null = home;
  let text = read?.ok ? (read.blob?.text ?? null) : await readRaw(octokit, home);
  if (text === null && repo !== '.github') {
    loc = { owner, repo: '.github', path: CONFIG_PATH };
    text = await readRaw(octokit, loc);
  }
  const seen = new Set<string>();
  while (loc && text !== null) {
    const source = display(loc, home);
    seen.add(`${loc.owner}/${loc.repo}:${loc.path}`.toLowerCase());
    try {
      parseConfig(text, source);
    } catch (error) {
      if (error instanceof ConfigError) throw new InvalidConfigError(error.message, source, quoteLine(text, lineNumberIn(error.message)));
      throw error;
    }
    const raw = (parseDocument(text, { uniqueKeys: true }).toJS() ?? {}) as Record<string, unknown>;
    files.push({ source, text, raw, loc });
    if (raw._extends === undefined) break;
    if (files.length > MAX_EXTENDS) throw new InvalidConfigError(`${source}: more than ${MAX_EXTENDS} levels of _extends`, source, null);
    const next = parseExtends(raw._extends, loc, source);
    if (seen.has(`${next.owner}/${next.repo}:${next.path}`.toLowerCase())) {
      throw new InvalidConfigError(`${source}: _extends loops back to ${display(next, home)}`, source, quoteLine(text, lineOfKey(text, '_extends')));
    }
    loc = next;
    text = await readRaw(octokit, next);
    if (text === null) throw new InvalidConfigError(`${source}: _extends points at ${display(next, home)}, which does not exist`, source, quoteLine(files[files.length - 1]!.text, lineOfKey(files[files.length - 1]!.text, '_extends')));
  }
  let merged: unknown = {};
  for (const file of [...files].reverse()) {
    const { _extends: _ignored, ...rest } = file.raw;
    merged = merge(merged, rest);
  }
  const first = files[0];
  let config: AirlockConfig;
  try {
    config = validateConfig(merged, first?.source ?? CONFIG_PATH);
  } catch (error) {
    if (error instanceof ConfigError) throw new InvalidConfigError(error.message, first?.source ?? CONFIG_PATH, null);
    throw error;
  }
  const { sources, ruleFiles } = await readRuleFiles(octokit, files, home);
  let extended: RuleCatalog;
  try {
    extended = extendCatalog(catalog, sources);
  } catch (error) {
    if (error instanceof RuleFileError) throw new InvalidConfigError(error.message, error.file, null);
    throw error;
  }
  try {
    configureCatalog(extended, config.rules);
  } catch (error) {
    // An unknown rule id: a typo must never silently leave a rule on.
    const message = error instanceof Error ? error.message : String(error);
    const key = message.startsWith('rules.') ? message.slice('rules.'.length, message.indexOf(':')) : '';
    const file = files.find((f) => key !== '' && f.text.includes(key)) ?? first;
    const line = file && key !== '' ? lineOfKey(file.text, key) : null;
    const source = file?.source ?? CONFIG_PATH;
    throw new InvalidConfigError(`${source}: ${line ? `line ${line}: ` : ''}${message}`, source, file ? quoteLine(file.text, line) : null);
  }
  return { config, files: files.map(({ source, text }) => ({ source, text })), ruleFiles, catalog: extended, ruleSources: sources };
}

/**
 * Each file's `semgrep_rules` paths, read from the default branch of the repository that file
 * is in: the repository's own, or the organisation's `.github` one reached through `_extends`.
 */
async function readRuleFiles(
  octokit: GitHub,
  files: { source: string; raw: Record<string, unknown>; loc: Location }[],
  home: Location,
): Promise<{ sources: RuleSource[]; ruleFiles: ConfigFile[] }> {
  const wanted = new Map<string, { at: Location; from: string }>();
  for (const file of files) {
    const paths = file.raw.semgrep_rules;
    if (!Array.isArray(paths)) continue;
    for (const path of paths) {
      if (typeof path !== 'string') continue;
      const at = { owner: file.loc.owner, repo: file.loc.repo, path };
      wanted.set(display(at, home), { at, from: file.source });
    }
  }
  const read = await Promise.all(
    [...wanted].map(async ([name, { at, from }]) => {
      const text = await readRaw(octokit, at);
      if (text === null) throw new InvalidConfigError(`${from}: semgrep_rules: ${name} does not exist`, from, null);
      if (text.length > MAX_RULE_FILE_BYTES) throw new InvalidConfigError(`${from}: semgrep_rules: ${name} is larger than ${MAX_RULE_FILE_BYTES} bytes`, from, null);
      return { source: name, text };
    }),
  );
  return { sources: read.map(({ source, text }) => ({ name: source, text, format: 'semgrep' as const })), ruleFiles: read };
}

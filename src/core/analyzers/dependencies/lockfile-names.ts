// The packages a lockfile locks, as registry-keyed names (`npm:lodash`, `PyPI:requests`): a
// repository that already locks a package is not typosquatted by a manifest naming it. Each
// format is read with the project's own readers (formats/); a lockfile that cannot be read
// comes back as a one-line problem naming it, never as an empty list.

import { parseJson, valueOf, type JsonNode } from '../../formats/jsonc.js';
import { readToml } from '../../formats/toml.js';
import { readYamlSafely } from '../../formats/yaml-safety.js';
import { readYarnLock } from '../../formats/yarn-lock.js';
import { isValidNpmName, normalizePypiName } from './package-names.js';

export type LockRegistry = 'npm' | 'PyPI';

/** Lockfiles of each registry the typosquat check judges, by file name. */
export const LOCKFILES: Readonly<Record<LockRegistry, readonly string[]>> = {
  npm: ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock'],
  // requirements.txt is read by the requirements reader of the analyzer (pins are its lines).
  PyPI: ['poetry.lock', 'uv.lock', 'pdm.lock', 'Pipfile.lock', 'requirements.txt'],
};

export type LockedNames = { names: Set<string> } | { problem: string };

function npmKey(name: string, into: Set<string>): void {
  const lower = name.trim().toLowerCase();
  if (isValidNpmName(lower)) into.add(`npm:${lower}`);
}

function pypiKey(name: string, into: Set<string>): void {
  const normalized = normalizePypiName(name.trim());
  if (normalized.length > 0) into.add(`PyPI:${normalized}`);
}

function objectKeys(node: JsonNode | undefined): string[] {
  return node?.kind === 'object' ? node.entries.map((e) => e.key) : [];
}

/** package-lock.json / npm-shrinkwrap.json: `packages` paths (v2, v3) and nested `dependencies` (v1). */
function npmLockNames(root: JsonNode, into: Set<string>): void {
  for (const path of objectKeys(valueOf(root, 'packages'))) {
    const at = path.lastIndexOf('node_modules/');
    if (at >= 0) npmKey(path.slice(at + 13), into);
  }
  const stack: JsonNode[] = [root];
  while (stack.length > 0) {
    const deps = valueOf(stack.pop(), 'dependencies');
    if (deps?.kind !== 'object') continue;
    for (const entry of deps.entries) {
      npmKey(entry.key, into);
      stack.push(entry.value);
    }
  }
}

/** `name@version` (bun's first tuple item) → `name`. */
function nameBeforeVersion(spec: string): string {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  return at > 0 ? spec.slice(0, at) : spec;
}

/** bun.lock (text, JSONC): `packages` tuples start with `name@version`; workspaces list the direct ones. */
function bunLockNames(root: JsonNode, into: Set<string>): void {
  const packages = valueOf(root, 'packages');
  if (packages?.kind === 'object') {
    for (const entry of packages.entries) {
      const first = entry.value.kind === 'array' ? entry.value.items[0] : undefined;
      npmKey(first?.kind === 'string' ? nameBeforeVersion(first.value) : entry.key, into);
    }
  }
  const workspaces = valueOf(root, 'workspaces');
  if (workspaces?.kind === 'object') {
    for (const workspace of workspaces.entries) {
      for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
        for (const name of objectKeys(valueOf(workspace.value, field))) npmKey(name, into);
      }
    }
  }
}

/** A pnpm `packages` key: `/lodash/4.17.21` (v5), `/lodash@4.17.21` (v6), `@s/x@1.0.0(peer@2)` (v9). */
function pnpmKeyName(key: string): string {
  let rest = key.startsWith('/') ? key.slice(1) : key;
  const paren = rest.indexOf('(');
  if (paren >= 0) rest = rest.slice(0, paren);
  const at = rest.indexOf('@', rest.startsWith('@') ? 1 : 0);
  if (at > 0) return rest.slice(0, at);
  const parts = rest.split('/');
  return parts.slice(0, rest.startsWith('@') ? 2 : 1).join('/');
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

const NPM_DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'];

function pnpmLockNames(root: Record<string, unknown>, into: Set<string>): void {
  for (const section of ['packages', 'snapshots']) {
    for (const key of Object.keys(record(root[section]) ?? {})) npmKey(pnpmKeyName(key), into);
  }
  const importers = Object.values(record(root.importers) ?? {}).map(record);
  for (const holder of [root, ...importers]) {
    for (const field of NPM_DEPENDENCY_FIELDS) for (const name of Object.keys(record(holder?.[field]) ?? {})) npmKey(name, into);
  }
}

function parseProblem(file: string, line: number, message: string): { problem: string } {
  return { problem: `${file} could not be parsed (line ${line}: ${message})` };
}

/**
 * The names a lockfile locks. `file` is its base name (it decides the format); requirements
 * files are not read here. Never throws: an unreadable lockfile is a problem naming the file.
 */
export function lockedNames(file: string, text: string): LockedNames {
  const names = new Set<string>();
  switch (file) {
    case 'package-lock.json':
    case 'npm-shrinkwrap.json':
    case 'Pipfile.lock':
    case 'bun.lock': {
      const parsed = parseJson(text, { jsonc: file === 'bun.lock' });
      if (!parsed.ok) return parseProblem(file, parsed.line, parsed.message);
      if (parsed.value.kind !== 'object') return { problem: `${file} is not a JSON object` };
      if (file === 'bun.lock') bunLockNames(parsed.value, names);
      else if (file === 'Pipfile.lock') {
        for (const group of parsed.value.entries) if (group.key !== '_meta') for (const name of objectKeys(group.value)) pypiKey(name, names);
      } else npmLockNames(parsed.value, names);
      return { names };
    }
    case 'yarn.lock': {
      const read = readYarnLock(text);
      if (!read.ok) return parseProblem(file, read.line, read.message);
      for (const entry of read.entries) for (const name of entry.names) npmKey(name, names);
      return { names };
    }
    case 'pnpm-lock.yaml': {
      const read = readYamlSafely(text, { uniqueKeys: false });
      if (!read.ok) return { problem: `${file}: ${read.problem}` };
      const root = record(read.value);
      if (!root) return { problem: `${file} is not a YAML mapping` };
      pnpmLockNames(root, names);
      return { names };
    }
    case 'poetry.lock':
    case 'uv.lock':
    case 'pdm.lock': {
      const doc = readToml(text);
      if (doc.error) return parseProblem(file, doc.error.line, doc.error.message);
      for (const table of doc.tables) {
        if (!table.arrayItem || table.path.length !== 1 || table.path[0] !== 'package') continue;
        for (const assignment of table.assignments) {
          if (assignment.key.length === 1 && assignment.key[0] === 'name' && assignment.value.kind === 'string') pypiKey(assignment.value.value, names);
        }
      }
      return { names };
    }
  }
  return { problem: `${file} is not a lockfile this check reads` };
}

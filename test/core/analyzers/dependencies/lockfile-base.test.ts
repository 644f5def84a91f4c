import { describe, expect, it } from 'vitest';
import { dependenciesAnalyzer } from '../../../../src/core/analyzers/dependencies/dependencies.js';
import { lockedNames } from '../../../../src/core/analyzers/dependencies/lockfile-names.js';
import type { ChangeSet } from '../../../../src/core/model.js';
import { buildCatalog } from '../../../../src/core/rules/catalog.js';
import type { ScanData } from '../../../../src/core/rules/types.js';
import { scanChangeSet } from '../../../../src/core/scan/engine.js';
import { loadGitChangeSet } from '../../../../src/io/git.js';
import { loadScanData } from '../../../../src/io/scan-data.js';
import { changeSetOf, withBase, type FakeFile } from '../../../helpers/changeset.js';
import { makeRepo } from '../../../helpers/git-repo.js';
import { calls, loadStandInPull } from '../../../github/harness.js';

const data: ScanData = await loadScanData();
const catalog = buildCatalog([], [dependenciesAnalyzer]);

const names = (file: string, text: string): string[] => {
  const read = lockedNames(file, text);
  if ('problem' in read) throw new Error(read.problem);
  return [...read.names].sort();
};
const problem = (file: string, text: string): string => {
  const read = lockedNames(file, text);
  return 'problem' in read ? read.problem : 'read';
};

describe('names a base lockfile locks', () => {
  it('reads every npm lockfile format', () => {
    const v3 = JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies: { expres: '^1' } }, 'node_modules/expres': {}, 'node_modules/@acme/ui/node_modules/lodahs': {} } });
    expect(names('package-lock.json', v3)).toEqual(['npm:expres', 'npm:lodahs']);
    const v1 = JSON.stringify({ lockfileVersion: 1, dependencies: { expres: { version: '1', dependencies: { lodahs: { version: '2' } } } } });
    expect(names('npm-shrinkwrap.json', v1)).toEqual(['npm:expres', 'npm:lodahs']);
    const yarnV1 = '# yarn lockfile v1\n\n\n"@babel/core@^7.0.0", "@babel/core@^7.1.0":\n  version "7.1.0"\n\nexpres@^1.0.0:\n  version "1.0.0"\n  dependencies:\n    lodash "^4"\n';
    expect(names('yarn.lock', yarnV1)).toEqual(['npm:@babel/core', 'npm:expres']);
    const berry = '__metadata:\n  version: 6\n\n"expres@npm:^1.0.0, expres@npm:^1.2.0":\n  version: 1.2.0\n  resolution: "expres@npm:1.2.0"\n';
    expect(names('yarn.lock', berry)).toEqual(['npm:expres']);
    const pnpm5 = 'lockfileVersion: 5.4\ndependencies:\n  expres: 1.0.0\npackages:\n  /lodahs/4.0.0:\n    resolution: {integrity: sha512-x}\n  /@acme/ui/1.0.0:\n    dev: false\n';
    expect(names('pnpm-lock.yaml', pnpm5)).toEqual(['npm:@acme/ui', 'npm:expres', 'npm:lodahs']);
    const pnpm9 = "lockfileVersion: '9.0'\nimporters:\n  .:\n    devDependencies:\n      expres:\n        specifier: ^1\n        version: 1.0.0\npackages:\n  '@acme/ui@1.0.0':\n    resolution: {integrity: sha512-x}\nsnapshots:\n  lodahs@4.0.0(expres@1.0.0): {}\n";
    expect(names('pnpm-lock.yaml', pnpm9)).toEqual(['npm:@acme/ui', 'npm:expres', 'npm:lodahs']);
    const bun = '{\n  "lockfileVersion": 1,\n  "workspaces": { "": { "dependencies": { "expres": "^1", }, }, },\n  "packages": {\n    "lodahs": ["lodahs@4.0.0", "", {}, "sha512-x"],\n  },\n}\n';
    expect(names('bun.lock', bun)).toEqual(['npm:expres', 'npm:lodahs']);
  });

  it('reads every PyPI lockfile format', () => {
    const toml = '[[package]]\nname = "Reqeusts"\nversion = "2.0"\n\n[[package]]\nname = "djang0"\nversion = "1.0"\n\n[package.dependencies]\nnot_a_package = "*"\n';
    for (const file of ['poetry.lock', 'uv.lock', 'pdm.lock']) expect(names(file, toml)).toEqual(['PyPI:djang0', 'PyPI:reqeusts']);
    const pipfile = JSON.stringify({ _meta: { hash: {} }, default: { Reqeusts: { version: '==2' } }, develop: { djang0: {} } });
    expect(names('Pipfile.lock', pipfile)).toEqual(['PyPI:djang0', 'PyPI:reqeusts']);
  });

  it('says in one line, naming the file, why a hostile or malformed lockfile was not read', () => {
    const deep = `{"packages":${'{"a":'.repeat(300)}1${'}'.repeat(300)}}`;
    expect(problem('package-lock.json', deep)).toMatch(/^package-lock\.json could not be parsed \(line 1: .*nest/);
    expect(problem('package-lock.json', '{"packages": {')).toMatch(/^package-lock\.json could not be parsed \(line 1: /);
    expect(problem('package-lock.json', '[]')).toBe('package-lock.json is not a JSON object');
    expect(problem('yarn.lock', 'expres@^1.0.0:\n  version "1"\nnot an entry\n')).toBe('yarn.lock could not be parsed (line 3: an entry line does not end with ":")');
    expect(problem('pnpm-lock.yaml', `packages: ${'['.repeat(2000)}`)).toMatch(/^pnpm-lock\.yaml: line 1: brackets nested more than 1000 levels deep$/);
    expect(problem('pnpm-lock.yaml', 'packages:\n  a: [\n')).toMatch(/^pnpm-lock\.yaml: line \d+: invalid YAML: /);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 8; i++) bomb.push(`${'b'.repeat(i)}: &${'b'.repeat(i)} [${Array(10).fill(i === 1 ? '*a' : `*${'b'.repeat(i - 1)}`).join(',')}]`);
    expect(problem('pnpm-lock.yaml', `${bomb.join('\n')}\n`)).toMatch(/^pnpm-lock\.yaml: invalid YAML: its aliases expand too far/);
    expect(problem('poetry.lock', '[[package]]\nname = "unterminated\n')).toMatch(/^poetry\.lock could not be parsed \(line 2: /);
    for (const file of ['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'poetry.lock', 'bun.lock']) {
      expect(problem(file, '\u0000'.repeat(10) + '{{{[[[:::')).not.toContain('\n');
    }
  });

  it('reads a large lockfile of many entries', () => {
    const packages: Record<string, object> = {};
    for (let i = 0; i < 20_000; i++) packages[`node_modules/pkg-${i}`] = { version: '1.0.0' };
    packages['node_modules/expres'] = {};
    const read = lockedNames('package-lock.json', JSON.stringify({ packages }));
    expect('names' in read && read.names.size).toBe(20_001);
  });
});

const manifest = (deps: Record<string, string>): string => `${JSON.stringify({ name: 'app', dependencies: deps }, null, 2)}\n`;
const HEAD = manifest({ express: '^4.19.2', expres: '^1.0.0' });
const BASE = manifest({ express: '^4.19.2' });

/** A change of one package.json (line 5 adds "expres"), with these files at the base. */
function change(bases: Record<string, string | Error>, asked: string[], files: FakeFile[] = []): ChangeSet {
  return withBase(changeSetOf([{ path: 'web/package.json', code: HEAD, added: [5], status: 'modified' }, ...files]), bases, asked);
}
const typosquats = async (set: ChangeSet) => (await scanChangeSet(set, { catalog, data })).findings.filter((f) => f.ruleId === 'dependency.typosquat');
const LOCKED = JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/express': {}, 'node_modules/expres': {} } });

describe('typosquat check with the base lockfiles', () => {
  it('never flags a package the base lockfile beside the manifest or at the root already locks, changed or not', async () => {
    const asked: string[] = [];
    expect(await typosquats(change({ 'web/package.json': BASE, 'web/package-lock.json': LOCKED }, asked))).toEqual([]);
    expect(asked).toContain('web/package-lock.json');
    expect(asked).toContain('package-lock.json');
    expect(asked.some((p) => p.endsWith('.lock') && !p.includes('yarn') && !p.includes('bun'))).toBe(false);
    // A workspace package locked at the repository root.
    expect(await typosquats(change({ 'web/package.json': BASE, 'yarn.lock': 'expres@^1.0.0:\n  version "1.0.0"\n' }, []))).toEqual([]);
    // The lockfile changed by the same change: its base still says what was there before.
    const lockChanged = [{ path: 'web/package-lock.json', code: LOCKED, added: [1], status: 'modified' as const }];
    expect(await typosquats(change({ 'web/package.json': BASE, 'web/package-lock.json': LOCKED }, [], lockChanged))).toEqual([]);
  });

  it('still flags a name no base lockfile locks, says which package it resembles and why, and reads no lockfile without a suspect', async () => {
    const asked: string[] = [];
    const [finding, ...rest] = await typosquats(change({ 'web/package.json': BASE, 'web/package-lock.json': JSON.stringify({ packages: { 'node_modules/express': {} } }) }, asked));
    expect(rest).toEqual([]);
    expect(finding!.message).toContain('"expres" is 1 edit from "express"');
    expect(finding!.message).toContain('downloads a month');
    expect(finding!.message).not.toContain('not known');
    // A lockfile added by the change has no base: nothing to say.
    expect(await typosquats(change({ 'web/package.json': BASE }, []))).toHaveLength(1);
    const quiet: string[] = [];
    const set = change({ 'web/package.json': BASE }, quiet);
    set.files[0]!.addedLines = [4];
    await scanChangeSet(set, { catalog, data });
    expect(quiet).toEqual(['web/package.json']);
  });

  it('keeps the finding and says why when a base lockfile cannot be read or parsed', async () => {
    const cases: Array<[string | Error, RegExp]> = [
      [new Error('GitHub sent no content for web/package-lock.json at 1234567 (3000000 bytes)'), /web\/package-lock\.json at the base: could not be read: GitHub sent no content/],
      ['x'.repeat(5_000_001), /web\/package-lock\.json at the base: could not be read: 5000001 bytes, over the 5000000-byte limit/],
      ['{"packages": {', /web\/package-lock\.json at the base: package-lock\.json could not be parsed \(line 1: /],
      [`{"packages":${'{"a":'.repeat(300)}1${'}'.repeat(300)}}`, /web\/package-lock\.json at the base: package-lock\.json could not be parsed/],
    ];
    for (const [lock, reason] of cases) {
      const found = await typosquats(change({ 'web/package.json': BASE, 'web/package-lock.json': lock }, []));
      expect(found).toHaveLength(1);
      expect(found[0]!.message).toMatch(/Whether the repository already locks it is not known: /);
      expect(found[0]!.message).toMatch(reason);
      expect(found[0]!.message).not.toContain('\n');
    }
  });

  it('reads the PyPI lockfiles for a requirements or pyproject change, pins of requirements.txt included', async () => {
    const set = (bases: Record<string, string>) => {
      const s = changeSetOf([{ path: 'svc/requirements-dev.txt', code: 'pytest==8.0\nreqeusts==2.31.0\n', added: [2], status: 'modified' }]);
      return { ...s, loadBase: async (path: string) => (bases[path] === undefined ? null : new TextEncoder().encode(bases[path])) };
    };
    expect(await typosquats(set({}))).toHaveLength(1);
    expect(await typosquats(set({ 'svc/requirements.txt': 'reqeusts==2.31.0 \\\n    --hash=sha256:abc\n' }))).toEqual([]);
    expect(await typosquats(set({ 'poetry.lock': '[[package]]\nname = "reqeusts"\nversion = "2.31.0"\n' }))).toEqual([]);
    expect(await typosquats(set({ 'svc/uv.lock': 'version = 1\n\n[[package]]\nname = "reqeusts"\n' }))).toEqual([]);
    // An npm lockfile says nothing about PyPI names.
    expect(await typosquats(set({ 'package-lock.json': JSON.stringify({ packages: { 'node_modules/reqeusts': {} } }) }))).toHaveLength(1);
  });

  it('reads the base lockfile from git at the merge base, whether or not the change touches it', async () => {
    const repo = makeRepo();
    try {
      repo.write('web/package.json', BASE);
      repo.write('web/package-lock.json', LOCKED);
      repo.commit('base');
      repo.branch('feature');
      repo.write('web/package.json', HEAD);
      repo.commit('add a dependency');
      const set = await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' });
      expect(set.files.map((f) => f.path)).toEqual(['web/package.json']);
      expect(await typosquats(set)).toEqual([]);
      // Removed from the lockfile at the base: the name is new again.
      repo.checkout('main');
      repo.write('web/package-lock.json', JSON.stringify({ packages: { 'node_modules/express': {} } }));
      repo.commit('drop it');
      repo.checkout('feature');
      repo.git('rebase', 'main');
      const again = await typosquats(await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' }));
      expect(again.map((f) => f.message)).toEqual([expect.stringContaining('"expres" is 1 edit from "express"')]);
      // A lockfile that is a broken file at the base: the finding stays and says why.
      repo.checkout('main');
      repo.write('web/package-lock.json', '{"packages": {"node_modules/expres": {}');
      repo.commit('break it');
      repo.checkout('feature');
      repo.git('rebase', 'main');
      const broken = await typosquats(await loadGitChangeSet({ repo: repo.dir, base: 'main', head: 'feature' }));
      expect(broken.map((f) => f.message)).toEqual([expect.stringMatching(/not known: web\/package-lock\.json at the base: package-lock\.json could not be parsed \(line 1: /)]);
    } finally {
      repo.cleanup();
    }
  });

  it('reads the base lockfiles through the GitHub loader, in one query, only for a suspect', async () => {
    const { startStandIn } = await import('../../../github/stand-in/server.js');
    const standIn = await startStandIn();
    try {
      const repo = standIn.state.addRepo({ owner: 'acme', name: 'widgets', ownerType: 'Organization' });
      const pull = repo.addPullRequest({ files: [{ filename: 'web/package.json', baseContent: BASE, content: HEAD }] });
      const load = () => loadStandInPull(standIn, pull);
      // No lockfile at the base: flagged, after reading the candidate lockfiles (beside it and at
      // the root) at the merge base: GraphQL blob queries, no more than one read per candidate.
      let since = standIn.requests.length;
      expect(await typosquats((await load()).changeSet)).toHaveLength(1);
      // One query for the head, one for the manifest's base, one for the ten candidate lockfiles.
      const reads = calls(standIn, since).filter((c) => c === 'repos/get-content' || c === 'graphql' || c === 'git/get-blob');
      expect(reads).toEqual(['graphql', 'graphql', 'graphql']);
      // The lockfile at the base, outside the change: the package is established.
      repo.setContent(pull.base.sha, 'web/package-lock.json', LOCKED);
      expect(await typosquats((await load()).changeSet)).toEqual([]);
      // Unreadable there (a server error): the finding stays and says why.
      since = standIn.requests.length;
      // GraphQL down (the loader then reads each file over REST), and the lockfile's REST read failing.
      standIn.failNext({ pathIncludes: 'graphql', status: 502, times: 10 });
      standIn.failNext({ pathIncludes: 'package-lock.json', status: 500, times: 10 });
      const failed = await typosquats((await load()).changeSet);
      expect(failed.map((f) => f.message)).toEqual([expect.stringContaining('not known: web/package-lock.json at the base: could not be read: ')]);
      expect(standIn.violations).toEqual([]);
    } finally {
      await standIn.close();
    }
  });

  it('reads a base lockfile past 1 MB through the git blobs API (GraphQL truncates it, the contents API leaves it out)', async () => {
    const { startStandIn } = await import('../../../github/stand-in/server.js');
    const standIn = await startStandIn();
    try {
      const repo = standIn.state.addRepo({ owner: 'acme', name: 'widgets', ownerType: 'Organization' });
      const pull = repo.addPullRequest({ files: [{ filename: 'web/package.json', baseContent: BASE, content: HEAD }] });
      const packages: Record<string, object> = { 'node_modules/express': {}, 'node_modules/expres': {} };
      for (let i = 0; i < 12_000; i++) packages[`node_modules/filler-${i}`] = { version: '1.0.0', resolved: `https://registry.npmjs.org/filler-${i}/-/filler-${i}-1.0.0.tgz` };
      const big = JSON.stringify({ lockfileVersion: 3, packages });
      expect(big.length).toBeGreaterThan(1024 * 1024);
      repo.setContent(pull.base.sha, 'web/package-lock.json', big);
      standIn.state.graphqlBlobTextLimit = 64 * 1024;
      const since = standIn.requests.length;
      const { changeSet } = await loadStandInPull(standIn, pull);
      expect(await typosquats(changeSet)).toEqual([]);
      expect(calls(standIn, since)).toContain('git/get-blob');
      expect(standIn.violations).toEqual([]);
    } finally {
      await standIn.close();
    }
  });
});

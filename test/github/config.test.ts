import { ProbotOctokit } from 'probot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appCatalog } from '../../src/github/app.js';
import { InvalidConfigError, loadRepoConfig } from '../../src/github/config.js';
import { startStandIn, type StandIn } from './stand-in/server.js';
import type { RepoState } from './stand-in/state.js';

let standIn: StandIn;
let repo: RepoState;
let org: RepoState;
let octokit: InstanceType<typeof ProbotOctokit>;

beforeEach(async () => {
  standIn = await startStandIn();
  repo = standIn.state.addRepo({ owner: 'acme', name: 'widgets', ownerType: 'Organization' });
  org = standIn.state.addRepo({ owner: 'acme', name: '.github', ownerType: 'Organization' });
  octokit = new ProbotOctokit({ auth: { token: standIn.installationToken() }, baseUrl: standIn.apiUrl, throttle: { enabled: false }, retry: { enabled: false } });
});
afterEach(async () => {
  await standIn.close();
});

async function load() {
  return loadRepoConfig(octokit, 'acme', 'widgets', await appCatalog());
}

async function failure(): Promise<InvalidConfigError> {
  try {
    await load();
  } catch (error) {
    if (error instanceof InvalidConfigError) return error;
    throw error;
  }
  throw new Error('expected an invalid configuration');
}

describe('loading .github/airlock.yml', () => {
  it('uses the defaults when no file exists, falling back to the organisation’s .github repository first', async () => {
    const none = await load();
    expect(none.files).toEqual([]);
    expect(none.config.fail_on).toBe('high');
    org.setContent('main', '.github/airlock.yml', 'fail_on: medium\n');
    const fromOrg = await load();
    expect(fromOrg.config.fail_on).toBe('medium');
    expect(fromOrg.files.map((f) => f.source)).toEqual(['acme/.github:.github/airlock.yml']);
    expect(standIn.violations).toEqual([]);
  });

  it('follows _extends: the repository wins on values, lists are combined', async () => {
    org.setContent('main', '.github/airlock.yml', 'fail_on: medium\nai:\n  labels: [agent]\ncomments:\n  max: 5\n');
    repo.setContent('main', '.github/airlock.yml', '_extends: .github\nfail_on: critical\nai:\n  labels: [ai-generated]\n');
    const { config, files } = await load();
    expect(config.fail_on).toBe('critical');
    expect(config.ai.labels).toEqual(['agent', 'ai-generated']);
    expect(config.comments.max).toBe(5);
    expect(files.map((f) => f.source)).toEqual(['.github/airlock.yml', 'acme/.github:.github/airlock.yml']);
  });

  it('adds the Semgrep rule files each configuration names, read from the repository that names them', async () => {
    const rule = (id: string) => `rules:\n  - id: ${id}\n    message: Opens a shelve file, which unpickles it.\n    severity: WARNING\n    languages: [python]\n    pattern: shelve.open(...)\n`;
    org.setContent('main', 'airlock/python.yml', rule('acme.no-shelve'));
    org.setContent('main', '.github/airlock.yml', 'semgrep_rules: [airlock/python.yml]\n');
    repo.setContent('main', 'lint/local.yml', rule('widgets.no-shelve'));
    repo.setContent('main', '.github/airlock.yml', '_extends: .github\nsemgrep_rules: [lint/local.yml]\nrules:\n  acme.no-shelve: { severity: high }\n');
    const loaded = await load();
    expect(loaded.ruleFiles.map((f) => f.source).sort()).toEqual(['acme/.github:airlock/python.yml', 'lint/local.yml']);
    expect(loaded.catalog.rules.filter((r) => r.source === 'lint/local.yml').map((r) => r.meta.id)).toEqual(['widgets.no-shelve']);
    expect(loaded.catalog.meta.get('acme.no-shelve')?.severity).toBe('medium');
    expect(loaded.config.rules).toEqual({ 'acme.no-shelve': { severity: 'high' } });
    expect(standIn.violations).toEqual([]);
  });

  it('refuses a missing or unsupported Semgrep rule file with one line naming it', async () => {
    repo.setContent('main', '.github/airlock.yml', 'semgrep_rules: [lint/rules.yml]\n');
    expect((await failure()).message).toBe('.github/airlock.yml: semgrep_rules: lint/rules.yml does not exist');
    repo.setContent('main', 'lint/rules.yml', 'rules:\n  - id: acme.x\n    message: Something dangerous.\n    severity: ERROR\n    languages: [python]\n    pattern: foo(\n');
    const error = await failure();
    expect(error.message).toBe('lint/rules.yml: rule acme.x: pattern: does not parse in python: syntax error at `foo(`');
    expect(error.source).toBe('lint/rules.yml');
  });

  it('reports mistakes with the file, the line and the line’s text', async () => {
    repo.setContent('main', '.github/airlock.yml', 'review: ai\ncomments:\n  max: lots\n');
    const bad = await failure();
    expect(bad.message).toBe('.github/airlock.yml: line 3: comments.max: Invalid input: expected number, received string');
    expect(bad.lineText).toBe('  max: lots');

    repo.setContent('main', '.github/airlock.yml', 'review: [ai\n');
    expect((await failure()).message).toContain('invalid YAML');

    repo.setContent('main', '.github/airlock.yml', '_extends: widgets\n');
    expect((await failure()).message).toContain('_extends loops back');

    repo.setContent('main', '.github/airlock.yml', '_extends: other-org/policies:airlock.yml\n');
    expect((await failure()).message).toBe('.github/airlock.yml: _extends points at other-org/policies:airlock.yml, which does not exist');

    repo.setContent('main', '.github/airlock.yml', '_extends: "../../etc/passwd"\n');
    expect((await failure()).message).toContain('is not "repo"');

    repo.setContent('main', '.github/airlock.yml', 'rules:\n  js.crypto.weak-hash: off\n  py.no-such-rule: { severity: low }\n');
    const unknown = await failure();
    expect(unknown.message).toBe('.github/airlock.yml: line 3: rules.py.no-such-rule: no rule has this id');
    expect(unknown.lineText).toBe('  py.no-such-rule: { severity: low }');
  });

  it('never reads the configuration at a pull request ref', async () => {
    repo.setContent('main', '.github/airlock.yml', 'fail_on: low\n');
    await load();
    const reads = standIn.requestsFor('repos/get-content');
    expect(reads.map((r) => r.path)).toEqual(['/api/v3/repos/acme/widgets/contents/.github%2Fairlock.yml']);
  });
});

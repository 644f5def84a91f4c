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

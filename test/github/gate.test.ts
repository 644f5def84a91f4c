// The app as a gate: what a pull request must not be able to slip past its check.
import { afterEach, describe, expect, it } from 'vitest';
import { billionLaughs } from '../helpers/yaml-bomb.js';
import { CLAUDE_BODY, CLAUDE_COMMIT } from './fixtures.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const EXEC_RULE = 'js.injection.child-process-exec';
const IGNORE = `// airlock-ignore ${EXEC_RULE} -- reviewed`;
const lines = (...l: string[]) => `${l.join('\n')}\n`;
const IMPORT = "import { exec } from 'node:child_process';";

describe('base suppressions in the app', () => {
  it('do not cover a line the pull request inserts under an old suppression comment', async () => {
    h = await startHarness();
    const pull = h.repo.addPullRequest({
      body: CLAUDE_BODY,
      head: { ref: 'claude/status' },
      files: [
        {
          filename: 'src/status.js',
          baseContent: lines(IMPORT, '// header', IGNORE, "exec('git status --short ' + flags);"),
          content: lines(IMPORT, IGNORE, 'exec(req.query.cmd);', "exec('git status --short ' + flags);"),
        },
      ],
      commits: [CLAUDE_COMMIT],
    });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect(run?.conclusion).toBe('failure');
    expect(run?.annotations.filter((a) => a.message?.includes(EXEC_RULE) || a.title?.includes(EXEC_RULE)).map((a) => a.start_line)).toEqual([3]);
    expect(h.standIn.violations).toEqual([]);
  });

  it('still cover a base line the pull request leaves as it was', async () => {
    h = await startHarness();
    const pull = h.repo.addPullRequest({
      body: CLAUDE_BODY,
      head: { ref: 'claude/status-trim' },
      files: [
        {
          filename: 'src/status.js',
          baseContent: lines(IMPORT, '// header', IGNORE, "exec('git status ' + flags, (err, out) => {", '  console.log(out);', '});'),
          content: lines(IMPORT, IGNORE, "exec('git status ' + flags, (err, out) => {", '  console.log(out.trim());', '});'),
        },
      ],
      commits: [CLAUDE_COMMIT],
    });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect(run?.conclusion).toBe('success');
    expect(run?.output.summary).toContain(EXEC_RULE);
    expect(h.standIn.violations).toEqual([]);
  });
});

describe('configuration', () => {
  function aiPull(harness: Harness) {
    return harness.repo.addPullRequest({
      body: CLAUDE_BODY,
      head: { ref: 'claude/change' },
      files: [{ filename: 'src/a.js', baseContent: 'export const a = 1;\n', content: 'export const a = 2;\n' }],
      commits: [CLAUDE_COMMIT],
    });
  }

  it.each([
    ['the repository', '.github/airlock.yml', () => billionLaughs('review: ai\n'), null],
    ['the organisation (via _extends)', 'acme/.github:.github/airlock.yml', () => '_extends: .github\n', () => billionLaughs()],
  ])('answers a "billion laughs" config in %s with an "Invalid Airlock configuration" check', async (_where, source, repoConfig, orgConfig) => {
    h = await startHarness({ config: repoConfig() });
    if (orgConfig) h.standIn.state.addRepo({ owner: 'acme', name: '.github', ownerType: 'Organization' }).setContent('main', '.github/airlock.yml', orgConfig());
    const pull = aiPull(h);
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect([run?.status, run?.conclusion, run?.output.title]).toEqual(['completed', 'failure', 'Invalid Airlock configuration']);
    expect(run?.output.summary).toContain(`${source}: invalid YAML: its aliases expand too far`);
    expect(h.standIn.violations).toEqual([]);
  });
});

describe('files left out of the review, in the check', () => {
  const OLD_SHA = 'a'.repeat(40);
  const NEW_SHA = 'b'.repeat(40);

  it('counts files excluded by ignore_paths with their globs, and names submodules as submodules', async () => {
    h = await startHarness({ config: 'ignore_paths: ["vendor/**", "dist/**"]\n' });
    const pull = h.repo.addPullRequest({
      body: CLAUDE_BODY,
      head: { ref: 'claude/vendor' },
      files: [
        { filename: 'vendor/lib.js', content: lines(IMPORT, "exec('ls ' + x);") },
        { filename: 'vendor/util.js', content: lines('export const u = 1;') },
        { filename: 'src/ok.js', baseContent: lines('export const ok = 1;'), content: lines('export const ok = 2;') },
        // GitHub lists a submodule with git's gitlink diff as its patch.
        { filename: 'libs/new', status: 'added', patch: `@@ -0,0 +1 @@\n+Subproject commit ${NEW_SHA}` },
        { filename: 'libs/old', status: 'modified', patch: `@@ -1 +1 @@\n-Subproject commit ${OLD_SHA}\n+Subproject commit ${NEW_SHA}` },
      ],
      commits: [CLAUDE_COMMIT],
    });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect(run?.conclusion).toBe('failure');
    const summary = run?.output.summary ?? '';
    expect(summary).toContain('2 files excluded by `ignore_paths` (`vendor/**`)');
    expect(summary).toContain('- `libs/new`: submodule: the commit it points to is not reviewed');
    expect(summary).toContain('- `libs/old`: submodule: the commit it points to is not reviewed');
    expect(summary).not.toContain('js.injection.child-process-exec');
    expect(h.standIn.violations).toEqual([]);
  });
});

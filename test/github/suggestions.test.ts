// Suggestion blocks in the app's inline comments: mechanical fixes, with an action's tag
// resolved to its commit through GitHub's git refs API (the stand-in's tags).
import { afterEach, describe, expect, it } from 'vitest';
import { addAiPull } from './fixtures.js';
import { startHarness, type Harness } from './harness.js';
import type { PullFileInput } from './stand-in/state.js';

/** An agent's pull request (Claude Code's body, trailer and branch) of these files. */
function aiWorkflowPull(harness: Harness, files: PullFileInput[]) {
  return addAiPull(harness.repo, { head: { ref: 'claude/ci' }, files });
}

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const WORKFLOW = [
  'on: pull_request',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: tj-actions/changed-files@v45',
  '      - uses: acme-tools/lint-action@v2 # lint',
  '      - uses: some-org/moving-action@main',
  '      - run: claude --dangerously-skip-permissions -p "fix the failing tests"',
  '',
].join('\n');

const SCRIPT = ['import subprocess', '', 'def unpack(archive, dest):', '    subprocess.run(f"tar -xf {archive} -C {dest}", shell=True, check=True)', ''].join('\n');

function suggestionOf(path: string, line: number): string | null {
  const comment = h.repo.reviewComments.find((c) => c.path === path && c.line === line && c.inReplyToId === null);
  if (!comment) throw new Error(`no comment at ${path}:${line}: ${h.repo.reviewComments.map((c) => `${c.path}:${c.line}`).join(', ')}`);
  const m = /```suggestion\n([\s\S]*?)```/.exec(comment.body);
  return m ? m[1]! : null;
}

describe('suggestions', () => {
  it('pins actions to the commit of their tag, removes a bypass flag and turns shell=True into a list', async () => {
    h = await startHarness();
    const changed = h.standIn.state.addRepo({ owner: 'tj-actions', name: 'changed-files' });
    const v45 = changed.setTag('v45', 'a'.repeat(40), { annotated: true });
    const lint = h.standIn.state.addRepo({ owner: 'acme-tools', name: 'lint-action' });
    const v2 = lint.setTag('v2', 'b'.repeat(40));
    const moving = h.standIn.state.addRepo({ owner: 'some-org', name: 'moving-action' });
    moving.setRef('main', 'c'.repeat(40));
    const pull = aiWorkflowPull(h, [
      { filename: '.github/workflows/ci.yml', status: 'added', content: WORKFLOW },
      { filename: 'tools/unpack.py', status: 'added', content: SCRIPT },
    ]);
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();

    expect(suggestionOf('.github/workflows/ci.yml', 6)).toBe(`      - uses: tj-actions/changed-files@${v45} # v45\n`);
    expect(suggestionOf('.github/workflows/ci.yml', 7)).toBe(`      - uses: acme-tools/lint-action@${v2} # lint\n`);
    // A branch moves: pinning it is a decision, not a mechanical fix.
    expect(suggestionOf('.github/workflows/ci.yml', 8)).toBeNull();
    expect(suggestionOf('.github/workflows/ci.yml', 9)).toBe('      - run: claude -p "fix the failing tests"\n');
    expect(suggestionOf('tools/unpack.py', 4)).toBe('    subprocess.run(["tar", "-xf", archive, "-C", dest], check=True)\n');
    // The tags were read through the git refs API (main is no tag: 404), the annotated one peeled.
    const asked = h.standIn.requests.map((r) => r.operationId).filter((op) => op?.startsWith('git/get-r') || op === 'git/get-tag');
    expect(asked.sort()).toEqual(['git/get-ref', 'git/get-ref', 'git/get-ref', 'git/get-tag']);
    expect(h.standIn.violations).toEqual([]);
  });

  it('keeps the review going when a tag cannot be read', async () => {
    h = await startHarness();
    h.standIn.failNext({ method: 'GET', pathIncludes: '/git/ref/', status: 500, times: Infinity });
    const pull = aiWorkflowPull(h, [{ filename: '.github/workflows/ci.yml', status: 'added', content: WORKFLOW }]);
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect(run?.status).toBe('completed');
    expect(run?.output.title).not.toContain('could not finish');
    expect(suggestionOf('.github/workflows/ci.yml', 6)).toBeNull();
    expect(suggestionOf('.github/workflows/ci.yml', 9)).toBe('      - run: claude -p "fix the failing tests"\n');
  });

  it('says which other lines a grouped finding’s suggestion leaves, and the commit to pin them to', async () => {
    h = await startHarness();
    const v45 = h.standIn.state.addRepo({ owner: 'tj-actions', name: 'changed-files' }).setTag('v45', 'd'.repeat(40));
    const workflow = [
      'on: pull_request',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: tj-actions/changed-files@v45',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - name: changed',
      '        uses: tj-actions/changed-files@v45',
      '',
    ].join('\n');
    const pull = aiWorkflowPull(h, [{ filename: '.github/workflows/ci.yml', status: 'added', content: workflow }]);
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    // One finding, one comment: its suggestion fixes its own line, and it says what the other line needs.
    const comments = h.repo.reviewComments.filter((c) => c.path === '.github/workflows/ci.yml' && c.inReplyToId === null && c.body.includes('tj-actions/changed-files'));
    expect(comments).toHaveLength(1);
    expect(suggestionOf('.github/workflows/ci.yml', 6)).toBe(`      - uses: tj-actions/changed-files@${v45} # v45\n`);
    expect(comments[0]!.body).toContain(
      `**This suggestion changes line 6 only.** The same problem is also at line 11 of this file: it uses the same \`tj-actions/changed-files@v45\`: pin it to the same commit, \`${v45}\`.`,
    );
    expect(comments[0]!.body).not.toContain('The same problem is also at line 11 of this file.');
    expect(h.standIn.violations).toEqual([]);
  });
});

// Rolling Airlock out on a repository: `mode: observe`, `comment_on` and per-path `policies`,
// through the real app, real webhook payloads and the GitHub stand-in.
import { afterEach, describe, expect, it } from 'vitest';
import { MISSING_TESTS } from '../../src/core/policy.js';
import { parseMarker } from '../../src/github/markers.js';
import { addAiPull } from './fixtures.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function reviewAiPull(config: string, extra: Parameters<typeof addAiPull>[1] = {}) {
  h = await startHarness({ config });
  const pull = addAiPull(h.repo, extra);
  await h.deliver('pull_request', 'opened', pull);
  await h.idle();
  const runs = h.repo.checkRunsFor(pull.head.sha);
  return { pull, run: runs[runs.length - 1]! };
}

describe('mode', () => {
  it('observe: comments as usual, but the check is neutral and says what enforce mode would do', async () => {
    const { run } = await reviewAiPull('mode: observe\n');
    expect(run.conclusion).toBe('neutral');
    expect(run.output.title).toMatch(/^Observe mode, would fail: 2 findings at or above high$/);
    expect(run.output.summary).toContain('### Observe mode');
    expect(h.repo.reviewComments.length).toBe(2);
    expect(h.repo.reviewComments[0]!.body).toContain('(would block merging; observe mode)');
    expect(run.annotations.some((a) => a.annotation_level === 'failure')).toBe(true);
    expect(h.standIn.violations).toEqual([]);
  });

  it('enforce (the default) fails the same change', async () => {
    const { run } = await reviewAiPull('mode: enforce\n');
    expect([run.conclusion, run.output.title]).toEqual(['failure', '2 findings at or above high']);
    expect(run.output.summary).not.toContain('### Observe mode');
    expect(h.repo.reviewComments[0]!.body).toContain('(blocks merging)');
  });
});

describe('comment_on', () => {
  it('comments inline only at or above the threshold and lists the rest in the check summary', async () => {
    const { run } = await reviewAiPull('comment_on: critical\n');
    expect(run.conclusion).toBe('failure');
    expect(h.repo.reviewComments.map((c) => c.body.split(' ')[1])).toEqual(['**CRITICAL**']);
    expect(run.output.summary).toContain('1 below critical listed only here (`comment_on: critical`)');
    expect(h.standIn.violations).toEqual([]);
  });

  it('at high, comments the high findings', async () => {
    await reviewAiPull('comment_on: high\n');
    expect(h.repo.reviewComments).toHaveLength(2);
  });
});

describe('policies', () => {
  it('require_tests: an AI change to a covered path without tests gets its own finding, commented inline', async () => {
    const { run } = await reviewAiPull('policies:\n  - paths: ["src/**"]\n    require_tests: true\n');
    expect(run.conclusion).toBe('failure');
    expect(run.output.summary).toContain(MISSING_TESTS);
    const policyComment = h.repo.reviewComments.find((c) => c.body.includes(MISSING_TESTS));
    expect(policyComment?.path).toBe('src/admin.js');
    expect(parseMarker(policyComment!.body)?.kind).toBe('fp');
    expect(h.standIn.violations).toEqual([]);
  });

  it('require_tests is satisfied by a test file in the same change', async () => {
    const { run } = await reviewAiPull('policies:\n  - paths: ["src/**"]\n    require_tests: true\n', {
      files: [
        { filename: 'src/admin.js', baseContent: 'export const a = 1;\n', content: 'export const a = 2;\n' },
        { filename: 'test/admin.test.js', status: 'added', content: 'it("works", () => {});\n' },
      ],
    });
    expect([run.conclusion, run.output.title]).toEqual(['success', 'No findings']);
  });

  it('fail_on per path: a finding below the top-level threshold blocks in the covered path', async () => {
    const only = 'fail_on: critical\nrules:\n  js.backdoor.hardcoded-credential-check: off\n';
    const { run } = await reviewAiPull(`${only}policies:\n  - paths: ["src/admin.js"]\n    fail_on: high\n`);
    expect(run.conclusion).toBe('failure');
    expect(run.output.title).toBe('1 blocking finding (thresholds of `policies` included)');
    expect(h.repo.reviewComments[0]!.body).toContain('(blocks merging)');
    expect(run.annotations.map((a) => a.annotation_level)).toEqual(['failure']);
    const elsewhere = await (async () => {
      await h.close();
      return reviewAiPull(`${only}policies:\n  - paths: ["lib/**"]\n    fail_on: high\n`);
    })();
    expect(elsewhere.run.conclusion).toBe('success');
  });
});

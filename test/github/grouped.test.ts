// One finding per problem on GitHub: an action left unpinned in 20 steps is one annotation,
// one inline comment naming the other lines, one row of the summary, and one allowance covers
// it, also after another step with the same action is pushed.
import { afterEach, describe, expect, it } from 'vitest';
import { parseMarker } from '../../src/github/markers.js';
import { CLAUDE_BODY, CLAUDE_COMMIT } from './fixtures.js';
import { startHarness, type Harness } from './harness.js';
import type { PullRecord } from './stand-in/state.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const RULE = 'workflow.unpinned-action';

function workflow(steps: number): string {
  const lines = ['on: push', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    steps:'];
  for (let i = 0; i < steps; i++) lines.push(`      - name: step ${i + 1}`, '        uses: someone/setup@v4');
  return `${lines.join('\n')}\n`;
}
/** Line of the `uses:` of step i (1-based) in `workflow(n)`. */
const usesLine = (i: number) => 5 + 2 * i;

function latest(pull: PullRecord) {
  const runs = h.repo.checkRunsFor(pull.head.sha);
  return runs[runs.length - 1]!;
}

async function maintainerSays(pull: PullRecord, body: string) {
  const record = h.repo.addIssueComment(pull.number, body, 'mo');
  const delivered = await h.deliver('issue_comment', 'created', pull, { commentBody: body, commentAuthor: 'mo', commentId: record.id }, (payload) => {
    (payload.issue as Record<string, unknown>).pull_request = { url: '', html_url: '', diff_url: '', patch_url: '', merged_at: null };
  });
  expect(delivered.status).toBe(200);
  await h.idle();
}

describe('a problem found at many places of one file', () => {
  it('is one annotation, one inline comment and one finding of the summary; one allowance covers every place, also one pushed later', async () => {
    h = await startHarness({ config: 'review: ai\nfail_on: medium\n' });
    h.repo.setPermission('mo', 'maintain');
    const pull = h.repo.addPullRequest({
      body: CLAUDE_BODY,
      user: 'dana',
      head: { ref: 'claude/ci' },
      files: [{ filename: '.github/workflows/ci.yml', status: 'added', content: workflow(20) }],
      commits: [CLAUDE_COMMIT],
    });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();

    let run = latest(pull);
    expect([run.conclusion, run.output.title]).toEqual(['failure', '1 finding at or above medium']);
    const annotations = run.annotations.filter((a) => a.title?.includes(RULE));
    expect(annotations).toHaveLength(1);
    expect(annotations[0]!.start_line).toBe(usesLine(1));
    const others = Array.from({ length: 19 }, (_, i) => usesLine(i + 2));
    expect(annotations[0]!.message).toContain(`The same problem is also at lines ${others.join(', ')} of this file.`);
    // The summary counts problems, and per rule.
    expect(run.output.summary).toContain('1 finding at 20 places');
    expect(run.output.summary).toMatch(/### By rule\n\n- 🟡 medium \[`workflow\.unpinned-action`\]\(<https:\/\/github\.com\/airlock-review\/airlock\/blob\/main\/docs\/rules\/workflow\.unpinned-action\.md>\) [^\n]*: 1 finding at 20 places\n/);
    expect(run.output.summary).toContain(`and 19 more: lines ${others.slice(0, 10).join(', ')}, …`);
    // The check's details link is the rule index; the inline comment and the annotation link the rule's page.
    expect(run.detailsUrl).toBe('https://github.com/airlock-review/airlock/blob/main/docs/rules/README.md');

    const comments = h.repo.reviewComments.filter((c) => c.body.includes(RULE));
    expect(comments).toHaveLength(1);
    expect(comments[0]!.line).toBe(usesLine(1));
    expect(comments[0]!.body).toContain(`The same problem is also at lines ${others.join(', ')} of this file.`);
    expect(comments[0]!.body).toContain('[rule documentation](<https://github.com/airlock-review/airlock/blob/main/docs/rules/workflow.unpinned-action.md>)');
    expect(annotations[0]!.message).toContain('Rule documentation: https://github.com/airlock-review/airlock/blob/main/docs/rules/workflow.unpinned-action.md');
    const marker = parseMarker(comments[0]!.body);
    const fingerprint = marker?.kind === 'fp' ? marker.fingerprint : '';
    expect(fingerprint).toMatch(/^[0-9a-f]{20}$/);
    expect(annotations[0]!.raw_details).toContain(fingerprint);

    await maintainerSays(pull, `/airlock allow ${fingerprint} the action is our own fork`);
    run = latest(pull);
    expect([run.conclusion, run.output.title]).toEqual(['success', 'No open findings: 1 finding accepted by maintainers']);

    // The agent adds a 21st step with the same action: the problem keeps its fingerprint, the allowance still covers it.
    h.repo.pushToPullRequest(pull.number, {
      files: [{ filename: '.github/workflows/ci.yml', status: 'added', content: workflow(21) }],
      commits: [CLAUDE_COMMIT],
    });
    await h.deliver('pull_request', 'synchronize', pull);
    await h.idle();
    run = latest(pull);
    expect([run.conclusion, run.output.title]).toEqual(['success', 'No open findings: 1 finding accepted by maintainers']);
    expect(h.repo.reviewComments.filter((c) => c.body.includes(RULE) && c.inReplyToId === null)).toHaveLength(1);
    expect(h.standIn.violations).toEqual([]);
  });
});

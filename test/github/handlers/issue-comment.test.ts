import { afterEach, describe, expect, it } from 'vitest';
import { parseMarker } from '../../../src/github/markers.js';
import { BASE_ADMIN, CLAUDE_BODY, CLAUDE_COMMIT, HEAD_ADMIN } from '../fixtures.js';
import { startHarness, type Harness } from '../harness.js';
import type { PullRecord } from '../stand-in/state.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function openAiPull(): Promise<PullRecord> {
  h = await startHarness();
  h.repo.setPermission('mo', 'maintain');
  h.repo.setPermission('dana', 'write');
  h.repo.setPermission('rita', 'read');
  const pull = h.repo.addPullRequest({
    number: 5,
    body: CLAUDE_BODY,
    user: 'dana',
    head: { ref: 'claude/du' },
    files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: HEAD_ADMIN }],
    commits: [CLAUDE_COMMIT],
  });
  await h.deliver('pull_request', 'opened', pull);
  await h.idle();
  return pull;
}

/** Posts a comment in the stand-in and delivers GitHub's issue_comment webhook for it. */
async function comment(pull: PullRecord, author: string, body: string, action: 'created' | 'deleted' = 'created', existing?: number) {
  const record = existing === undefined ? h.repo.addIssueComment(pull.number, body, author) : h.repo.issueComments.find((c) => c.id === existing)!;
  if (action === 'deleted') h.repo.issueComments.splice(h.repo.issueComments.indexOf(record), 1);
  const delivered = await h.deliver('issue_comment', action, pull, { commentBody: body, commentAuthor: author, commentId: record.id }, (payload) => {
    const issue = payload.issue as Record<string, unknown>;
    // A comment on a pull request: GitHub's payload says so.
    issue.pull_request = { url: `${h.standIn.apiUrl}/repos/acme/widgets/pulls/${pull.number}`, html_url: '', diff_url: '', patch_url: '', merged_at: null };
  });
  expect(delivered.status).toBe(200);
  await h.idle();
  return record;
}

/** Edits someone's comment in the stand-in as `editor` and delivers the `issue_comment.edited` webhook GitHub sends. */
async function edit(pull: PullRecord, commentId: number, editor: string, body: string) {
  const record = h.repo.issueComments.find((c) => c.id === commentId)!;
  const before = record.body;
  h.repo.editIssueComment(commentId, body, editor);
  const delivered = await h.deliver(
    'issue_comment',
    'edited',
    pull,
    { commentBody: body, commentAuthor: record.user.login, commentId, sender: editor },
    (payload) => {
      (payload.issue as Record<string, unknown>).pull_request = { url: '', html_url: '', diff_url: '', patch_url: '', merged_at: null };
      payload.changes = { body: { from: before } };
    },
  );
  expect(delivered.status).toBe(200);
  await h.idle();
  return record;
}

function latest(pull: PullRecord) {
  const runs = h.repo.checkRunsFor(pull.head.sha);
  return runs[runs.length - 1]!;
}

describe('/airlock commands', () => {
  it('refuses an allowance from the pull request author, once, and keeps the check failing', async () => {
    const pull = await openAiPull();
    const fp = parseMarker(h.repo.reviewComments[0]!.body);
    expect(fp?.kind).toBe('fp');
    const fingerprint = fp?.kind === 'fp' ? fp.fingerprint : '';
    const own = await comment(pull, 'dana', `/airlock allow ${fingerprint} it is fine`);
    const replies = h.repo.issueComments.filter((c) => c.user.login === 'airlock[bot]');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain('@dana, thanks for the command, but Airlock cannot act on it: the author of a pull request cannot accept findings in it.');
    expect(parseMarker(replies[0]!.body)).toEqual({ kind: 'reply', commentId: own.id });
    expect(h.repo.checkRunsFor(pull.head.sha)).toHaveLength(1);

    // An edit of the same comment does not earn a second reply.
    await h.deliver('issue_comment', 'edited', pull, { commentBody: `/airlock allow ${fingerprint} really fine`, commentAuthor: 'dana', commentId: own.id }, (payload) => {
      (payload.issue as Record<string, unknown>).pull_request = { url: '', html_url: '', diff_url: '', patch_url: '', merged_at: null };
    });
    await h.idle();
    expect(h.repo.issueComments.filter((c) => c.user.login === 'airlock[bot]')).toHaveLength(1);
    expect(h.standIn.violations).toEqual([]);
  });

  it('honours a maintainer: accepted findings stop failing the check and their threads are resolved', async () => {
    const pull = await openAiPull();
    const [credential] = h.repo.reviewComments;
    const fp = parseMarker(credential!.body);
    const fingerprint = fp?.kind === 'fp' ? fp.fingerprint : '';

    // The maintainer reads the review and answers a minute later.
    h.standIn.state.advanceClock(60_000);
    await comment(pull, 'mo', '/airlock allow js.injection.child-process-exec customer is validated by the router');
    expect(latest(pull).conclusion).toBe('failure');
    expect(latest(pull).output.title).toBe('1 finding at or above high (1 accepted by maintainers)');

    await comment(pull, 'mo', `Checked with the team.\n/airlock allow ${fingerprint} token check is a test fixture`);
    const run = latest(pull);
    expect([run.conclusion, run.output.title]).toEqual(['success', 'No open findings: 2 findings accepted by maintainers']);
    expect(run.output.summary).toContain('### Accepted by maintainers (2)');
    expect(run.output.summary).toContain('accepted by @&#8203;mo: token check is a test fixture');
    expect(h.repo.threads.every((t) => t.isResolved)).toBe(true);
    const replies = h.repo.reviewComments.filter((c) => c.inReplyToId !== null).map((c) => c.body.split('\n')[0]);
    expect(replies).toEqual(['Accepted by `mo`: it no longer fails the check.', 'Accepted by `mo`: it no longer fails the check.']);
    // The allowance by rule id was pinned to the findings it covers; nothing else was said.
    expect(h.repo.issueComments.filter((c) => c.user.login === 'airlock[bot]').map((c) => parseMarker(c.body)?.kind)).toEqual(['pin']);

    // Deleting the allowance brings the finding back.
    const byFingerprint = h.repo.issueComments.find((c) => c.user.login === 'mo' && c.body.includes(fingerprint))!;
    await comment(pull, 'mo', byFingerprint.body, 'deleted', byFingerprint.id);
    expect(latest(pull).output.title).toBe('1 finding at or above high (1 accepted by maintainers)');
    expect(h.standIn.violations).toEqual([]);
  });

  it("does not credit a maintainer with an allowance the pull request's author wrote into their comment", async () => {
    const pull = await openAiPull();
    const mine = await comment(pull, 'mo', 'Looking at this now.');
    const runs = h.repo.checkRunsFor(pull.head.sha).length;
    // The author (write permission) edits the maintainer's comment into an allowance.
    await edit(pull, mine.id, 'dana', '/airlock allow js.injection.child-process-exec customer is validated by the router');
    expect(h.repo.checkRunsFor(pull.head.sha)).toHaveLength(runs);
    const replies = h.repo.issueComments.filter((c) => c.user.login === 'airlock[bot]');
    expect(replies.map((c) => c.body.split('\n')[0])).toEqual([
      '@dana, thanks for the command, but Airlock cannot act on it: the author of a pull request cannot accept findings in it.',
    ]);

    // Whatever triggers the next review, the edited comment does not count, and the check says why.
    await comment(pull, 'mo', '/airlock rescan');
    const run = latest(pull);
    expect([run.conclusion, run.output.title]).toEqual(['failure', '2 findings at or above high']);
    expect(run.output.summary).toContain('### Allowances not honoured (1)');
    expect(run.output.summary).toContain('edited by @&#8203;dana: the author of a pull request cannot accept findings in it');
    expect(h.standIn.violations).toEqual([]);
  });

  it('still honours a maintainer who edits their own allowance, and another maintainer who edits it', async () => {
    const pull = await openAiPull();
    h.repo.setPermission('lee', 'write');
    h.standIn.state.advanceClock(60_000);
    const mine = await comment(pull, 'mo', '/airlock allow js.injection.child-process-exec first reason');
    await edit(pull, mine.id, 'mo', '/airlock allow js.injection.child-process-exec customer is validated by the router');
    expect(latest(pull).output.title).toBe('1 finding at or above high (1 accepted by maintainers)');
    await edit(pull, mine.id, 'lee', '/airlock allow js.injection.child-process-exec router validates it, checked');
    const run = latest(pull);
    expect(run.output.title).toBe('1 finding at or above high (1 accepted by maintainers)');
    expect(run.output.summary).toContain('accepted by @&#8203;lee: router validates it, checked');
    expect(h.repo.issueComments.filter((c) => c.user.login === 'airlock[bot]').map((c) => parseMarker(c.body)?.kind)).toEqual(['pin']);
    expect(h.standIn.violations).toEqual([]);
  });

  it('accepts by rule id only the findings that existed when the allowance was given; --all accepts later ones too', async () => {
    const pull = await openAiPull();
    // The maintainer reads the review and answers a minute later.
    h.standIn.state.advanceClock(60_000);
    const allowance = await comment(pull, 'mo', '/airlock allow js.injection.child-process-exec customer is validated by the router');
    expect(latest(pull).output.title).toBe('1 finding at or above high (1 accepted by maintainers)');
    const pins = h.repo.issueComments.filter((c) => c.user.login === 'airlock[bot]');
    expect(pins).toHaveLength(1);
    expect(pins[0]!.body.split('\n')[0]).toBe('Accepted 1 finding of `js.injection.child-process-exec` for `mo`: the findings of this rule in `' + pull.head.sha.slice(0, 7) + '`. Instances pushed later are not covered; `/airlock allow js.injection.child-process-exec --all <reason>` covers them.');
    expect(parseMarker(pins[0]!.body)).toMatchObject({ kind: 'pin', commentId: allowance.id, target: 'js.injection.child-process-exec' });

    // The agent then pushes another instance of the accepted rule: it is not covered.
    h.standIn.state.advanceClock(60_000);
    h.repo.pushToPullRequest(pull.number, {
      files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: HEAD_ADMIN.replace("  }\n}", "  }\n  exec('rm -rf /tmp/' + req.query.path);\n}") }],
      commits: [CLAUDE_COMMIT],
    });
    await h.deliver('pull_request', 'synchronize', pull);
    await h.idle();
    let run = latest(pull);
    expect([run.conclusion, run.output.title]).toEqual(['failure', '2 findings at or above high (1 accepted by maintainers)']);

    // `--all` is the broad form, and says so.
    await comment(pull, 'mo', '/airlock allow js.injection.child-process-exec --all every exec here takes validated input');
    run = latest(pull);
    expect(run.output.title).toBe('1 finding at or above high (2 accepted by maintainers)');
    expect(h.repo.issueComments.filter((c) => c.user.login === 'airlock[bot]')).toHaveLength(1);
    expect(h.standIn.violations).toEqual([]);
  });

  it('does not let an allowance by rule id cover a head pushed before Airlock could pin it', async () => {
    const pull = await openAiPull();
    // The allowance is written, and a push lands before any review reads it.
    h.repo.addIssueComment(pull.number, '/airlock allow js.injection.child-process-exec customer is validated by the router', 'mo');
    h.repo.pushToPullRequest(pull.number, { files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: HEAD_ADMIN }], commits: [CLAUDE_COMMIT] });
    await h.deliver('pull_request', 'synchronize', pull);
    await h.idle();
    const run = latest(pull);
    expect([run.conclusion, run.output.title]).toEqual(['failure', '2 findings at or above high']);
    expect(run.output.summary).toContain('### Allowances not honoured (1)');
    expect(run.output.summary).toContain(`written before Airlock reviewed ${pull.head.sha.slice(0, 7)}, so it covers none of its findings`);
    expect(h.standIn.violations).toEqual([]);
  });

  it('rescans for the author, refuses a reader politely and ignores bots', async () => {
    const pull = await openAiPull();
    await comment(pull, 'dana', '/airlock rescan');
    expect(h.repo.checkRunsFor(pull.head.sha).map((r) => r.conclusion)).toEqual(['failure', 'failure']);
    expect(h.repo.reviewComments.filter((c) => c.inReplyToId === null)).toHaveLength(2);

    await comment(pull, 'rita', '/airlock rescan');
    await comment(pull, 'rita', '/airlock allow js.injection.child-process-exec');
    const replies = h.repo.issueComments.filter((c) => c.user.login === 'airlock[bot]').map((c) => c.body.split('\n')[0]);
    expect(replies).toEqual([
      '@rita, thanks for the command, but Airlock cannot act on it: a rescan can be asked for by the pull request’s author or by someone with write permission.',
      '@rita, thanks for the command, but Airlock cannot act on it: give a reason: `/airlock allow <rule-id|fingerprint> <reason>` (in a finding’s thread: `/airlock allow <reason>`).',
    ]);

    await comment(pull, 'helper[bot]', '/airlock allow js.injection.child-process-exec bots agree');
    expect(h.repo.checkRunsFor(pull.head.sha)).toHaveLength(2);
    expect(h.repo.issueComments.filter((c) => c.user.login === 'airlock[bot]')).toHaveLength(2);
    expect(h.standIn.violations).toEqual([]);
  });
});

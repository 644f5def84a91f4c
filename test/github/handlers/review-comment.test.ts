// `/airlock allow` as a reply in a finding's review thread (pull_request_review_comment),
// dismissal reasons in the check summary, and `/airlock help`.
import { afterEach, describe, expect, it } from 'vitest';
import { Octokit } from '@octokit/rest';
import { readThreadReplies, THREAD_READ_LIMITS } from '../../../src/github/commands.js';
import type { GitHub } from '../../../src/github/octokit.js';
import { parseMarker } from '../../../src/github/markers.js';
import { BASE_ADMIN, CLAUDE_BODY, CLAUDE_COMMIT, HEAD_ADMIN } from '../fixtures.js';
import { OWNER, REPO, startHarness, type Harness } from '../harness.js';
import type { PullRecord, ReviewCommentRecord } from '../stand-in/state.js';

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
  // The maintainer answers a minute after the review.
  h.standIn.state.advanceClock(60_000);
  return pull;
}

/** The app's comment opening the thread of the finding of `ruleId`. */
function findingRoot(ruleId: string): ReviewCommentRecord {
  const root = h.repo.reviewComments.find((c) => c.inReplyToId === null && c.body.includes(`<code>${ruleId}</code>`));
  if (!root) throw new Error(`no thread for ${ruleId}`);
  return root;
}

/** A reply in a review thread, written in the stand-in, then GitHub's webhook for it. */
async function threadReply(pull: PullRecord, root: ReviewCommentRecord, author: string, body: string, action: 'created' | 'edited' | 'deleted' = 'created', existing?: ReviewCommentRecord) {
  const record = existing ?? h.repo.addReviewReply(root.id, body, author);
  const before = record.body;
  if (action === 'edited') h.repo.editReviewComment(record.id, body, author);
  if (action === 'deleted') h.repo.reviewComments.splice(h.repo.reviewComments.indexOf(record), 1);
  const delivered = await h.deliver(
    'pull_request_review_comment',
    action,
    pull,
    { commentBody: action === 'deleted' ? before : body, commentAuthor: record.user.login, commentId: record.id, sender: author },
    (payload) => {
      (payload.comment as Record<string, unknown>).in_reply_to_id = root.id;
      if (action === 'edited') payload.changes = { body: { from: before } };
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

const botReplies = (root: ReviewCommentRecord) => h.repo.reviewComments.filter((c) => c.inReplyToId === root.id && c.user.login === 'airlock[bot]');

describe('/airlock allow in a finding’s thread', () => {
  it('accepts the thread’s finding for a maintainer, with the kind of dismissal shown in the summary', async () => {
    const pull = await openAiPull();
    const root = findingRoot('js.backdoor.hardcoded-credential-check');
    const reply = await threadReply(pull, root, 'mo', '/airlock allow false-positive the token is a test fixture');
    const run = latest(pull);
    expect([run.conclusion, run.output.title]).toEqual(['failure', '1 finding at or above high (1 accepted by maintainers)']);
    expect(run.output.summary).toContain('accepted by @&#8203;mo as **false positive**: the token is a test fixture');
    // The thread is answered and resolved; the allowance itself earns no reply.
    expect(botReplies(root).map((c) => c.body.split('\n')[0])).toEqual(['Accepted by `mo`: it no longer fails the check.']);
    expect(h.repo.threadOf(root)?.isResolved).toBe(true);
    expect(botReplies(root).some((c) => parseMarker(c.body)?.kind === 'reply')).toBe(false);

    // Deleting the reply brings the finding back.
    await threadReply(pull, root, 'mo', reply.body, 'deleted', reply);
    expect(latest(pull).output.title).toBe('2 findings at or above high');
    expect(h.standIn.violations).toEqual([]);
  });

  it('takes a kind of dismissal alone as the reason, and the fingerprint written out again', async () => {
    const pull = await openAiPull();
    const root = findingRoot('js.injection.child-process-exec');
    const fp = parseMarker(root.body);
    await threadReply(pull, root, 'mo', `/airlock allow ${fp?.kind === 'fp' ? fp.fingerprint : ''} accepted-risk`);
    const run = latest(pull);
    expect(run.output.title).toBe('1 finding at or above high (1 accepted by maintainers)');
    expect(run.output.summary).toMatch(/accepted by @&#8203;mo as \*\*accepted risk\*\*\n/);
  });

  it('refuses the pull request’s author and a reader in the thread, once each, and keeps the check', async () => {
    const pull = await openAiPull();
    const root = findingRoot('js.injection.child-process-exec');
    const own = await threadReply(pull, root, 'dana', '/airlock allow accepted-risk the router validates it');
    await threadReply(pull, root, 'rita', '/airlock allow false-positive looks fine');
    expect(botReplies(root).map((c) => c.body.split('\n')[0])).toEqual([
      '@dana, thanks for the command, but Airlock cannot act on it: the author of a pull request cannot accept findings in it.',
      '@rita, thanks for the command, but Airlock cannot act on it: accepting a finding needs write, maintain or admin permission on this repository.',
    ]);
    expect(parseMarker(botReplies(root)[0]!.body)).toEqual({ kind: 'reply', commentId: own.id });
    // An edit of a refused reply earns no second answer.
    await threadReply(pull, root, 'dana', '/airlock allow accepted-risk really validated', 'edited', own);
    expect(botReplies(root)).toHaveLength(2);
    // The edit changed an allowance's text, so the check was reviewed again: it still fails.
    expect(h.repo.checkRunsFor(pull.head.sha).map((r) => r.conclusion)).toEqual(['failure', 'failure']);
    // The next review does not honour them either, and says why.
    await h.deliver('issue_comment', 'created', pull, { commentBody: '/airlock rescan', commentAuthor: 'mo', commentId: h.repo.addIssueComment(pull.number, '/airlock rescan', 'mo').id }, (payload) => {
      (payload.issue as Record<string, unknown>).pull_request = { url: '', html_url: '', diff_url: '', patch_url: '', merged_at: null };
    });
    await h.idle();
    expect(latest(pull).output.summary).toContain('### Allowances not honoured (2)');
    expect(h.standIn.violations).toEqual([]);
  });

  it('refuses an allowance in a thread that is not a finding’s', async () => {
    const pull = await openAiPull();
    const human = h.repo.recordReviewComment({ ...findingRoot('js.injection.child-process-exec'), user: h.standIn.state.user('lee'), body: 'Why exec?', inReplyToId: null });
    await threadReply(pull, human, 'mo', '/airlock allow accepted-risk fine');
    const answers = h.repo.reviewComments.filter((c) => c.inReplyToId === human.id && c.user.login === 'airlock[bot]');
    expect(answers.map((c) => c.body.split('\n')[0])).toEqual([
      '@mo, thanks for the command, but Airlock cannot act on it: this review thread is not one of Airlock’s findings; reply in the thread of the finding, or comment `/airlock allow <rule-id or fingerprint> <reason>` on the pull request.',
    ]);
    expect(h.repo.checkRunsFor(pull.head.sha)).toHaveLength(1);
    expect(h.standIn.violations).toEqual([]);
  });

  it('does not honour a thread reply edited by the pull request’s author', async () => {
    const pull = await openAiPull();
    const root = findingRoot('js.injection.child-process-exec');
    const mine = await threadReply(pull, root, 'mo', 'Looking into it.');
    await threadReply(pull, root, 'dana', '/airlock allow accepted-risk validated upstream', 'edited', mine);
    await h.deliver('issue_comment', 'created', pull, { commentBody: '/airlock rescan', commentAuthor: 'mo', commentId: h.repo.addIssueComment(pull.number, '/airlock rescan', 'mo').id }, (payload) => {
      (payload.issue as Record<string, unknown>).pull_request = { url: '', html_url: '', diff_url: '', patch_url: '', merged_at: null };
    });
    await h.idle();
    const run = latest(pull);
    expect(run.output.title).toBe('2 findings at or above high');
    expect(run.output.summary).toContain('edited by @&#8203;dana: the author of a pull request cannot accept findings in it');
    expect(h.standIn.violations).toEqual([]);
  });
});

describe('/airlock help and dismissal reasons in pull request comments', () => {
  it('answers help in a thread and in a pull request comment, for anyone', async () => {
    const pull = await openAiPull();
    const root = findingRoot('js.injection.child-process-exec');
    await threadReply(pull, root, 'rita', '/airlock help');
    expect(botReplies(root)).toHaveLength(1);
    expect(botReplies(root)[0]!.body).toContain('**Airlock commands**');
    expect(botReplies(root)[0]!.body).toContain('`false-positive`');

    const asked = h.repo.addIssueComment(pull.number, '/airlock help', 'dana');
    await h.deliver('issue_comment', 'created', pull, { commentBody: '/airlock help', commentAuthor: 'dana', commentId: asked.id }, (payload) => {
      (payload.issue as Record<string, unknown>).pull_request = { url: '', html_url: '', diff_url: '', patch_url: '', merged_at: null };
    });
    await h.idle();
    const answers = h.repo.issueComments.filter((c) => c.user.login === 'airlock[bot]');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.body.startsWith('**Airlock commands**')).toBe(true);
    expect(parseMarker(answers[0]!.body)).toEqual({ kind: 'reply', commentId: asked.id });
    expect(h.repo.checkRunsFor(pull.head.sha)).toHaveLength(1);
    expect(h.standIn.violations).toEqual([]);
  });

  it('keeps the top-level `/airlock allow <fingerprint> <kind> [text]` working, with the kind shown', async () => {
    const pull = await openAiPull();
    const fp = parseMarker(findingRoot('js.backdoor.hardcoded-credential-check').body);
    const body = `/airlock allow ${fp?.kind === 'fp' ? fp.fingerprint : ''} used-in-tests only the e2e suite calls it`;
    const c = h.repo.addIssueComment(pull.number, body, 'mo');
    await h.deliver('issue_comment', 'created', pull, { commentBody: body, commentAuthor: 'mo', commentId: c.id }, (payload) => {
      (payload.issue as Record<string, unknown>).pull_request = { url: '', html_url: '', diff_url: '', patch_url: '', merged_at: null };
    });
    await h.idle();
    expect(latest(pull).output.summary).toContain('accepted by @&#8203;mo as **used in tests**: only the e2e suite calls it');
    expect(h.standIn.violations).toEqual([]);
  });
});

describe('long review threads', () => {
  it('reads an allowance past a thread’s first page of replies', async () => {
    const pull = await openAiPull();
    const root = findingRoot('js.backdoor.hardcoded-credential-check');
    for (let i = 0; i < 130; i++) h.repo.addReviewReply(root.id, `note ${i}`, 'rita');
    const since = h.standIn.requests.length;
    await threadReply(pull, root, 'mo', '/airlock allow false-positive the token is a test fixture');
    expect(latest(pull).output.title).toBe('1 finding at or above high (1 accepted by maintainers)');
    // The thread's first 50 comments come with the threads, the other 82 in one page of 100: once for the handler, once for the review.
    const graphql = h.standIn.requests.slice(since).filter((r) => r.operationId === 'graphql');
    expect(graphql.filter((r) => JSON.stringify(r.body).includes('node(id: $id)'))).toHaveLength(2);
    expect(h.standIn.violations).toEqual([]);
  });

  it('answers an allowance past what a review reads, instead of ignoring it', async () => {
    const pull = await openAiPull();
    const root = findingRoot('js.backdoor.hardcoded-credential-check');
    const perThread = THREAD_READ_LIMITS.firstComments + THREAD_READ_LIMITS.morePagesPerThread * 100;
    for (let i = 0; i < perThread; i++) h.repo.addReviewReply(root.id, `note ${i}`, 'rita');
    const fp = parseMarker(root.body);
    await threadReply(pull, root, 'mo', '/airlock allow false-positive the token is a test fixture');
    const [answer] = botReplies(root);
    expect(answer!.body.split('\n')[0]).toBe(
      '@mo, thanks for the command, but Airlock cannot act on it: this pull request has more review threads or replies than Airlock reads ' +
        `(1000 threads, ${perThread} comments per thread, 4000 beyond the first 50 of each in all), so a review would not see this reply; ` +
        `comment \`/airlock allow ${fp?.kind === 'fp' ? fp.fingerprint : '?'} <reason>\` on the pull request instead.`,
    );
    // Nothing changed: no new review.
    expect(h.repo.checkRunsFor(pull.head.sha)).toHaveLength(1);
    expect(h.standIn.violations).toEqual([]);
  });

  it('reads threads page by page up to its limits, and says when it stopped', async () => {
    const pull = await openAiPull();
    const roots = h.repo.reviewComments.filter((c) => c.inReplyToId === null);
    expect(roots.length).toBe(2);
    for (const root of roots) for (let i = 0; i < 5; i++) h.repo.addReviewReply(root.id, `reply ${i}`, 'mo');
    const octokit = new Octokit({ baseUrl: h.standIn.apiUrl, auth: h.standIn.installationToken() }) as unknown as GitHub;
    const repo = { owner: OWNER, repo: REPO };
    const small = { threadPages: 5, threadsPerPage: 1, firstComments: 2, morePagesPerThread: 5, morePages: 5 };
    const all = await readThreadReplies(octokit, repo, pull.number, small);
    expect([all.replies.length, all.complete]).toEqual([10, true]);
    expect(new Set(all.replies.map((r) => r.threadFingerprint)).size).toBe(2);
    // One page of threads: the second thread is not read.
    expect(await readThreadReplies(octokit, repo, pull.number, { ...small, threadPages: 1 })).toMatchObject({ complete: false, replies: { length: 5 } });
    // One more page of comments in all: the second thread's later replies are not read.
    const capped = await readThreadReplies(octokit, repo, pull.number, { ...small, morePages: 1 });
    expect([capped.replies.length, capped.complete]).toEqual([6, false]);
    expect(h.standIn.violations).toEqual([]);
  });
});

// What reaches the app's webhook before a handler runs: oversized bodies, forged signatures
// and malformed payloads are refused with one short log line each, and nothing of them
// reaches Probot, the handlers or GitHub.
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE_ADMIN, CLAUDE_BODY, HEAD_ADMIN } from './fixtures.js';
import { startHarness, type Harness } from './harness.js';
import { captureLog, WARN, type CapturedLog } from './log-capture.js';
import { deliverWebhook, type ExampleEvent } from './webhooks.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const MB = 1024 * 1024;
const JUNK_SIGNATURE = `sha256=${'0'.repeat(64)}`;

function webhookHeaders(deliveryId: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-github-event': 'pull_request',
    'x-github-delivery': deliveryId,
    'x-hub-signature-256': JUNK_SIGNATURE,
  };
}

interface Answer {
  status: number;
  /** Body bytes the client had written when the answer came. */
  sent: number;
}

/**
 * POSTs up to `total` bytes of junk in 1 MB chunks (declaring the length, or chunked),
 * stopping as soon as the app answers. Resolves null when no answer came within the wait:
 * an app that reads the whole body first never answers a body that is not finished.
 */
function postJunk(url: string, opts: { total: number; declare: number | null; stopAfter?: number; waitMs?: number }): Promise<Answer | null> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = webhookHeaders(randomUUID());
    if (opts.declare !== null) headers['content-length'] = String(opts.declare);
    const req = request(url, { method: 'POST', headers });
    let sent = 0;
    let answered = false;
    const finish = (answer: Answer | null) => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      req.destroy();
      resolve(answer);
    };
    // Generous: a loaded machine is slow, and only a missing answer should fail.
    const timer = setTimeout(() => finish(null), opts.waitMs ?? 30_000);
    req.on('response', (res) => {
      res.resume();
      finish({ status: res.statusCode ?? 0, sent });
    });
    // The app may close the connection while the client is still writing.
    req.on('error', (error) => (answered ? undefined : sent > 0 ? undefined : reject(error)));
    const chunk = Buffer.alloc(MB, 'x');
    const limit = Math.min(opts.total, opts.stopAfter ?? opts.total);
    const pump = () => {
      while (!answered && !req.destroyed && sent < limit) {
        const piece = chunk.subarray(0, Math.min(MB, limit - sent));
        sent += piece.length;
        if (!req.write(piece)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered && sent >= opts.total) req.end();
    };
    pump();
  });
}

describe('the webhook guard', () => {
  it('refuses a body declared over 25 MB with 413 before reading it', async () => {
    const log = captureLog();
    h = await startHarness({ log: log.logger });
    // 600 MB declared, 2 MB sent: the answer must not wait for the rest.
    const answer = await postJunk(h.hookUrl, { total: 600 * MB, declare: 600 * MB, stopAfter: 2 * MB });
    expect(answer?.status).toBe(413);
    expect(log.problems()).toHaveLength(1);
    expect(log.problems()[0]!.msg).toMatch(/over the 25 MB limit/);
    expect(h.standIn.requests).toEqual([]);
  });

  it('stops reading a chunked body at 25 MB and answers 413', async () => {
    const log = captureLog();
    h = await startHarness({ log: log.logger });
    const answer = await postJunk(h.hookUrl, { total: 40 * MB, declare: null });
    expect(answer?.status).toBe(413);
    expect(answer!.sent).toBeLessThan(40 * MB);
    expect(log.problems()).toHaveLength(1);
    expect(h.standIn.requests).toEqual([]);
  });

  it('guards the webhook path however it is spelled, and answers health checks', async () => {
    const log = captureLog();
    h = await startHarness({ log: log.logger });
    // Probot takes the webhook path with trailing slashes too.
    const answer = await postJunk(`${h.hookUrl}//`, { total: 600 * MB, declare: 600 * MB, stopAfter: 2 * MB });
    expect(answer?.status).toBe(413);
    const forged = await deliverWebhook(`${h.hookUrl}/`, { event: 'pull_request', payload: { action: 'opened' }, secret: 'not-the-secret' });
    expect(forged.status).toBe(400);
    expect(log.problems().map((l) => l.status)).toEqual([413, 400]);
    const ping = await fetch(new URL('/ping', h.hookUrl));
    expect([ping.status, await ping.text()]).toEqual([200, 'PONG']);
    const health = await fetch(new URL('/healthz', h.hookUrl));
    expect([health.status, health.headers.get('content-type'), await health.json()]).toEqual([200, 'application/json', { status: 'ok' }]);
    expect((await fetch(new URL('/healthz/x', h.hookUrl))).status).toBe(404);
  });

  it("hands GitHub's payloads of every event the app handles to its handlers", async () => {
    const log = captureLog();
    h = await startHarness({ log: log.logger });
    const pull = h.repo.addPullRequest({ body: CLAUDE_BODY, user: 'dana', files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: HEAD_ADMIN }] });
    const queueRef = `gh-readonly-queue/main/pr-${pull.number}-${pull.head.sha}`;
    h.repo.setRef(queueRef, pull.head.sha);
    const statuses = [
      (await h.deliver('pull_request', 'opened', pull)).status,
      (await h.deliver('check_run', 'rerequested', pull, { checkRunName: 'Airlock' })).status,
      (await h.deliver('check_suite', 'rerequested', pull)).status,
      (await h.deliver('issue_comment', 'created', pull, { commentBody: '/airlock rescan', commentAuthor: 'dana' })).status,
      (await h.deliver('merge_group', 'checks_requested', pull, { headRef: queueRef })).status,
    ];
    await h.idle();
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(log.problems()).toEqual([]);
    // A review each for the pull request, both re-runs and the rescan; the merge group mirrors the verdict.
    expect(h.results.map((r) => r.kind)).toHaveLength(4);
    expect(h.repo.checkRunsFor(pull.head.sha).length).toBeGreaterThan(1);
    expect(h.standIn.violations).toEqual([]);
  });

  it('still takes a large body under the limit', async () => {
    h = await startHarness();
    const pull = h.repo.addPullRequest({ body: CLAUDE_BODY, files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: HEAD_ADMIN }] });
    const delivered = await h.deliver('pull_request', 'opened', pull, {}, (payload) => {
      // GitHub's payloads can be large (long bodies, many labels): 5 MB of description.
      (payload.pull_request as Record<string, unknown>).body = `${CLAUDE_BODY}\n${'x'.repeat(5 * MB)}`;
    });
    expect(delivered.status).toBe(200);
    await h.idle();
    expect(h.results.map((r) => r.kind)).toEqual(['completed']);
    expect(h.standIn.violations).toEqual([]);
  });

  it('logs a bad signature as one line with the delivery id, event and size, never the payload', async () => {
    const log = captureLog();
    h = await startHarness({ log: log.logger });
    const marker = 'PAYLOAD-TEXT-THAT-MUST-NOT-BE-LOGGED';
    const payload = JSON.stringify({ action: 'opened', filler: `${marker} ${'y'.repeat(200_000)}` });
    const forged = await h.deliverRaw('pull_request', payload, { signature: JUNK_SIGNATURE, deliveryId: 'forged-1' });
    expect(forged.status).toBe(400);
    expect(log.text()).not.toContain(marker);
    const lines = log.problems();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: WARN, delivery: 'forged-1', event: 'pull_request', bytes: Buffer.byteLength(payload) });
    expect(lines[0]!.msg).toMatch(/signature/);
    // A line of its own size, not the body's.
    expect(log.text().length).toBeLessThan(1000);
    expect(h.standIn.requests).toEqual([]);
  });
});

type Tweak = (payload: Record<string, unknown>) => void;
const object = (value: unknown) => value as Record<string, unknown>;

const MALFORMED: [string, ExampleEvent, string, Tweak][] = [
  ['no pull_request', 'pull_request', 'opened', (p) => delete p.pull_request],
  ['no head', 'pull_request', 'opened', (p) => delete object(p.pull_request).head],
  ['a number as the head sha', 'pull_request', 'synchronize', (p) => void (object(object(p.pull_request).head).sha = 12345)],
  ['no repository', 'pull_request', 'opened', (p) => delete p.repository],
  ['no installation', 'pull_request', 'reopened', (p) => delete p.installation],
  ['a check run without head_sha', 'check_run', 'rerequested', (p) => delete object(p.check_run).head_sha],
  ['a check suite whose pull requests are not a list', 'check_suite', 'rerequested', (p) => void (object(p.check_suite).pull_requests = 'x')],
  ['an issue comment without the comment', 'issue_comment', 'created', (p) => delete p.comment],
  ['an issue comment whose issue number is text', 'issue_comment', 'edited', (p) => void (object(p.issue).number = '12')],
  // An edit's text is the sender's: an edit that does not say who made it cannot be judged.
  ['an edited issue comment without its sender', 'issue_comment', 'edited', (p) => delete p.sender],
  ['a merge group without head_sha', 'merge_group', 'checks_requested', (p) => void (object(p.merge_group).head_sha = null)],
];

function expectOneWarning(log: CapturedLog, deliveryId: string): void {
  const problems = log.problems();
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatchObject({ level: WARN, delivery: deliveryId });
  expect(problems[0]!.err).toBeUndefined();
  expect(log.text()).not.toMatch(/\n\s+at |stack/);
}

describe('malformed payloads', () => {
  it.each(MALFORMED)('answers 400 with one warning to %s', async (_, event, action, tweak) => {
    const log = captureLog();
    h = await startHarness({ log: log.logger });
    const pull = h.repo.addPullRequest({ body: CLAUDE_BODY, files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: HEAD_ADMIN }] });
    const extra = event === 'check_run' ? { checkRunName: 'Airlock' } : event === 'issue_comment' ? { commentBody: '/airlock rescan' } : {};
    const delivered = await h.deliver(event, action, pull, extra, tweak);
    expect(delivered.status).toBe(400);
    expect(JSON.parse(delivered.body)).toMatchObject({ error: expect.stringMatching(/^Malformed payload/) });
    await h.idle();
    expectOneWarning(log, delivered.deliveryId);
    expect(h.results).toEqual([]);
    expect(h.standIn.requests).toEqual([]);
  });

  it.each([
    ['text that is not JSON', '{"action": "opened", '],
    ['JSON that is not an object', '["opened"]'],
  ])('answers 400 with one warning to %s', async (_, body) => {
    const log = captureLog();
    h = await startHarness({ log: log.logger });
    const delivered = await h.deliverRaw('pull_request', body);
    expect(delivered.status).toBe(400);
    await h.idle();
    expectOneWarning(log, delivered.deliveryId);
    expect(h.standIn.requests).toEqual([]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { parseMarker } from '../../src/github/markers.js';
import { BASE_ADMIN, CLAUDE_BODY, CLAUDE_COMMIT, CLEAN_ADMIN, HEAD_ADMIN } from './fixtures.js';
import { calls, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('the Airlock app', () => {
  it('fails an AI-authored pull request with findings and comments on the exact added lines', async () => {
    h = await startHarness();
    const pull = h.repo.addPullRequest({
      number: 7,
      title: 'Add du endpoint',
      body: CLAUDE_BODY,
      user: 'dana',
      head: { ref: 'claude/issue-42-du' },
      files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: HEAD_ADMIN }],
      commits: [CLAUDE_COMMIT],
    });
    const delivered = await h.deliver('pull_request', 'opened', pull);
    expect(delivered.status).toBe(200);
    expect(delivered.durationMs).toBeLessThan(1000);
    await h.idle();

    const runs = h.repo.checkRunsFor(pull.head.sha);
    expect(runs.map((r) => [r.name, r.status, r.conclusion])).toEqual([['Airlock', 'completed', 'failure']]);
    const run = runs[0]!;
    expect(run.history[0]).toMatchObject({ status: 'in_progress' });
    expect(run.output.title).toBe('2 findings at or above high');
    const summary = run.output.summary ?? '';
    expect(summary.startsWith('**Airlock: 2 blocking findings (1 critical, 1 high)**')).toBe(true);
    expect(summary).toContain('AI-authored: **yes** (Claude Code)');
    expect(summary.indexOf('### Authorship')).toBeLessThan(summary.indexOf('### Findings'));
    expect(run.annotations.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual([
      ['src/admin.js', 6, 'failure'],
      ['src/admin.js', 7, 'failure'],
    ]);

    expect(h.repo.reviews).toHaveLength(1);
    expect(parseMarker(h.repo.reviews[0]!.body)).toEqual({ kind: 'review', sha: pull.head.sha });
    const comments = h.repo.reviewComments.map((c) => [c.path, c.line, c.side, parseMarker(c.body)?.kind]);
    expect(comments).toEqual([
      ['src/admin.js', 6, 'RIGHT', 'fp'],
      ['src/admin.js', 7, 'RIGHT', 'fp'],
    ]);
    expect(h.repo.reviewComments[0]!.body).toContain('CRITICAL');
    expect(h.repo.reviewComments[0]!.body).toContain('js.backdoor.hardcoded-credential-check');
    expect(h.results.map((r) => r.kind)).toEqual(['completed']);
    expect(h.standIn.violations).toEqual([]);
  });

  it('comments the findings of the Semgrep rules the configuration names, like a shipped rule', async () => {
    h = await startHarness({ config: 'semgrep_rules: [security/rules.yml]\n' });
    h.repo.setContent(
      'main',
      'security/rules.yml',
      'rules:\n  - id: acme.no-debug-log\n    message: Debug logging of the request body leaks credentials into log storage.\n    severity: ERROR\n    languages: [javascript]\n    metadata: { cwe: "CWE-532" }\n    pattern: logger.debug($REQ.body)\n',
    );
    const pull = h.repo.addPullRequest({
      number: 8,
      title: 'Log requests',
      body: CLAUDE_BODY,
      user: 'dana',
      head: { ref: 'claude/issue-43-log' },
      files: [{ filename: 'src/log.js', baseContent: 'export {};\n', content: 'export {};\nexport const log = (req) => logger.debug(req.body);\n' }],
      commits: [CLAUDE_COMMIT],
    });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect([run!.conclusion, run!.output.title]).toEqual(['failure', '1 finding at or above high']);
    expect(h.repo.reviewComments.map((c) => [c.path, c.line, parseMarker(c.body)?.kind])).toEqual([['src/log.js', 2, 'fp']]);
    expect(h.repo.reviewComments[0]!.body).toContain('acme.no-debug-log');
    expect(h.standIn.violations).toEqual([]);
  });

  it('comments a configured Semgrep mode: taint rule with the path the value took', async () => {
    h = await startHarness({ config: 'semgrep_rules: [security/taint.yml]\n' });
    h.repo.setContent(
      'main',
      'security/taint.yml',
      'rules:\n  - id: acme.request-to-eval\n    mode: taint\n    message: Request input is evaluated as JavaScript on the server.\n    severity: ERROR\n    languages: [javascript]\n    pattern-sources:\n      - pattern: $REQ.query\n    pattern-sinks:\n      - pattern: vm.runInThisContext(...)\n',
    );
    const pull = h.repo.addPullRequest({
      number: 9,
      title: 'Formula endpoint',
      body: CLAUDE_BODY,
      user: 'dana',
      head: { ref: 'claude/issue-44-formula' },
      files: [
        {
          filename: 'src/formula.js',
          baseContent: 'export {};\n',
          content: "export {};\nexport const formula = (req) => {\n  const f = '(' + req.query.f + ')';\n  return vm.runInThisContext(f);\n};\n",
        },
      ],
      commits: [CLAUDE_COMMIT],
    });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect(run!.conclusion).toBe('failure');
    // The shipped vm rule reports the same line; the configured rule's comment carries the path.
    const mine = h.repo.reviewComments.filter((c) => c.body.includes('acme.request-to-eval'));
    expect(mine.map((c) => [c.path, c.line, parseMarker(c.body)?.kind])).toEqual([['src/formula.js', 4, 'fp']]);
    expect(mine[0]!.body).toContain('Path: `req.query` (line 3) → `f` (line 3) → `vm.runInThisContext(f)` (line 4)');
    expect(h.standIn.violations).toEqual([]);
  });

  it('passes a clean AI-authored pull request without writing a review', async () => {
    h = await startHarness();
    const pull = h.repo.addPullRequest({
      body: CLAUDE_BODY,
      head: { ref: 'claude/version' },
      files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: CLEAN_ADMIN }],
      commits: [CLAUDE_COMMIT],
    });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    expect(h.repo.checkRunsFor(pull.head.sha).map((r) => [r.conclusion, r.output.title])).toEqual([['success', 'No findings']]);
    expect(h.repo.reviews).toEqual([]);
    expect(h.standIn.violations).toEqual([]);
  });

  it('gives a human pull request a passing check that says it was not reviewed, without reading its files', async () => {
    h = await startHarness();
    const pull = h.repo.addPullRequest({
      user: 'dana',
      head: { ref: 'fix-typo' },
      files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: HEAD_ADMIN }],
    });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const [run] = h.repo.checkRunsFor(pull.head.sha);
    expect([run?.status, run?.conclusion]).toEqual(['completed', 'success']);
    expect(run?.output.title).toBe('Not reviewed: not AI-authored: no agent markers found');
    expect(run?.output.summary).toContain('**Not reviewed:');
    expect(h.standIn.requestsFor('pulls/list-files')).toEqual([]);
    expect(h.repo.reviews).toEqual([]);
    expect(h.standIn.violations).toEqual([]);
  });

  it('on a new push comments only new findings, resolves the thread of the fixed one and checks only the new head', async () => {
    h = await startHarness();
    const pull = h.repo.addPullRequest({
      number: 9,
      body: CLAUDE_BODY,
      head: { ref: 'claude/du' },
      files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: HEAD_ADMIN }],
      commits: [CLAUDE_COMMIT],
    });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    const firstHead = pull.head.sha;
    expect(h.repo.reviewComments).toHaveLength(2);

    // The push removes the credential check and adds a leaked key.
    const fixed = HEAD_ADMIN.replace("  if (req.query.token === 'letmein-2024') {", '  {').replace('export function du', "const KEY = 'AKIAZ7Q3XK2M4PLW9RTB';\nexport function du");
    h.repo.pushToPullRequest(9, { files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: fixed }], commits: [CLAUDE_COMMIT] });
    await h.deliver('pull_request', 'synchronize', pull);
    await h.idle();

    expect(h.repo.checkRunsFor(firstHead).map((r) => r.conclusion)).toEqual(['failure']);
    const newRuns = h.repo.checkRunsFor(pull.head.sha);
    expect(newRuns.map((r) => [r.conclusion, r.output.title])).toEqual([['failure', '2 findings at or above high']]);
    expect(h.repo.reviews.filter((r) => parseMarker(r.body)?.kind === 'review')).toHaveLength(2);
    const roots = h.repo.reviewComments.filter((c) => c.inReplyToId === null);
    const rules = roots.map((c) => /<code>([a-z0-9.-]+)<\/code>/.exec(c.body)?.[1]);
    expect(rules).toEqual(['js.backdoor.hardcoded-credential-check', 'js.injection.child-process-exec', 'secrets.aws-access-key-id']);
    const credentialThread = h.repo.threads.find((t) => t.rootCommentId === roots[0]!.id)!;
    const execThread = h.repo.threads.find((t) => t.rootCommentId === roots[1]!.id)!;
    expect(credentialThread.isResolved).toBe(true);
    expect(execThread.isResolved).toBe(false);
    const replies = h.repo.reviewComments.filter((c) => c.inReplyToId === roots[0]!.id);
    expect(replies.map((r) => r.body.split('\n')[0])).toEqual([`Fixed in \`${pull.head.sha.slice(0, 7)}\`: Airlock no longer finds this.`]);

    // The same event again (a redelivery with a new id) changes nothing.
    const before = { runs: h.repo.checkRuns.length, comments: h.repo.reviewComments.length };
    await h.deliver('pull_request', 'synchronize', pull);
    await h.idle();
    expect({ runs: h.repo.checkRuns.length, comments: h.repo.reviewComments.length }).toEqual(before);
    expect(h.standIn.violations).toEqual([]);
  });

  it('reviews when the AI label is added later and stops when it is removed', async () => {
    h = await startHarness({ config: 'review: ai\nai:\n  labels: [ai-generated]\n' });
    const pull = h.repo.addPullRequest({
      user: 'dana',
      files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: HEAD_ADMIN }],
    });
    await h.deliver('pull_request', 'opened', pull);
    await h.idle();
    h.repo.addLabel(pull.number, 'ai-generated');
    await h.deliver('pull_request', 'labeled', pull);
    await h.idle();
    h.repo.issueLabels.set(pull.number, []);
    await h.deliver('pull_request', 'unlabeled', pull);
    await h.idle();
    expect(h.repo.checkRunsFor(pull.head.sha).map((r) => r.conclusion)).toEqual(['success', 'failure', 'success']);
    expect(h.repo.checkRunsFor(pull.head.sha)[1]!.output.summary).toContain('label');
    expect(h.standIn.violations).toEqual([]);
  });

  it('rejects a webhook with a bad signature and ignores a redelivered one', async () => {
    h = await startHarness();
    const pull = h.repo.addPullRequest({ body: CLAUDE_BODY, files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: HEAD_ADMIN }] });
    const before = h.standIn.requests.length;
    const { adaptPayload, loadExamplePayload, targetForPullRequest } = await import('./webhooks.js');
    const payload = adaptPayload(loadExamplePayload('pull_request', 'opened'), targetForPullRequest(h.repo, pull, h.standIn));
    const forged = await h.deliverRaw('pull_request', payload, { signature: `sha256=${'0'.repeat(64)}` });
    expect(forged.status).toBe(400);
    await h.idle();
    expect(h.standIn.requests.length).toBe(before);

    const first = await h.deliverRaw('pull_request', payload, { deliveryId: 'delivery-1' });
    const again = await h.deliverRaw('pull_request', payload, { deliveryId: 'delivery-1' });
    expect([first.status, again.status]).toEqual([200, 200]);
    await h.idle();
    expect(h.repo.checkRuns).toHaveLength(1);
    expect(h.repo.reviews).toHaveLength(1);
    expect(calls(h.standIn).filter((c) => c === 'checks/create')).toHaveLength(1);
    expect(h.standIn.violations).toEqual([]);
  });
});

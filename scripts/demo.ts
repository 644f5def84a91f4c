// `npm run demo`: the GitHub App end to end, without a GitHub account. It starts the local
// GitHub stand-in (the one the tests use), starts the real app (Probot, over HTTP) pointed
// at it, opens an AI-authored pull request that plants a backdoor (the change in
// examples/agent-pr), delivers GitHub's signed webhook, and prints the check run and the
// review comments the app wrote. Compiled by tsconfig.demo.json, run from dist/demo.
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProbot } from 'probot';
import { createAirlockApp } from '../src/github/app.js';
import { octokitWithWriteSpacing } from '../src/github/octokit.js';
import { createWebhookServer } from '../src/github/server.js';
import { PACKAGE_ROOT } from '../src/io/package-root.js';
import { startStandIn } from '../test/github/stand-in/server.js';
import { adaptPayload, deliverWebhook, loadExamplePayload, targetForPullRequest } from '../test/github/webhooks.js';

const SECRET = 'demo-webhook-secret';

function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const full = join(at, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(dir, full).split('\\').join('/'), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

function indent(text: string, prefix = '    '): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n');
}

/** Runs the demo and returns what it printed (the test checks it). */
export async function runDemo(print: (line: string) => void = console.log): Promise<string> {
  const lines: string[] = [];
  const say = (line = '') => {
    lines.push(line);
    print(line);
  };
  const standIn = await startStandIn();
  const repo = standIn.state.addRepo({ owner: 'acme', name: 'billing', ownerType: 'Organization' });
  repo.setContent('main', '.github/airlock.yml', 'review: ai\nfail_on: high\ncomments:\n  max: 20\n');
  const example = join(PACKAGE_ROOT, 'examples', 'agent-pr');
  const base = filesUnder(join(example, 'base'));
  const change = filesUnder(join(example, 'change'));
  const pull = repo.addPullRequest({
    number: 42,
    title: 'Add admin disk usage endpoint',
    body: 'Lets support staff check a customer export folder.\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)',
    user: 'dana',
    head: { ref: 'claude/issue-42-admin-disk-usage' },
    files: [...change].map(([filename, content]) => (base.has(filename) ? { filename, baseContent: base.get(filename)!, content } : { filename, content })),
    commits: [{ message: 'Add admin disk usage endpoint\n\nCo-Authored-By: Claude <noreply@anthropic.com>' }],
  });

  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  // One review to show; the reaper of abandoned checks would only add its calls to the list.
  const airlock = createAirlockApp({ reaper: false });
  const probot = createProbot({
    env: { APP_ID: '1', PRIVATE_KEY: privateKey, WEBHOOK_SECRET: SECRET, GHE_HOST: standIn.host, GHE_PROTOCOL: 'http', LOG_LEVEL: 'fatal' },
    // GitHub wants writes spaced (Probot: 1 s, 3 s for comments); the stand-in does not care.
    overrides: { Octokit: octokitWithWriteSpacing(0, 0) },
  });
  const server = await createWebhookServer({ probot, app: airlock.app, secret: SECRET });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;

  try {
    say(`GitHub stand-in on ${standIn.url}; Airlock app (Probot) on ${hookUrl}`);
    say(`Pull request acme/billing#42 "${pull.title}" from ${pull.head.ref}: ${pull.files.map((f) => f.filename).join(', ')}`);
    const payload = adaptPayload(loadExamplePayload('pull_request', 'opened'), targetForPullRequest(repo, pull, standIn));
    (payload.pull_request as Record<string, unknown>).changed_files = pull.files.length;
    const started = performance.now();
    const delivered = await deliverWebhook(hookUrl, { event: 'pull_request', payload, secret: SECRET });
    say(`Webhook pull_request.opened answered ${delivered.status} in ${Math.round(delivered.durationMs)} ms; the review runs after the answer.`);
    await airlock.idle();
    say(`Review finished ${Math.round(performance.now() - started)} ms after the webhook.`);

    for (const run of repo.checkRunsFor(pull.head.sha)) {
      say('');
      say(`== Check run "${run.name}" on ${run.headSha.slice(0, 7)}: ${run.status}, conclusion ${run.conclusion}`);
      say(`   title: ${run.output.title}`);
      say(`   ${run.annotations.length} annotations, sent in ${run.history.length - 1} update(s) after the in-progress create`);
      say('   summary (markdown, as GitHub renders it on the Checks tab):');
      say(indent(run.output.summary ?? ''));
    }
    for (const review of repo.reviews) {
      say('');
      say(`== Review by ${review.user.login} (${review.state}) on ${review.commitId.slice(0, 7)}:`);
      say(indent(review.body));
      for (const comment of repo.reviewComments.filter((c) => c.reviewId === review.id)) {
        say('');
        say(`-- inline comment on ${comment.path}:${comment.line} (${comment.side})`);
        say(indent(comment.body));
      }
    }
    say('');
    say(`== API calls the app made (${standIn.requests.length}), every one validated against GitHub's OpenAPI description:`);
    say(indent(standIn.requests.map((r) => `${r.status} ${r.method} ${r.operationId ?? r.path}`).join('\n')));
    say(`   violations: ${standIn.violations.length}`);
  } finally {
    await airlock.idle();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await standIn.close();
  }
  return lines.join('\n');
}

const invokedDirectly = process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url;
if (invokedDirectly) {
  runDemo().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

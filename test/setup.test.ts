// `npm run setup` registers the app on the organisation GH_ORG (github.com or GHE_HOST)
// with the manifest from app.yml and the webhook URL the server answers on; it refuses to
// start, one line per problem, without a usable WEBHOOK_URL.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/io/package-root.js';
import { setupSettings } from '../src/github/setup.js';
import { closedPort } from './github/closed-port.js';

const entry = join(PACKAGE_ROOT, 'dist', 'setup.js');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function workDir(withManifest = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-setup-'));
  dirs.push(dir);
  if (withManifest) copyFileSync(join(PACKAGE_ROOT, 'app.yml'), join(dir, 'app.yml'));
  return dir;
}

async function setupPage(env: Record<string, string>): Promise<{ action: string; manifest: Record<string, unknown> }> {
  const port = await closedPort();
  const child = spawn(process.execPath, [entry], { cwd: workDir(), env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', PORT: String(port), ...env }, stdio: 'ignore' });
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const html = await (await fetch(`http://127.0.0.1:${port}/probot`)).text();
        const action = /<form action="([^"]+)"/.exec(html)?.[1];
        const manifest = /name="manifest" id="manifest" value='([^']+)'/.exec(html)?.[1];
        if (!action || !manifest) throw new Error(`no manifest form on the setup page: ${html.slice(0, 200)}`);
        return { action, manifest: JSON.parse(manifest) as Record<string, unknown> };
      } catch (error) {
        if ((error as Error).message.startsWith('no manifest form') || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    child.kill();
  }
}

describe('npm run setup', () => {
  it("offers GitHub the manifest for the organisation, with the server's webhook URL", async () => {
    const { action, manifest } = await setupPage({ GH_ORG: 'acme', WEBHOOK_URL: 'https://airlock.example.com/api/github/webhooks' });
    expect(action).toBe('https://github.com/organizations/acme/settings/apps/new');
    expect(manifest).toMatchObject({
      name: 'Airlock',
      public: false,
      hook_attributes: { url: 'https://airlock.example.com/api/github/webhooks' },
      default_events: expect.arrayContaining(['pull_request', 'issue_comment', 'merge_group']),
      default_permissions: expect.objectContaining({ checks: 'write', issues: 'read', merge_queues: 'read' }),
    });
    expect(manifest.redirect_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/probot\/setup$/);
  });

  it('registers on GitHub Enterprise Server with GHE_HOST, on a custom WEBHOOK_PATH', async () => {
    const { action, manifest } = await setupPage({ GH_ORG: 'acme', GHE_HOST: 'ghe.example.com', WEBHOOK_PATH: '/hooks/airlock', WEBHOOK_URL: 'https://airlock.example.com/hooks/airlock' });
    expect(action).toBe('https://ghe.example.com/organizations/acme/settings/apps/new');
    expect(manifest.hook_attributes).toEqual({ url: 'https://airlock.example.com/hooks/airlock' });
  });

  it('refuses to start without a webhook URL on the right path, one line per problem', () => {
    const missing = spawnSync(process.execPath, [entry], { cwd: workDir(false), env: { PATH: process.env.PATH }, encoding: 'utf8', timeout: 20_000 });
    expect(missing.status).toBe(1);
    expect(missing.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^airlock setup: WEBHOOK_URL is not set: /),
      expect.stringMatching(/^airlock setup: app.yml is not in the working directory/),
    ]);
    const { problems } = setupSettings({ WEBHOOK_URL: 'https://airlock.example.com/', GH_ORG: 'not an org', APP_ID: '12' }, PACKAGE_ROOT);
    expect(problems).toEqual([
      "WEBHOOK_URL's path is /, but the server answers webhooks on /api/github/webhooks (WEBHOOK_PATH): end WEBHOOK_URL with /api/github/webhooks",
      'GH_ORG is not an organisation login: not an org',
      'APP_ID is already set (in the environment or .env): the app is registered; remove it to register another',
    ]);
    expect(setupSettings({ WEBHOOK_URL: 'https://airlock.example.com/api/github/webhooks' }, PACKAGE_ROOT)).toEqual({ problems: [], webhookUrl: 'https://airlock.example.com/api/github/webhooks' });
  });
});

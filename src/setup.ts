// `npm run setup`: registers the app from app.yml with Probot's manifest flow, on an
// organisation (GH_ORG) or a personal account, on github.com or GitHub Enterprise Server
// (GHE_HOST), with the webhook URL where `npm start` will be reachable (WEBHOOK_URL, on the
// server's webhook path). Probot's own setup would register the setup page's local address
// (or a smee.io channel) on `/`, which GitHub cannot deliver to in production.
// When GitHub hands back the credentials, Probot writes APP_ID, PRIVATE_KEY and
// WEBHOOK_SECRET to `.env` in the working directory; stop this then and run `npm start`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { run } from 'probot';
import { createAirlockApp } from './github/app.js';
import { setupSettings } from './github/setup.js';

async function main(): Promise<void> {
  const cwd = process.cwd();
  const fromFile = existsSync(join(cwd, '.env')) ? parseEnv(readFileSync(join(cwd, '.env'), 'utf8')) : {};
  const env = { ...process.env, ...fromFile };
  const { problems, webhookUrl } = setupSettings(env, cwd);
  if (problems.length > 0) {
    for (const line of problems) process.stderr.write(`airlock setup: ${line}\n`);
    process.exit(1);
  }
  // Probot's manifest takes its webhook URL from WEBHOOK_PROXY_URL; the server itself must
  // not treat it as a proxy to connect to, so the server options are read without it.
  process.env.WEBHOOK_PROXY_URL = webhookUrl;
  process.env.NO_SMEE_SETUP = 'true';
  const { WEBHOOK_PROXY_URL: _proxy, ...serverEnv } = env;
  await run(createAirlockApp().app, { env: { ...serverEnv, HOST: env.HOST || '127.0.0.1' } });
}

main().catch((error: unknown) => {
  process.stderr.write(`airlock setup: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
  process.exit(1);
});

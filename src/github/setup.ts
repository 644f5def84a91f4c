// What `npm run setup` needs before it registers the app: the public webhook URL on the
// server's webhook path, an organisation login if one is given, the manifest, and no app yet.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_WEBHOOKS_PATH } from './server.js';

/** What the setup needs, or one line per problem. */
export function setupSettings(env: NodeJS.ProcessEnv, cwd: string): { problems: string[]; webhookUrl?: string } {
  const problems: string[] = [];
  const path = env.WEBHOOK_PATH || DEFAULT_WEBHOOKS_PATH;
  let webhookUrl: string | undefined;
  if (!env.WEBHOOK_URL) {
    problems.push(`WEBHOOK_URL is not set: set it to the public URL GitHub will deliver webhooks to, e.g. https://airlock.example.com${path}`);
  } else {
    let url: URL | null = null;
    try {
      url = new URL(env.WEBHOOK_URL);
    } catch {
      problems.push(`WEBHOOK_URL is not a URL: ${env.WEBHOOK_URL.slice(0, 100)}`);
    }
    if (url && url.protocol !== 'https:' && url.protocol !== 'http:') problems.push(`WEBHOOK_URL must be an https URL: ${env.WEBHOOK_URL.slice(0, 100)}`);
    else if (url && url.pathname !== path) problems.push(`WEBHOOK_URL's path is ${url.pathname}, but the server answers webhooks on ${path} (WEBHOOK_PATH): end WEBHOOK_URL with ${path}`);
    else if (url) webhookUrl = url.href;
  }
  if (env.GH_ORG !== undefined && !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(env.GH_ORG)) problems.push(`GH_ORG is not an organisation login: ${env.GH_ORG.slice(0, 40)}`);
  if (!existsSync(join(cwd, 'app.yml'))) problems.push('app.yml is not in the working directory: run `npm run setup` from the Airlock package directory');
  if (env.APP_ID) problems.push('APP_ID is already set (in the environment or .env): the app is registered; remove it to register another');
  return webhookUrl ? { problems, webhookUrl } : { problems };
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRuleDocsBase, parseDocsBase, repositoryWebUrl } from '../core/docs/links.js';
import { PACKAGE_ROOT } from './package-root.js';

const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string; homepage?: string; repository?: unknown };

/** The project's repository on GitHub, from package.json `repository`. */
export const REPOSITORY_URL = repositoryWebUrl(pkg.repository);

export const TOOL = {
  name: 'airlock' as const,
  version: pkg.version,
  ...(REPOSITORY_URL ? { informationUri: REPOSITORY_URL } : {}),
};

/** The environment variable that moves the rule pages (a fork or a mirror hosting its own). */
export const DOCS_URL_ENV = 'AIRLOCK_DOCS_URL';

/**
 * The folder of the rule pages: `override` (--docs-url), else AIRLOCK_DOCS_URL, else docs/rules on
 * the `main` branch of the repository package.json names; null when none of them says where.
 */
export function ruleDocsBase(env: NodeJS.ProcessEnv, override?: string): string | null {
  if (override !== undefined) return parseDocsBase(override, '--docs-url');
  const fromEnv = env[DOCS_URL_ENV]?.trim();
  if (fromEnv) return parseDocsBase(fromEnv, DOCS_URL_ENV);
  return REPOSITORY_URL ? defaultRuleDocsBase(REPOSITORY_URL) : null;
}

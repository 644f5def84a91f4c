// Where a rule's documentation page lives. Pages are generated into docs/rules/ (one file per
// shipped rule, `npm run docs`); every output that names a rule links its page: check summary,
// inline comments, annotations and SARIF `helpUri`. The base is configurable (a fork or a
// mirror hosts its own pages); an organisation's own rules have no page and get no link.

/** The rule pages' folder and file-name scheme, as everything that links to them uses it. */
export const RULE_DOCS_DIR = 'docs/rules';
/** The page that lists every rule. */
export const RULE_DOCS_INDEX = 'README.md';

/** Shipped rule pages the outputs of a review can link to. */
export interface RuleDocs {
  /** URL of the folder holding the pages, without a trailing slash. */
  baseUrl: string;
  /** Ids of the rules that have a page (the shipped ones). */
  documented: ReadonlySet<string>;
}

const SAFE = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * The page's file name for a rule id. Ids are lowercase letters, digits, `-`, `_` and `.`, and
 * such an id is its own name (`js.injection.eval.md`). Anything else (upper case, which would
 * collide on a case-insensitive file system; `/`; a leading dot) is written as `~XX` hex escapes,
 * so two ids never share a file and no name leaves the folder.
 */
export function ruleDocFileName(id: string): string {
  if (SAFE.test(id) && !id.endsWith('.')) return `${id}.md`;
  let out = '';
  for (const ch of id) {
    if (/[a-z0-9_-]/.test(ch) || (ch === '.' && out !== '')) out += ch;
    else for (const byte of new TextEncoder().encode(ch)) out += `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `${out}.md`;
}

/** The page of a rule, or null when the rule has none (an organisation's own rules). */
export function ruleDocUrl(docs: RuleDocs | undefined, ruleId: string): string | null {
  if (!docs || !docs.documented.has(ruleId)) return null;
  return `${docs.baseUrl}/${ruleDocFileName(ruleId)}`;
}

/** The page listing every rule. */
export function ruleIndexUrl(docs: RuleDocs | undefined): string | null {
  return docs ? `${docs.baseUrl}/${RULE_DOCS_INDEX}` : null;
}

/**
 * The web address of a package.json `repository` (a string, `github:owner/name`,
 * `owner/name`, or `{ url }` with `git+https://….git`); null when it names no GitHub repository.
 */
export function repositoryWebUrl(repository: unknown): string | null {
  const raw = typeof repository === 'string' ? repository : typeof repository === 'object' && repository !== null ? (repository as { url?: unknown }).url : null;
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  const short = /^(?:github:)?([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+)$/.exec(text);
  const long = /^(?:git\+)?(?:https?|git|ssh):\/\/(?:git@)?github\.com[/:]([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(text);
  const scp = /^git@github\.com:([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+?)(?:\.git)?$/.exec(text);
  const m = short ?? long ?? scp;
  return m ? `https://github.com/${m[1]}/${m[2]!.replace(/\.git$/, '')}` : null;
}

/** The default folder of the rule pages: the repository's `main` branch on GitHub. */
export function defaultRuleDocsBase(repositoryUrl: string): string {
  return `${repositoryUrl}/blob/main/${RULE_DOCS_DIR}`;
}

/**
 * A configured base (AIRLOCK_DOCS_URL, --docs-url): an http(s) URL, kept without its trailing
 * slash. Anything else is an error naming the setting, so a typo does not make every link dead.
 */
export function parseDocsBase(value: string, setting: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`${setting} must be an http(s) URL of the folder holding the rule pages, not "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`${setting} must be an http(s) URL of the folder holding the rule pages, not "${value}"`);
  }
  return url.href.replace(/\/+$/, '');
}

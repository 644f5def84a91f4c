// A project's scripts and CI fetch from the project itself: its own installer from its own
// repository is not a third party's code, and flagging it teaches reviewers to ignore the rule.

const URL_IN_TEXT = /https?:\/\/[^\s"'`)|;<>]+/gi;

/**
 * Whether every URL on the line is an https URL into `repository` (`owner/name`) on GitHub: its
 * files, raw files, releases, or its GitHub Pages site. False when the line has no URL at all.
 */
export function fetchesOnlyFrom(line: string, repository: string): boolean {
  const [owner, name] = repository.toLowerCase().split('/');
  if (!owner || !name) return false;
  const own = [`https://github.com/${owner}/${name}/`, `https://raw.githubusercontent.com/${owner}/${name}/`, `https://${owner}.github.io/${name}/`];
  const urls = line.match(URL_IN_TEXT) ?? [];
  return urls.length > 0 && urls.every((url) => own.some((prefix) => url.toLowerCase().startsWith(prefix)));
}

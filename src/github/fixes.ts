// Completes the mechanical fixes the core could only declare: an action pinned by tag gets the
// commit that tag points to, asked of GitHub (`GET /repos/{owner}/{repo}/git/ref/tags/{tag}`, an
// annotated tag peeled with `GET /repos/{owner}/{repo}/git/tags/{sha}`). A ref that is not a tag
// (a branch moves: pinning it is a decision, not a mechanical fix) or that cannot be read gets no
// suggestion; the finding keeps its advice in words.
import type { ActionCommitNeed, Finding } from '../core/model.js';
import type { Report } from '../core/render/index.js';
import type { GitHub } from './octokit.js';

const SHA = /^[0-9a-f]{40}$/;
/** Tags pointing at tags, peeled at most this deep. */
const MAX_PEEL = 3;
/** Distinct actions resolved per review: a workflow rarely uses more. */
const MAX_RESOLVED = 50;

export type TagResolver = (repository: string, tag: string) => Promise<string | null>;

/** The commit a tag of a repository points to, or null when the repository has no such tag or cannot be read. */
export function githubTagResolver(octokit: GitHub): TagResolver {
  return async (repository, tag) => {
    const [owner, repo] = repository.split('/') as [string, string];
    try {
      const { data } = await octokit.rest.git.getRef({ owner, repo, ref: `tags/${tag}` });
      let object = data.object;
      for (let depth = 0; object.type === 'tag' && depth < MAX_PEEL; depth++) {
        object = (await octokit.rest.git.getTag({ owner, repo, tag_sha: object.sha })).data.object;
      }
      return object.type === 'commit' && SHA.test(object.sha) ? object.sha : null;
    } catch (error) {
      const status = (error as { status?: number }).status;
      // Not there, not readable, or GitHub failing: no suggestion, never a failed review.
      if (typeof status === 'number') return null;
      throw error;
    }
  };
}

function pinned(need: ActionCommitNeed, sha: string): string {
  const comment = need.suffix.includes('#') ? '' : ` # ${need.ref}`;
  const trimmed = need.suffix.replace(/\s+$/, '');
  return `${need.prefix}${sha}${trimmed}${comment}`;
}

/** The report with every declared fix need resolved into a replacement where it can be. */
export async function resolveFixNeeds(report: Report, resolve: TagResolver): Promise<Report> {
  const wanted = report.result.findings.filter((f) => f.fix?.needs && f.fix.replacement === undefined);
  if (wanted.length === 0) return report;
  const cache = new Map<string, Promise<string | null>>();
  const commitOf = (need: ActionCommitNeed): Promise<string | null> => {
    const key = `${need.repository.toLowerCase()}@${need.ref}`;
    let pending = cache.get(key);
    if (!pending) {
      pending = cache.size < MAX_RESOLVED ? resolve(need.repository, need.ref) : Promise.resolve(null);
      cache.set(key, pending);
    }
    return pending;
  };
  const findings: Finding[] = await Promise.all(
    report.result.findings.map(async (f) => {
      const need = f.fix?.needs;
      if (!need || f.fix?.replacement !== undefined) return f;
      const sha = await commitOf(need);
      return sha ? { ...f, fix: { ...f.fix!, replacement: pinned(need, sha) } } : f;
    }),
  );
  return { ...report, result: { ...report.result, findings } };
}

// Pull request contents shared by the app's scenario tests.
import type { PullFileInput, PullRequestInput, RepoState } from './stand-in/state.js';

export const BASE_ADMIN = ['export function health(_req, res) {', "  res.send('ok');", '}', ''].join('\n');
export const HEAD_ADMIN = [
  "import { exec } from 'node:child_process';",
  'export function health(_req, res) {',
  "  res.send('ok');",
  '}',
  'export function du(req, res) {',
  "  if (req.query.token === 'letmein-2024') {",
  "    exec('du -sh /exports/' + req.query.customer, (_e, out) => res.send(out));",
  '  }',
  '}',
  '',
].join('\n');
export const CLEAN_ADMIN = [...BASE_ADMIN.split('\n').slice(0, 3), 'export const version = 2;', ''].join('\n');

export const CLAUDE_BODY = 'Adds a disk usage endpoint.\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)';
export const CLAUDE_COMMIT = { message: 'Add du endpoint\n\nCo-Authored-By: Claude <noreply@anthropic.com>' };

/** An AI-authored pull request (Claude Code markers) whose change has two high findings. */
export function addAiPull(repo: RepoState, extra: PullRequestInput = {}) {
  return repo.addPullRequest({
    body: CLAUDE_BODY,
    user: 'dana',
    head: { ref: 'claude/change' },
    files: [{ filename: 'src/admin.js', baseContent: BASE_ADMIN, content: HEAD_ADMIN }],
    commits: [CLAUDE_COMMIT],
    ...extra,
  });
}

/** Small added files, `src/gen/file-NNNN.js`; those at the indices in `withFinding` hold a key (one finding each). */
export function smallFiles(count: number, withFinding: readonly number[]): PullFileInput[] {
  return Array.from({ length: count }, (_, i) => ({
    filename: `src/gen/file-${String(i).padStart(4, '0')}.js`,
    content: withFinding.includes(i) ? `export const k${i} = 'AKIAZ7Q3XK2M4PLW9RTB';\n` : `export const v${i} = ${i};\n`,
  }));
}

/** The 20-file pull request of the call counts: 10 modified files (read from GitHub) and 10 added (rebuilt from their patch). */
export function twentyFiles(): PullFileInput[] {
  return [
    ...Array.from({ length: 10 }, (_, i) => ({ filename: `src/mod-${i}.js`, baseContent: BASE_ADMIN, content: i === 0 ? HEAD_ADMIN : `${BASE_ADMIN}export const n${i} = ${i};\n` })),
    ...smallFiles(10, [3]),
  ];
}

/** GitHub calls of a review of `twentyFiles()`, by endpoint, with or without Redis: 8 in all. */
export const TWENTY_FILE_REVIEW_CALLS: Readonly<Record<string, number>> = {
  'checks/create': 1,
  'pulls/list-commits': 1,
  'pulls/list-files': 1,
  // The configuration, the app's latest check run on the head (same inputs reviewed already?),
  // the pull request's state, the comments (with their editors) and the replies in findings'
  // threads (allowances); the 10 modified files' contents; the head, threads and reviews before publishing.
  graphql: 3,
  'pulls/create-review': 1,
  'checks/update': 1,
};

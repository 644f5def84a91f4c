// Pull request contents shared by the app's scenario tests.
import type { PullRequestInput, RepoState } from './stand-in/state.js';

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

// `npm run sample`: builds a small git repository in a temporary folder with an
// AI-authored change (Claude Code trailers, a claude/ branch) that plants a backdoor,
// a leaked key, an install-time payload, a typosquat, hidden instructions and a
// workflow injection — then runs `airlock scan` on it, exactly as a user would.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const example = join(root, 'examples', 'agent-pr');
const dir = mkdtempSync(join(tmpdir(), 'airlock-sample-'));
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Dana Developer',
  GIT_AUTHOR_EMAIL: 'dana@example.com',
  GIT_COMMITTER_NAME: 'Dana Developer',
  GIT_COMMITTER_EMAIL: 'dana@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};
const git = (...args) => execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: dir, env, stdio: 'pipe' });

git('init', '-q', '-b', 'main');
cpSync(join(example, 'base'), dir, { recursive: true });
git('add', '-A');
git('commit', '-q', '-m', 'Billing service');
git('checkout', '-q', '-b', 'claude/issue-42-admin-disk-usage');
cpSync(join(example, 'change'), dir, { recursive: true });
git('add', '-A');
git(
  'commit',
  '-q',
  '-m',
  'Add admin disk usage endpoint\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\nCo-Authored-By: Claude <noreply@anthropic.com>',
);

const format = process.argv[2] ?? 'text';
console.log(`$ airlock scan --repo ${dir} --base main --format ${format}\n`);
const run = spawnSync(process.execPath, [join(root, 'bin', 'airlock.js'), 'scan', '--repo', dir, '--base', 'main', '--format', format], {
  stdio: 'inherit',
});
console.log(`\nairlock exited with ${run.status} (0 pass, 1 blocking findings, 2 error)`);
rmSync(dir, { recursive: true, force: true });

// `mode: observe` in the CLI: the verdict is printed, the exit code is 0.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { cleanupRepos, makeRepo } from '../helpers/git-repo.js';

const configDir = mkdtempSync(join(tmpdir(), 'airlock-mode-'));
afterAll(() => {
  cleanupRepos();
  rmSync(configDir, { recursive: true, force: true });
});

function aiChange() {
  const repo = makeRepo({ defaultBranch: 'main' });
  repo.write('src/run.js', 'export const a = 1;\n');
  repo.commit('initial');
  repo.branch('feature');
  repo.write('src/run.js', "import { exec } from 'node:child_process';\nexport function run(req) {\n  exec('ls ' + req.query.dir);\n}\n");
  repo.commit('Run it\n\nCo-Authored-By: Claude <noreply@anthropic.com>');
  return repo;
}

describe('mode in the CLI', () => {
  it('observe exits 0 and prints what enforce would do; enforce exits 1', async () => {
    const repo = aiChange();
    const observe = join(configDir, 'airlock.yml');
    writeFileSync(observe, 'mode: observe\n');
    const watched = await runCli(['scan', '--repo', repo.dir, '--base', 'main', '--config', observe]);
    expect(watched.stderr).toBe('');
    expect(watched.code).toBe(0);
    expect(watched.stdout).toContain('verdict: neutral · observe mode: Observe mode, would fail: 1 finding at or above high');
    const enforced = await runCli(['scan', '--repo', repo.dir, '--base', 'main']);
    expect(enforced.code).toBe(1);
    expect(enforced.stdout).toContain('verdict: failure');
  });
});

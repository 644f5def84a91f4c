// The CLI as a gate: what a change under review must not be able to slip past it.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { cleanupRepos, makeRepo } from '../helpers/git-repo.js';
import { billionLaughs } from '../helpers/yaml-bomb.js';

afterAll(cleanupRepos);

const run = runCli;

const AI_MESSAGE = 'Change runner\n\nCo-Authored-By: Claude <noreply@anthropic.com>';
const EXEC_RULE = 'js.injection.child-process-exec';
const IGNORE = `// airlock-ignore ${EXEC_RULE} -- reviewed`;

/** `main` holds `path` with `base`; `feature` changes it to `head` in an AI-authored commit. */
function changeOf(path: string, base: string, head: string) {
  const repo = makeRepo({ defaultBranch: 'main' });
  repo.write(path, base);
  repo.commit('initial');
  repo.branch('feature');
  repo.write(path, head);
  repo.commit(AI_MESSAGE);
  return repo;
}

interface JsonFinding {
  ruleId: string;
  line: number;
  endLine: number;
}

// The exec calls below take a variable, not request input: the rule reports them at medium
// confidence, so these runs block from medium confidence on to see what a suppression leaves.
async function scanJson(repoDir: string, extra: string[] = []) {
  const result = await run(['scan', '--repo', repoDir, '--base', 'main', '--format', 'json', '--fail-confidence', 'medium', ...extra]);
  const json = JSON.parse(result.stdout || '{}');
  const execFindings: JsonFinding[] = (json.findings ?? []).filter((f: JsonFinding) => f.ruleId === EXEC_RULE);
  return { ...result, json, execLines: execFindings.map((f) => [f.line, f.endLine]) };
}

const lines = (...l: string[]) => `${l.join('\n')}\n`;
const IMPORT = "import { exec } from 'node:child_process';";

describe('base suppressions cover only the base lines they covered', () => {
  it('does not cover a line the change inserts between the comment and the old line', async () => {
    const repo = changeOf(
      'src/status.js',
      lines(IMPORT, IGNORE, "exec('git status --short ' + flags);"),
      lines(IMPORT, IGNORE, 'exec(req.query.cmd);', "exec('git status --short ' + flags);"),
    );
    const { code, json, execLines } = await scanJson(repo.dir);
    expect(execLines).toEqual([[3, 3]]);
    expect(json.summary.suppressed).toEqual([]);
    expect(code).toBe(1);
  });

  it('does not cover the line below an unchanged comment when the change rewrites that line', async () => {
    const repo = changeOf(
      'src/status.js',
      lines(IMPORT, IGNORE, "exec('git status --short ' + flags);"),
      lines(IMPORT, IGNORE, 'exec(req.query.cmd);'),
    );
    const { code, execLines } = await scanJson(repo.dir);
    expect(execLines).toEqual([[3, 3]]);
    expect(code).toBe(1);
  });

  it('does not let a same-line suppression cover its own line once the change rewrites it', async () => {
    const repo = changeOf(
      'src/status.js',
      lines(IMPORT, `exec('git status ' + flags); ${IGNORE}`),
      lines(IMPORT, `exec(req.query.cmd); ${IGNORE}`),
    );
    const { code, execLines } = await scanJson(repo.dir);
    expect(execLines).toEqual([[2, 2]]);
    expect(code).toBe(1);
  });

  it('does not carry a suppression onto the next line when the line it covered is deleted', async () => {
    // Base: the comment covers `log()`; the change deletes it, so the call below moves up
    // under the comment, and edits the call's callback.
    const repo = changeOf(
      'src/status.js',
      lines(IMPORT, IGNORE, 'log();', "exec('git status ' + flags, (err, out) => {", '  console.log(out);', '});'),
      lines(IMPORT, IGNORE, "exec('git status ' + flags, (err, out) => {", '  console.log(out.trim());', '});'),
    );
    const { code, json, execLines } = await scanJson(repo.dir);
    expect(execLines).toEqual([[3, 5]]);
    expect(json.summary.suppressed).toEqual([]);
    expect(code).toBe(1);
  });

  it('still covers an unchanged suppressed line, also when lines above it were deleted', async () => {
    // The call starts on the base line under the comment; only its callback changes.
    const repo = changeOf(
      'src/status.js',
      lines('// one', '// two', IMPORT, IGNORE, "exec('git status ' + flags, (err, out) => {", '  console.log(out);', '});'),
      lines(IMPORT, IGNORE, "exec('git status ' + flags, (err, out) => {", '  console.log(out.trim());', '});'),
    );
    const { code, json } = await scanJson(repo.dir);
    expect(json.findings).toEqual([]);
    expect(json.summary.suppressed).toEqual([expect.objectContaining({ rule: EXEC_RULE, line: 3, suppressionLine: 2, reason: 'reviewed' })]);
    expect(code).toBe(0);
  });
});

describe('configuration files', () => {
  it('refuses a "billion laughs" config with a one-line config error naming the file', async () => {
    const repo = changeOf('src/a.js', lines('export const a = 1;'), lines('export const a = 2;'));
    const dir = mkdtempSync(join(tmpdir(), 'airlock-config-'));
    writeFileSync(join(dir, 'laughs.yml'), billionLaughs());
    const { code, stdout, stderr } = await run(['scan', '--repo', repo.dir, '--base', 'main', '--config', join(dir, 'laughs.yml')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^airlock: .*laughs\.yml: invalid YAML: its aliases expand too far[^\n]*\n$/);
    expect(stderr).not.toContain('internal error');
  });
});

describe('output', () => {
  it('stops quietly when the reader closes the pipe early (airlock scan | head -1), keeping the review\'s exit code', async () => {
    // Thousands of findings: far more text than a pipe buffers.
    const calls = Array.from({ length: 3000 }, (_, i) => `exec('ls ' + x${i});`);
    const repo = changeOf('src/run.js', lines(IMPORT), lines(IMPORT, ...calls));
    const bin = join(process.cwd(), 'bin', 'airlock.js');
    const child = spawn(process.execPath, [bin, 'scan', '--repo', repo.dir, '--base', 'main', '--fail-confidence', 'medium'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let firstLine = '';
    child.stdout.once('data', (chunk: Buffer) => {
      firstLine = chunk.toString().split('\n')[0]!;
      child.stdout.destroy(); // what `head -1` does after its line
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(firstLine).toMatch(/^Airlock /);
    expect(stderr).toBe('');
    expect(code).toBe(1);
  });
});

describe('--config-from-base', () => {
  const CONFIG = '.github/airlock.yml';
  const EXEC_CALL = "export const run = (x) => exec('ls ' + x);";

  /** `main` has `baseConfig` (when given); `feature` rewrites it to turn the exec rule off and adds an exec call. */
  function selfRelaxingChange(baseConfig: string | null) {
    const repo = makeRepo({ defaultBranch: 'main' });
    repo.write('README.md', '# app\n');
    if (baseConfig !== null) repo.write(CONFIG, baseConfig);
    repo.commit('initial');
    repo.branch('feature');
    repo.write(CONFIG, `rules:\n  ${EXEC_RULE}: off\n`);
    repo.write('src/run.js', lines(IMPORT, EXEC_CALL));
    repo.commit(AI_MESSAGE);
    return repo;
  }

  it('reads .github/airlock.yml from the base ref, not from the change under review', async () => {
    const repo = selfRelaxingChange(`rules:\n  ${EXEC_RULE}: { severity: critical }\n`);
    const { code, stderr, json } = await scanJson(repo.dir, ['--config-from-base']);
    expect(stderr).toBe('');
    expect(json.findings).toContainEqual(expect.objectContaining({ ruleId: EXEC_RULE, severity: 'critical', path: 'src/run.js' }));
    expect(json.findings).toContainEqual(expect.objectContaining({ ruleId: 'airlock.config-changed', path: CONFIG }));
    expect(code).toBe(1);
    // The same file read from the work tree would have let the change switch the rule off.
    const fromHead = await scanJson(repo.dir, ['--config', join(repo.dir, CONFIG)]);
    expect(fromHead.json.findings.map((f: JsonFinding) => f.ruleId)).not.toContain(EXEC_RULE);
  });

  it('uses the defaults, and says so on stderr, when the base has no configuration', async () => {
    const repo = selfRelaxingChange(null);
    const { code, stderr, json } = await scanJson(repo.dir, ['--config-from-base']);
    expect(stderr).toBe('airlock: main has no .github/airlock.yml; using the default configuration\n');
    expect(json.findings).toContainEqual(expect.objectContaining({ ruleId: EXEC_RULE, severity: 'high' }));
    expect(code).toBe(1);
  });

  it('names the base file when its configuration is invalid', async () => {
    const repo = selfRelaxingChange('review: ai\nfail_on: urgent\n');
    const { code, stdout, stderr } = await run(['scan', '--repo', repo.dir, '--base', 'main', '--config-from-base']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^airlock: main:\.github\/airlock\.yml: line 2: fail_on: [^\n]*\n$/);
  });

  it('cannot be combined with --config', async () => {
    const repo = selfRelaxingChange(null);
    const { code, stderr } = await run(['scan', '--repo', repo.dir, '--base', 'main', '--config-from-base', '--config', 'x.yml']);
    expect(code).toBe(2);
    expect(stderr).toBe('airlock: --config and --config-from-base cannot be used together (see airlock --help)\n');
  });
});

describe('files left out of the review', () => {
  const SUBMODULE_REASON = 'submodule: the commit it points to is not reviewed';

  /** `feature` adds two vendored files, a submodule and one ordinary file; `main` has a submodule it updates. */
  function changeWithVendorAndSubmodules() {
    const repo = makeRepo({ defaultBranch: 'main' });
    repo.write('README.md', '# app\n');
    const first = repo.commit('initial');
    // A submodule that is not checked out is an empty folder; `git add -A` leaves its gitlink alone.
    mkdirSync(join(repo.dir, 'libs/old'), { recursive: true });
    mkdirSync(join(repo.dir, 'libs/new'), { recursive: true });
    repo.git('update-index', '--add', '--cacheinfo', `160000,${first},libs/old`);
    const second = repo.commit('add a submodule');
    repo.branch('feature');
    repo.write('vendor/lib.js', lines(IMPORT, "exec('ls ' + x);"));
    repo.write('vendor/util.js', lines('export const u = 1;'));
    repo.write('src/ok.js', lines('export const ok = 1;'));
    repo.git('update-index', '--add', '--cacheinfo', `160000,${second},libs/new`);
    repo.git('update-index', '--cacheinfo', `160000,${second},libs/old`);
    repo.commit(AI_MESSAGE);
    const dir = mkdtempSync(join(tmpdir(), 'airlock-config-'));
    writeFileSync(join(dir, 'airlock.yml'), 'ignore_paths: ["vendor/**", "**/*.min.js"]\n');
    return { repo, config: join(dir, 'airlock.yml') };
  }

  it('counts the files ignore_paths excluded, with the globs that excluded them, and names submodules', async () => {
    const { repo, config } = changeWithVendorAndSubmodules();
    const { code, json } = await scanJson(repo.dir, ['--config', config]);
    expect(json.findings).toEqual([]);
    expect(json.summary.ignored).toEqual({ files: 2, globs: ['vendor/**'] });
    expect(json.summary.notReviewed).toEqual([
      { path: 'libs/new', reason: SUBMODULE_REASON },
      { path: 'libs/old', reason: SUBMODULE_REASON },
    ]);
    // The submodules could not be reviewed, which fails an AI-authored change.
    expect(code).toBe(1);
  });

  it('says so in text, markdown and SARIF too', async () => {
    const { repo, config } = changeWithVendorAndSubmodules();
    const scan = async (format: string) => (await run(['scan', '--repo', repo.dir, '--base', 'main', '--config', config, '--format', format])).stdout;
    const text = await scan('text');
    expect(text).toContain('2 files excluded by ignore_paths (vendor/**)');
    expect(text).toMatch(/libs\/new {2}submodule: the commit it points to is not reviewed/);
    const markdown = await scan('markdown');
    // Markdown shows the names as code, with `_` and `*` as entities so they stay literal.
    expect(markdown).toContain('2 files excluded by `ignore_paths` (`vendor/**`)');
    expect(markdown).toContain('- `libs/new`: submodule: the commit it points to is not reviewed');
    const sarif = JSON.parse(await scan('sarif'));
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications.map((n: { descriptor: { id: string }; message: { text: string } }) => [n.descriptor.id, n.message.text]);
    expect(notes).toContainEqual(['airlock/files-ignored', '2 files excluded by ignore_paths (vendor/**)']);
    expect(notes).toContainEqual(['airlock/file-not-reviewed', `Not reviewed: ${SUBMODULE_REASON}`]);
  });
});

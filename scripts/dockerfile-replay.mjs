// Replays the Dockerfile's two stages without a container engine: each stage's COPY lines
// (from this checkout, or from the build stage) into a temporary directory, then its RUN
// npm commands, then the image's checks: the production tree has no TypeScript, the CLI
// answers --version, and the server (the image's CMD) refuses to start without settings,
// one line each. It installs from the npm registry (npm ci), so it needs the network and
// takes minutes (re2 compiles when no prebuilt module matches): run it by hand or in a
// release job, not in `npm test`.
//
//   node scripts/dockerfile-replay.mjs
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lines = readFileSync(join(root, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ').split('\n');
const work = mkdtempSync(join(tmpdir(), 'airlock-image-'));
const stages = new Map();
let stage = null;
let env = {};

function fail(message) {
  process.stderr.write(`dockerfile-replay: ${message}\n`);
  process.exit(1);
}

function sh(command, cwd, extraEnv = {}) {
  process.stdout.write(`[${stage.name}] $ ${command}\n`);
  const result = spawnSync('sh', ['-c', command], { cwd, stdio: 'inherit', env: { ...process.env, ...env, ...extraEnv } });
  if (result.status !== 0) fail(`${stage.name}: \`${command}\` exited ${result.status}`);
}

for (const raw of lines) {
  const line = raw.trim();
  if (!line || line.startsWith('#') || line.startsWith('ARG')) continue;
  const [instruction, ...rest] = line.split(/\s+/);
  if (instruction === 'FROM') {
    const name = rest[rest.indexOf('AS') + 1];
    stage = { name, dir: join(work, name), workdir: '.' };
    mkdirSync(stage.dir);
    stages.set(name, stage);
    env = {};
  } else if (instruction === 'WORKDIR') {
    // The stage's directory stands for the image's WORKDIR.
  } else if (instruction === 'ENV') {
    for (const [, key, value] of line.slice(4).matchAll(/(\w+)=(\S+)/g)) env[key] = value;
  } else if (instruction === 'COPY') {
    const from = rest[0].startsWith('--from=') ? stages.get(rest.shift().slice(7)).dir : root;
    const dest = rest.pop();
    for (const source of rest) {
      const target = dest.endsWith('/') ? join(stage.dir, dest.replace(/^\/app\/?|^\.\//, ''), source.split('/').pop()) : join(stage.dir, dest.replace(/^\/app\/?|^\.\//, ''));
      const origin = join(from, source.replace(/^\/app\//, ''));
      if (!existsSync(origin)) fail(`COPY ${source}: not found`);
      cpSync(origin, target, { recursive: true });
    }
  } else if (instruction === 'RUN') {
    // Only the installs: the system packages and clean-ups (`npm cache clean` would empty this
    // machine's npm cache) are the image's business.
    for (const command of line.slice(4).split('&&').map((c) => c.trim())) if (command.startsWith('npm ci')) sh(command, stage.dir);
  }
}

const runtime = stages.get('runtime') ?? fail('no runtime stage');
if (existsSync(join(runtime.dir, 'node_modules', 'typescript'))) fail('runtime: TypeScript is installed');
const version = spawnSync(process.execPath, ['bin/airlock.js', '--version'], { cwd: runtime.dir, encoding: 'utf8' });
if (version.status !== 0) fail(`runtime: airlock --version exited ${version.status}: ${version.stderr}`);
const start = spawnSync(process.execPath, ['dist/server.js'], { cwd: runtime.dir, encoding: 'utf8', env: { PATH: process.env.PATH, ...env }, timeout: 30_000 });
const said = start.stderr.trimEnd().split('\n');
if (start.status !== 1 || !said.every((l) => /^airlock: \w+ is not set: /.test(l)) || said.length !== 3) fail(`runtime: the server without settings said: ${start.stderr}`);
process.stdout.write(`dockerfile-replay: ok (airlock ${version.stdout.trim()}; without settings the server says ${said.length} lines and exits 1)\n`);
rmSync(work, { recursive: true, force: true });

// `prepare` (run by `npm ci` and `npm install` in a checkout, and by `npm pack`): builds
// dist/ when the compiler is installed. A production install (`npm ci --omit=dev`) has no
// compiler: it keeps the dist/ that is already there (a container's build stage, a packed
// tarball) and fails with one line only when there is none to keep.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let compiler = true;
try {
  createRequire(join(root, 'package.json')).resolve('typescript');
} catch {
  compiler = false;
}

if (compiler) {
  const npm = process.env.npm_execpath;
  const result = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  process.exitCode = result.status ?? 1;
} else if (existsSync(join(root, 'dist', 'cli', 'main.js')) && existsSync(join(root, 'dist', 'server.js'))) {
  process.stdout.write('airlock prepare: TypeScript is not installed (production install); using the dist/ already built\n');
} else {
  process.stderr.write('airlock prepare: TypeScript is not installed and dist/ is not built: run `npm ci` (with dev dependencies) and `npm run build` first\n');
  process.exitCode = 1;
}

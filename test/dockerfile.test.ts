// The Dockerfile, read as text (no container engine runs in the test suite; the stages'
// commands are replayed by scripts/dockerfile-replay.mjs): its runtime stage ships what the
// npm package ships, runs what `npm start` runs, as a user that is not root, listening on
// all interfaces, with a health check on the server's health endpoint.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEALTH_PATH } from '../src/github/server.js';
import { PACKAGE_ROOT } from '../src/io/package-root.js';

const text = readFileSync(join(PACKAGE_ROOT, 'Dockerfile'), 'utf8');
const instructions = text
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const stages = new Map<string, string[]>();
let current: string[] = [];
for (const line of instructions) {
  const from = /^FROM\s+\S+\s+AS\s+(\S+)/i.exec(line);
  if (from) stages.set(from[1]!, (current = []));
  else current.push(line);
}
const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { files: string[]; scripts: Record<string, string> };

function copied(stage: string): string[] {
  return stages
    .get(stage)!
    .filter((l) => l.startsWith('COPY '))
    .flatMap((l) => {
      const parts = l.split(/\s+/).slice(1);
      const sources = parts.slice(0, -1);
      return sources[0]!.startsWith('--from=') ? sources.slice(1).map((s) => s.replace(/^\/app\//, '')) : sources;
    });
}

describe('Dockerfile', () => {
  it('builds with npm ci in one stage and installs production dependencies only in the runtime stage', () => {
    expect([...stages.keys()]).toEqual(['build', 'runtime']);
    expect(stages.get('build')!.some((l) => /^RUN npm ci\b(?!.*--omit)/.test(l))).toBe(true);
    expect(stages.get('runtime')!.some((l) => /^RUN npm ci --omit=dev\b/.test(l))).toBe(true);
    expect(copied('runtime')).toContain('dist');
    expect(stages.get('runtime')!.filter((l) => /^COPY (?!--from=build \/app\/dist)/.test(l) && /\b(src|dist)\b/.test(l))).toEqual([]);
  });

  it('ships in the runtime stage every file the npm package ships', () => {
    const runtime = copied('runtime');
    for (const entry of pkg.files.filter((f) => !f.startsWith('!'))) expect(runtime, entry).toContain(entry);
  });

  it("runs npm start's command as a non-root user, on all interfaces, with a health check on /healthz", () => {
    const runtime = stages.get('runtime')!;
    expect(runtime).toContain('USER node');
    expect(runtime.find((l) => l.startsWith('ENV '))).toMatch(/\bHOST=0\.0\.0\.0\b/);
    const cmd = JSON.parse(runtime.find((l) => l.startsWith('CMD '))!.slice(4)) as string[];
    expect(cmd.join(' ')).toBe(pkg.scripts.start!.replace('./dist', 'dist'));
    const health = runtime.find((l) => l.startsWith('HEALTHCHECK '))!;
    expect(health).toContain(`'${HEALTH_PATH}'`);
  });
});

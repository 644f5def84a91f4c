// docs/install.md against the code: every setting its table lists is read by the app or
// `npm run setup`, every AIRLOCK_* setting the app reads is in the table, every setting the
// action's entry point reads is passed by action.yml, and the links of the page resolve.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/io/package-root.js';

const install = readFileSync(join(PACKAGE_ROOT, 'docs', 'install.md'), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** The app's and setup's code: everything but the engine (whose rules name other tools' variables) and the CLI. */
const appFiles = sources(join(PACKAGE_ROOT, 'src')).filter((f) => !/[/\\]src[/\\](core|cli)[/\\]/.test(f));
const appText = appFiles.map((f) => readFileSync(f, 'utf8')).join('\n');

/** The names in the first column of the settings table. */
function tableSettings(): string[] {
  const section = install.slice(install.indexOf('### Settings'), install.indexOf('\n## ', install.indexOf('### Settings')));
  return section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .flatMap((l) => [...l.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
}

describe('docs/install.md', () => {
  it('lists only settings the app or setup reads, and every AIRLOCK_* one they read', () => {
    const listed = tableSettings();
    expect(listed.length).toBeGreaterThan(15);
    const unread = listed.filter((name) => !new RegExp(`\\b${name}\\b`).test(appText));
    expect(unread).toEqual([]);
    const read = [...new Set([...appText.matchAll(/\bAIRLOCK_[A-Z0-9_]+\b/g)].map((m) => m[0]))];
    expect(read.filter((name) => !listed.includes(name))).toEqual([]);
  });

  it('passes every setting the action entry point reads through action.yml', () => {
    const entry = readFileSync(join(PACKAGE_ROOT, 'src', 'cli', 'action-command.ts'), 'utf8');
    const action = readFileSync(join(PACKAGE_ROOT, 'action.yml'), 'utf8');
    const read = [...new Set([...entry.matchAll(/env\.(AIRLOCK_[A-Z0-9_]+)/g)].map((m) => m[1]!))];
    expect(read.length).toBeGreaterThan(2);
    // AIRLOCK_SARIF_FILE is for running the entry point outside the action (RUNNER_TEMP otherwise).
    expect(read.filter((name) => name !== 'AIRLOCK_SARIF_FILE' && !new RegExp(`^\\s+${name}: `, 'm').test(action))).toEqual([]);
  });

  it('links only files and headings that exist', () => {
    const broken: string[] = [];
    for (const [, target] of install.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^(https?:|mailto:)/.test(target!)) continue;
      const [file, anchor] = target!.split('#') as [string, string | undefined];
      const path = file === '' ? join(PACKAGE_ROOT, 'docs', 'install.md') : join(PACKAGE_ROOT, 'docs', file);
      if (!existsSync(path)) {
        broken.push(target!);
        continue;
      }
      if (anchor && path.endsWith('.md')) {
        const slugs = readFileSync(path, 'utf8')
          .split('\n')
          .filter((l) => /^#{1,6} /.test(l))
          .map((l) =>
            l
              .replace(/^#+ /, '')
              .toLowerCase()
              .replace(/[^\p{L}\p{N}\s_-]/gu, '')
              .replace(/\s/g, '-'),
          );
        if (!slugs.includes(anchor)) broken.push(target!);
      }
    }
    expect(broken).toEqual([]);
    expect(existsSync(join(dirname(join(PACKAGE_ROOT, 'docs', 'install.md')), 'rules', 'README.md'))).toBe(true);
  });
});

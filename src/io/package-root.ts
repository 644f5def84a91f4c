import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Rules and data ship inside the package: find them from this file's location,
// never from the current directory (the CLI runs from anywhere).
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'rules'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the airlock package root (package.json next to rules/)');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
export const RULES_DIR = join(PACKAGE_ROOT, 'rules');
export const DATA_DIR = join(PACKAGE_ROOT, 'data');

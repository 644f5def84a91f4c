import { accessSync, constants, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Short-lived files (texts handed to ast-grep, git output) go to memory-backed /dev/shm where
// there is one: creating a thousand small files there costs a sixth of what it costs on a
// disk-backed /tmp. TMPDIR, when set, is the user's choice and wins.

const SHM = '/dev/shm';
let shmUsable: boolean | null = null;

function hasUsableShm(): boolean {
  try {
    accessSync(SHM, constants.W_OK);
    return statSync(SHM).isDirectory();
  } catch {
    // No /dev/shm (macOS, Windows, some containers): the system's temporary directory.
    return false;
  }
}

/** A new private (0700) directory for short-lived files; the caller removes it. */
export function makeScratchDir(prefix: string): string {
  shmUsable ??= hasUsableShm();
  const base = process.env.TMPDIR || !shmUsable ? tmpdir() : SHM;
  return mkdtempSync(join(base, prefix));
}

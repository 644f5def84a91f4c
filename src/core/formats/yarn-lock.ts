// yarn.lock entry keys. Classic (v1) lockfiles are yarn's own line format, Berry (v2+) ones
// are YAML; both start each entry with an unindented line of comma-separated descriptors
// ending in a colon (`"@babel/core@^7.0.0", "@babel/core@^7.1.0":`), which is all a reader of
// package names needs. The indented lines below an entry (version, resolved, dependencies)
// are skipped.

export interface YarnLockEntry {
  /** Package names of the entry's descriptors (`@babel/core`), in order, without duplicates. */
  names: string[];
  line: number;
}

export type YarnLockResult = { ok: true; entries: YarnLockEntry[] } | { ok: false; line: number; message: string };

/** The name part of a descriptor: `lodash@^4.0.0` → `lodash`, `@s/x@npm:1.0.0` → `@s/x`. */
function descriptorName(descriptor: string): string | null {
  const at = descriptor.indexOf('@', descriptor.startsWith('@') ? 1 : 0);
  const name = at > 0 ? descriptor.slice(0, at) : descriptor;
  return name.length > 0 ? name : null;
}

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

/** Reads the entries of a yarn.lock; a malformed entry line comes back as an error with its line. */
export function readYarnLock(text: string): YarnLockResult {
  const entries: YarnLockEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    if (raw === '' || raw.startsWith('#') || raw.startsWith(' ') || raw.startsWith('\t')) continue;
    const line = i + 1;
    if (!raw.endsWith(':')) return { ok: false, line, message: 'an entry line does not end with ":"' };
    const names: string[] = [];
    for (const part of raw.slice(0, -1).split(',')) {
      const descriptor = unquote(part.trim());
      if (descriptor === '') return { ok: false, line, message: 'an entry line has an empty descriptor' };
      // Berry's own metadata block, not a package.
      if (descriptor === '__metadata') continue;
      const name = descriptorName(descriptor);
      if (name !== null && !names.includes(name)) names.push(name);
    }
    if (names.length > 0) entries.push({ names, line });
  }
  return { ok: true, entries };
}

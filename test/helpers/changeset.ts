import type { ChangeSet, ChangedFile } from '../../src/core/model.js';
import { splitLines } from '../../src/core/text.js';

export interface FakeFile {
  path: string;
  code: string | Uint8Array;
  /** Lines added by the change; default: all (a new file). */
  added?: number[];
  status?: ChangedFile['status'];
  unavailable?: string;
  binary?: boolean;
}

/** An in-memory change set for engine tests. */
export function changeSetOf(files: FakeFile[]): ChangeSet {
  const contents = new Map<string, Uint8Array>();
  const changed: ChangedFile[] = files.map((f) => {
    const bytes = typeof f.code === 'string' ? new TextEncoder().encode(f.code) : f.code;
    contents.set(f.path, bytes);
    const count = typeof f.code === 'string' ? splitLines(f.code).length : 1;
    return {
      path: f.path,
      oldPath: null,
      status: f.status ?? 'added',
      addedLines: f.added ?? Array.from({ length: count }, (_, i) => i + 1),
      deletedLineCount: 0,
      removedAfter: [],
      binary: f.binary ?? false,
      oldMode: null,
      newMode: null,
      size: bytes.length,
      unavailable: f.unavailable ?? null,
    };
  });
  return { base: 'base', head: 'head', files: changed, loadHead: async (p) => contents.get(p) ?? null };
}

/**
 * The change set with base versions: `bases` by path (an Error: that read fails; absent: the
 * path is not at the base), each path asked recorded in `asked`, `limits.maxBytes` enforced.
 */
export function withBase(set: ChangeSet, bases: Record<string, string | Error>, asked: string[] = []): ChangeSet {
  return {
    ...set,
    loadBase: async (path, limits) => {
      asked.push(path);
      const b = bases[path];
      if (b instanceof Error) throw b;
      if (b === undefined) return null;
      const bytes = new TextEncoder().encode(b);
      if (limits && bytes.length > limits.maxBytes) throw new Error(`${bytes.length} bytes, over the ${limits.maxBytes}-byte limit`);
      return bytes;
    },
  };
}

// Readers for git's machine formats: `diff --raw -z` records, `cat-file --batch` output
// and commit objects. Names and messages are bytes in git; they are decoded here, once.

import { TextDecoder } from 'node:util';
import type { CommitFacts } from '../core/model.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });

export interface RawDiffEntry {
  /** git's status letter: A, C, D, M, R, T (type change), U, X. */
  status: string;
  oldMode: string;
  newMode: string;
  oldSha: string;
  newSha: string;
  /** Path in the head version (for deletions: the deleted path), decoded as UTF-8. */
  path: string;
  /** Source path of a rename or copy. */
  oldPath: string | null;
}

/** Parses `git diff --raw -z --no-abbrev` output: `:om nm osha nsha S\0path\0[dst\0]` per file. */
export function parseRawDiff(output: Uint8Array): RawDiffEntry[] {
  const entries: RawDiffEntry[] = [];
  const buf = Buffer.from(output.buffer, output.byteOffset, output.byteLength);
  let pos = 0;
  const field = (): string | null => {
    if (pos >= buf.length) return null;
    const end = buf.indexOf(0, pos);
    const stop = end === -1 ? buf.length : end;
    const text = utf8.decode(buf.subarray(pos, stop));
    pos = stop + 1;
    return text;
  };
  for (;;) {
    const meta = field();
    if (meta === null || meta === '') break;
    const parts = meta.startsWith(':') ? meta.slice(1).split(' ') : [];
    const [oldMode, newMode, oldSha, newSha, score] = parts;
    if (parts.length !== 5 || !oldMode || !newMode || !oldSha || !newSha || !score) {
      throw new Error(`unexpected git diff --raw record ${JSON.stringify(meta.slice(0, 80))}`);
    }
    const status = score[0]!;
    const first = field();
    if (first === null) throw new Error('git diff --raw output ends inside a record');
    let path = first;
    let oldPath: string | null = null;
    if (status === 'R' || status === 'C') {
      const second = field();
      if (second === null) throw new Error('git diff --raw output ends inside a record');
      oldPath = first;
      path = second;
    }
    entries.push({ status, oldMode, newMode, oldSha, newSha, path, oldPath });
  }
  return entries;
}

export interface BatchObject {
  /** What was asked for (the SHA, or `rev:path`). */
  name: string;
  type: string | null;
  content: Buffer | null;
}

/** Parses `git cat-file --batch` output: `<sha> <type> <size>\n<content>\n`, or `<name> missing\n`. */
export function parseCatFileBatch(output: Buffer): BatchObject[] {
  const objects: BatchObject[] = [];
  let pos = 0;
  while (pos < output.length) {
    const eol = output.indexOf(10, pos);
    if (eol === -1) throw new Error('git cat-file output ends inside a header');
    const header = output.toString('utf8', pos, eol);
    pos = eol + 1;
    const parts = header.split(' ');
    const size = parts.length === 3 ? Number(parts[2]) : NaN;
    if (!Number.isSafeInteger(size)) {
      // "<name> missing" / "<name> ambiguous": no content follows.
      objects.push({ name: parts[0] ?? '', type: null, content: null });
      continue;
    }
    if (pos + size > output.length) throw new Error('git cat-file output ends inside an object');
    objects.push({ name: parts[0]!, type: parts[1]!, content: output.subarray(pos, pos + size) });
    pos += size + 1;
  }
  return objects;
}

/** Reads a raw commit object into CommitFacts (logins are unknown to local git). */
export function parseCommitObject(sha: string, content: Buffer): CommitFacts {
  const split = content.indexOf('\n\n');
  const headerEnd = split === -1 ? content.length : split;
  let author = '';
  let committer = '';
  let encoding: string | null = null;
  for (const line of content.subarray(0, headerEnd).toString('latin1').split('\n')) {
    // Multi-line headers (gpgsig, mergetag) continue with a leading space.
    if (line.startsWith(' ')) continue;
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    if (key === 'author' && author === '') author = line.slice(space + 1);
    else if (key === 'committer' && committer === '') committer = line.slice(space + 1);
    else if (key === 'encoding') encoding = line.slice(space + 1).trim();
  }
  const decoder = decoderFor(encoding);
  const decodeHeader = (latin1: string): string => decoder.decode(Buffer.from(latin1, 'latin1'));
  const a = splitIdent(decodeHeader(author));
  const c = splitIdent(decodeHeader(committer));
  return {
    sha,
    authorName: a.name,
    authorEmail: a.email,
    authorLogin: null,
    committerName: c.name,
    committerEmail: c.email,
    committerLogin: null,
    message: split === -1 ? '' : decoder.decode(content.subarray(split + 2)),
  };
}

function decoderFor(encoding: string | null): TextDecoder {
  if (encoding === null) return utf8;
  try {
    return new TextDecoder(encoding, { fatal: false });
  } catch {
    return utf8;
  }
}

/** `Name <email> 1700000000 +0000` → name and email, split the way git does (first '<', then first '>'). */
export function splitIdent(ident: string): { name: string; email: string } {
  const open = ident.indexOf('<');
  if (open === -1) return { name: ident.trim(), email: '' };
  const close = ident.indexOf('>', open + 1);
  return { name: ident.slice(0, open).trim(), email: ident.slice(open + 1, close === -1 ? ident.length : close) };
}

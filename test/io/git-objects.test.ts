import { describe, expect, it } from 'vitest';
import { parseCatFileBatch, parseCommitObject, parseRawDiff, splitIdent } from '../../src/io/git-objects.js';

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);
const ZERO = '0'.repeat(40);

describe('parseRawDiff', () => {
  it('reads modify, add, delete and rename records with raw-byte names', () => {
    const output = Buffer.concat([
      Buffer.from(`:100644 100755 ${SHA_A} ${SHA_B} M\0run.sh\0`),
      Buffer.from(`:000000 100644 ${ZERO} ${SHA_B} A\0`),
      Buffer.from('caf\xe9.txt\0', 'latin1'),
      Buffer.from(`:100644 000000 ${SHA_A} ${ZERO} D\0gone\0`),
      Buffer.from(`:100644 100644 ${SHA_A} ${SHA_B} R087\0old name\0new\nname\0`),
    ]);
    expect(parseRawDiff(output)).toEqual([
      { status: 'M', oldMode: '100644', newMode: '100755', oldSha: SHA_A, newSha: SHA_B, path: 'run.sh', oldPath: null },
      { status: 'A', oldMode: '000000', newMode: '100644', oldSha: ZERO, newSha: SHA_B, path: 'caf\uFFFD.txt', oldPath: null },
      { status: 'D', oldMode: '100644', newMode: '000000', oldSha: SHA_A, newSha: ZERO, path: 'gone', oldPath: null },
      { status: 'R', oldMode: '100644', newMode: '100644', oldSha: SHA_A, newSha: SHA_B, path: 'new\nname', oldPath: 'old name' },
    ]);
  });

  it('returns [] for no output and fails clearly on a broken record', () => {
    expect(parseRawDiff(Buffer.alloc(0))).toEqual([]);
    expect(() => parseRawDiff(Buffer.from('garbage\0x\0'))).toThrow('unexpected git diff --raw record "garbage"');
    expect(() => parseRawDiff(Buffer.from(`:100644 100644 ${SHA_A} ${SHA_B} R050\0only-one\0`))).toThrow('ends inside a record');
  });
});

describe('parseCatFileBatch', () => {
  it('reads objects by their sizes, whatever bytes they hold, and missing names', () => {
    const body = Buffer.from('line\n\0binary\nfake-sha commit 3\n');
    const output = Buffer.concat([
      Buffer.from(`${SHA_A} blob ${body.length}\n`),
      body,
      Buffer.from('\nHEAD:nope missing\n'),
      Buffer.from(`${SHA_B} commit 0\n\n`),
    ]);
    const objects = parseCatFileBatch(output);
    expect(objects.map((o) => [o.name, o.type, o.content?.toString()])).toEqual([
      [SHA_A, 'blob', body.toString()],
      ['HEAD:nope', null, undefined],
      [SHA_B, 'commit', ''],
    ]);
  });

  it('fails clearly on truncated output', () => {
    expect(() => parseCatFileBatch(Buffer.from(`${SHA_A} blob 10\nshort`))).toThrow('ends inside an object');
    expect(() => parseCatFileBatch(Buffer.from(`${SHA_A} blob`))).toThrow('ends inside a header');
  });
});

describe('parseCommitObject', () => {
  it('reads identities and the message, skipping signature continuation lines', () => {
    const raw = [
      `tree ${SHA_A}`,
      `parent ${SHA_B}`,
      'author Cursor Agent <cursoragent@cursor.com> 1700000000 +0100',
      'committer GitHub <noreply@github.com> 1700000001 +0000',
      'gpgsig -----BEGIN PGP SIGNATURE-----',
      ' ',
      ' author Forged <forged@example.com> 1 +0000',
      ' -----END PGP SIGNATURE-----',
      '',
      'Subject line',
      '',
      'Body.',
      '',
      'Co-authored-by: Cursor <cursoragent@cursor.com>',
      '',
    ].join('\n');
    expect(parseCommitObject(SHA_A, Buffer.from(raw))).toEqual({
      sha: SHA_A,
      authorName: 'Cursor Agent',
      authorEmail: 'cursoragent@cursor.com',
      authorLogin: null,
      committerName: 'GitHub',
      committerEmail: 'noreply@github.com',
      committerLogin: null,
      message: 'Subject line\n\nBody.\n\nCo-authored-by: Cursor <cursoragent@cursor.com>\n',
    });
  });

  it('decodes names and messages in the encoding the commit declares', () => {
    const raw = Buffer.from(
      `tree ${SHA_A}\nauthor Ren\xe9 <r@example.com> 1 +0000\ncommitter Ren\xe9 <r@example.com> 1 +0000\nencoding ISO-8859-1\n\nCaf\xe9\n`,
      'latin1',
    );
    const commit = parseCommitObject(SHA_A, raw);
    expect(commit.authorName).toBe('René');
    expect(commit.message).toBe('Café\n');
  });

  it('decodes invalid UTF-8 as U+FFFD and tolerates a commit without a message', () => {
    const raw = Buffer.concat([Buffer.from(`tree ${SHA_A}\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 1 +0000\n\n`), Buffer.from([0x66, 0xff, 0x0a])]);
    expect(parseCommitObject(SHA_A, raw).message).toBe('f\uFFFD\n');
    const bare = parseCommitObject(SHA_A, Buffer.from(`tree ${SHA_A}\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 1 +0000\n`));
    expect(bare).toMatchObject({ authorName: 'A', committerEmail: 'c@x', message: '' });
  });
});

describe('splitIdent', () => {
  it('splits like git: name before the first "<", email up to the next ">"', () => {
    expect(splitIdent('aider (gpt-4o) <noreply@aider.chat> 1 +0000')).toEqual({ name: 'aider (gpt-4o)', email: 'noreply@aider.chat' });
    expect(splitIdent('No Email 1 +0000')).toEqual({ name: 'No Email 1 +0000', email: '' });
    expect(splitIdent('x <unterminated')).toEqual({ name: 'x', email: 'unterminated' });
  });
});

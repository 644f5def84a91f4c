import { describe, expect, it } from 'vitest';
import {
  addedLinesFromPatch,
  changeSetFromUnifiedDiff,
  DiffParseError,
  hunkStatsFromPatch,
  isSubmodulePatch,
  parseUnifiedDiff,
} from '../../../src/core/diff/unified.js';
import type { ChangedFile } from '../../../src/core/model.js';

const lines = (...l: string[]): string => l.join('\n') + '\n';

function only(diff: string): ChangedFile {
  const files = parseUnifiedDiff(diff);
  expect(files).toHaveLength(1);
  return files[0]!;
}

describe('parseUnifiedDiff: statuses and line numbers', () => {
  it('reads an added file with -U0', () => {
    const file = only(
      lines(
        'diff --git a/src/new.ts b/src/new.ts',
        'new file mode 100644',
        'index 0000000..1111111',
        '--- /dev/null',
        '+++ b/src/new.ts',
        '@@ -0,0 +1,3 @@',
        '+one',
        '+two',
        '+three',
      ),
    );
    expect(file).toEqual({
      path: 'src/new.ts',
      oldPath: null,
      status: 'added',
      addedLines: [1, 2, 3],
      deletedLineCount: 0,
      removedAfter: [],
      binary: false,
      oldMode: null,
      newMode: '100644',
      size: null,
      unavailable: null,
    });
  });

  it('numbers added lines in the head version across several hunks with context', () => {
    const file = only(
      lines(
        'diff --git a/app.py b/app.py',
        'index 1111111..2222222 100644',
        '--- a/app.py',
        '+++ b/app.py',
        '@@ -1,4 +1,5 @@',
        ' import os',
        '-import sys',
        '+import subprocess',
        '+import shlex',
        ' ',
        ' def main():',
        '@@ -20,3 +21,4 @@ def main():',
        '     a = 1',
        '+    subprocess.run(cmd, shell=True)',
        '     b = 2',
        '     c = 3',
      ),
    );
    expect(file.status).toBe('modified');
    expect(file.addedLines).toEqual([2, 3, 22]);
    expect(file.deletedLineCount).toBe(1);
    expect(file.oldMode).toBeNull();
    expect(file.newMode).toBeNull();
  });

  it('reads hunk headers that omit counts and pure deletions with -U0', () => {
    const file = only(
      lines(
        'diff --git a/a.txt b/a.txt',
        'index 1..2 100644',
        '--- a/a.txt',
        '+++ b/a.txt',
        '@@ -1 +1 @@',
        '-old first',
        '+new first',
        '@@ -5,2 +4,0 @@',
        '-gone',
        '-gone too',
        '@@ -9,0 +8 @@',
        '+inserted',
      ),
    );
    expect(file.addedLines).toEqual([1, 8]);
    expect(file.deletedLineCount).toBe(3);
    // A hunk with no head lines (`+4,0`) removes its lines after head line 4.
    expect(file.removedAfter).toEqual([0, 4]);
  });

  it('reads a deleted file: path is the deleted path, no added lines', () => {
    const file = only(
      lines(
        'diff --git a/test/auth.test.ts b/test/auth.test.ts',
        'deleted file mode 100644',
        'index 3333333..0000000',
        '--- a/test/auth.test.ts',
        '+++ /dev/null',
        '@@ -1,2 +0,0 @@',
        "-it('rejects bad tokens', () => {});",
        '-',
      ),
    );
    expect(file).toMatchObject({ path: 'test/auth.test.ts', oldPath: null, status: 'deleted', addedLines: [], deletedLineCount: 2, oldMode: '100644', newMode: null });
  });

  it('reads a pure rename (no hunks) and a rename with edits', () => {
    const files = parseUnifiedDiff(
      lines(
        'diff --git a/docs/example.sh b/scripts/install.sh',
        'similarity index 100%',
        'rename from docs/example.sh',
        'rename to scripts/install.sh',
        'diff --git a/lib/old name.js b/lib/new name.js',
        'similarity index 80%',
        'rename from lib/old name.js',
        'rename to lib/new name.js',
        'index 4444444..5555555 100644',
        '--- a/lib/old name.js\t',
        '+++ b/lib/new name.js\t',
        '@@ -3 +3,2 @@',
        '-x',
        '+y',
        '+z',
      ),
    );
    expect(files).toEqual([
      expect.objectContaining({ path: 'scripts/install.sh', oldPath: 'docs/example.sh', status: 'renamed', addedLines: [], deletedLineCount: 0 }),
      expect.objectContaining({ path: 'lib/new name.js', oldPath: 'lib/old name.js', status: 'renamed', addedLines: [3, 4], deletedLineCount: 1 }),
    ]);
  });

  it('reads a copy with edits', () => {
    const file = only(
      lines(
        'diff --git a/ci/base.yml b/.github/workflows/release.yml',
        'similarity index 90%',
        'copy from ci/base.yml',
        'copy to .github/workflows/release.yml',
        'index 6666666..7777777 100644',
        '--- a/ci/base.yml',
        '+++ b/.github/workflows/release.yml',
        '@@ -2,0 +3 @@',
        '+on: pull_request_target',
      ),
    );
    expect(file).toMatchObject({ path: '.github/workflows/release.yml', oldPath: 'ci/base.yml', status: 'copied', addedLines: [3] });
  });

  it('marks a submodule as a gitlink, also when its mode does not change', () => {
    const file = only(
      lines('diff --git a/libs/sub b/libs/sub', 'index 1111111..2222222 160000', '--- a/libs/sub', '+++ b/libs/sub', '@@ -1 +1 @@', '-Subproject commit 1111111', '+Subproject commit 2222222'),
    );
    expect(file).toMatchObject({ status: 'modified', oldMode: '160000', newMode: '160000' });
    expect(only(lines('diff --git a/a.txt b/a.txt', 'index 1111111..2222222 100644', '--- a/a.txt', '+++ b/a.txt', '@@ -1 +1 @@', '-a', '+b'))).toMatchObject({
      oldMode: null,
      newMode: null,
    });
  });

  it('reads a mode change without content change', () => {
    const file = only(lines('diff --git a/run.sh b/run.sh', 'old mode 100644', 'new mode 100755'));
    expect(file).toMatchObject({ path: 'run.sh', status: 'modified', oldMode: '100644', newMode: '100755', addedLines: [], binary: false });
  });

  it('reads an empty new file (no hunks, no ---/+++ lines)', () => {
    const file = only(lines('diff --git a/.env b/.env', 'new file mode 100600', 'index 0000000..e69de29'));
    expect(file).toMatchObject({ path: '.env', status: 'added', newMode: '100600', addedLines: [] });
  });

  it('merges the delete + add pair git writes for a type change into one modified file', () => {
    const files = parseUnifiedDiff(
      lines(
        'diff --git a/config b/config',
        'deleted file mode 100644',
        'index 1111111..0000000',
        '--- a/config',
        '+++ /dev/null',
        '@@ -1 +0,0 @@',
        '-setting=1',
        'diff --git a/config b/config',
        'new file mode 120000',
        'index 0000000..2222222',
        '--- /dev/null',
        '+++ b/config',
        '@@ -0,0 +1 @@',
        '+/etc/passwd',
        '\\ No newline at end of file',
      ),
    );
    expect(files).toEqual([
      expect.objectContaining({ path: 'config', status: 'modified', oldMode: '100644', newMode: '120000', addedLines: [1], deletedLineCount: 1 }),
    ]);
  });

  it('returns no files for an empty diff', () => {
    expect(parseUnifiedDiff('')).toEqual([]);
    expect(parseUnifiedDiff('\n')).toEqual([]);
  });
});

describe('parseUnifiedDiff: binary files', () => {
  it('marks "Binary files … differ" as binary', () => {
    const files = parseUnifiedDiff(
      lines(
        'diff --git a/logo.png b/logo.png',
        'new file mode 100644',
        'index 0000000..bdc955b',
        'Binary files /dev/null and b/logo.png differ',
        'diff --git a/old.bin b/old.bin',
        'deleted file mode 100644',
        'index bdc955b..0000000',
        'Binary files a/old.bin and /dev/null differ',
      ),
    );
    expect(files).toEqual([
      expect.objectContaining({ path: 'logo.png', status: 'added', binary: true, addedLines: [] }),
      expect.objectContaining({ path: 'old.bin', status: 'deleted', binary: true }),
    ]);
  });

  it('skips a GIT binary patch and reads the file after it', () => {
    const files = parseUnifiedDiff(
      lines(
        'diff --git a/a.bin b/a.bin',
        'index 1111111..2222222 100644',
        'GIT binary patch',
        'literal 12',
        'TcmZQzWMXDvWn<+Z0Ac_D06G8z',
        '',
        'literal 4',
        'LcmZQzWMTjS04M+n',
        '',
        'diff --git a/b.txt b/b.txt',
        'index 3333333..4444444 100644',
        '--- a/b.txt',
        '+++ b/b.txt',
        '@@ -1 +1 @@',
        '-a',
        '+b',
      ),
    );
    expect(files).toEqual([
      expect.objectContaining({ path: 'a.bin', status: 'modified', binary: true, addedLines: [] }),
      expect.objectContaining({ path: 'b.txt', binary: false, addedLines: [1] }),
    ]);
  });
});

describe('parseUnifiedDiff: names', () => {
  it('decodes quoted names with octal escapes as UTF-8', () => {
    const file = only(
      lines(
        'diff --git "a/caf\\303\\251 menu.txt" "b/caf\\303\\251 menu.txt"',
        'new file mode 100644',
        'index 0000000..1111111',
        '--- /dev/null',
        '+++ "b/caf\\303\\251 menu.txt"',
        '@@ -0,0 +1 @@',
        '+x',
      ),
    );
    expect(file.path).toBe('café menu.txt');
  });

  it('decodes C escapes (tab, newline, quote, backslash) in quoted names', () => {
    const file = only(lines('diff --git "a/x\\ty\\n\\"z\\\\" "b/x\\ty\\n\\"z\\\\"', 'new file mode 100644', 'index 0000000..e69de29'));
    expect(file.path).toBe('x\ty\n"z\\');
  });

  it('turns bytes that are not UTF-8 (Latin-1 names) into U+FFFD instead of failing', () => {
    const file = only(lines('diff --git "a/r\\351sum\\351.txt" "b/r\\351sum\\351.txt"', 'new file mode 100644', 'index 0000000..e69de29'));
    expect(file.path).toBe('r\uFFFDsum\uFFFD.txt');
  });

  it('takes a name with spaces from the diff --git line when no other header names it', () => {
    const file = only(lines('diff --git a/my dir/a b.sh b/my dir/a b.sh', 'old mode 100644', 'new mode 100755'));
    expect(file.path).toBe('my dir/a b.sh');
  });

  it('handles one quoted and one unquoted name on the diff --git line', () => {
    const file = only(
      lines(
        'diff --git a/plain.txt "b/\\360\\237\\230\\200.txt"',
        'similarity index 100%',
        'rename from plain.txt',
        'rename to "\\360\\237\\230\\200.txt"',
      ),
    );
    expect(file).toMatchObject({ path: '😀.txt', oldPath: 'plain.txt', status: 'renamed' });
  });

  it('prefers ---/+++ names, cut at the tab git adds after names with spaces', () => {
    const file = only(
      lines('diff --git a/a b c b/a b c', 'index 1..2 100644', '--- a/a b c\t', '+++ b/a b c\t', '@@ -1 +1 @@', '-1', '+2'),
    );
    expect(file.path).toBe('a b c');
  });
});

describe('parseUnifiedDiff: odd but valid input', () => {
  it('ignores "\\ No newline at end of file" markers', () => {
    const file = only(
      lines(
        'diff --git a/n.txt b/n.txt',
        'index 1..2 100644',
        '--- a/n.txt',
        '+++ b/n.txt',
        '@@ -1 +1,2 @@',
        '-last',
        '\\ No newline at end of file',
        '+last',
        '+more',
        '\\ No newline at end of file',
      ),
    );
    expect(file.addedLines).toEqual([1, 2]);
    expect(file.deletedLineCount).toBe(1);
    expect(file.unavailable).toBeNull();
  });

  it('reads a diff whose lines all end in CRLF', () => {
    const diff = [
      'diff --git a/w.txt b/w.txt',
      'old mode 100644',
      'new mode 100755',
      'index 1..2',
      '--- a/w.txt',
      '+++ b/w.txt',
      '@@ -1,2 +1,2 @@',
      ' keep',
      '-a',
      '+b',
      'diff --git "a/\\303\\251.txt" "b/\\303\\251.txt"',
      'new file mode 100644',
      'index 0..3',
      '--- /dev/null',
      '+++ "b/\\303\\251.txt"',
      '@@ -0,0 +1 @@',
      '+x',
      '',
    ].join('\r\n');
    const files = parseUnifiedDiff(diff);
    expect(files).toEqual([
      expect.objectContaining({ path: 'w.txt', addedLines: [2], oldMode: '100644', newMode: '100755', unavailable: null }),
      expect.objectContaining({ path: 'é.txt', status: 'added', addedLines: [1], unavailable: null }),
    ]);
  });

  it('counts an empty context line whose leading space was stripped', () => {
    const file = only(lines('diff --git a/e b/e', '--- a/e', '+++ b/e', '@@ -1,3 +1,3 @@', ' a', '', '-b', '+c'));
    expect(file.addedLines).toEqual([3]);
    expect(file.unavailable).toBeNull();
  });

  it('treats added lines that look like headers as content (the hunk counts decide)', () => {
    const file = only(
      lines(
        'diff --git a/evil.md b/evil.md',
        'new file mode 100644',
        'index 0..1',
        '--- /dev/null',
        '+++ b/evil.md',
        '@@ -0,0 +1,4 @@',
        '+diff --git a/x b/x',
        '+--- a/x',
        '++++ b/x',
        '+@@ -1 +1 @@',
      ),
    );
    expect(file.addedLines).toEqual([1, 2, 3, 4]);
  });

  it('treats a removed "-- x" line and an added "++ y" line as hunk content', () => {
    const file = only(lines('--- a/m.lua', '+++ b/m.lua', '@@ -1 +1 @@', '--- x', '+++ y'));
    expect(file).toMatchObject({ path: 'm.lua', addedLines: [1], deletedLineCount: 1, unavailable: null });
  });

  it('reads plain unified diffs without diff --git lines (GNU diff -ru)', () => {
    const files = parseUnifiedDiff(
      lines(
        'diff -ru a/one.c b/one.c',
        '--- a/one.c\t2024-01-01 00:00:00.000000000 +0000',
        '+++ b/one.c\t2024-01-02 00:00:00.000000000 +0000',
        '@@ -1 +1 @@',
        '-a',
        '+b',
        '--- /dev/null',
        '+++ b/two.c',
        '@@ -0,0 +1 @@',
        '+new',
      ),
    );
    expect(files).toEqual([
      expect.objectContaining({ path: 'one.c', status: 'modified', addedLines: [1] }),
      expect.objectContaining({ path: 'two.c', status: 'added', addedLines: [1] }),
    ]);
  });

  it('reads format-patch mail: skips the message and the signature', () => {
    const files = parseUnifiedDiff(
      lines(
        'From 1234567890abcdef Mon Sep 17 00:00:00 2001',
        'From: Someone <s@example.com>',
        'Subject: [PATCH] change',
        '',
        '---',
        ' x | 1 +',
        '',
        'diff --git a/x b/x',
        'index 1..2 100644',
        '--- a/x',
        '+++ b/x',
        '@@ -0,0 +1 @@',
        '+y',
        '-- ',
        '2.39.5',
        '',
      ),
    );
    expect(files).toEqual([expect.objectContaining({ path: 'x', addedLines: [1], unavailable: null })]);
  });

  it('changeSetFromUnifiedDiff carries base, head and the loader', async () => {
    const loadHead = async (path: string) => (path === 'x' ? new Uint8Array([120]) : null);
    const set = changeSetFromUnifiedDiff(lines('diff --git a/x b/x', 'new file mode 100644', '--- /dev/null', '+++ b/x', '@@ -0,0 +1 @@', '+x'), {
      base: 'main',
      head: 'feature',
      loadHead,
    });
    expect(set.base).toBe('main');
    expect(set.head).toBe('feature');
    expect(set.files.map((f) => f.path)).toEqual(['x']);
    expect(await set.loadHead('x')).toEqual(new Uint8Array([120]));
  });
});

describe('parseUnifiedDiff: malformed input', () => {
  it('throws a one-line DiffParseError naming the line when there is no file header', () => {
    let error: unknown;
    try {
      parseUnifiedDiff('\nthis is not a diff\n+x\n');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DiffParseError);
    expect((error as DiffParseError).line).toBe(2);
    expect((error as Error).message).toBe('diff line 2: expected a file header ("diff --git" or "---"), found "this is not a diff"');
  });

  it('throws when a file header names no file', () => {
    expect(() => parseUnifiedDiff(lines('diff --git ', 'new file mode 100644'))).toThrow(/^diff line 1: cannot tell the file name/);
  });

  it('throws on a broken quoted name, naming its line', () => {
    expect(() => parseUnifiedDiff(lines('diff --git a/x b/x', 'rename from "bad\\q"', 'rename to y'))).toThrow(
      new DiffParseError('diff line 2: cannot read the file name of "rename from \\"bad\\\\q\\""', 2),
    );
  });

  it('marks a file with a hunk shorter than its header unavailable and reads the next file', () => {
    const files = parseUnifiedDiff(
      lines(
        'diff --git a/cut.ts b/cut.ts',
        '--- a/cut.ts',
        '+++ b/cut.ts',
        '@@ -1,2 +1,5 @@',
        '+a',
        'diff --git a/ok.ts b/ok.ts',
        '--- a/ok.ts',
        '+++ b/ok.ts',
        '@@ -1 +1 @@',
        '-a',
        '+b',
      ),
    );
    expect(files[0]).toMatchObject({ path: 'cut.ts', unavailable: 'malformed hunk at diff line 4: 2 old and 4 new lines missing' });
    expect(files[1]).toMatchObject({ path: 'ok.ts', addedLines: [1], unavailable: null });
  });

  it('marks a file with a hunk longer than its header unavailable', () => {
    const files = parseUnifiedDiff(
      lines(
        'diff --git a/long.ts b/long.ts',
        '--- a/long.ts',
        '+++ b/long.ts',
        '@@ -1 +1 @@',
        '-a',
        '+b',
        '+c',
        'diff --git a/next.ts b/next.ts',
        'deleted file mode 100644',
      ),
    );
    expect(files[0]!.unavailable).toBe('malformed hunk at diff line 7: the hunk of line 4 has more lines than its header declares');
    expect(files[1]).toMatchObject({ path: 'next.ts', status: 'deleted', unavailable: null });
  });

  it('marks a file with a garbled hunk header or a stray line unavailable', () => {
    const files = parseUnifiedDiff(
      lines(
        'diff --git a/h.ts b/h.ts',
        '--- a/h.ts',
        '+++ b/h.ts',
        '@@ -x +1 @@',
        '+a',
        'diff --git a/s.ts b/s.ts',
        '--- a/s.ts',
        '+++ b/s.ts',
        '@@ -1,2 +1,2 @@',
        '-a',
        'garbage\u202e',
      ),
    );
    expect(files[0]!.unavailable).toBe('malformed hunk header at diff line 4: "@@ -x +1 @@"');
    expect(files[1]!.unavailable).toBe('malformed hunk at diff line 11: unexpected line inside the hunk of line 9: "garbage\\u202e"');
  });

  it('marks a hunk cut at the end of the diff unavailable', () => {
    const file = only(lines('diff --git a/t b/t', '--- a/t', '+++ b/t', '@@ -1,3 +1,3 @@', ' a'));
    expect(file.unavailable).toBe('malformed hunk at diff line 4: the diff ends early (2 old and 2 new lines missing)');
  });

  it('marks combined diffs of merges unavailable instead of misreading them', () => {
    const file = only(lines('diff --cc merged.txt', 'index 1,2..3', '@@@ -1,1 -1,1 +1,1 @@@', '- a', ' -b', '++c'));
    expect(file).toMatchObject({ path: 'merged.txt', unavailable: 'combined diff of a merge at diff line 1 is not supported' });
  });
});

describe('addedLinesFromPatch (GitHub files endpoint patches)', () => {
  it('reads hunks without file headers', () => {
    const patch = ['@@ -1,3 +1,4 @@', ' a', '+b', ' c', ' d', '@@ -10,2 +11,3 @@ function x() {', ' e', '+f', ' g'].join('\n');
    expect(addedLinesFromPatch(patch)).toEqual([2, 12]);
    expect(hunkStatsFromPatch(patch).deletedLineCount).toBe(0);
  });

  it('recognises the patch GitHub lists for a submodule, and nothing else', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(64);
    expect(isSubmodulePatch(`@@ -0,0 +1 @@\n+Subproject commit ${a}`)).toBe(true);
    expect(isSubmodulePatch(`@@ -1 +1 @@\n-Subproject commit ${a}\n+Subproject commit ${b}-dirty\n`)).toBe(true);
    expect(isSubmodulePatch(`@@ -1,2 +1,2 @@\n Subproject commit ${a}\n-x\n+y`)).toBe(false);
    expect(isSubmodulePatch(`@@ -0,0 +1 @@\n+Subproject commit ${a.slice(1)}`)).toBe(false);
    expect(isSubmodulePatch(`@@ -0,0 +1 @@\n+Subproject commit ${'A'.repeat(40)}`)).toBe(false);
    expect(isSubmodulePatch('')).toBe(false);
  });

  it('says after which head lines the change removes base lines', () => {
    const patch = ['@@ -1,4 +1,3 @@', ' a', '-b', '+B', '-c', ' d', '@@ -20,3 +19,2 @@', ' e', '-f', ' g'].join('\n');
    expect(hunkStatsFromPatch(patch)).toEqual({ addedLines: [2], deletedLineCount: 3, removedAfter: [1, 2, 19] });
  });

  it('returns [] for an empty patch and handles a missing final newline marker', () => {
    expect(addedLinesFromPatch('')).toEqual([]);
    expect(addedLinesFromPatch('@@ -0,0 +1 @@\n+x\n\\ No newline at end of file')).toEqual([1]);
  });

  it('throws a one-line error naming the patch line when malformed', () => {
    expect(() => addedLinesFromPatch('not a hunk')).toThrow(new DiffParseError('patch line 1: expected a hunk header, found "not a hunk"', 1));
    expect(() => addedLinesFromPatch('@@ -1 +1 @@\n-a\n+b\n+c')).toThrow('patch line 4: the hunk of line 1 has more lines than its header declares');
    expect(() => addedLinesFromPatch('@@ -1,2 +1 @@\n-a\n+b\n+c')).toThrow('patch line 4: more added lines than the hunk header at line 1 declares');
    expect(() => addedLinesFromPatch('@@ -1,4 +1,4 @@\n a')).toThrow('patch line 1: hunk ends early (3 old and 3 new lines missing)');
    expect(() => addedLinesFromPatch('@@ -1 +1 @@\n-a\n+b\nstray')).toThrow('patch line 4: line outside any hunk, found "stray"');
  });
});

describe('performance', () => {
  it('parses a 1,000-file / 100,000-line diff well under a second', () => {
    const parts: string[] = [];
    for (let f = 0; f < 1000; f++) {
      parts.push(`diff --git a/src/file${f}.ts b/src/file${f}.ts`, 'index 1111111..2222222 100644', `--- a/src/file${f}.ts`, `+++ b/src/file${f}.ts`);
      for (let h = 0; h < 10; h++) {
        parts.push(`@@ -${h * 20 + 1},5 +${h * 20 + 1},5 @@`);
        for (let l = 0; l < 5; l++) parts.push(`-const value${l} = computeSomething(${h}, ${l}); // old`);
        for (let l = 0; l < 5; l++) parts.push(`+const value${l} = computeSomethingElse(${h}, ${l}); // new`);
      }
    }
    const diff = parts.join('\n') + '\n';
    const started = performance.now();
    const files = parseUnifiedDiff(diff);
    const elapsed = performance.now() - started;
    expect(files).toHaveLength(1000);
    expect(files[999]!.addedLines).toHaveLength(50);
    expect(files.reduce((n, f) => n + f.addedLines.length + f.deletedLineCount, 0)).toBe(100_000);
    expect(elapsed).toBeLessThan(500);
  });
});

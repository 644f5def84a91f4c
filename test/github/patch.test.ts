import { describe, expect, it } from 'vitest';
import { hunkContaining, hunksOf, parseHunkRange, textOfAddedFile } from '../../src/github/patch.js';

describe('GitHub patches', () => {
  it('finds the head lines each hunk shows', () => {
    const patch = '@@ -1,3 +1,4 @@\n a\n+b\n c\n d\n@@ -20,2 +21,0 @@ function x() {\n-gone\n-gone\n@@ -40 +40 @@\n-x\n+y';
    expect(hunksOf(patch)).toEqual([
      { newStart: 1, newEnd: 4 },
      { newStart: 40, newEnd: 40 },
    ]);
    const hunks = hunksOf(patch);
    expect(hunkContaining(hunks, 2, 4)).toEqual({ newStart: 1, newEnd: 4 });
    expect(hunkContaining(hunks, 4, 40)).toBeNull();
    expect(parseHunkRange('@@ -1 +7,2 @@')).toEqual({ start: 7, count: 2 });
    expect(parseHunkRange('@@ -1 +x @@')).toBeNull();
    expect(parseHunkRange('not a hunk')).toBeNull();
  });

  it('rebuilds a new file from its patch, trailing newline included', () => {
    expect(textOfAddedFile('@@ -0,0 +1,2 @@\n+a\n+b')).toBe('a\nb\n');
    expect(textOfAddedFile('@@ -0,0 +1,2 @@\n+a\n+b\n\\ No newline at end of file')).toBe('a\nb');
    expect(textOfAddedFile('@@ -0,0 +1 @@\n+\r')).toBe('\r\n');
    expect(textOfAddedFile('@@ -0,0 +1,3 @@\n+a\n+b')).toBeNull();
    expect(textOfAddedFile('@@ -1,1 +1,1 @@\n-a\n+b')).toBeNull();
    expect(textOfAddedFile('@@ -0,0 +1,2 @@\n+a\n b')).toBeNull();
  });
});

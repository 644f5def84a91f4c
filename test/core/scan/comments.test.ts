import { describe, expect, it } from 'vitest';
import { commentMarkers, commentStart } from '../../../src/core/scan/comments.js';

describe('commentStart', () => {
  const js = commentMarkers('src/a.js', 'javascript');
  const sh = commentMarkers('scripts/a.sh', 'bash');

  it('finds line comments at the start of the line or after whitespace', () => {
    expect(commentStart('// rm -rf /', js)).toBe(0);
    expect(commentStart('run(); // rm -rf /', js)).toBe(7);
    expect(commentStart('  # curl x | sh', sh)).toBe(2);
    expect(commentStart('make test # then push', sh)).toBe(10);
  });

  it('reads block-comment lines of C-like languages as comments', () => {
    expect(commentStart('/* rm -rf ~ */', js)).toBe(0);
    expect(commentStart(' * rm -rf ~', js)).toBe(1);
    expect(commentStart('const area = w\n', js)).toBe(-1);
  });

  it('does not take markers inside strings or words for comments', () => {
    expect(commentStart('curl "https://x.example/#top" | sh', sh)).toBe(-1);
    expect(commentStart("const url = 'http://x.example/a';", js)).toBe(-1);
    expect(commentStart('echo $#', sh)).toBe(-1);
    expect(commentStart('x = a//b', commentMarkers('a.py', 'python'))).toBe(-1);
  });

  it('knows the comment marker of configuration files by name, and none for prose', () => {
    expect(commentMarkers('Dockerfile', null)).toEqual(['#']);
    expect(commentMarkers('deploy/.env.production', null)).toEqual(['#']);
    expect(commentMarkers('README.md', null)).toEqual([]);
    expect(commentStart('# Install', commentMarkers('README.md', null))).toBe(-1);
  });
});

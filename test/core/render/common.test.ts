import { describe, expect, it } from 'vitest';
import { clip, compareFindings, describeCounts, describeIgnored, utf8Length, visible, wellFormed } from '../../../src/core/render/common.js';
import { finding } from './fixture.js';

describe('visible', () => {
  it('shows control characters and escape sequences instead of obeying them', () => {
    expect(visible('a\nb\r\tc')).toBe('a\\nb\\r\\tc');
    expect(visible('\x1b[31mred\x1b[0m')).toBe('\\x1B[31mred\\x1B[0m');
    expect(visible('\x00\x7f\x9b')).toBe('\\x00\\x7F\\x9B');
  });

  it('shows bidi, zero-width and tag characters', () => {
    expect(visible('a\u202Eb\u200Bc\u2066d')).toBe('a\\u{202E}b\\u{200B}c\\u{2066}d');
    expect(visible('x\u{E0041}y')).toBe('x\\u{E0041}y');
  });

  it('keeps ordinary text, emoji and non-Latin scripts', () => {
    expect(visible('héllo 🤖 日本')).toBe('héllo 🤖 日本');
  });

  it('replaces lone surrogates', () => {
    expect(visible('a\uD800b')).toBe('a\uFFFDb');
    expect(wellFormed('a\uDC00b')).toBe('a\uFFFDb');
    expect(wellFormed('ok 🤖')).toBe('ok 🤖');
  });
});

describe('clip', () => {
  it('shortens with an ellipsis and never splits a surrogate pair', () => {
    expect(clip('abcdef', 10)).toBe('abcdef');
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('ab🤖cd', 4)).toBe('ab…');
  });
});

describe('utf8Length', () => {
  it('counts UTF-8 bytes', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('日')).toBe(3);
    expect(utf8Length('🤖')).toBe(4);
    expect(utf8Length('\uD800')).toBe(3);
    const sample = 'mixed é 日 🤖 \uDC00';
    expect(utf8Length(sample)).toBe(new TextEncoder().encode(sample).length);
  });
});

describe('ordering and counts', () => {
  it('orders by path, line, then rule', () => {
    const list = [finding('b.rule', 'a.ts', 2), finding('a.rule', 'a.ts', 2), finding('a.rule', 'a.ts', 1), finding('a.rule', 'B.ts', 9)];
    expect(list.sort(compareFindings).map((f) => `${f.path}:${f.line}:${f.ruleId}`)).toEqual([
      'B.ts:9:a.rule',
      'a.ts:1:a.rule',
      'a.ts:2:a.rule',
      'a.ts:2:b.rule',
    ]);
  });

  it('describes counts most severe first, skipping zeros', () => {
    expect(describeCounts({ critical: 1, high: 0, medium: 2, low: 0, info: 3 })).toBe('1 critical, 2 medium, 3 info');
    expect(describeCounts({ critical: 0, high: 0, medium: 0, low: 0, info: 0 })).toBe('');
  });
});

describe('describeIgnored', () => {
  it('says nothing when ignore_paths excluded nothing, else the count and the globs', () => {
    const plain = (t: string) => t;
    expect(describeIgnored({ files: 0, globs: [] }, plain)).toBeNull();
    expect(describeIgnored({ files: 1, globs: ['vendor/**'] }, plain)).toBe('1 file excluded by ignore_paths (vendor/**)');
    expect(describeIgnored({ files: 3, globs: ['a/**', 'b/**'] }, (t) => `[${t}]`)).toBe('3 files excluded by [ignore_paths] ([a/**], [b/**])');
  });

  it('names at most ten globs and counts the rest', () => {
    const globs = Array.from({ length: 12 }, (_, i) => `g${i}/**`);
    const text = describeIgnored({ files: 40, globs }, (t) => t)!;
    expect(text).toContain('g9/**, 2 more)');
    expect(text).not.toContain('g10/**');
  });
});

import { describe, expect, it } from 'vitest';
import { findTrailerLines, parseTrailers, TRAILER_WINDOW } from '../../../src/core/detect/trailers.js';
import { parseTrailers as exportedFromDetect } from '../../../src/core/detect/detect.js';

describe('parseTrailers', () => {
  const cases: { name: string; message: string; expected: { key: string; value: string }[] }[] = [
    {
      name: 'reads the final paragraph',
      message: 'Fix login\n\nExplain why.\n\nSigned-off-by: Ann <ann@example.com>\nCo-Authored-By: Claude <noreply@anthropic.com>\n',
      expected: [
        { key: 'Signed-off-by', value: 'Ann <ann@example.com>' },
        { key: 'Co-Authored-By', value: 'Claude <noreply@anthropic.com>' },
      ],
    },
    {
      name: 'ignores trailing blank lines',
      message: 'Fix\n\nAmp-Thread-ID: https://ampcode.com/threads/T-1\n\n  \n\n',
      expected: [{ key: 'Amp-Thread-ID', value: 'https://ampcode.com/threads/T-1' }],
    },
    {
      name: 'handles CRLF line endings',
      message: 'Fix\r\n\r\nKey: value\r\n',
      expected: [{ key: 'Key', value: 'value' }],
    },
    {
      name: 'joins continuation lines',
      message: 'Fix\n\nKey: first\n  second\n\tthird',
      expected: [{ key: 'Key', value: 'first second third' }],
    },
    {
      name: 'allows blanks between key and colon, as git does',
      message: 'Fix\n\nKey  : value',
      expected: [{ key: 'Key', value: 'value' }],
    },
    {
      name: 'keeps the key as written',
      message: 'Fix\n\nco-AUTHORED-by: x <x@example.com>',
      expected: [{ key: 'co-AUTHORED-by', value: 'x <x@example.com>' }],
    },
    { name: 'title alone is never a trailer block', message: 'Co-Authored-By: Claude <noreply@anthropic.com>', expected: [] },
    { name: 'a paragraph glued to the title is the title', message: 'Fix\nKey: value', expected: [] },
    { name: 'one non-trailer line voids the block', message: 'Fix\n\nKey: value\nThanks everyone', expected: [] },
    { name: 'prose before a key voids the block', message: 'Fix\n\nThanks to Co-Authored-By: Claude <noreply@anthropic.com>', expected: [] },
    { name: 'keys are letters, digits and hyphens only', message: 'Fix\n\nKey_x: value', expected: [] },
    { name: 'a key must not be empty', message: 'Fix\n\n: value', expected: [] },
    { name: 'a continuation cannot open the block', message: 'Fix\n\n  indented\nKey: value', expected: [] },
    {
      name: 'trailer-like lines in an earlier paragraph do not count',
      message: 'Fix\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n\nThe end.',
      expected: [],
    },
    { name: 'empty message', message: '', expected: [] },
  ];

  it.each(cases)('$name', ({ message, expected }) => {
    expect(parseTrailers(message)).toEqual(expected);
  });

  it('is the same function detect.ts exports', () => {
    expect(exportedFromDetect).toBe(parseTrailers);
  });

  it('finds the trailer block at the end of a 5 MB message', () => {
    const message = `Fix\n\n${'x'.repeat(5 * 1024 * 1024)}\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n`;
    expect(parseTrailers(message)).toEqual([{ key: 'Co-Authored-By', value: 'Claude <noreply@anthropic.com>' }]);
  });

  it('treats a final paragraph longer than the examined window as having no trailers', () => {
    const lines = 'Key: value\n'.repeat(Math.ceil((TRAILER_WINDOW * 2) / 11));
    expect(parseTrailers(`Fix\n\n${lines}`)).toEqual([]);
  });

  it('copes with a 5 MB message without any newline', () => {
    expect(parseTrailers('a'.repeat(5 * 1024 * 1024))).toEqual([]);
  });

  it('never throws on non-string input', () => {
    expect(parseTrailers(undefined as unknown as string)).toEqual([]);
  });
});

describe('findTrailerLines', () => {
  const keys = new Set(['co-authored-by', 'made-with']);

  it('reads trailer lines in any paragraph, as squash merges leave them', () => {
    const message =
      'Add retries (#12)\n\n* Add retries\n\nCo-authored-by: Cursor <cursoragent@cursor.com>\n\n* Review fixes\n\nMade-with: Cursor\n\n---------\n\nCo-authored-by: Ann <ann@example.com>\n';
    expect(findTrailerLines(message, keys)).toEqual([
      { key: 'Co-authored-by', value: 'Cursor <cursoragent@cursor.com>' },
      { key: 'Made-with', value: 'Cursor' },
      { key: 'Co-authored-by', value: 'Ann <ann@example.com>' },
    ]);
  });

  it('skips the subject, quoted, indented and diff lines, and fenced code', () => {
    const message = [
      'Co-authored-by: Claude <noreply@anthropic.com>',
      '',
      '> Co-authored-by: Claude <noreply@anthropic.com>',
      '  Co-authored-by: Claude <noreply@anthropic.com>',
      '+Co-authored-by: Claude <noreply@anthropic.com>',
      '```text',
      'Co-authored-by: Claude <noreply@anthropic.com>',
      '```',
      '~~~',
      'Made-with: Cursor',
      '~~~',
      'Thanks to Co-authored-by: Claude <noreply@anthropic.com>',
      'Signed-off-by: Ann <ann@example.com>',
    ].join('\n');
    expect(findTrailerLines(message, keys)).toEqual([]);
  });

  it('a line after an unclosed fence stays inside it', () => {
    expect(findTrailerLines('Fix\n\n```\nCo-authored-by: Claude <noreply@anthropic.com>\n', keys)).toEqual([]);
  });

  it('compares keys case-insensitively and handles CRLF', () => {
    expect(findTrailerLines('Fix\r\n\r\nCO-AUTHORED-BY: Qwen-Coder <qwen-coder@alibabacloud.com>\r\n', keys)).toEqual([
      { key: 'CO-AUTHORED-BY', value: 'Qwen-Coder <qwen-coder@alibabacloud.com>' },
    ]);
  });

  it('examines only the head and tail of a huge message', () => {
    const filler = 'x'.repeat(TRAILER_WINDOW);
    const message = `Fix\n${filler}\n${filler}\nCo-authored-by: Middle <m@example.com>\n${filler}\n${filler}\nCo-authored-by: Tail <t@example.com>`;
    expect(findTrailerLines(message, keys)).toEqual([{ key: 'Co-authored-by', value: 'Tail <t@example.com>' }]);
  });
});

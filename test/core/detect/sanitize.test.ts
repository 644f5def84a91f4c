import { describe, expect, it } from 'vitest';
import { sanitizeEvidenceText } from '../../../src/core/detect/sanitize.js';

describe('sanitizeEvidenceText', () => {
  const cases: { name: string; input: string; expected: string }[] = [
    { name: 'plain text is kept', input: 'codex/fix-login', expected: 'codex/fix-login' },
    { name: 'emoji are kept', input: '🤖 Generated', expected: '🤖 Generated' },
    { name: 'newlines and tabs become one space', input: 'a\r\n\tb\n\nc', expected: 'a b c' },
    { name: 'C0 controls and ANSI escapes are removed', input: 'red\u001b[31mtext\u0007\u0000', expected: 'red[31mtext' },
    { name: 'C1 controls and DEL are removed', input: 'a\u0085b\u009bc\u007fd', expected: 'abcd' },
    { name: 'bidi overrides and isolates are removed', input: 'abc\u202Eevil\u202C\u2066x\u2069\u200F', expected: 'abcevilx' },
    { name: 'zero-width characters are removed', input: 'cl\u200Bau\u200Cd\u200De\u2060\uFEFF', expected: 'claude' },
    { name: 'tag characters are removed', input: 'ok\u{E0041}\u{E0042}', expected: 'ok' },
    { name: 'Unicode line separators are removed', input: 'a\u2028b\u2029c', expected: 'abc' },
    { name: 'a lone surrogate becomes U+FFFD', input: 'a\uD800b', expected: 'a\uFFFDb' },
    { name: 'long values are capped with an ellipsis', input: 'x'.repeat(200), expected: `${'x'.repeat(80)}…` },
  ];

  it.each(cases)('$name', ({ input, expected }) => {
    expect(sanitizeEvidenceText(input)).toBe(expected);
  });

  it('caps at the requested length in code points', () => {
    expect(sanitizeEvidenceText('🤖🤖🤖🤖', 2)).toBe('🤖🤖…');
  });

  it('bounds the work on huge input made mostly of hidden characters', () => {
    const hostile = '\u200B'.repeat(5_000_000) + 'visible';
    expect(sanitizeEvidenceText(hostile)).toBe('…');
  });
});

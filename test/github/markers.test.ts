import { describe, expect, it } from 'vitest';
import { formatMarker, parseMarker, type Marker } from '../../src/github/markers.js';

describe('hidden markers', () => {
  it('round-trips every marker kind', () => {
    const markers: Marker[] = [
      { kind: 'fp', fingerprint: '0123456789abcdef0123' },
      { kind: 'review', sha: 'a'.repeat(40) },
      { kind: 'reply', commentId: 123456 },
      { kind: 'resolved', fingerprint: '0123456789abcdef0123', sha: 'b'.repeat(40) },
      { kind: 'pin', commentId: 42, target: 'js.injection.child-process-exec', fingerprints: ['0123456789abcdef0123', 'deadbeefdeadbeef'] },
      { kind: 'pin', commentId: 43, target: 'py.x', fingerprints: [] },
    ];
    for (const marker of markers) expect(parseMarker(`Some text\n\n${formatMarker(marker)}\n`)).toEqual(marker);
  });

  it('only reads the last line, and only well-formed values', () => {
    const quoted = `${formatMarker({ kind: 'fp', fingerprint: 'deadbeefdeadbeef' })}\nthen text the pull request wrote`;
    expect(parseMarker(quoted)).toBeNull();
    expect(parseMarker('<!-- airlock:fp=XYZ -->')).toBeNull();
    expect(parseMarker('<!-- airlock:fp=dead -->')).toBeNull();
    expect(parseMarker('<!-- airlock:reply=12a -->')).toBeNull();
    expect(parseMarker('<!-- airlock:resolved=deadbeefdeadbeef -->')).toBeNull();
    expect(parseMarker('<!-- airlock:unknown=1 -->')).toBeNull();
    expect(parseMarker('<!-- airlock:pin=1:js.x:nothex -->')).toBeNull();
    expect(parseMarker('<!-- airlock:pin=1:js<x>:deadbeef -->')).toBeNull();
    expect(parseMarker('<!-- airlock:pin=1:js.x:deadbeef:extra -->')).toBeNull();
    expect(parseMarker(`<!-- airlock:pin=1:js.x:${Array(1001).fill('deadbeef').join(',')} -->`)).toBeNull();
    expect(parseMarker(null)).toBeNull();
    expect(parseMarker('')).toBeNull();
  });
});

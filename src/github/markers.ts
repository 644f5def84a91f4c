// Hidden markers the app writes at the very end of its comments, so later runs can find
// what it already said without any database. Only comments written by the app itself are
// ever searched for markers (anyone can type a marker into their own comment), and only
// the marker on the last line counts (our comments quote text from the pull request).

import { isTargetChar } from './commands.js';

export type Marker =
  | { kind: 'fp'; fingerprint: string }
  | { kind: 'review'; sha: string }
  | { kind: 'reply'; commentId: number }
  | { kind: 'resolved'; fingerprint: string; sha: string }
  /** The findings an allowance by rule id (comment `commentId`) covers: those reported when it was written. */
  | { kind: 'pin'; commentId: number; target: string; fingerprints: string[] };

const OPEN = '<!-- airlock:';
const CLOSE = ' -->';

function isHex(text: string, min: number, max: number): boolean {
  if (text.length < min || text.length > max) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

function isDigits(text: string): boolean {
  if (text.length === 0 || text.length > 15) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export function formatMarker(marker: Marker): string {
  switch (marker.kind) {
    case 'fp':
      return `${OPEN}fp=${marker.fingerprint}${CLOSE}`;
    case 'review':
      return `${OPEN}review=${marker.sha}${CLOSE}`;
    case 'reply':
      return `${OPEN}reply=${marker.commentId}${CLOSE}`;
    case 'resolved':
      return `${OPEN}resolved=${marker.fingerprint}@${marker.sha}${CLOSE}`;
    case 'pin':
      return `${OPEN}pin=${marker.commentId}:${marker.target}:${marker.fingerprints.join(',')}${CLOSE}`;
  }
}

/** The marker on the last non-empty line of a body we wrote, or null. */
export function parseMarker(body: string | null | undefined): Marker | null {
  if (!body) return null;
  const trimmed = body.trimEnd();
  const lineStart = trimmed.lastIndexOf('\n') + 1;
  const line = trimmed.slice(lineStart);
  if (!line.startsWith(OPEN) || !line.endsWith(CLOSE)) return null;
  const inner = line.slice(OPEN.length, line.length - CLOSE.length);
  const eq = inner.indexOf('=');
  if (eq < 0) return null;
  const key = inner.slice(0, eq);
  const value = inner.slice(eq + 1);
  if (key === 'fp' && isHex(value, 8, 64)) return { kind: 'fp', fingerprint: value };
  if (key === 'review' && isHex(value, 7, 64)) return { kind: 'review', sha: value };
  if (key === 'reply' && isDigits(value)) return { kind: 'reply', commentId: Number(value) };
  if (key === 'resolved') {
    const at = value.indexOf('@');
    const fp = value.slice(0, at);
    const sha = value.slice(at + 1);
    if (at > 0 && isHex(fp, 8, 64) && isHex(sha, 7, 64)) return { kind: 'resolved', fingerprint: fp, sha };
  }
  if (key === 'pin') return parsePin(value);
  return null;
}

const MAX_PIN_TARGET = 120;
/** Fingerprints one pin lists at most (a comment body holds about 3,000). */
export const MAX_PINNED = 1000;

function parsePin(value: string): Marker | null {
  const [id, target, list, extra] = value.split(':');
  if (id === undefined || target === undefined || list === undefined || extra !== undefined || !isDigits(id)) return null;
  if (target === '' || target.length > MAX_PIN_TARGET || ![...target].every(isTargetChar)) return null;
  const fingerprints = list === '' ? [] : list.split(',');
  if (fingerprints.length > MAX_PINNED || !fingerprints.every((fp) => isHex(fp, 8, 64))) return null;
  return { kind: 'pin', commentId: Number(id), target, fingerprints };
}

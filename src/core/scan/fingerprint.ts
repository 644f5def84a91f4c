import { createHash } from 'node:crypto';

/** Whitespace-insensitive form of matched text, so reformatting code keeps its fingerprint. */
export function normalizeMatchedText(text: string): string {
  return text.replace(/\s+/g, '');
}

/**
 * A fingerprint identifies a finding across pushes: rule + path + the normalised matched
 * text, plus the occurrence index among identical matches in that file. Line numbers are
 * deliberately left out so that a finding survives code moving around. The findings a review
 * reports are grouped (src/core/group.ts): a group takes the index 0 of its key, so adding an
 * occurrence does not change it.
 */
export function fingerprint(ruleId: string, path: string, normalizedText: string, occurrence: number): string {
  return createHash('sha256').update(`${ruleId}\0${path}\0${normalizedText}\0${occurrence}`).digest('hex').slice(0, 20);
}

// Text helpers shared by the engines and analyzers: one way to decode and split.

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Decodes UTF-8; invalid byte sequences become U+FFFD instead of failing. */
export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** True when the bytes look binary (a NUL byte in the first 8 KiB, as git decides). */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8000);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

/** Splits on \n and drops one trailing \r per line (CRLF files); a final newline adds no empty line. */
export function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  return lines;
}

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/-]/g;

/** A literal as a regular expression that matches exactly it (RE2 and JS syntax alike). */
export function escapeRegexLiteral(literal: string): string {
  return literal.replace(REGEX_SPECIAL, '\\$&');
}

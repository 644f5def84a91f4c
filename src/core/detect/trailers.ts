// Git trailer parsing ("Key: value" lines at the end of a commit message), following git's
// interpret-trailers rules closely enough that a key mentioned in the message body never counts.

export interface Trailer {
  /** Key as written (compare case-insensitively). */
  key: string;
  /** Value with continuation lines joined by single spaces. */
  value: string;
}

/**
 * Only this many characters at the end of a message are examined. Real trailer blocks are a few
 * lines; the cap keeps parsing cheap on megabyte messages written by the distrusted party. A
 * final paragraph longer than this is treated as having no trailers.
 */
export const TRAILER_WINDOW = 64 * 1024;

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0b && c !== 0x0c) return false;
  }
  return true;
}

function isTokenChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d;
}

/**
 * Index of the ':' separating a trailer key from its value, or -1. As in git: the key is one or
 * more of [A-Za-z0-9-], optionally followed by blanks, then the separator.
 */
function findSeparator(line: string): number {
  let i = 0;
  while (i < line.length && isTokenChar(line.charCodeAt(i))) i++;
  if (i === 0) return -1;
  while (i < line.length && (line.charCodeAt(i) === 0x20 || line.charCodeAt(i) === 0x09)) i++;
  return i < line.length && line.charCodeAt(i) === 0x3a ? i : -1;
}

/**
 * Parses the trailers of a commit message. The trailer block is the last paragraph (after
 * trailing blank lines), provided it is not the first paragraph (the title) and every line is
 * `Token: value` or a continuation (a line starting with a blank) of the previous trailer.
 * Anything else means the message has no trailers.
 */
export function parseTrailers(message: string): Trailer[] {
  if (typeof message !== 'string' || message.length === 0) return [];
  const windowed = message.length > TRAILER_WINDOW;
  const lines = (windowed ? message.slice(-TRAILER_WINDOW) : message).split('\n');
  if (windowed) lines.shift(); // the first line of the window is cut

  let end = lines.length;
  while (end > 0 && isBlank(lines[end - 1]!)) end--;
  let start = end;
  while (start > 0 && !isBlank(lines[start - 1]!)) start--;
  // start === 0: the last paragraph is the title (or runs past the window).
  if (start === 0 || start === end) return [];

  const trailers: Trailer[] = [];
  for (let i = start; i < end; i++) {
    let line = lines[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      const previous = trailers[trailers.length - 1];
      if (!previous) return [];
      const more = line.trim();
      previous.value = previous.value.length === 0 ? more : `${previous.value} ${more}`;
      continue;
    }
    const separator = findSeparator(line);
    if (separator < 0) return [];
    trailers.push({ key: line.slice(0, separator).trim(), value: line.slice(separator + 1).trim() });
  }
  return trailers;
}

/**
 * Trailer-shaped lines anywhere in a message, for the keys asked for: squash merges and
 * rebased series carry each original commit's trailers in the middle of the message, and a
 * trailer block followed by free text is no trailer block to git. A line counts only when the
 * key starts the line (an indented, quoted `> …` or diff `+…` line is someone quoting it) and it
 * is outside a fenced code block. Values are single lines. Keys compare case-insensitively.
 */
export function findTrailerLines(message: string, keys: ReadonlySet<string>): Trailer[] {
  if (typeof message !== 'string' || message.length === 0 || keys.size === 0) return [];
  const text = message.length > TRAILER_WINDOW * 2 ? `${message.slice(0, TRAILER_WINDOW)}\n\n${message.slice(-TRAILER_WINDOW)}` : message;
  const found: Trailer[] = [];
  let fence: string | null = null;
  // The subject is a title, never a trailer.
  for (let line of text.split('\n').slice(1)) {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const fenceMatch = /^ {0,3}(```|~~~)/.exec(line);
    if (fenceMatch) {
      if (fence === null) fence = fenceMatch[1]!;
      else if (fenceMatch[1] === fence) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const separator = findSeparator(line);
    if (separator < 0) continue;
    const key = line.slice(0, separator).trim();
    if (!keys.has(key.toLowerCase())) continue;
    found.push({ key, value: line.slice(separator + 1).trim() });
  }
  return found;
}

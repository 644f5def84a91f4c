// Package-name helpers shared by the dependency analyzer and the popularity-data loader.

/** npm refuses names longer than this; longer "names" are not worth comparing. */
export const NPM_NAME_MAX = 214;
/** PyPI has no hard limit, but nothing popular comes close to this. */
export const PYPI_NAME_MAX = 200;

function isSeparator(code: number): boolean {
  return code === 45 /* - */ || code === 95 /* _ */ || code === 46 /* . */;
}

/** PEP 503 normalization: lowercase, every run of `-`, `_`, `.` becomes one `-`. */
export function normalizePypiName(name: string): string {
  let out = '';
  let inRun = false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (isSeparator(code)) {
      if (!inRun) out += '-';
      inRun = true;
    } else {
      out += name[i]!.toLowerCase();
      inRun = false;
    }
  }
  return out;
}

/**
 * The name with separators and npm scope punctuation removed, lowercased:
 * `lodash.merge`, `lodash-merge` and `lodash_merge` share one skeleton, as do
 * `@types/node` and `types-node`. Two different names with one skeleton are easy to confuse.
 */
export function nameSkeleton(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (isSeparator(code) || code === 64 /* @ */ || code === 47 /* / */) continue;
    out += name[i]!;
  }
  return out.toLowerCase();
}

function isNpmNameChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 48 && code <= 57) || // 0-9
    code === 45 || // -
    code === 46 || // .
    code === 95 || // _
    code === 126 // ~
  );
}

function isNpmNamePart(part: string): boolean {
  if (part.length === 0 || part.charCodeAt(0) === 46 || part.charCodeAt(0) === 95) return false;
  for (let i = 0; i < part.length; i++) if (!isNpmNameChar(part.charCodeAt(i))) return false;
  return true;
}

/** A syntactically valid npm package name (`name` or `@scope/name`), compared lowercased. */
export function isValidNpmName(name: string): boolean {
  if (name.length === 0 || name.length > NPM_NAME_MAX) return false;
  const lower = name.toLowerCase();
  if (lower.startsWith('@')) {
    const slash = lower.indexOf('/');
    if (slash < 0) return false;
    return isNpmNamePart(lower.slice(1, slash)) && isNpmNamePart(lower.slice(slash + 1));
  }
  return isNpmNamePart(lower);
}

function isPypiNameChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || isSeparator(code)
  );
}

/**
 * Reads a PEP 508 project name at the start of `text` (after leading blanks).
 * Returns the name and where it ends, or null when the text does not start with one.
 */
export function readPypiName(text: string, from = 0): { name: string; start: number; end: number } | null {
  let i = from;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  const start = i;
  while (i < text.length && i - start <= PYPI_NAME_MAX && isPypiNameChar(text.charCodeAt(i))) i++;
  let end = i;
  // Names start and end with a letter or digit.
  while (end > start && isSeparator(text.charCodeAt(end - 1))) end--;
  if (end === start || isSeparator(text.charCodeAt(start)) || end - start > PYPI_NAME_MAX) return null;
  return { name: text.slice(start, end), start, end };
}

/**
 * Splits an npm install argument such as `lodash@^4`, `@types/node@20` or
 * `alias@npm:real@1` into the package name that would be fetched.
 */
export function npmSpecName(spec: string): string {
  let name = spec;
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  let range = '';
  if (at > 0) {
    name = spec.slice(0, at);
    range = spec.slice(at + 1);
  }
  if (range.startsWith('npm:')) return npmSpecName(range.slice(4));
  return name;
}

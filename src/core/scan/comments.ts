import type { Language } from '../rules/schema.js';

// Where a comment starts on a line, for rules about commands and settings: a command written in
// a comment does not run. Conservative: a marker counts only at the start of the line or after
// whitespace, outside quotes, so `curl "http://x/#a" | sh` is still code.

const HASH = ['#'];
const SLASHES = ['//'];
const MARKERS: Readonly<Record<Language, readonly string[]>> = {
  javascript: SLASHES,
  typescript: SLASHES,
  tsx: SLASHES,
  go: SLASHES,
  java: SLASHES,
  php: ['//', '#'],
  python: HASH,
  ruby: HASH,
  bash: HASH,
  yaml: HASH,
};

/** Files the languages above do not cover whose comments start with `#`. */
const HASH_FILES = /(?:^|\/)(?:Dockerfile[^/]*|Containerfile|Makefile|GNUmakefile|[^/]*\.mk|\.env[^/]*|[^/]*\.(?:toml|ini|cfg|conf|properties|tf|hcl))$/i;

/** The comment markers of a file, by its language or, for a few configuration formats, its name. */
export function commentMarkers(path: string, language: Language | null): readonly string[] {
  if (language) return MARKERS[language];
  return HASH_FILES.test(path) ? HASH : [];
}

/** The index where a comment starts on `line`, or -1. Block-comment lines (`/*`, ` * …`) start at their first character. */
export function commentStart(line: string, markers: readonly string[]): number {
  if (markers.length === 0) return -1;
  const indent = line.length - line.trimStart().length;
  if (markers.includes('//') && /^(?:\/\*|\*(?:\s|$))/.test(line.slice(indent))) return indent;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      quote = c;
      continue;
    }
    if ((i === 0 || /\s/.test(line[i - 1]!)) && markers.some((m) => line.startsWith(m, i))) return i;
  }
  return -1;
}

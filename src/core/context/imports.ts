// Which other files of a change a file imports or runs, read from its head text. A file that a
// production file imports is production, whatever its name (`src/testing_utils.py`); see
// change.ts. Only what the change shows is known: imports from files outside it are not seen.

/** One import, as the files it may be: exact repository paths, path suffixes, or a Go package directory. */
export type ImportTarget = { exact: string[] } | { suffix: string[] } | { goPackage: string };

const JS_FILE = /\.(?:[cm]?[jt]sx?|vue|svelte)$/;
const JS_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];
const JS_IMPORT = [
  /\bfrom\s*['"](\.{1,2}\/[^'"]*|\.{1,2})['"]/g,
  /\bimport\s*['"](\.{1,2}\/[^'"]*)['"]/g,
  /\b(?:require|import)\s*\(\s*['"](\.{1,2}\/[^'"]*|\.{1,2})['"]\s*\)/g,
];

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** `a/b` + `../c/./d` → `a/c/d`; null when it climbs above the repository root. */
export function joinPath(dir: string, relative: string): string | null {
  const out = dir === '' ? [] : dir.split('/');
  for (const seg of relative.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(seg);
  }
  return out.join('/');
}

/** The files a relative JS/TS specifier may name: as written, with an extension, or a folder's index. */
function jsCandidates(target: string): string[] {
  const stem = target.replace(/\.(?:[cm]?js|jsx)$/, '');
  const out = [target];
  for (const ext of JS_EXTENSIONS) out.push(`${stem}${ext}`);
  for (const ext of JS_EXTENSIONS) out.push(`${target}/index${ext}`);
  return out;
}

function jsTargets(path: string, lines: readonly string[]): ImportTarget[] {
  const dir = dirOf(path);
  const out: ImportTarget[] = [];
  for (const line of lines) {
    if (!line.includes('import') && !line.includes('require') && !line.includes('from')) continue;
    for (const pattern of JS_IMPORT) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(line); m; m = pattern.exec(line)) {
        const target = joinPath(dir, m[1]!);
        if (target !== null) out.push({ exact: jsCandidates(target) });
      }
    }
  }
  return out;
}

const PY_FROM = /^\s*from\s+(\.*)([\w.]*)\s+import\s+\(?\s*([\w\s,]*)/;
const PY_IMPORT = /^\s*import\s+([\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)/;

function pyModuleFiles(module: string): string[] {
  return [`${module}.py`, `${module}/__init__.py`];
}

function pythonTargets(path: string, lines: readonly string[]): ImportTarget[] {
  const out: ImportTarget[] = [];
  for (const line of lines) {
    if (!line.includes('import')) continue;
    const from = PY_FROM.exec(line);
    if (from) {
      const [, dots, module, names] = from;
      const modulePath = module!.replace(/\./g, '/');
      const imported = (names ?? '')
        .split(',')
        .map((n) => n.trim().split(/\s+/)[0] ?? '')
        .filter((n) => /^\w+$/.test(n));
      const modules = [modulePath, ...imported.map((n) => (modulePath ? `${modulePath}/${n}` : n))].filter((m) => m !== '');
      if (dots!.length > 0) {
        // from . import x / from ..pkg import y: relative to the importing file's package.
        let base: string | null = dirOf(path);
        for (let i = 1; i < dots!.length && base !== null; i++) base = base === '' ? null : dirOf(base);
        if (base === null) continue;
        out.push({ exact: modules.flatMap((m) => pyModuleFiles(base === '' ? m : `${base}/${m}`)) });
      } else {
        out.push({ suffix: modules.flatMap(pyModuleFiles) });
      }
      continue;
    }
    const plain = PY_IMPORT.exec(line);
    if (plain) {
      const modules = plain[1]!.split(',').map((m) => m.trim().split(/\s+/)[0]!.replace(/\./g, '/'));
      out.push({ suffix: modules.flatMap(pyModuleFiles) });
    }
  }
  return out;
}

function goTargets(lines: readonly string[]): ImportTarget[] {
  const out: ImportTarget[] = [];
  let inBlock = false;
  for (const line of lines) {
    const trimmed = line.trim();
    if (inBlock) {
      if (trimmed.startsWith(')')) {
        inBlock = false;
        continue;
      }
      const m = /^(?:[\w.]+\s+)?"([^"]+)"/.exec(trimmed);
      if (m) out.push({ goPackage: m[1]! });
      continue;
    }
    if (/^import\s*\($/.test(trimmed)) inBlock = true;
    else {
      const m = /^import\s+(?:[\w.]+\s+)?"([^"]+)"/.exec(trimmed);
      if (m) out.push({ goPackage: m[1]! });
    }
    // Imports come before any declaration.
    if (/^(?:func|type|var|const)\b/.test(trimmed)) break;
  }
  return out;
}

/** What a file imports among the files of the repository, as candidates to match against the change. */
export function importTargets(path: string, lines: readonly string[]): ImportTarget[] {
  if (lines.length === 0) return [];
  if (JS_FILE.test(path)) return jsTargets(path, lines);
  if (path.endsWith('.py')) return pythonTargets(path, lines);
  if (path.endsWith('.go')) return goTargets(lines);
  return [];
}

/** Files a package.json's scripts run (`node scripts/setup.js`, `sh ./tools/install.sh`), relative to it. */
export function scriptTargets(path: string, text: string): string[] {
  if (!/(?:^|\/)package\.json$/.test(path)) return [];
  let scripts: unknown;
  try {
    scripts = (JSON.parse(text) as { scripts?: unknown }).scripts;
  } catch {
    return [];
  }
  if (!scripts || typeof scripts !== 'object') return [];
  const dir = dirOf(path);
  const out: string[] = [];
  for (const command of Object.values(scripts as Record<string, unknown>)) {
    if (typeof command !== 'string') continue;
    for (const word of command.split(/[\s;&|()]+/)) {
      const bare = word.replace(/^['"]|['"]$/g, '');
      if (!/\.(?:[cm]?[jt]s|sh|py|rb|pl)$/.test(bare) || /^[a-z]+:\/\//.test(bare)) continue;
      const target = joinPath(dir, bare);
      if (target !== null) out.push(target);
    }
  }
  return out;
}

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { normalizePypiName } from '../core/analyzers/dependencies/package-names.js';
import type { ScanData } from '../core/rules/types.js';
import { DATA_DIR } from './package-root.js';

// Loads the package popularity snapshots shipped in data/ (see data/README.md).

export const POPULAR_NPM_FILE = 'popular-npm.tsv';
export const POPULAR_PYPI_FILE = 'popular-pypi.tsv';

/** A problem in a data file, always one line naming the file and line. */
export class ScanDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScanDataError';
  }
}

function isDigits(text: string): boolean {
  if (text.length === 0 || text.length > 15) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Parses `name<TAB>number` lines; `#` lines and blank lines are skipped.
 * `normalize` maps each name to its canonical form; when two lines share one,
 * `prefer` decides which number is kept.
 */
export function parsePopularityTsv(
  fileName: string,
  text: string,
  normalize: (name: string) => string = (name) => name,
  prefer: (a: number, b: number) => number = Math.max,
): Map<string, number> {
  const result = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = line.split('\t');
    const name = fields[0]?.trim() ?? '';
    const value = fields[1]?.trim() ?? '';
    if (fields.length !== 2 || name === '' || !isDigits(value)) {
      const shown = line.length > 60 ? `${line.slice(0, 60)}…` : line;
      throw new ScanDataError(`${fileName}: line ${i + 1}: expected "name<TAB>number", got ${JSON.stringify(shown)}`);
    }
    const key = normalize(name);
    const number = Number(value);
    const existing = result.get(key);
    result.set(key, existing === undefined ? number : prefer(existing, number));
  }
  return result;
}

async function loadFrom(dir: string): Promise<ScanData> {
  const npmPath = join(dir, POPULAR_NPM_FILE);
  const pypiPath = join(dir, POPULAR_PYPI_FILE);
  const read = async (path: string): Promise<string> => {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new ScanDataError(`${path}: cannot read package popularity data (${reason})`);
    }
  };
  const [npmText, pypiText] = await Promise.all([read(npmPath), read(pypiPath)]);
  // Parsed on first use: only a change to a dependency manifest needs the lists, and parsing
  // both costs more than the rest of start-up. A malformed line then fails that analyzer, which
  // the scan reports as "not reviewed" for the manifest, naming the data file and line.
  const lazy = <T>(parse: () => T): (() => T) => {
    let value: T | undefined;
    return () => (value ??= parse());
  };
  // npm: downloads a month, keep the larger; names are compared as written (npm names are lowercase).
  const npm = lazy(() => parsePopularityTsv(npmPath, npmText, (name) => name.toLowerCase(), Math.max));
  // PyPI: rank, keep the better (smaller) one when two spellings normalize alike.
  const pypi = lazy(() => parsePopularityTsv(pypiPath, pypiText, normalizePypiName, Math.min));
  return {
    get popularNpm() {
      return npm();
    },
    get popularPypi() {
      return pypi();
    },
  };
}

const cache = new Map<string, Promise<ScanData>>();

/** Loads the popularity data once per process; later calls share the result. */
export function loadScanData(dir: string = DATA_DIR): Promise<ScanData> {
  let pending = cache.get(dir);
  if (!pending) {
    pending = loadFrom(dir);
    // A failed load is not cached, so a fixed file can be retried.
    pending.catch(() => cache.delete(dir));
    cache.set(dir, pending);
  }
  return pending;
}

import type { Finding, SuppressedFinding } from '../model.js';
import { classifyFile, type FileContext } from './classify.js';
import { importTargets, scriptTargets, type ImportTarget } from './imports.js';

// The contexts of one change's files. Each file is classified on its own as it is scanned
// (`record`); once all are, `settle` corrects what only the whole change shows: a file named
// like a test or an example that production code imports or a package.json script runs is
// production, and its findings get back what its name took from them.

/** Contexts a file may have by its name alone, and lose to an import. */
const BY_NAME = new Set(['test', 'fixture', 'example']);

interface Entry {
  context: FileContext;
  imports: ImportTarget[];
  runs: string[];
}

function suffixesOf(path: string): string[] {
  const segs = path.split('/');
  return segs.map((_, i) => segs.slice(i).join('/'));
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function append(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class ChangeContexts {
  private readonly files = new Map<string, Entry>();

  /**
   * Classifies a file from its path and head lines (empty when unreadable) and remembers what it
   * imports. `addedToExisting`: the change's added lines when the file existed before it.
   */
  record(path: string, lines: readonly string[], addedToExisting?: ReadonlySet<number>): FileContext {
    const context = classifyFile(path, lines, addedToExisting ? (line) => addedToExisting.has(line) : undefined);
    const imports = importTargets(path, lines);
    const runs = lines.length > 0 ? scriptTargets(path, lines.join('\n')) : [];
    this.files.set(path, { context, imports, runs });
    return context;
  }

  /**
   * Files classified test, fixture or example by name that a production file of the change
   * imports (directly or through other such files) or that a package.json script runs, each
   * with the reason it is production.
   */
  promotions(): Map<string, string> {
    const candidates = [...this.files].filter(([, e]) => BY_NAME.has(e.context.kind)).map(([p]) => p);
    const promoted = new Map<string, string>();
    if (candidates.length === 0) return promoted;
    const exact = new Set(candidates);
    const bySuffix = new Map<string, string[]>();
    const byGoDir = new Map<string, string[]>();
    for (const path of candidates) {
      for (const s of suffixesOf(path)) append(bySuffix, s, path);
      // The go tool skips _test.go files and testdata/ folders: no import reaches them.
      if (path.endsWith('.go') && !path.endsWith('_test.go') && !path.split('/').includes('testdata')) {
        const dir = dirOf(path);
        if (dir !== '') for (const s of suffixesOf(dir)) append(byGoDir, s, path);
      }
    }
    const resolve = (target: ImportTarget): string[] => {
      if ('exact' in target) return target.exact.filter((p) => exact.has(p));
      if ('suffix' in target) return target.suffix.flatMap((s) => bySuffix.get(s) ?? []);
      const segs = target.goPackage.split('/');
      return segs.flatMap((_, i) => byGoDir.get(segs.slice(i).join('/')) ?? []).filter((p, i, all) => all.indexOf(p) === i);
    };
    const queue: string[] = [];
    const promote = (path: string, reason: string) => {
      if (promoted.has(path) || !exact.has(path)) return;
      promoted.set(path, reason);
      queue.push(path);
    };
    for (const [path, entry] of this.files) {
      if (BY_NAME.has(entry.context.kind)) continue;
      for (const run of entry.runs) promote(run, `run by a script of ${path}`);
      if (entry.context.kind !== 'production') continue;
      for (const target of entry.imports) for (const p of resolve(target)) promote(p, `imported by ${path}`);
    }
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      const entry = this.files.get(path)!;
      for (const target of entry.imports) for (const p of resolve(target)) promote(p, `imported by ${path}, which is production`);
    }
    return promoted;
  }

  /**
   * Restores the findings of promoted files to what their rules say in production. `findings`
   * and the suppressed ones are changed in place.
   */
  settle(findings: Finding[], suppressed: SuppressedFinding[]): void {
    const promoted = this.promotions();
    if (promoted.size === 0) return;
    for (const f of [...findings, ...suppressed.map((s) => s.finding)]) {
      const reason = promoted.get(f.path);
      if (reason === undefined) continue;
      if (f.context?.original) {
        f.severity = f.context.original.severity;
        f.confidence = f.context.original.confidence;
      }
      f.context = { kind: 'production', reason };
    }
  }
}

import type { ChangedFile } from '../../src/core/model.js';
import type { Analyzer, RawFinding, RuleTestCase, ScanData } from '../../src/core/rules/types.js';
import { splitLines } from '../../src/core/text.js';

export const NO_DATA: ScanData = { popularNpm: new Map(), popularPypi: new Map() };

export interface AnalyzerCase extends RuleTestCase {
  oldPath?: string;
}

export interface RunOptions {
  /** Path when the case names none. */
  defaultPath?: string;
  data?: ScanData;
  /** Status of a file whose case lists its added lines (default: added, like a new file). */
  partialStatus?: ChangedFile['status'];
}

/**
 * Runs one analyzer directly, as the engine would: a new file unless the case says otherwise,
 * no head text for a deleted file, and findings kept only where they touch an added line.
 */
export function runAnalyzer(analyzer: Analyzer, tc: AnalyzerCase, options: RunOptions = {}): RawFinding[] {
  const lines = splitLines(tc.code);
  const addedLines = tc.added ?? lines.map((_, i) => i + 1);
  const status = tc.status ?? (tc.added ? (options.partialStatus ?? 'added') : 'added');
  const file: ChangedFile = {
    path: tc.path ?? options.defaultPath ?? 'file.txt',
    oldPath: tc.oldPath ?? null,
    status,
    addedLines,
    deletedLineCount: 0,
    binary: false,
    oldMode: null,
    newMode: null,
    size: tc.code.length,
    unavailable: null,
  };
  if (!analyzer.appliesTo(file)) return [];
  const added = new Set(addedLines);
  const findings = analyzer.analyze({
    file,
    text: status === 'deleted' ? null : tc.code,
    lines: status === 'deleted' ? [] : lines,
    added,
    data: options.data ?? NO_DATA,
  });
  return findings.filter((f) => {
    for (let l = f.line; l <= (f.endLine ?? f.line); l++) if (added.has(l)) return true;
    return false;
  });
}

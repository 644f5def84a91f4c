// Pure arithmetic of `npm run bench:noise`: findings per 100,000 lines of established code,
// per source and per rule, and what changed between two runs. No I/O, so it can be unit-tested.

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];

export function atLeast(severity, threshold) {
  const rank = SEVERITIES.indexOf(severity);
  const min = SEVERITIES.indexOf(threshold);
  if (min < 0) throw new Error(`unknown severity threshold "${threshold}"`);
  return rank >= min;
}

/** The source a reviewed path belongs to: its first folder (`npm`, `python-stdlib`, `project-deps`). */
export function sourceOf(path) {
  const slash = path.indexOf('/');
  return slash < 0 ? '(top level)' : path.slice(0, slash);
}

/** The unit inside a source: the package folder (`npm/lodash@4.17.21`), or the source itself. */
export function unitOf(path) {
  const parts = path.split('/');
  if (parts.length < 3) return sourceOf(path);
  // Scoped npm packages are stored as `npm/@scope+name@version`, one folder.
  return `${parts[0]}/${parts[1]}`;
}

/** Per 100,000 lines, one decimal; null when there are no lines to divide by. */
export function per100k(count, lines) {
  if (lines <= 0) return null;
  return Math.round((count * 1_000_000) / lines) / 10;
}

/**
 * Parses `git diff --numstat` output (`added<TAB>deleted<TAB>path`, `-` for binary files)
 * into path → added lines. Binary files count 0 lines.
 */
export function parseNumstat(text) {
  const lines = new Map();
  for (const row of text.split('\n')) {
    if (row.trim() === '') continue;
    const fields = row.split('\t');
    if (fields.length < 3) throw new Error(`numstat: expected "added<TAB>deleted<TAB>path", got ${JSON.stringify(row.slice(0, 80))}`);
    const added = fields[0] === '-' ? 0 : Number(fields[0]);
    if (!Number.isInteger(added) || added < 0) throw new Error(`numstat: bad added count in ${JSON.stringify(row.slice(0, 80))}`);
    lines.set(fields.slice(2).join('\t'), added);
  }
  return lines;
}

export const CONFIDENCES = ['low', 'medium', 'high'];

/** Confidence at or above the threshold; a finding without one (an older build) counts as high. */
export function confidentEnough(confidence, threshold) {
  const rank = CONFIDENCES.indexOf(confidence ?? 'high');
  const min = CONFIDENCES.indexOf(threshold);
  if (min < 0) throw new Error(`unknown confidence threshold "${threshold}"`);
  return rank >= min;
}

function bump(map, key, make) {
  let entry = map.get(key);
  if (!entry) {
    entry = make();
    map.set(key, entry);
  }
  return entry;
}

/**
 * Scores one scan of the established code. A finding blocks as in the verdict: severity at or
 * above failOn and confidence at or above failConfidence (high when the report names none).
 * @param report   {findings: [{ruleId, severity, confidence, path, line, message, snippet}], failOn, failConfidence}
 * @param lineCounts Map path → lines the change adds (from parseNumstat)
 * @param notReviewed [{path, reason}]
 */
export function scoreNoise({ findings, failOn, failConfidence = 'high', notReviewed = [] }, lineCounts) {
  const sources = new Map();
  const rules = new Map();
  const source = (name) => bump(sources, name, () => ({ source: name, lines: 0, files: 0, atLeastMedium: 0, blocking: 0, notReviewed: 0 }));
  for (const [path, lines] of lineCounts) {
    const s = source(sourceOf(path));
    s.lines += lines;
    s.files += 1;
  }
  for (const n of notReviewed) source(sourceOf(n.path)).notReviewed += 1;
  const blocking = [];
  for (const f of findings) {
    if (!atLeast(f.severity, 'medium')) continue;
    const isBlocking = atLeast(f.severity, failOn) && confidentEnough(f.confidence, failConfidence);
    const s = source(sourceOf(f.path));
    const r = bump(rules, f.ruleId, () => ({ ruleId: f.ruleId, atLeastMedium: 0, blocking: 0, bySource: {} }));
    s.atLeastMedium += 1;
    r.atLeastMedium += 1;
    r.bySource[s.source] = (r.bySource[s.source] ?? 0) + 1;
    if (isBlocking) {
      s.blocking += 1;
      r.blocking += 1;
      blocking.push({ ruleId: f.ruleId, severity: f.severity, confidence: f.confidence ?? 'high', path: f.path, line: f.line, message: f.message ?? '', snippet: f.snippet ?? '' });
    }
  }
  const withRates = (s) => ({ ...s, atLeastMediumPer100k: per100k(s.atLeastMedium, s.lines), blockingPer100k: per100k(s.blocking, s.lines) });
  const sourceRows = [...sources.values()].sort((a, b) => a.source.localeCompare(b.source)).map(withRates);
  const total = withRates(
    sourceRows.reduce(
      (t, s) => ({ ...t, lines: t.lines + s.lines, files: t.files + s.files, atLeastMedium: t.atLeastMedium + s.atLeastMedium, blocking: t.blocking + s.blocking, notReviewed: t.notReviewed + s.notReviewed }),
      { source: 'all', lines: 0, files: 0, atLeastMedium: 0, blocking: 0, notReviewed: 0 },
    ),
  );
  const ruleRows = [...rules.values()].sort((a, b) => b.blocking - a.blocking || b.atLeastMedium - a.atLeastMedium || a.ruleId.localeCompare(b.ruleId));
  blocking.sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.path.localeCompare(b.path) || a.line - b.line);
  return { failOn, failConfidence, sources: sourceRows, total, rules: ruleRows, blocking };
}

/** Identifies a blocking finding across runs: rule, file and the text it flagged (lines move when rules change nothing). */
export function findingKey(f) {
  return `${f.ruleId}\u0000${f.path}\u0000${(f.snippet ?? '').trim()}`;
}

/** What changed between two scored runs: totals per rule, and blocking findings that appeared or went away. */
export function compareNoise(before, after) {
  const ruleIds = new Set([...before.rules.map((r) => r.ruleId), ...after.rules.map((r) => r.ruleId)]);
  const get = (run, id) => run.rules.find((r) => r.ruleId === id) ?? { atLeastMedium: 0, blocking: 0 };
  const rules = [...ruleIds]
    .map((ruleId) => {
      const b = get(before, ruleId);
      const a = get(after, ruleId);
      return { ruleId, atLeastMedium: [b.atLeastMedium, a.atLeastMedium], blocking: [b.blocking, a.blocking] };
    })
    .filter((r) => r.atLeastMedium[0] !== r.atLeastMedium[1] || r.blocking[0] !== r.blocking[1])
    .sort((x, y) => Math.abs(y.blocking[1] - y.blocking[0]) - Math.abs(x.blocking[1] - x.blocking[0]) || x.ruleId.localeCompare(y.ruleId));
  const beforeKeys = new Set(before.blocking.map(findingKey));
  const afterKeys = new Set(after.blocking.map(findingKey));
  return {
    total: {
      atLeastMedium: [before.total.atLeastMedium, after.total.atLeastMedium],
      blocking: [before.total.blocking, after.total.blocking],
      blockingPer100k: [before.total.blockingPer100k, after.total.blockingPer100k],
    },
    rules,
    newBlocking: after.blocking.filter((f) => !beforeKeys.has(findingKey(f))),
    goneBlocking: before.blocking.filter((f) => !afterKeys.has(findingKey(f))),
  };
}

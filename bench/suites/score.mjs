// Scoring for `npm run bench:suites`: a labelled SAST test suite's ground truth plus the
// findings of one scan → recall and false-positive rate per CWE family, and the noise.
// Pure: no files, no processes, so the test can feed it a hand-built suite.

/**
 * CWE families a test case and a rule are compared by. A rule counts for a test case when one
 * of the rule's CWEs is in the case's family: a rule tagged CWE-95 catches a CWE-94 case, but
 * a CWE-327 rule on a CWE-22 case is noise. A CWE in no family is a family of its own.
 */
export const FAMILIES = [
  { key: 'cmdi', label: 'command injection', cwes: [77, 78, 88] },
  { key: 'codeinj', label: 'code injection', cwes: [94, 95, 96] },
  { key: 'sqli', label: 'SQL injection', cwes: [89, 564] },
  { key: 'nosqli', label: 'NoSQL injection', cwes: [943] },
  { key: 'ldapi', label: 'LDAP injection', cwes: [90] },
  { key: 'xpathi', label: 'XPath injection', cwes: [643] },
  { key: 'pathtraver', label: 'path traversal', cwes: [22, 23, 36, 73] },
  { key: 'xss', label: 'cross-site scripting', cwes: [79, 80] },
  { key: 'ssrf', label: 'server-side request forgery', cwes: [918] },
  { key: 'redirect', label: 'open redirect', cwes: [601] },
  { key: 'deserialization', label: 'unsafe deserialization', cwes: [502] },
  { key: 'xxe', label: 'XML external entities', cwes: [611, 776] },
  { key: 'crypto', label: 'weak encryption', cwes: [326, 327] },
  { key: 'hash', label: 'weak hash', cwes: [328, 916] },
  { key: 'weakrand', label: 'weak randomness', cwes: [330, 338] },
  { key: 'securecookie', label: 'insecure cookie', cwes: [614, 1004] },
  { key: 'trustbound', label: 'trust boundary violation', cwes: [501] },
  { key: 'secrets', label: 'hardcoded secrets', cwes: [798, 259, 321] },
];

const FAMILY_OF_CWE = new Map(FAMILIES.flatMap((f) => f.cwes.map((cwe) => [cwe, f.key])));

/** "CWE-78", "78" or 78 → the family key ("cmdi"), or "CWE-<n>" when the CWE is in no family. */
export function familyOfCwe(cwe) {
  const n = Number(String(cwe).replace(/^CWE-/i, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`not a CWE: ${JSON.stringify(cwe)}`);
  return FAMILY_OF_CWE.get(n) ?? `CWE-${n}`;
}

/** Families in the order of FAMILIES, the others (bare CWEs) after them. */
function familyOrder(key) {
  const index = FAMILIES.findIndex((f) => f.key === key);
  return index === -1 ? FAMILIES.length : index;
}

export function familyLabel(key) {
  return FAMILIES.find((f) => f.key === key)?.label ?? key;
}

/**
 * OWASP Benchmark's expectedresults-*.csv: a `#` header, then
 * `BenchmarkTest00001,pathtraver,true,22` (test name, category, real vulnerability, CWE).
 * Errors name the file and line.
 */
export function parseExpectedResults(text, fileName) {
  const cases = [];
  const seen = new Set();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${fileName}:${index + 1}`;
    const [name, category, vulnerable, cwe, ...rest] = line.split(',').map((s) => s.trim());
    if (rest.length > 0 || cwe === undefined) throw new Error(`${where}: expected "test name,category,true|false,CWE", got ${JSON.stringify(line)}`);
    if (!/^[\w.-]+$/.test(name)) throw new Error(`${where}: test name ${JSON.stringify(name)} is not a file name stem`);
    if (vulnerable !== 'true' && vulnerable !== 'false') throw new Error(`${where}: real vulnerability must be true or false, got ${JSON.stringify(vulnerable)}`);
    if (!/^\d+$/.test(cwe)) throw new Error(`${where}: CWE must be a number, got ${JSON.stringify(cwe)}`);
    if (seen.has(name)) throw new Error(`${where}: test ${name} listed twice`);
    seen.add(name);
    cases.push({ name, category, vulnerable: vulnerable === 'true', cwe: Number(cwe) });
  });
  if (cases.length === 0) throw new Error(`${fileName}: no test cases`);
  return cases;
}

/**
 * The test case a path belongs to: its file name up to the first dot, when that is a case name.
 * Case, "_" and "-" are ignored, so `benchmark_test_00001.py` is test BenchmarkTest00001 (suites
 * generated in the OWASP format name their Python files that way).
 */
export function caseOfPath(path, caseNames) {
  const stem = caseKey(path.slice(path.lastIndexOf('/') + 1).split('.')[0]);
  return caseNames.get(stem) ?? null;
}

/** Case names by their spelling-insensitive key, for caseOfPath. */
export function caseIndex(names) {
  return new Map(names.map((name) => [caseKey(name), name]));
}

function caseKey(name) {
  return name.toLowerCase().replace(/[_-]/g, '');
}

/**
 * Scores one scan of one suite.
 *   cases: [{ name, category, vulnerable, cwe }]
 *   findings: [{ ruleId, cwe: ["CWE-78", …], path, line, snippet? }]
 *   notReviewed: [{ path, reason }]
 * A test case is flagged when a finding in one of its files carries a CWE of the case's family.
 * Findings in a case's files with no CWE of its family are noise on cases; findings in files of
 * no case are noise outside cases. A case one of whose files was not reviewed still counts
 * (as a miss when nothing flagged it), the way a real review would have missed it, and is
 * counted apart.
 */
export function scoreSuite({ cases, findings, notReviewed = [], examples = 3 }) {
  const caseNames = caseIndex(cases.map((c) => c.name));
  const byCase = new Map(cases.map((c) => [c.name, { ...c, family: familyOfCwe(c.cwe), rules: new Set(), hits: [], notReviewed: false }]));
  const otherCwe = new Map();
  const outside = new Map();
  const falseAlarms = new Map();
  const catches = new Map();

  for (const n of notReviewed) {
    const name = caseOfPath(n.path, caseNames);
    if (name !== null) byCase.get(name).notReviewed = true;
  }
  for (const f of findings) {
    const name = caseOfPath(f.path, caseNames);
    const families = [...new Set(f.cwe.map(familyOfCwe))];
    if (name === null) {
      tally(outside, f.ruleId, f, families.join('+') || 'no CWE', examples);
      continue;
    }
    const tc = byCase.get(name);
    if (!families.includes(tc.family)) {
      tally(otherCwe, f.ruleId, f, families.join('+') || 'no CWE', examples);
      continue;
    }
    tc.rules.add(f.ruleId);
    tc.hits.push(f);
  }

  const rows = new Map();
  for (const tc of byCase.values()) {
    const row = rows.get(tc.family) ?? { family: tc.family, label: familyLabel(tc.family), cwes: new Set(), vulnerable: 0, caught: 0, safe: 0, flagged: 0, notReviewedVulnerable: 0, notReviewedSafe: 0, missed: [] };
    rows.set(tc.family, row);
    row.cwes.add(tc.cwe);
    const hit = tc.hits.length > 0;
    if (tc.vulnerable) {
      row.vulnerable++;
      if (hit) row.caught++;
      else if (row.missed.length < examples) row.missed.push(tc.name);
      if (tc.notReviewed) row.notReviewedVulnerable++;
    } else {
      row.safe++;
      if (hit) row.flagged++;
      if (tc.notReviewed) row.notReviewedSafe++;
    }
    // One count per rule and case: a rule that fires twice in one file is one decision.
    for (const ruleId of tc.rules) {
      const first = tc.hits.find((h) => h.ruleId === ruleId);
      tally(tc.vulnerable ? catches : falseAlarms, ruleId, first, tc.family, examples);
    }
  }

  const families = [...rows.values()]
    .map((r) => ({ ...r, cwes: [...r.cwes].sort((a, b) => a - b), recall: ratio(r.caught, r.vulnerable), fpRate: ratio(r.flagged, r.safe) }))
    .sort((a, b) => familyOrder(a.family) - familyOrder(b.family) || a.family.localeCompare(b.family));
  const sum = (key) => families.reduce((n, r) => n + r[key], 0);
  const total = { vulnerable: sum('vulnerable'), caught: sum('caught'), safe: sum('safe'), flagged: sum('flagged'), notReviewedVulnerable: sum('notReviewedVulnerable'), notReviewedSafe: sum('notReviewedSafe') };
  total.recall = ratio(total.caught, total.vulnerable);
  total.fpRate = ratio(total.flagged, total.safe);

  const ruleIds = new Set([...catches.keys(), ...falseAlarms.keys()]);
  const rules = [...ruleIds]
    .map((ruleId) => {
      const caught = catches.get(ruleId)?.count ?? 0;
      const flagged = falseAlarms.get(ruleId)?.count ?? 0;
      return { ruleId, family: (catches.get(ruleId) ?? falseAlarms.get(ruleId)).family, caught, flagged, precision: ratio(caught, caught + flagged) };
    })
    .sort((a, b) => b.caught + b.flagged - (a.caught + a.flagged) || a.ruleId.localeCompare(b.ruleId));

  return {
    families,
    total,
    // Per rule: vulnerable cases it caught, safe cases it flagged (each case once per rule).
    byRule: { rules, catches: ranked(catches), falseAlarms: ranked(falseAlarms) },
    noise: { otherCweOnCases: ranked(otherCwe), outsideCases: ranked(outside) },
    // Per case: which rules flagged it, so two runs can be compared case by case.
    cases: [...byCase.values()].map((tc) => ({ name: tc.name, family: tc.family, vulnerable: tc.vulnerable, flaggedBy: [...tc.rules].sort(), notReviewed: tc.notReviewed })),
  };
}

/** Cases whose outcome differs between two scored runs of the same suite (before → after). */
export function compareRuns(before, after) {
  const old = new Map(before.cases.map((c) => [c.name, c]));
  const changes = [];
  for (const c of after.cases) {
    const was = old.get(c.name);
    if (was === undefined) continue;
    const wasHit = was.flaggedBy.length > 0;
    const isHit = c.flaggedBy.length > 0;
    if (wasHit === isHit) continue;
    const kind = c.vulnerable ? (isHit ? 'now caught' : 'no longer caught') : isHit ? 'new false alarm' : 'false alarm gone';
    changes.push({ name: c.name, family: c.family, kind, rules: isHit ? c.flaggedBy : was.flaggedBy });
  }
  return changes;
}

/** Recall and false-positive rate per family, before → after; families present in either run. */
export function compareFamilies(before, after) {
  const old = new Map(before.families.map((r) => [r.family, r]));
  const rows = after.families.map((r) => ({ family: r.family, label: r.label, before: pick(old.get(r.family)), after: pick(r) }));
  for (const r of before.families) if (!after.families.some((a) => a.family === r.family)) rows.push({ family: r.family, label: r.label, before: pick(r), after: null });
  rows.push({ family: 'all', label: 'all', before: pick(before.total), after: pick(after.total) });
  return rows;
}

function pick(row) {
  return row === undefined ? null : { recall: row.recall, fpRate: row.fpRate };
}

function ratio(n, d) {
  return d === 0 ? null : n / d;
}

function tally(map, ruleId, finding, family, examples) {
  const entry = map.get(ruleId) ?? { ruleId, family, count: 0, examples: [] };
  map.set(ruleId, entry);
  entry.count++;
  if (entry.examples.length < examples) entry.examples.push({ path: finding.path, line: finding.line, snippet: finding.snippet ?? '' });
}

function ranked(map) {
  return [...map.values()].sort((a, b) => b.count - a.count || a.ruleId.localeCompare(b.ruleId));
}

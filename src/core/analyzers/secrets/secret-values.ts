// Judging candidate secret values: entropy, placeholders and dummy test values,
// and redaction for display. Values are capped in length by the callers, so
// everything here is cheap.

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let total = 0;
  for (const n of counts.values()) total += n;
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / total;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * The entropy a random-looking secret of this length should reach: close to the maximum for short
 * values (log2 of the length), capped at 3.5 bits so long hex strings (max 4 bits) still qualify.
 */
export function requiredEntropy(length: number): number {
  return Math.min(3.5, 0.8 * Math.log2(Math.max(2, length)));
}

function distinctChars(value: string): number {
  return new Set(value).size;
}

function isSequential(a: number, b: number): boolean {
  return b === a + 1 || b === a - 1;
}

/** A run of six or more consecutive ascending or descending characters ("123456", "abcdef", "FEDCBA"). */
export function hasObviousSequence(value: string): boolean {
  const lower = value.toLowerCase();
  let run = 1;
  let direction = 0;
  for (let i = 1; i < lower.length; i++) {
    const a = lower.charCodeAt(i - 1);
    const b = lower.charCodeAt(i);
    const d = b - a;
    if (isSequential(a, b) && (run === 1 || d === direction)) {
      run++;
      direction = d;
      if (run >= 6) return true;
    } else if (isSequential(a, b)) {
      run = 2;
      direction = d;
    } else {
      run = 1;
      direction = 0;
    }
  }
  return false;
}

/** The whole value repeats a unit of up to 4 characters ("abababab", "12341234"). */
function isShortPeriodic(value: string): boolean {
  if (value.length < 8) return false;
  for (let period = 1; period <= 4; period++) {
    let periodic = true;
    for (let i = period; i < value.length; i++) {
      if (value.charCodeAt(i) !== value.charCodeAt(i - period)) {
        periodic = false;
        break;
      }
    }
    if (periodic) return true;
  }
  return false;
}

const PLACEHOLDER_WORDS = [
  'example',
  'sample',
  'dummy',
  'placeholder',
  'changeme',
  'change_me',
  'change-me',
  'changeit',
  'replace',
  'your_',
  'your-',
  'yourkey',
  'yourtoken',
  'yoursecret',
  'yourpassword',
  'yourapikey',
  'xxxx',
  'xxx-',
  '****',
  '....',
  '…',
  'redacted',
  'notreal',
  'not_real',
  'not-real',
  'not_a_real',
  'not-a-real',
  'fake',
  'lorem',
  'insert',
  'todo',
  'fixme',
  'secret_here',
  'token_here',
  'key_here',
  'here_',
  '_here',
  '-here',
  'foobar',
  'abc123',
  'password',
  'passw0rd',
  'p@ssw0rd',
  'qwerty',
  'letmein',
  'hunter2',
  'secret123',
  'mysecret',
  'supersecret',
];

/** Words that mark a value as dummy only inside test code and fixtures. */
const TEST_ONLY_WORDS = ['test', 'mock', 'fixture', 'stub', 'invalid', 'bogus', 'foo', 'bar', 'sample', 'fake'];

/** References to a secret kept elsewhere: env vars, templating, secret managers, encrypted blobs. */
const REFERENCE_MARKERS = [
  '${',
  '{{',
  '}}',
  '$(',
  '%(',
  'process.env',
  'os.environ',
  'getenv',
  'env(',
  'env[',
  'env.',
  'vault:',
  'ref+',
  'secretsmanager',
  'ssm:',
  'enc[',
  'encrypted:',
  '$ansible_vault',
  'keyvault',
  'op://',
  'sops',
];

const TEST_DIRS = new Set([
  'test',
  'tests',
  '__tests__',
  'spec',
  'specs',
  '__specs__',
  'fixtures',
  'fixture',
  '__fixtures__',
  'testdata',
  'test-data',
  'test_data',
  'mocks',
  '__mocks__',
  'e2e',
  'testing',
]);

/** True for test code and test fixtures (test/…, __tests__/…, *.test.ts, *_test.go, test_*.py, testdata/…). */
export function isTestPath(path: string): boolean {
  const segs = path.toLowerCase().split('/');
  const base = segs[segs.length - 1] ?? '';
  if (segs.slice(0, -1).some((s) => TEST_DIRS.has(s))) return true;
  return (
    /\.(test|spec)\.[a-z0-9]+$/.test(base) ||
    /_test\.(go|py|rb|exs?)$/.test(base) ||
    /^test_.*\.py$/.test(base) ||
    /(test|spec)s?\.(java|kt|cs|scala|php)$/.test(base)
  );
}

function hasTestWord(lower: string): boolean {
  // "test" as its own word in the value: sk_test_…, test-token, my.test.key (not "latest").
  for (let at = lower.indexOf('test'); at !== -1; at = lower.indexOf('test', at + 1)) {
    const before = at === 0 ? '' : lower[at - 1]!;
    const after = lower[at + 4] ?? '';
    if (!/[a-z]/.test(before) && !/[a-z]/.test(after)) return true;
  }
  return false;
}

/** Placeholders, references and obviously fake values that must never be reported as secrets. */
export function isPlaceholderValue(value: string, path: string): boolean {
  const lower = value.toLowerCase();
  if (value.length === 0) return true;
  if (distinctChars(value) <= 3) return true;
  if (hasObviousSequence(value) || isShortPeriodic(value)) return true;
  if (PLACEHOLDER_WORDS.some((w) => lower.includes(w))) return true;
  if (REFERENCE_MARKERS.some((m) => lower.includes(m))) return true;
  if (hasTestWord(lower)) return true;
  // <your-token>, [TOKEN], %TOKEN%, $TOKEN
  if (/^<.*>$/.test(value) || /^\[.*\]$/.test(value) || /^%[A-Za-z0-9_]+%$/.test(value) || /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
    return true;
  }
  if (isTestPath(path) && TEST_ONLY_WORDS.some((w) => lower.includes(w))) return true;
  return false;
}

/**
 * The secret shown as its first few characters, an ellipsis and its length: enough for the author to
 * recognise it, never enough to use it. The snippet ends up in PR comments.
 */
export function redact(secret: string): string {
  const shown = secret.length >= 16 ? 4 : secret.length >= 10 ? 2 : 0;
  return `${secret.slice(0, shown)}…(${secret.length} chars)`;
}

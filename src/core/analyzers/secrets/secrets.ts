// Hardcoded secrets in added lines: provider token formats (AWS, GitHub, OpenAI,
// Anthropic, Slack, Google, Stripe, npm, PEM private keys, JWTs, connection
// strings with passwords), high-entropy values assigned to secret-looking names,
// and newly committed .env files. Secrets are always redacted in what we report:
// snippets end up in PR comments.

import { createHash } from 'node:crypto';
import RE2 from 're2';
import type { ChangedFile, Confidence } from '../../model.js';
import type { Analyzer, AnalyzerInput, AnalyzerRule, RawFinding } from '../../rules/types.js';
import { NO_DISCOUNT } from '../../context/adjust.js';
import { escapeRegexLiteral } from '../../text.js';
import { isPlaceholderValue, redact, requiredEntropy, shannonEntropy } from './secret-values.js';

export const SECRET_RULE_IDS = {
  awsAccessKeyId: 'secrets.aws-access-key-id',
  awsSecretAccessKey: 'secrets.aws-secret-access-key',
  github: 'secrets.github-token',
  openai: 'secrets.openai-api-key',
  anthropic: 'secrets.anthropic-api-key',
  slackToken: 'secrets.slack-token',
  slackWebhook: 'secrets.slack-webhook-url',
  googleApiKey: 'secrets.google-api-key',
  stripe: 'secrets.stripe-live-key',
  privateKey: 'secrets.private-key',
  npm: 'secrets.npm-token',
  jwt: 'secrets.jwt',
  connectionString: 'secrets.connection-string-password',
  highEntropy: 'secrets.high-entropy-assignment',
  envFile: 'secrets.env-file-committed',
} as const;

interface Candidate {
  ruleId: string;
  label: string;
  /** 0-based UTF-16 offsets of the secret in the line. */
  start: number;
  end: number;
  secret: string;
  /** What the snippet shows; defaults to the redacted secret. */
  display?: string;
  detail?: string;
  /** Replaces the rule's confidence when a second signal agrees (or is missing). */
  confidence?: Confidence;
}

type Detector = (line: string, ctx: LineContext) => Candidate[];

interface LineContext {
  path: string;
  lines: string[];
  /** 0-based index of the line in `lines`. */
  index: number;
}

const ALNUM = /[A-Za-z0-9]/;
const TOKEN_CHAR = /[A-Za-z0-9_-]/;
const BASE64_CHAR = /[A-Za-z0-9+/]/;

function touches(line: string, start: number, end: number, neighbour: RegExp): boolean {
  const before = start > 0 ? line[start - 1]! : '';
  const after = end < line.length ? line[end]! : '';
  return (before !== '' && neighbour.test(before)) || (after !== '' && neighbour.test(after));
}

/**
 * Every match of a global RE2 pattern that is not glued to neighbouring token characters.
 * A valid match must start right after a non-neighbour character, so a rejected match resumes
 * at the next such position: one pass over the line, even for a megabyte of base64.
 */
function* tokens(re: RE2, line: string, neighbour: RegExp): Generator<{ start: number; end: number; text: string; groups: string[] }> {
  re.lastIndex = 0;
  for (;;) {
    const m = re.exec(line);
    if (!m) return;
    const start = m.index;
    const end = start + m[0].length;
    if (m[0].length === 0 || touches(line, start, end, neighbour)) {
      let next = start + 1;
      while (next < line.length && neighbour.test(line[next - 1]!)) next++;
      if (next >= line.length) return;
      re.lastIndex = next;
      continue;
    }
    yield { start, end, text: m[0], groups: Array.from(m).slice(1).map((g) => g ?? '') };
    re.lastIndex = end;
  }
}

/**
 * Text each detector needs on a line before it can fire. A file whose added text has none of a
 * detector's literals skips that detector on every line (most files have none of them).
 */
const DETECTOR_LITERALS = new Map<Detector, readonly string[]>();

function withLiterals(literals: readonly string[], detector: Detector): Detector {
  DETECTOR_LITERALS.set(detector, literals);
  return detector;
}

/** Provider tokens with a fixed prefix: the random part must not be a placeholder. */
function prefixedTokenDetector(options: {
  ruleId: string;
  label: string;
  literals: string[];
  pattern: string;
  prefixLength: (text: string) => number;
  neighbour?: RegExp;
  minBodyEntropy?: number;
}): Detector {
  const re = new RE2(options.pattern, 'g');
  return withLiterals(options.literals, (line, ctx) => {
    if (!options.literals.some((l) => line.includes(l))) return [];
    const out: Candidate[] = [];
    for (const t of tokens(re, line, options.neighbour ?? ALNUM)) {
      const body = t.text.slice(options.prefixLength(t.text));
      if (isPlaceholderValue(body, ctx.path) || isPlaceholderValue(t.text, ctx.path)) continue;
      if (options.minBodyEntropy !== undefined && shannonEntropy(body) < options.minBodyEntropy) continue;
      out.push({ ruleId: options.ruleId, label: options.label, start: t.start, end: t.end, secret: t.text });
    }
    return out;
  });
}

const AWS_ACCESS_KEY_ID = '(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}';

const awsAccessKeyId = prefixedTokenDetector({
  ruleId: SECRET_RULE_IDS.awsAccessKeyId,
  label: 'AWS access key ID',
  literals: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'],
  pattern: AWS_ACCESS_KEY_ID,
  prefixLength: () => 4,
  minBodyEntropy: 2.5,
});

const githubToken = prefixedTokenDetector({
  ruleId: SECRET_RULE_IDS.github,
  label: 'GitHub token',
  literals: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  pattern: '(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{36,244})',
  prefixLength: (t) => (t.startsWith('github_pat_') ? 11 : 4),
  neighbour: /[A-Za-z0-9_]/,
  minBodyEntropy: 3,
});

const anthropicKey = prefixedTokenDetector({
  ruleId: SECRET_RULE_IDS.anthropic,
  label: 'Anthropic API key',
  literals: ['sk-ant-'],
  pattern: 'sk-ant-[A-Za-z0-9_-]{32,300}',
  prefixLength: (t) => {
    // sk-ant-api03-…, sk-ant-admin01-…: the random part starts after the second dash-separated tag.
    const second = t.indexOf('-', 7);
    return second !== -1 && second < 20 ? second + 1 : 7;
  },
  neighbour: TOKEN_CHAR,
  minBodyEntropy: 3,
});

const openaiKeyRe = new RE2('sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,300}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{32,64})', 'g');
const openaiKey: Detector = withLiterals(['sk-'], (line, ctx) => {
  if (!line.includes('sk-')) return [];
  const out: Candidate[] = [];
  for (const t of tokens(openaiKeyRe, line, TOKEN_CHAR)) {
    const tag = /^sk-(proj|svcacct|admin)-/.exec(t.text);
    const body = t.text.slice(tag ? tag[0].length : 3);
    if (isPlaceholderValue(body, ctx.path) || shannonEntropy(body) < 3.5) continue;
    out.push({ ruleId: SECRET_RULE_IDS.openai, label: 'OpenAI API key', start: t.start, end: t.end, secret: t.text });
  }
  return out;
});

const slackToken = prefixedTokenDetector({
  ruleId: SECRET_RULE_IDS.slackToken,
  label: 'Slack token',
  literals: ['xox', 'xapp-'],
  pattern: '(?:xox[abposre]|xoxe\\.xox[bp]|xapp)-[0-9A-Za-z-]{20,250}',
  prefixLength: (t) => t.indexOf('-') + 1,
  neighbour: TOKEN_CHAR,
  minBodyEntropy: 3,
});

const slackWebhookRe = new RE2('https://hooks\\.slack(?:-gov)?\\.com/(?:services|workflows|triggers)/([A-Za-z0-9+/_-]{20,300})', 'g');
const slackWebhook: Detector = withLiterals(['hooks.slack'], (line, ctx) => {
  if (!line.includes('hooks.slack')) return [];
  const out: Candidate[] = [];
  for (const t of tokens(slackWebhookRe, line, /[A-Za-z0-9_/-]/)) {
    const path = t.groups[0] ?? '';
    const parts = path.split('/').filter((p) => p.length > 0);
    if (parts.length < 2 || parts.some((p) => isPlaceholderValue(p, ctx.path) && p.length > 0)) continue;
    const prefix = t.text.slice(0, t.text.length - path.length);
    out.push({
      ruleId: SECRET_RULE_IDS.slackWebhook,
      label: 'Slack incoming webhook URL',
      start: t.start,
      end: t.end,
      secret: t.text,
      display: `${prefix}${redact(path)}`,
    });
  }
  return out;
});

const googleApiKey = prefixedTokenDetector({
  ruleId: SECRET_RULE_IDS.googleApiKey,
  label: 'Google API key',
  literals: ['AIza'],
  pattern: 'AIza[0-9A-Za-z_-]{35}',
  prefixLength: () => 4,
  neighbour: TOKEN_CHAR,
  minBodyEntropy: 3,
});

const stripeLiveKey = prefixedTokenDetector({
  ruleId: SECRET_RULE_IDS.stripe,
  label: 'Stripe live secret key',
  literals: ['_live_'],
  pattern: '(?:sk|rk)_live_[0-9A-Za-z]{20,247}',
  prefixLength: () => 8,
  neighbour: /[A-Za-z0-9_]/,
  minBodyEntropy: 3,
});

const npmToken = prefixedTokenDetector({
  ruleId: SECRET_RULE_IDS.npm,
  label: 'npm access token',
  literals: ['npm_'],
  pattern: 'npm_[A-Za-z0-9]{36}',
  prefixLength: () => 4,
  neighbour: /[A-Za-z0-9_]/,
  minBodyEntropy: 3,
});

const awsSecretContext = new RE2('(?i)(?:aws.{0,20}secret|secret.?access.?key)');
const awsSecretRe = new RE2('[A-Za-z0-9/+]{40}', 'g');
const awsKeyIdRe = new RE2(AWS_ACCESS_KEY_ID, 'g');
/** How many lines around a secret access key are searched for the access key ID it pairs with. */
const AWS_PAIR_LINES = 3;

/** The line (1-based) of a real-looking AWS access key ID within a few lines of line `index`, or null. */
function nearbyAwsKeyId(ctx: LineContext): number | null {
  for (let k = Math.max(0, ctx.index - AWS_PAIR_LINES); k <= Math.min(ctx.lines.length - 1, ctx.index + AWS_PAIR_LINES); k++) {
    const text = ctx.lines[k]!;
    if (text.length > 10_000) continue;
    for (const t of tokens(awsKeyIdRe, text, ALNUM)) {
      const body = t.text.slice(4);
      if (!isPlaceholderValue(body, ctx.path) && !isPlaceholderValue(t.text, ctx.path) && shannonEntropy(body) >= 2.5) return k + 1;
    }
  }
  return null;
}

const awsSecretAccessKey: Detector = (line, ctx) => {
  if (!awsSecretContext.test(line)) return [];
  const out: Candidate[] = [];
  for (const t of tokens(awsSecretRe, line, BASE64_CHAR)) {
    // The name must be close before the value: `aws_secret_access_key = "…"`.
    const before = line.slice(Math.max(0, t.start - 100), t.start);
    if (!awsSecretContext.test(before)) continue;
    if (isPlaceholderValue(t.text, ctx.path) || shannonEntropy(t.text) < 4) continue;
    if (!/[0-9]/.test(t.text) || !/[a-z]/.test(t.text) || !/[A-Z]/.test(t.text)) continue;
    // A name and an entropy are a heuristic; the access key ID it pairs with, beside it, is a second signal.
    const paired = nearbyAwsKeyId(ctx);
    out.push({
      ruleId: SECRET_RULE_IDS.awsSecretAccessKey,
      label: 'AWS secret access key',
      start: t.start,
      end: t.end,
      secret: t.text,
      ...(paired !== null ? { detail: `paired with the AWS access key ID on line ${paired}`, confidence: 'high' as const } : {}),
    });
  }
  return out;
};

const pemHeaderRe = new RE2('-----BEGIN[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)?-----', 'g');
const KEY_MATERIAL = /^[A-Za-z0-9+/=]{40,}$/;
const INLINE_KEY_MATERIAL = /^(?:\\r)?(?:\\n|\r?\n)[A-Za-z0-9+/=]{40}/;

/** A private key header alone is often code that parses keys; require key material right after it. */
function followedByKeyMaterial(line: string, headerEnd: number, ctx: LineContext): boolean {
  const rest = line.slice(headerEnd, headerEnd + 200);
  if (INLINE_KEY_MATERIAL.test(rest)) return true;
  if (rest.trim().length > 0 && !/^["'`,\\]/.test(rest.trim())) return false;
  // Multi-line PEM: the body follows within a few lines (after optional Proc-Type / Version headers).
  for (let k = ctx.index + 1; k <= ctx.index + 5 && k < ctx.lines.length; k++) {
    const next = ctx.lines[k]!.trim().replace(/^["'`]|["'`,]+$/g, '').replace(/\\n$/, '');
    if (next.length > 300) return false;
    if (KEY_MATERIAL.test(next)) return !isPlaceholderValue(next, ctx.path);
    if (next.includes('...') || next.includes('…') || next.startsWith('-----')) return false;
  }
  return false;
}

const privateKey: Detector = withLiterals(['PRIVATE KEY'], (line, ctx) => {
  if (!line.includes('PRIVATE KEY')) return [];
  const out: Candidate[] = [];
  for (const t of tokens(pemHeaderRe, line, /[A-Za-z0-9-]/)) {
    if (!followedByKeyMaterial(line, t.end, ctx)) continue;
    out.push({ ruleId: SECRET_RULE_IDS.privateKey, label: 'Private key', start: t.start, end: t.end, secret: t.text, display: t.text });
  }
  return out;
});

const jwtRe = new RE2('eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}', 'g');
const JWT_CONTEXT = new RE2('(?i)(?:token|secret|auth|bearer|jwt|key|password|session|cookie|credential|service.?role|access|refresh)');

function decodeJwtPayload(token: string): Record<string, unknown> | null {
  const part = token.split('.')[1];
  if (!part || part.length > 4000) return null;
  try {
    const json = Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Public or documentation tokens: Supabase anon keys, the jwt.io sample, tokens that say they are examples. */
function isHarmlessJwt(token: string): boolean {
  const payload = decodeJwtPayload(token);
  if (!payload) return false;
  if (payload.role === 'anon') return true;
  if (payload.sub === '1234567890' || payload.name === 'John Doe') return true;
  const text = JSON.stringify(payload).toLowerCase();
  return text.includes('example') || text.includes('dummy') || text.includes('placeholder');
}

const jwt: Detector = withLiterals(['eyJ'], (line, ctx) => {
  if (!line.includes('eyJ')) return [];
  const out: Candidate[] = [];
  for (const t of tokens(jwtRe, line, TOKEN_CHAR)) {
    const around = `${line.slice(Math.max(0, t.start - 80), t.start)} ${line.slice(t.end, t.end + 40)}`;
    if (!JWT_CONTEXT.test(around)) continue;
    if (isHarmlessJwt(t.text) || isPlaceholderValue(t.text, ctx.path)) continue;
    out.push({ ruleId: SECRET_RULE_IDS.jwt, label: 'JSON Web Token', start: t.start, end: t.end, secret: t.text });
  }
  return out;
});

const connectionRe = new RE2(
  '(?i)\\b((?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\\+srv)?|redis|rediss|amqps?|mssql|sqlserver|clickhouse|cockroachdb|couchdb|neo4j(?:\\+s)?|bolt|nats|oracle|snowflake|ftps?|sftp|smtps?|ldaps?|https?)://)' +
    '([^\\s:/@\'"`<>{}$%]{1,128}):([^\\s/@\'"`<>]{1,256})@([A-Za-z0-9._\\-\\[\\]:]{1,253})',
  'g',
);
const LOCAL_HOSTS = /^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|::1|host\.docker\.internal)(?::\d+)?$/i;
const PASSWORD_PLACEHOLDERS = new Set(['pass', 'pwd', 'pw', 'passwd', 'password', 'secret', 'changeme', 'root', 'admin', 'guest', 'user', 'test', 'postgres', 'mysql']);

const connectionString: Detector = withLiterals(['://'], (line, ctx) => {
  if (!line.includes('://')) return [];
  const out: Candidate[] = [];
  for (const t of tokens(connectionRe, line, /[A-Za-z0-9+]/)) {
    const [scheme = '', user = '', password = '', host = ''] = t.groups;
    const lowerPassword = password.toLowerCase();
    if (password.length < 3 || PASSWORD_PLACEHOLDERS.has(lowerPassword) || password === user) continue;
    if (/^[*x]+$/i.test(password) || /^[<{[$%]/.test(password) || isPlaceholderValue(password, ctx.path)) continue;
    if (LOCAL_HOSTS.test(host.replace(/:\d+$/, '')) || LOCAL_HOSTS.test(host)) continue;
    if (/\b(?:example|host|hostname|your[-_]?host)\b/i.test(host) && password.length < 12) continue;
    const start = t.start + scheme.length + user.length + 1;
    // A password in a URL is often a development one (`testuser:devpass@db`); a long random one is a real credential.
    const random = password.length >= MIN_GENERIC_LENGTH && shannonEntropy(password) >= requiredEntropy(password.length);
    out.push({
      ...(random ? { confidence: 'high' as const } : {}),
      ruleId: SECRET_RULE_IDS.connectionString,
      label: 'Password in connection string',
      start,
      end: start + password.length,
      secret: password,
      display: `${scheme}${user}:${redact(password)}@${host}`,
      detail: `for ${scheme}${user}@${host}`,
    });
  }
  return out;
});

// ---- Generic: secret-looking names assigned a high-entropy value ----

const NAME_KEYWORDS =
  'password|passwd|passphrase|pwd|secret|token|api[_.-]?key|access[_.-]?key|private[_.-]?key|priv[_.-]?key|auth|credentials?|bearer|(?:signing|encryption|session|master)[_.-]?key';

const assignmentRe = new RE2(
  `(?i)([a-z0-9_.-]*(?:${NAME_KEYWORDS})[a-z0-9_.-]*)` +
    // key quote then `,` (config tuples) or an operator, optionally after a type annotation (`password: str =`)
    `(?:["'\\]]{1,2}\\s*,|["'\\]]{0,2}\\s*(?::\\s*&?[a-z_][a-z0-9_.\\[\\]|]{0,40}\\s*)?(?::=|=>|=|:))` +
    `\\s*(?:(?:bearer|basic|token)\\s+)?(?:[rbuf@]{1,2})?` +
    `(?:"([^"\\n]{1,300})"|'([^'\\n]{1,300})'|\`([^\`\\n]{1,300})\`|([^\\s"'\`,;#=<>(){}\\[\\]][^\\s"'\`,;#]{0,299}))`,
  'g',
);

/** A keyword must end at a word boundary inside the name: `apiKey`, `db_password`, not `tokenizer`, `author`. */
const NAME_KEYWORD_JS = new RegExp(
  `(?:authorization|auth[_.-]?key|${NAME_KEYWORDS.replace('|auth|', '|')}|auth)`,
  'gi',
);

/** Names that hold something about a secret rather than the secret itself. */
const NON_SECRET_NAME_ENDINGS = [
  'name',
  'names',
  'ref',
  'keyref',
  'arn',
  'id',
  'ids',
  'url',
  'uri',
  'urls',
  'endpoint',
  'path',
  'file',
  'filename',
  'dir',
  'type',
  'types',
  'length',
  'len',
  'size',
  'count',
  'field',
  'header',
  'prefix',
  'suffix',
  'regex',
  'pattern',
  'format',
  'hint',
  'label',
  'placeholder',
  'policy',
  'env',
  'var',
  'version',
  'hash',
  'hashed',
  'digest',
  'checksum',
  'fingerprint',
  'ttl',
  'expiry',
  'expires',
  'expiration',
  'timeout',
  'lifetime',
  'mode',
  'kind',
  'class',
  'provider',
  'source',
  'store',
  'manager',
  'service',
  'location',
  'selector',
  'template',
  'boundary',
  'sha',
  'md',
];

/** True when a name reads like it holds a secret: `apiKey`, `DB_PASSWORD`, `client-secret`; not `tokenizer`, `secret_name`. */
export function isSecretName(rawName: string): boolean {
  const name = rawName.length > 100 ? rawName.slice(-100) : rawName;
  let keywordEnd = -1;
  NAME_KEYWORD_JS.lastIndex = 0;
  for (let m = NAME_KEYWORD_JS.exec(name); m; m = NAME_KEYWORD_JS.exec(name)) {
    const next = name[m.index + m[0].length];
    const camelBoundary = next !== undefined && /[A-Z]/.test(next) && /[a-z]/.test(m[0]);
    if (next === undefined || !/[A-Za-z]/.test(next) || camelBoundary) keywordEnd = m.index + m[0].length;
  }
  if (keywordEnd === -1) return false;
  if (/^pwd$/i.test(name)) return false; // the shell's current directory
  // What follows the last secret keyword decides: `password_file`, `tokenUrl`, `secret_name` describe a secret.
  const tail = name.slice(keywordEnd).toLowerCase().replace(/[^a-z]/g, '');
  if (tail.length === 0) return true;
  return tail.length <= 12 && !NON_SECRET_NAME_ENDINGS.some((e) => tail.endsWith(e));
}

function looksLikePathOrUrl(value: string): boolean {
  if (value.includes('://')) return true;
  if (/^(?:\/|\.\.?\/|~\/|[A-Za-z]:\\)/.test(value)) return true;
  return value.includes('/') && /\.[a-z]{2,5}$/.test(value);
}

function looksLikeIdentifier(value: string): boolean {
  // Words joined by separators (`user_password_input`, `app.auth.TokenStore`, `X-Auth-Token`,
  // `app.session.token.v2`) are names, not secrets; random segments (`Xk9q-2LmP`) are not words.
  const segments = value.split(/[._\-:/]/);
  if (segments.length >= 2 && segments.every((seg) => /^[A-Za-z]+\d{0,3}$|^v?\d{1,3}$/.test(seg))) return true;
  if (isCamelCaseName(value)) return true;
  if (/^[A-Za-z]+$/.test(value)) return value.length < 16 || shannonEntropy(value) < 4;
  return false;
}

const CAMEL_WORD = /[A-Z]{2,}(?=[A-Z][a-z]|\d|$)|[A-Z]?[a-z]+|\d+|[A-Z]/g;

/**
 * `_autoConnect`, `ProxyBasicAuthHandler`, `OAuth2ClientCredentials`: words of three or more
 * letters with a vowel, or short acronyms, glued in camelCase. Random letters (`XkQpTzRm…`) break
 * into one- and two-letter pieces without vowels.
 */
function isCamelCaseName(value: string): boolean {
  const name = value.replace(/^[_$]+/, '');
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) return false;
  const words = name.match(CAMEL_WORD) ?? [];
  if (words.length < 2 || words.join('') !== name) return false;
  // One lone capital is an acronym's start (`OAuth`); more are random letters.
  if (words.filter((w) => /^[A-Z]$/.test(w)).length > 1) return false;
  return words.every((w) => /^(?:\d{1,2}|[A-Z]{1,5})$/.test(w) || (w.length >= 3 && /[aeiouy]/i.test(w)));
}

const MIN_GENERIC_LENGTH = 12;

/**
 * Multipart boundaries (`----=_NextPart_…`, `----WebKitFormBoundary…`, Python's `=====…==`) look
 * random but only need to be unique. Secrets do not start with a run of dashes or equals signs.
 */
function isMimeBoundary(value: string): boolean {
  return /^(?:--|==)/.test(value) || /boundary|nextpart|_part_/i.test(value);
}

/** Why a value assigned to a secret-looking name is reported, or null when it should not be. */
export function judgeAssignedValue(rawValue: string, path: string): { value: string; entropy: number } | null {
  const value = rawValue.replace(/^(?:bearer|basic|token)\s+/i, '');
  if (value.length < MIN_GENERIC_LENGTH || /\s/.test(value)) return null;
  if (/^[0-9.,:_-]+$/.test(value) || looksLikePathOrUrl(value) || looksLikeIdentifier(value)) return null;
  if (/^\{.*\}$/.test(value) || /^\$\d[a-z]?\$/.test(value)) return null; // {name} templates, bcrypt/crypt hashes
  if (isMimeBoundary(value)) return null;
  if (/^(?:true|false|null|none|nil|undefined)$/i.test(value)) return null;
  if (isPlaceholderValue(value, path)) return null;
  const entropy = shannonEntropy(value);
  if (entropy < requiredEntropy(value.length)) return null;
  return { value, entropy };
}

const LOCKFILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'cargo.lock',
  'go.sum',
  'poetry.lock',
  'pipfile.lock',
  'uv.lock',
  'composer.lock',
  'gemfile.lock',
  'packages.lock.json',
]);

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Config formats where values are written without quotes (`password: s3cr3t`, `TOKEN=abc`). */
function allowsBareValues(path: string): boolean {
  const base = baseName(path).toLowerCase();
  if (base.startsWith('.env') || base.endsWith('.env') || base === 'dockerfile' || base.startsWith('dockerfile.') || base.endsWith('.dockerfile')) {
    return true;
  }
  return /\.(?:ya?ml|properties|ini|cfg|conf|toml|sh|bash|zsh|npmrc|pypirc|netrc|envrc|tfvars|hcl)$/.test(base) || ['.npmrc', '.pypirc', '.netrc', '.envrc'].includes(base);
}

const PROVIDER_DETECTORS: Detector[] = [
  awsAccessKeyId,
  awsSecretAccessKey,
  githubToken,
  anthropicKey,
  openaiKey,
  slackToken,
  slackWebhook,
  googleApiKey,
  stripeLiveKey,
  npmToken,
  privateKey,
  jwt,
  connectionString,
];

/** Case-insensitive: is any secret-like name anywhere in the text? (one pass gates the per-line search) */
/**
 * One set of patterns for the per-file gate: every detector's literals (the AWS secret detector's
 * context pattern stands for its literals) and the secret-like names of the assignment search.
 */
const FILE_GATE = (() => {
  const sources: string[] = [];
  const ids = new Map<Detector, number[]>();
  for (const detector of PROVIDER_DETECTORS) {
    const patterns = detector === awsSecretAccessKey ? [awsSecretContext.source] : DETECTOR_LITERALS.get(detector)!.map(escapeRegexLiteral);
    ids.set(detector, patterns.map((p) => sources.push(p) - 1));
  }
  const nameKeywords = sources.push(`(?i)(?:${NAME_KEYWORDS})`) - 1;
  return { set: new RE2.Set(sources, 'u'), ids, nameKeywords };
})();
/** The same test for one line; `u` gives it RE2's Unicode case folding. */
const nameKeywordLine = new RegExp(`(?:${NAME_KEYWORDS})`, 'iu');

function genericCandidates(line: string, ctx: LineContext, taken: Candidate[]): Candidate[] {
  if (LOCKFILES.has(baseName(ctx.path).toLowerCase())) return [];
  const bare = allowsBareValues(ctx.path);
  const out: Candidate[] = [];
  assignmentRe.lastIndex = 0;
  for (let m = assignmentRe.exec(line); m; m = assignmentRe.exec(line)) {
    const name = m[1] ?? '';
    const quoted = m[2] ?? m[3] ?? m[4];
    const value = quoted ?? m[5] ?? '';
    if (quoted === undefined && !bare) continue;
    const end = m.index + m[0].length - (quoted !== undefined ? 1 : 0);
    const start = end - value.length;
    if (taken.some((c) => c.start < end && start < c.end)) continue;
    if (!isSecretName(name)) continue;
    const judged = judgeAssignedValue(value, ctx.path);
    if (!judged) continue;
    const shownName = name.length > 60 ? `…${name.slice(-60)}` : name;
    out.push({
      ruleId: SECRET_RULE_IDS.highEntropy,
      label: `High-entropy value assigned to "${shownName}"`,
      start: end - judged.value.length,
      end,
      secret: judged.value,
      display: `${shownName} = ${redact(judged.value)}`,
      detail: `${judged.value.length} characters, ${judged.entropy.toFixed(1)} bits of entropy per character`,
    });
  }
  return out;
}

const ENV_TEMPLATE_SUFFIXES = ['.example', '.sample', '.template', '.tmpl', '.tpl', '.dist', '.default', '.defaults', '.schema', '.skel', '.stub'];

/** `.env`, `.env.local`, `.env.production`, … but not the templates meant to be committed. */
export function isEnvFile(path: string): boolean {
  const base = baseName(path).toLowerCase();
  if (base === '.env') return true;
  if (!base.startsWith('.env.')) return false;
  return !ENV_TEMPLATE_SUFFIXES.some((s) => base.endsWith(s));
}

/** The lowest added line that exists in the file (the engine may widen `added` beyond the diff, e.g. for moved files). */
function firstAddedLine(added: ReadonlySet<number>, lineCount: number): number | undefined {
  let first: number | undefined;
  for (const l of added) if (l >= 1 && l <= lineCount && (first === undefined || l < first)) first = l;
  return first;
}

function analyzeSecrets(input: AnalyzerInput, metaById: Map<string, string>): RawFinding[] {
  const findings: RawFinding[] = [];
  const { file, lines } = input;
  if (input.text === null) return findings;

  const newlyEnv =
    isEnvFile(file.path) && (file.status === 'added' || ((file.status === 'renamed' || file.status === 'copied') && !isEnvFile(file.oldPath ?? '')));
  if (newlyEnv) {
    const first = firstAddedLine(input.added, lines.length) ?? (lines.length > 0 ? 1 : undefined);
    if (first !== undefined) {
      findings.push({
        ruleId: SECRET_RULE_IDS.envFile,
        line: first,
        snippet: baseName(file.path),
        message: `The change adds ${file.path}. ${metaById.get(SECRET_RULE_IDS.envFile) ?? ''}`.trim(),
      });
    }
  }

  // One RE2 pass over all added text decides which detectors can fire at all, so a file
  // without provider prefixes or secret-like names costs one search, not one per line.
  const addedText = [...input.added].map((l) => lines[l - 1] ?? '').join('\n');
  const present = new Set(FILE_GATE.set.match(addedText));
  const detectors = PROVIDER_DETECTORS.filter((d) => FILE_GATE.ids.get(d)!.some((id) => present.has(id)));
  const withNames = present.has(FILE_GATE.nameKeywords);
  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    if (!input.added.has(lineNo)) continue;
    const line = lines[index]!;
    if (line.length < 8) continue;
    const named = withNames && nameKeywordLine.test(line);
    if (detectors.length === 0 && !named) continue;
    const ctx: LineContext = { path: file.path, lines, index };
    const candidates: Candidate[] = [];
    for (const detect of detectors) candidates.push(...detect(line, ctx));
    // An assignment's name contains a keyword, so lines without one are skipped (a JS test, no RE2 call).
    if (named) candidates.push(...genericCandidates(line, ctx, candidates));
    candidates.sort((a, b) => a.start - b.start);
    for (const c of candidates) {
      const shown = c.display ?? redact(c.secret);
      const detail = c.detail ? ` (${c.detail})` : '';
      findings.push({
        ruleId: c.ruleId,
        line: lineNo,
        column: c.start + 1,
        snippet: shown,
        message: `${c.label}${detail} at column ${c.start + 1}: ${shown}. ${metaById.get(c.ruleId) ?? ''}`.trim(),
        ...(c.confidence ? { confidence: c.confidence } : {}),
        // The same value on several lines is one leak: grouped by a digest, never by the value itself.
        groupKey: secretDigest(c.secret),
      });
    }
  }
  return findings;
}

/** Identifies a secret value across lines without carrying it: the first 16 hex digits of its SHA-256. */
function secretDigest(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;
}

// ---- Rule metadata and test cases ----

const CWE_798 = 'https://cwe.mitre.org/data/definitions/798.html';
const OWASP_SECRETS = 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html';
const GITHUB_SECRET_SCANNING = 'https://docs.github.com/en/code-security/secret-scanning/introduction/about-secret-scanning';
const REVOKE = 'Revoke or rotate it now (it is in the Git history even if a later commit removes it) and load it at runtime from the environment or a secret manager.';

// Test inputs are assembled from parts so that this source file contains no complete token itself.
const join = (...parts: string[]): string => parts.join('');
const AWS_ID = join('AKIA', 'Z7Q3VYH2LMXW4KPD');
const AWS_SECRET = join('kq8Vd2mZ', 'r7Ux9bLpT3wQn5sYc0Hj', 'Ge4FaK1oW9xY');
const GH_TOKEN = join('ghp_', 'r8K2mQ9xVb4Lz7TnW1cY5pHd3Fs6Jg0Ae2Ui');
const GH_PAT = join('github_pat_', '11AB2CD3E0', 'xYz9Kq7WmP4tR2vN8sL5bH_', 'c3Jf6Gd1Ae9Ui0Oy7Tr4Ew2Qz5Xv8Nb3Mk6Lp1Hs4Dg7Fj0Ka9Sc2');
const OPENAI = join('sk-proj-', 'Qm7Xk2Lp9Vb4Nz8Tc1Wd6Yf3Hg5Js0Ra', 'Ue8Io2Pa4Sd6Fg');
const ANTHROPIC = join('sk-ant-api03-', 'Zx9Kq2Wm7Lp4Vb8Nc1Td6Yf3Hg5Js0Ra', 'Ue8Io2Pa4Sd6Fg1Hj3Kl5Zx7Cv9Bn2Mq4We6Rt8Yu0Ip3As5Df7Gh9Jk-AA');
const SLACK = join('xoxb-', '2847561930', '-7719283746', '-Kq8Vd2mZr7Ux9bLpT3wQn5s');
const SLACK_HOOK = join('https://hooks.slack.com/services/', 'T04KQ9ZLM', '/B05R7WXN2PQ/', 'q8Vd2mZr7Ux9bLpT3wQn5sYc');
const GOOGLE = join('AIza', 'SyD8kQ2mZr7Ux9bLpT3wQn5sYc0Hj', 'Ge4FaK');
const STRIPE = join('sk_live_', '51Hq8Vd2mZr7Ux9bLpT3wQn5', 'sYc0HjGe4FaK1o');
const NPM = join('npm_', 'q8Vd2mZr7Ux9bLpT3wQn5sYc0HjGe4FaK1oW');
const JWT = join(
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  '.eyJzdWIiOiJ1c3JfOTgyMzciLCJyb2xlIjoic2VydmljZV9yb2xlIiwiaWF0IjoxNzAwMDAwMDAwfQ',
  '.Kq8Vd2mZr7Ux9bLpT3wQn5sYc0HjGe4FaK1oW9xY',
);
const PEM_HEADER = join('-----BEGIN RSA ', 'PRIVATE KEY-----');
const PEM_BODY = 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun';
const DB_PASSWORD = join('Vt9q2', 'LmX7pR4');
const REDIS_PASSWORD = join('Hq8Vd2', 'mZr7Ux');
const DJANGO_KEY = join('x7#kQ2!mZr9', 'Ux$bLpT3wQn5sYc');
const YAML_PASSWORD = join('Vt9q2LmX', '7pR4kW8z');
const HEX_TOKEN = join('f3a9c2e17b804d6e', '9a5c1f2b7d3e8a40');

const rules: AnalyzerRule[] = [
  {
    meta: {
      id: SECRET_RULE_IDS.awsAccessKeyId,
      title: 'AWS access key ID in code',
      severity: 'critical',
      confidence: 'high',
      category: 'secrets',
      // A credential in its provider's live format leaks from a test or a fixture just the same.
      context: NO_DISCOUNT,
      cwe: ['CWE-798'],
      message: `An AWS access key ID is hardcoded; its secret key is usually next to it. ${REVOKE}`,
      fix: 'Deactivate the key in IAM, then use an IAM role, AWS SSO or environment variables instead of keys in code.',
      references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html', CWE_798],
    },
    tests: {
      valid: [
        { path: 'docs/aws.md', code: 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n' },
        { path: 'src/aws.ts', code: 'const id = process.env.AWS_ACCESS_KEY_ID;\n' },
      ],
      invalid: [
        { path: 'config/aws.yml', code: `aws:\n  access_key_id: ${AWS_ID}\n`, lines: [2] },
        { path: 'src/s3.go', code: `var keyID = "${AWS_ID}"\n`, lines: [1] },
      ],
    },
  },
  {
    meta: {
      id: SECRET_RULE_IDS.awsSecretAccessKey,
      title: 'AWS secret access key in code',
      severity: 'critical',
      confidence: 'medium',
      category: 'secrets',
      cwe: ['CWE-798'],
      message: `An AWS secret access key is hardcoded. ${REVOKE}`,
      fix: 'Deactivate the key pair in IAM and use roles or environment-provided credentials.',
      references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html', CWE_798],
    },
    tests: {
      valid: [
        { path: 'docs/aws.md', code: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n' },
        { path: 'src/hash.py', code: `checksum = "${AWS_SECRET}"\n` },
      ],
      invalid: [{ path: 'deploy/.aws/credentials', code: `[default]\naws_secret_access_key = ${AWS_SECRET}\n`, lines: [2] }],
    },
  },
  {
    meta: {
      id: SECRET_RULE_IDS.github,
      title: 'GitHub token in code',
      severity: 'critical',
      confidence: 'high',
      category: 'secrets',
      // A credential in its provider's live format leaks from a test or a fixture just the same.
      context: NO_DISCOUNT,
      cwe: ['CWE-798'],
      message: `A GitHub token (ghp_, gho_, ghu_, ghs_, ghr_ or github_pat_) is hardcoded. ${REVOKE}`,
      fix: 'Revoke the token in GitHub settings; in Actions use the GITHUB_TOKEN secret, elsewhere an environment variable.',
      references: [
        'https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats',
        GITHUB_SECRET_SCANNING,
      ],
    },
    tests: {
      valid: [
        { path: 'README.md', code: 'export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n' },
        { path: 'src/gh.ts', code: 'const token = process.env.GITHUB_TOKEN ?? "";\n' },
      ],
      invalid: [
        { path: 'scripts/release.sh', code: `#!/bin/sh\ncurl -H "Authorization: token ${GH_TOKEN}" https://api.github.com/user\n`, lines: [2] },
        { path: 'src/client.py', code: `GH = "${GH_PAT}"\n`, lines: [1] },
      ],
    },
  },
  {
    meta: {
      id: SECRET_RULE_IDS.openai,
      title: 'OpenAI API key in code',
      severity: 'critical',
      confidence: 'high',
      category: 'secrets',
      // A credential in its provider's live format leaks from a test or a fixture just the same.
      context: NO_DISCOUNT,
      cwe: ['CWE-798'],
      message: `An OpenAI-style API key (sk-…, sk-proj-…) is hardcoded. ${REVOKE}`,
      fix: 'Delete the key in the OpenAI dashboard and read OPENAI_API_KEY from the environment.',
      references: ['https://platform.openai.com/docs/api-reference/authentication', 'https://help.openai.com/en/articles/5112595-best-practices-for-api-key-safety'],
    },
    tests: {
      valid: [
        { path: 'README.md', code: 'OPENAI_API_KEY=sk-proj-your-key-here-xxxxxxxxxxxxxxxxxxxxxxxx\n' },
        { path: 'src/css.ts', code: 'const cls = "task-0123456789abcdefghij0123456789ab";\n' },
      ],
      invalid: [{ path: 'app/llm.py', code: `client = OpenAI(api_key="${OPENAI}")\n`, lines: [1] }],
    },
  },
  {
    meta: {
      id: SECRET_RULE_IDS.anthropic,
      title: 'Anthropic API key in code',
      severity: 'critical',
      confidence: 'high',
      category: 'secrets',
      // A credential in its provider's live format leaks from a test or a fixture just the same.
      context: NO_DISCOUNT,
      cwe: ['CWE-798'],
      message: `An Anthropic API key (sk-ant-…) is hardcoded. ${REVOKE}`,
      fix: 'Disable the key in the Anthropic Console and read ANTHROPIC_API_KEY from the environment.',
      references: ['https://docs.anthropic.com/en/api/overview', OWASP_SECRETS],
    },
    tests: {
      valid: [{ path: 'docs/setup.md', code: 'ANTHROPIC_API_KEY=sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n' }],
      invalid: [{ path: 'src/agent.ts', code: `const anthropic = new Anthropic({ apiKey: '${ANTHROPIC}' });\n`, lines: [1] }],
    },
  },
  {
    meta: {
      id: SECRET_RULE_IDS.slackToken,
      title: 'Slack token in code',
      severity: 'critical',
      confidence: 'high',
      category: 'secrets',
      // A credential in its provider's live format leaks from a test or a fixture just the same.
      context: NO_DISCOUNT,
      cwe: ['CWE-798'],
      message: `A Slack API token (xoxb-, xoxp-, xapp-, …) is hardcoded. ${REVOKE}`,
      fix: 'Revoke the token in the Slack app settings and inject it through the environment.',
      references: ['https://api.slack.com/authentication/token-types', CWE_798],
    },
    tests: {
      valid: [{ path: 'docs/slack.md', code: 'SLACK_BOT_TOKEN=xoxb-your-bot-token-here-please\n' }],
      invalid: [{ path: 'bot/config.json', code: `{\n  "slackToken": "${SLACK}"\n}\n`, lines: [2] }],
    },
  },
  {
    meta: {
      id: SECRET_RULE_IDS.slackWebhook,
      title: 'Slack webhook URL in code',
      severity: 'high',
      confidence: 'high',
      category: 'secrets',
      cwe: ['CWE-798'],
      message: `A Slack incoming webhook URL is hardcoded; anyone holding it can post into the channel. ${REVOKE}`,
      fix: 'Regenerate the webhook in Slack and keep the URL in a secret.',
      references: ['https://api.slack.com/messaging/webhooks', CWE_798],
    },
    tests: {
      valid: [{ path: 'docs/notify.md', code: 'url: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\n' }],
      invalid: [{ path: 'ci/notify.yml', code: `webhook: ${SLACK_HOOK}\n`, lines: [1] }],
    },
  },
  {
    meta: {
      id: SECRET_RULE_IDS.googleApiKey,
      title: 'Google API key in code',
      severity: 'high',
      confidence: 'high',
      category: 'secrets',
      cwe: ['CWE-798'],
      message: `A Google API key (AIza…) is hardcoded. Unless it is a browser key restricted to your referrers and APIs, ${REVOKE.charAt(0).toLowerCase()}${REVOKE.slice(1)}`,
      fix: 'Regenerate the key in the Google Cloud console and restrict it by API and referrer, or load it from configuration.',
      references: ['https://cloud.google.com/docs/authentication/api-keys', CWE_798],
    },
    tests: {
      valid: [{ path: 'docs/maps.md', code: 'key = "AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"\n' }],
      invalid: [{ path: 'android/app/config.kt', code: `val mapsKey = "${GOOGLE}"\n`, lines: [1] }],
    },
  },
  {
    meta: {
      id: SECRET_RULE_IDS.stripe,
      title: 'Stripe live key in code',
      severity: 'critical',
      confidence: 'high',
      category: 'secrets',
      // A credential in its provider's live format leaks from a test or a fixture just the same.
      context: NO_DISCOUNT,
      cwe: ['CWE-798'],
      message: `A Stripe live secret or restricted key (sk_live_, rk_live_) is hardcoded; it can move real money. ${REVOKE}`,
      fix: 'Roll the key in the Stripe dashboard and load it from a secret manager.',
      references: ['https://docs.stripe.com/keys', CWE_798],
    },
    tests: {
      valid: [{ path: 'src/pay.ts', code: 'const stripe = new Stripe("sk_test_51Hq8Vd2mZr7Ux9bLpT3wQn5sYc0HjGe");\n' }],
      invalid: [{ path: 'src/pay.rb', code: `Stripe.api_key = "${STRIPE}"\n`, lines: [1] }],
    },
  },
  {
    meta: {
      id: SECRET_RULE_IDS.privateKey,
      title: 'Private key committed',
      severity: 'critical',
      confidence: 'high',
      category: 'secrets',
      cwe: ['CWE-321', 'CWE-798'],
      message: 'A PEM/OpenSSH/PGP private key is added to the repository. Treat it as compromised: generate a new key pair and revoke the old one.',
      fix: 'Remove the key, rotate it, and mount keys at runtime (secret store, CI secret, KMS).',
      references: ['https://datatracker.ietf.org/doc/html/rfc7468', 'https://cwe.mitre.org/data/definitions/321.html'],
    },
    tests: {
      valid: [
        { path: 'src/pem.ts', code: `if (pem.startsWith('${PEM_HEADER}')) {\n  return parse(pem);\n}\n` },
        { path: 'docs/keys.md', code: `${PEM_HEADER}\n...\n-----END RSA PRIVATE KEY-----\n` },
        // A test key under testdata/ (Go's crypto/tls keeps dozens): reported at medium confidence, not blocking.
        { path: 'crypto/tls/testdata/server.key', code: `${PEM_HEADER}\n${PEM_BODY}\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----\n` },
      ],
      invalid: [
        { path: 'deploy/id_rsa', code: `${PEM_HEADER}\n${PEM_BODY}\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----\n`, lines: [1] },
        { path: 'sa.json', code: `{"private_key": "${PEM_HEADER}\\n${PEM_BODY}\\n"}\n`, lines: [1] },
      ],
    },
  },
  {
    meta: {
      id: SECRET_RULE_IDS.npm,
      title: 'npm access token in code',
      severity: 'critical',
      confidence: 'high',
      category: 'secrets',
      // A credential in its provider's live format leaks from a test or a fixture just the same.
      context: NO_DISCOUNT,
      cwe: ['CWE-798'],
      message: `An npm access token (npm_…) is hardcoded; with publish rights it lets anyone release packages under your name. ${REVOKE}`,
      fix: 'Revoke the token on npmjs.com and use `${NPM_TOKEN}` in .npmrc with the value from CI secrets.',
      references: ['https://docs.npmjs.com/about-access-tokens', CWE_798],
    },
    tests: {
      valid: [{ path: '.npmrc', code: '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n' }],
      invalid: [{ path: '.npmrc', code: `//registry.npmjs.org/:_authToken=${NPM}\n`, lines: [1] }],
    },
  },
  {
    meta: {
      id: SECRET_RULE_IDS.jwt,
      title: 'JSON Web Token used as a credential',
      severity: 'high',
      confidence: 'medium',
      category: 'secrets',
      cwe: ['CWE-798'],
      message: `A signed JSON Web Token is hardcoded next to a credential name (token, auth, bearer, …). Long-lived service tokens grant whatever their claims say. ${REVOKE}`,
      fix: 'Revoke the token (or rotate the signing key) and obtain tokens at runtime.',
      references: ['https://datatracker.ietf.org/doc/html/rfc7519', OWASP_SECRETS],
    },
    tests: {
      valid: [
        // No credential context around it: e.g. a test vector in a parser.
        { path: 'src/decode.test.ts', code: `expect(split("${JWT}")).toHaveLength(3);\n` },
        {
          path: 'docs/auth.md',
          code: 'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n',
        },
      ],
      invalid: [{ path: 'src/supabase.ts', code: `const serviceRoleKey = "${JWT}";\n`, lines: [1] }],
    },
  },
  {
    meta: {
      id: SECRET_RULE_IDS.connectionString,
      title: 'Password inside a connection string',
      severity: 'high',
      confidence: 'medium',
      category: 'secrets',
      cwe: ['CWE-798'],
      message: `A connection URL carries a password inline (scheme://user:password@host). ${REVOKE}`,
      fix: 'Change the password and build the URL from a secret at runtime (e.g. DATABASE_URL from the environment).',
      references: ['https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING', CWE_798],
    },
    tests: {
      valid: [
        { path: 'docker-compose.yml', code: 'DATABASE_URL: postgres://postgres:postgres@localhost:5432/app\n' },
        { path: 'docs/db.md', code: 'Use `postgres://user:password@host:5432/db`.\n' },
        { path: 'src/db.ts', code: 'const url = `postgres://${user}:${pass}@${host}/db`;\n' },
      ],
      invalid: [
        { path: 'src/db.py', code: `DB = "postgresql://app_rw:${DB_PASSWORD}@db.prod.internal:5432/app"\n`, lines: [1] },
        { path: 'config/cache.yml', code: `redis_url: redis://default:${REDIS_PASSWORD}@cache.internal:6379\n`, lines: [1] },
      ],
    },
  },
  {
    meta: {
      id: SECRET_RULE_IDS.highEntropy,
      title: 'High-entropy secret assigned to a credential name',
      severity: 'high',
      confidence: 'medium',
      category: 'secrets',
      cwe: ['CWE-798'],
      message: `A value that looks random is assigned to a name like password, secret, token or api_key. ${REVOKE}`,
      fix: 'Replace the literal with a lookup of an environment variable or secret manager entry.',
      references: [CWE_798, OWASP_SECRETS],
    },
    tests: {
      valid: [
        { path: 'src/settings.py', code: 'SECRET_KEY = os.environ["SECRET_KEY"]\n' },
        { path: 'config/app.yml', code: 'password: ${DB_PASSWORD}\ntoken: changeme\n' },
        { path: 'src/i18n/en.json', code: '{"password_hint": "Use at least 12 characters and a digit 1"}\n' },
        { path: 'src/app.ts', code: 'const password = getPassword(user);\n' },
      ],
      invalid: [
        { path: 'src/settings.py', code: `SECRET_KEY = "${DJANGO_KEY}"\n`, lines: [1] },
        { path: 'config/prod.yml', code: `db:\n  password: ${YAML_PASSWORD}\n`, lines: [2] },
        { path: 'main.go', code: `const apiToken = "${HEX_TOKEN}"\n`, lines: [1] },
      ],
    },
  },
  {
    meta: {
      id: SECRET_RULE_IDS.envFile,
      title: '.env file committed',
      severity: 'medium',
      confidence: 'high',
      category: 'secrets',
      cwe: ['CWE-538', 'CWE-798'],
      message:
        '.env files hold local configuration and usually secrets; they belong in .gitignore. Commit a .env.example with placeholder values instead.',
      fix: 'Remove the file from the change, add it to .gitignore, rotate any secret it contained, and commit a .env.example.',
      references: ['https://12factor.net/config', 'https://github.com/motdotla/dotenv#should-i-commit-my-env-file'],
    },
    tests: {
      valid: [
        { path: '.env.example', code: 'DATABASE_URL=\nAPI_KEY=\n', status: 'added' },
        { path: '.env', code: 'DEBUG=true\nLOG_LEVEL=info\n', added: [2], status: 'modified' },
      ],
      invalid: [
        { path: '.env', code: 'DEBUG=true\n', status: 'added', lines: [1] },
        { path: 'services/api/.env.production', code: 'API_URL=https://api.internal\n', status: 'added', lines: [1] },
      ],
    },
  },
];

const metaById = new Map(rules.map((r) => [r.meta.id, r.meta.message]));

export const secretsAnalyzer: Analyzer = {
  name: 'secrets',
  rules,
  appliesTo(file: ChangedFile): boolean {
    return file.status !== 'deleted' && !file.binary;
  },
  analyze(input: AnalyzerInput): RawFinding[] {
    return analyzeSecrets(input, metaById);
  },
};

import { isCollection, type LineCounter, type Node } from 'yaml';
import { z } from 'zod';
import { CONFIDENCES, SEVERITIES } from './model.js';
import { readYamlSafely } from './formats/yaml-safety.js';

// `.github/airlock.yml` (the app reads it from the base repository's default branch; the
// CLI takes --config FILE). Every field has a default, so an empty file is a valid config.

/** Where the configuration lives in a repository (the app's default branch, the CLI's --config-from-base). */
export const CONFIG_PATH = '.github/airlock.yml';

const severity = z.enum(SEVERITIES);
const confidence = z.enum(CONFIDENCES);

const glob = z.string().min(1).max(300);

/** One `policies` entry: what applies to changes of the files its `paths` match. */
const policySchema = z.strictObject({
  paths: z.array(glob).min(1).max(50).describe('Globs of the files the policy covers (`src/auth/**`).'),
  require_tests: z
    .boolean()
    .default(false)
    .describe('An AI-authored change to these files must also change a test file, or it gets `airlock.policy.missing-tests`.'),
  tests: z
    .array(glob)
    .max(50)
    .default([])
    .describe('Globs of files that count as tests for `require_tests`, on top of test files by convention (`*_test.go`, `tests/`).'),
  fail_on: severity.optional().describe('Findings in these files fail the check at or above this severity, instead of the top-level `fail_on`.'),
  fail_confidence: confidence.optional().describe('… and at or above this confidence, instead of the top-level `fail_confidence`.'),
});

export type PathPolicy = z.infer<typeof policySchema>;

export const configSchema = z.strictObject({
  mode: z
    .enum(['enforce', 'observe'])
    .default('enforce')
    .describe('`enforce`: findings that block fail the check and the CLI exits 1. `observe`: the same review, comments and summary, but the check concludes neutral ("would fail") and the CLI exits 0, for trying Airlock before it may block anything.'),
  review: z
    .enum(['ai', 'all', 'labeled'])
    .default('ai')
    .describe('Which pull requests get a review: `ai` those the engine detects as AI-authored, `all` every one, `labeled` only those with one of `ai.labels`, a common AI label or `airlock:review`. As a security gate use `all`: agent markers can be removed.'),
  ai: z
    .strictObject({
      labels: z.array(z.string().min(1)).default([]).describe('Labels that mark a change as AI-authored, on top of the common AI labels.'),
      authors: z.array(z.string().min(1)).default([]).describe('Logins whose pull requests count as AI-authored, on top of the known agent accounts.'),
      branches: z.array(z.string().min(1)).default([]).describe('Globs of head branch names that mark a change as AI-authored (`agent/*`).'),
    })
    .prefault({})
    .describe('Extra signals that mark a change as AI-authored, on top of the built-in agent markers.'),
  fail_on: severity.default('high').describe('Findings at or above this severity fail the check (CLI: exit 1) when their confidence is at or above `fail_confidence`.'),
  fail_confidence: confidence
    .default('high')
    .describe('Only findings at least this confident block; the others at or above `fail_on` are reported and held back from blocking.'),
  comment_on: severity
    .default('info')
    .describe('Inline review comments only for findings at or above this severity; the others are listed in the check summary only. Never changes what blocks.'),
  policies: z
    .array(policySchema)
    .max(50)
    .default([])
    .describe('Stricter rules for high-risk paths (`src/auth/**`): thresholds of their own, and test evidence required from AI-authored changes.'),
  rules: z
    .record(
      z.string().min(1),
      z.union([
        z.literal('off'),
        z
          .strictObject({ severity: severity.optional(), confidence: confidence.optional() })
          .refine((o) => o.severity !== undefined || o.confidence !== undefined, 'needs severity, confidence or both (or the value off)'),
      ]),
    )
    .default({})
    .describe('Per rule id, or id prefix ending in `.*`: `off`, or `{ severity, confidence }` overrides. An unknown id is an error.'),
  semgrep_rules: z
    .array(
      z
        .string()
        .regex(/\.ya?ml$/, 'must be a .yml or .yaml file')
        .refine((p) => !p.startsWith('/') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'), {
          message: 'must be a path inside the repository (no leading /, no . or .. segments)',
        }),
    )
    .max(50)
    .default([])
    .describe('The organisation\'s own rule files in Semgrep syntax (docs/semgrep.md): paths in the repository, read at the base (the app: the default branch), never from the change itself; at most 50.'),
  ignore_paths: z.array(z.string().min(1)).default([]).describe('Globs of files never reviewed (generated code, vendored code); every report counts the files they excluded.'),
  comments: z
    .strictObject({
      max: z.number().int().min(0).max(100).default(20).describe('Inline review comments per push, most severe first; the rest are listed in the check summary.'),
    })
    .prefault({})
    .describe('Inline review comments of the GitHub App.'),
  on_error: z
    .enum(['failure', 'neutral', 'fail'])
    .default('failure')
    .transform((value) => (value === 'fail' ? 'failure' : value))
    .describe('Conclusion of the check when Airlock itself cannot finish (GitHub outage, deadline, internal error). `fail` is the older spelling of `failure`.'),
  limits: z
    .strictObject({
      max_file_bytes: z.number().int().min(1000).max(50_000_000).default(1_000_000).describe('Larger files are listed as not reviewed.'),
      time_budget_seconds: z.number().int().min(1).max(3600).default(120).describe('Files not reached in this time are listed as not reviewed.'),
    })
    .prefault({})
    .describe('Bounds on one review.'),
  _extends: z.string().optional().describe('Org-wide defaults, read by Probot\'s config loader (`.github`, `owner/repo`, `owner/repo:path/file.yml`); accepted and ignored here.'),
});

export type AirlockConfig = z.infer<typeof configSchema>;

export const DEFAULT_CONFIG: AirlockConfig = configSchema.parse({});

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function lineOf(node: Node | null | undefined, counter: LineCounter): number | null {
  const start = node?.range?.[0];
  return start === undefined ? null : counter.linePos(start).line;
}

type Issue = z.core.$ZodIssue;

/**
 * The issue to report. For a value that fits none of a union's shapes (`rules.x: off` or
 * `{ severity, confidence }`), the one from the shape it came closest to: the deepest path,
 * then a failed check over a wrong type, so `{ confidence: HIGH }` names `confidence`.
 */
function reportedIssue(issue: Issue): Issue {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue;
  const typeOnly = (i: Issue) => i.code === 'invalid_type' || i.code === 'invalid_value';
  let best: Issue | null = null;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (!first) continue;
    if (!best || first.path.length > best.path.length || (first.path.length === best.path.length && typeOnly(best) && !typeOnly(first))) best = first;
  }
  return best ? reportedIssue({ ...best, path: [...issue.path, ...best.path] } as Issue) : issue;
}

/** Validates an already-parsed value (e.g. what Probot's config loader returned). */
export function validateConfig(value: unknown, fileName: string): AirlockConfig {
  const parsed = configSchema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = reportedIssue(parsed.error.issues[0]!);
  throw new ConfigError(`${fileName}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
}

/** Parses and validates config text. Errors are one line and name the file, line and field. */
export function parseConfig(text: string, fileName: string): AirlockConfig {
  const read = readYamlSafely(text, { uniqueKeys: true });
  if (!read.ok) throw new ConfigError(`${fileName}: ${read.problem}`);
  const { doc, counter } = read;
  const parsed = configSchema.safeParse(read.value ?? {});
  if (parsed.success) return parsed.data;
  const issue = reportedIssue(parsed.error.issues[0]!);
  // Point at the deepest node of the path that exists in the document.
  let line: number | null = null;
  for (let depth = issue.path.length; depth >= 0 && line === null; depth--) {
    const path = issue.path.slice(0, depth) as (string | number)[];
    const node = depth === 0 ? doc.contents : doc.getIn(path, true);
    if (node && typeof node === 'object') {
      line = lineOf(node as Node, counter);
      // For a bad key, the pair's key is more precise than its value.
      if (depth > 0 && isCollection(doc.getIn(path.slice(0, -1), true))) {
        const parent = doc.getIn(path.slice(0, -1), true) as { items?: { key?: Node; value?: Node }[] };
        const pair = parent.items?.find((p) => (p.key as { value?: unknown } | undefined)?.value === path[path.length - 1]);
        line = lineOf(pair?.key, counter) ?? line;
      }
    }
  }
  const field = issue.path.join('.') || '(top level)';
  throw new ConfigError(`${fileName}: ${line ? `line ${line}: ` : ''}${field}: ${issue.message}`);
}

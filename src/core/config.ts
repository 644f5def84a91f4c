import { isCollection, LineCounter, parseDocument, type Node } from 'yaml';
import { z } from 'zod';
import { CONFIDENCES, SEVERITIES } from './model.js';
import { documentValue, yamlNestingProblem } from './formats/yaml-safety.js';

// `.github/airlock.yml` (the app reads it from the base repository's default branch; the
// CLI takes --config FILE). Every field has a default, so an empty file is a valid config.

/** Where the configuration lives in a repository (the app's default branch, the CLI's --config-from-base). */
export const CONFIG_PATH = '.github/airlock.yml';

const severity = z.enum(SEVERITIES);
const confidence = z.enum(CONFIDENCES);

const glob = z.string().min(1).max(300);

/** One `policies` entry: what applies to changes of the files its `paths` match. */
const policySchema = z.strictObject({
  /** Globs of the files the policy covers (`src/auth/**`). */
  paths: z.array(glob).min(1).max(50),
  /** An AI-authored change to these files must also change a test file, or it gets `airlock.policy.missing-tests`. */
  require_tests: z.boolean().default(false),
  /** Globs of files that count as tests for `require_tests`, on top of test files by convention (`*_test.go`, `tests/`). */
  tests: z.array(glob).max(50).default([]),
  /** Findings in these files fail the check at or above this severity (instead of the top-level `fail_on`). */
  fail_on: severity.optional(),
  /** … and at or above this confidence (instead of the top-level `fail_confidence`). */
  fail_confidence: confidence.optional(),
});

export type PathPolicy = z.infer<typeof policySchema>;

export const configSchema = z.strictObject({
  /**
   * `enforce` (default): findings that block fail the check and the CLI exits 1. `observe`: the
   * same review, comments and summary, but the check concludes neutral and the CLI exits 0: for
   * trying Airlock on a repository before it may block anything.
   */
  mode: z.enum(['enforce', 'observe']).default('enforce'),
  /** Which changes get a review: AI-authored ones (default), all of them, or only labelled ones. */
  review: z.enum(['ai', 'all', 'labeled']).default('ai'),
  /** Extra signals that mark a change as AI-authored (on top of the built-in agent markers). */
  ai: z
    .strictObject({
      labels: z.array(z.string().min(1)).default([]),
      authors: z.array(z.string().min(1)).default([]),
      branches: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
  /** Findings at or above this severity fail the check / exit 1 … */
  fail_on: severity.default('high'),
  /** … when their confidence is at or above this; the rest are reported and never block. */
  fail_confidence: confidence.default('high'),
  /** Inline review comments only for findings at or above this severity; the rest are in the check summary only. */
  comment_on: severity.default('info'),
  /** Stricter rules for high-risk paths (`src/auth/**`): thresholds of their own, required test evidence. */
  policies: z.array(policySchema).max(50).default([]),
  /** Per rule id, or id prefix ending in `.*`: `off`, or a severity and/or confidence override. */
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
    .default({}),
  /**
   * The organisation's own rule files in Semgrep syntax (docs/semgrep.md): paths in the
   * repository, read at the base (the app: the default branch), never from the change itself.
   */
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
    .default([]),
  /** Paths (globs) never reviewed, e.g. generated code. */
  ignore_paths: z.array(z.string().min(1)).default([]),
  comments: z
    .strictObject({
      /** Inline review comments per push; the rest are listed in the check summary. */
      max: z.number().int().min(0).max(100).default(20),
    })
    .prefault({}),
  /** Conclusion of the check when Airlock itself fails (GitHub outage, internal error). `fail` is the older spelling of `failure`. */
  on_error: z
    .enum(['failure', 'neutral', 'fail'])
    .default('failure')
    .transform((value) => (value === 'fail' ? 'failure' : value)),
  limits: z
    .strictObject({
      max_file_bytes: z.number().int().min(1000).max(50_000_000).default(1_000_000),
      time_budget_seconds: z.number().int().min(1).max(3600).default(120),
    })
    .prefault({}),
  /** Handled by Probot's config loader (org-wide defaults); accepted and ignored here. */
  _extends: z.string().optional(),
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
  const tooDeep = yamlNestingProblem(text);
  if (tooDeep) throw new ConfigError(`${fileName}: ${tooDeep}`);
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = counter.linePos(err.pos[0]).line;
    throw new ConfigError(`${fileName}: ${line ? `line ${line}: ` : ''}invalid YAML: ${err.message.split('\n')[0]}`);
  }
  const expanded = documentValue(doc);
  if ('problem' in expanded) throw new ConfigError(`${fileName}: ${expanded.problem}`);
  const parsed = configSchema.safeParse(expanded.value ?? {});
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

import { z } from 'zod';
import { CONFIDENCES, SEVERITIES, type Confidence } from '../model.js';
import { NO_DISCOUNT, type RuleContext } from '../context/adjust.js';
import { DISCOUNT_CONTEXTS } from '../context/classify.js';
import { readYamlSafely } from '../formats/yaml-safety.js';
import type { RuleMeta, RuleTests } from './types.js';

// The rule file format. Deliberately close to Semgrep's (id, message, severity,
// languages, metadata) with the match written in ast-grep's rule language.

export const LANGUAGES = [
  'javascript',
  'typescript',
  'tsx',
  'python',
  'go',
  'java',
  'ruby',
  'php',
  'bash',
  'yaml',
] as const;
export type Language = (typeof LANGUAGES)[number];

const ID = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;

const testCase = z.strictObject({
  path: z.string().min(1).optional(),
  code: z.string(),
  added: z.array(z.number().int().positive()).optional(),
  lines: z.array(z.number().int().positive()).optional(),
  status: z.enum(['added', 'modified', 'deleted', 'renamed', 'copied']).optional(),
});

const astMatch = z.strictObject({
  ast: z.strictObject({
    rule: z.record(z.string(), z.unknown()),
    constraints: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    utils: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    /** Report the node bound to this metavariable (name without `$`) instead of the whole match. */
    focus: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be a metavariable name like X').optional(),
    /** Semgrep `metavariable-comparison` expressions every match must satisfy (docs/semgrep.md). */
    compare: z.array(z.string().min(1)).optional(),
    /**
     * Metavariables (names without `$`) whose bound value must not be built only from constants:
     * a match whose every bound one folds to a constant through the file's bindings
     * (`cmd = "ls"; system(cmd)`) is not reported. Unbound ones are ignored.
     */
    'not-constant': z.array(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be a metavariable name like X')).min(1).optional(),
    /**
     * The rule names no word that every match contains, so it runs on every file of its
     * languages; shipped rules must say so here (the build refuses them otherwise).
     */
    'every-file': z.literal(true).optional(),
  }),
});

const regexMatch = z.strictObject({
  /** RE2 syntax, applied to each added line separately. */
  regex: z.string().min(1),
  /** Lines that also match this RE2 pattern are not reported (placeholders, safe forms). */
  'regex-not': z.string().min(1).optional(),
  /** RE2 flags: only `i` is meaningful here. */
  flags: z.string().regex(/^i?$/).optional(),
  /**
   * false: a match inside a comment of the file's language is not reported (a command or a
   * setting written in a comment does not run). Default true: secrets and instructions to agents
   * in comments are still what they are.
   */
  'in-comments': z.boolean().optional(),
  /**
   * true: a line whose every URL points into the repository under review (its GitHub files,
   * raw files, releases or Pages) is not reported: a project running its own installer.
   */
  'allow-own-repository': z.literal(true).optional(),
});

const pathMatch = z.strictObject({
  path: z.strictObject({
    /** Which file changes count. Default: added and modified. */
    status: z.array(z.enum(['added', 'modified', 'deleted', 'renamed', 'copied'])).min(1).optional(),
    /** Only when the change touches the file mode and leaves it executable. */
    'becomes-executable': z.boolean().optional(),
  }),
});

/** A call resolved by the semantic layer: by canonical name, however it is imported or spelled. */
const callMatch = z.strictObject({
  call: z.strictObject({
    /** Canonical names: `child_process.exec`, `os.system`, `eval`. */
    name: z.array(z.string().regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/, 'must be a dotted name')).min(1),
    /** Which positional argument to look at. Default 0. */
    arg: z.number().int().min(0).optional(),
    /**
     * Which values of that argument fire: `dynamic` (not built only from constants), `computed`
     * (a constant built by concatenation, joining or decoding), `decoded` (a computed constant that
     * a call such as a decoder produced, not only concatenation), `literal` (one plain literal).
     * Default: all three; a call without that argument never fires.
     */
    'arg-is': z.array(z.enum(['dynamic', 'computed', 'decoded', 'literal'])).min(1).optional(),
    /** Only calls whose callee, as written, does not name the function (`run` for `child_process.exec`). */
    'hidden-callee': z.boolean().optional(),
    /** Only calls whose callee name was built by joining or decoding (`"$a$b"`, `$(echo … | base64 -d)`). */
    'callee-built': z.boolean().optional(),
  }),
});

// Segments may carry a module path (`fs/promises`, `@scope/pkg`, Go's `github.com/gin-gonic/gin.Context`,
// PHP's `illuminate\http\request.input`).
const dottedName = z.string().regex(/^[@A-Za-z_$\\][\w$\-/@\\]*(\.[A-Za-z_$][\w$\-/\\]*)*$/, 'must be a dotted name');
/**
 * A sink: a dotted name, `*.method` for that method on any object (`*.whereRaw`), or Ruby's
 * backtick method (`` ` ``, which `` `cmd` `` and `%x(cmd)` call).
 */
const sinkName = z.string().regex(/^(?:`|\*\.[A-Za-z_$][\w$]*[!?]?|[@A-Za-z_$\\][\w$\-/@\\]*(\.[A-Za-z_$][\w$\-/\\]*)*)$/, 'must be a dotted name, *.method or `');

/**
 * An ast-grep rule naming taint sources, sinks or sanitizers by their code shape (Semgrep's
 * `mode: taint` translates to these): the matched node, or the node bound to `focus`.
 */
const taintPattern = z.strictObject({
  rule: z.record(z.string(), z.unknown()),
  constraints: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  focus: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be a metavariable name like X').optional(),
  /**
   * Calls that also match, by canonical name however they are imported: the argument at `arg`
   * (every argument when absent), with exactly `arity` arguments when given; `new` for `new D(…)` only.
   */
  calls: z
    .array(
      z.strictObject({
        callee: dottedName,
        arg: z.number().int().min(0).optional(),
        arity: z.number().int().min(1).optional(),
        new: z.boolean().optional(),
      }),
    )
    .optional(),
});

/** A taint rule on the semantic layer: values from sources reaching a sink argument, unless sanitized. */
const taintMatch = z.strictObject({
  taint: z.strictObject({
    /** Canonical names (`flask.request.args`, `process.env`) or parameter paths (`req.query`); fields and calls of them count. */
    sources: z.array(dottedName),
    /** Calls that are sources when an argument mentions a constant matching `mentions` (RE2): credential files read. */
    'source-calls': z.array(z.strictObject({ name: dottedName, mentions: z.string().min(1) })).optional(),
    /** Secrets read from an object: the whole object, a field whose key matches `keys` (RE2), or `name.get(key)`. */
    'secret-sources': z.array(z.strictObject({ name: dottedName, keys: z.string().min(1) })).optional(),
    /** Object-literal keys whose values do not count (`headers`: a credential sent where credentials belong). */
    'ignore-keys': z.array(z.string().min(1)).optional(),
    /** Route decorators (`fastapi.FastAPI.get`): the parameters of a function decorated with a call of one are sources. */
    'parameters-of': z.array(dottedName).optional(),
    /** Expressions that are sources by their shape; they count as sources like `sources`. */
    'source-patterns': z.array(taintPattern).optional(),
    /** Sinks by shape: the focused node, or every argument of a matched call, or the matched expression. */
    'sink-patterns': z.array(taintPattern).optional(),
    /** Expressions that are clean by their shape (a sanitizing call, a value inside a check). */
    'sanitizer-patterns': z.array(taintPattern).optional(),
    /** Side effects that pass taint from the node bound to `from` into the variable bound to `to` (`$TO.push($FROM)`). */
    'propagator-patterns': z
      .array(
        z.strictObject({
          rule: z.record(z.string(), z.unknown()),
          constraints: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
          from: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be a metavariable name like X'),
          to: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be a metavariable name like X'),
        }),
      )
      .optional(),
    sinks: z
      .array(
        z.strictObject({
          /** Canonical callee, or `*.method` for that method on any receiver. */
          name: sinkName,
          /** Positional argument that carries the value. Default 0. */
          arg: z.number().int().min(0).optional(),
          /** The object the method is called on carries it instead (`s.html_safe`). */
          receiver: z.literal(true).optional(),
          /** The argument is a URL: a value after a constant scheme and host, or a constant local path, is no flow. */
          url: z.literal(true).optional(),
          /** The argument must not be an object or array literal built from tainted values (mass assignment of a whole hash). */
          'no-literal': z.literal(true).optional(),
          /** Keyword that may carry it instead (Python). */
          keyword: z.string().min(1).optional(),
          /** Keyword arguments, or positional ones by index (`"1": curlopt_url`), that must fold or resolve to these values. */
          when: z.record(z.string(), z.string()).optional(),
          /** An object argument after `arg` that sets this key to this value (`{ key: shell, value: 'true' }`). */
          option: z.strictObject({ key: z.string().min(1), value: z.string() }).optional(),
          /** The argument must be a source object handed on whole (`req.body`, `{ ...req.body }`): mass assignment. */
          whole: z.boolean().optional(),
          /** The argument written into (`Object.assign(model, …)`): not a sink when it is a fresh object literal. */
          into: z.number().int().min(0).optional(),
          /** Only text counts: an object literal or a source object itself is sent as JSON (`res.send(req.body)`). */
          text: z.boolean().optional(),
          /** Only string building counts (`'SELECT …' + x`), for method names common outside the sink's API. */
          built: z.boolean().optional(),
        }),
      ),
    /** Canonical names of calls whose result is clean, or `*.method` for a method on any object (`*.to_i`). */
    sanitizers: z.array(sinkName).optional(),
    /** Rules that already report such lines: where one of them fires on the sink line, this rule does not. */
    'defer-to': z.array(z.string()).optional(),
  })
    .refine(
      (t) => t.sources.length + (t['source-calls']?.length ?? 0) + (t['secret-sources']?.length ?? 0) + (t['parameters-of']?.length ?? 0) + (t['source-patterns']?.length ?? 0) > 0,
      'needs at least one of sources, source-calls, secret-sources, parameters-of, source-patterns',
    )
    .refine((t) => t.sinks.length + (t['sink-patterns']?.length ?? 0) > 0, 'needs at least one of sinks, sink-patterns'),
});

const STEPS = [-1, -2, -3, -4];

/** What is wrong with one class's adjustment, as [field path, message], or null. */
function adjustmentProblem(value: unknown): [string[], string] | null {
  if (value === 'none') return null;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [[], 'expected none or a mapping with severity and/or confidence'];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return [[], 'needs severity or confidence (or write none)'];
  for (const [key, v] of entries) {
    const levels: readonly string[] | null = key === 'severity' ? SEVERITIES : key === 'confidence' ? CONFIDENCES : null;
    if (!levels) return [[key], 'unknown field (expected severity or confidence)'];
    if (!(typeof v === 'string' && levels.includes(v)) && !(typeof v === 'number' && STEPS.includes(v))) {
      return [[key], `expected one of ${levels.join(', ')} or steps down -1 to -4`];
    }
  }
  return null;
}

/**
 * How file context changes a rule's findings (docs/rules.md): `none` for no discount anywhere, or
 * per context class `none` or a lowering (`{ severity: info }`, `{ confidence: -1 }`); the classes
 * left out take the category's default.
 */
export const ruleContextSchema = z.unknown().transform((value, ctx): 'none' | RuleContext => {
  if (value === 'none') return 'none';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: `expected none or a mapping of ${DISCOUNT_CONTEXTS.join(', ')}` });
    return z.NEVER;
  }
  for (const [key, adjustment] of Object.entries(value as Record<string, unknown>)) {
    if (!(DISCOUNT_CONTEXTS as readonly string[]).includes(key)) {
      ctx.addIssue({ code: 'custom', path: [key], message: `unknown context (expected one of ${DISCOUNT_CONTEXTS.join(', ')})` });
      return z.NEVER;
    }
    const problem = adjustmentProblem(adjustment);
    if (problem) {
      ctx.addIssue({ code: 'custom', path: [key, ...problem[0]], message: problem[1] });
      return z.NEVER;
    }
  }
  return value as RuleContext;
});

/** A validated `context:` value as a per-class table (`none` fills every class). */
export function ruleContextOf(value: z.output<typeof ruleContextSchema>): RuleContext {
  if (value === 'none') return NO_DISCOUNT;
  return value as RuleContext;
}

export const ruleSchema = z.strictObject({
  id: z.string().regex(ID, 'must look like "lang.category.name" (lowercase, dot-separated)'),
  title: z.string().min(3).max(120),
  severity: z.enum(SEVERITIES),
  /** high | medium | low; DEFAULT_RULE_CONFIDENCE when absent (shipped rules always declare it). */
  confidence: z.enum(CONFIDENCES).optional(),
  category: z.string().min(2),
  /** How file context lowers the rule's findings; the category default when absent. */
  context: ruleContextSchema.optional(),
  cwe: z.array(z.string().regex(/^CWE-\d+$/, 'must look like "CWE-78"')),
  languages: z.array(z.enum(LANGUAGES)).min(1).optional(),
  paths: z
    .strictObject({
      include: z.array(z.string().min(1)).min(1).optional(),
      exclude: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  message: z.string().min(10),
  fix: z.string().min(3).optional(),
  references: z.array(z.url()).default([]),
  match: z.union([astMatch, regexMatch, pathMatch, callMatch, taintMatch]),
  tests: z.strictObject({
    valid: z.array(testCase).min(1),
    invalid: z.array(testCase).min(1),
  }),
});

export type RuleSpec = z.infer<typeof ruleSchema>;

const fileSchema = z.strictObject({ rules: z.array(z.unknown()).min(1) });

/** A rule file problem, always one line: `rules/js.yml: rule js.x: match.regex: invalid RE2 …`. */
export class RuleFileError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'RuleFileError';
  }
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join('.') : '(rule)';
  return `${where}: ${issue.message}`;
}

/** Parses a YAML rule file safely down to its top-level `rules:` list. Throws RuleFileError. */
export function readRulesList(fileName: string, text: string): unknown[] {
  const read = readYamlSafely(text, { uniqueKeys: true });
  if (!read.ok) throw new RuleFileError(fileName, read.problem);
  const top = fileSchema.safeParse(read.value);
  if (!top.success) {
    throw new RuleFileError(fileName, `expected a top-level "rules:" list (${formatIssue(top.error.issues[0]!)})`);
  }
  return top.data.rules;
}

/** Parses and validates a YAML rule file. Throws RuleFileError naming file, rule id, line and field. */
export function parseRuleFile(fileName: string, text: string): RuleSpec[] {
  const rules = readRulesList(fileName, text);
  const specs: RuleSpec[] = [];
  rules.forEach((raw, index) => {
    const id =
      raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string'
        ? (raw as { id: string }).id
        : `#${index + 1}`;
    const parsed = ruleSchema.safeParse(raw);
    if (!parsed.success) {
      throw new RuleFileError(fileName, `rule ${id}: ${formatIssue(parsed.error.issues[0]!)}`);
    }
    specs.push(parsed.data);
  });
  return specs;
}

/**
 * The confidence of a rule that does not declare one: an organisation's own rule is a deliberate
 * policy and blocks like it did before confidence existed. Every shipped rule declares its own.
 */
export const DEFAULT_RULE_CONFIDENCE: Confidence = 'high';

export function metaOf(spec: RuleSpec): RuleMeta {
  return {
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    confidence: spec.confidence ?? DEFAULT_RULE_CONFIDENCE,
    category: spec.category,
    ...(spec.context !== undefined ? { context: ruleContextOf(spec.context) } : {}),
    cwe: spec.cwe,
    message: spec.message.trim(),
    fix: spec.fix?.trim() ?? null,
    references: spec.references,
  };
}

export function testsOf(spec: RuleSpec): RuleTests {
  return spec.tests;
}

import type { Language } from '../schema.js';
import { semanticsSupports } from '../../semantics/index.js';
import { Unsupported, translateTopLevel } from './translate.js';

// Semgrep's `mode: taint` translated onto the taint pass: each source, sink and sanitizer
// specification becomes an ast-grep rule (with everything the search-mode translator supports),
// run over the file to mark nodes the pass then treats as tainted, as sinks or as clean. Options
// that would change what flows (labels, side effects, propagators, taint_* options) are refused
// by name rather than dropped: a rule that silently matches less is worse than none.

/** Top-level keys a taint rule may have besides the inert ones. */
export const TAINT_KEYS = ['pattern-sources', 'pattern-sinks', 'pattern-sanitizers', 'pattern-propagators', 'options'];

/** Keys of one specification (an item of pattern-sources/-sinks/-sanitizers) that carry a formula. */
const FORMULA_KEYS = ['pattern', 'patterns', 'pattern-either', 'pattern-regex'];

/** Per-specification options Semgrep has, each refused with the reason. */
const REFUSED_OPTIONS: Record<string, string> = {
  'by-side-effect': 'taint by side effect (a call tainting or cleaning a variable for later uses) is not tracked',
  exact: 'the pass always treats a sink call\'s arguments, or the focused or matched expression, as the sink',
  label: 'taint labels are not tracked (every source is one label)',
  requires: 'taint labels are not tracked (every source is one label)',
  'not-conflicting': 'a sanitizer always wins over a source or sink matching the same expression',
  control: 'control-flow taint is not tracked',
  'at-exit': 'sinks at function exits are not supported',
  'side-effect': 'taint by side effect is not tracked',
};

/** Keys of a propagator besides its formula. */
const PROPAGATOR_KEYS = ['from', 'to'];

/** Rule-level `options` that change taint behaviour. */
const WHY_NO_OPTIONS: Record<string, string> = {
  taint_assume_safe_functions: 'calls to unknown functions never propagate taint here, a fixed choice',
  taint_assume_safe_indexes: 'a tainted index does not taint the indexed value here, a fixed choice',
  taint_assume_safe_booleans: 'the pass has no type information',
  taint_assume_safe_numbers: 'the pass has no type information',
  taint_unify_mvars: 'metavariables are not shared between sources and sinks',
  taint_only_propagate_through_assignments: 'taint also flows through calls and string building here',
  symbolic_propagation: 'values are always followed through bindings here',
};

export interface TaintCallSpec {
  callee: string;
  arg?: number;
  arity?: number;
  new?: boolean;
}

export interface TaintPropagatorSpec {
  rule: Record<string, unknown>;
  constraints?: Record<string, Record<string, unknown>>;
  from: string;
  to: string;
}

export interface TaintPatternSpec {
  rule: Record<string, unknown>;
  constraints?: Record<string, Record<string, unknown>>;
  focus?: string;
  calls?: TaintCallSpec[];
}

export interface TaintTranslation {
  sources: string[];
  sanitizers?: string[];
  'source-patterns': TaintPatternSpec[];
  sinks: never[];
  'sink-patterns': TaintPatternSpec[];
  'sanitizer-patterns': TaintPatternSpec[];
  'propagator-patterns'?: TaintPropagatorSpec[];
  'defer-to'?: string[];
}

/** A source written as a plain dotted path (`flask.request.args`, `process.env`), no metavariable. */
const DOTTED = /^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+$/;

function asSpecList(value: unknown, field: string, required: boolean): Record<string, unknown>[] {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value) || value.length === 0) throw new Unsupported(field, 'expected a non-empty list');
  return value.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new Unsupported(`${field}[${i}]`, 'expected a mapping');
    return item as Record<string, unknown>;
  });
}

/** One source/sink/sanitizer specification as an ast-grep rule; errors name `field` and the construct. */
function translateSpec(spec: Record<string, unknown>, field: string, languages: Language[]): TaintPatternSpec {
  for (const key of Object.keys(spec)) {
    if (FORMULA_KEYS.includes(key)) continue;
    const why = REFUSED_OPTIONS[key];
    throw new Unsupported(`${field}.${key}`, `${key} is not supported${why ? ` (${why})` : ''}`);
  }
  const keys = Object.keys(spec);
  if (keys.length !== 1) throw new Unsupported(field, `expected exactly one of ${FORMULA_KEYS.join(', ')}, got ${keys.length === 0 ? 'none' : keys.join(', ')}`);
  const key = keys[0]!;
  let translated;
  try {
    translated = translateTopLevel(key, spec[key], languages);
  } catch (err) {
    if (err instanceof Unsupported) throw new Unsupported(`${field}.${err.field}`, err.message.slice(err.field.length + 2));
    throw err;
  }
  if (translated.kind === 'regex') throw new Unsupported(`${field}.${key}`, 'pattern-regex is not supported in taint mode (sources, sinks and sanitizers are expressions)');
  if (translated.compare.length > 0) throw new Unsupported(`${field}.${key}`, 'metavariable-comparison is not supported in taint mode (only on search rules)');
  return {
    rule: translated.rule,
    ...(Object.keys(translated.constraints).length > 0 ? { constraints: translated.constraints } : {}),
    ...(translated.focus ? { focus: translated.focus } : {}),
  };
}

const METAVARIABLE = /^\$[A-Z_][A-Z0-9_]*$/;
const CALL_SHAPE = /^(new\s+)?([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\(([^()]*)\)$/;

/**
 * The call a pattern names when it is a plain call of a dotted name with metavariable or `...`
 * arguments (`eval(...)`, `jinja2.Template($T, ...)`): Semgrep resolves such a callee through
 * imports, so the pass matches it by canonical name too. With `focus`, the focused metavariable
 * must be an argument after metavariables only; without it, the call's every argument is the sink
 * and the pattern must be `D(...)`. Any other shape: null (the pattern alone decides).
 */
function callShape(pattern: string, focus: string | null): TaintCallSpec | null {
  const m = CALL_SHAPE.exec(pattern.trim());
  if (!m) return null;
  const args = m[3]!.trim() === '' ? [] : m[3]!.split(',').map((a) => a.trim());
  const base = { callee: m[2]!, ...(m[1] ? { new: true } : {}) };
  if (focus === null) return args.length === 1 && args[0] === '...' ? base : null;
  const at = args.indexOf(`$${focus}`);
  if (at < 0 || !args.slice(0, at).every((a) => METAVARIABLE.test(a) && a !== `$${focus}`)) return null;
  const rest = args.slice(at + 1);
  if (rest.length === 1 && rest[0] === '...') return { ...base, arg: at };
  if (!rest.every((a) => METAVARIABLE.test(a) && a !== `$${focus}`)) return null;
  if (new Set(args).size !== args.length) return null;
  return { ...base, arg: at, arity: args.length };
}

/** The plain calls a sink specification names (see callShape), from its pattern or pattern-either. */
function sinkCalls(spec: Record<string, unknown>): TaintCallSpec[] {
  let formula: unknown = spec;
  let focus: string | null = null;
  const items = spec.patterns;
  if (Array.isArray(items)) {
    // Exactly one formula and one focus-metavariable, nothing that filters.
    if (items.length !== 2) return [];
    const focusItem = items.find((i) => i && typeof i === 'object' && 'focus-metavariable' in i) as Record<string, unknown> | undefined;
    const name = focusItem?.['focus-metavariable'];
    if (typeof name !== 'string' || !METAVARIABLE.test(name)) return [];
    focus = name.slice(1);
    formula = items.find((i) => i !== focusItem);
  }
  if (!formula || typeof formula !== 'object') return [];
  const record = formula as Record<string, unknown>;
  const patterns =
    typeof record.pattern === 'string' ? [record.pattern]
    : Array.isArray(record['pattern-either']) ? (record['pattern-either'] as unknown[]).map((i) => (i && typeof i === 'object' ? (i as Record<string, unknown>).pattern : null))
    : [];
  return patterns.flatMap((p) => {
    const shape = typeof p === 'string' ? callShape(p, focus) : null;
    return shape ? [shape] : [];
  });
}

/** A propagator (`pattern: $TO.push($FROM)`, `from: $FROM`, `to: $TO`) as an ast-grep rule and the two names. */
function translatePropagator(spec: Record<string, unknown>, field: string, languages: Language[]): TaintPropagatorSpec {
  const ends: Record<string, string> = {};
  for (const key of PROPAGATOR_KEYS) {
    const value = spec[key];
    if (typeof value !== 'string' || !METAVARIABLE.test(value)) throw new Unsupported(`${field}.${key}`, 'expected a metavariable like $X');
    ends[key] = value.slice(1);
  }
  const formula = Object.fromEntries(Object.entries(spec).filter(([k]) => !PROPAGATOR_KEYS.includes(k)));
  const translated = translateSpec(formula, field, languages);
  if (translated.focus) throw new Unsupported(`${field}`, 'focus-metavariable is not supported in a propagator (from and to name the nodes)');
  for (const key of PROPAGATOR_KEYS) {
    if (!JSON.stringify(translated.rule).includes(`$${ends[key]!}`)) throw new Unsupported(`${field}.${key}`, `$${ends[key]!} is not bound by the propagator's pattern`);
  }
  return { rule: translated.rule, ...(translated.constraints ? { constraints: translated.constraints } : {}), from: ends.from!, to: ends.to! };
}

function deferTo(meta: Record<string, unknown>): string[] | undefined {
  const value = meta['defer-to'];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && /^[a-z0-9][a-z0-9.-]*$/.test(v))) {
    throw new Unsupported('metadata.defer-to', 'expected a list of rule ids');
  }
  return value as string[];
}

/** A `mode: taint` rule's match, for the taint pass. */
export function translateTaint(rule: Record<string, unknown>, languages: Language[], meta: Record<string, unknown>): TaintTranslation {
  if (languages.length === 0) throw new Unsupported('languages', 'taint mode needs a programming language, not generic/regex');
  const unsupported = languages.filter((l) => !semanticsSupports(l));
  if (unsupported.length > 0) throw new Unsupported('languages', `taint mode is not supported for ${unsupported.join(', ')} (no data-flow front end)`);
  if (rule.options !== undefined) {
    if (rule.options === null || typeof rule.options !== 'object' || Array.isArray(rule.options)) throw new Unsupported('options', 'expected a mapping');
    const first = Object.keys(rule.options)[0];
    if (first !== undefined) {
      const why = WHY_NO_OPTIONS[first];
      throw new Unsupported(`options.${first}`, `${first} is not supported${why ? ` (${why})` : ''}`);
    }
  }
  const specs = (key: string, required: boolean) => asSpecList(rule[key], key, required).map((s, i) => translateSpec(s, `${key}[${i}]`, languages));
  const sinks = asSpecList(rule['pattern-sinks'], 'pattern-sinks', true);
  const sinkPatterns = specs('pattern-sinks', true).map((p, i) => {
    const calls = sinkCalls(sinks[i]!);
    return calls.length > 0 ? { ...p, calls } : p;
  });
  // A sanitizer written `D(...)` also matches D by canonical name.
  const sanitizers = asSpecList(rule['pattern-sanitizers'], 'pattern-sanitizers', false);
  const namedSanitizers = sanitizers.flatMap((s) => {
    const shape = typeof s.pattern === 'string' ? callShape(s.pattern, null) : null;
    return shape && !shape.new ? [shape.callee] : [];
  });
  const sources = asSpecList(rule['pattern-sources'], 'pattern-sources', true);
  const sourcePatterns = specs('pattern-sources', true);
  // A plain dotted path is also a source by its canonical name, as Semgrep resolves imports.
  const named = sources.flatMap((s) => (typeof s.pattern === 'string' && DOTTED.test(s.pattern.trim()) ? [s.pattern.trim()] : []));
  const defer = deferTo(meta);
  const propagators = asSpecList(rule['pattern-propagators'], 'pattern-propagators', false).map((p, i) => translatePropagator(p, `pattern-propagators[${i}]`, languages));
  return {
    sources: [...new Set(named)],
    'source-patterns': sourcePatterns,
    sinks: [],
    'sink-patterns': sinkPatterns,
    'sanitizer-patterns': specs('pattern-sanitizers', false),
    ...(namedSanitizers.length > 0 ? { sanitizers: [...new Set(namedSanitizers)] } : {}),
    ...(propagators.length > 0 ? { 'propagator-patterns': propagators } : {}),
    ...(defer ? { 'defer-to': defer } : {}),
  };
}

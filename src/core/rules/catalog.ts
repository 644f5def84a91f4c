import type { Confidence, Severity } from '../model.js';
import { compileRule, type CompiledRule } from '../scan/compile.js';
import type { Requirement } from '../scan/prefilter.js';
import { RuleFileError, parseRuleFile, type RuleSpec } from './schema.js';
import { parseSemgrepFile, type CompanionFile } from './semgrep/load.js';
import type { Analyzer, RuleMeta } from './types.js';

/** Every rule the engine can run: YAML rules, compiled, plus the TypeScript analyzers. */
export interface RuleCatalog {
  rules: CompiledRule[];
  analyzers: Analyzer[];
  /** Metadata of every rule id, YAML and analyzer alike, with config overrides applied. */
  meta: ReadonlyMap<string, RuleMeta>;
  /** Rule ids switched off by configuration (analyzers still run, their findings are dropped). */
  disabled: ReadonlySet<string>;
  /**
   * Rule ids whose confidence the configuration sets: it holds for every finding of the rule,
   * also where an analyzer would judge a finding on its own. Absent: none.
   */
  confidenceConfigured?: ReadonlySet<string>;
}

export interface RuleSource {
  /** Display name, e.g. `rules/python.yml`. */
  name: string;
  text: string;
  /** `semgrep`: the file is written in Semgrep's rule syntax (see docs/semgrep.md). */
  format?: 'airlock' | 'semgrep';
  /** Semgrep format: the test files beside the rule file (same base name). */
  companions?: CompanionFile[];
  /**
   * The rules of exactly this text, already parsed, validated and compiled with the installed
   * engines (a build-time cache); parsed and checked here when absent.
   */
  parsed?: RuleSpec[];
  /** With `parsed`: each AST rule's pre-filter words (see prefilter.ts), derived at build time. */
  required?: (Requirement[] | null)[];
}

/** Parses a rule source in its format. Throws RuleFileError. */
export function parseRuleSource(source: RuleSource): RuleSpec[] {
  return source.format === 'semgrep'
    ? parseSemgrepFile(source.name, source.text, source.companions ?? [])
    : parseRuleFile(source.name, source.text);
}

/** `changeRules`: rules about the change as a whole (policy.ts), which only declare metadata. */
export function buildCatalog(sources: RuleSource[], analyzers: Analyzer[], changeRules: readonly RuleMeta[] = []): RuleCatalog {
  const rules: CompiledRule[] = [];
  const meta = new Map<string, RuleMeta>();
  const origin = new Map<string, string>();
  const claim = (id: string, where: string, m: RuleMeta): void => {
    const previous = origin.get(id);
    if (previous) throw new RuleFileError(where, `rule ${id}: id already defined in ${previous}`);
    origin.set(id, where);
    meta.set(id, m);
  };
  for (const source of sources) {
    for (const [i, spec] of (source.parsed ?? parseRuleSource(source)).entries()) {
      const rule = compileRule(spec, source.name, {
        engineChecked: source.parsed !== undefined,
        required: source.required?.[i] ?? undefined,
      });
      claim(rule.meta.id, source.name, rule.meta);
      rules.push(rule);
    }
  }
  for (const analyzer of analyzers) {
    for (const r of analyzer.rules) claim(r.meta.id, `analyzer ${analyzer.name}`, r.meta);
  }
  for (const m of changeRules) claim(m.id, 'change policy', m);
  return { rules, analyzers, meta, disabled: new Set() };
}

/**
 * Adds rule files (an organisation's own rules) to a built catalog. Their ids must not clash
 * with any rule already in it: a configured rule never silently replaces a shipped one.
 */
export function extendCatalog(catalog: RuleCatalog, sources: RuleSource[]): RuleCatalog {
  if (sources.length === 0) return catalog;
  const extra = buildCatalog(sources, []);
  for (const rule of extra.rules) {
    if (catalog.meta.has(rule.meta.id)) throw new RuleFileError(rule.source, `rule ${rule.meta.id}: id already used by a shipped rule`);
  }
  return {
    rules: [...catalog.rules, ...extra.rules],
    analyzers: catalog.analyzers,
    meta: new Map([...catalog.meta, ...extra.meta]),
    disabled: catalog.disabled,
    ...(catalog.confidenceConfigured ? { confidenceConfigured: catalog.confidenceConfigured } : {}),
  };
}

/** `off`, or a new severity and/or confidence for the rule. */
export type RuleOverride = 'off' | { severity?: Severity; confidence?: Confidence };

/**
 * Applies per-rule configuration. Keys are rule ids or prefixes ending in `.*`
 * (`py.*`, `secrets.*`); an exact id wins over a prefix. Unknown keys are an error
 * so that a typo never silently leaves a rule on.
 */
export function configureCatalog(catalog: RuleCatalog, overrides: Record<string, RuleOverride>): RuleCatalog {
  const keys = Object.keys(overrides);
  if (keys.length === 0) return catalog;
  for (const key of keys) {
    const known = key.endsWith('.*')
      ? [...catalog.meta.keys()].some((id) => id.startsWith(key.slice(0, -1)))
      : catalog.meta.has(key);
    if (!known) throw new Error(`rules.${key}: no rule has this id${key.endsWith('.*') ? ' prefix' : ''}`);
  }
  const overrideFor = (id: string): RuleOverride | undefined => {
    if (overrides[id] !== undefined) return overrides[id];
    let best: string | undefined;
    for (const key of keys) {
      if (key.endsWith('.*') && id.startsWith(key.slice(0, -1)) && (!best || key.length > best.length)) best = key;
    }
    return best ? overrides[best] : undefined;
  };
  const meta = new Map<string, RuleMeta>();
  const disabled = new Set<string>();
  const confidenceConfigured = new Set<string>();
  for (const [id, m] of catalog.meta) {
    const o = overrideFor(id);
    if (o === 'off') disabled.add(id);
    if (!o || o === 'off') {
      meta.set(id, m);
      continue;
    }
    if (o.confidence) confidenceConfigured.add(id);
    meta.set(id, { ...m, ...(o.severity ? { severity: o.severity } : {}), ...(o.confidence ? { confidence: o.confidence } : {}) });
  }
  const rules = catalog.rules
    .filter((r) => !disabled.has(r.meta.id))
    .map((r) => ({ ...r, meta: meta.get(r.meta.id)! }));
  return { rules, analyzers: catalog.analyzers, meta, disabled, confidenceConfigured };
}

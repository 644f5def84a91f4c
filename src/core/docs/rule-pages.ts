// The rule reference under docs/rules/: one page per shipped rule, generated from the rule
// files and the analyzers' rule metadata (what it finds, why, examples taken from the rule's
// own valid/invalid cases, fix, references, CWE, severity, confidence, what file context does,
// how to suppress it), plus an index. `npm run docs` writes them; a test fails when the
// committed pages differ from what this produces, so they never drift from the rules.

import { resolveContext, type ContextAdjustment } from '../context/adjust.js';
import { DISCOUNT_CONTEXTS } from '../context/classify.js';
import { languageOf } from '../languages.js';
import { blocks, SEVERITIES, type Severity } from '../model.js';
import { compareText, visible } from '../render/common.js';
import { fenceFor, mdCode, mdInline } from '../render/markdown.js';
import type { RuleCatalog } from '../rules/catalog.js';
import { DEFAULT_FILE } from '../rules/rule-tests.js';
import type { RuleMeta, RuleTestCase, RuleTests } from '../rules/types.js';
import { RULE_DOCS_INDEX, ruleDocFileName } from './links.js';

/** A shipped rule with what its page shows. */
export interface DocumentedRule {
  meta: RuleMeta;
  tests: RuleTests;
  /** Where it is defined: `rules/python.yml`, `rules/semgrep/flask.yml`, or `analyzer secrets`. */
  source: string;
  /** The languages it reads, for a YAML rule that names them; null otherwise. */
  languages: string[] | null;
  /** The file a test case without a path stands for. */
  defaultPath: string;
}

/** Examples shown per kind; a rule's own tests may have many more. */
const INVALID_SHOWN = 3;
const VALID_SHOWN = 2;
/** Lines of one example shown; the rest is cut with a note. */
const EXAMPLE_LINES = 30;
/** Longest text of a message or fix written on a page (rule text, so only a guard). */
const TEXT_MAX = 5000;

/** Every rule of a catalog (YAML rules, then analyzers' rules), sorted by id. */
export function documentedRules(catalog: RuleCatalog): DocumentedRule[] {
  const out: DocumentedRule[] = [];
  for (const rule of catalog.rules) {
    const languages = rule.languages ? [...rule.languages] : null;
    const first = languages?.[0];
    out.push({
      meta: rule.meta,
      tests: rule.tests,
      source: rule.source,
      languages,
      defaultPath: first ? DEFAULT_FILE[first as keyof typeof DEFAULT_FILE] : 'test.txt',
    });
  }
  for (const analyzer of catalog.analyzers) {
    for (const r of analyzer.rules) out.push({ meta: r.meta, tests: r.tests, source: `analyzer ${analyzer.name}`, languages: null, defaultPath: 'test.txt' });
  }
  // Rules about the change as a whole (a repository's policies) only declare metadata.
  const listed = new Set(out.map((r) => r.meta.id));
  for (const meta of catalog.meta.values()) {
    if (!listed.has(meta.id)) out.push({ meta, tests: { valid: [], invalid: [] }, source: 'src/core/policy.ts', languages: null, defaultPath: 'test.txt' });
  }
  return out.sort((a, b) => compareText(a.meta.id, b.meta.id));
}

const FENCE_LANGUAGE: Record<string, string> = {
  javascript: 'js',
  typescript: 'ts',
  tsx: 'tsx',
  python: 'python',
  go: 'go',
  java: 'java',
  ruby: 'ruby',
  php: 'php',
  bash: 'sh',
  yaml: 'yaml',
};

/** An info string for the fence from the file name: a known language, JSON, TOML, Markdown, or none. */
function fenceLanguage(path: string): string {
  const lang = languageOf(path);
  if (lang) return FENCE_LANGUAGE[lang] ?? '';
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (base === 'dockerfile' || base.endsWith('.dockerfile')) return 'dockerfile';
  const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1) : '';
  return ({ json: 'json', jsonc: 'jsonc', toml: 'toml', md: 'markdown', mdc: 'markdown', xml: 'xml', tf: 'hcl', ini: 'ini', cfg: 'ini' } as Record<string, string>)[ext] ?? '';
}

/**
 * Long letter-and-digit runs in a credential rule's examples are shortened: the page must not
 * itself hold a value a secret scanner (or a push protection) takes for a live credential.
 */
function redactSecrets(line: string): string {
  return line.replace(/[A-Za-z0-9+/_-]{16,}/g, (run) => (/[0-9]/.test(run) && /[A-Za-z]/.test(run) ? `${run.slice(0, 4)}…(${run.length} characters)` : run));
}

/** One example's code: control and invisible characters shown as escapes (tabs kept), at most EXAMPLE_LINES lines. */
function exampleCode(code: string, secrets: boolean): string {
  const lines = code.replace(/\r?\n$/, '').split('\n');
  const shown = lines.slice(0, EXAMPLE_LINES).map((line) => {
    const text = line
      .replace(/\r$/, '')
      .split('\t')
      .map((part) => visible(part))
      .join('\t');
    return secrets ? redactSecrets(text) : text;
  });
  if (lines.length > shown.length) shown.push(`… (${lines.length - shown.length} more lines)`);
  return shown.join('\n');
}

function linesPhrase(lines: readonly number[]): string {
  return `${lines.length === 1 ? 'line' : 'lines'} ${lines.join(', ')}`;
}

function example(rule: DocumentedRule, tc: RuleTestCase, kind: 'invalid' | 'valid'): string {
  const path = tc.path ?? rule.defaultPath;
  const notes: string[] = [];
  if (tc.status === 'deleted') notes.push('the change deletes this file');
  else if (tc.added) notes.push(tc.added.length === 0 ? 'no line of it is added by the change' : `the change adds ${linesPhrase(tc.added)}`);
  if (kind === 'invalid' && tc.lines && tc.lines.length > 0) notes.push(`reported at ${linesPhrase(tc.lines)}`);
  const code = exampleCode(tc.code, rule.meta.category === 'secrets');
  const fence = fenceFor(code);
  const head = `${mdCode(path, 200)}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}:`;
  return `${head}\n\n${fence}${fenceLanguage(path)}\n${code}\n${fence}\n`;
}

function cweLink(cwe: string): string {
  const m = /^CWE-(\d{1,6})$/i.exec(cwe.trim());
  return m ? `[${cwe}](https://cwe.mitre.org/data/definitions/${Number(m[1])}.html)` : mdInline(cwe, 40);
}

function describeAdjustment(adjustment: ContextAdjustment): string {
  if (adjustment === 'none') return 'unchanged';
  const step = (by: string | number, what: string) =>
    typeof by === 'number' ? `${what} ${-by} ${-by === 1 ? 'step' : 'steps'} lower` : `${what} at most ${by}`;
  const parts: string[] = [];
  if (adjustment.severity !== undefined) parts.push(step(adjustment.severity, 'severity'));
  if (adjustment.confidence !== undefined) parts.push(step(adjustment.confidence, 'confidence'));
  return parts.length > 0 ? parts.join(', ') : 'unchanged';
}

function contextSection(meta: RuleMeta): string {
  const table = resolveContext(meta.category, meta.context);
  const declared = meta.context ? Object.keys(meta.context) : [];
  const rows = DISCOUNT_CONTEXTS.map((c) => `| \`${c}\` | ${describeAdjustment(table[c])}${declared.includes(c) ? '' : ' (category default)'} |`);
  return (
    '## File context\n\n' +
    'A finding in a production file keeps the severity and confidence above. In other files\n' +
    '([classes](../rules.md#classes)) the rule lowers it as follows; a context never raises a finding.\n\n' +
    `| File class | Effect |\n| --- | --- |\n${rows.join('\n')}\n`
  );
}

function blockingSentence(meta: RuleMeta): string {
  return blocks(meta, 'high', 'high')
    ? 'With the default thresholds (`fail_on: high`, `fail_confidence: high`) a finding of this rule in a production file **blocks merging**.'
    : 'With the default thresholds (`fail_on: high`, `fail_confidence: high`) a finding of this rule is reported (an inline comment, a warning annotation) and **does not block merging**; lower the thresholds or raise the rule under `rules:` to make it block.';
}

function sourceSentence(rule: DocumentedRule): string {
  if (rule.source.startsWith('analyzer ')) return `Reported by the built-in analyzer ${mdCode(rule.source.slice('analyzer '.length), 100)}.`;
  const langs = rule.languages && rule.languages.length > 0 ? ` for ${rule.languages.map((l) => mdCode(l, 40)).join(', ')}` : '';
  return `Defined in [${mdCode(rule.source, 200)}](../../${rule.source})${langs}.`;
}

/** The page of one rule, as markdown. */
export function rulePage(rule: DocumentedRule): string {
  const { meta, tests } = rule;
  const out: string[] = [];
  out.push(`# ${mdInline(meta.title, 300)}\n`);
  out.push(
    '| Rule id | Severity | Confidence | Category | CWE |\n| --- | --- | --- | --- | --- |\n' +
      `| ${mdCode(meta.id, 200, { inTable: true })} | ${meta.severity} | ${meta.confidence} | ${mdCode(meta.category, 100, { inTable: true })} | ${meta.cwe.length > 0 ? meta.cwe.map(cweLink).join(', ') : 'none'} |\n`,
  );
  out.push(`${sourceSentence(rule)} ${blockingSentence(meta)}\n`);
  out.push(`## What it finds and why it matters\n\n${mdInline(meta.message, TEXT_MAX)}\n`);

  const invalid = tests.invalid.slice(0, INVALID_SHOWN);
  const valid = tests.valid.slice(0, VALID_SHOWN);
  if (invalid.length + valid.length > 0) {
    const parts = ['## Examples\n', 'From the rule\'s own test cases (`npx airlock rules test --rule ' + meta.id + '` runs all of them).'];
    if (meta.category === 'secrets') parts[1] += ' Credential-like values are shortened so that this page holds none.';
    parts[1] += '\n';
    if (invalid.length > 0) {
      parts.push(`### Reported (${invalid.length} of ${tests.invalid.length})\n`);
      for (const tc of invalid) parts.push(example(rule, tc, 'invalid'));
    }
    if (valid.length > 0) {
      parts.push(`### Not reported (${valid.length} of ${tests.valid.length})\n`);
      for (const tc of valid) parts.push(example(rule, tc, 'valid'));
    }
    out.push(parts.join('\n'));
  }

  out.push(`## How to fix\n\n${meta.fix ? mdInline(meta.fix, TEXT_MAX) : 'The rule names no single fix: the message above says what is wrong; remove the construct or make the reviewer\'s case for it explicit.'}\n`);
  out.push(contextSection(meta));
  out.push(
    '## Accepting or silencing it\n\n' +
      `- For one place: a comment \`airlock-ignore ${meta.id} -- <reason>\` on the line, or on the line above it. It counts only once it is in the base branch, over lines the change leaves as they were: a change cannot silence its own findings (and adding such a comment is itself reported).\n` +
      `- For one pull request (the GitHub App): a maintainer (write permission, not the pull request's author) comments \`/airlock allow ${meta.id} <reason>\`, or \`/airlock allow <fingerprint> <reason>\` for one finding.\n` +
      `- For the repository, in \`.github/airlock.yml\` on the default branch ([configuration](../config.md)):\n\n` +
      '```yaml\nrules:\n' +
      `  ${meta.id}: off   # or { severity: low }, or { confidence: low }\n` +
      '```\n',
  );
  if (meta.references.length > 0) out.push(`## References\n\n${meta.references.map((r) => `- <${r}>`).join('\n')}\n`);
  out.push('<!-- Generated by `npm run docs` from the rule definitions; edit the rule, not this page. -->\n');
  return out.join('\n');
}

const SEVERITY_ORDER = new Map<Severity, number>(SEVERITIES.map((s, i) => [s, i]));

/** The index page: every rule, grouped by category, most severe first within it. */
export function rulesIndex(rules: readonly DocumentedRule[]): string {
  const byCategory = new Map<string, DocumentedRule[]>();
  for (const r of rules) {
    const list = byCategory.get(r.meta.category) ?? [];
    list.push(r);
    byCategory.set(r.meta.category, list);
  }
  const categories = [...byCategory.keys()].sort(compareText);
  const out = [
    '# Rules\n',
    `Every rule Airlock ships: ${rules.length} rules in ${categories.length} categories. Each page says what the rule finds and why, ` +
      'shows examples from its own test cases, and says how to fix, accept or silence a finding. ' +
      'Severity and confidence decide blocking (see [Confidence](../config.md#confidence)); the file a finding is in can lower both ([File context](../rules.md)). ' +
      '`npx airlock rules list` prints the same list.\n',
    categories.map((c) => `[${c}](#${c.replace(/[^a-z0-9-]/g, '')})`).join(' · ') + '\n',
  ];
  for (const c of categories) {
    const list = byCategory.get(c)!.sort(
      (a, b) => SEVERITY_ORDER.get(a.meta.severity)! - SEVERITY_ORDER.get(b.meta.severity)! || compareText(a.meta.id, b.meta.id),
    );
    out.push(`## ${c}\n`);
    out.push(
      '| Rule | Severity | Confidence | Title |\n| --- | --- | --- | --- |\n' +
        list
          .map((r) => `| [${mdCode(r.meta.id, 200, { inTable: true })}](${ruleDocFileName(r.meta.id)}) | ${r.meta.severity} | ${r.meta.confidence} | ${mdInline(r.meta.title, 300, { inTable: true })} |`)
          .join('\n') +
        '\n',
    );
  }
  out.push('<!-- Generated by `npm run docs` from the rule definitions. -->\n');
  return out.join('\n');
}

/** Every file of docs/rules/, by file name: one page per rule and the index. */
export function rulePages(catalog: RuleCatalog): Map<string, string> {
  const rules = documentedRules(catalog);
  const pages = new Map<string, string>();
  for (const r of rules) {
    const name = ruleDocFileName(r.meta.id);
    if (pages.has(name)) throw new Error(`rule ${r.meta.id}: its page ${name} is already another rule's`);
    pages.set(name, rulePage(r));
  }
  pages.set(RULE_DOCS_INDEX, rulesIndex(rules));
  return pages;
}

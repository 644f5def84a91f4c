import { describe, expect, it } from 'vitest';
import { documentedRules, rulePage, rulePages, rulesIndex, type DocumentedRule } from '../../../src/core/docs/rule-pages.js';
import type { RuleMeta } from '../../../src/core/rules/types.js';

const META: RuleMeta = {
  id: 'js.example.eval',
  title: 'Code built from `input` passed to eval',
  severity: 'high',
  confidence: 'high',
  category: 'injection',
  cwe: ['CWE-95'],
  message: 'Calling `eval` on text from a request runs it as code.',
  fix: 'Parse the value with `JSON.parse` instead.',
  references: ['https://cwe.mitre.org/data/definitions/95.html'],
};

function rule(overrides: Partial<DocumentedRule> = {}): DocumentedRule {
  return {
    meta: META,
    tests: {
      invalid: [
        { code: 'eval(req.query.x);\n', lines: [1] },
        { path: 'src/b.ts', code: 'const a = 1;\neval(x);\n', added: [2] },
        { code: 'eval(a);\n' },
        { code: 'eval(b);\n' },
      ],
      valid: [{ code: 'JSON.parse(req.query.x);\n' }],
    },
    source: 'rules/javascript.yml',
    languages: ['javascript', 'typescript'],
    defaultPath: 'test.js',
    ...overrides,
  };
}

describe('rule pages', () => {
  it('says what, why, severity, confidence, CWE, examples, fix, context, suppression and references', () => {
    const page = rulePage(rule());
    expect(page.startsWith('# Code built from `input` passed to eval\n')).toBe(true);
    expect(page).toContain('| `js.example.eval` | high | high | `injection` | [CWE-95](https://cwe.mitre.org/data/definitions/95.html) |');
    expect(page).toContain('Defined in [`rules/javascript.yml`](../../rules/javascript.yml) for `javascript`, `typescript`.');
    expect(page).toContain('**blocks merging**');
    expect(page).toContain('Calling `eval` on text from a request runs it as code.');
    expect(page).toContain('### Reported (3 of 4)');
    expect(page).toContain('`test.js` (reported at line 1):\n\n```js\neval(req.query.x);\n```');
    expect(page).toContain('`src/b.ts` (the change adds line 2):\n\n```ts\nconst a = 1;\neval(x);\n```');
    expect(page).not.toContain('eval(b);');
    expect(page).toContain('### Not reported (1 of 1)');
    expect(page).toContain('## How to fix\n\nParse the value with `JSON.parse` instead.');
    expect(page).toContain('| `test` | severity at most info (category default) |');
    expect(page).toContain('airlock-ignore js.example.eval -- <reason>');
    expect(page).toContain('/airlock allow js.example.eval <reason>');
    expect(page).toContain('  js.example.eval: off');
    expect(page).toContain('- <https://cwe.mitre.org/data/definitions/95.html>');
    expect(page).not.toContain('&#96;');
  });

  it('says when a rule does not block by default, and names an analyzer as the source', () => {
    const page = rulePage(rule({ meta: { ...META, confidence: 'medium', context: { test: 'none' } }, source: 'analyzer secrets', languages: null }));
    expect(page).toContain('**does not block merging**');
    expect(page).toContain('Reported by the built-in analyzer `secrets`.');
    expect(page).toContain('| `test` | unchanged |');
  });

  it('keeps a fence that example code cannot close, shows invisible characters, shortens credentials', () => {
    const page = rulePage(
      rule({
        meta: { ...META, category: 'secrets' },
        tests: { invalid: [{ path: 'a.md', code: '````\n# heading\u202E\nkey = AKIAZ7Q3VYH2LMXW4KPD\n' }], valid: [] },
      }),
    );
    expect(page).toContain('`````markdown\n````\n# heading\\u{202E}\nkey = AKIA…(20 characters)\n`````');
    expect(page).not.toContain('\u202E');
    expect(page).not.toContain('AKIAZ7Q3VYH2LMXW4KPD');
  });

  it('indexes every rule by category, most severe first, linking each page', () => {
    const low = rule({ meta: { ...META, id: 'js.example.low', severity: 'low', title: 'A | pipe' } });
    const other = rule({ meta: { ...META, id: 'py.x', category: 'crypto' } });
    const index = rulesIndex([low, rule(), other]);
    expect(index).toContain('3 rules in 2 categories');
    const injection = index.slice(index.indexOf('## injection'));
    expect(injection.indexOf('js.example.eval')).toBeLessThan(injection.indexOf('js.example.low'));
    expect(index).toContain('| [`js.example.low`](js.example.low.md) | low | high | A &#124; pipe |');
    expect(index.indexOf('## crypto')).toBeLessThan(index.indexOf('## injection'));
  });

  it('builds pages for a catalog, one per rule and the index, and refuses two rules on one page', () => {
    const analyzer = { name: 'demo', rules: [{ meta: { ...META, id: 'demo.rule' }, tests: { valid: [], invalid: [] } }], appliesTo: () => false, analyze: () => [] };
    const catalog = { rules: [], analyzers: [analyzer], meta: new Map(), disabled: new Set<string>() };
    expect([...rulePages(catalog).keys()]).toEqual(['demo.rule.md', 'README.md']);
    expect(documentedRules(catalog)[0]!.source).toBe('analyzer demo');
    const clash = { ...catalog, analyzers: [{ ...analyzer, rules: [...analyzer.rules, ...analyzer.rules] }] };
    expect(() => rulePages(clash)).toThrow('rule demo.rule: its page demo.rule.md is already another rule\'s');
  });
});

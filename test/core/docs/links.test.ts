import { describe, expect, it } from 'vitest';
import { defaultRuleDocsBase, parseDocsBase, repositoryWebUrl, ruleDocFileName, ruleDocUrl, ruleIndexUrl } from '../../../src/core/docs/links.js';

describe('rule page links', () => {
  it('names a page after its id when the id is safe, and escapes everything else', () => {
    expect(ruleDocFileName('js.injection.child-process-exec')).toBe('js.injection.child-process-exec.md');
    expect(ruleDocFileName('py_rule-1')).toBe('py_rule-1.md');
    expect(ruleDocFileName('Org.Rule')).toBe('~4Frg.~52ule.md');
    expect(ruleDocFileName('../etc/passwd')).toBe('~2E.~2Fetc~2Fpasswd.md');
    expect(ruleDocFileName('.hidden')).toBe('~2Ehidden.md');
    expect(ruleDocFileName('ends.')).toBe('ends..md');
    // Distinct ids never share a file, upper and lower case included.
    const ids = ['a.b', 'A.b', 'a~2Eb', 'a/b', 'a.b.', 'é'];
    expect(new Set(ids.map(ruleDocFileName)).size).toBe(ids.length);
    for (const id of ids) expect(ruleDocFileName(id)).not.toContain('/');
  });

  it('links only documented rules, under the configured base', () => {
    const docs = { baseUrl: 'https://example.org/airlock/docs/rules', documented: new Set(['js.eval']) };
    expect(ruleDocUrl(docs, 'js.eval')).toBe('https://example.org/airlock/docs/rules/js.eval.md');
    expect(ruleDocUrl(docs, 'org.own-rule')).toBeNull();
    expect(ruleDocUrl(undefined, 'js.eval')).toBeNull();
    expect(ruleIndexUrl(docs)).toBe('https://example.org/airlock/docs/rules/README.md');
  });

  it('reads package.json repository in its usual spellings', () => {
    const want = 'https://github.com/airlock-review/airlock';
    expect(repositoryWebUrl({ type: 'git', url: 'git+https://github.com/airlock-review/airlock.git' })).toBe(want);
    expect(repositoryWebUrl('github:airlock-review/airlock')).toBe(want);
    expect(repositoryWebUrl('airlock-review/airlock')).toBe(want);
    expect(repositoryWebUrl('git@github.com:airlock-review/airlock.git')).toBe(want);
    expect(repositoryWebUrl('https://github.com/airlock-review/airlock')).toBe(want);
    expect(repositoryWebUrl('https://gitlab.com/a/b')).toBeNull();
    expect(repositoryWebUrl(undefined)).toBeNull();
    expect(defaultRuleDocsBase(want)).toBe(`${want}/blob/main/docs/rules`);
  });

  it('accepts an http(s) base without its trailing slash and names the setting otherwise', () => {
    expect(parseDocsBase('https://docs.example.org/rules/', 'AIRLOCK_DOCS_URL')).toBe('https://docs.example.org/rules');
    expect(() => parseDocsBase('javascript:alert(1)', 'AIRLOCK_DOCS_URL')).toThrow('AIRLOCK_DOCS_URL must be an http(s) URL');
    expect(() => parseDocsBase('not a url', '--docs-url')).toThrow('--docs-url must be an http(s) URL');
  });
});

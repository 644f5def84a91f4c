import { describe, expect, it } from 'vitest';
import { DOCS_URL_ENV, REPOSITORY_URL, ruleDocsBase, TOOL } from '../../src/io/version.js';

describe('where the rule pages are', () => {
  it('defaults to docs/rules on main of the repository package.json names', () => {
    expect(REPOSITORY_URL).toBe('https://github.com/airlock-review/airlock');
    expect(ruleDocsBase({})).toBe('https://github.com/airlock-review/airlock/blob/main/docs/rules');
    expect(TOOL.informationUri).toBe('https://github.com/airlock-review/airlock');
  });

  it('takes AIRLOCK_DOCS_URL, and --docs-url over it', () => {
    expect(ruleDocsBase({ [DOCS_URL_ENV]: 'https://mirror.example/rules/' })).toBe('https://mirror.example/rules');
    expect(ruleDocsBase({ [DOCS_URL_ENV]: 'https://mirror.example/rules' }, 'https://cli.example/r')).toBe('https://cli.example/r');
    expect(ruleDocsBase({ [DOCS_URL_ENV]: '  ' })).toBe('https://github.com/airlock-review/airlock/blob/main/docs/rules');
  });

  it('names the setting when the value is not an http(s) URL', () => {
    expect(() => ruleDocsBase({ [DOCS_URL_ENV]: 'file:///etc' })).toThrow('AIRLOCK_DOCS_URL must be an http(s) URL');
    expect(() => ruleDocsBase({}, 'nope')).toThrow('--docs-url must be an http(s) URL');
  });
});

import { describe, expect, it } from 'vitest';
import { WordIndex, kindTokens, regexLiterals, requiredWords } from '../../../src/core/scan/prefilter.js';
import { buildCatalog } from '../../../src/core/rules/catalog.js';
import { unguardedAstRules } from '../../../src/core/scan/compile.js';

const words = (source: string) => regexLiterals(source)?.anyOf ?? null;

describe('regex literals', () => {
  it.each([
    ['^(exec|execSync)$', ['exec', 'execSync']],
    ['^(eval|window\\.eval)$', ['eval', 'window.eval']],
    ['child_process', ['child_process']],
    ['^.(node:)?(child_process|shelljs).$', ['child_process', 'shelljs']],
    ['^((\\w+\\.)?(runInNewContext|Script))$', ['runInNewContext', 'Script']],
    ['foo+bar', ['foo']],
    ['abcd?', ['abc']],
  ])('%s requires one of %j', (source, expected) => {
    expect(words(source)).toEqual(expected);
  });

  it.each(['\\x41bc', '(?i:abc)', 'a.b', '[abc]+', 'ab|c', '(?P<n>abc)', '(abc)?'])('%s gives no requirement', (source) => {
    expect(regexLiterals(source)).toBeNull();
  });

  it('lowercases case-insensitive requirements', () => {
    expect(regexLiterals('(?i)^(MD5|sha1)$')).toEqual({ anyOf: ['md5', 'sha1'], caseInsensitive: true });
    expect(regexLiterals('(?is)(\\bselect\\s.+\\sfrom\\b|\\bdrop\\s+table\\b)')).toEqual({ anyOf: ['select', 'table'], caseInsensitive: true });
    expect(regexLiterals('(?s)a.b(?i)cd')).toBeNull();
  });

  it('reads a flag at the start of an alternative as holding for the later alternatives too', () => {
    expect(regexLiterals('#nosec\\b|(?i)nolint:[\\w,]*gosec')).toEqual({ anyOf: ['#nosec', 'nolint:'], caseInsensitive: true });
    expect(regexLiterals('abc|(?i)def|ghi')).toEqual({ anyOf: ['abc', 'def', 'ghi'], caseInsensitive: true });
    expect(regexLiterals('abc|d(?i)ef')).toBeNull();
  });

  it('reads an escaped backslash as a backslash, not as the start of the escape after it', () => {
    expect(regexLiterals('^new\\s+Signer\\\\None\\b')).toEqual({ anyOf: ['Signer\\None'], caseInsensitive: false });
    expect(regexLiterals('a\\Nbc')).toBeNull();
  });
});

describe('rule requirements', () => {
  it('collects every conjunct and resolves utils', () => {
    const reqs = requiredWords(
      { kind: 'call_expression', has: { field: 'function', regex: '^exec$' }, all: [{ matches: 'cp' }] },
      { cp: { inside: { kind: 'program', stopBy: 'end', has: { kind: 'string', regex: 'child_process' } } } },
    );
    expect(reqs.map((r) => r.anyOf)).toEqual([['child_process'], ['exec']]);
  });

  it('unions alternatives and drops the requirement when one alternative has none', () => {
    expect(requiredWords({ any: [{ pattern: 'eval($X)' }, { pattern: 'new Function($$$A)' }] }).map((r) => r.anyOf)).toEqual([
      ['eval', 'Function'],
    ]);
    expect(requiredWords({ any: [{ pattern: 'eval($X)' }, { kind: 'call_expression' }] })).toEqual([]);
    expect(requiredWords({ not: { pattern: 'eval($X)' } })).toEqual([]);
  });

  it('takes the token a keyword kind always spells, when every language of the rule has one', () => {
    const include = { any: [{ kind: 'include_expression' }, { kind: 'require_once_expression' }] };
    expect(requiredWords(include, {}, new Set(), ['php'])).toEqual([{ anyOf: ['include', 'require_once'], caseInsensitive: true }]);
    expect(requiredWords({ kind: 'subshell', has: { kind: 'interpolation' } }, {}, new Set(), ['ruby']).map((r) => r.anyOf)).toEqual([['`', '%x']]);
    // Without the languages, or with one that has no such token for the kind: no requirement.
    expect(requiredWords(include)).toEqual([]);
    expect(kindTokens('subshell', ['ruby', 'php'])).toBeNull();
    expect(kindTokens('comment', ['go'])).toBeNull();
    const index = new WordIndex([requiredWords(include, {}, new Set(), ['php'])]);
    expect(index.mayMatch('<?php INCLUDE $f;')).toEqual([true]);
    expect(index.mayMatch('<?php echo $f;')).toEqual([false]);
  });

  it('names the AST rules that no word guards, unless marked every-file', () => {
    const rule = (id: string, extra: string) => `  - id: ${id}
    title: Kind only
    severity: low
    category: injection
    cwe: [CWE-78]
    message: a message long enough for a reviewer to act on it
    languages: [go]
    match:
      ast:
        rule: { kind: call_expression }
${extra}    tests: { valid: [{ code: 'package a' }], invalid: [{ code: "package a\\nfunc f() { g() }" }] }
`;
    const text = `rules:\n${rule('go.kind-only', '')}${rule('go.kind-only-marked', '        every-file: true\n')}`;
    const catalog = buildCatalog([{ name: 'rules/x.yml', text }], []);
    expect(unguardedAstRules(catalog.rules).map((r) => r.meta.id)).toEqual(['go.kind-only']);
  });

  it('skips text lacking a required word and keeps text that has one', () => {
    const reqs = requiredWords({ pattern: 'os.system($CMD)', inside: { regex: '(?i)^SUBPROCESS$' } });
    const index = new WordIndex([reqs, [], requiredWords({ regex: 'a\\.b\\(c' })]);
    expect(index.mayMatch('import os\nos.system(x)\n# SubProcess')).toEqual([true, true, false]);
    expect(index.mayMatch('import os\nos.system(x)\n')).toEqual([false, true, false]);
    expect(index.mayMatch('a.b(c')).toEqual([false, true, true]);
    // Regex characters in words are literal: "a.b(c" is not matched by "axb(c".
    expect(index.mayMatch('axb(c')).toEqual([false, true, false]);
    expect(new WordIndex([]).mayMatch('anything')).toEqual([]);
  });
});

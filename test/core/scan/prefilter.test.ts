import { describe, expect, it } from 'vitest';
import { WordIndex, regexLiterals, requiredWords } from '../../../src/core/scan/prefilter.js';

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

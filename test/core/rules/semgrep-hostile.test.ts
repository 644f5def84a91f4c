import { describe, expect, it } from 'vitest';
import { RuleFileError } from '../../../src/core/rules/schema.js';
import { parseSemgrepFile } from '../../../src/core/rules/semgrep/load.js';
import { billionLaughs } from '../../helpers/yaml-bomb.js';

// An organisation's rule file is semi-trusted input: whatever it holds, loading ends in rules
// or in one RuleFileError line naming the file, never in a crash.

function problem(text: string): string {
  try {
    parseSemgrepFile('org.yml', text);
  } catch (err) {
    expect(err).toBeInstanceOf(RuleFileError);
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error('expected a load error');
}

const head = 'rules:\n  - id: org.x\n    message: Something dangerous.\n    severity: ERROR\n    languages: [python]\n';

describe('Semgrep rule files: hostile input', () => {
  it.each([
    ['rules: [null]\n', /^org\.yml: rule #1: id: required$/],
    ['rules: [{id: 5}]\n', /^org\.yml: rule #1: id: required$/],
    [`${head}    pattern: {a: 1}\n`, /^org\.yml: rule org\.x: pattern: expected a non-empty string$/],
    [`${head}    pattern: ""\n`, /^org\.yml: rule org\.x: pattern: expected a non-empty string$/],
    [`${head.replace('[python]', '3')}    pattern: f()\n`, /^org\.yml: rule org\.x: languages: expected a string or a list/],
    [`${head}    paths: [x]\n    pattern: f()\n`, /^org\.yml: rule org\.x: paths: expected a mapping$/],
    [`${head}    metadata: 7\n    pattern: f()\n`, /^org\.yml: rule org\.x: metadata: expected a mapping$/],
    [`${head}    patterns: [{focus-metavariable: [$A, $B]}]\n`, /^org\.yml: rule org\.x: patterns\[0\]\.focus-metavariable: focusing on more than one/],
    [`${head}    patterns: [{metavariable-regex: 3}]\n`, /^org\.yml: rule org\.x: patterns\[0\]\.metavariable-regex: expected a mapping$/],
    [`${head}    pattern-either: [3]\n`, /^org\.yml: rule org\.x: pattern-either\[0\]: expected a mapping$/],
    [`${head}    pattern: f(${'"a", '.repeat(8)})\n`, /^org\.yml: rule org\.x: pattern: more than 4 string literals/],
    [`${head}    pattern: g()\n    pattern-x: 1\n`, /^org\.yml: rule org\.x: pattern-x: pattern-x is not supported$/],
  ])('%#: refuses %j', (text, expected) => {
    expect(problem(text)).toMatch(expected);
  });

  it('refuses a duplicate id, a YAML bomb and deeply nested operators', () => {
    expect(problem(`${head}    pattern: f()\n  - id: org.x\n    message: Again here.\n    severity: ERROR\n    languages: [python]\n    pattern: g()\n`)).toBe(
      'org.yml: rule org.x: id: defined twice in this file',
    );
    expect(problem(billionLaughs())).toMatch(/^org\.yml: /);
    let nested = 'pattern: f()';
    for (let i = 0; i < 3000; i++) nested = `patterns: [{${nested}}]`;
    expect(problem(`${head}    ${nested}\n`)).toMatch(/^org\.yml: /);
    let block = '';
    for (let i = 0; i < 3000; i++) block += `${'  '.repeat(i + 2)}- patterns:\n`;
    expect(problem(`${head}    patterns:\n${block}${'  '.repeat(3002)}- pattern: f()\n`)).toMatch(/^org\.yml: /);
    let moderate = 'pattern: f()';
    for (let i = 0; i < 200; i++) moderate = `patterns: [{${moderate}}]`;
    expect(problem(`${head}    ${moderate}\n`)).toBe('org.yml: rule org.x: (rule): nested more than 64 levels deep');
  });
});

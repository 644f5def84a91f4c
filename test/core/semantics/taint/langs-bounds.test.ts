import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Language } from '../../../../src/core/rules/schema.js';
import { parseRuleFile } from '../../../../src/core/rules/schema.js';
import { compileRule } from '../../../../src/core/scan/compile.js';
import { taintRuleMatches } from '../../../../src/core/semantics/taint/rules.js';

// The taint rules on huge Go and Java functions: long independent code is analysed completely;
// a value passed through thousands of variables makes the analysis give up, and say so, so the
// file is listed as not reviewed instead of passing.

const shipped = (lang: string) => {
  const file = `rules/taint-${lang}.yml`;
  return parseRuleFile(file, readFileSync(file, 'utf8')).map((s) => compileRule(s, file));
};

function run(lang: Language, rulesOf: string, code: string) {
  const lines = code.split('\n').map((_, i) => i + 1);
  return taintRuleMatches(shipped(rulesOf), lang, code, lines);
}

describe('taint bounds on Go and Java', () => {
  it('a 2,000-line Go handler of independent flows is analysed completely', () => {
    const body = Array.from({ length: 1_000 }, (_, i) => `\tv${i} := r.FormValue("k${i}")\n\texec.Command("sh", "-c", v${i})`).join('\n');
    const code = `package web\n\nimport (\n\t"net/http"\n\t"os/exec"\n)\n\nfunc Big(w http.ResponseWriter, r *http.Request) {\n${body}\n}\n`;
    const { matches, gaveUp } = run('go', 'go', code);
    expect(gaveUp).toBeNull();
    expect(matches.filter((m) => m.ruleId === 'go.taint.command-injection')).toHaveLength(1_000);
  });

  it('a Go value passed through 5,000 variables gives up explicitly', () => {
    const chain = Array.from({ length: 5_000 }, (_, i) => `\ta${i + 1} := a${i} + "x"`).join('\n');
    const code = `package web\n\nimport (\n\t"net/http"\n\t"os/exec"\n)\n\nfunc Big(w http.ResponseWriter, r *http.Request) {\n\ta0 := r.FormValue("k")\n${chain}\n\texec.Command("sh", "-c", a5000)\n}\n`;
    const { matches, gaveUp } = run('go', 'go', code);
    expect(gaveUp).toMatch(/nesting deeper than|more than/);
    expect(matches).toEqual([]);
  });

  it('a Java value passed through 5,000 locals gives up explicitly', () => {
    const chain = Array.from({ length: 5_000 }, (_, i) => `    String a${i + 1} = a${i} + "x";`).join('\n');
    const code = `import javax.servlet.http.HttpServletRequest;\nclass A {\n  void f(HttpServletRequest req) throws Exception {\n    String a0 = req.getParameter("k");\n${chain}\n    Runtime.getRuntime().exec(a5000);\n  }\n}\n`;
    const { matches, gaveUp } = run('java', 'java', code);
    expect(gaveUp).toMatch(/nesting deeper than|more than/);
    expect(matches).toEqual([]);
  });

  it('a 2,000-line Java method of independent flows is analysed completely', () => {
    const body = Array.from({ length: 1_000 }, (_, i) => `    String v${i} = req.getParameter("k${i}");\n    Runtime.getRuntime().exec(v${i});`).join('\n');
    const code = `import javax.servlet.http.HttpServletRequest;\nclass A {\n  void f(HttpServletRequest req) throws Exception {\n${body}\n  }\n}\n`;
    const { matches, gaveUp } = run('java', 'java', code);
    expect(gaveUp).toBeNull();
    expect(matches.filter((m) => m.ruleId === 'java.taint.command-injection')).toHaveLength(1_000);
  });
});

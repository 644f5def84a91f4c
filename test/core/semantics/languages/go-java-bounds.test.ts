import { describe, expect, it } from 'vitest';
import { callsIn, type CallsResult } from '../../../../src/core/semantics/index.js';

function timed(label: string, code: string, lang: 'go' | 'java'): CallsResult {
  const start = performance.now();
  const out = callsIn(code, lang);
  console.log(`${label}: ${(performance.now() - start).toFixed(0)} ms`);
  return out;
}

describe('Go and Java analysis bounds', () => {
  it('a 20,000-line Go function is analysed completely', () => {
    const body = Array.from({ length: 10_000 }, (_, i) => `\tv${i} := "p" + "${i}"\n\texec.Command(v${i})`).join('\n');
    const result = timed('20,000-line Go function', `package main\n\nimport "os/exec"\n\nfunc big() {\n${body}\n}\n`, 'go');
    expect(result.gaveUp).toBeNull();
    const calls = result.calls.filter((c) => c.canonical === 'exec.Command');
    expect(calls).toHaveLength(10_000);
    expect(calls[9_999]!.args[0]!.value).toBe('p9999');
  });

  it('a 20,000-line Java method is analysed completely', () => {
    const body = Array.from({ length: 10_000 }, (_, i) => `    String v${i} = "p" + ${i};\n    Runtime.getRuntime().exec(v${i});`).join('\n');
    const result = timed('20,000-line Java method', `class A {\n  void big() throws Exception {\n${body}\n  }\n}\n`, 'java');
    expect(result.gaveUp).toBeNull();
    const calls = result.calls.filter((c) => c.canonical === 'java.lang.Runtime.exec');
    expect(calls).toHaveLength(10_000);
    expect(calls[9_999]!.args[0]!.value).toBe('p9999');
  });

  it('10,000-deep Go concatenation gives up explicitly', () => {
    const code = `package main\n\nimport "os/exec"\n\nfunc f() {\n\texec.Command(${'"a" + ('.repeat(10_000)}"b"${')'.repeat(10_000)})\n}\n`;
    expect(timed('10,000-deep Go concatenation', code, 'go').gaveUp).toMatch(/nesting deeper than/);
  });

  it('10,000-deep Java calls give up explicitly', () => {
    const code = `class A {\n  void f() {\n    ${'g('.repeat(10_000)}x${')'.repeat(10_000)};\n  }\n}\n`;
    expect(timed('10,000-deep Java calls', code, 'java').gaveUp).toMatch(/nesting deeper than/);
  });

  it('a long chain of Java locals through one another gives up explicitly', () => {
    const chain = Array.from({ length: 5_000 }, (_, i) => `    String a${i + 1} = a${i};`).join('\n');
    const code = `class A {\n  void f() throws Exception {\n    String a0 = "x";\n${chain}\n    Runtime.getRuntime().exec(a5000);\n  }\n}\n`;
    expect(timed('5,000-local Java chain', code, 'java').gaveUp).toMatch(/nesting deeper than/);
  });
});

describe('Java arithmetic', () => {
  it('10,000-deep number additions give up explicitly', () => {
    const code = `class A {\n  void f() throws Exception {\n    Runtime.getRuntime().exec(${'1 + '.repeat(10_000)}"a");\n  }\n}\n`;
    expect(timed('10,000-deep Java additions', code, 'java').gaveUp).toMatch(/nesting deeper than/);
  });
});

import { describe, expect, it } from 'vitest';
import { callsIn } from '../../../src/core/semantics/index.js';

function timed<T>(label: string, run: () => T): T {
  const start = performance.now();
  const out = run();
  console.log(`${label}: ${(performance.now() - start).toFixed(0)} ms`);
  return out;
}

describe('analysis bounds', () => {
  it('a 20,000-line JavaScript function is analysed completely', () => {
    const body = Array.from({ length: 20_000 }, (_, i) => `  const v${i} = 'p' + ${i};\n  cp.exec(v${i});`).join('\n');
    const code = `const cp = require('child_process');\nfunction big() {\n${body}\n}\n`;
    const result = timed('20,000-line JS function', () => callsIn(code, 'javascript'));
    expect(result.gaveUp).toBeNull();
    const execs = result.calls.filter((c) => c.canonical === 'child_process.exec');
    expect(execs).toHaveLength(20_000);
    expect(execs[19_999]!.args[0]!.value).toBe('p19999');
  });

  it('a 20,000-line Python function is analysed completely', () => {
    const body = Array.from({ length: 20_000 }, (_, i) => `    v${i} = 'p' + '${i}'\n    os.system(v${i})`).join('\n');
    const result = timed('20,000-line Python function', () => callsIn(`import os\ndef big():\n${body}\n`, 'python'));
    expect(result.gaveUp).toBeNull();
    expect(result.calls.filter((c) => c.canonical === 'os.system' && c.args[0]!.value !== null)).toHaveLength(20_000);
  });

  it('10,000-deep nested calls give up explicitly', () => {
    const code = `${'f('.repeat(10_000)}x${')'.repeat(10_000)};\n`;
    const result = timed('10,000-deep JS calls', () => callsIn(code, 'javascript'));
    expect(result.gaveUp).toMatch(/nesting deeper than/);
  });

  it('10,000-deep nested functions with a call at the bottom resolve or give up, never crash', () => {
    const code = `const cp = require('child_process');\n${'function f() {\n'.repeat(10_000)}cp.exec(x);\n${'}\n'.repeat(10_000)}`;
    const result = timed('10,000-deep JS functions', () => callsIn(code, 'javascript'));
    if (result.gaveUp === null) expect(result.calls.some((c) => c.canonical === 'child_process.exec')).toBe(true);
    else expect(result.gaveUp).toMatch(/nesting|steps/);
  });

  it('10,000-deep Python concatenation gives up explicitly', () => {
    const code = `import os\nos.system(${"'a' + ".repeat(10_000)}'b')\n`;
    const result = timed('10,000-deep Python concatenation', () => callsIn(code, 'python'));
    expect(result.gaveUp).toMatch(/nesting deeper than/);
  });

  it('a long chain of bindings through one another gives up explicitly', () => {
    const chain = Array.from({ length: 5_000 }, (_, i) => `const a${i + 1} = a${i};`).join('\n');
    const result = timed('5,000-binding chain', () => callsIn(`const a0 = eval;\n${chain}\na5000(x);\n`, 'javascript'));
    expect(result.gaveUp).toMatch(/nesting deeper than/);
  });

  it('the step budget gives up explicitly', () => {
    const body = Array.from({ length: 2_000 }, (_, i) => `eval('x${i}');`).join('\n');
    expect(callsIn(body, 'javascript', { maxSteps: 1_000 }).gaveUp).toMatch(/more than 1000 analysis steps/);
  });

  it('the deadline gives up explicitly', () => {
    let now = 0;
    const body = Array.from({ length: 5_000 }, (_, i) => `eval('x${i}');`).join('\n');
    const result = callsIn(body, 'javascript', { now: () => (now += 1_000), deadline: 1_500 });
    expect(result.gaveUp).toBe('analysis time budget exhausted');
  });
});

describe('Ruby and PHP analysis bounds', () => {
  it('a 20,000-line Ruby method is analysed completely', () => {
    const body = Array.from({ length: 20_000 }, (_, i) => `  v${i} = "p" + "${i}"\n  Kernel.send(:system, v${i})`).join('\n');
    const result = timed('20,000-line Ruby method', () => callsIn(`def big\n${body}\nend\n`, 'ruby'));
    expect(result.gaveUp).toBeNull();
    const calls = result.calls.filter((c) => c.canonical === 'system');
    expect(calls).toHaveLength(20_000);
    expect(calls[19_999]!.args[0]!.value).toBe('p19999');
  });

  it('a 20,000-line PHP function is analysed completely', () => {
    const body = Array.from({ length: 20_000 }, (_, i) => `  $v${i} = 'p' . '${i}';\n  $f($v${i});`).join('\n');
    const code = `<?php\nfunction big() {\n  $f = 'sys' . 'tem';\n${body}\n}\n`;
    const result = timed('20,000-line PHP function', () => callsIn(code, 'php'));
    expect(result.gaveUp).toBeNull();
    expect(result.calls.filter((c) => c.canonical === 'system' && c.args[0]!.value !== null)).toHaveLength(20_000);
  });

  it('deeply nested Ruby string building gives up explicitly', () => {
    const code = `system(${'("a" + '.repeat(5_000)}"b"${')'.repeat(5_000)})\n`;
    const result = timed('5,000-deep Ruby concatenation', () => callsIn(code, 'ruby'));
    expect(result.gaveUp).toMatch(/nesting deeper than|steps/);
  });

  it('deeply nested PHP decoders give up explicitly', () => {
    const code = `<?php\nsystem(${'strrev('.repeat(5_000)}'x'${')'.repeat(5_000)});\n`;
    const result = timed('5,000-deep PHP calls', () => callsIn(code, 'php'));
    expect(result.gaveUp).toMatch(/nesting deeper than|steps/);
  });

  it('a chain of aliases longer than the depth bound gives up in PHP', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `$a${i + 1} = $a${i};`).join('\n');
    const result = callsIn(`<?php\n$a0 = 'system';\n${lines}\n$a500('id');\n`, 'php');
    expect(result.gaveUp).toMatch(/nesting deeper than/);
  });
});

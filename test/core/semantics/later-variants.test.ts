// A second set of variants, written after the code and run once without changes to it (all passed).
import { expect, it } from 'vitest';
import { callsIn } from '../../../src/core/semantics/index.js';
const V: [string, 'javascript' | 'typescript' | 'tsx' | 'python', string, string, string | null][] = [
  ['class field alias', 'javascript', "const cp = require('child_process');\nclass A { run(c) { const f = cp.execSync; return f(c); } }\n", 'child_process.execSync', null],
  ['default-import then destructure', 'typescript', "import cp from 'child_process';\nconst { spawn: s } = cp;\ns('sh', ['-c', cmd]);\n", 'child_process.spawn', 'sh'],
  ['nested require member chain with subscript string', 'javascript', "require('vm')['runIn' + 'NewContext'](code, {});\n", 'vm.runInNewContext', null],
  ['python from-import module then attribute', 'python', "from os import path, system\nsystem('echo ' + 'hi')\n", 'os.system', 'echo hi'],
  ['python builtins via getattr of import', 'python', "import builtins\ngetattr(builtins, ''.join(['e', 'v', 'a', 'l']))(data)\n", 'eval', null],
  ['python alias reassigned once in function', 'python', "import subprocess as s\ndef go(x):\n    runner = s.check_output\n    return runner(x, shell=True)\n", 'subprocess.check_output', null],
  ['arrow wrapper helper', 'javascript', "const { exec } = require('node:child_process');\nconst sh = (c) => exec(c);\nsh(userInput);\n", 'child_process.exec', null],
];
for (const [name, lang, code, canonical, value] of V) {
  it(name, () => {
    const calls = callsIn(code, lang).calls;
    const c = calls.find((x) => x.canonical === canonical);
    expect(c, JSON.stringify(calls.map((x) => x.canonical))).toBeDefined();
    expect(c!.args[0]!.value).toBe(value);
  });
}

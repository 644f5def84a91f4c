import { describe, expect, it } from 'vitest';
import { callsIn, mayReach, type ResolvedCall } from '../../../src/core/semantics/index.js';
import type { Language } from '../../../src/core/rules/schema.js';

interface Case {
  name: string;
  code: string;
  /** The canonical name some call in the code must resolve to. */
  canonical: string;
  /** Folded value of that call's first argument; null when it is dynamic. */
  value: string | null;
}

function find(code: string, lang: Language, canonical: string): ResolvedCall | undefined {
  const result = callsIn(code, lang);
  expect(result.gaveUp).toBeNull();
  return result.calls.find((c) => c.canonical === canonical);
}

function check(lang: Language, cases: Case[]): void {
  for (const c of cases) {
    it(c.name, () => {
      const call = find(c.code, lang, c.canonical);
      expect(call, JSON.stringify(callsIn(c.code, lang).calls.map((x) => x.canonical))).toBeDefined();
      expect(call!.args[0]?.value ?? null).toBe(c.value);
      expect(call!.args[0]?.dynamic).toBe(c.value === null);
    });
  }
}

describe('JavaScript names', () => {
  check('javascript', [
    { name: 'plain require and member call', code: "const cp = require('child_process');\ncp.exec(cmd);\n", canonical: 'child_process.exec', value: null },
    {
      name: 'destructuring with rename through an alias',
      code: "const cp = require('child_process');\nconst { exec: run } = cp;\nrun(x);\n",
      canonical: 'child_process.exec',
      value: null,
    },
    { name: 'shorthand destructuring of require', code: "const { execSync } = require('child_process');\nexecSync('ls');\n", canonical: 'child_process.execSync', value: 'ls' },
    { name: 'namespace import with node: prefix', code: "import * as c from 'node:child_process';\nc.exec(x);\n", canonical: 'child_process.exec', value: null },
    { name: 'default import', code: "import cp from 'child_process';\ncp.spawn(x);\n", canonical: 'child_process.spawn', value: null },
    { name: 'named import with rename', code: "import { exec as run } from 'child_process';\nrun(a);\n", canonical: 'child_process.exec', value: null },
    { name: 'require of a folded string', code: "const m = require('child' + '_process');\nm.exec(y);\n", canonical: 'child_process.exec', value: null },
    { name: 'require inline with member', code: "require('child_process').exec('ls ' + x);\n", canonical: 'child_process.exec', value: null },
    { name: 'globalThis subscript of a concatenation', code: "globalThis['ev' + 'al'](code);\n", canonical: 'eval', value: null },
    { name: 'window.eval', code: 'window.eval(code);\n', canonical: 'eval', value: null },
    { name: 'indirect eval with a sequence', code: '(0, eval)(x);\n', canonical: 'eval', value: null },
    { name: 'eval assigned to a const', code: 'const e = eval;\ne(x);\n', canonical: 'eval', value: null },
    { name: 'eval assigned later to a let', code: 'let e;\ne = eval;\ne(x);\n', canonical: 'eval', value: null },
    { name: 'alias used inside a function', code: "const cp = require('child_process');\nfunction go(c) {\n  cp.exec(c);\n}\n", canonical: 'child_process.exec', value: null },
    { name: 'new Function', code: 'new Function(body)();\n', canonical: 'Function', value: null },
  ]);

  it('a parameter shadowing an import does not resolve to the import', () => {
    const code = "import { exec } from 'child_process';\nfunction f(exec) {\n  exec(x);\n}\n";
    const calls = callsIn(code, 'javascript').calls;
    expect(calls.filter((c) => c.canonical === 'child_process.exec')).toHaveLength(0);
  });

  it('a name bound to two different values resolves to neither', () => {
    const code = "let f = eval;\nf = console.log;\nf(x);\n";
    const calls = callsIn(code, 'javascript').calls;
    expect(calls.find((c) => c.canonical === 'eval')).toBeUndefined();
  });

  it('a local function called exec is not child_process.exec', () => {
    const calls = callsIn('function exec(x) {}\nexec(y);\n', 'javascript').calls;
    expect(calls.find((c) => c.canonical === 'child_process.exec')).toBeUndefined();
  });

  it('reports the call range and callee text', () => {
    const [call] = callsIn("const cp = require('child_process');\n  cp.exec(x);\n", 'javascript').calls.filter((c) => c.canonical === 'child_process.exec');
    expect(call!.range.start).toEqual({ line: 2, column: 3 });
    expect(call!.callee).toBe('cp.exec');
  });
});

describe('TypeScript and TSX names', () => {
  it('TypeScript casts and non-null do not hide the callee', () => {
    const code = "import * as cp from 'child_process';\n(cp.exec as any)(cmd!);\n";
    expect(find(code, 'typescript', 'child_process.exec')!.args[0]!.dynamic).toBe(true);
  });
  it('TSX named import with rename', () => {
    const code = "import { execSync as x } from 'node:child_process';\nexport const A = () => <div>{String(x('id'))}</div>;\n";
    expect(find(code, 'tsx', 'child_process.execSync')!.args[0]!.value).toBe('id');
  });
});

describe('JavaScript constants', () => {
  check('javascript', [
    { name: 'constant-only exec is not dynamic', code: "const cp = require('child_process');\ncp.exec('ls');\n", canonical: 'child_process.exec', value: 'ls' },
    { name: 'concatenation of constants', code: "require('child_process').exec('ls ' + '-la');\n", canonical: 'child_process.exec', value: 'ls -la' },
    { name: 'template literal of constants', code: "const d = '/tmp';\nrequire('child_process').exec(`ls ${d}`);\n", canonical: 'child_process.exec', value: 'ls /tmp' },
    { name: 'template literal with a dynamic part', code: "require('child_process').exec(`ls ${req.query.d}`);\n", canonical: 'child_process.exec', value: null },
    { name: 'array join', code: "eval(['ale', 'rt(1)'].join(''));\n", canonical: 'eval', value: 'alert(1)' },
    { name: 'String.fromCharCode', code: 'eval(String.fromCharCode(97, 108, 101, 114, 116));\n', canonical: 'eval', value: 'alert' },
    { name: 'atob of a literal', code: "eval(atob('YWxlcnQoMSk='));\n", canonical: 'eval', value: 'alert(1)' },
    { name: 'Buffer.from base64 toString', code: "eval(Buffer.from('YWxlcnQoMSk=', 'base64').toString());\n", canonical: 'eval', value: 'alert(1)' },
    { name: 'hex escapes in a string', code: "eval('\\x61lert(1)');\n", canonical: 'eval', value: 'alert(1)' },
    { name: 'through a const binding', code: "const p = 'al' + 'ert';\nconst q = p + '(1)';\neval(q);\n", canonical: 'eval', value: 'alert(1)' },
    { name: 'a let assigned twice is dynamic', code: "let p = 'a';\np = 'b';\neval(p);\n", canonical: 'eval', value: null },
    { name: 'parameter is dynamic', code: 'function f(p) {\n  eval(p);\n}\n', canonical: 'eval', value: null },
  ]);
});

describe('Python names', () => {
  check('python', [
    { name: 'import as', code: 'import subprocess as sp\nsp.run(cmd, shell=True)\n', canonical: 'subprocess.run', value: null },
    { name: 'from import with rename', code: 'from os import system as s\ns("ls")\n', canonical: 'os.system', value: 'ls' },
    { name: '__import__ of a constant', code: "__import__('os').system(x)\n", canonical: 'os.system', value: null },
    { name: 'importlib.import_module of a concatenation', code: "import importlib\nm = importlib.import_module('o' + 's')\nm.system(x)\n", canonical: 'os.system', value: null },
    { name: 'getattr with a concatenated name', code: "import os\ngetattr(os, 'sys' + 'tem')(y)\n", canonical: 'os.system', value: null },
    { name: 'dotted import', code: 'import os.path\nos.system(z)\n', canonical: 'os.system', value: null },
    { name: 'alias inside a function', code: 'import subprocess\ndef f(c):\n    subprocess.Popen(c)\n', canonical: 'subprocess.Popen', value: null },
    { name: 'builtin eval', code: 'eval(src)\n', canonical: 'eval', value: null },
    { name: 'builtins module', code: 'import builtins\nbuiltins.exec(src)\n', canonical: 'exec', value: null },
    { name: 'function assigned to a name', code: 'import os\nrun = os.system\nrun(cmd)\n', canonical: 'os.system', value: null },
  ]);

  it('keyword arguments are reported by name', () => {
    const call = find('import subprocess\nsubprocess.run(args=cmd, shell=True)\n', 'python', 'subprocess.run')!;
    expect(call.args.map((a) => [a.keyword, a.value, a.dynamic])).toEqual([
      ['args', null, true],
      ['shell', 'True', false],
    ]);
  });

  it('a parameter named like a module does not resolve to it', () => {
    const calls = callsIn('import os\ndef f(os):\n    os.system(x)\n', 'python').calls;
    expect(calls.find((c) => c.canonical === 'os.system')).toBeUndefined();
  });
});

describe('Python constants', () => {
  check('python', [
    { name: 'constant-only system is not dynamic', code: 'import os\nos.system("ls")\n', canonical: 'os.system', value: 'ls' },
    { name: 'concatenation with a variable is dynamic', code: 'import os\nos.system("ls " + d)\n', canonical: 'os.system', value: null },
    { name: 'f-string of constants', code: 'import os\nd = "/tmp"\nos.system(f"ls {d}")\n', canonical: 'os.system', value: 'ls /tmp' },
    { name: 'f-string with a dynamic part', code: 'import os\nos.system(f"ls {d}")\n', canonical: 'os.system', value: null },
    { name: 'str.join of a list', code: 'import os\nos.system(" ".join(["ls", "-la"]))\n', canonical: 'os.system', value: 'ls -la' },
    { name: 'base64.b64decode decoded', code: "import base64\nexec(base64.b64decode('cHJpbnQoMSk=').decode())\n", canonical: 'exec', value: 'print(1)' },
    { name: 'bytes.fromhex decoded', code: "exec(bytes.fromhex('7072696e74283129').decode())\n", canonical: 'exec', value: 'print(1)' },
    { name: 'implicit concatenation', code: "eval('1 +' ' 2')\n", canonical: 'eval', value: '1 + 2' },
    { name: 'reassigned name is dynamic', code: "c = 'ls'\nc = input()\nimport os\nos.system(c)\n", canonical: 'os.system', value: null },
    { name: 'augmented assignment is dynamic', code: "c = 'ls'\nc += x\nimport os\nos.system(c)\n", canonical: 'os.system', value: null },
  ]);
});

describe('TypeScript import-equals', () => {
  it('import x = require() binds the module', () => {
    const code = "import cp = require('node:child_process');\ncp.execSync('id');\n";
    expect(find(code, 'typescript', 'child_process.execSync')!.args[0]!.value).toBe('id');
  });
});

describe('dynamic import', () => {
  it('await import() of a constant binds the module', () => {
    const code = "const { exec } = await import('node:' + 'child_process');\nexec(cmd);\n";
    expect(find(code, 'javascript', 'child_process.exec')!.args[0]!.dynamic).toBe(true);
  });
  it('import() of a dynamic name resolves to nothing', () => {
    const calls = callsIn('const m = await import(name);\nm.exec(cmd);\n', 'javascript').calls;
    expect(calls.map((c) => c.canonical)).toEqual(['import', null]);
  });
});

describe("Node's other ways to load a module", () => {
  it('makes a require, by any name, whose modules resolve as require loads them', () => {
    const named = "import { createRequire } from 'node:module';\nconst load = createRequire(import.meta.url);\nload('child_' + 'process').exec(cmd);\n";
    expect(find(named, 'javascript', 'child_process.exec')!.args[0]!.dynamic).toBe(true);
    const member = "import * as m from 'module';\nconst { execSync: run } = m.createRequire(import.meta.url)('child_process');\nrun('id');\n";
    expect(find(member, 'javascript', 'child_process.execSync')!.args[0]!.value).toBe('id');
    const shadow = "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nrequire('node:child_process').exec(cmd);\n";
    expect(find(shadow, 'typescript', 'child_process.exec')).toBeDefined();
  });
  it('the module\'s own require, the main module\'s and the internal loader load modules as require does', () => {
    for (const loader of ['module.require', 'require.main.require', 'process.mainModule.require', 'module.constructor._load', "require('module')._load"]) {
      const code = `const { exec: run } = ${loader}('child_' + 'process');\nrun(cmd);\n`;
      expect(find(code, 'javascript', 'child_process.exec'), code).toBeDefined();
      expect(mayReach(code, 'javascript', ['child_process.exec']), code).toBe(true);
    }
    const literal = "module.exports = function () {\n  return module.require('lodash');\n};\n";
    expect(mayReach(literal, 'javascript', ['child_process.exec'])).toBe(false);
  });
  it('sends the file to the analysis whatever the text names', () => {
    const code = "import { createRequire } from 'node:module';\nconst load = createRequire(import.meta.url);\nload('child_' + 'process').exec(cmd);\n";
    expect(mayReach(code, 'javascript', ['child_process.exec'])).toBe(true);
  });
});

describe('Python builtins namespace', () => {
  it('__builtins__ subscripted with a computed name is the builtin', () => {
    expect(find("__builtins__['ev' + 'al'](data)\n", 'python', 'eval')!.args[0]!.dynamic).toBe(true);
    expect(find('__builtins__.exec(src)\n', 'python', 'exec')).toBeDefined();
  });
});

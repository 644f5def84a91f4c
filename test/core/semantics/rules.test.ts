import { describe, expect, it } from 'vitest';
import { parseRuleFile, RuleFileError } from '../../../src/core/rules/schema.js';
import { compileRule } from '../../../src/core/scan/compile.js';
import { mayReach } from '../../../src/core/semantics/index.js';
import { calleeHides, callRuleMatches, showValue } from '../../../src/core/semantics/rules.js';

function rule(match: string, languages = '[javascript]'): ReturnType<typeof compileRule> {
  const yaml = `rules:
  - id: js.test.call-rule
    title: A call rule
    severity: high
    category: test
    cwe: [CWE-78]
    languages: ${languages}
    message: A message long enough for the schema.
    match:
${match}
    tests:
      valid: [{ code: "x" }]
      invalid: [{ code: "y" }]
`;
  return compileRule(parseRuleFile('rules/t.yml', yaml)[0]!, 'rules/t.yml');
}

const EXEC_DYNAMIC = rule(`      call:
        name: [child_process.exec]
        arg-is: [dynamic]`);

describe('call rules', () => {
  it('fire on the canonical name however it is imported, only on added lines', () => {
    const code = "const { exec: run } = require('child_process');\nrun(a);\nrun(b);\n";
    const { matches, gaveUp } = callRuleMatches([EXEC_DYNAMIC], 'javascript', code, [3]);
    expect(gaveUp).toBeNull();
    expect(matches.map((m) => [m.line, m.column, m.text])).toEqual([[3, 1, 'run(b)']]);
    expect(matches[0]!.message).toContain('Resolves to: child_process.exec.');
  });

  it('a constant-only command is not dynamic; one built from a variable is', () => {
    const code = "const cp = require('child_process');\ncp.exec('ls');\ncp.exec('ls ' + d);\n";
    expect(callRuleMatches([EXEC_DYNAMIC], 'javascript', code, [1, 2, 3]).matches.map((m) => m.line)).toEqual([3]);
  });

  it('a computed constant is shown decoded in the message', () => {
    const r = rule(`      call:
        name: [eval]
        arg-is: [computed]`);
    const code = "eval('x');\neval(atob('YWxlcnQoMSk='));\n";
    const { matches } = callRuleMatches([r], 'javascript', code, [1, 2]);
    expect(matches).toHaveLength(1);
    expect(matches[0]!.message).toContain('The argument decodes to: alert(1)');
  });

  it('hidden-callee leaves plainly spelled calls to pattern rules', () => {
    const r = rule(`      call:
        name: [eval]
        hidden-callee: true`);
    const code = 'eval(a);\nwindow.eval(b);\n(0, eval)(c);\nconst e = eval;\ne(d);\n';
    expect(callRuleMatches([r], 'javascript', code, [1, 2, 3, 4, 5]).matches.map((m) => m.line)).toEqual([3, 5]);
  });

  it('a file the analysis gives up on is reported as such, with no matches', () => {
    const r = rule(`      call:
        name: [eval]`);
    const code = `eval(${'f('.repeat(5_000)}x${')'.repeat(5_000)});\n`;
    const { matches, gaveUp } = callRuleMatches([r], 'javascript', code, [1]);
    expect(matches).toEqual([]);
    expect(gaveUp).toMatch(/nesting/);
  });

  it('deep nesting that no wanted call depends on is not analysed, so it does not give up', () => {
    const code = `${'f('.repeat(5_000)}x${')'.repeat(5_000)};\nconst cp = require('child_process');\ncp.exec(y);\n`;
    const { matches, gaveUp } = callRuleMatches([EXEC_DYNAMIC], 'javascript', code, [1, 2, 3]);
    expect(gaveUp).toBeNull();
    expect(matches.map((m) => m.line)).toEqual([3]);
  });

  it('are refused at load for languages the semantic layer does not support', () => {
    expect(() => rule('      call:\n        name: [os.system]', '[yaml]')).toThrow(RuleFileError);
    expect(() => rule('      call:\n        name: [os.system]', '[yaml]')).toThrow(/semantic layer supports \(not yaml\)/);
  });

  it('names must be dotted names', () => {
    expect(() => rule('      call:\n        name: ["a b"]')).toThrow(/dotted name/);
  });
});

describe('Ruby and PHP call rules', () => {
  it('Ruby: send with a decoded command fires and shows the decoded text; a plain call does not', () => {
    const r = rule(`      call:
        name: [system]
        hidden-callee: true`, '[ruby]');
    const code = 'system(cmd)\nKernel.send(:system, Base64.decode64("aWQ="))\n';
    const { matches } = callRuleMatches([r], 'ruby', code, [1, 2]);
    expect(matches.map((m) => m.line)).toEqual([2]);
    expect(matches[0]!.message).toContain('Resolves to: system.');
    expect(matches[0]!.message).toContain('The argument decodes to: id');
  });

  it('PHP: a variable function fires; the function called by name does not', () => {
    const r = rule(`      call:
        name: [passthru]
        hidden-callee: true`, '[php]');
    const code = "<?php\npassthru($c);\n$f = 'pass' . 'thru';\n$f(str_rot13('vq'));\n";
    const { matches } = callRuleMatches([r], 'php', code, [2, 3, 4]);
    expect(matches.map((m) => m.line)).toEqual([4]);
    expect(matches[0]!.message).toContain('The argument decodes to: id');
  });

  it('the text test lets Ruby send and PHP variable functions through, and skips plain files', () => {
    expect(mayReach('x.send(n, y)', 'ruby', ['system'])).toBe(true);
    expect(mayReach('<?php $f($x);', 'php', ['system'])).toBe(true);
    expect(mayReach('<?php strlen($x);', 'php', ['system'])).toBe(false);
    expect(mayReach('puts x', 'ruby', ['system'])).toBe(false);
  });
});

describe('helpers', () => {
  it('calleeHides', () => {
    expect(calleeHides('cp.exec', 'child_process.exec')).toBe(false);
    expect(calleeHides('\\system', 'system')).toBe(false);
    expect(calleeHides('$f', 'system')).toBe(true);
    expect(calleeHides('exec', 'child_process.exec')).toBe(false);
    expect(calleeHides('run', 'child_process.exec')).toBe(true);
    expect(calleeHides("cp['ex' + 'ec']", 'child_process.exec')).toBe(true);
    expect(calleeHides('execute', 'eval')).toBe(true);
    expect(calleeHides('/usr/bin/curl', 'curl')).toBe(false);
    expect(calleeHides('"$c"', 'curl')).toBe(true);
  });
  it('showValue escapes control characters and clips', () => {
    expect(showValue('a\nb')).toBe('a\\nb');
    expect(showValue('require("fs")')).toBe('require("fs")');
    expect(showValue('x'.repeat(500))).toHaveLength(201);
  });
});

describe('mayReach: the text test that lets files skip the analysis', () => {
  const JS = ['eval', 'child_process.exec'];
  it('is false for code that names no global, module or loader that could lead to the names', () => {
    expect(mayReach("import { db } from './db.js';\nexport const f = (x) => db.query(x).execute();\n", 'javascript', JS)).toBe(false);
    expect(mayReach('def f(x):\n    return x.system_name\n', 'python', ['os.system'])).toBe(false);
    // Python cannot subscript a module, so `os` without `system` (or getattr …) cannot reach os.system.
    expect(mayReach('import os\np = os.path.join(os.environ["HOME"], "x")\n', 'python', ['os.system'])).toBe(false);
  });
  /** Expects `mayReach` to answer `expected` for each of `codes`. */
  const reaches = (language: 'javascript' | 'python', codes: string[], expected: boolean) => {
    for (const code of codes) expect(mayReach(code, language, language === 'python' ? ['os.system'] : JS), code).toBe(expected);
  };
  it('is true for every obfuscated form the resolver handles', () => {
    reaches(
      'javascript',
      [
        "globalThis['ev' + 'al'](x)",
        '(0, eval)(x)',
        "const { exec: run } = require('child' + '_process'); run(x)",
        "import * as c from 'node:child_process'; c.exec(x)",
        "Reflect.get(window, 'ev' + 'al')(x)",
        "const { exec: e } = await import('node:' + 'child_process'); e(x)",
      ],
      true,
    );
    reaches('python', ["getattr(o, 'sys' + 'tem')(x)", "__import__('o' + 's').system(x)", 'from os import system as s', 'import builtins'], true);
  });
  it('takes a loader that only loads modules named as literals at its word: those modules are named in the text', () => {
    // Most modules load other modules: that alone does not make every name reachable.
    reaches(
      'javascript',
      [
        "const _ = require('lodash');\nconst { join } = require(\"node:path\");\nmodule.exports = () => _.map(join('a', 'b'));\n",
        "import fs from 'fs';\nconst chalk = await import('chalk');\nfs.readFileSync(chalk.x);\n",
        "const x = require ( 'lodash' ) ;\n",
      ],
      false,
    );
    reaches('python', ["import os\nm = __import__('json')\nm.dumps(x)\n"], false);
    // Any other use of the loader may name a module the text does not.
    reaches(
      'javascript',
      [
        "const m = require('lodash');\nconst c = require(name);\n",
        "const c = require('child_' + 'process');\n",
        'const c = require(`child_process`);\n',
        "const c = require('child\\x5fprocess');\n",
        "const r = require;\nr('lodash');\n",
        "const c = require.call(null, 'lodash');\n",
        "const c = module.require('lodash', extra);\n",
        "const c = require(/* which */ 'lodash');\n",
        "const c = await import('lod' + 'ash');\n",
        "const c = require('lodash');\nwindow.x = 1;\n",
      ],
      true,
    );
    reaches('python', ["m = __import__(name)\n", "m = __import__(f'o{s}')\n", "m = __import__('o' 's')\n", 'imp = __import__\n'], true);
  });
  it('call rules skip a file it rules out and still find the calls in one it does not', () => {
    expect(callRuleMatches([EXEC_DYNAMIC], 'javascript', 'db.exec(x);\n', [1]).matches).toEqual([]);
    expect(callRuleMatches([EXEC_DYNAMIC], 'javascript', "require('child_process')['ex' + 'ec'](x);\n", [1]).matches).toHaveLength(1);
  });
});

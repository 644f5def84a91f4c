import { describe, expect, it } from 'vitest';
import type { ScanData } from '../../../src/core/rules/types.js';
import { buildCatalog } from '../../../src/core/rules/catalog.js';
import { scanChangeSet } from '../../../src/core/scan/engine.js';
import { loadShippedCatalog } from '../../../src/io/rules-dir.js';
import { changeSetOf } from '../../helpers/changeset.js';

// A value built only from constants is not dynamic input: the AST rules that ask for a dynamic
// argument name it with `not-constant`, and the semantic layer folds it through the file's
// bindings. Values that are not constant (a parameter, a reassignment from input) still fire.

interface Variant {
  path: string;
  rule: string;
  /** false: the value is built only from constants, and the rule stays quiet. */
  reported: boolean;
  code: string;
}

const data: ScanData = { popularNpm: new Map(), popularPypi: new Map() };
const catalog = loadShippedCatalog();

async function reports(v: Variant): Promise<boolean> {
  const { findings } = await scanChangeSet(changeSetOf([{ path: v.path, code: v.code }]), { catalog: await catalog, data });
  return findings.some((f) => f.ruleId === v.rule);
}

const VARIANTS: Variant[] = [
  { path: "a.js", rule: "js.injection.child-process-exec", reported: false, code: "const { exec } = require('child_process');\nconst cmd = 'ls -la';\nexec(cmd);\n" },
  { path: "a.js", rule: "js.injection.child-process-exec", reported: false, code: "const { exec } = require('child_process');\nconst prefix = 'git ';\nexec(prefix + 'status');\n" },
  { path: "a.js", rule: "js.injection.child-process-exec", reported: false, code: "const { exec } = require('child_process');\nconst prefix = 'git ';\nexec(`${prefix}log --oneline`);\n" },
  { path: "a.js", rule: "js.injection.child-process-exec", reported: false, code: "const cp = require('child_process');\nlet cmd = 'make';\ncp.execSync(cmd + ' build');\n" },
  { path: "a.js", rule: "js.injection.eval", reported: false, code: "const expr = '1 + ' + '2';\nconst n = eval(expr);\n" },
  { path: "a.js", rule: "js.xss.inner-html", reported: false, code: "const markup = '<b>' + 'ready' + '</b>';\nstatus.innerHTML = markup;\n" },
  { path: "a.js", rule: "js.injection.child-process-exec", reported: true, code: "const { exec } = require('child_process');\nfunction list(dir) {\n  exec('ls ' + dir);\n}\n" },
  { path: "a.js", rule: "js.injection.child-process-exec", reported: true, code: "const { exec } = require('child_process');\nlet cmd = 'ls';\nif (process.argv[2]) cmd = process.argv[2];\nexec(cmd);\n" },
  { path: "a.js", rule: "js.injection.child-process-exec", reported: true, code: "const { exec } = require('child_process');\nconst cmd = `ls ${process.argv[2]}`;\nexec(cmd);\n" },
  { path: "a.js", rule: "js.xss.inner-html", reported: true, code: "const markup = '<b>' + location.hash + '</b>';\nstatus.innerHTML = markup;\n" },
  { path: "a.py", rule: "py.injection.os-system", reported: false, code: "import os\ncmd = 'ls -la'\nos.system(cmd)\n" },
  { path: "a.py", rule: "py.injection.subprocess-shell", reported: false, code: "import subprocess\nbase = 'git '\nsubprocess.call(base + 'status', shell=True)\n" },
  { path: "a.py", rule: "py.injection.os-system", reported: true, code: "import os\ndef ls(p):\n    os.system('ls ' + p)\n" },
  { path: "a.py", rule: "py.injection.os-system", reported: true, code: "import os\ncmd = 'ls'\nif len(os.sys.argv) > 1:\n    cmd = input()\nos.system(cmd)\n" },
  { path: "a.go", rule: "go.injection.exec-shell", reported: false, code: "package main\n\nimport \"os/exec\"\n\nfunc main() {\n\tcmd := \"ls -la\"\n\texec.Command(\"sh\", \"-c\", cmd).Run()\n}\n" },
  { path: "a.go", rule: "go.injection.exec-shell", reported: true, code: "package main\n\nimport \"os/exec\"\n\nfunc list(dir string) {\n\texec.Command(\"sh\", \"-c\", \"ls \"+dir).Run()\n}\n" },
  { path: "A.java", rule: "java.injection.runtime-exec", reported: false, code: "class A {\n  void run() throws Exception {\n    String c = \"ls -la\";\n    Runtime.getRuntime().exec(c);\n  }\n}\n" },
  { path: "A.java", rule: "java.injection.runtime-exec", reported: true, code: "class A {\n  void run(String d) throws Exception {\n    Runtime.getRuntime().exec(\"ls \" + d);\n  }\n}\n" },
  { path: "a.rb", rule: "rb.injection.eval", reported: false, code: "code = '1 + 1'\nputs eval(code)\n" },
  { path: "a.rb", rule: "rb.injection.eval", reported: true, code: "def calc(expr)\n  eval(expr)\nend\n" },
  { path: "a.php", rule: "php.injection.eval", reported: false, code: "<?php\n$code = 'return 1 + 1;';\n$n = eval($code);\n" },
  { path: "a.php", rule: "php.injection.eval", reported: true, code: "<?php\nfunction calc($expr) {\n  return eval($expr);\n}\n" },
];

describe('not-constant: AST rules quiet on values built only from constants', () => {
  it.each(VARIANTS.map((v) => [`${v.rule} ${v.reported ? 'reports' : 'is quiet on'} ${JSON.stringify(v.code.split('\n').slice(1, 3).join(' ⏎ '))}`, v] as const))('%s', async (_name, v) => {
    expect(await reports(v)).toBe(v.reported);
  });
});

describe('not-constant in a rule file', () => {
  const rule = (notConstant: string) => `rules:
  - id: test.exec-dynamic
    title: exec of a dynamic value
    severity: high
    category: injection
    cwe: [CWE-78]
    languages: [javascript]
    message: A message long enough for the schema to accept it here.
    match:
      ast:
        not-constant: ${notConstant}
        rule: { kind: call_expression, has: { field: function, regex: '^exec$' }, all: [{ has: { field: arguments, has: { nthChild: 1, pattern: $CMD } } }] }
    tests:
      valid: [{ code: "const c = 'ls'; exec(c)" }]
      invalid: [{ code: "exec(process.argv[2])" }]
`;

  it('a metavariable the rule never binds is a load error naming the file, rule and field', () => {
    expect(() => buildCatalog([{ name: 'mine.yml', text: rule('[CMND]') }], [])).toThrow(/mine\.yml.*test\.exec-dynamic: match\.ast\.not-constant: \$CMND is never bound/);
  });

  it('a bound one quiets constant values only', async () => {
    const own = buildCatalog([{ name: 'mine.yml', text: rule('[CMD]') }], []);
    const hits = async (code: string) => (await scanChangeSet(changeSetOf([{ path: 'a.js', code }]), { catalog: own, data })).findings.length;
    expect(await hits("const c = 'ls' + ' -la';\nexec(c);\n")).toBe(0);
    expect(await hits('function f(c) {\n  exec(c);\n}\n')).toBe(1);
  });
});

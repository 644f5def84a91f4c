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

const LANGS = [
  {
    ext: 'js',
    line: (i) => `  const value${i} = compute(input${i}, "label ${i}") + offset; // step ${i}`,
    head: 'export function run(input0) {',
    tail: '}',
    hot: (i) => `  require("child_process").exec("ls " + input${i});`,
  },
  {
    ext: 'ts',
    line: (i) => `  const value${i}: number = compute(input${i}, "label ${i}") + offset;`,
    head: 'export function run(input0: number): void {',
    tail: '}',
    hot: (i) => `  const hash${i} = crypto.createHash("md5").update(input${i}).digest("hex");`,
  },
  {
    ext: 'py',
    line: (i) => `    value_${i} = compute(input_${i}, "label ${i}") + offset  # step ${i}`,
    head: 'def run(input_0):',
    tail: '    return None',
    hot: (i) => `    cursor.execute(f"SELECT * FROM users WHERE id = {input_${i}}")`,
  },
  {
    ext: 'go',
    line: (i) => `\tvalue${i} := compute(input${i}, "label ${i}") + offset`,
    head: 'package bench\n\nfunc run(input0 int) {',
    tail: '}',
    hot: () => `\tcfg := &tls.Config{InsecureSkipVerify: true}`,
  },
  {
    ext: 'java',
    line: (i) => `        int value${i} = compute(input${i}, "label ${i}") + offset;`,
    head: 'class Bench {\n    void run(int input0) {',
    tail: '    }\n}',
    hot: (i) => `        Runtime.getRuntime().exec("sh -c " + input${i});`,
  },
  {
    ext: 'rb',
    line: (i) => `  value_${i} = compute(input_${i}, "label ${i}") + offset`,
    head: 'def run(input_0)',
    tail: 'end',
    hot: (i) => `  system("ls #{input_${i}}")`,
  },
  {
    ext: 'php',
    line: (i) => `    $value${i} = compute($input${i}, "label ${i}") + $offset;`,
    head: '<?php\nfunction run($input0) {',
    tail: '}',
    hot: () => `    system($_GET["cmd"]);`,
  },
  {
    ext: 'sh',
    line: (i) => `echo "step ${i}" "$INPUT_${i}" >> "$LOG"`,
    head: '#!/usr/bin/env bash\nset -eu',
    tail: 'exit 0',
    hot: () => `curl -fsSL https://get.example.com/install.sh | sh`,
  },
  {
    ext: 'yml',
    line: (i) => `  key_${i}: "value ${i}"`,
    head: 'settings:',
    tail: 'end: true',
    hot: (i) => `  note_${i}: "plain"`,
  },
];

function fileText(lang, index, linesPerFile) {
  const out = lang.head.split('\n');
  const body = linesPerFile - out.length - lang.tail.split('\n').length;
  for (let i = 1; i <= body; i++) {
    // About one finding per 2,000 lines: a large but mostly clean change.
    out.push((index * linesPerFile + i) % 2003 === 0 ? lang.hot(i) : lang.line(i));
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

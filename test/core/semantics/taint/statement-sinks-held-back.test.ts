import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Language } from '../../../../src/core/rules/schema.js';
import { parseRuleFile } from '../../../../src/core/rules/schema.js';
import { compileRule } from '../../../../src/core/scan/compile.js';
import { taintRuleMatches } from '../../../../src/core/semantics/taint/rules.js';

// Variants written before the taint rules learned sinks that are statements or assignments, not
// calls (PHP's echo, print and include; Ruby's backticks; `el.innerHTML =`, Koa's `ctx.body =`,
// `location.href =`), and kept out of the rules' own tests.

const FILES = ['rules/taint-javascript.yml', 'rules/taint-ruby.yml', 'rules/taint-php.yml'];
const rules = FILES.flatMap((f) => parseRuleFile(f, readFileSync(f, 'utf8')).map((s) => compileRule(s, f)));

interface Variant {
  lang: Language;
  rule: string;
  code: string;
  /** Whether the rule reports it today (false for the negatives below, which must stay quiet). */
  caught: boolean;
}

const VARIANTS: Variant[] = [
  // PHP
  {
    lang: 'php',
    rule: 'php.taint.xss',
    caught: true,
    code: `<?php\nuse Illuminate\\Http\\Request;\n\nclass Greeter {\n  public function show(Request $request) {\n    $who = $request->input('who');\n    echo '<p>Hi ' . $who . '</p>';\n  }\n}\n`,
  },
  { lang: 'php', rule: 'php.taint.xss', caught: true, code: `<?php\n$msg = isset($_POST['msg']) ? $_POST['msg'] : '';\nprint("<div>" . $msg . "</div>");\n` },
  { lang: 'php', rule: 'php.taint.xss', caught: true, code: `<?php\n$q = $_GET['q'];\n?>\n<p>You searched for <?php echo $q; ?></p>\n` },
  { lang: 'php', rule: 'php.taint.code-injection', caught: true, code: `<?php\n$page = $_GET['page'];\ninclude 'pages/' . $page . '.php';\n` },
  { lang: 'php', rule: 'php.taint.code-injection', caught: true, code: `<?php\n$lang = $_COOKIE['lang'];\nrequire_once(__DIR__ . "/lang/$lang.php");\n` },
  { lang: 'php', rule: 'php.taint.xss', caught: false, code: `<?php\necho '<p>' . htmlspecialchars($_GET['q'], ENT_QUOTES, 'UTF-8') . '</p>';\n$n = intval($_GET['n']);\necho "<b>$n</b>";\n` },
  { lang: 'php', rule: 'php.taint.code-injection', caught: false, code: `<?php\n$page = basename($_GET['page']);\ninclude "pages/$page.php";\ninclude 'header.php';\n` },

  // Ruby
  { lang: 'ruby', rule: 'rb.taint.command-injection', caught: true, code: `post '/archive' do\n  %x(tar czf /tmp/backup.tgz #{params['dir']})\nend\n` },
  { lang: 'ruby', rule: 'rb.taint.command-injection', caught: true, code: `class HostsController < ApplicationController\n  def lookup\n    name = params.fetch(:name)\n    render plain: \`dig +short #{name}\`\n  end\nend\n` },
  { lang: 'ruby', rule: 'rb.taint.command-injection', caught: false, code: `class HostsController < ApplicationController\n  def lookup\n    out = \`dig +short #{Shellwords.escape(params[:name])}\`\n    n = \`seq #{params[:n].to_i}\`\n  end\nend\n` },

  // JavaScript
  { lang: 'javascript', rule: 'js.taint.xss', caught: true, code: `const params = new URLSearchParams(location.search);\ndocument.getElementById('out').innerHTML = '<b>' + params.get('m') + '</b>';\n` },
  { lang: 'javascript', rule: 'js.taint.xss', caught: true, code: `router.get('/hello/:name', (ctx) => {\n  ctx.response.body = \`<h1>Hello \${ctx.params.name}</h1>\`;\n});\n` },
  { lang: 'javascript', rule: 'js.taint.open-redirect', caught: true, code: `const next = new URLSearchParams(window.location.search).get('next');\nwindow.location.href = next;\n` },
  { lang: 'javascript', rule: 'js.taint.xss', caught: false, code: `router.get('/s', (ctx) => {\n  ctx.body = { q: ctx.query.q };\n  const el = document.createElement('p');\n  el.textContent = ctx.query.q;\n});\n` },
  { lang: 'javascript', rule: 'js.taint.open-redirect', caught: false, code: `const q = new URLSearchParams(location.search).get('q');\nwindow.location.href = '/search?q=' + encodeURIComponent(q);\n` },
];

describe('held-back variants of statement and assignment sinks', () => {
  it.each(VARIANTS.map((v, i) => ({ ...v, name: `${v.rule} #${i}` })))('$name: caught is $caught', (v) => {
    const lines = v.code.split('\n').map((_, i) => i + 1);
    const { matches, gaveUp } = taintRuleMatches(rules.filter((r) => r.languages?.has(v.lang)), v.lang, v.code, lines);
    expect(gaveUp).toBeNull();
    expect(matches.some((m) => m.ruleId === v.rule)).toBe(v.caught);
  });

  it('are counted', () => {
    const positives = VARIANTS.filter((v) => v.caught).length;
    console.log(`held-back statement/assignment sink variants: ${positives} expected caught, ${VARIANTS.length - positives} expected quiet`);
    expect(positives).toBe(10);
  });
});

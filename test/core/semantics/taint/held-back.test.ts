import { describe, expect, it } from 'vitest';
import { parseRuleFile } from '../../../../src/core/rules/schema.js';
import { compileRule } from '../../../../src/core/scan/compile.js';
import { readFileSync } from 'node:fs';
import { taintRuleMatches } from '../../../../src/core/semantics/taint/rules.js';

// Variants written before the shipped taint rules and kept out of their tests: how many the
// rules catch without being tuned to them is counted, not required to be all.
const rules = parseRuleFile('rules/taint.yml', readFileSync('rules/taint.yml', 'utf8')).map((s) => compileRule(s, 'rules/taint.yml'));

const VARIANTS: { lang: 'javascript' | 'python'; rule: string; code: string }[] = [
  { lang: 'javascript', rule: 'js.taint.command-injection', code: `import * as nodeCp from 'child_process';\nexport async function POST(req) {\n  const body = req.body;\n  nodeCp.execSync(['convert', body.input].join(' '));\n}\n` },
  { lang: 'javascript', rule: 'js.taint.command-injection', code: `const { exec } = require('child_process');\nrouter.post('/run', async (ctx) => {\n  const { script } = ctx.request.body;\n  exec(\`bash -c "\${script}"\`);\n});\n` },
  { lang: 'javascript', rule: 'js.taint.ssrf', code: `const axios = require('axios');\nfunction target(u) { return u.trim(); }\napp.get('/p', async (req, res) => {\n  const resp = await axios.get(target(req.query.u));\n});\n` },
  { lang: 'javascript', rule: 'js.taint.ssrf', code: `fastify.get('/p', async (request, reply) => {\n  const base = request.query.host;\n  const url = new URL('/status', base);\n  return fetch(url);\n});\n` },
  { lang: 'python', rule: 'py.taint.command-injection', code: `import subprocess as sp\nfrom flask import request\ndef run():\n    args = request.values.get('a', '')\n    line = 'grep ' + args.strip()\n    sp.check_output(line, shell=True)\n` },
  { lang: 'python', rule: 'py.taint.ssrf', code: `import urllib.request\nfrom flask import request\ndef fetch():\n    target = "%s/api" % request.args["h"]\n    return urllib.request.urlopen(target).read()\n` },
];

describe('held-back taint variants', () => {
  it('are counted', () => {
    let caught = 0;
    for (const v of VARIANTS) {
      const lines = v.code.split('\n').map((_, i) => i + 1);
      const { matches, gaveUp } = taintRuleMatches(rules, v.lang, v.code, lines);
      expect(gaveUp).toBeNull();
      if (matches.some((m) => m.ruleId === v.rule)) caught++;
    }
    console.log(`held-back taint variants caught: ${caught}/${VARIANTS.length}`);
    expect(new Set(VARIANTS.map((v) => v.rule))).toEqual(new Set(rules.map((r) => r.meta.id)));
  });
});

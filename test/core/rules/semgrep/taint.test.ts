import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../../src/core/rules/catalog.js';
import { parseSemgrepFile } from '../../../../src/core/rules/semgrep/load.js';
import type { ScanData } from '../../../../src/core/rules/types.js';
import { scanChangeSet } from '../../../../src/core/scan/engine.js';
import { changeSetOf, type FakeFile } from '../../../helpers/changeset.js';
import { semgrepLoadError } from '../../../helpers/semgrep.js';

const data: ScanData = { popularNpm: new Map(), popularPypi: new Map() };

/** A one-rule Semgrep taint file around the given lines (already indented by 4). */
function taintFile(body: string, { id = 'org.taint', languages = '[javascript]', extra = '' } = {}): string {
  return `rules:\n  - id: ${id}\n    mode: taint\n    message: Request input reaches something dangerous.\n    severity: ERROR\n    languages: ${languages}\n${extra}${body}`;
}

async function scan(yaml: string, files: FakeFile[]) {
  const catalog = buildCatalog([{ name: 'org.yml', text: yaml, format: 'semgrep' }], []);
  return scanChangeSet(changeSetOf(files), { catalog, data });
}

async function linesFound(yaml: string, files: FakeFile[]): Promise<number[]> {
  const result = await scan(yaml, files);
  expect(result.notReviewed).toEqual([]);
  return result.findings.filter((f) => f.ruleId.startsWith('org.')).map((f) => f.line).sort((a, b) => a - b);
}

const JS_EVAL = `    pattern-sources:
      - pattern: $REQ.query
    pattern-sinks:
      - pattern: eval(...)
      - patterns:
          - pattern: $EL.innerHTML = $V
          - focus-metavariable: $V
    pattern-sanitizers:
      - pattern: escapeHtml(...)
`;

describe('Semgrep taint rules: translation', () => {
  it('finds flows into pattern sinks, through variables and templates, not through sanitizers', async () => {
    const code = [
      "app.get('/', (req, res) => {",
      '  const code = req.query.code;',
      "  eval('x' + code);",
      '  eval(escapeHtml(code));',
      '  const h = req.query.h;',
      '  el.innerHTML = `<b>${h}</b>`;',
      "  eval('1+1');",
      '  el.innerHTML = h.length > 3 ? "long" : "short";',
      '});',
    ].join('\n');
    expect(await linesFound(taintFile(JS_EVAL), [{ path: 'a.js', code }])).toEqual([3, 6]);
  });

  it('marks the focused node of a sink, or every argument of a matched call', async () => {
    const yaml = taintFile(`    pattern-sources:
      - pattern: $REQ.query
    pattern-sinks:
      - patterns:
          - pattern: $DB.query($SQL, ...)
          - focus-metavariable: $SQL
      - pattern: run(...)
`);
    const code = [
      "app.get('/', async (req, res) => {",
      '  const id = req.query.id;',
      "  await db.query('SELECT * FROM t WHERE id = ?', [id]);",
      "  await db.query('SELECT * FROM t WHERE id = ' + id);",
      "  run('fixed', { id });",
      "  run('fixed', 'also fixed');",
      '});',
    ].join('\n');
    expect(await linesFound(yaml, [{ path: 'a.js', code }])).toEqual([4, 5]);
  });

  it('a sanitizer inside a check cleans the value only there, and a plain dotted source resolves imports', async () => {
    const yaml = taintFile(
      `    pattern-sources:
      - pattern: flask.request.args
    pattern-sinks:
      - pattern: redirect(...)
    pattern-sanitizers:
      - patterns:
          - pattern-inside: |
              if is_safe($URL):
                  ...
          - pattern: $URL
`,
      { languages: '[python]' },
    );
    const code = [
      'from flask import request as rq',
      'def go():',
      "    url = rq.args.get('next')",
      '    if is_safe(url):',
      '        return redirect(url)',
      '    return redirect(url)',
    ].join('\n');
    expect(await linesFound(yaml, [{ path: 'a.py', code }])).toEqual([6]);
  });

  it('reports only sinks on added lines, with the path in the message and the flow', async () => {
    const code = ["app.get('/', (req, res) => {", '  const code = req.query.code;', '  eval(code);', '  eval(req.query.other);', '});'].join('\n');
    const result = await scan(taintFile(JS_EVAL), [{ path: 'a.js', code, added: [3] }]);
    expect(result.findings.map((f) => [f.ruleId, f.line])).toEqual([['org.taint', 3]]);
    expect(result.findings[0]!.message).toContain('Path: `req.query` (line 2) → `code` (line 2) → `eval(code)` (line 3)');
  });

  it('a source only inside a same-file helper parameter flows through the helper', async () => {
    const code = [
      'function wrap(s) {',
      "  return '(' + s.trim() + ')';",
      '}',
      "app.get('/', (req, res) => {",
      '  eval(wrap(req.query.code));',
      '});',
    ].join('\n');
    expect(await linesFound(taintFile(JS_EVAL), [{ path: 'a.js', code }])).toEqual([5]);
  });

  it('a plain call sink also matches through aliased imports, with its arity and new/call form', async () => {
    const yaml = taintFile(`    pattern-sources:
      - pattern: $REQ.query
    pattern-sinks:
      - pattern: new Function(...)
      - patterns:
          - pattern: ejs.render($TPL, ...)
          - focus-metavariable: $TPL
      - patterns:
          - pattern: vm.runInThisContext($CODE)
          - focus-metavariable: $CODE
    pattern-sanitizers:
      - pattern: he.encode(...)
`);
    const code = [
      "import { render as draw } from 'ejs';",
      "import { runInThisContext as run } from 'vm';",
      "import { encode as enc } from 'he';",
      "const Fn = Function;",
      "app.get('/', (req, res) => {",
      '  draw(req.query.t, {});',
      "  draw('<p><%= x %></p>', { x: req.query.t });",
      '  draw(enc(req.query.t));',
      '  new Fn(req.query.body);',
      '  Fn(req.query.body);',
      '  run(req.query.code);',
      "  run(req.query.code, 'file.js');",
      '});',
    ].join('\n');
    expect(await linesFound(yaml, [{ path: 'a.js', code }])).toEqual([6, 9, 11]);
  });

  it('a propagator passes taint from its from node into the variable its to node names', async () => {
    const yaml = taintFile(`    pattern-sources:
      - pattern: $REQ.query
    pattern-sinks:
      - pattern: eval(...)
    pattern-propagators:
      - pattern: $TO.push($FROM)
        from: $FROM
        to: $TO
`);
    const code = [
      "app.get('/', (req, res) => {",
      '  const parts = [];',
      '  parts.push(req.query.a);',
      "  eval(parts.join(';'));",
      '  const other = [];',
      "  other.push('1');",
      "  eval(other.join(';'));",
      '});',
      'function later(parts) {',
      "  eval(parts.join(';'));",
      '}',
    ].join('\n');
    expect(await linesFound(yaml, [{ path: 'a.js', code }])).toEqual([4]);
  });

  it('runs on Go through the same front-end layer', async () => {
    const yaml = taintFile(
      `    pattern-sources:
      - pattern: $R.URL.Query()
    pattern-sinks:
      - pattern: exec.Command(...)
`,
      { languages: '[go]' },
    );
    const code = [
      'package main',
      'import "os/exec"',
      'func h(w http.ResponseWriter, r *http.Request) {',
      '\tq := r.URL.Query().Get("c")',
      '\tcmd := "ls " + q',
      '\texec.Command("sh", "-c", cmd).Run()',
      '\texec.Command("ls", "-l").Run()',
      '}',
    ].join('\n');
    expect(await linesFound(yaml, [{ path: 'main.go', code }])).toEqual([6]);
  });

  it('refuses what it cannot translate faithfully, with one line naming file, rule, field and construct', () => {
    const sources = '    pattern-sources:\n      - pattern: $REQ.query\n';
    const sinks = '    pattern-sinks:\n      - pattern: eval(...)\n';
    const cases: [string, string][] = [
      [
        taintFile(`${sources}${sinks}    pattern-propagators:\n      - pattern: $TO.push($FROM)\n        from: $FROM\n        to: $TO\n        replace-labels: [USER]\n`),
        'org.yml: rule org.taint: pattern-propagators[0].replace-labels: replace-labels is not supported',
      ],
      [
        taintFile(`${sources}${sinks}    pattern-propagators:\n      - pattern: $TO.push($FROM)\n        from: $FROM\n`),
        'org.yml: rule org.taint: pattern-propagators[0].to: expected a metavariable like $X',
      ],
      [
        taintFile(`${sources}${sinks}    pattern-propagators:\n      - pattern: $TO.push($FROM)\n        from: $FROM\n        to: $OTHER\n`),
        "org.yml: rule org.taint: pattern-propagators[0].to: $OTHER is not bound by the propagator's pattern",
      ],
      [
        taintFile(`    pattern-sources:\n      - patterns:\n          - pattern: make_tainted($X)\n          - focus-metavariable: $X\n        by-side-effect: true\n${sinks}`),
        'org.yml: rule org.taint: pattern-sources[0].by-side-effect: by-side-effect is not supported (taint by side effect (a call tainting or cleaning a variable for later uses) is not tracked)',
      ],
      [
        taintFile(`${sources}    pattern-sinks:\n      - pattern: eval(...)\n        exact: false\n`),
        "org.yml: rule org.taint: pattern-sinks[0].exact: exact is not supported (the pass always treats a sink call's arguments, or the focused or matched expression, as the sink)",
      ],
      [
        taintFile(`    pattern-sources:\n      - pattern: $REQ.query\n        label: USER\n${sinks}`),
        'org.yml: rule org.taint: pattern-sources[0].label: label is not supported (taint labels are not tracked (every source is one label))',
      ],
      [
        taintFile(`${sources}    pattern-sinks:\n      - pattern: eval(...)\n        requires: USER\n`),
        'org.yml: rule org.taint: pattern-sinks[0].requires: requires is not supported (taint labels are not tracked (every source is one label))',
      ],
      [
        taintFile(`${sources}${sinks}    pattern-sanitizers:\n      - pattern: clean(...)\n        not-conflicting: true\n`),
        'org.yml: rule org.taint: pattern-sanitizers[0].not-conflicting: not-conflicting is not supported (a sanitizer always wins over a source or sink matching the same expression)',
      ],
      [
        taintFile(`${sources}${sinks}    options:\n      taint_assume_safe_functions: true\n`),
        'org.yml: rule org.taint: options.taint_assume_safe_functions: taint_assume_safe_functions is not supported (calls to unknown functions never propagate taint here, a fixed choice)',
      ],
      [
        taintFile(`${sources}${sinks}    options:\n      taint_assume_safe_indexes: true\n`),
        'org.yml: rule org.taint: options.taint_assume_safe_indexes: taint_assume_safe_indexes is not supported (a tainted index does not taint the indexed value here, a fixed choice)',
      ],
      [
        taintFile(`    pattern-sources:\n      - pattern-regex: token=\\w+\n${sinks}`),
        'org.yml: rule org.taint: pattern-sources[0].pattern-regex: pattern-regex is not supported in taint mode (sources, sinks and sanitizers are expressions)',
      ],
      [
        taintFile(`${sources}    pattern-sinks:\n      - patterns:\n          - pattern: eval($X)\n          - metavariable-type:\n              metavariable: $X\n              type: string\n`),
        'org.yml: rule org.taint: pattern-sinks[0].patterns[1].metavariable-type: metavariable-type is not supported (no type information is available)',
      ],
      [taintFile(sinks), 'org.yml: rule org.taint: pattern-sources: expected a non-empty list'],
      [taintFile(sources), 'org.yml: rule org.taint: pattern-sinks: expected a non-empty list'],
      [taintFile(`${sources}${sinks}    pattern: eval(...)\n`), 'org.yml: rule org.taint: pattern: pattern is not allowed in a mode: taint rule (use pattern-sources and pattern-sinks)'],
      [taintFile(`${sources}${sinks}`, { languages: '[yaml]' }), 'org.yml: rule org.taint: languages: taint mode is not supported for yaml (no data-flow front end)'],
      [taintFile(`${sources}${sinks}`, { languages: '[generic]' }), 'org.yml: rule org.taint: languages: taint mode needs a programming language, not generic/regex'],
      [
        taintFile(`${sources}${sinks}`, { extra: '    metadata:\n      defer-to: Not An Id\n' }),
        'org.yml: rule org.taint: metadata.defer-to: expected a list of rule ids',
      ],
      [
        taintFile(`    pattern-sources:\n      - pattern: $REQ.query\n    pattern-sinks:\n      - pattern: eval(\n`),
        'org.yml: rule org.taint: pattern-sinks[0].pattern: does not parse in javascript: syntax error at `eval(`',
      ],
    ];
    for (const [yaml, expected] of cases) expect(semgrepLoadError(yaml)).toBe(expected);
  });

  it('maps metadata.defer-to onto the taint match, so a pattern rule reporting the same line wins', () => {
    const [spec] = parseSemgrepFile('org.yml', taintFile(JS_EVAL, { extra: '    metadata:\n      defer-to: [js.injection.eval]\n' }));
    expect(spec!.match).toMatchObject({ taint: { 'defer-to': ['js.injection.eval'], sources: [] } });
  });
});

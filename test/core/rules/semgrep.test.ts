import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/core/rules/catalog.js';
import { runRuleTests } from '../../../src/core/rules/rule-tests.js';
import { parseAnnotations, parseSemgrepFile, semgrepGlobs } from '../../../src/core/rules/semgrep/load.js';
import type { ScanData } from '../../../src/core/rules/types.js';
import { scanChangeSet } from '../../../src/core/scan/engine.js';
import { changeSetOf, type FakeFile } from '../../helpers/changeset.js';
import { semgrepLoadError } from '../../helpers/semgrep.js';

const data: ScanData = { popularNpm: new Map(), popularPypi: new Map() };

/** A one-rule Semgrep file around the given operator lines (already indented by 4). */
function ruleFile(body: string, { id = 'org.test', languages = '[python]', extra = '' } = {}): string {
  return `rules:\n  - id: ${id}\n    message: Something dangerous happens here.\n    severity: ERROR\n    languages: ${languages}\n${extra}${body}`;
}

async function linesFound(yaml: string, files: FakeFile[]): Promise<number[]> {
  const catalog = buildCatalog([{ name: 'org.yml', text: yaml, format: 'semgrep' }], []);
  const result = await scanChangeSet(changeSetOf(files), { catalog, data });
  expect(result.notReviewed).toEqual([]);
  return result.findings.map((f) => f.line).sort((a, b) => a - b);
}

describe('Semgrep rules: translation', () => {
  it('maps metadata, severity, languages and paths onto a rule', () => {
    const [spec] = parseSemgrepFile(
      'org.yml',
      ruleFile('    pattern: eval(...)\n', {
        languages: '[typescript]',
        extra:
          '    metadata:\n      cwe: ["CWE-95: Improper Neutralization"]\n      category: security\n      references: [https://example.com/x, not-a-url]\n    paths:\n      exclude: [tests, /vendor/]\n',
      }),
    );
    expect(spec).toMatchObject({
      id: 'org.test',
      severity: 'high',
      category: 'security',
      cwe: ['CWE-95'],
      languages: ['typescript', 'tsx'],
      references: ['https://example.com/x'],
      paths: { exclude: ['**/tests', '**/tests/**', 'vendor/**'] },
      match: { ast: { rule: { pattern: 'eval($$$)' } } },
    });
    expect(spec!.title).toBe('Something dangerous happens here.');
  });

  it('reads metadata.confidence as Semgrep writes it (HIGH, MEDIUM, LOW, any case), and leaves it to the default when absent', () => {
    const withConfidence = (value: string) =>
      parseSemgrepFile('org.yml', ruleFile('    pattern: eval(...)\n', { extra: `    metadata:\n      confidence: ${value}\n` }))[0]!.confidence;
    expect(withConfidence('HIGH')).toBe('high');
    expect(withConfidence('MEDIUM')).toBe('medium');
    expect(withConfidence('low')).toBe('low');
    expect(parseSemgrepFile('org.yml', ruleFile('    pattern: eval(...)\n'))[0]!.confidence).toBeUndefined();
    const catalog = buildCatalog([{ name: 'org.yml', text: ruleFile('    pattern: eval(...)\n'), format: 'semgrep' }], []);
    expect(catalog.meta.get('org.test')!.confidence).toBe('high');
    expect(semgrepLoadError(ruleFile('    pattern: eval(...)\n', { extra: '    metadata:\n      confidence: CERTAIN\n' }))).toBe(
      'org.yml: rule org.test: metadata.confidence: expected one of HIGH, MEDIUM, LOW',
    );
    expect(semgrepLoadError(ruleFile('    pattern: eval(...)\n', { extra: '    metadata:\n      confidence: [HIGH]\n' }))).toBe(
      'org.yml: rule org.test: metadata.confidence: expected one of HIGH, MEDIUM, LOW',
    );
  });

  it('translates gitignore-like path patterns', () => {
    expect(semgrepGlobs(['*.py', 'src/app/', '/setup.py'])).toEqual(['**/*.py', '**/*.py/**', 'src/app/**', 'setup.py', 'setup.py/**']);
  });

  it('pattern: ... matches any arguments, $X unifies, $...ARGS binds a sequence', async () => {
    const yaml = ruleFile('    pattern: subprocess.call($CMD, $...REST, shell=True)\n');
    const code = 'subprocess.call(c, shell=True)\nsubprocess.call(c, cwd=d, shell=True)\nsubprocess.call(c)\n';
    expect(await linesFound(yaml, [{ path: 'a.py', code }])).toEqual([1, 2]);
    const trailing = ruleFile('    pattern: f(..., a=True, ...)\n');
    expect(await linesFound(trailing, [{ path: 'a.py', code: 'f(a=True)\nf(x, a=True)\nf(a=True, y)\nf(x, a=True, y)\nf(x)\n' }])).toEqual([1, 2, 3, 4]);
    const same = ruleFile('    pattern: $X == $X\n');
    expect(await linesFound(same, [{ path: 'a.py', code: 'a == a\na == b\n' }])).toEqual([1]);
  });

  it('a string literal matches in either quote style, where the language treats them alike', async () => {
    const yaml = ruleFile('    pattern: open($F, "w")\n');
    expect(await linesFound(yaml, [{ path: 'a.py', code: 'open(p, "w")\nopen(p, \'w\')\nopen(p, "r")\n' }])).toEqual([1, 2]);
  });

  it('"..." matches string literals only, and only in positive patterns', async () => {
    const yaml = ruleFile('    pattern: os.system("...")\n');
    expect(await linesFound(yaml, [{ path: 'a.py', code: 'os.system("ls")\nos.system(cmd)\nos.system(\'id\')\n' }])).toEqual([1, 3]);
    expect(semgrepLoadError(ruleFile('    patterns:\n      - pattern: os.system($X)\n      - pattern-not: os.system("...")\n'))).toBe(
      'org.yml: rule org.test: patterns[1].pattern-not: the string wildcard "..." is only supported in positive patterns',
    );
  });

  it('<... e ...> matches e itself or anything containing it', async () => {
    const yaml = ruleFile('    pattern: eval(<... request.args ...>)\n');
    const code = 'eval(request.args)\neval("x" + request.args.get("a"))\neval(x)\neval(request.form)\n';
    expect(await linesFound(yaml, [{ path: 'a.py', code }])).toEqual([1, 2]);
  });

  it('patterns, pattern-either, pattern-not, pattern-inside, pattern-not-inside', async () => {
    const yaml = ruleFile(`    patterns:
      - pattern-either:
          - pattern: pickle.loads($X)
          - pattern: marshal.loads($X)
      - pattern-not: pickle.loads(TRUSTED)
      - pattern-inside: |
          def $F(...):
              ...
      - pattern-not-inside: |
          with trusted_source():
              ...
`);
    const code = [
      'pickle.loads(data)', // 1: not inside a function
      'def handler(req):',
      '    a = pickle.loads(req.body)', // 3
      '    b = marshal.loads(req.body)', // 4
      '    c = pickle.loads(TRUSTED)', // 5: excluded by pattern-not
      '    with trusted_source():',
      '        pickle.loads(x)', // 7: excluded by pattern-not-inside
      '',
    ].join('\n');
    expect(await linesFound(yaml, [{ path: 'a.py', code }])).toEqual([3, 4]);
  });

  it('pattern-inside accepts the match itself as its context, like Semgrep', async () => {
    const yaml = ruleFile('    patterns:\n      - pattern: yaml.load($X)\n      - pattern-inside: yaml.load(...)\n');
    expect(await linesFound(yaml, [{ path: 'a.py', code: 'yaml.load(x)\n' }])).toEqual([1]);
  });

  it('metavariable-regex is anchored at the start, as in Semgrep', async () => {
    const yaml = ruleFile(`    patterns:
      - pattern: $FN($ARG)
      - metavariable-regex:
          metavariable: $FN
          regex: (exec|eval)
`);
    expect(await linesFound(yaml, [{ path: 'a.py', code: 'exec(a)\neval(b)\nmy_eval(c)\nprint(d)\n' }])).toEqual([1, 2]);
  });

  it('a metavariable-regex in nested patterns filters only that branch, and is refused when the name is shared', async () => {
    const nested = `    pattern-either:
      - pattern: danger($A)
      - patterns:
          - pattern: call($NAME)
          - metavariable-regex: {metavariable: $NAME, regex: bad}
`;
    expect(await linesFound(ruleFile(nested), [{ path: 'a.py', code: 'danger(x)\ncall(bad)\ncall(good)\n' }])).toEqual([1, 2]);
    expect(semgrepLoadError(ruleFile(nested.replace('danger($A)', 'danger($NAME)')))).toBe(
      'org.yml: rule org.test: pattern-either[1].patterns[1].metavariable-regex: $NAME is also used outside the nested patterns that filter it, which ast-grep cannot scope',
    );
  });

  it('metavariable-pattern searches within the bound node', async () => {
    const yaml = ruleFile(`    patterns:
      - pattern: cursor.execute($Q)
      - metavariable-pattern:
          metavariable: $Q
          pattern: $A + $B
`);
    const code = 'cursor.execute("select " + name)\ncursor.execute(f("x" + y))\ncursor.execute("select 1")\n';
    expect(await linesFound(yaml, [{ path: 'a.py', code }])).toEqual([1, 2]);
  });

  it('focus-metavariable reports the bound node, also through the batch search', async () => {
    const yaml = ruleFile(`    patterns:
      - pattern: |
          requests.get($URL,
            verify=False)
      - focus-metavariable: $URL
`);
    const code = 'requests.get(\n    url,\n    verify=False)\n';
    expect(await linesFound(yaml, [{ path: 'a.py', code }])).toEqual([2]);
    // Only line 2 added: the finding is still reported, because the focused node is on it.
    expect(await linesFound(yaml, [{ path: 'a.py', code, added: [2] }])).toEqual([2]);
    expect(await linesFound(yaml, [{ path: 'a.py', code, added: [3] }])).toEqual([]);
  });

  it('PHP code patterns match code, not comments, strings or inline HTML', async () => {
    const yaml = ruleFile(
      `    patterns:
      - pattern: system($CMD)
      - pattern-not: system("ls")
      - pattern-inside: |
          function run($DIR) { ... }
      - metavariable-pattern:
          metavariable: $CMD
          pattern: $A . $B
`,
      { languages: '[php]' },
    );
    const code = [
      '<?php',
      'function run($dir) {',
      '  system("ls " . $dir);', // 3
      '  system("ls");', // 4: a constant (pattern-not)
      '  system($dir);', // 5: no concatenation (metavariable-pattern)
      '  // system("rm " . $dir);', // 6: a comment
      '  $help = \'system("x" . $y)\';', // 7: a string
      '}',
      'system("ls " . $argv[1]);', // 9: outside a function
      '?>',
      '<p>system("a" . $b)</p>', // 11: inline HTML
      '',
    ].join('\n');
    expect(await linesFound(yaml, [{ path: 'a.php', code }])).toEqual([3]);
  });

  it('PHP superglobals are the variables themselves, in each alternative and under pattern-not', async () => {
    const yaml = ruleFile(
      `    patterns:
      - pattern-either:
          - pattern: extract($_GET, ...)
          - pattern: extract($_POST, ...)
      - pattern-not: extract($_POST, EXTR_SKIP)
`,
      { languages: '[php]' },
    );
    const code = '<?php\nextract($_GET);\nextract($_POST, EXTR_OVERWRITE);\nextract($row);\nextract($_COOKIE);\nextract($_POST, EXTR_SKIP);\n';
    expect(await linesFound(yaml, [{ path: 'a.php', code }])).toEqual([2, 3]);
  });

  it('metavariable-comparison compares bound literals, and constants the file binds to a name', async () => {
    const yaml = ruleFile(`    patterns:
      - pattern: gen(bits=$BITS, mode=$MODE)
      - metavariable-comparison:
          comparison: (int($BITS) < 2048 and $MODE != "test") or $BITS == 0x10
`);
    const code = [
      'KEY = 1024',
      'gen(bits=1024, mode="prod")', // 2
      'gen(bits=KEY, mode="prod")', // 3: KEY folds to 1024
      'gen(bits=4096, mode="prod")',
      'gen(bits=1024, mode="test")',
      'gen(bits=16, mode="test")', // 6: 0x10
      'gen(bits=size, mode="prod")', // unknown: not reported
      "gen(bits='512', mode='prod')", // 8: a string that spells an integer
      '',
    ].join('\n');
    expect(await linesFound(yaml, [{ path: 'a.py', code }])).toEqual([2, 3, 6, 8]);
  });

  it('metavariable-comparison outside the subset is refused, naming the field', () => {
    const rule = (comparison: string, extra = '') =>
      ruleFile(`    patterns:\n      - pattern: gen($X)\n      - metavariable-comparison:\n          comparison: ${comparison}\n${extra}`);
    expect(semgrepLoadError(rule('re.match("a", $X)'))).toBe(
      'org.yml: rule org.test: patterns[1].metavariable-comparison.comparison: `re.match` is not supported (only integers, strings, metavariables, int(), str(), comparisons, and, or, not) in `re.match("a", $X)`',
    );
    expect(semgrepLoadError(rule('$X + 1 > 2'))).toBe('org.yml: rule org.test: patterns[1].metavariable-comparison.comparison: unexpected `+ 1 > 2` in `$X + 1 > 2`');
    expect(semgrepLoadError(rule('$Y < 2'))).toBe('org.yml: rule org.test: patterns[1].metavariable-comparison.comparison.metavariable: $Y is never bound by a positive pattern');
    expect(semgrepLoadError(rule('$X < 2', '          base: 8\n'))).toBe(
      'org.yml: rule org.test: patterns[1].metavariable-comparison.base: base is not supported (write the literal in decimal, hex or octal)',
    );
    expect(semgrepLoadError(ruleFile('    pattern-either:\n      - patterns:\n          - pattern: gen($X)\n          - metavariable-comparison: {comparison: $X < 2}\n'))).toBe(
      "org.yml: rule org.test: pattern-either[0].patterns[1].metavariable-comparison: metavariable-comparison is only supported in the rule's top-level patterns",
    );
  });

  it('a Go call with one argument matches, not only the pattern read as a type conversion', async () => {
    const yaml = ruleFile('    pattern: syscall.Umask($MASK)\n', { languages: '[go]' });
    const code = 'package p\n\nfunc f() {\n\tsyscall.Umask(0)\n\told := syscall.Umask(0o22)\n\t_ = old\n\tsyscall.Unlink(0)\n}\n';
    expect(await linesFound(yaml, [{ path: 'a.go', code }])).toEqual([4, 5]);
  });

  it('regex-only rules become line regexes, pattern-not-regex excludes lines', async () => {
    const yaml = ruleFile(
      '    patterns:\n      - pattern-regex: AKIA[0-9A-Z]{16}\n      - pattern-not-regex: EXAMPLE\n',
      { languages: '[generic]' },
    );
    const code = 'key = "AKIAABCDEFGHIJKLMNOP"\nkey = "AKIAIOSFODNN7EXAMPLE"\n';
    expect(await linesFound(yaml, [{ path: 'x.txt', code }])).toEqual([1]);
    const either = ruleFile('    pattern-either:\n      - pattern-regex: foo\n      - pattern-regex: bar\n', { languages: '[regex]' });
    expect(await linesFound(either, [{ path: 'x.cfg', code: 'foo\nbaz\nbar\n' }])).toEqual([1, 3]);
  });

  it('refuses what it cannot translate faithfully, naming file, rule and field', () => {
    const cases: [string, string][] = [
      [ruleFile('    mode: join\n    pattern: x\n'), 'org.yml: rule org.test: mode: join is not supported (search and taint are)'],
      [ruleFile('    pattern-sources: [{pattern: x}]\n    pattern: x\n'), 'org.yml: rule org.test: pattern-sources: pattern-sources needs mode: taint'],
      [ruleFile('    pattern: foo(\n'), 'org.yml: rule org.test: pattern: does not parse in python'],
      // A pattern that would load and never match: PHP framed in `<?php` cannot share one pattern with another language.
      [ruleFile('    pattern: phpinfo(...)\n', { languages: '[php, javascript]' }), 'org.yml: rule org.test: pattern: does not match its own example in php'],
      [ruleFile('    pattern: eval(<... $X ...>)\n'), 'org.yml: rule org.test: pattern: metavariables inside <... e ...> are not supported'],
      [ruleFile('    patterns:\n      - pattern: eval($X)\n      - pattern-not: eval(<... safe ...>)\n'), 'org.yml: rule org.test: patterns[1].pattern-not: the deep expression operator <... e ...> is only supported in positive'],
      [ruleFile('    pattern: eval(<... f( ...>)\n'), 'org.yml: rule org.test: pattern: does not parse in python'],
      [ruleFile('    pattern: |\n      a = 1\n      b = 2\n'), 'org.yml: rule org.test: pattern: does not parse as one python node (a sequence of statements'],
      [
        ruleFile('    patterns:\n      - pattern: f($X)\n      - metavariable-regex: {metavariable: $Y, regex: a}\n'),
        'org.yml: rule org.test: patterns[1].metavariable-regex.metavariable: $Y is never bound by a positive pattern',
      ],
      [
        ruleFile('    patterns:\n      - pattern: f($X)\n      - pattern-not: g($Y)\n      - focus-metavariable: $Y\n'),
        'org.yml: rule org.test: patterns[2].focus-metavariable.metavariable: $Y is never bound',
      ],
      [
        ruleFile('    patterns:\n      - pattern: f($X)\n      - metavariable-comparison: {metavariable: $X, comparison: $X > 1, strip: yes please}\n'),
        'org.yml: rule org.test: patterns[1].metavariable-comparison.strip: expected true or false',
      ],
      [ruleFile('    patterns:\n      - pattern: f($X)\n      - pattern-regex: secret\n'), 'org.yml: rule org.test: patterns[1].pattern-regex: mixing regexes'],
      [ruleFile('    pattern-regex: "a\\\\nb"\n', { languages: '[generic]' }), 'org.yml: rule org.test: pattern-regex: a regex that matches across lines'],
      [ruleFile('    pattern-regex: "(?<=a)b"\n', { languages: '[generic]' }), 'org.yml: rule org.test: pattern-regex: not a valid RE2 pattern'],
      [ruleFile('    pattern: f(..., $X)\n'), 'org.yml: rule org.test: pattern: an ellipsis followed by an element with a metavariable'],
      [ruleFile('    pattern: open("=~/passwd/")\n'), 'org.yml: rule org.test: pattern: the string regex "=~/.../" is not supported'],
      [ruleFile('    pattern: exec((String $CMD))\n', { languages: '[java]' }), 'org.yml: rule org.test: pattern: typed metavariables'],
      [
        ruleFile('    patterns:\n      - pattern: f($X)\n      - metavariable-pattern: {metavariable: $X, pattern: g("...")}\n'),
        'org.yml: rule org.test: patterns[1].metavariable-pattern.pattern: the string wildcard "..." is not supported inside metavariable-pattern',
      ],
      [ruleFile('    pattern: def test_$T(x)\n'), 'org.yml: rule org.test: pattern: a metavariable inside an identifier'],
      [ruleFile('    pattern: f(x)\n', { languages: '[cobol]' }), 'org.yml: rule org.test: languages: cobol is not supported'],
      [ruleFile('    pattern: f(x)\n', { id: 'Org_Rule' }), 'org.yml: rule Org_Rule: id: must be lowercase'],
      [ruleFile('    pattern: f(x)\n    options: {symbolic_propagation: true}\n'), 'org.yml: rule org.test: options: options is not supported'],
      [ruleFile('    pattern: f(x)\n    pattern-either: [{pattern: g(x)}]\n'), 'org.yml: rule org.test: (rule): expected exactly one of'],
      [ruleFile('    pattern: f(x)\n', { languages: '[generic]' }), 'org.yml: rule org.test: pattern: an AST pattern needs a language'],
      [ruleFile('    match: {pattern: f(x)}\n'), 'org.yml: rule org.test: match: the newer match: syntax is not supported'],
      [ruleFile('    pattern: f(x)\n').replace('ERROR', 'FATAL'), 'org.yml: rule org.test: severity: expected one of'],
      ['rules:\n  - message: x\n', 'org.yml: rule #1: id: required'],
      ['rules: {a: 1}\n', 'org.yml: expected a top-level "rules:" list'],
      [ruleFile('    patterns: [{pattern: f($X), pattern-not: g($X)}]\n'), 'org.yml: rule org.test: patterns[0]: expected exactly one operator'],
      [ruleFile('    patterns: 3\n'), 'org.yml: rule org.test: patterns: expected a non-empty list'],
      [
        ruleFile('    patterns:\n      - pattern: system($X)\n      - pattern-inside: function $F(...) { ... }\n', { languages: '[php]' }),
        'org.yml: rule org.test: patterns[1].pattern-inside: a metavariable as a PHP function or class name is not supported (ast-grep cannot parse it)',
      ],
      [
        ruleFile('    patterns:\n      - pattern: extract($X)\n      - metavariable-pattern: {metavariable: $X, pattern: $_GET}\n', { languages: '[php]' }),
        'org.yml: rule org.test: patterns[1].metavariable-pattern.pattern: a PHP superglobal ($_GET …) is not supported inside metavariable-pattern',
      ],
    ];
    for (const [yaml, start] of cases) expect(semgrepLoadError(yaml).startsWith(start), `${semgrepLoadError(yaml)}\n  should start with ${start}`).toBe(true);
  });

  it('checks patterns in every listed language', () => {
    expect(semgrepLoadError(ruleFile('    pattern: defer $F()\n', { languages: '[go, python]' }))).toMatch(/^org\.yml: rule org\.test: pattern: does not parse in python/);
  });
});

describe('Semgrep rules: annotated test files', () => {
  it('an annotation alone on its line marks the next code line; a trailing one its own line', () => {
    const { expected, mentioned } = parseAnnotations('# ruleid: a, b\n# ok: c\nx()\ny()  # ruleid: c\n// ok: d\nz()\n');
    expect(Object.fromEntries(expected)).toEqual({ a: [3], b: [3], c: [4] });
    expect([...mentioned].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  const yaml = ruleFile('    pattern: eval($X)\n', { languages: '[javascript]' });
  const run = async (test: string) => {
    const catalog = buildCatalog(
      [{ name: 'org.yml', text: yaml, format: 'semgrep', companions: [{ name: 'dir/org.js', text: test }, { name: 'dir/org.py', text: '# ruleid: org.test\nx\n' }] }],
      [],
    );
    return runRuleTests(catalog, data);
  };

  it('passes when the reported lines are exactly the ruleid lines', async () => {
    const report = await run('// ruleid: org.test\neval(a)\n// ok: org.test\nevaluate(a)\n');
    expect(report.failures).toEqual([]);
    expect(report.cases).toBe(1);
  });

  it('fails on a ruleid line that is not reported and on an ok line that is', async () => {
    const missed = await run('// ruleid: org.test\nevaluate(a)\n// ruleid: org.test\neval(b)\n');
    expect(missed.failures.map((f) => f.problem)).toEqual(['expected line(s) 2, 4, got 4']);
    const extra = await run('// ruleid: org.test\neval(a)\n// ok: org.test\neval(b)\n');
    expect(extra.failures.map((f) => f.problem)).toEqual(['expected line(s) 2, got 2, 4']);
    const onlyOk = await run('// ok: org.test\neval(b)\n');
    expect(onlyOk.failures.map((f) => f.problem)).toEqual(['expected no finding, got 1 on line(s) 2']);
  });
});

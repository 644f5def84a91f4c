import { describe, expect, it } from 'vitest';
import { ciTestsAnalyzer } from '../../../../src/core/analyzers/safety-nets/ci-tests.js';
import { testsAnalyzer } from '../../../../src/core/analyzers/safety-nets/tests.js';
import type { Analyzer, RawFinding } from '../../../../src/core/rules/types.js';
import { describeAnalyzerRules, runAnalyzer, type AnalyzerCase } from '../../../helpers/analyzers.js';

const run = (analyzer: Analyzer, c: AnalyzerCase): RawFinding[] => runAnalyzer(analyzer, c, { partialStatus: 'modified' });
const ids = (found: RawFinding[]) => found.map((f) => f.ruleId);
const SWALLOWED = 'safety-net.assertion-swallowed';

describeAnalyzerRules(ciTestsAnalyzer, { partialStatus: 'modified' });

describe('assertions wrapped in a try that swallows their failure', () => {
  const js: Array<[string, string]> = [
    ['empty catch', "it('a', () => {\n  try { expect(a).toBe(1); } catch (e) {}\n});\n"],
    ['catch without binding, comment only', "it('a', () => {\n  try {\n    expect(x).toEqual(y);\n  } catch {\n    // flaky on CI\n  }\n});\n"],
    ['node assert, catch logs', "it('a', () => {\n  try {\n    assert.equal(a, b);\n  } catch (err) {\n    console.log(err);\n  }\n});\n"],
    ['catch warns and returns', "test('s', async () => {\n  try {\n    expect(res.status).toBe(200)\n  } catch (e) {\n    console.warn('ignored', e)\n    return\n  }\n})\n"],
  ];
  for (const [name, code] of js) {
    it(`flags JS/TS: ${name}`, () => {
      const found = run(testsAnalyzer, { path: 'test/a.test.js', code });
      expect(ids(found)).toContain(SWALLOWED);
      expect(found.find((f) => f.ruleId === SWALLOWED)!.message).toMatch(/can no longer fail/);
    });
  }
  const py: Array<[string, string]> = [
    ['except AssertionError: pass', 'def test_a():\n    try:\n        assert f() == 1\n    except AssertionError:\n        pass\n'],
    ['unittest assertEqual, except Exception: pass', 'class T(unittest.TestCase):\n    def test_a(self):\n        try:\n            self.assertEqual(a, b)\n        except Exception:\n            pass\n'],
    ['bare except that prints', 'def test_b():\n    try:\n        assert x\n    except:\n        print("failed")\n'],
    ['except BaseException on one line', 'def test_c():\n    try:\n        assert g()\n    except BaseException: pass\n'],
  ];
  for (const [name, code] of py) {
    it(`flags Python: ${name}`, () => {
      expect(ids(run(testsAnalyzer, { path: 'tests/test_a.py', code }))).toContain(SWALLOWED);
    });
  }
  it('flags JUnit catching AssertionError or Throwable', () => {
    const j1 = '@Test\nvoid a() {\n  try { assertEquals(1, f()); } catch (AssertionError e) { }\n}\n';
    const j2 = '@Test\nvoid b() {\n  try {\n    assertThat(x).isTrue();\n  } catch (Throwable t) {\n    log.warn("x", t);\n  }\n}\n';
    expect(ids(run(testsAnalyzer, { path: 'src/test/java/ATest.java', code: j1 }))).toContain(SWALLOWED);
    expect(ids(run(testsAnalyzer, { path: 'src/test/java/ATest.java', code: j2 }))).toContain(SWALLOWED);
  });

  const quiet: Array<[string, string, string]> = [
    ['catch asserts the error', 'test/a.test.js', "it('a', () => {\n  try {\n    fn();\n    fail('should throw');\n  } catch (e) {\n    expect(e.message).toMatch(/bad/);\n  }\n});\n"],
    ['catch rethrows with context', 'test/a.test.js', "it('a', () => {\n  try {\n    expect(a).toBe(1);\n  } catch (e) {\n    throw new Error(`context: ${e}`);\n  }\n});\n"],
    ['mocha done(err)', 'test/a.test.js', "it('a', (done) => {\n  try {\n    expect(x).toBe(1);\n    done();\n  } catch (e) {\n    done(e);\n  }\n});\n"],
    ['try without assertions', 'test/a.test.js', "afterEach(() => {\n  try {\n    fs.rmSync(dir, { recursive: true });\n  } catch {}\n});\n"],
    ['pytest.raises', 'tests/test_a.py', 'def test_a():\n    with pytest.raises(ValueError):\n        f()\n'],
    ['except AssertionError then pytest.fail', 'tests/test_a.py', 'def test_a():\n    try:\n        assert f()\n    except AssertionError:\n        pytest.fail("f broke")\n'],
    ['except a specific error, asserting on it', 'tests/test_a.py', 'def test_a():\n    try:\n        f()\n    except ValueError as e:\n        assert "bad" in str(e)\n'],
    ['except AssertionError: raise', 'tests/test_a.py', 'def test_a():\n    try:\n        assert f()\n    except AssertionError:\n        log()\n        raise\n'],
    ['assert False in the handler', 'tests/test_a.py', 'def test_a():\n    try:\n        assert f()\n    except Exception as e:\n        assert False, e\n'],
    ['Python except of a specific error around an assert', 'tests/test_a.py', 'def test_a():\n    try:\n        assert load() == 1\n    except FileNotFoundError:\n        pytest.skip("no fixture")\n'],
    ['JUnit catch of a specific exception', 'src/test/java/ATest.java', '@Test\nvoid a() {\n  try {\n    assertEquals(1, f());\n  } catch (IOException e) {\n  }\n}\n'],
    ['not a test file', 'src/util.js', 'function check(x) {\n  try { assert(x); } catch (e) {}\n}\n'],
  ];
  for (const [name, path, code] of quiet) {
    it(`stays quiet: ${name}`, () => {
      expect(ids(run(testsAnalyzer, { path, code }))).not.toContain(SWALLOWED);
    });
  }
  it('flags only when the change adds the try or the catch', () => {
    const base = "it('a', () => {\n  try {\n    expect(a).toBe(1);\n  } catch (e) {}\n});\n";
    const code = "it('a', () => {\n  try {\n    expect(a).toBe(2);\n  } catch (e) {}\n});\n";
    expect(ids(run(testsAnalyzer, { path: 'test/a.test.js', base, code }))).not.toContain(SWALLOWED);
    const wrapped = "it('a', () => {\n  try {\n    expect(a).toBe(1);\n  } catch (e) {}\n});\n";
    expect(ids(run(testsAnalyzer, { path: 'test/a.test.js', base: "it('a', () => {\n  expect(a).toBe(1);\n});\n", code: wrapped }))).toContain(SWALLOWED);
  });
});

const wf = (...steps: string[]) => `name: CI\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n${steps.join('\n')}\n`;
const ci = (base: string, code: string) => ids(run(ciTestsAnalyzer, { path: '.github/workflows/ci.yml', base, code }));

describe('CI test steps and jobs removed or disabled', () => {
  it('flags a deleted test job, a deleted test step and a job or step turned off', () => {
    const twoJobs = `${wf('      - run: npm run lint')}  unit:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm ci\n      - run: npm test\n`;
    expect(ci(twoJobs, wf('      - run: npm run lint'))).toEqual(['safety-net.ci-test-removed']);
    expect(ci(wf('      - name: Run tests', '        run: pytest -q', '      - run: echo done'), wf('      - run: echo done'))).toEqual(['safety-net.ci-test-removed']);
    expect(ci(wf('      - run: cargo build', '      - run: cargo test --all'), wf('      - run: cargo build'))).toEqual(['safety-net.ci-test-removed']);
    expect(ci(wf('      - run: npm test'), wf('      - if: false', '        run: npm test'))).toEqual(['safety-net.ci-test-disabled']);
    expect(ci(wf('      - run: npm test'), wf('      - run: npm test').replace('    runs-on', '    if: false\n    runs-on'))).toEqual(['safety-net.ci-test-disabled']);
  });
  it('flags a test command replaced by a no-op', () => {
    expect(ci(wf('      - name: Test', '        run: npm test'), wf('      - name: Test', '        run: echo "tests skipped for now"'))).toEqual(['safety-net.ci-test-disabled']);
    expect(ci(wf('      - name: Go tests', '        run: go test ./...'), wf('      - name: Go tests', '        run: "true"'))).toEqual(['safety-net.ci-test-disabled']);
  });
  it('stays quiet on renames, moves, matrix changes and non-test steps', () => {
    const base = wf('      - run: npm ci', '      - run: npm test');
    expect(ci(base, base.replace('  test:', '  unit-tests:'))).toEqual([]);
    expect(ci(base, `${wf('      - run: npm ci')}  other:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n`)).toEqual([]);
    expect(ci(wf('      - run: npm run build', '      - run: npm test'), wf('      - run: npm test'))).toEqual([]);
    expect(ci(wf('      - run: npm ci', '      - run: npm test'), wf('      - run: npm test'))).toEqual([]);
    expect(ci(base, wf('      - run: npm ci', '      - run: npm test -- --coverage'))).toEqual([]);
    expect(ci(base, base.replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        node: [20, 22]'))).toEqual([]);
    expect(ci(base, wf('      - run: npm ci', '      - if: github.event_name == \'push\'', '        run: npm test'))).toEqual([]);
  });
  it('stays quiet when a test step moves to another workflow of the change, or its command is edited', () => {
    const base = wf('      - run: npm run lint', '      - name: Test docs', '        run: pnpm run test-docs');
    const related = new Map([['.github/workflows/docs.yml', wf('      - run: pnpm run test-docs')]]);
    const input = { path: '.github/workflows/ci.yml', base, code: wf('      - run: npm run lint') };
    expect(ids(run(ciTestsAnalyzer, input))).toEqual(['safety-net.ci-test-removed']);
    expect(ids(runAnalyzer(ciTestsAnalyzer, input, { partialStatus: 'modified', related }))).toEqual([]);
    expect(ci(wf('      - name: Test', '        run: uv run bash scripts/test.sh'), wf('      - name: Test', '        run: uv run bash scripts/coverage.sh'))).toEqual([]);
    expect(ci(wf('      - run: bash scripts/test.sh'), wf('      - run: bash scripts/test-cov.sh'))).toEqual([]);
  });
  it('reports a workflow it cannot parse at the base in one line, and keeps quiet', () => {
    expect(ci('jobs: [\n', wf('      - run: npm test'))).toEqual([]);
  });
});

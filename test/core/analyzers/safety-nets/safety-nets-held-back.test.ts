// Variants of weakened safety nets written apart from the analyzers' own cases and not tuned
// against: the figures printed here are what the analyzers catch of shapes they were not shown.
import { describe, expect, it } from 'vitest';
import { controlsAnalyzer } from '../../../../src/core/analyzers/safety-nets/controls.js';
import { scannersAnalyzer } from '../../../../src/core/analyzers/safety-nets/scanners.js';
import { testsAnalyzer } from '../../../../src/core/analyzers/safety-nets/tests.js';
import type { Analyzer } from '../../../../src/core/rules/types.js';
import { runAnalyzer, type AnalyzerCase } from '../../../helpers/analyzers.js';

interface Variant extends AnalyzerCase {
  analyzer: Analyzer;
  name: string;
}

const positives: Variant[] = [
  { analyzer: testsAnalyzer, name: 'vitest test.only removed sibling', path: 'src/a.spec.ts', base: "test('x', () => {\n  expect(f()).toBe(1);\n});\ntest('y', () => {\n  expect(g()).toBe(2);\n});\n", code: "test('x', () => {\n  expect(f()).toBe(1);\n});\n" },
  { analyzer: testsAnalyzer, name: 'pytest method removed from a class', path: 'tests/test_api.py', base: 'class TestApi:\n    def test_get(self):\n        assert get() == 200\n\n    def test_post(self):\n        assert post() == 201\n', code: 'class TestApi:\n    def test_get(self):\n        assert get() == 200\n' },
  { analyzer: testsAnalyzer, name: 'go test body emptied', path: 'pkg/x_test.go', base: 'func TestX(t *testing.T) {\n\tif X() != 1 {\n\t\tt.Errorf("bad")\n\t}\n}\n', code: 'func TestX(t *testing.T) {\n\tX()\n}\n' },
  { analyzer: testsAnalyzer, name: 'chai tautology', path: 'test/a.test.js', code: "it('ok', () => {\n  expect(true).to.be.true;\n});\n" },
  { analyzer: testsAnalyzer, name: 'assert 1 == 1', path: 'tests/test_b.py', code: 'def test_b():\n    assert 1 == 1\n' },
  { analyzer: testsAnalyzer, name: 'testify assert.True(t, true)', path: 'a/b_test.go', code: 'func TestB(t *testing.T) {\n\tassert.True(t, true)\n}\n' },
  { analyzer: testsAnalyzer, name: 'nyc check-coverage lines lowered', path: '.nycrc', base: '{\n  "check-coverage": true,\n  "lines": 90\n}\n', code: '{\n  "check-coverage": true,\n  "lines": 50\n}\n' },
  { analyzer: testsAnalyzer, name: 'pytest --cov-fail-under lowered in pytest.ini', path: 'pytest.ini', base: '[pytest]\naddopts = --cov=app --cov-fail-under=90\n', code: '[pytest]\naddopts = --cov=app --cov-fail-under=40\n' },
  { analyzer: testsAnalyzer, name: 'codecov target lowered', path: 'codecov.yml', base: 'coverage:\n  status:\n    project:\n      default:\n        target: 85%\n', code: 'coverage:\n  status:\n    project:\n      default:\n        target: 60%\n' },
  { analyzer: controlsAnalyzer, name: 'Express router.use auth removed', path: 'server/routes/admin.ts', base: "router.post('/users', authenticate, createUser);\n", code: "router.post('/users', createUser);\n" },
  { analyzer: controlsAnalyzer, name: 'Django permission_required removed', path: 'shop/views.py', base: "@permission_required('shop.change_order')\ndef edit(request, pk):\n    pass\n", code: 'def edit(request, pk):\n    pass\n' },
  { analyzer: controlsAnalyzer, name: 'Spring @Secured removed', path: 'src/main/java/x/OrderController.java', base: 'class C {\n  @Secured("ROLE_ADMIN")\n  @DeleteMapping("/orders/{id}")\n  void del() {}\n}\n', code: 'class C {\n  @DeleteMapping("/orders/{id}")\n  void del() {}\n}\n' },
  { analyzer: controlsAnalyzer, name: 'process.env["BYPASS_AUTH"] ternary', path: 'src/mw.ts', code: "const check = process.env['BYPASS_AUTH'] === 'true' ? noop : verifyJwt;\n" },
  { analyzer: controlsAnalyzer, name: 'Flask-WTF CSRF off in config dict', path: 'app/settings.py', code: 'app.config["WTF_CSRF_ENABLED"] = False\n' },
  { analyzer: controlsAnalyzer, name: 'express-session secure false', path: 'src/app.js', code: 'app.use(session({ secret: s, cookie: { secure: false } }));\n' },
  { analyzer: controlsAnalyzer, name: 'gin cors AllowAllOrigins', path: 'cmd/api/main.go', code: 'config := cors.Config{AllowAllOrigins: true, AllowCredentials: true}\n' },
  { analyzer: scannersAnalyzer, name: 'golangci gosec excludes', path: '.golangci.yml', code: 'linters-settings:\n  gosec:\n    excludes:\n      - G204\n' },
  { analyzer: scannersAnalyzer, name: 'flat eslint config security rule 0', path: 'eslint.config.js', code: "export default [{ rules: { 'security/detect-non-literal-fs-filename': 0 } }];\n" },
  { analyzer: scannersAnalyzer, name: 'bandit dropped from requirements-dev', path: 'requirements-dev.txt', base: 'pytest==8.0\n"bandit"\n', code: 'pytest==8.0\n' },
  { analyzer: scannersAnalyzer, name: 'CODEOWNERS auth entry removed', path: 'docs/CODEOWNERS', base: '*.py @team\nsrc/security/ @sec\n', code: '*.py @team\n' },
];

const negatives: Variant[] = [
  { analyzer: testsAnalyzer, name: 'test renamed', path: 'test/a.test.ts', base: "it('works', () => {\n  expect(a()).toBe(1);\n});\n", code: "it('returns one', () => {\n  expect(a()).toBe(1);\n});\n" },
  { analyzer: testsAnalyzer, name: 'assertion rewritten', path: 'tests/test_a.py', base: 'def test_a():\n    assert a() == 1\n', code: 'def test_a():\n    assert a() == 2, "changed"\n' },
  { analyzer: testsAnalyzer, name: 'threshold raised', path: 'jest.config.ts', base: 'export default { coverageThreshold: { global: { lines: 80 } } };\n', code: 'export default { coverageThreshold: { global: { lines: 85 } } };\n' },
  { analyzer: testsAnalyzer, name: 'expect(value).toBe(true)', path: 'test/b.test.ts', code: 'expect(isValid(x)).toBe(true);\n' },
  { analyzer: controlsAnalyzer, name: 'decorator kept, body edited', path: 'app/views.py', base: '@login_required\ndef a(r):\n    return 1\n', code: '@login_required\ndef a(r):\n    return 2\n' },
  { analyzer: controlsAnalyzer, name: 'env var for auth URL', path: 'src/config.ts', code: 'export const authUrl = process.env.AUTH_URL ?? "https://id.example.com";\n' },
  { analyzer: controlsAnalyzer, name: 'secure true cookie', path: 'src/app.ts', code: 'res.cookie("sid", v, { httpOnly: true, secure: true });\n' },
  { analyzer: controlsAnalyzer, name: 'DEBUG True in dev settings', path: 'config/settings/dev.py', code: 'DEBUG = True\n' },
  { analyzer: controlsAnalyzer, name: 'public health route in new file', path: 'src/main/java/x/Sec.java', code: 'a.requestMatchers("/actuator/health").permitAll();\n' },
  { analyzer: scannersAnalyzer, name: 'eslint security rule raised to error', path: '.eslintrc.js', code: "module.exports = { rules: { 'security/detect-eval-with-expression': 'error' } };\n" },
  { analyzer: scannersAnalyzer, name: 'CODEOWNERS docs entry removed', path: 'CODEOWNERS', base: '/docs/ @writers\n* @dev\n', code: '* @dev\n' },
  { analyzer: scannersAnalyzer, name: 'nosemgrep with rule id', path: 'src/x.py', code: 'subprocess.run(cmd, shell=True)  # nosemgrep: python.lang.security.audit.subprocess-shell-true\n' },
];

const fires = (v: Variant) => runAnalyzer(v.analyzer, v).length > 0;

describe('held-back safety-net variants', () => {
  it('catches most of the positives and stays quiet on the negatives (figures printed)', () => {
    const missed = positives.filter((v) => !fires(v)).map((v) => v.name);
    const noisy = negatives.filter((v) => fires(v)).map((v) => v.name);
    console.log(`held-back: caught ${positives.length - missed.length} of ${positives.length}; missed: ${missed.join('; ') || 'none'}`);
    console.log(`held-back negatives: ${negatives.length - noisy.length} of ${negatives.length} quiet; noisy: ${noisy.join('; ') || 'none'}`);
    expect(noisy).toEqual([]);
    expect(positives.length - missed.length).toBeGreaterThanOrEqual(Math.ceil(positives.length * 0.7));
  });
});

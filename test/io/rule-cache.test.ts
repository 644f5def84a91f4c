import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/core/rules/catalog.js';
import { withCachedParses, writeRuleCache } from '../../src/io/rule-cache.js';
import { readRuleSources } from '../../src/io/rules-dir.js';

const RULE = (message: string) => `rules:
  - id: generic.test.example
    title: Example rule
    severity: low
    category: test
    cwe: [CWE-20]
    message: ${message}
    match: { regex: 'example' }
    tests:
      valid: [{ code: "x" }]
      invalid: [{ code: "example" }]
`;

describe('rule cache', () => {
  it('serves parses only for files whose text is unchanged', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'airlock-cache-')), 'cache.json');
    await writeRuleCache([{ name: 'rules/a.yml', text: RULE('The cached message text.') }], file);
    const [same] = await withCachedParses([{ name: 'rules/a.yml', text: RULE('The cached message text.') }], file);
    expect(same!.parsed?.[0]?.message).toBe('The cached message text.');
    const [edited] = await withCachedParses([{ name: 'rules/a.yml', text: RULE('An edited message text.') }], file);
    expect(edited!.parsed).toBeUndefined();
  });

  it('keys a Semgrep rule file by its test files too, since its tests come from them', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'airlock-cache-')), 'cache.json');
    const text = 'rules:\n  - id: org.eval\n    message: eval runs code.\n    severity: ERROR\n    languages: [javascript]\n    pattern: eval($X)\n';
    const source = (test: string) => ({ name: 'rules/semgrep/a.yml', text, format: 'semgrep' as const, companions: [{ name: 'rules/semgrep/a.js', text: test }] });
    await writeRuleCache([source('// ruleid: org.eval\neval(a)\n')], file);
    const [same] = await withCachedParses([source('// ruleid: org.eval\neval(a)\n')], file);
    expect(same!.parsed?.[0]?.tests.invalid[0]?.lines).toEqual([2]);
    const [edited] = await withCachedParses([source('// ok: org.eval\neval(a)\n')], file);
    expect(edited!.parsed).toBeUndefined();
  });

  it('is ignored when missing or corrupt, and refuses to cache an invalid rule file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-cache-'));
    const [plain] = await withCachedParses([{ name: 'rules/a.yml', text: RULE('x') }], join(dir, 'missing.json'));
    expect(plain!.parsed).toBeUndefined();
    await expect(writeRuleCache([{ name: 'rules/bad.yml', text: 'rules: 3\n' }], join(dir, 'c.json'))).rejects.toThrow(/^rules\/bad\.yml: /);
  });

  it('refuses to cache an AST rule ast-grep cannot run, since cached rules are not checked again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-cache-'));
    const text = RULE('A message that is long enough.').replace("match: { regex: 'example' }", 'languages: [javascript]\n    match: { ast: { rule: { kind: no_such_kind } } }');
    await expect(writeRuleCache([{ name: 'rules/ast.yml', text }], join(dir, 'c.json'))).rejects.toThrow(
      /^rules\/ast\.yml: rule generic\.test\.example: match\.ast \(javascript\): /,
    );
  });

  it('is ignored when it was built with another ast-grep version', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'airlock-cache-')), 'cache.json');
    await writeRuleCache([{ name: 'rules/a.yml', text: RULE('A message that is long enough.') }], file);
    const cache = JSON.parse(readFileSync(file, 'utf8')) as { engine: string };
    writeFileSync(file, JSON.stringify({ ...cache, engine: '0.0.1' }));
    const [plain] = await withCachedParses([{ name: 'rules/a.yml', text: RULE('A message that is long enough.') }], file);
    expect(plain!.parsed).toBeUndefined();
  });

  it('gives the shipped rules exactly as parsing and compiling them does', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'airlock-cache-')), 'cache.json');
    const sources = await readRuleSources();
    await writeRuleCache(sources, file);
    const cached = buildCatalog(await withCachedParses(sources, file), []);
    const fresh = buildCatalog(sources, []);
    expect(cached.rules.every((r, i) => r.meta.id === fresh.rules[i]!.meta.id)).toBe(true);
    const shape = (c: typeof fresh) => c.rules.map((r) => ({ id: r.meta.id, match: r.match.kind === 'ast' ? { config: r.match.config, required: r.match.required } : r.match.kind }));
    expect(shape(cached)).toEqual(shape(fresh));
    expect(cached.rules.filter((r) => r.match.kind === 'ast' && r.match.required.length > 0).length).toBeGreaterThan(100);
  });
});

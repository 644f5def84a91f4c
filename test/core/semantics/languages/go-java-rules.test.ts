import { describe, expect, it } from 'vitest';
import { scanChangeSet } from '../../../../src/core/scan/engine.js';
import { loadShippedCatalog } from '../../../../src/io/rules-dir.js';
import { loadScanData } from '../../../../src/io/scan-data.js';
import { changeSetOf } from '../../../helpers/changeset.js';

// The shipped Go and Java call rules in the real engine: one finding per hidden call, with what
// it resolves to and the decoded argument, and none from the semantic rules for plain calls.

const catalog = await loadShippedCatalog();
const data = await loadScanData();

async function semanticFindings(path: string, code: string): Promise<{ ruleId: string; line: number; message: string }[]> {
  const result = await scanChangeSet(changeSetOf([{ path, code }]), { catalog, data });
  expect(result.notReviewed).toEqual([]);
  return result.findings.filter((f) => f.ruleId.includes('.obfuscation.hidden-'));
}

describe('Go and Java call rules', () => {
  it('Go: a function value of exec.Command, with the decoded command', async () => {
    const code = 'package main\n\nimport "os/exec"\n\nfunc f() {\n\trun := exec.Command\n\trun(string([]byte{115, 104}), "-c", "id")\n}\n';
    const found = await semanticFindings('main.go', code);
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([['go.obfuscation.hidden-command-execution', 7]]);
    expect(found[0]!.message).toContain('Resolves to: exec.Command.');
    expect(found[0]!.message).toContain('The argument decodes to: sh');
  });

  it('Go: a plain exec.Command call is left to the pattern rules', async () => {
    const code = 'package main\n\nimport ex "os/exec"\n\nfunc f(c string) {\n\tex.Command(c)\n}\n';
    expect(await semanticFindings('main.go', code)).toEqual([]);
  });

  it('Java: reflection with a base64 class name, with the decoded command', async () => {
    const code =
      'import java.util.Base64;\nclass A {\n  void f() throws Exception {\n    Class<?> c = Class.forName(new String(Base64.getDecoder().decode("amF2YS5sYW5nLlJ1bnRpbWU=")));\n    c.getMethod("exec", String.class).invoke(c.getMethod("getRuntime").invoke(null), "c" + "alc");\n  }\n}\n';
    const found = await semanticFindings('A.java', code);
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([['java.obfuscation.hidden-command-execution', 5]]);
    expect(found[0]!.message).toContain('Resolves to: java.lang.Runtime.exec.');
    expect(found[0]!.message).toContain('The argument decodes to: calc');
  });

  it('Java: a plain Runtime.exec call is left to the pattern rules', async () => {
    const code = 'class A {\n  void f(String c) throws Exception {\n    Runtime.getRuntime().exec(c);\n  }\n}\n';
    expect(await semanticFindings('A.java', code)).toEqual([]);
  });
});

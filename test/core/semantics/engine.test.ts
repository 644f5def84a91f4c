import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/core/rules/catalog.js';
import type { ScanData } from '../../../src/core/rules/types.js';
import { scanChangeSet } from '../../../src/core/scan/engine.js';
import { changeSetOf } from '../../helpers/changeset.js';

// Call rules run inside the real engine: findings, messages and the "gave up" path.

const data: ScanData = { popularNpm: new Map(), popularPypi: new Map() };

const RULES = `
rules:
  - id: py.test.shell
    title: shell command
    severity: high
    category: injection
    cwe: [CWE-78]
    languages: [python]
    message: Runs a shell command built at run time.
    match:
      call:
        name: [os.system, subprocess.getoutput]
        arg-is: [dynamic, computed]
    tests:
      valid: [{ code: "import os\\nos.system('ls')" }]
      invalid: [{ code: "import os\\nos.system(x)" }]
`;

const catalog = buildCatalog([{ name: 'rules/test.yml', text: RULES }], []);

describe('call rules in the scan engine', () => {
  it('report resolved calls on added lines with the decoded value', async () => {
    const code = "import os as o\nfrom base64 import b64decode as d\no.system('ls')\no.system(d('aWQ=').decode())\no.system(cmd)\n";
    const result = await scanChangeSet(changeSetOf([{ path: 'app.py', code, added: [3, 4] }]), { catalog, data });
    expect(result.findings.map((f) => [f.ruleId, f.line])).toEqual([['py.test.shell', 4]]);
    expect(result.findings[0]!.message).toContain('The argument decodes to: id');
    expect(result.notReviewed).toEqual([]);
  });

  it('list a file the analysis gave up on as not reviewed, never as clean', async () => {
    const code = `import os\nos.system(${"'a' + ".repeat(3_000)}x)\n`;
    const result = await scanChangeSet(changeSetOf([{ path: 'deep.py', code }]), { catalog, data });
    expect(result.notReviewed).toEqual([{ path: 'deep.py', reason: expect.stringMatching(/^analysis budget: nesting deeper than/) }]);
  });
});

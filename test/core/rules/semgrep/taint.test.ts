import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../../src/core/rules/catalog.js';
import { RuleFileError } from '../../../../src/core/rules/schema.js';
import { parseSemgrepFile } from '../../../../src/core/rules/semgrep/load.js';
import type { ScanData } from '../../../../src/core/rules/types.js';
import { scanChangeSet } from '../../../../src/core/scan/engine.js';
import { changeSetOf, type FakeFile } from '../../../helpers/changeset.js';

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

function loadError(yaml: string): string {
  try {
    parseSemgrepFile('org.yml', yaml);
  } catch (err) {
    expect(err).toBeInstanceOf(RuleFileError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a load error');
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
});

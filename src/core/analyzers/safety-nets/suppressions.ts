import { parseSuppression, SUPPRESSION_MARKER } from '../../scan/suppression.js';
import type { Analyzer } from '../../rules/types.js';

// A suppression comment that the change itself adds does not suppress anything
// (the engine only honours those already in the base version); it is reported instead,
// because an agent silencing its own findings is exactly what a reviewer must see.
export const suppressionsAnalyzer: Analyzer = {
  name: 'suppressions',
  rules: [
    {
      meta: {
        id: 'airlock.suppression-added',
        title: 'Change adds an Airlock suppression comment',
        severity: 'medium',
        confidence: 'high',
        category: 'safety-net',
        cwe: ['CWE-693'],
        message:
          'This change adds an `airlock-ignore` comment. Suppressions only take effect once they are in the base branch, so it silences nothing here; a reviewer should decide whether the finding it targets is really acceptable.',
        fix: 'Remove the comment and fix the finding, or have a maintainer accept it on the pull request.',
        references: [],
      },
      tests: {
        valid: [
          { path: 'src/a.js', code: '// airlock-ignore js.code-injection.eval -- legacy\neval(x);\n', added: [2] },
          { path: 'src/a.py', code: '# mentions airlock-ignored in prose\n' },
        ],
        invalid: [
          { path: 'src/a.js', code: 'const a = 1;\n// airlock-ignore js.code-injection.eval -- trust me\neval(x);\n', lines: [2] },
          { path: 'src/a.py', code: 'os.system(cmd)  # airlock-ignore py.injection.os-system\n', lines: [1] },
        ],
      },
    },
  ],
  appliesTo: (file) => file.status !== 'deleted',
  analyze({ lines, added }) {
    const out = [];
    for (const line of added) {
      const text = lines[line - 1];
      if (text === undefined || !text.includes(SUPPRESSION_MARKER)) continue;
      const s = parseSuppression(text, line);
      if (!s) continue;
      out.push({
        ruleId: 'airlock.suppression-added',
        line,
        column: text.indexOf(SUPPRESSION_MARKER) + 1,
        snippet: text.trim().slice(0, 200),
        message: `This change adds a suppression of ${s.ruleIds.join(', ')}${s.reason ? ` ("${s.reason.slice(0, 120)}")` : ' without a reason'}. Suppressions added by the change under review are not honoured.`,
      });
    }
    return out;
  },
};

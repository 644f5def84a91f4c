import type { Analyzer } from '../../rules/types.js';

// Minified or packed code added to a repository cannot be reviewed by a human and is a
// favourite hiding place for install-time payloads (Shai-Hulud shipped a 3 MB bundle.js).
const LONG_LINE = 1000;
const CODE_FILE = /\.(?:[cm]?js|jsx|ts|tsx|py|sh|rb|php)$/i;
const DATA_FILE = /(?:^|\/)(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml)$|\.(?:map|snap|svg|json|lock)$/i;

export const minifiedAnalyzer: Analyzer = {
  name: 'minified',
  rules: [
    {
      meta: {
        id: 'install.minified-code-added',
        title: 'Minified or packed code added',
        severity: 'medium',
        confidence: 'medium',
        category: 'install-time',
        cwe: ['CWE-506'],
        message:
          'The change adds code with very long lines (minified, bundled or packed). Nobody can review it line by line, and install-time malware such as the Shai-Hulud worm shipped exactly this way.',
        fix: 'Commit the readable source and build the bundle in CI, or vendor it from a pinned, verified release.',
        references: ['https://cwe.mitre.org/data/definitions/506.html'],
      },
      tests: {
        valid: [
          { path: 'src/app.js', code: 'const a = 1;\nconsole.log(a);\n' },
          { path: 'data/fixture.json', code: `{"a":"${'x'.repeat(1500)}"}\n` },
          { path: 'dist/app.min.js', code: `old();\n${'var a=1;'.repeat(200)}\n`, added: [1] },
        ],
        invalid: [
          { path: 'dist/app.min.js', code: `${'var a=1;'.repeat(200)}\n`, lines: [1] },
          { path: 'scripts/setup.js', code: `// setup\n${'eval(x);'.repeat(130)}\n`, lines: [2] },
        ],
      },
    },
  ],
  appliesTo: (file) => file.status !== 'deleted' && CODE_FILE.test(file.path) && !DATA_FILE.test(file.path),
  analyze({ lines, added }) {
    for (const line of added) {
      const text = lines[line - 1];
      if (text !== undefined && text.length >= LONG_LINE) {
        return [
          {
            ruleId: 'install.minified-code-added',
            line,
            snippet: `${text.slice(0, 80)}… (${text.length} characters on one line)`,
          },
        ];
      }
    }
    return [];
  },
};

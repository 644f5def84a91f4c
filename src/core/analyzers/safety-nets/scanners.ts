// Security scanners switched off or told to look away, judged against the base version: the
// security lint plugin dropped from a manifest or its rules turned off, bandit and gosec told to
// skip checks, gitleaks and trufflehog allow-lists widened, CodeQL told to ignore paths, a bare
// nosemgrep, and CODEOWNERS entries for sensitive paths removed.

import { mapVersions, removesFromBase } from '../../diff/lines.js';
import type { Analyzer, AnalyzerInput, RawFinding } from '../../rules/types.js';

const RULE = {
  scanner: 'safety-net.security-scanner-weakened',
  owners: 'safety-net.codeowners-entry-removed',
} as const;

/** Security lint plugins whose removal from a manifest or lint configuration turns their checks off. */
const SECURITY_PLUGINS = /["'](eslint-plugin-security|eslint-plugin-no-secrets|@microsoft\/eslint-plugin-sdl|eslint-plugin-no-unsanitized|eslint-plugin-security-node|@lavamoat\/allow-scripts|bandit|flake8-bandit|semgrep|gosec|safety|pip-audit|detect-secrets|gitleaks|trufflehog)["']/g;
/** Config files of the scanners and linters. */
const SCANNER_CONFIG =
  /(?:^|\/)(?:package\.json|\.eslintrc(?:\.json|\.ya?ml|\.[cm]?js)?|eslint\.config\.[cm]?[jt]s|\.bandit|bandit\.ya?ml|\.bandit\.ya?ml|pyproject\.toml|setup\.cfg|tox\.ini|\.flake8|\.golangci\.ya?ml|\.gitleaks\.toml|gitleaks\.toml|\.gitleaksignore|\.trufflehog\.ya?ml|trufflehog\.ya?ml|\.trufflehogignore|\.semgrepignore|\.semgrep\.ya?ml|codeql-config\.ya?ml|codeql\.ya?ml|\.github\/codeql\/[^/]+\.ya?ml|\.github\/workflows\/[^/]+\.ya?ml|\.pre-commit-config\.yaml|requirements[^/]*\.txt)$/i;

/** Added lines that tell a scanner to look away. */
const LOOK_AWAY: ReadonlyArray<{ file: RegExp; line: RegExp; what: string }> = [
  { file: /eslint/i, line: /["']?security\/[\w-]+["']?\s*:\s*(?:["']off["']|0\b)/, what: 'turns an eslint-plugin-security rule off' },
  { file: /eslint|package\.json/i, line: /["']?(?:no-secrets\/no-secrets|@microsoft\/sdl\/[\w-]+|no-unsanitized\/[\w-]+)["']?\s*:\s*(?:["']off["']|0\b)/, what: 'turns a security lint rule off' },
  { file: /bandit|pyproject|setup\.cfg|tox\.ini|\.flake8/i, line: /^\s*(?:skips|exclude_dirs|exclude|tests)\s*[:=]|^\s*-\s*B\d{3}\b|\bB\d{3}\b/, what: 'tells bandit to skip checks or paths' },
  { file: /golangci/i, line: /^\s*-\s*G\d{3}\b|^\s*excludes\s*:|^\s*-\s*gosec\s*$|^\s*exclude-rules\s*:/, what: 'tells gosec to skip checks' },
  { file: /gitleaks/i, line: /^\s*(?:paths|regexes|commits|stopwords)\s*=|^\s*\[\[?allowlists?\]\]?|^\s*["'][^"']+["'],?\s*$/, what: 'widens the gitleaks allow-list' },
  { file: /trufflehog/i, line: /\S/, what: 'widens what trufflehog ignores' },
  { file: /semgrepignore/i, line: /^\s*[^#\s]/, what: 'adds a path Semgrep ignores' },
  { file: /codeql|workflows/i, line: /^\s*paths-ignore\s*:|^\s*-\s*["']?\*\*?\/?[^"']*["']?\s*$/, what: 'tells CodeQL to ignore paths' },
];

/** Paths whose code does not ship: leaving them out of a scan narrows nothing that runs. */
const NOT_SHIPPED = /^["']?(?:\*\*\/)?(?:[\w.-]*\/)*(?:tests?|spec|__tests__|e2e|docs?|examples?|samples?|benchmarks?|bench|fixtures?|testdata|vendor|third_party|node_modules|dist|build)(?:\/[^"']*)?["']?$|\.(?:md|rst|txt)["']?$|_test\.go["']?$|\.(?:test|spec)\.[jt]sx?["']?$/i;

/** The list items of the paths-ignore block at or around `line` (1-based). */
function ignoredPaths(lines: readonly string[], line: number): string[] {
  let start = line - 1;
  while (start > 0 && !/paths-ignore\s*:/.test(lines[start]!)) start--;
  const items: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const m = /^\s*-\s*(.+?)\s*$/.exec(lines[i]!);
    if (!m) break;
    items.push(m[1]!);
  }
  return items;
}

/** A path that security review cares about. */
const SENSITIVE_PATH = /\.github|workflows|CODEOWNERS|auth|security|secur|crypt|secret|permission|admin|login|session|payment|billing|infra|terraform|deploy|\.env|Dockerfile|package\.json|lock|go\.(?:mod|sum)|requirements|pyproject/i;

function analyzeScanners(input: AnalyzerInput, out: RawFinding[]): void {
  const { base, lines, added, file } = input;
  const path = file.path;
  // Plugins and scanner packages the base named and the head does not.
  if (base?.text) {
    const before = new Set([...base.text.matchAll(SECURITY_PLUGINS)].map((m) => m[1]!));
    const now = new Set([...lines.join('\n').matchAll(SECURITY_PLUGINS)].map((m) => m[1]!));
    const map = before.size > 0 ? mapVersions(base.lines, lines, file.addedLines) : null;
    for (const plugin of before) {
      if (now.has(plugin) || !map) continue;
      const at = base.lines.findIndex((l) => l.includes(`"${plugin}"`) || l.includes(`'${plugin}'`));
      out.push({
        ruleId: RULE.scanner,
        line: map.headLineOf(at + 1),
        snippet: base.lines[at]?.trim().slice(0, 200) ?? plugin,
        message: `This change removes ${plugin} from ${path}: the security checks it ran no longer run.`,
        removal: true,
        groupKey: `removed:${plugin}`,
      });
    }
  }
  const inCodeqlWorkflow = /workflows/i.test(path) ? /codeql/i.test(lines.join('\n')) : true;
  let reportedPathsIgnore = false;
  for (const line of [...added].sort((a, b) => a - b)) {
    const text = lines[line - 1];
    if (text === undefined || text.length > 2000 || /^\s*#/.test(text) && !/semgrepignore|gitleaksignore|trufflehog/i.test(path)) continue;
    for (const { file: applies, line: pattern, what } of LOOK_AWAY) {
      if (!applies.test(path) || !pattern.test(text)) continue;
      // In a shared configuration file only bandit's own section counts (ruff's B codes are bugbear's).
      if (what.includes('bandit') && !/bandit/i.test(path) && !/bandit/i.test(sectionOf(lines, line))) continue;
      if (what.includes('CodeQL')) {
        if (!inCodeqlWorkflow || reportedPathsIgnore || !/paths-ignore/.test(lines.slice(Math.max(0, line - 6), line).join('\n'))) continue;
        // Tests, docs, examples and vendored code are what projects usually keep out of CodeQL.
        if (ignoredPaths(lines, line).every((p) => NOT_SHIPPED.test(p))) continue;
        reportedPathsIgnore = true;
      }
      // A whole-tree exclusion is broad; a single test fixture path is usually not.
      out.push({ ruleId: RULE.scanner, line, snippet: text.trim().slice(0, 200), message: `This change ${what} (\`${text.trim().slice(0, 80)}\`): findings there will no longer be reported.` });
      break;
    }
  }
}

/** The `[section]` header (INI, TOML) that a line is under, or ''. */
function sectionOf(lines: readonly string[], line: number): string {
  for (let i = line - 1; i >= 0; i--) {
    const m = /^\s*\[+([^\]]+)\]+\s*$/.exec(lines[i]!);
    if (m) return m[1]!;
  }
  return '';
}

/** A bare nosemgrep (no rule id) silences every Semgrep rule on that line. */
const BARE_NOSEMGREP = /(?:\/\/|#|\/\*|--)\s*nosemgrep\s*(?:$|\*\/)/;

function analyzeCodeowners(input: AnalyzerInput, out: RawFinding[]): void {
  const { base, lines, file } = input;
  if (!base?.text) return;
  const map = mapVersions(base.lines, lines, file.addedLines);
  const headPatterns = new Set(lines.map((l) => l.trim().split(/\s+/)[0]).filter((p): p is string => !!p && !p.startsWith('#')));
  for (const b of map.removed) {
    const text = base.lines[b - 1]!.trim();
    if (text === '' || text.startsWith('#')) continue;
    const [pattern, ...owners] = text.split(/\s+/);
    if (!pattern || owners.length === 0 || !SENSITIVE_PATH.test(pattern)) continue;
    // The entry rewritten with other owners is a change of owners, which the path rule reports.
    if (headPatterns.has(pattern)) continue;
    out.push({
      ruleId: RULE.owners,
      line: map.headLineOf(b),
      snippet: text.slice(0, 200),
      message: `This change removes the CODEOWNERS entry for ${pattern} (${owners.join(' ')}): changes there no longer need those owners' review.`,
      removal: true,
      groupKey: `owners:${pattern}`,
    });
  }
}

const isCodeowners = (path: string) => /(?:^|\/)CODEOWNERS$/.test(path);

export const scannersAnalyzer: Analyzer = {
  name: 'security-scanners',
  rules: [
    {
      meta: {
        id: RULE.scanner,
        title: 'Security scanner removed or told to look away',
        severity: 'medium',
        confidence: 'medium',
        category: 'safety-net',
        cwe: ['CWE-1164', 'CWE-693'],
        message: 'The change removes a security linter or scanner, turns its rules off, or adds skips, exclusions or allow-list entries to it.',
        fix: 'Keep the scanner on; suppress a single finding where it is, with a reason.',
        references: ['https://bandit.readthedocs.io/en/latest/config.html', 'https://github.com/gitleaks/gitleaks#configuration', 'https://docs.github.com/en/code-security/code-scanning/creating-an-advanced-setup-for-code-scanning/customizing-your-advanced-setup-for-code-scanning#specifying-directories-to-scan'],
      },
      tests: {
        valid: [
          { path: 'package.json', base: '{ "devDependencies": { "eslint-plugin-security": "^1.7.0" } }\n', code: '{ "devDependencies": { "eslint-plugin-security": "^3.0.0" } }\n' },
          { path: '.eslintrc.json', code: '{ "rules": { "security/detect-object-injection": "error" } }\n' },
          { path: 'src/a.js', code: 'run(x); // nosemgrep: javascript.lang.security.audit.exec\n' },
        ],
        invalid: [
          { path: 'package.json', base: '{\n  "devDependencies": {\n    "eslint": "^9.0.0",\n    "eslint-plugin-security": "^3.0.0"\n  }\n}\n', code: '{\n  "devDependencies": {\n    "eslint": "^9.0.0"\n  }\n}\n' },
          { path: '.eslintrc.json', code: '{ "rules": { "security/detect-child-process": "off" } }\n' },
          { path: '.bandit', code: '[bandit]\nskips: B602,B603\n' },
          { path: '.gitleaks.toml', base: '[allowlist]\npaths = ["^docs/"]\n', code: '[allowlist]\npaths = ["^docs/", "^src/"]\n' },
          { path: 'src/a.py', code: 'os.system(cmd)  # nosemgrep\n', lines: [1] },
        ],
      },
    },
    {
      meta: {
        id: RULE.owners,
        title: 'CODEOWNERS entry for a sensitive path removed',
        severity: 'medium',
        confidence: 'high',
        category: 'safety-net',
        cwe: ['CWE-693'],
        message: 'The change removes a CODEOWNERS entry for a sensitive path: changes there no longer need those owners\' review.',
        fix: 'Keep the entry, or move its owners to the pattern that now covers the path.',
        references: ['https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners'],
      },
      tests: {
        valid: [
          { path: '.github/CODEOWNERS', base: '* @org/dev\n/.github/ @org/security\n', code: '* @org/dev\n/.github/ @org/security @org/platform\n' },
          { path: 'CODEOWNERS', base: '/docs/ @org/writers\n', code: '' },
        ],
        invalid: [
          { path: '.github/CODEOWNERS', base: '* @org/dev\n/.github/workflows/ @org/security\n/src/auth/ @org/security\n', code: '* @org/dev\n/src/auth/ @org/security\n', lines: [2] },
        ],
      },
    },
  ],
  appliesTo: (file) => file.status !== 'deleted',
  wantsBase: (file) => removesFromBase(file) && (SCANNER_CONFIG.test(file.path) || isCodeowners(file.path)),
  analyze(input) {
    const out: RawFinding[] = [];
    if (input.text === null) return out;
    if (isCodeowners(input.file.path)) analyzeCodeowners(input, out);
    else if (SCANNER_CONFIG.test(input.file.path) || /(?:^|\/)\.semgrepignore$/.test(input.file.path)) analyzeScanners(input, out);
    for (const line of input.added) {
      const text = input.lines[line - 1];
      if (text === undefined || text.length > 2000 || !BARE_NOSEMGREP.test(text)) continue;
      out.push({ ruleId: RULE.scanner, line, snippet: text.trim().slice(0, 200), message: 'A bare nosemgrep (without a rule id) silences every Semgrep rule on this line, including ones added later.' });
    }
    return out;
  },
};

import { isAgentConfigFile, isAgentInstructionFile } from '../analyzers/agent-tooling/agent-paths.js';
import { FILE_CONTEXTS, type FileContextKind } from '../model.js';

// What a file is for, from its ecosystem's conventions and its first lines. Rules use it to say
// how much a finding matters there (TLS verification off in a test client is not a production
// outage); see context/adjust.ts and docs/rules.md.

export { FILE_CONTEXTS, type FileContextKind };
/** Every context but production: the ones a rule may discount. */
export type DiscountContext = Exclude<FileContextKind, 'production'>;
export const DISCOUNT_CONTEXTS = FILE_CONTEXTS.filter((c): c is DiscountContext => c !== 'production');

export interface FileContext {
  kind: FileContextKind;
  /** Why, in words: `Go test file (*_test.go)`, `header "Code generated … DO NOT EDIT."`. */
  reason: string;
  /**
   * Production files that run or steer whatever folder they are in (agent instructions, CI
   * workflows, dependency manifests, build scripts): never discounted, never demoted.
   */
  pinned?: true;
}

function segmentsOf(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0 && s !== '.');
}

// --- Files that are never discounted -----------------------------------------------------------

const MANIFESTS = new Set([
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'pnpm-workspace.yaml',
  'bun.lockb',
  'bun.lock',
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  'requirements.txt',
  'constraints.txt',
  'pipfile',
  'pipfile.lock',
  'pyproject.toml',
  'poetry.lock',
  'uv.lock',
  'pdm.lock',
  'setup.cfg',
  'go.mod',
  'go.sum',
  'go.work',
  'cargo.toml',
  'cargo.lock',
  'gemfile',
  'gemfile.lock',
  'composer.json',
  'composer.lock',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'settings.gradle',
  'settings.gradle.kts',
  'gradle-wrapper.properties',
  'deno.json',
  'deno.jsonc',
]);

const BUILD_SCRIPTS = new Set([
  'makefile',
  'gnumakefile',
  'dockerfile',
  'containerfile',
  'docker-compose.yml',
  'docker-compose.yaml',
  'compose.yml',
  'compose.yaml',
  'setup.py',
  'noxfile.py',
  'tox.ini',
  'build.rs',
  'rakefile',
  'justfile',
  'taskfile.yml',
  'taskfile.yaml',
  'cmakelists.txt',
  'meson.build',
  'build',
  'build.bazel',
  'workspace',
  'workspace.bazel',
  'module.bazel',
  'jenkinsfile',
  '.gitlab-ci.yml',
  '.travis.yml',
  'azure-pipelines.yml',
  'bitbucket-pipelines.yml',
  'cloudbuild.yaml',
  'cloudbuild.yml',
  '.pre-commit-config.yaml',
  'lefthook.yml',
  'action.yml',
  'action.yaml',
  '.gitattributes',
  '.gitmodules',
]);

/** Build tool configuration that runs code: webpack.config.js, vite.config.ts, gulpfile.js, … */
const BUILD_CONFIG = /^(?:webpack|vite|rollup|esbuild|babel|jest|vitest|karma|gulpfile|gruntfile|tsup|next|nuxt|svelte|astro)(?:\.[\w-]+)*\.(?:[cm]?[jt]s)$/;

/** Why a file is pinned to production whatever its folder, or null. */
export function pinnedReason(path: string): string | null {
  const segs = segmentsOf(path);
  const lowerSegs = segs.map((s) => s.toLowerCase());
  const base = lowerSegs[lowerSegs.length - 1] ?? '';
  if (isAgentInstructionFile(path) || isAgentConfigFile(path)) return 'agent instructions or configuration';
  const github = lowerSegs.indexOf('.github');
  if (github >= 0 && (lowerSegs[github + 1] === 'workflows' || lowerSegs[github + 1] === 'actions')) return 'CI workflow';
  if (lowerSegs.includes('.circleci') || lowerSegs.includes('.buildkite') || lowerSegs.includes('.husky') || lowerSegs.includes('.githooks')) {
    return 'CI or git hook configuration';
  }
  const requirementsDir = lowerSegs[lowerSegs.length - 2] === 'requirements' && /\.(?:txt|in)$/.test(base);
  if (MANIFESTS.has(base) || /requirements[\w.-]*\.(?:txt|in)$/.test(base) || requirementsDir || base.endsWith('.gemspec')) return 'dependency manifest';
  if (BUILD_SCRIPTS.has(base) || base.endsWith('.mk') || base.endsWith('.dockerfile') || base.startsWith('dockerfile.')) return 'build script';
  if (BUILD_CONFIG.test(base)) return 'build configuration';
  // Sphinx runs docs/conf.py, MkDocs runs its hooks: documentation builds execute them.
  if (base === 'conf.py' || base === 'mkdocs.yml') return 'build script';
  return null;
}

// --- Headers -------------------------------------------------------------------------------------

/** How many leading lines are searched for a generated-code marker. */
const HEADER_LINES = 12;

const GENERATED_HEADERS: [RegExp, string][] = [
  // Go's convention (go help generate): protoc-gen-go, stringer, sqlc, mockgen, …
  [/^\s*\/\/\s*Code generated\b.*\bDO NOT EDIT\.?\s*$/, 'Code generated … DO NOT EDIT.'],
  // Meta's convention, used by Relay, Hack, Buck and many others.
  [/(?:^|[\s*#/])@generated\b/, '@generated'],
  [/^\s*(?:#|\/\/|\/\*+|\*|--|;)\s*(?:This (?:file|code) (?:is|was|has been) )?(?:auto(?:matically|-)?[ -]?generated|generated automatically|generated by)\b/i, 'generated-file comment'],
  [/^\s*(?:#|\/\/|\/\*+|\*)\s*(?:DO NOT EDIT|Do not edit this file)\b/i, 'DO NOT EDIT'],
  [/\bGenerated by the protocol buffer compiler\b|\bprotoc-gen-\w+|\bsqlc v\d/i, 'code generator marker'],
];

/** The generated-code marker in a file's first lines, or null. */
export function generatedHeader(lines: readonly string[]): string | null {
  return findGeneratedHeader(lines)?.label ?? null;
}

/** The generated-code marker and its 1-based line, or null. */
function findGeneratedHeader(lines: readonly string[]): { label: string; line: number } | null {
  for (const [i, line] of lines.slice(0, HEADER_LINES).entries()) {
    if (line.length > 400) continue;
    for (const [pattern, label] of GENERATED_HEADERS) if (pattern.test(line)) return { label, line: i + 1 };
  }
  return null;
}

// --- Paths ---------------------------------------------------------------------------------------

const VENDOR_DIRS = new Set(['vendor', 'node_modules', 'third_party', 'third-party', 'thirdparty', 'bower_components', 'site-packages']);
const BUILD_DIRS = new Set(['dist', 'build', 'out', '.next', '.nuxt', '.output', '__pycache__', 'target']);
const FIXTURE_DIRS = new Set(['testdata', 'test-data', 'test_data', 'fixtures', 'fixture', '__fixtures__', '__mocks__', '__snapshots__', 'mocks', 'testfixtures']);
const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'spec', 'specs', 'e2e', 'integration-tests', 'test-utils', 'testutils', 'testutil']);
const EXAMPLE_DIRS = new Set(['examples', 'example', 'samples', 'sample', 'demo', 'demos', '_examples']);
const DOCS_DIRS = new Set(['docs', 'doc', 'documentation']);
const PROSE = /\.(?:md|mdx|markdown|rst|adoc|asciidoc|txt|textile|rdoc|pod)$/;

/** Names a test runner picks up by convention, per ecosystem. */
const TEST_FILE: [RegExp, string][] = [
  [/\.(?:test|spec)\.[cm]?[jt]sx?$/, 'JS/TS test file (*.test.*, *.spec.*)'],
  [/^test_[\w-]*\.py$/, 'Python test file (test_*.py)'],
  [/^[\w-]+_test\.py$/, 'Python test file (*_test.py)'],
  [/^conftest\.py$/, 'pytest conftest.py'],
  [/_test\.go$/, 'Go test file (*_test.go)'],
  [/_spec\.rb$/, 'RSpec file (*_spec.rb)'],
  [/^test_[\w-]*\.rb$|_test\.rb$/, 'Ruby test file (*_test.rb)'],
  [/\w(?:Test|Tests|IT)\.(?:java|kt)$/, 'JUnit test class (*Test.java)'],
  [/\wTest\.php$/, 'PHPUnit test class (*Test.php)'],
];

const GENERATED_NAME = /\.pb\.go$|_pb2(?:_grpc)?\.pyi?$|\.pb\.(?:cc|h)$|_grpc\.pb\.go$|\.generated\.\w+$|\.g\.dart$|\.designer\.cs$|(?:^|_)gen\.go$|_generated\.go$/;
const MINIFIED = /[.-]min\.(?:js|css|mjs)$|\.bundle\.js$/;

function pathContext(path: string): FileContext | null {
  const segs = segmentsOf(path);
  const lower = segs.map((s) => s.toLowerCase());
  const base = lower[lower.length - 1] ?? '';
  const dirs = lower.slice(0, -1);
  const dirIn = (set: ReadonlySet<string>) => dirs.find((d) => set.has(d));

  const vendored = dirIn(VENDOR_DIRS);
  if (vendored) return { kind: 'vendored', reason: `under ${vendored}/` };
  const built = dirIn(BUILD_DIRS);
  if (built) return { kind: 'build', reason: `under ${built}/` };
  if (MINIFIED.test(base)) return { kind: 'build', reason: 'minified bundle' };
  if (GENERATED_NAME.test(base)) return { kind: 'generated', reason: 'generated-code file name' };
  const fixture = dirIn(FIXTURE_DIRS);
  if (fixture) return { kind: 'fixture', reason: `under ${fixture}/` };
  for (const [pattern, label] of TEST_FILE) if (pattern.test(segs[segs.length - 1] ?? '')) return { kind: 'test', reason: label };
  // Java, Kotlin, Scala: Maven/Gradle's src/test/ (and src/androidTest/, src/testFixtures/).
  for (let i = 0; i + 1 < dirs.length; i++) {
    if (dirs[i] === 'src' && /^(?:test|androidtest|testfixtures|integrationtest|it)$/.test(dirs[i + 1]!)) {
      return { kind: 'test', reason: `under src/${segs[i + 1]}/` };
    }
  }
  const test = dirIn(TEST_DIRS);
  if (test) return { kind: 'test', reason: `under ${test}/` };
  const example = dirIn(EXAMPLE_DIRS);
  if (example) return { kind: 'example', reason: `under ${example}/` };
  const docs = dirIn(DOCS_DIRS);
  if (PROSE.test(base)) return { kind: 'docs', reason: docs ? `documentation under ${docs}/` : 'documentation file' };
  // Code under docs/ is sample code shown in the documentation.
  if (docs) return { kind: 'example', reason: `code under ${docs}/` };
  return null;
}

const PRODUCTION: FileContext = { kind: 'production', reason: 'production code' };

/**
 * The context of one file from its path and, when its text is readable, its first lines. Pure:
 * what imports say about it is settled across the change (change.ts). `headerAddedToExisting`
 * says whether a line is one the change adds to a file that existed before: a generated-code
 * header written into an existing file by the change itself earns no discount.
 */
export function classifyFile(path: string, lines: readonly string[] = [], headerAddedToExisting?: (line: number) => boolean): FileContext {
  const pinned = pinnedReason(path);
  if (pinned) return { kind: 'production', reason: `${pinned}: runs or steers wherever it lives`, pinned: true };
  const byPath = pathContext(path);
  if (byPath && (byPath.kind === 'vendored' || byPath.kind === 'build')) return byPath;
  const header = findGeneratedHeader(lines);
  if (header && headerAddedToExisting?.(header.line)) {
    return { kind: 'production', reason: `generated-code header "${header.label}" added by this change to an existing file` };
  }
  if (header) return { kind: 'generated', reason: `header "${header.label}"` };
  return byPath ?? PRODUCTION;
}

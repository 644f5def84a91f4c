// Dependency analyzer: what a change adds to manifests, lockfiles, registry
// configuration and install commands. Catches typosquatted or invented package
// names, install-time scripts, packages fetched from outside the registry and
// registry/index redirections (dependency confusion). THREATS.md B rows 3 and 8.

import RE2 from 're2';
import type { ChangedFile, Confidence } from '../../model.js';
import type { Analyzer, AnalyzerInput, RawFinding, ScanData } from '../../rules/types.js';
import { findInstalls, type InstalledPackage, type InstallOption } from './install-commands.js';
import { parseJson, valueOf, type JsonNode } from '../../formats/jsonc.js';
import { isValidNpmName, normalizePypiName, npmSpecName, readPypiName } from './package-names.js';
import { readToml, type TomlAssignment, type TomlValue } from '../../formats/toml.js';
import { npmNameIndex, pypiNameIndex } from './typosquat.js';
import { judgeTyposquat, type TyposquatSuspect } from './typo-shape.js';
import { DEPENDENCY_RULES, RULE } from './dependency-rules.js';
import { splitLines } from '../../text.js';
import { LOCKFILES, lockedNames, type LockRegistry } from './lockfile-names.js';


type ManifestKind =
  | 'package-json'
  | 'npm-lock'
  | 'yarn-lock'
  | 'pnpm-lock'
  | 'npmrc'
  | 'yarnrc-yml'
  | 'yarnrc'
  | 'requirements'
  | 'pip-conf'
  | 'uv-toml'
  | 'pyproject'
  | 'go-mod'
  | 'cargo'
  | 'shell';

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

const SHELL_EXTENSIONS = ['.sh', '.bash', '.zsh', '.ksh', '.mk', '.dockerfile', '.containerfile'];
const CI_FILES = new Set([
  '.gitlab-ci.yml',
  'azure-pipelines.yml',
  'bitbucket-pipelines.yml',
  '.travis.yml',
  'Jenkinsfile',
  'Makefile',
  'makefile',
  'GNUmakefile',
  'Containerfile',
  'justfile',
  'Justfile',
]);

function manifestKind(path: string): ManifestKind | null {
  const base = baseName(path);
  const lower = base.toLowerCase();
  switch (base) {
    case 'package.json':
      return 'package-json';
    case 'package-lock.json':
    case 'npm-shrinkwrap.json':
      return 'npm-lock';
    case 'yarn.lock':
      return 'yarn-lock';
    case 'pnpm-lock.yaml':
      return 'pnpm-lock';
    case '.npmrc':
      return 'npmrc';
    case '.yarnrc.yml':
    case '.yarnrc.yaml':
      return 'yarnrc-yml';
    case '.yarnrc':
      return 'yarnrc';
    case 'pyproject.toml':
      return 'pyproject';
    case 'pip.conf':
    case 'pip.ini':
      return 'pip-conf';
    case 'uv.toml':
      return 'uv-toml';
    case 'go.mod':
      return 'go-mod';
    case 'Cargo.toml':
      return 'cargo';
  }
  if (
    ((lower.startsWith('requirements') || lower.startsWith('constraints')) &&
      (lower.endsWith('.txt') || lower.endsWith('.in'))) ||
    (/(^|\/)requirements\/[^/]+\.(txt|in)$/.test(path.length < 4096 ? path : ''))
  ) {
    return 'requirements';
  }
  if (CI_FILES.has(base) || lower.startsWith('dockerfile') || SHELL_EXTENSIONS.some((ext) => lower.endsWith(ext))) {
    return 'shell';
  }
  if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(path.length < 4096 ? path : '')) return 'shell';
  if (lower === 'action.yml' || lower === 'action.yaml') return 'shell';
  if (path.endsWith('.circleci/config.yml')) return 'shell';
  return null;
}

// ---------------------------------------------------------------------------
// Reporting helpers

const SNIPPET_MAX = 200;

function snippetOf(lines: readonly string[], line: number): string {
  const text = (lines[line - 1] ?? '').trim();
  return text.length > SNIPPET_MAX ? `${text.slice(0, SNIPPET_MAX)}…` : text;
}

function shorten(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

class Findings {
  readonly list: RawFinding[] = [];
  private readonly seen = new Set<string>();
  constructor(private readonly input: AnalyzerInput) {}

  added(line: number): boolean {
    return this.input.added.has(line);
  }

  /** `groupKey`: what the finding is about, when the line's text does not say it alone (see RawFinding). */
  report(ruleId: string, line: number, message?: string, column?: number, confidence?: Confidence, groupKey?: string): void {
    const key = `${ruleId}:${line}:${message ?? ''}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const finding: RawFinding = { ruleId, line, snippet: snippetOf(this.input.lines, line) };
    if (message !== undefined) finding.message = message;
    if (column !== undefined) finding.column = column;
    if (confidence !== undefined) finding.confidence = confidence;
    if (groupKey !== undefined) finding.groupKey = groupKey;
    this.list.push(finding);
  }

  /** For file-wide problems: the given line if the change touches it, else the first added line. */
  reportAnchored(ruleId: string, line: number, message: string): void {
    if (this.added(line)) return this.report(ruleId, line, message);
    const first = this.input.file.addedLines[0];
    if (first !== undefined) this.report(ruleId, first, message);
  }
}

// ---------------------------------------------------------------------------
// Typosquats

/** At most this many names are compared per file, so a hostile file cannot stall the scan. */
const MAX_NAME_CHECKS = 2000;

type Registry = 'npm' | 'PyPI';

function popularityText(registry: Registry, popularity: number): string {
  return registry === 'npm'
    ? `${popularity.toLocaleString('en-US')} downloads a month`
    : `#${popularity.toLocaleString('en-US')} by downloads on PyPI`;
}

const listSize = (registry: Registry, data: ScanData): string =>
  `${(registry === 'npm' ? data.popularNpm : data.popularPypi).size.toLocaleString('en-US')} most downloaded ${registry} packages`;

export function typosquatMessage(registry: Registry, name: string, suspect: TyposquatSuspect, data: ScanData, unread: readonly string[] = []): string {
  const { match, signals } = suspect;
  const distance =
    match.reason === 'separators'
      ? 'spelled like'
      : match.distance === 1
        ? '1 edit from'
        : `${match.distance} edits from`;
  return (
    `"${name}" is ${distance} "${match.popular}" (${popularityText(registry, match.popularity)}): ${signals.join('; ')}; ` +
    `it is not among the ${listSize(registry, data)}; added by this change. Typos and AI-invented package names are ` +
    `registered by attackers (typosquatting, slopsquatting): confirm this is the package you mean, or use "${match.popular}".` +
    (unread.length > 0 ? ` Whether the repository already locks it is not known: ${unread.join('; ')}.` : '')
  );
}

class NameChecker {
  private checks = 0;
  private readonly done = new Set<string>();
  /**
   * @param established packages the base version of the file already names (`npm:name`,
   *   `PyPI:name`): not new, so never a typosquat of another, whatever their spelling
   * @param collect when set, names are recorded there instead of judged (reading the base)
   * @param unread per registry, the base lockfiles that could not be read (said in the finding)
   */
  constructor(
    private readonly data: ScanData,
    private readonly out: Findings,
    private readonly established: ReadonlySet<string> = new Set(),
    private readonly collect: Set<string> | null = null,
    private readonly unread: ReadonlyMap<Registry, string[]> = new Map(),
  ) {}

  check(registry: Registry, rawName: string, line: number, column?: number): void {
    if (!this.out.added(line) || this.checks >= MAX_NAME_CHECKS) return;
    const name = registry === 'npm' ? rawName.trim().toLowerCase() : normalizePypiName(rawName.trim());
    if (registry === 'npm' ? !isValidNpmName(name) : name.length === 0) return;
    const key = `${registry}:${name}`;
    if (this.collect) {
      this.collect.add(key);
      return;
    }
    if (this.established.has(key) || this.done.has(`${key}:${line}`)) return;
    this.done.add(`${key}:${line}`);
    this.checks++;
    const suspect =
      registry === 'npm' ? judgeTyposquat(npmNameIndex(this.data.popularNpm), name, true) : judgeTyposquat(pypiNameIndex(this.data.popularPypi), name, false);
    // One suspect package named at several lines of a manifest (dependencies and devDependencies, two pins) is one problem.
    if (suspect) this.out.report(RULE.typosquat, line, typosquatMessage(registry, rawName.trim(), suspect, this.data, this.unread.get(registry)), column, suspect.confidence, key);
  }
}

// ---------------------------------------------------------------------------
// Hosts

const NPM_REGISTRY_HOSTS = new Set(['registry.npmjs.org', 'registry.yarnpkg.com']);
const PYPI_HOSTS = new Set(['pypi.org', 'pypi.python.org', 'files.pythonhosted.org']);

/** Host of a URL-ish source (`https://h/…`, `git+ssh://git@h/…`, `git@h:org/repo`), lowercased. */
export function hostOf(url: string): string {
  const text = url.trim();
  const scheme = text.indexOf('://');
  if (scheme >= 0) {
    let rest = text.slice(scheme + 3);
    const end = rest.search(/[/?#]/);
    if (end >= 0) rest = rest.slice(0, end);
    rest = rest.slice(rest.lastIndexOf('@') + 1);
    if (rest.startsWith('[')) return rest.slice(0, rest.indexOf(']') + 1).toLowerCase();
    const colon = rest.indexOf(':');
    return (colon >= 0 ? rest.slice(0, colon) : rest).toLowerCase();
  }
  const at = text.indexOf('@');
  const colon = text.indexOf(':', at + 1);
  if (at >= 0 && colon > at) return text.slice(at + 1, colon).toLowerCase();
  return '';
}

function isNpmRegistryUrl(url: string): boolean {
  const lower = url.trim().toLowerCase();
  return lower.startsWith('https://') && NPM_REGISTRY_HOSTS.has(hostOf(lower));
}

function isPypiUrl(url: string): boolean {
  const lower = url.trim().toLowerCase();
  return lower.startsWith('https://') && PYPI_HOSTS.has(hostOf(lower));
}

/**
 * Package indexes a project publishes its own wheels on (PyTorch's CPU/CUDA builds). Using one as
 * THE index of an install is what its documentation says to do; as an extra index it is still a
 * dependency-confusion risk (the torchtriton incident came through that extra index).
 */
const VENDOR_INDEX_HOSTS = new Set(['download.pytorch.org']);

function isVendorIndex(url: string): boolean {
  const lower = url.trim().toLowerCase();
  return lower.startsWith('https://') && VENDOR_INDEX_HOSTS.has(hostOf(lower));
}

function isEnvReference(value: string): boolean {
  const v = value.trim();
  return v.startsWith('${') && v.endsWith('}') && v.indexOf('}') === v.length - 1;
}

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
  return v;
}

// ---------------------------------------------------------------------------
// package.json

const DEPENDENCY_SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];
const INSTALL_SCRIPTS = new Set(['preinstall', 'install', 'postinstall', 'prepare', 'prepack', 'preprepare', 'postprepare']);

// Script content that downloads, decodes or evaluates code, or drives an AI CLI unattended.
const DANGEROUS_SCRIPT = new RE2(
  '(?i)(\\bcurl\\b|\\bwget\\b|\\bnode\\s+(-e|--eval|-p|--print)\\b|base64|\\beval\\b|\\|\\s*(ba|z)?sh\\b|/dev/tcp/|' +
    'powershell|invoke-webrequest|invoke-expression|\\biwr\\b|\\biex\\b|\\bpython[0-9.]*\\s+-c\\b|\\bnc\\s+-|' +
    'https?://|--dangerously-skip-permissions|--yolo|--trust-all-tools|--dangerously-bypass-approvals-and-sandbox|' +
    'bypasspermissions)',
);

type NpmSource =
  | { kind: 'registry' }
  | { kind: 'alias'; name: string }
  | { kind: 'git' | 'url' | 'local' | 'github-shorthand'; detail: string };

export function npmSourceOf(specRaw: string): NpmSource {
  const spec = specRaw.trim();
  const lower = spec.toLowerCase();
  if (lower.startsWith('npm:')) return { kind: 'alias', name: npmSpecName(spec.slice(4)) };
  if (/^(git\+|git:|git@|github:|gitlab:|bitbucket:|gist:)/.test(lower)) return { kind: 'git', detail: spec };
  if (lower.startsWith('http://') || lower.startsWith('https://')) return { kind: 'url', detail: spec };
  if (/^(file:|link:|portal:|\.{1,2}\/|\/|~\/)/.test(lower)) return { kind: 'local', detail: spec };
  if (/^[a-z0-9_.-]+\/[a-z0-9_.-]+(#.*)?$/i.test(spec.length < 300 ? spec : '')) {
    return { kind: 'github-shorthand', detail: spec };
  }
  return { kind: 'registry' };
}

function nonRegistryMessage(name: string, source: Exclude<NpmSource, { kind: 'registry' | 'alias' }>): string {
  const what = {
    git: `a git repository (${shorten(source.detail)})`,
    url: `a tarball URL on ${hostOf(source.detail) || 'an unknown host'}`,
    local: `a local path (${shorten(source.detail)})`,
    'github-shorthand': `the GitHub repository "${shorten(source.detail)}" (shorthand)`,
  }[source.kind];
  return (
    `"${name}" is installed from ${what} instead of the npm registry: no registry integrity ` +
    `hash or malware scanning applies, the content can change under the same reference, and ` +
    `git dependencies run their prepare scripts at install.`
  );
}

function analyzePackageJson(input: AnalyzerInput, out: Findings, names: NameChecker): void {
  const parsed = parseJson(input.text!, { jsonc: false });
  if (!parsed.ok) {
    out.reportAnchored(
      RULE.parseError,
      parsed.line,
      `package.json could not be parsed (line ${parsed.line}: ${parsed.message}), so its dependencies and scripts were not reviewed.`,
    );
    return;
  }
  const root = parsed.value;
  if (root.kind !== 'object') return;
  for (const entry of root.entries) {
    if (DEPENDENCY_SECTIONS.includes(entry.key) && entry.value.kind === 'object') {
      for (const dep of entry.value.entries) checkNpmDependency(dep.key, dep.keyLine, dep.value, out, names);
    }
    if (entry.key === 'scripts' && entry.value.kind === 'object') {
      for (const script of entry.value.entries) {
        if (!INSTALL_SCRIPTS.has(script.key) || script.value.kind !== 'string') continue;
        const line = script.value.line;
        if (!out.added(line) && !out.added(script.keyLine)) continue;
        const command = script.value.value;
        const dangerous = DANGEROUS_SCRIPT.match(command);
        if (dangerous) {
          out.report(
            RULE.installScriptDownload,
            line,
            `The "${script.key}" script runs automatically on npm install and contains "${shorten(dangerous[0]!, 60)}": ` +
              `install-time scripts that download, decode or evaluate code (or drive an AI CLI) are how npm worms spread.`,
          );
        } else {
          out.report(
            RULE.installScript,
            line,
            `The "${script.key}" script ("${shorten(command, 80)}") runs automatically on npm install, on every developer machine and CI runner.`,
          );
        }
      }
    }
    if ((entry.key === 'overrides' || entry.key === 'resolutions') && entry.value.kind === 'object') {
      walkStrings(entry.value, (key, value, line) => {
        const source = npmSourceOf(value);
        if (source.kind !== 'registry' && source.kind !== 'alias' && out.added(line)) {
          out.report(RULE.nonRegistry, line, nonRegistryMessage(key, source));
        }
      });
    }
  }
}

function checkNpmDependency(name: string, keyLine: number, value: JsonNode, out: Findings, names: NameChecker): void {
  if (value.kind !== 'string') return;
  const source = npmSourceOf(value.value);
  if (source.kind === 'registry') names.check('npm', name, keyLine);
  else if (source.kind === 'alias') names.check('npm', source.name, value.line);
  else if (out.added(value.line)) out.report(RULE.nonRegistry, value.line, nonRegistryMessage(name, source));
}

/** Calls `visit` for every string value under an object, with the key it sits under. Iterative. */
function walkStrings(node: JsonNode, visit: (key: string, value: string, line: number) => void): void {
  const stack: JsonNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.kind === 'object') {
      for (const entry of current.entries) {
        if (entry.value.kind === 'string') visit(entry.key, entry.value.value, entry.value.line);
        else stack.push(entry.value);
      }
    } else if (current.kind === 'array') {
      for (const item of current.items) stack.push(item);
    }
  }
}

// ---------------------------------------------------------------------------
// npm lockfiles

function analyzeNpmLock(input: AnalyzerInput, out: Findings): void {
  const parsed = parseJson(input.text!, { jsonc: false });
  if (!parsed.ok) {
    out.reportAnchored(
      RULE.parseError,
      parsed.line,
      `${baseName(input.file.path)} could not be parsed (line ${parsed.line}: ${parsed.message}), so its resolved sources were not reviewed.`,
    );
    return;
  }
  const stack: Array<{ node: JsonNode; key: string }> = [{ node: parsed.value, key: '' }];
  while (stack.length > 0) {
    const { node, key } = stack.pop()!;
    if (node.kind === 'array') {
      for (const item of node.items) stack.push({ node: item, key });
      continue;
    }
    if (node.kind !== 'object') continue;
    const resolved = valueOf(node, 'resolved');
    const link = valueOf(node, 'link');
    const isLink = link?.kind === 'boolean' && link.value;
    if (resolved?.kind === 'string' && out.added(resolved.line) && !isLink && !isLocalResolved(resolved.value)) {
      const url = resolved.value;
      const label = key.startsWith('node_modules/') ? key.slice(key.lastIndexOf('node_modules/') + 13) : key;
      if (!isNpmRegistryUrl(url)) {
        out.report(
          RULE.lockOffRegistry,
          resolved.line,
          `The lockfile resolves "${label}" to ${hostOf(url) ? `host ${hostOf(url)}` : `"${shorten(url)}"`} instead of ` +
            `https://registry.npmjs.org/: every install will fetch it from there.`,
        );
      } else {
        const integrity = valueOf(node, 'integrity');
        if (integrity?.kind !== 'string' || integrity.value.trim() === '') {
          out.report(
            RULE.lockMissingIntegrity,
            resolved.line,
            `The lockfile entry for "${label}" has a registry URL but no "integrity" hash, so npm cannot verify the tarball it downloads.`,
          );
        }
      }
    }
    for (const entry of node.entries) {
      if (entry.value.kind === 'object' || entry.value.kind === 'array') stack.push({ node: entry.value, key: entry.key });
    }
  }
}

/** Workspace members and file: dependencies resolve to paths inside the repository. */
function isLocalResolved(value: string): boolean {
  const v = value.trim().toLowerCase();
  return v.startsWith('file:') || (!v.includes('://') && !v.startsWith('git') && !v.includes('@'));
}

/** yarn.lock (classic `resolved "url"` and berry `resolution: "name@protocol"`). */
function analyzeYarnLock(input: AnalyzerInput, out: Findings): void {
  for (const line of input.added) {
    const text = (input.lines[line - 1] ?? '').trim();
    if (text.startsWith('resolved ')) {
      const url = unquote(text.slice(9));
      if (!isNpmRegistryUrl(url)) {
        out.report(RULE.lockOffRegistry, line, `yarn.lock resolves a package to ${hostOf(url) || `"${shorten(url)}"`} instead of the npm registry.`);
      }
    } else if (text.startsWith('resolution:')) {
      const value = unquote(text.slice(11));
      const at = value.indexOf('@', value.startsWith('@') ? 1 : 0);
      const protocol = at >= 0 ? value.slice(at + 1) : '';
      if (/^(https?:|git|github:|ssh:|exec:)/i.test(protocol)) {
        out.report(RULE.lockOffRegistry, line, `yarn.lock resolves "${value.slice(0, at)}" to "${shorten(protocol)}" instead of the npm registry.`);
      }
    }
  }
}

function analyzePnpmLock(input: AnalyzerInput, out: Findings): void {
  for (const line of input.added) {
    const text = input.lines[line - 1] ?? '';
    const tarball = text.indexOf('tarball:');
    if (tarball >= 0) {
      let url = text.slice(tarball + 8).trim();
      const end = url.search(/[,}\s]/);
      if (end >= 0) url = url.slice(0, end);
      url = unquote(url);
      if (!isNpmRegistryUrl(url)) {
        out.report(RULE.lockOffRegistry, line, `pnpm-lock.yaml resolves a package to a tarball on ${hostOf(url) || `"${shorten(url)}"`} instead of the npm registry.`);
      }
    } else if ((text.includes('resolution:') && (text.includes('repo:') || text.includes('commit:'))) || /type:\s*git\b/.test(text)) {
      out.report(RULE.lockOffRegistry, line, 'pnpm-lock.yaml resolves a package to a git repository instead of the npm registry.');
    }
  }
}

// ---------------------------------------------------------------------------
// Registry configuration (.npmrc, .yarnrc, .yarnrc.yml)

interface ConfigSetting {
  key: string;
  value: string;
  line: number;
}

function registryMessage(file: string, key: string, url: string): string {
  const host = hostOf(url);
  const insecure = url.trim().toLowerCase().startsWith('http://') ? ' over plain http' : '';
  return (
    `${file} sets ${key} to ${host ? `host ${host}` : `"${shorten(url)}"`}${insecure}: every package${key.startsWith('@') ? ' of this scope' : ''} ` +
    `is now fetched from there. Confirm it is your organization's registry, not a lookalike.`
  );
}

function checkRegistrySettings(file: string, settings: ConfigSetting[], out: Findings): void {
  for (const { key, value, line } of settings) {
    const lowerKey = key.toLowerCase();
    const lowerValue = value.trim().toLowerCase();
    if (lowerKey === 'registry' || lowerKey.endsWith(':registry') || lowerKey === 'npmregistryserver') {
      // A scope's own registry over https (GitHub Packages, a company registry) is how private
      // packages are published; only the default registry, or plain http, moves every install.
      const scopedHttps = lowerKey.startsWith('@') && lowerKey.endsWith(':registry') && lowerValue.startsWith('https://');
      if (value.trim() !== '' && !isEnvReference(value) && !isNpmRegistryUrl(value) && !scopedHttps) {
        out.report(RULE.registryChange, line, registryMessage(file, key, value));
      }
    } else if ((lowerKey === 'strict-ssl' || lowerKey === 'enablestrictssl') && lowerValue === 'false') {
      out.report(RULE.tlsDisabled, line, `${file} sets ${key} to false: package downloads no longer verify TLS certificates.`);
    } else if (
      (lowerKey === 'ignore-scripts' && lowerValue === 'false') ||
      (lowerKey === 'enablescripts' && lowerValue === 'true')
    ) {
      out.report(RULE.scriptsEnabled, line, `${file} sets ${key}=${value.trim()}: dependencies' install scripts will run.`);
    } else if (
      /(^|:)(_authtoken|_auth|_password|npmauthtoken|npmauthident)$/.test(lowerKey.length < 500 ? lowerKey : '')
    ) {
      if (value.trim() !== '' && !isEnvReference(value)) {
        out.report(RULE.authToken, line, `${file} contains a literal registry credential (${key}); anyone who can read the repository can publish or read packages with it.`);
      }
    }
  }
}

function npmrcSettings(input: AnalyzerInput): ConfigSetting[] {
  const settings: ConfigSetting[] = [];
  for (const line of input.added) {
    const text = (input.lines[line - 1] ?? '').trim();
    if (text === '' || text.startsWith('#') || text.startsWith(';')) continue;
    const eq = text.indexOf('=');
    if (eq <= 0) continue;
    settings.push({ key: text.slice(0, eq).trim(), value: unquote(text.slice(eq + 1)), line });
  }
  return settings;
}

function yarnrcYmlSettings(input: AnalyzerInput): ConfigSetting[] {
  const settings: ConfigSetting[] = [];
  for (const line of input.added) {
    let text = (input.lines[line - 1] ?? '').trim();
    if (text.startsWith('- ')) text = text.slice(2).trim();
    if (text === '' || text.startsWith('#')) continue;
    const colon = text.indexOf(':');
    if (colon <= 0) continue;
    let value = text.slice(colon + 1).trim();
    const hash = value.indexOf(' #');
    if (hash >= 0) value = value.slice(0, hash);
    settings.push({ key: unquote(text.slice(0, colon)), value: unquote(value), line });
  }
  return settings;
}

function yarnrcSettings(input: AnalyzerInput): ConfigSetting[] {
  const settings: ConfigSetting[] = [];
  for (const line of input.added) {
    const text = (input.lines[line - 1] ?? '').trim();
    if (text === '' || text.startsWith('#')) continue;
    const space = text.search(/\s/);
    if (space <= 0) continue;
    settings.push({ key: unquote(text.slice(0, space)), value: unquote(text.slice(space + 1)), line });
  }
  return settings;
}

// ---------------------------------------------------------------------------
// Python

function pythonDirectUrlMessage(what: string, url: string): string {
  return (
    `${what} is installed from ${hostOf(url) ? `${hostOf(url)} (${shorten(url, 80)})` : `"${shorten(url, 80)}"`} instead of ` +
    `a package index: no index metadata or hash pinning applies and the content behind the URL can change.`
  );
}

function indexMessage(what: string, url: string, extra: boolean): string {
  const where = hostOf(url) ? `host ${hostOf(url)}` : `"${shorten(url)}"`;
  return extra
    ? `${what} adds ${where} as an extra package index: pip takes the highest version found on any index, so anyone who ` +
        `publishes one of your internal package names there (dependency confusion) gets installed.`
    : `${what} replaces the package index with ${where}: every package is fetched from there.`;
}

/** `scheme://user:password@host…` with a literal password (not `${VAR}`). */
const URL_CREDENTIAL = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]+:[^/@\s]+@/i;

function checkIndexOption(option: InstallOption, what: string, out: Findings): void {
  if (!out.added(option.line)) return;
  if (option.kind !== 'pip-trusted-host' && !option.value.includes('$') && URL_CREDENTIAL.test(option.value.slice(0, 2048))) {
    out.report(RULE.authToken, option.line, `${what} puts a literal password in the URL of a package registry (${hostOf(option.value)}); anyone who can read the repository can use it.`, option.column);
  }
  if (option.kind === 'pip-trusted-host') {
    out.report(RULE.pipTrustedHost, option.line, `${what} marks ${option.value} as trusted: pip stops verifying its TLS certificate (and allows plain http).`, option.column);
  } else if (option.kind === 'npm-registry') {
    if (!isNpmRegistryUrl(option.value) && !option.value.includes('$')) {
      out.report(RULE.registryChange, option.line, registryMessage(what, '--registry', option.value), option.column);
    }
  } else if (!isPypiUrl(option.value) && !option.value.includes('$') && !(option.kind === 'pip-index-url' && isVendorIndex(option.value))) {
    out.report(RULE.pipIndex, option.line, indexMessage(what, option.value, option.kind === 'pip-extra-index-url'), option.column);
  }
}

/** Checks one PEP 508 requirement string (`name[extra]>=1; marker` or `name @ url`). */
function checkRequirement(text: string, line: number, out: Findings, names: NameChecker, column?: number): void {
  if (!out.added(line)) return;
  const trimmed = text.trim();
  if (/^(git\+|hg\+|svn\+|bzr\+|https?:\/\/)/i.test(trimmed)) {
    out.report(RULE.pythonDirectUrl, line, pythonDirectUrlMessage('A requirement', trimmed), column);
    return;
  }
  const parsed = readPypiName(trimmed);
  if (!parsed) return;
  let rest = trimmed.slice(parsed.end).trimStart();
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    rest = close >= 0 ? rest.slice(close + 1).trimStart() : '';
  }
  if (rest.startsWith('@')) {
    out.report(RULE.pythonDirectUrl, line, pythonDirectUrlMessage(`"${parsed.name}"`, rest.slice(1).trim()), column);
    return;
  }
  names.check('PyPI', parsed.name, line, column === undefined ? undefined : column + parsed.start);
}

function analyzeRequirements(input: AnalyzerInput, out: Findings, names: NameChecker): void {
  const what = baseName(input.file.path);
  for (let i = 0; i < input.lines.length; i++) {
    const line = i + 1;
    if (!out.added(line)) continue;
    let text = input.lines[i]!;
    const hash = text.search(/(^|\s)#/);
    if (hash >= 0) text = text.slice(0, hash);
    if (text.trimEnd().endsWith('\\')) text = text.trimEnd().slice(0, -1);
    const trimmed = text.trim();
    if (trimmed === '') continue;
    const column = text.indexOf(trimmed) + 1;
    if (trimmed.startsWith('-')) {
      const match = /^(-[a-zA-Z]|--[a-z-]+)(?:\s*=\s*|\s+)(\S+)/.exec(trimmed.length < 4096 ? trimmed : trimmed.slice(0, 4096));
      if (!match) continue;
      const flag = match[1]!;
      const value = match[2]!;
      const kind =
        flag === '-i' || flag === '--index-url'
          ? 'pip-index-url'
          : flag === '--extra-index-url' || ((flag === '-f' || flag === '--find-links') && /^https?:/i.test(value))
            ? 'pip-extra-index-url'
            : flag === '--trusted-host'
              ? 'pip-trusted-host'
              : null;
      if (kind) checkIndexOption({ kind, value, line, column }, what, out);
      else if ((flag === '-e' || flag === '--editable') && /^(git\+|hg\+|svn\+|bzr\+|https?:)/i.test(value)) {
        out.report(RULE.pythonDirectUrl, line, pythonDirectUrlMessage('An editable requirement', value), column);
      }
      continue;
    }
    if (/^(\.|\/|~|file:)/i.test(trimmed) || /\.whl$/i.test(trimmed.split(/\s/)[0] ?? '')) continue;
    checkRequirement(trimmed, line, out, names, column);
  }
}

function tomlStrings(value: TomlValue): Array<{ value: string; line: number }> {
  if (value.kind === 'string') return [{ value: value.value, line: value.line }];
  if (value.kind === 'array') return value.items.flatMap((item) => (item.kind === 'string' ? [{ value: item.value, line: item.line }] : []));
  return [];
}

function inlineGet(value: TomlValue, key: string): TomlAssignment | undefined {
  if (value.kind !== 'table') return undefined;
  return value.entries.find((e) => e.key.length === 1 && e.key[0] === key);
}

function isPoetryDependencyTable(path: string[]): number {
  // tool.poetry.dependencies / tool.poetry.dev-dependencies / tool.poetry.group.<g>.dependencies
  if (path[0] !== 'tool' || path[1] !== 'poetry') return -1;
  if (path[2] === 'dependencies' || path[2] === 'dev-dependencies') return 3;
  if (path[2] === 'group' && path[4] === 'dependencies') return 5;
  return -1;
}

function analyzePyproject(input: AnalyzerInput, out: Findings, names: NameChecker): void {
  const doc = readToml(input.text!);
  if (doc.error) {
    out.reportAnchored(
      RULE.parseError,
      doc.error.line,
      `pyproject.toml could not be parsed (line ${doc.error.line}: ${doc.error.message}); dependencies after that point were not reviewed.`,
    );
  }
  for (const table of doc.tables) {
    for (const assignment of table.assignments) {
      const full = [...table.path, ...assignment.key];
      const [a, b, c] = full;
      const requirementList =
        (a === 'project' && b === 'dependencies' && full.length === 2) ||
        (a === 'project' && b === 'optional-dependencies' && full.length === 3) ||
        (a === 'build-system' && b === 'requires' && full.length === 2) ||
        (a === 'dependency-groups' && full.length === 2);
      if (requirementList) {
        for (const item of tomlStrings(assignment.value)) checkRequirement(item.value, item.line, out, names);
        continue;
      }
      const poetryAt = isPoetryDependencyTable(full);
      if (poetryAt > 0 && full.length > poetryAt) {
        const name = full[poetryAt]!;
        const rest = full.slice(poetryAt + 1);
        checkPythonSourceTable(name, rest, assignment, out);
        if (rest.length === 0 && name.toLowerCase() !== 'python' && (assignment.value.kind !== 'table' || !hasDirectSource(assignment.value))) {
          names.check('PyPI', name, assignment.line);
        }
        continue;
      }
      if (a === 'tool' && b === 'uv' && c === 'sources' && full.length >= 4) {
        checkPythonSourceTable(full[3]!, full.slice(4), assignment, out);
        continue;
      }
      const isIndexTable =
        (a === 'tool' && (b === 'poetry' || b === 'pdm') && c === 'source' && full[3] === 'url') ||
        (a === 'tool' && b === 'uv' && c === 'index' && full[3] === 'url');
      const isUvIndexKey = a === 'tool' && b === 'uv' && full.length === 3 && (c === 'index-url' || c === 'extra-index-url');
      if (isIndexTable) checkIndexTable(table.assignments, 'pyproject.toml', out);
      else if (isUvIndexKey) checkIndexKey(c, assignment.value, 'pyproject.toml', out);
    }
  }
}

/** A `[[tool.uv.index]]` / `[[tool.poetry.source]]` / uv.toml `[[index]]` table: where its url points, and how it is used. */
function checkIndexTable(assignments: readonly TomlAssignment[], file: string, out: Findings): void {
  const get = (key: string): TomlValue | undefined => assignments.find((e) => e.key.length === 1 && e.key[0] === key)?.value;
  const text = (value: TomlValue | undefined): string => (value?.kind === 'string' ? value.value : value?.kind === 'other' ? value.raw : '').trim().toLowerCase();
  // Explicit indexes serve only the packages pinned to them by name: no other package moves.
  if (text(get('explicit')) === 'true' || text(get('priority')) === 'explicit') return;
  const replaces = text(get('default')) === 'true' || text(get('priority')) === 'primary' || text(get('priority')) === 'default';
  const url = get('url');
  if (url?.kind !== 'string' || !out.added(url.line)) return;
  checkIndexOption({ kind: replaces ? 'pip-index-url' : 'pip-extra-index-url', value: url.value, line: url.line, column: 1 }, file, out);
}

function checkIndexKey(key: string | undefined, value: TomlValue, file: string, out: Findings): void {
  for (const item of tomlStrings(value)) {
    if (!out.added(item.line)) continue;
    checkIndexOption({ kind: key === 'index-url' ? 'pip-index-url' : 'pip-extra-index-url', value: item.value, line: item.line, column: 1 }, file, out);
  }
}

/** uv.toml: the same settings as [tool.uv] without the prefix. */
function analyzeUvToml(input: AnalyzerInput, out: Findings): void {
  const doc = readToml(input.text!);
  if (doc.error) {
    out.reportAnchored(RULE.parseError, doc.error.line, `uv.toml could not be parsed (line ${doc.error.line}: ${doc.error.message}); index settings after that point were not reviewed.`);
  }
  for (const table of doc.tables) {
    if (table.path.length === 1 && table.path[0] === 'index') {
      checkIndexTable(table.assignments, 'uv.toml', out);
      continue;
    }
    if (table.path.length !== 0) continue;
    for (const assignment of table.assignments) {
      const key = assignment.key.length === 1 ? assignment.key[0] : undefined;
      if (key === 'index-url' || key === 'extra-index-url') checkIndexKey(key, assignment.value, 'uv.toml', out);
    }
  }
}

/** pip.conf / pip.ini: INI sections whose index-url, extra-index-url and trusted-host values may continue on indented lines. */
function analyzePipConf(input: AnalyzerInput, out: Findings): void {
  const what = baseName(input.file.path);
  let key: string | null = null;
  for (let i = 0; i < input.lines.length; i++) {
    const raw = input.lines[i]!;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    let values: string;
    const continued = /^\s/.test(raw) && key !== null && !/^[a-z0-9_-]+\s*(?:=|:(?!\/\/))/i.test(trimmed);
    if (continued) values = trimmed;
    else {
      const match = /^([a-z0-9_-]+)\s*(?:=|:(?!\/\/))\s*(.*)$/i.exec(trimmed);
      key = match ? match[1]!.toLowerCase() : null;
      if (!match) continue;
      values = match[2]!;
    }
    const kind = key === 'index-url' ? 'pip-index-url' : key === 'extra-index-url' ? 'pip-extra-index-url' : key === 'trusted-host' ? 'pip-trusted-host' : null;
    if (!kind) continue;
    for (const value of values.split(/\s+/).filter((v) => v !== '')) {
      checkIndexOption({ kind, value, line: i + 1, column: raw.indexOf(value) + 1 }, what, out);
    }
  }
}

// Registry settings made from a shell, a Dockerfile or a CI file: `npm config set registry …`,
// `pip config set global.extra-index-url …`, and the environment variables the tools read.
const REGISTRY_COMMAND = new RE2(
  '(?i)\\b(?:(?:npm|pnpm|yarn)\\s+config\\s+set|npm\\s+set)\\s+(?:--[a-z-]+\\s+)*(registry|npmregistryserver|@[a-z0-9._-]+:registry)[\\s=]+["\']?([^\\s"\']+)',
);
const PIP_CONFIG_COMMAND = new RE2('(?i)\\bpip[0-9.]*\\s+config\\s+set\\s+(?:--[a-z-]+\\s+)*(?:global|user|site|install)\\.(index-url|extra-index-url|trusted-host)[\\s=]+["\']?([^\\s"\']+)');
const REGISTRY_VARIABLE = new RE2(
  '(?:^|[^A-Za-z0-9_])(PIP_INDEX_URL|PIP_EXTRA_INDEX_URL|UV_INDEX_URL|UV_EXTRA_INDEX_URL|UV_DEFAULT_INDEX|UV_INDEX|NPM_CONFIG_REGISTRY|npm_config_registry|YARN_NPM_REGISTRY_SERVER)(?:\\s*[:=]\\s*|\\s+)["\']?([a-zA-Z][a-zA-Z0-9+.-]*://[^\\s"\']+)',
);

function analyzeRegistryCommands(input: AnalyzerInput, out: Findings): void {
  const what = `A command in ${baseName(input.file.path)}`;
  for (const line of input.added) {
    const text = input.lines[line - 1] ?? '';
    if (text.length > 10_000) continue;
    const npm = REGISTRY_COMMAND.exec(text);
    if (npm) {
      const key = npm[1]!;
      const value = npm[2]!;
      const scopedHttps = key.startsWith('@') && value.toLowerCase().startsWith('https://');
      if (!value.includes('$') && !isNpmRegistryUrl(value) && !scopedHttps) {
        out.report(RULE.registryChange, line, registryMessage(what, key, value), npm.index + 1);
      }
    }
    const pip = PIP_CONFIG_COMMAND.exec(text);
    if (pip) {
      const key = pip[1]!.toLowerCase();
      const kind = key === 'index-url' ? 'pip-index-url' : key === 'extra-index-url' ? 'pip-extra-index-url' : 'pip-trusted-host';
      checkIndexOption({ kind, value: pip[2]!, line, column: pip.index + 1 }, what, out);
    }
    const variable = REGISTRY_VARIABLE.exec(text);
    if (variable) {
      const name = variable[1]!.toUpperCase();
      const value = variable[2]!;
      const column = variable.index + 1;
      if (name.startsWith('NPM_') || name.startsWith('YARN_')) {
        if (!value.includes('$') && !isNpmRegistryUrl(value)) out.report(RULE.registryChange, line, registryMessage(`${baseName(input.file.path)}`, variable[1]!, value), column);
      } else {
        const replaces = name === 'PIP_INDEX_URL' || name === 'UV_INDEX_URL' || name === 'UV_DEFAULT_INDEX';
        checkIndexOption({ kind: replaces ? 'pip-index-url' : 'pip-extra-index-url', value, line, column }, `${variable[1]} in ${baseName(input.file.path)}`, out);
      }
    }
  }
}

function hasDirectSource(value: TomlValue): boolean {
  return ['git', 'url', 'path'].some((key) => inlineGet(value, key) !== undefined);
}

/** Poetry / uv source tables: `name = { git = "…" }` or `[…dependencies.name] git = "…"`. */
function checkPythonSourceTable(name: string, rest: string[], assignment: TomlAssignment, out: Findings): void {
  const report = (url: string, line: number): void => {
    if (out.added(line)) out.report(RULE.pythonDirectUrl, line, pythonDirectUrlMessage(`"${name}"`, url));
  };
  if (rest.length === 1 && (rest[0] === 'git' || rest[0] === 'url') && assignment.value.kind === 'string') {
    report(assignment.value.value, assignment.line);
    return;
  }
  if (rest.length !== 0) return;
  const tables = assignment.value.kind === 'array' ? assignment.value.items : [assignment.value];
  for (const table of tables) {
    for (const key of ['git', 'url']) {
      const source = inlineGet(table, key);
      if (source && source.value.kind === 'string') report(source.value.value, source.line);
    }
  }
}

// ---------------------------------------------------------------------------
// Go and Rust

function analyzeGoMod(input: AnalyzerInput, out: Findings): void {
  let inReplaceBlock = false;
  for (let i = 0; i < input.lines.length; i++) {
    const line = i + 1;
    let text = input.lines[i]!;
    const comment = text.indexOf('//');
    if (comment >= 0) text = text.slice(0, comment);
    text = text.trim();
    let directive: string | null = null;
    if (inReplaceBlock) {
      if (text === ')') {
        inReplaceBlock = false;
        continue;
      }
      directive = text;
    } else if (text.startsWith('replace')) {
      const rest = text.slice(7).trim();
      if (rest === '(') {
        inReplaceBlock = true;
        continue;
      }
      if (text.length > 7 && /\s/.test(text[7]!)) directive = rest;
    }
    if (!directive || !out.added(line)) continue;
    const arrow = directive.indexOf('=>');
    if (arrow < 0) continue;
    const from = directive.slice(0, arrow).trim().split(/\s+/)[0] ?? '';
    const to = directive.slice(arrow + 2).trim().split(/\s+/)[0] ?? '';
    if (to === '') continue;
    if (/^(\.{1,2}[/\\]|\/|[a-zA-Z]:[/\\])/.test(to) || to === '.' || to === '..') {
      out.report(
        RULE.goReplace,
        line,
        `go.mod replaces ${from} with the local directory ${to}: builds use whatever code is in that path instead of the published, checksummed module.`,
      );
    } else if (to !== from) {
      out.report(
        RULE.goReplace,
        line,
        `go.mod replaces ${from} with a different module, ${to}: every import of ${from} now compiles code from ${to}.`,
      );
    }
  }
}

const CARGO_DEPENDENCY_TABLES = new Set(['dependencies', 'dev-dependencies', 'build-dependencies']);

function analyzeCargo(input: AnalyzerInput, out: Findings): void {
  const doc = readToml(input.text!);
  if (doc.error) {
    out.reportAnchored(
      RULE.parseError,
      doc.error.line,
      `Cargo.toml could not be parsed (line ${doc.error.line}: ${doc.error.message}); dependencies after that point were not reviewed.`,
    );
  }
  const report = (crate: string, url: string, line: number): void => {
    if (!out.added(line)) return;
    out.report(
      RULE.cargoGit,
      line,
      `The crate "${crate}" is fetched from the git repository ${shorten(url, 100)} instead of crates.io: no registry ` +
        `checksum or yanking applies and the branch can change under you.`,
    );
  };
  for (const table of doc.tables) {
    for (const assignment of table.assignments) {
      const full = [...table.path, ...assignment.key];
      let at = full.findIndex((part) => CARGO_DEPENDENCY_TABLES.has(part));
      if (at < 0 && full[0] === 'patch') at = 1; // [patch.crates-io] name = { git = … }
      if (at < 0 || full.length <= at + 1) continue;
      const crate = full[at + 1]!;
      const rest = full.slice(at + 2);
      if (rest.length === 1 && rest[0] === 'git' && assignment.value.kind === 'string') {
        report(crate, assignment.value.value, assignment.line);
      } else if (rest.length === 0) {
        const git = inlineGet(assignment.value, 'git');
        if (git && git.value.kind === 'string') report(crate, git.value.value, git.line);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Install commands in scripts, Dockerfiles and CI configuration

function analyzeInstallCommands(input: AnalyzerInput, out: Findings, names: NameChecker): void {
  const scan = findInstalls(input.lines, (line) => input.added.has(line));
  const what = baseName(input.file.path);
  for (const pkg of scan.packages) checkInstalledPackage(pkg, out, names);
  for (const option of scan.options) checkIndexOption(option, `An install command in ${what}`, out);
}

function checkInstalledPackage(pkg: InstalledPackage, out: Findings, names: NameChecker): void {
  if (!out.added(pkg.line)) return;
  if (pkg.source === 'registry' && pkg.name) {
    names.check(pkg.ecosystem === 'npm' ? 'npm' : 'PyPI', pkg.name, pkg.line, pkg.column);
    return;
  }
  if (pkg.ecosystem === 'pypi') {
    out.report(RULE.pythonDirectUrl, pkg.line, pythonDirectUrlMessage('A package', pkg.spec), pkg.column);
  } else {
    const kind = pkg.source === 'registry' ? 'url' : pkg.source;
    out.report(RULE.nonRegistry, pkg.line, nonRegistryMessage(pkg.spec, { kind, detail: pkg.spec }), pkg.column);
  }
}

// ---------------------------------------------------------------------------

function appliesTo(file: ChangedFile): boolean {
  return file.status !== 'deleted' && manifestKind(file.path) !== null;
}

/** The kinds of file whose dependency names are judged as possible typosquats. */
const NAMES_DEPENDENCIES = new Set<ManifestKind>(['package-json', 'requirements', 'pyproject', 'shell']);

function analyze(input: AnalyzerInput): RawFinding[] {
  if (input.text === null || input.added.size === 0) return [];
  const kind = manifestKind(input.file.path);
  if (!kind) return [];
  const out = new Findings(input);
  const established = establishedNames(kind, input);
  const unread = new Map<Registry, string[]>();
  if (NAMES_DEPENDENCIES.has(kind)) lockedByBase(input, established, unread);
  return analyzeAs(kind, input, out, new NameChecker(input.data, out, established, null, unread));
}

function directoryOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

/**
 * The base lockfiles that may already lock a package this manifest names: beside it and at the
 * repository root (workspaces lock there), for the registries of the names that look like
 * typosquats on a first look; [] when none does, so a review reads no lockfile for nothing.
 */
function baseCompanions(input: AnalyzerInput): string[] {
  const kind = manifestKind(input.file.path);
  if (!kind || !NAMES_DEPENDENCIES.has(kind)) return [];
  const registries = new Set<LockRegistry>();
  for (const finding of analyze({ ...input, companions: undefined })) {
    if (finding.ruleId !== RULE.typosquat || finding.groupKey === undefined) continue;
    registries.add(finding.groupKey.startsWith('npm:') ? 'npm' : 'PyPI');
  }
  const paths: string[] = [];
  for (const dir of new Set([directoryOf(input.file.path), ''])) {
    for (const registry of registries) {
      for (const name of LOCKFILES[registry]) if (dir + name !== input.file.path) paths.push(dir + name);
    }
  }
  return paths;
}

/**
 * Adds to `established` what the base lockfiles read for this file lock (a package the
 * repository already installs is not a typosquat of another), and notes in `unread`, by
 * registry, each lockfile that exists at the base but could not be read or parsed: the check
 * does not pass silently on those.
 */
function lockedByBase(input: AnalyzerInput, established: Set<string>, unread: Map<Registry, string[]>): void {
  for (const [path, companion] of input.companions ?? []) {
    const file = baseName(path);
    const registry = (Object.keys(LOCKFILES) as LockRegistry[]).find((r) => LOCKFILES[r].includes(file));
    if (!registry || 'missing' in companion) continue;
    const problem = 'problem' in companion ? `${path} at the base: ${companion.problem}` : lockfileProblem(input, path, companion.text, established);
    if (problem !== null) unread.set(registry, [...(unread.get(registry) ?? []), problem]);
  }
}

/** Reads one base lockfile's names into `established`; a one-line problem naming it when it cannot. */
function lockfileProblem(input: AnalyzerInput, path: string, text: string, established: Set<string>): string | null {
  const file = baseName(path);
  if (file === 'requirements.txt') {
    const lines = splitLines(text);
    const base: AnalyzerInput = { ...input, file: { ...input.file, path }, text, lines, added: new Set(lines.map((_, i) => i + 1)), base: null, companions: undefined };
    const out = new Findings(base);
    analyzeAs('requirements', base, out, new NameChecker(input.data, out, new Set(), established));
    return null;
  }
  const locked = lockedNames(file, text);
  if ('problem' in locked) return `${path} at the base: ${locked.problem}`;
  for (const name of locked.names) established.add(name);
  return null;
}

/**
 * The packages the base version of the file already names: a dependency that was there before
 * the change (a version bump, a reordered section, a line reformatted) is not new.
 */
function establishedNames(kind: ManifestKind, input: AnalyzerInput): Set<string> {
  const names = new Set<string>();
  if (!input.base || input.base.text === null || !NAMES_DEPENDENCIES.has(kind)) return names;
  const { text, lines } = input.base;
  const base: AnalyzerInput = { ...input, text, lines, added: new Set(lines.map((_, i) => i + 1)), base: null };
  const out = new Findings(base);
  analyzeAs(kind, base, out, new NameChecker(input.data, out, new Set(), names));
  return names;
}

function analyzeAs(kind: ManifestKind, input: AnalyzerInput, out: Findings, names: NameChecker): RawFinding[] {
  switch (kind) {
    case 'package-json':
      analyzePackageJson(input, out, names);
      break;
    case 'npm-lock':
      analyzeNpmLock(input, out);
      break;
    case 'yarn-lock':
      analyzeYarnLock(input, out);
      break;
    case 'pnpm-lock':
      analyzePnpmLock(input, out);
      break;
    case 'npmrc':
      checkRegistrySettings('.npmrc', npmrcSettings(input), out);
      break;
    case 'yarnrc-yml':
      checkRegistrySettings('.yarnrc.yml', yarnrcYmlSettings(input), out);
      break;
    case 'yarnrc':
      checkRegistrySettings('.yarnrc', yarnrcSettings(input), out);
      break;
    case 'requirements':
      analyzeRequirements(input, out, names);
      break;
    case 'pyproject':
      analyzePyproject(input, out, names);
      break;
    case 'pip-conf':
      analyzePipConf(input, out);
      break;
    case 'uv-toml':
      analyzeUvToml(input, out);
      break;
    case 'go-mod':
      analyzeGoMod(input, out);
      break;
    case 'cargo':
      analyzeCargo(input, out);
      break;
    case 'shell':
      analyzeInstallCommands(input, out, names);
      analyzeRegistryCommands(input, out);
      break;
  }
  return out.list;
}

export const dependenciesAnalyzer: Analyzer = {
  name: 'dependencies',
  rules: DEPENDENCY_RULES,
  appliesTo,
  // Modified manifests: what the base already depends on is not new.
  wantsBase: (file) => {
    const kind = manifestKind(file.path);
    return kind !== null && NAMES_DEPENDENCIES.has(kind);
  },
  baseCompanions,
  analyze,
};

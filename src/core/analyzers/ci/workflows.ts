// GitHub Actions analyzer (THREATS.md B row 9): workflows under .github/workflows/ and
// composite actions (action.yml). Parses the YAML with node ranges so each finding
// lands on the line that introduces the problem: pwn-request checkouts, untrusted
// expressions in scripts and AI prompts, broad token permissions, unpinned actions,
// silenced test steps, secrets sent out of the job and AI CLIs run without guardrails.

import RE2 from 're2';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLMap } from 'yaml';
import type { ChangedFile } from '../../model.js';
import type { Analyzer, AnalyzerInput, RawFinding } from '../../rules/types.js';
import { MAX_FLOW_DEPTH, maxFlowDepth } from '../../formats/yaml-safety.js';
import { logicalLines } from '../dependencies/install-commands.js';
import { WORKFLOW_RULE as RULE, WORKFLOW_RULES } from './workflow-rules.js';

/** Workflows larger than this are not parsed (GitHub's own limit is far below). */
const MAX_PARSE_BYTES = 4_000_000;
const SNIPPET_MAX = 200;

type FileKind = 'workflow' | 'action';

function fileKind(path: string): FileKind | null {
  if (path.startsWith('.github/workflows/') && /\.ya?ml$/i.test(path)) return 'workflow';
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (base === 'action.yml' || base === 'action.yaml') return 'action';
  return null;
}

// ---------------------------------------------------------------------------
// Patterns (RE2: linear time on hostile text)

/** Contexts an outside contributor controls, after `normalizeExpression`. */
const UNTRUSTED_CONTEXT = new RE2(
  '(?:^|[^a-z0-9_.])(github\\.(?:head_ref|event\\.(?:' +
    'issue\\.(?:title|body)|' +
    'pull_request\\.(?:title|body|head\\.(?:ref|label|repo\\.default_branch))|' +
    'comment\\.body|review\\.body|review_comment\\.body|' +
    'head_commit\\.(?:message|author\\.(?:name|email)|committer\\.(?:name|email))|' +
    'commits\\.\\*\\.(?:message|author\\.(?:name|email))|' +
    'workflow_run\\.(?:head_branch|display_title|head_commit\\.(?:message|author\\.(?:name|email)))|' +
    'discussion\\.(?:title|body)|' +
    'pages\\.\\*\\.page_name))|' +
    'tojson\\(github\\.event(?:\\.(?:issue|pull_request|comment|review|review_comment|head_commit|commits|discussion|workflow_run))?\\))',
);

/** Untrusted contexts that are git ref names: shell metacharacters, but never a line break. */
const REF_NAME_CONTEXT = /^(?:github\.head_ref|github\.event\.pull_request\.head\.(?:ref|label)|github\.event\.workflow_run\.head_branch)$/;

/** workflow_dispatch / workflow_call inputs: chosen by someone with write access, still worth quoting safely. */
const INPUT_CONTEXT = new RE2('(?:^|[^a-z0-9_.])((?:github\\.event\\.)?inputs\\.[a-z0-9_-]+)');

/** A checkout ref or repository that points at the pull request's code. */
const PR_HEAD_REF = new RE2(
  '(github\\.event\\.pull_request\\.head\\.|github\\.head_ref|github\\.event\\.workflow_run\\.head_|' +
    'refs/pull/|github\\.event\\.pull_request\\.merge_commit_sha|github\\.event\\.number|github\\.event\\.pull_request\\.number)',
);

/** A value that names the pull request's code itself (not only its number). */
const PR_CODE_REF = new RE2(
  '(github\\.event\\.pull_request\\.head\\.(?:sha|ref|repo)|github\\.head_ref|github\\.event\\.workflow_run\\.head_(?:sha|branch|repository)|refs/pull/|github\\.event\\.pull_request\\.merge_commit_sha)',
);

/** Shell commands that fetch the pull request's code. */
const PR_FETCH_COMMAND = new RE2('(?i)(\\bgh\\s+pr\\s+checkout\\b|\\bgit\\s+(?:fetch|pull)\\b[^\\n]*\\bpull/)');

/** A shell line that appends to the file GitHub reads environment variables or PATH entries from. */
const ENV_FILE_WRITE = new RE2('(?:>>?|\\btee\\s+(?:-a\\s+|--append\\s+)?)\\s*["\']?\\$\\{?(GITHUB_ENV|GITHUB_PATH)\\b');
/** …or step outputs (what it wrote becomes `steps.<id>.outputs.<name>`). */
const OUTPUT_FILE_WRITE = new RE2('(?:>>?|\\btee\\s+(?:-a\\s+|--append\\s+)?)\\s*["\']?\\$\\{?GITHUB_OUTPUT\\b');
const OUTPUT_NAME = new RE2('(?:echo|printf)\\s+(?:-[a-zA-Z]+\\s+)*["\']?([A-Za-z0-9_-]+)(?:=|<<)');
/** Shell variable references: $NAME and ${NAME…}. */
const SHELL_VARIABLE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;
/** github-script calls that hand a value to later steps: `core.exportVariable('NAME', value)`, `core.setOutput('name', value)`. */
const SCRIPT_EXPORT = /\bcore\.(exportVariable|setOutput)\(\s*(['"`])([A-Za-z_][A-Za-z0-9_-]*)\2\s*,\s*([^;\n]{1,300})/g;
/** Where the shell (or another interpreter) evaluates a string it was given as code. */
const EVALUATES = new RE2(
  '(?:^|[;&|(`\\s])(?:eval\\s|(?:ba|z|k|da)?sh\\s+(?:-[a-zA-Z]+\\s+)*-[a-zA-Z]*c\\s|(?:python[0-9.]*|node|perl|ruby|php|pwsh|powershell)\\s+(?:-c|-e|--eval|-command|-Command)\\s)',
);

/** Artifact downloads that can fetch what another (pull request) run uploaded. */
const ARTIFACT_DOWNLOAD_ACTIONS = ['dawidd6/action-download-artifact', 'bettermarks/action-artifact-download', 'aochmann/actions-download-artifact'];
const GH_RUN_DOWNLOAD = new RE2('\\bgh\\s+run\\s+download\\b');
/** What turns a downloaded artifact into code or configuration: the match names it. */
const ARTIFACT_USE_STRONG = new RE2(
  '(?:^|[;&|(\\s])((?:source|\\.)\\s+[^\\s;&|]+|chmod\\s+\\+x|eval\\s|\\$\\((?:cat\\s|<)[^)]*\\)[^\\n]*>>\\s*["\']?\\$\\{?GITHUB_(?:ENV|PATH|OUTPUT)|(?:cat|<)\\s*[^|>]*>>\\s*["\']?\\$\\{?GITHUB_(?:ENV|PATH))',
);
const ARTIFACT_USE_EXTRACT = new RE2('(?:^|[;&|(\\s])(unzip\\s|tar\\s+(?:-[a-zA-Z]*x|x)|7z\\s+x\\b|bsdtar\\s)');

/** Cache actions, and setup actions whose cache input restores and saves a shared cache. */
const CACHE_ACTIONS = ['actions/cache', 'actions/cache/restore', 'actions/cache/save'];
const SETUP_CACHE_ACTIONS = ['actions/setup-node', 'actions/setup-python', 'actions/setup-java', 'actions/setup-dotnet', 'actions/setup-go', 'ruby/setup-ruby', 'astral-sh/setup-uv', 'pnpm/action-setup'];

/** Triggers that run with the base repository's secrets and token on text or code outsiders send. */
const UNTRUSTED_EVENT_TRIGGERS = [
  'pull_request_target',
  'workflow_run',
  'issue_comment',
  'issues',
  'pull_request_review',
  'pull_request_review_comment',
  'discussion',
  'discussion_comment',
];
/** A job condition that keeps fork pull requests out. */
const SAME_REPOSITORY_GUARD = new RE2(
  '(?i)(head\\.repo\\.full_name\\s*==\\s*github\\.repository|github\\.repository\\s*==\\s*github\\.event\\.pull_request\\.head\\.repo\\.full_name|head\\.repo\\.fork\\s*==\\s*false|!\\s*github\\.event\\.pull_request\\.head\\.repo\\.fork)',
);

/** Flags that only AI CLIs use: the match is the flag itself. */
const AI_BYPASS_FLAG = new RE2(
  '(?i)(--dangerously-skip-permissions|--dangerously-bypass-approvals-and-sandbox|--trust-all-tools|' +
    '--permission-mode[= ]+bypasspermissions|--allow-all-tools|--approval-mode[= ]+yolo|--sandbox[= ]+danger-full-access)',
);
/**
 * Generic-looking flags that turn guardrails off only after an AI CLI's name, run as a command
 * (`gemini-cli@1 …`, not `claude.md` or `.claude/`); the flag ends the match.
 */
const AI_CLI_THEN_FLAG = new RE2(
  '(?i)(?:^|[\\s/;&|(\'"])(?:gemini|codex|copilot|qwen|cursor-agent|aider|opencode|claude)(?:-[a-z]+)?(?:@\\S*)?(?:\\s[^\\n]*?)?\\s(--yolo|-y|--full-auto|--force|-f|--yes-always)(?:\\s|$)',
);

const TESTISH = new RE2(
  '(?i)(?:^|[^a-z0-9])(tests?|testing|unit-?tests?|e2e|pytest|jest|vitest|mocha|rspec|phpunit|unittest|tox|nox|' +
    'lint|linter|linting|eslint|stylelint|ruff|flake8|pylint|mypy|pyright|tsc|typecheck|type-check|clippy|' +
    'golangci-lint|go vet|shellcheck|hadolint|audit|scan|scanner|security|sast|codeql|semgrep|trivy|snyk|bandit|' +
    'gosec|gitleaks|trufflehog|grype|zizmor|coverage)(?:[^a-z0-9]|$)',
);

/** `|| true`, `|| :`, `|| exit 0`, `|| echo …`, `; true` — a failing command that can no longer fail the step. */
/**
 * Commands that install, fetch or clean up rather than check anything: `|| true` after them is
 * tolerance, not a silenced check, even in a step named for tests ("Install test deps").
 */
const SETUP_COMMAND = new RE2(
  '^\\s*(?:sudo\\s+(?:-\\S+\\s+)*)?(?:apt(?:-get)?\\s+(?:-\\S+\\s+)*(?:install|update|upgrade|remove|purge|autoremove|clean)|(?:yum|dnf|zypper)\\s+(?:-\\S+\\s+)*install|apk\\s+add|brew\\s+(?:install|update|upgrade)|choco\\s+install|' +
    '(?:pip[0-9.]*|python[0-9.]*\\s+-m\\s+pip)\\s+install|npm\\s+(?:ci|install|i|cache)\\b|yarn\\s+(?:install|cache)|pnpm\\s+(?:install|i|store)\\b|gem\\s+install|bundle\\s+install|' +
    'go\\s+(?:mod\\s+download|get|install)|cargo\\s+(?:install|fetch)|docker\\s+(?:pull|rm|rmi|system\\s+prune)|git\\s+clean|rm|rmdir|mkdir|pkill|killall|kill)(?:\\s|$)',
);

const FAILURE_SILENCER_TAIL = /\s*(\|\|\s*(true|:|exit\s+0|echo\b.*)|;\s*true)\s*$/;

/** The last command of a shell line (`a && b || true` runs `b` last): what a silencer applies to. */
function lastCommand(text: string): string {
  const parts = text.split(/&&|\|\||;/);
  return parts[parts.length - 1] ?? text;
}

/** A run script every command line of which installs or cleans up. */
export function setupOnly(run: string): boolean {
  const lines = run.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  return lines.length > 0 && lines.every((l) => SETUP_COMMAND.test(lastCommand(l.replace(FAILURE_SILENCER_TAIL, ''))));
}

const FAILURE_SILENCER = new RE2('(\\|\\|\\s*(?:true|:|exit\\s+0|echo)(?:\\s|;|$)|;\\s*true\\s*$)');

const SECRET_EXPRESSION = new RE2('(?i)\\$\\{\\{[^}]*\\bsecrets(?:\\.|\\[)');
const NETWORK_TOOL = new RE2(
  '(?i)(?:^|[^a-z0-9_./-])(curl|wget|nc|ncat|netcat|socat|invoke-webrequest|invoke-restmethod|iwr|irm|http|scp|rsync|ftp)(?:\\s|$)',
);
/** Secrets whose value is itself the destination (webhook URLs): sending to them is their purpose. */
const SECRET_NAMES = new RE2('(?i)secrets(?:\\.|\\[\\s*[\'"])([a-z0-9_-]+)');
const DESTINATION_SECRET = new RE2('(?i)(url|webhook|endpoint|host|dsn)');
const URL_HOST = new RE2('(?i)(?:https?|ftp)://([a-z0-9.-]+)');
const ENCODE_FOR_LOGS = new RE2('(?i)\\|\\s*(?:base64|xxd|od|rev|openssl\\s+(?:base64|enc))\\b');
const ENV_DUMP = new RE2(
  '(?i)((?:^|[^a-z0-9_.-])(?:env|printenv|export\\s+-p)\\s*\\|[^\\n]*(?:^|[^a-z0-9_-])(?:curl|wget|nc|ncat|netcat|socat|base64|xxd|openssl|gh\\s+gist|http)(?:[^a-z0-9_-]|$)|' +
    '/proc/[^\\n]{0,60}/(?:environ|mem)\\b|tojson\\(\\s*secrets\\s*\\))',
);

const GITHUB_HOSTS = new Set(['github.com', 'api.github.com', 'uploads.github.com', 'ghcr.io']);

const AI_ACTION_PREFIXES = [
  'anthropics/claude-code-action',
  'anthropics/claude-code-base-action',
  'openai/codex-action',
  'google-github-actions/run-gemini-cli',
  'google-gemini/gemini-cli-action',
  'actions/ai-inference',
  'coderabbitai/',
  'warpdotdev/',
];
const PROMPT_KEYS = new Set([
  'prompt',
  'direct_prompt',
  'override_prompt',
  'custom_instructions',
  'system_prompt',
  'append_system_prompt',
  'prompt_file',
  'instructions',
]);

/** Lowercases an expression, drops blanks and turns `a['b']`/`a[0]`/`a[*]` into `a.b`/`a.*`. */
export function normalizeExpression(expression: string): string {
  let out = '';
  // Real expressions are short; the cap keeps hostile ones cheap.
  const text = expression.slice(0, 4096).toLowerCase();
  let unclosed = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') continue;
    if (ch === '[' && !unclosed) {
      const close = text.indexOf(']', i);
      if (close < 0) unclosed = true; // no later bracket closes either: stop looking
      else {
        const inner = text.slice(i + 1, close).replace(/\s+/g, '');
        const quoted = /^(['"])([a-z0-9_-]+)\1$/.exec(inner);
        out += quoted ? `.${quoted[2]}` : '.*';
        i = close;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

// ---------------------------------------------------------------------------

interface Expression {
  /** Text between `${{` and `}}`. */
  text: string;
  line: number;
}

/** Where an untrusted value came from: the context it was read from and the line that read it. */
interface Taint {
  source: string;
  line: number;
}

/** What the steps of one job share as they run in order. */
interface JobScope {
  /**
   * Environment variables (lowercased name) that carry untrusted text in this scope; steps add
   * to it what they write to $GITHUB_ENV (or core.exportVariable) for the steps after them.
   */
  env: Map<string, Taint>;
  /** `steps.<id>.outputs.<name>` (lowercased) written from untrusted text. */
  outputs: Map<string, Taint>;
  /** An artifact another run may have uploaded, downloaded by an earlier step of the job. */
  download: { line: number; what: string } | null;
  /** The job checks out or fetches the pull request's code under a privileged trigger. */
  untrustedCode: boolean;
}

const EMPTY_SCOPE = (): JobScope => ({ env: new Map(), outputs: new Map(), download: null, untrustedCode: false });

class WorkflowScan {
  readonly findings: RawFinding[] = [];
  private readonly seen = new Set<string>();
  private readonly lineCounter = new LineCounter();
  private doc: Document.Parsed | null = null;
  /** Trigger name → line of its key. */
  private triggers = new Map<string, number>();
  /** Called workflows and actions of the change, read once per file. */
  private readonly callees = new Map<string, CalleeUses>();
  /** `needs.<job>.outputs.<name>` (lowercased) of jobs already checked, set from untrusted text. */
  private readonly jobOutputs = new Map<string, Taint>();

  constructor(
    private readonly input: AnalyzerInput,
    private readonly kind: FileKind,
  ) {}

  private added(line: number): boolean {
    return this.input.added.has(line);
  }

  /** `groupKey`: what the finding is about, when the line's text does not say it alone (see RawFinding). */
  private report(ruleId: string, line: number, message?: string, groupKey?: string): void {
    const key = `${ruleId}:${line}:${message ?? ''}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const raw = (this.input.lines[line - 1] ?? '').trim();
    const finding: RawFinding = { ruleId, line, snippet: raw.length > SNIPPET_MAX ? `${raw.slice(0, SNIPPET_MAX)}…` : raw };
    if (message !== undefined) finding.message = message;
    if (groupKey !== undefined) finding.groupKey = groupKey;
    this.findings.push(finding);
  }

  private reportParseError(line: number, detail: string): void {
    const message = `This ${this.kind === 'workflow' ? 'workflow' : 'action'} could not be parsed (${detail}), so it was not reviewed; GitHub will not run it as written either.`;
    const target = this.added(line) ? line : this.input.file.addedLines[0];
    if (target !== undefined) this.report(RULE.parseError, target, message);
  }

  private lineAt(offset: number): number {
    return this.lineCounter.linePos(offset).line || 1;
  }

  private lineOf(node: Node | null | undefined): number {
    const range = node?.range;
    return range ? this.lineAt(range[0]) : 1;
  }

  private resolve(node: unknown): Node | null {
    if (isAlias(node)) {
      try {
        const target = node.resolve(this.doc!);
        return (target as Node | undefined) ?? null;
      } catch {
        return null;
      }
    }
    return (node as Node | null) ?? null;
  }

  private keyText(key: unknown): string | null {
    const node = this.resolve(key);
    if (!isScalar(node)) return null;
    if (typeof node.value === 'string') return node.value;
    // YAML 1.1 reads a bare `on` key as boolean true; GitHub means the trigger list.
    if (node.value === true && node.range && this.input.text!.slice(node.range[0], node.range[1]).toLowerCase() === 'on') return 'on';
    return String(node.value);
  }

  /** Value node of `key` in a map, with its key node (for lines). */
  private entry(map: unknown, key: string): { key: Node; value: Node | null } | null {
    const node = this.resolve(map);
    if (!isMap(node)) return null;
    for (const pair of node.items) {
      if (this.keyText(pair.key) === key) return { key: pair.key as Node, value: this.resolve(pair.value) };
    }
    return null;
  }

  private get(map: unknown, key: string): Node | null {
    return this.entry(map, key)?.value ?? null;
  }

  private scalarString(node: unknown): string | null {
    const resolved = this.resolve(node);
    if (!isScalar(resolved)) return null;
    const value = resolved.value;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return null;
  }

  private mapEntries(map: unknown): Array<{ key: string; keyNode: Node; value: Node | null }> {
    const node = this.resolve(map);
    if (!isMap(node)) return [];
    const out: Array<{ key: string; keyNode: Node; value: Node | null }> = [];
    for (const pair of (node as YAMLMap).items) {
      const key = this.keyText(pair.key);
      if (key !== null) out.push({ key, keyNode: pair.key as Node, value: this.resolve(pair.value) });
    }
    return out;
  }

  private seqItems(seq: unknown): Node[] {
    const node = this.resolve(seq);
    if (!isSeq(node)) return [];
    return node.items.map((item) => this.resolve(item)).filter((item): item is Node => item !== null);
  }

  /** Source lines a scalar spans, as written (block scalars included). */
  private scalarLines(node: Node): Array<{ line: number; text: string }> {
    const range = node.range;
    if (!range) return [];
    const first = this.lineAt(range[0]);
    const last = this.lineAt(Math.max(range[0], range[1] - 1));
    const out: Array<{ line: number; text: string }> = [];
    for (let line = first; line <= last; line++) out.push({ line, text: this.input.lines[line - 1] ?? '' });
    return out;
  }

  /** Every `${{ … }}` in a scalar's source, with the line it starts on. */
  private expressions(node: Node): Expression[] {
    const range = node.range;
    if (!range) return [];
    const source = this.input.text!.slice(range[0], range[1]);
    const out: Expression[] = [];
    let from = 0;
    for (;;) {
      const open = source.indexOf('${{', from);
      if (open < 0) break;
      let close = source.indexOf('}}', open + 3);
      if (close < 0) close = source.length;
      out.push({ text: source.slice(open + 3, close), line: this.lineAt(range[0] + open) });
      from = close + 2;
    }
    return out;
  }

  /**
   * Joins backslash-continued script lines; each match maps back to the physical line of
   * `focus` (the part of the match that matters), by default the match itself.
   */
  private scriptMatches(
    node: Node,
    pattern: RE2,
    focus: (match: RegExpExecArray) => { offset: number; text: string } = (m) => ({ offset: 0, text: m[0] }),
  ): Array<{ line: number; match: string; logical: string }> {
    const physical = this.scalarLines(node);
    if (physical.length === 0) return [];
    const firstLine = physical[0]!.line;
    const out: Array<{ line: number; match: string; logical: string }> = [];
    for (const logical of logicalLines(physical.map((p) => p.text))) {
      if (!logical.segments.some((s) => this.added(s.line + firstLine - 1))) continue;
      const match = pattern.exec(logical.text);
      if (!match) continue;
      const part = focus(match);
      const at = match.index + part.offset;
      let segment = logical.segments[0]!;
      for (const s of logical.segments) if (s.offset <= at) segment = s;
      out.push({ line: segment.line + firstLine - 1, match: part.text, logical: logical.text });
    }
    return out;
  }

  // -------------------------------------------------------------------------

  run(): RawFinding[] {
    const text = this.input.text!;
    if (text.length > MAX_PARSE_BYTES) {
      this.reportParseError(1, `larger than ${MAX_PARSE_BYTES / 1_000_000} MB`);
      return this.findings;
    }
    const depth = maxFlowDepth(text);
    if (depth.depth > MAX_FLOW_DEPTH) {
      this.reportParseError(depth.line, `brackets nested more than ${MAX_FLOW_DEPTH} levels deep`);
      return this.findings;
    }
    try {
      this.doc = parseDocument(text, { lineCounter: this.lineCounter, prettyErrors: false, uniqueKeys: true });
    } catch (err) {
      this.reportParseError(1, err instanceof Error ? err.message.split('\n')[0]! : 'parser failure');
      return this.findings;
    }
    if (this.doc.errors.length > 0) {
      const err = this.doc.errors[0]!;
      const line = this.lineAt(err.pos[0]);
      this.reportParseError(line, `line ${line}: ${err.message.split('\n')[0]}`);
      return this.findings;
    }
    const root = this.resolve(this.doc.contents);
    if (!isMap(root)) return this.findings;

    this.checkSecretDumpLines();
    if (this.kind === 'workflow') {
      this.triggers = this.readTriggers(this.get(root, 'on'));
      const jobs = this.mapEntries(this.get(root, 'jobs'));
      const untrusted = new Map(jobs.map((job) => [job.key, this.runsPullRequestCode(job.value)]));
      this.checkPermissions(this.get(root, 'permissions'), [...untrusted.values()].some(Boolean));
      const env = this.taintedEnv(this.get(root, 'env'), new Map(), new Map());
      for (const job of this.inNeedsOrder(jobs)) this.checkJob(job.key, job.value, env, untrusted.get(job.key) ?? false);
    } else {
      const runs = this.get(root, 'runs');
      const image = this.get(runs, 'image');
      const imageText = this.scalarString(image);
      if (image && imageText?.startsWith('docker://')) this.checkUses(imageText, this.lineOf(image));
      const scope = EMPTY_SCOPE();
      for (const step of this.seqItems(this.get(runs, 'steps'))) this.checkStep(step, scope);
    }
    return this.findings;
  }

  private readTriggers(on: Node | null): Map<string, number> {
    const triggers = new Map<string, number>();
    if (!on) return triggers;
    const single = this.scalarString(on);
    if (single !== null) triggers.set(single, this.lineOf(on));
    for (const item of this.seqItems(on)) {
      const name = this.scalarString(item);
      if (name !== null) triggers.set(name, this.lineOf(item));
    }
    for (const entry of this.mapEntries(on)) triggers.set(entry.key, this.lineOf(entry.keyNode));
    return triggers;
  }

  private privilegedTrigger(): { name: string; line: number } | null {
    for (const name of ['pull_request_target', 'workflow_run']) {
      const line = this.triggers.get(name);
      if (line !== undefined) return { name, line };
    }
    return null;
  }

  /** True when some trigger runs with the base repository's privileges for outsiders' events. */
  private untrustedEventTrigger(): { name: string; line: number } | null {
    for (const name of UNTRUSTED_EVENT_TRIGGERS) {
      const line = this.triggers.get(name);
      if (line !== undefined) return { name, line };
    }
    return null;
  }

  /** The job checks out or fetches the pull request's code while a privileged trigger is on. */
  private runsPullRequestCode(job: Node | null): boolean {
    if (!isMap(job) || !this.untrustedEventTrigger()) return false;
    for (const step of this.seqItems(this.get(job, 'steps'))) {
      const uses = this.scalarString(this.get(step, 'uses'))?.toLowerCase() ?? '';
      if (uses.startsWith('actions/checkout')) {
        const withNode = this.get(step, 'with');
        for (const key of ['ref', 'repository']) {
          const text = this.scalarString(this.get(withNode, key));
          if (text !== null && PR_HEAD_REF.test(normalizeExpression(text))) return true;
        }
      }
      const run = this.scalarString(this.get(step, 'run'));
      if (run !== null && run.length < 100_000 && PR_FETCH_COMMAND.test(run)) return true;
    }
    return false;
  }

  private checkPermissions(node: Node | null, untrustedCode: boolean): void {
    if (!node) return;
    const scalar = this.scalarString(node);
    if (scalar !== null && scalar.trim().toLowerCase() === 'write-all') {
      this.report(
        RULE.writeAll,
        this.lineOf(node),
        'permissions: write-all gives the GITHUB_TOKEN write access to contents, packages, actions, workflows and every other scope; any compromised step can push code or publish releases.',
      );
    }
    for (const entry of this.mapEntries(node)) {
      if (entry.key === 'id-token' && this.scalarString(entry.value)?.trim().toLowerCase() === 'write') {
        // Publishing and deploying on pushes, tags and releases is what OIDC is for; the grant
        // matters where outsiders decide what runs or what text the job reads.
        const privileged = this.privilegedTrigger();
        const event = this.untrustedEventTrigger();
        if (!privileged && !(event && untrustedCode)) continue;
        const why = privileged
          ? `this workflow runs on ${privileged.name}, for events an outside contributor can cause`
          : `this workflow runs the pull request's code on ${event!.name}`;
        const line = this.lineOf(entry.value ?? entry.keyNode);
        const trigger = (privileged ?? event)!;
        this.report(
          RULE.idToken,
          this.added(line) ? line : trigger.line,
          `id-token: write lets this job mint OIDC tokens that cloud providers and registries (AWS, GCP, Azure, npm and PyPI trusted publishing) accept as this repository's identity, and ${why}.`,
        );
      }
    }
  }

  private checkJob(jobId: string, job: Node | null, workflowEnv: ReadonlyMap<string, Taint>, untrustedCode: boolean): void {
    if (!isMap(job)) return;
    this.checkPermissions(this.get(job, 'permissions'), untrustedCode);
    const uses = this.get(job, 'uses');
    const usesText = this.scalarString(uses);
    if (uses && usesText !== null) {
      this.checkUses(usesText, this.lineOf(uses));
      this.checkSecretsToCalledWorkflow(job, usesText);
      this.checkInputsToCallee(usesText, this.get(job, 'with'), workflowEnv);
    }
    this.checkSelfHosted(job);
    const jobName = this.scalarString(this.get(job, 'name')) ?? jobId;
    const continueOnError = this.get(job, 'continue-on-error');
    if (this.isTrue(continueOnError) && (TESTISH.test(jobName) || TESTISH.test(jobId))) {
      this.report(
        RULE.ignoredFailure,
        this.lineOf(continueOnError),
        `continue-on-error: true on the "${jobName}" job: its failures no longer fail the workflow, so the check passes whatever it finds.`,
      );
    }
    const outputs = new Map<string, Taint>();
    const scope: JobScope = { env: new Map(this.taintedEnv(this.get(job, 'env'), workflowEnv, outputs)), outputs, download: null, untrustedCode };
    for (const step of this.seqItems(this.get(job, 'steps'))) this.checkStep(step, scope);
    // The job's outputs, for the jobs that need it: read once its steps have set theirs.
    for (const output of this.mapEntries(this.get(job, 'outputs'))) {
      if (!output.value) continue;
      for (const expression of this.expressions(output.value)) {
        const source = this.untrustedSource(normalizeExpression(expression.text), scope.env, outputs);
        if (source) {
          this.jobOutputs.set(`needs.${jobId.toLowerCase()}.outputs.${output.key.toLowerCase()}`, { source: source.from ?? source.name, line: expression.line });
          break;
        }
      }
    }
  }

  /** Jobs with the jobs they need first (GitHub runs them in that order), else in file order. */
  private inNeedsOrder<T extends { key: string; value: Node | null }>(jobs: T[]): T[] {
    const needs = new Map(jobs.map((job) => [job.key, this.needsOf(job.value)]));
    const done = new Set<string>();
    const ordered: T[] = [];
    for (let pass = 0; pass < jobs.length && ordered.length < jobs.length; pass++) {
      for (const job of jobs) {
        if (done.has(job.key) || !needs.get(job.key)!.every((n) => done.has(n) || !needs.has(n))) continue;
        done.add(job.key);
        ordered.push(job);
      }
    }
    // A cycle (GitHub rejects it): the rest in file order.
    for (const job of jobs) if (!done.has(job.key)) ordered.push(job);
    return ordered;
  }

  private needsOf(job: Node | null): string[] {
    const needs = this.get(job, 'needs');
    const one = this.scalarString(needs);
    if (one !== null) return [one];
    return this.seqItems(needs).map((item) => this.scalarString(item)).filter((name): name is string => name !== null);
  }

  /**
   * The variables of an `env:` map whose values carry untrusted text, over those inherited:
   * an untrusted context, another tainted variable (`env.X`) or a tainted step output.
   */
  private taintedEnv(envNode: Node | null, inherited: ReadonlyMap<string, Taint>, outputs: ReadonlyMap<string, Taint>): ReadonlyMap<string, Taint> {
    const entries = this.mapEntries(envNode);
    if (entries.length === 0) return inherited;
    const env = new Map(inherited);
    for (const entry of entries) {
      const name = entry.key.toLowerCase();
      env.delete(name);
      if (!entry.value) continue;
      for (const expression of this.expressions(entry.value)) {
        const source = this.untrustedSource(normalizeExpression(expression.text), inherited, outputs);
        if (source) {
          env.set(name, { source: source.from ?? source.name, line: expression.line });
          break;
        }
      }
    }
    return env;
  }

  /**
   * The untrusted context a normalized expression reads: directly (`from` null) or through a
   * tainted env variable or step output (`name` is that, `from` the context it carries).
   */
  private untrustedSource(
    normalized: string,
    env: ReadonlyMap<string, Taint>,
    outputs: ReadonlyMap<string, Taint>,
  ): { name: string; from: string | null } | null {
    const direct = UNTRUSTED_CONTEXT.exec(normalized);
    if (direct) return { name: direct[1]!, from: null };
    if (env.size > 0) {
      for (const m of normalized.matchAll(/(?:^|[^a-z0-9_.])env\.([a-z_][a-z0-9_-]*)/g)) {
        const taint = env.get(m[1]!);
        if (taint) return { name: `env.${m[1]}`, from: taint.source };
      }
    }
    if (outputs.size > 0) {
      for (const m of normalized.matchAll(/(?:^|[^a-z0-9_.])(steps\.[a-z0-9_-]+\.outputs\.[a-z0-9_-]+)/g)) {
        const taint = outputs.get(m[1]!);
        if (taint) return { name: m[1]!, from: taint.source };
      }
    }
    if (this.jobOutputs.size > 0) {
      for (const m of normalized.matchAll(/(?:^|[^a-z0-9_.])(needs\.[a-z0-9_-]+\.outputs\.[a-z0-9_-]+)/g)) {
        const taint = this.jobOutputs.get(m[1]!);
        if (taint) return { name: m[1]!, from: taint.source };
      }
    }
    return null;
  }

  /** Every logical line of a run script, whether or not the change touches it. */
  private scriptLines(node: Node): Array<{ text: string; lines: number[] }> {
    const physical = this.scalarLines(node);
    if (physical.length === 0) return [];
    const firstLine = physical[0]!.line;
    return logicalLines(physical.map((p) => (p.text.length > 100_000 ? '' : p.text))).map((logical) => ({
      text: logical.text,
      lines: logical.segments.map((segment) => segment.line + firstLine - 1),
    }));
  }

  /**
   * Environment variables that carry untrusted text are the safe way to hand it to a shell,
   * until the script evaluates them (eval, sh -c "…$X…") or writes them to $GITHUB_ENV /
   * $GITHUB_PATH, where a line break in the value defines any variable for the later steps.
   * A write to $GITHUB_OUTPUT taints that step output for the steps after it.
   */
  private checkShellDataFlow(runNode: Node, env: ReadonlyMap<string, Taint>, scope: JobScope, stepId: string | null): void {
    const outputs = scope.outputs;
    const logicals = this.scriptLines(runNode);
    // `echo "NAME<<$DELIMITER"` with a generated delimiter is GitHub's documented way to write
    // multi-line values to $GITHUB_ENV safely: the payload cannot end the value early.
    const heredocEnv = logicals.some((l) => ENV_FILE_WRITE.test(l.text) && /<<\s*["']?\$/.test(l.text));
    for (const logical of logicals) {
      const text = logical.text;
      const tainted: Array<{ name: string; taint: Taint; at: number }> = [];
      for (const m of text.matchAll(SHELL_VARIABLE)) {
        const taint = env.get(m[1]!.toLowerCase());
        // ${NAME//pattern/…} rewrites the value on purpose (e.g. keeps [a-z0-9-] only).
        const rewritten = m[0].startsWith('${') && text[m.index + m[0].length] === '/';
        if (taint && !rewritten) tainted.push({ name: m[1]!, taint, at: m.index });
      }
      const writesOutput = stepId !== null && OUTPUT_FILE_WRITE.test(text);
      const writesEnv = ENV_FILE_WRITE.exec(text)?.[1] === 'GITHUB_ENV';
      if (writesOutput || writesEnv) {
        const direct = this.expressionsIn(text).map((e) => this.untrustedSource(e, env, outputs)).find((x) => x !== null);
        const source = tainted[0] ? tainted[0].taint.source : direct ? (direct.from ?? direct.name) : null;
        const name = OUTPUT_NAME.exec(text)?.[1];
        if (source && name) {
          const taint = { source, line: logical.lines[0]! };
          // What a step writes to $GITHUB_ENV is in the environment of every later step of the job.
          if (writesEnv) scope.env.set(name.toLowerCase(), taint);
          else outputs.set(`steps.${stepId}.outputs.${name.toLowerCase()}`, taint);
        }
      }
      if (tainted.length === 0) continue;
      const first = tainted[0]!;
      const anchor = logical.lines.find((l) => this.added(l)) ?? (this.added(first.taint.line) ? first.taint.line : undefined);
      if (anchor === undefined) continue;
      const envFile = ENV_FILE_WRITE.exec(text);
      if (envFile) {
        // Git refuses control characters in ref names: a branch name cannot break the line.
        const multiLine = tainted.find((t) => !REF_NAME_CONTEXT.test(t.taint.source));
        if (heredocEnv || !multiLine) continue;
        this.report(
          RULE.envFileInjection,
          anchor,
          `$${multiLine.name} carries ${multiLine.taint.source} and is written to $${envFile[1]}: a line break in that text defines any environment variable ` +
            `(or PATH entry) for every later step of the job, e.g. LD_PRELOAD, NODE_OPTIONS or BASH_ENV, which runs code with the job's token and secrets.`,
        );
        continue;
      }
      const unquoted = blankSingleQuoted(text);
      const evaluates = EVALUATES.exec(unquoted);
      if (!evaluates) continue;
      const start = evaluates.index + evaluates[0].length;
      const inside = tainted.find((t) => t.at >= start && unquoted[t.at] === '$');
      if (!inside) continue;
      this.report(
        RULE.untrustedEnvEvaluated,
        anchor,
        `$${inside.name} carries ${inside.taint.source}, and "${shorten(evaluates[0].trim(), 30)}" evaluates it as code: the env variable no longer protects the script, ` +
          'whoever writes that text runs commands here.',
      );
    }
  }

  /** The `${{ … }}` expressions of a text, normalized. */
  private expressionsIn(text: string): string[] {
    const out: string[] = [];
    let from = 0;
    for (let guard = 0; guard < 100; guard++) {
      const open = text.indexOf('${{', from);
      if (open < 0) break;
      const close = text.indexOf('}}', open + 3);
      out.push(normalizeExpression(text.slice(open + 3, close < 0 ? text.length : close)));
      if (close < 0) break;
      from = close + 2;
    }
    return out;
  }

  /**
   * Untrusted text passed as an input to a local reusable workflow or action that changes in the
   * same change set, when that file expands the input into a run script or github-script code.
   */
  private checkInputsToCallee(uses: string, withNode: Node | null, env: ReadonlyMap<string, Taint>): void {
    const related = this.input.related;
    const ref = uses.trim();
    if (!related || related.size === 0 || !ref.startsWith('./')) return;
    const path = ref.slice(2).replace(/\/+$/, '');
    const candidates = /\.ya?ml$/i.test(path) ? [path] : [`${path}/action.yml`, `${path}/action.yaml`];
    const calleePath = candidates.find((p) => related.has(p));
    if (calleePath === undefined) return;
    for (const input of this.mapEntries(withNode)) {
      if (!input.value) continue;
      const found = this.expressions(input.value)
        .map((e) => ({ e, source: this.untrustedSource(normalizeExpression(e.text), env, new Map()) }))
        .find((x) => x.source !== null);
      if (!found) continue;
      let callee = this.callees.get(calleePath);
      if (!callee) this.callees.set(calleePath, (callee = calleeInputUses(related.get(calleePath)!)));
      const use = callee.get(input.key.toLowerCase());
      if (use === undefined) continue;
      const source = found.source!.from ?? found.source!.name;
      this.report(
        RULE.expressionInjection,
        found.e.line,
        `\${{ ${source} }} is passed as the "${input.key}" input of ${calleePath}, which expands \${{ inputs.${input.key} }} into ` +
          `${use.kind === 'run' ? 'a shell script' : 'github-script code'} (line ${use.line}): whoever writes that text runs commands there. ` +
          'Read the input from an env variable in the called file instead.',
      );
    }
  }

  /** A step that downloads an artifact another run uploaded (a pull request's, under workflow_run). */
  private isArtifactDownload(action: string, withNode: Node | null): boolean {
    if (!this.triggers.has('workflow_run')) return false;
    const name = action.split('@')[0]!;
    if (ARTIFACT_DOWNLOAD_ACTIONS.includes(name)) return true;
    // Without run-id, actions/download-artifact reads the current (trusted) run's artifacts.
    return name === 'actions/download-artifact' && (this.get(withNode, 'run-id') !== null || this.get(withNode, 'github-token') !== null);
  }

  /** After such a download, the run steps that source, execute, extract or read it into the environment. */
  private checkArtifactUse(runNode: Node, scope: JobScope): void {
    const logicals = this.scriptLines(runNode);
    for (const logical of logicals) {
      if (this.triggers.has('workflow_run') && GH_RUN_DOWNLOAD.test(logical.text)) {
        scope.download = { line: logical.lines[0]!, what: 'gh run download' };
        continue;
      }
      const download = scope.download;
      if (!download) continue;
      const strong = ARTIFACT_USE_STRONG.exec(logical.text);
      const extract = strong ? null : ARTIFACT_USE_EXTRACT.exec(logical.text);
      const use = strong ?? extract;
      if (!use) continue;
      const line = logical.lines.find((l) => this.added(l)) ?? (this.added(download.line) ? download.line : undefined);
      if (line === undefined) continue;
      const finding: RawFinding = {
        ruleId: RULE.untrustedArtifact,
        line,
        snippet: shorten((this.input.lines[line - 1] ?? '').trim(), SNIPPET_MAX),
        message:
          `This workflow_run job downloads an artifact of the triggering run (${download.what}, line ${download.line}), which a pull request's ` +
          `code can write, then ${strong ? 'sources, executes or loads it into the environment' : 'extracts it'} ("${shorten(use[1]!.trim(), 50)}") ` +
          "with the base repository's token and secrets. Treat its content as data: validate it, never source or execute it.",
      };
      // Reading it into $GITHUB_ENV or eval leaves no doubt about what is run; a sourced or
      // made-executable file may come from the checkout instead of the artifact.
      if (!strong || !/GITHUB_|^eval/.test(strong[1]!)) finding.confidence = 'medium';
      const key = `${finding.ruleId}:${line}:`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.findings.push(finding);
    }
  }

  /**
   * A cache restored or saved by a job that runs the pull request's code with the base
   * repository's privileges: that code can write entries the default branch restores later.
   */
  private checkCachePoisoning(action: string, usesNode: Node | null, withNode: Node | null, scope: JobScope): void {
    if (!scope.untrustedCode) return;
    const name = action.split('@')[0]!;
    let caches = CACHE_ACTIONS.includes(name);
    if (!caches && SETUP_CACHE_ACTIONS.includes(name)) {
      const cache = this.scalarString(this.get(withNode, 'cache'))?.trim().toLowerCase();
      const bundler = this.scalarString(this.get(withNode, 'bundler-cache'))?.trim().toLowerCase();
      const enableCache = this.scalarString(this.get(withNode, 'enable-cache'))?.trim().toLowerCase();
      // setup-go caches unless told not to; the others only when asked.
      caches =
        (cache !== undefined && cache !== '' && cache !== 'false') ||
        bundler === 'true' ||
        enableCache === 'true' ||
        (name === 'actions/setup-go' && cache === undefined);
    }
    if (!caches) return;
    const trigger = this.untrustedEventTrigger();
    this.report(
      RULE.cachePoisoning,
      this.lineOf(usesNode),
      `${shorten(name, 60)} uses the Actions cache in a job that runs the pull request's code on ${trigger?.name ?? 'a privileged trigger'}: ` +
        "that code can save poisoned entries into the base branch's cache scope, which release and deploy workflows then restore.",
    );
  }

  /** `secrets: inherit` (or explicit secrets) into a reusable workflow handed the pull request's code. */
  private checkSecretsToCalledWorkflow(job: Node, uses: string): void {
    const trigger = this.untrustedEventTrigger();
    if (!trigger) return;
    const secrets = this.entry(job, 'secrets');
    if (!secrets?.value) return;
    const inherit = this.scalarString(secrets.value)?.trim().toLowerCase() === 'inherit';
    const explicit = this.mapEntries(secrets.value).some((e) => e.value && /\bsecrets\./i.test(this.scalarString(e.value) ?? ''));
    if (!inherit && !explicit) return;
    const head = this.mapEntries(this.get(job, 'with')).find((e) => {
      const text = this.scalarString(e.value);
      return text !== null && PR_CODE_REF.test(normalizeExpression(text));
    });
    if (!head) return;
    const candidates = [this.lineOf(secrets.value), this.lineOf(head.value), this.lineOf(secrets.key)];
    const line = candidates.find((l) => this.added(l)) ?? candidates[0]!;
    this.report(
      RULE.secretsToUntrustedCode,
      line,
      `This ${trigger.name} workflow passes ${inherit ? 'all its secrets (secrets: inherit)' : 'secrets'} to ${shorten(uses, 60)} and hands it the pull request's code ` +
        `(${head.key}: ${shorten(this.scalarString(head.value) ?? '', 60)}): whatever that code runs can read them.`,
    );
  }

  /** A self-hosted runner for pull requests: fork code runs on a machine that outlives the job. */
  private checkSelfHosted(job: Node): void {
    const trigger = ['pull_request_target', 'pull_request'].map((name) => ({ name, line: this.triggers.get(name) })).find((t) => t.line !== undefined);
    if (!trigger) return;
    const runsOn = this.get(job, 'runs-on');
    if (!runsOn) return;
    const labels = [this.scalarString(runsOn), ...this.seqItems(runsOn).map((i) => this.scalarString(i)), ...this.seqItems(this.get(runsOn, 'labels')).map((i) => this.scalarString(i)), this.scalarString(this.get(runsOn, 'labels'))];
    if (!labels.some((label) => label?.trim().toLowerCase() === 'self-hosted')) return;
    const condition = this.scalarString(this.get(job, 'if')) ?? '';
    if (SAME_REPOSITORY_GUARD.test(condition.length < 10_000 ? condition : '')) return;
    const line = this.lineOf(runsOn);
    this.report(
      RULE.selfHostedUntrusted,
      this.added(line) ? line : trigger.line!,
      `This job runs on a self-hosted runner for ${trigger.name} events: in a public repository anyone can open a pull request, and its code ` +
        '(or the text it feeds to the job) runs on that machine, which keeps state between jobs and sits inside your network.',
    );
  }

  private isTrue(node: Node | null): boolean {
    return this.scalarString(node)?.trim().toLowerCase() === 'true';
  }

  private checkStep(step: Node, scope: JobScope): void {
    if (!isMap(step)) return;
    const usesNode = this.get(step, 'uses');
    const uses = this.scalarString(usesNode);
    const runNode = this.get(step, 'run');
    const run = this.scalarString(runNode);
    const name = this.scalarString(this.get(step, 'name')) ?? '';
    const withNode = this.get(step, 'with');
    const env = this.taintedEnv(this.get(step, 'env'), scope.env, scope.outputs);
    const stepId = this.scalarString(this.get(step, 'id'))?.toLowerCase() ?? null;

    if (usesNode && uses !== null) {
      this.checkUses(uses, this.lineOf(usesNode));
      const action = uses.toLowerCase();
      if (action.startsWith('actions/checkout@') || action === 'actions/checkout') this.checkCheckout(usesNode, withNode);
      if (action.startsWith('actions/github-script@')) {
        const script = this.get(withNode, 'script');
        if (script) {
          this.checkInjection(script, 'script', 'github-script', env, scope.outputs);
          this.scriptExports(script, env, scope, stepId);
          if (this.triggers.has('workflow_run') && /downloadArtifact\s*\(/.test(this.scalarString(script) ?? '')) {
            scope.download = { line: this.lineOf(usesNode), what: 'github-script downloading a run\'s artifact' };
          }
        }
      }
      this.checkInputsToCallee(uses, withNode, env);
      if (this.isArtifactDownload(action, withNode)) scope.download = { line: this.lineOf(usesNode), what: shorten(uses, 60) };
      this.checkCachePoisoning(action, usesNode, withNode, scope);
      const isAiAction = AI_ACTION_PREFIXES.some((prefix) => action.startsWith(prefix));
      for (const input of this.mapEntries(withNode)) {
        if (!input.value) continue;
        if (PROMPT_KEYS.has(input.key.toLowerCase()) || (isAiAction && input.key.toLowerCase().includes('prompt'))) {
          this.checkInjection(input.value, 'prompt', input.key, env, scope.outputs);
        }
        if (isAiAction || PROMPT_KEYS.has(input.key.toLowerCase()) || input.key.toLowerCase().endsWith('_args')) {
          this.checkAiBypass(input.value, `the "${input.key}" input of ${uses}`);
        }
      }
    }

    if (runNode && run !== null) {
      this.checkInjection(runNode, 'run', 'run', env, scope.outputs);
      this.checkShellDataFlow(runNode, env, scope, stepId);
      this.checkArtifactUse(runNode, scope);
      this.checkAiBypass(runNode, 'this run step');
      this.checkSecretExfiltration(runNode);
      this.checkPullRequestFetch(runNode);
      this.checkSilencedFailures(runNode, name);
    }

    const continueOnError = this.get(step, 'continue-on-error');
    if (this.isTrue(continueOnError)) {
      const what = [name, run ?? '', uses ?? ''].find((text) => text !== '' && TESTISH.test(text));
      if (what !== undefined && !(run !== null && setupOnly(run))) {
        this.report(
          RULE.ignoredFailure,
          this.lineOf(continueOnError),
          `continue-on-error: true on the step "${shorten(name || run || uses || '')}": it looks like a test, lint or security check, and its failures will no longer fail the build.`,
        );
      }
    }
  }

  private checkUses(uses: string, line: number): void {
    const ref = uses.trim();
    if (ref.startsWith('./') || ref.startsWith('.\\') || ref === '.') return;
    if (ref.toLowerCase().startsWith('docker://')) {
      if (!ref.includes('@sha256:')) {
        this.report(
          RULE.unpinnedAction,
          line,
          `The container image ${shorten(ref)} is referenced by tag: whoever controls the image can change what runs here. Pin it with @sha256:<digest>.`,
          ref,
        );
      }
      return;
    }
    const at = ref.lastIndexOf('@');
    const target = at >= 0 ? ref.slice(0, at) : ref;
    const version = at >= 0 ? ref.slice(at + 1) : '';
    if (/^[0-9a-f]{40}$/i.test(version) || /^[0-9a-f]{64}$/i.test(version)) return;
    const owner = target.split('/')[0]!.toLowerCase();
    const firstParty = owner === 'actions' || owner === 'github';
    const how = version === '' ? 'without any version' : `to "${shorten(version, 40)}", a tag or branch that can be moved`;
    this.report(
      firstParty ? RULE.unpinnedFirstParty : RULE.unpinnedAction,
      line,
      firstParty
        ? `${shorten(target)} is pinned ${how}. GitHub-owned actions are lower risk, but only a full commit SHA makes the step immutable.`
        : `The third-party action ${shorten(target)} is pinned ${how}: whoever controls that repository can change the code this job runs, with its secrets (as happened with tj-actions/changed-files).`,
      // Every step that uses this reference is one problem: one pin fixes them all.
      ref,
    );
  }

  private checkCheckout(usesNode: Node, withNode: Node | null): void {
    const trigger = this.privilegedTrigger();
    if (!trigger) return;
    const unsafeOptIn = this.entry(withNode, 'allow-unsafe-pr-checkout');
    const candidates: Array<{ node: Node | null; detail: string }> = [];
    for (const key of ['ref', 'repository']) {
      const value = this.get(withNode, key);
      const text = this.scalarString(value);
      if (value && text !== null && PR_HEAD_REF.test(normalizeExpression(text))) {
        candidates.push({ node: value, detail: `${key}: ${shorten(text.trim(), 80)}` });
      }
    }
    if (unsafeOptIn && this.isTrue(unsafeOptIn.value)) {
      candidates.push({ node: unsafeOptIn.value, detail: 'allow-unsafe-pr-checkout: true' });
    }
    if (candidates.length === 0) return;
    const detail = candidates.map((c) => c.detail).join(', ');
    const lines = [...candidates.map((c) => this.lineOf(c.node)), this.lineOf(usesNode), trigger.line];
    const line = lines.find((l) => this.added(l)) ?? lines[0]!;
    this.report(
      RULE.untrustedCheckout,
      line,
      `This workflow runs on ${trigger.name}, with the base repository's secrets and a write token, and checks out the pull request's own code (${detail}). ` +
        'Anything that code runs (build scripts, tests, package install hooks) runs with those privileges: a "pwn request".',
    );
  }

  private checkPullRequestFetch(runNode: Node): void {
    const trigger = this.privilegedTrigger();
    if (!trigger) return;
    for (const hit of this.scriptMatches(runNode, PR_FETCH_COMMAND)) {
      this.report(
        RULE.untrustedCheckout,
        hit.line,
        `This workflow runs on ${trigger.name} with the base repository's secrets and fetches the pull request's code ("${shorten(hit.match.trim(), 60)}"); anything that code runs gets those privileges.`,
      );
    }
  }

  /**
   * github-script's core.exportVariable and core.setOutput of untrusted event text: the value
   * reaches later steps as `env.NAME` / `steps.<id>.outputs.<name>` (the delimiter @actions/core
   * writes keeps a line break from defining other variables, so only the reads are findings).
   */
  private scriptExports(script: Node, env: ReadonlyMap<string, Taint>, scope: JobScope, stepId: string | null): void {
    const text = this.scalarString(script);
    if (text === null || !text.includes('core.')) return;
    for (const m of text.slice(0, 100_000).matchAll(SCRIPT_EXPORT)) {
      const [, call, , name, value] = m;
      if (call === 'setOutput' && stepId === null) continue;
      const normalized = normalizeExpression(value!.replace(/\bcontext\.payload\./g, 'github.event.').replace(/\bcontext\.(?=head_ref\b)/g, 'github.'));
      const source = this.untrustedSource(normalized, env, scope.outputs) ?? this.expressionsIn(value!).map((e) => this.untrustedSource(e, env, scope.outputs)).find((x) => x !== null);
      if (!source) continue;
      const taint = { source: source.from ?? source.name, line: this.lineOf(script) };
      if (call === 'exportVariable') scope.env.set(name!.toLowerCase(), taint);
      else scope.outputs.set(`steps.${stepId}.outputs.${name!.toLowerCase()}`, taint);
    }
  }

  private checkInjection(
    node: Node,
    context: 'run' | 'script' | 'prompt',
    label: string,
    env: ReadonlyMap<string, Taint>,
    outputs: ReadonlyMap<string, Taint>,
  ): void {
    for (const expression of this.expressions(node)) {
      const normalized = normalizeExpression(expression.text);
      const found = this.untrustedSource(normalized, env, outputs);
      if (found) {
        const name = found.from ? `${found.name} }} (set from \${{ ${found.from}` : found.name;
        if (context === 'prompt') {
          this.report(
            RULE.aiPromptInjection,
            expression.line,
            `\${{ ${name} }} is pasted into the "${label}" of an AI agent. Whoever writes that text can instruct the agent, which acts with this job's token and tools (prompt injection).`,
          );
        } else {
          const envFile = context === 'run' ? ENV_FILE_WRITE.exec(this.input.lines[expression.line - 1] ?? '') : null;
          this.report(
            RULE.expressionInjection,
            expression.line,
            `\${{ ${name} }} is expanded into the ${context === 'run' ? 'shell script' : 'github-script code'} before it runs, so whoever writes that text can run commands here (e.g. a title containing "$(curl …)")` +
              (envFile ? `, and a line break in it adds any variable to $${envFile[1]} for the later steps (LD_PRELOAD, NODE_OPTIONS, BASH_ENV)` : '') +
              (found.name.startsWith('env.')
                ? '. Read the variable from the environment instead ("$NAME" in the shell, process.env.NAME in github-script).'
                : '. Pass it through an env variable instead.'),
          );
        }
        continue;
      }
      if (this.kind === 'workflow' && context !== 'prompt') {
        const input = INPUT_CONTEXT.exec(normalized);
        if (input) {
          this.report(
            RULE.inputInjection,
            expression.line,
            `\${{ ${input[1]} }} is expanded into the ${context === 'run' ? 'shell script' : 'script'} before it runs; a crafted input value becomes code. Pass it through an env variable instead.`,
          );
        }
      }
    }
  }

  private checkAiBypass(node: Node, where: string): void {
    const hits = [
      ...this.scriptMatches(node, AI_BYPASS_FLAG),
      ...this.scriptMatches(node, AI_CLI_THEN_FLAG, (m) => {
        const flag = m[1]!;
        return { offset: m[0].lastIndexOf(flag), text: m[0] };
      }),
    ];
    for (const hit of hits) {
      this.report(
        RULE.aiCliBypass,
        hit.line,
        `${capitalize(where)} runs an AI agent with its permission checks off ("${shorten(hit.match.trim(), 60)}"): it may run any command the model decides on, with this job's secrets and token, and text it reads (issues, PRs, files) can steer it.`,
      );
    }
  }

  private checkSecretExfiltration(runNode: Node): void {
    for (const hit of this.scriptMatches(runNode, SECRET_EXPRESSION)) {
      const logical = hit.logical;
      if (ENCODE_FOR_LOGS.test(logical)) {
        this.report(
          RULE.secretExfiltration,
          hit.line,
          'A secret is piped through an encoder (base64, xxd, rev, …): the encoded value is not masked in the logs, so anyone who can read the run can recover it.',
        );
        continue;
      }
      if (!NETWORK_TOOL.test(logical)) continue;
      const hosts: string[] = [];
      let rest = logical;
      for (let guard = 0; guard < 20; guard++) {
        const m = URL_HOST.exec(rest);
        if (!m) break;
        hosts.push(m[1]!.toLowerCase());
        rest = rest.slice(m.index + m[0].length);
      }
      const outside = hosts.filter((host) => !GITHUB_HOSTS.has(host));
      if (hosts.length > 0 && outside.length === 0) continue;
      if (hosts.length === 0 && this.onlyDestinationSecrets(logical)) continue;
      this.report(
        RULE.secretExfiltration,
        hit.line,
        outside.length > 0
          ? `A secret is sent over the network to ${outside.slice(0, 3).join(', ')}. Confirm this host is meant to receive it; a changed workflow is the simplest way to walk secrets out of CI.`
          : 'A secret is passed to a network command whose destination is not a fixed URL. Confirm where it goes; a changed workflow is the simplest way to walk secrets out of CI.',
      );
    }
  }

  private onlyDestinationSecrets(text: string): boolean {
    let rest = text;
    let any = false;
    for (let guard = 0; guard < 20; guard++) {
      const m = SECRET_NAMES.exec(rest);
      if (!m) break;
      any = true;
      if (!DESTINATION_SECRET.test(m[1]!)) return false;
      rest = rest.slice(m.index + m[0].length);
    }
    return any;
  }

  /** Environment dumps and toJSON(secrets): line-based, so env:, with: and run: are all covered. */
  private checkSecretDumpLines(): void {
    for (const line of this.input.added) {
      const text = this.input.lines[line - 1] ?? '';
      if (text.length > 100_000) continue;
      const match = ENV_DUMP.exec(text);
      if (!match) continue;
      const what = match[0].trim();
      this.report(
        RULE.secretExfiltration,
        line,
        /tojson/i.test(what)
          ? 'toJSON(secrets) serializes every secret available to this workflow into one value; wherever that value goes, all the secrets go.'
          : `"${shorten(what, 40)}" dumps the job's environment or memory (secrets included) into a pipe or file, where log masking no longer protects it.`,
      );
    }
  }

  private checkSilencedFailures(runNode: Node, stepName: string): void {
    const stepIsTest = TESTISH.test(stepName);
    for (const { line, text } of this.scalarLines(runNode)) {
      if (!this.added(line) || text.length > 100_000) continue;
      const silencer = FAILURE_SILENCER.exec(text);
      if (!silencer) continue;
      const command = text.slice(0, silencer.index);
      if (SETUP_COMMAND.test(lastCommand(command.replace(/^\s*(run:\s*)?/, '')))) continue;
      if (!stepIsTest && !TESTISH.test(command)) continue;
      this.report(
        RULE.ignoredFailure,
        line,
        `"${shorten(silencer[0].trim(), 20)}" after "${shorten(command.replace(/^\s*(run:\s*)?/, '').trim(), 60)}" turns a failing test, lint or security check into a success.`,
      );
    }
  }
}

type CalleeUses = Map<string, { line: number; kind: 'run' | 'script' }>;

/**
 * Inputs a reusable workflow or action expands into code: input name (lowercased) → the first
 * run script or github-script that does, by line. Unreadable files give none.
 */
function calleeInputUses(text: string): CalleeUses {
  const uses: CalleeUses = new Map();
  if (text.length > MAX_PARSE_BYTES || maxFlowDepth(text).depth > MAX_FLOW_DEPTH) return uses;
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false });
  } catch {
    return uses;
  }
  if (doc.errors.length > 0) return uses;
  const visit = (node: unknown, depth: number): void => {
    if (depth > 64) return;
    if (isSeq(node)) for (const item of node.items) visit(item, depth + 1);
    if (!isMap(node)) return;
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = pair.value;
      if ((name === 'run' || name === 'script') && isScalar(value) && value.range) {
        const source = text.slice(value.range[0], value.range[1]);
        let from = 0;
        for (let guard = 0; guard < 1000; guard++) {
          const open = source.indexOf('${{', from);
          if (open < 0) break;
          const close = source.indexOf('}}', open + 3);
          const expression = normalizeExpression(source.slice(open + 3, close < 0 ? source.length : close));
          for (const m of expression.matchAll(/(?:^|[^a-z0-9_.])(?:github\.event\.)?inputs\.([a-z0-9_-]+)/g)) {
            if (!uses.has(m[1]!)) uses.set(m[1]!, { line: lineCounter.linePos(value.range[0] + open).line, kind: name });
          }
          if (close < 0) break;
          from = close + 2;
        }
      } else visit(value, depth + 1);
    }
  };
  visit(doc.contents, 0);
  return uses;
}

/** The text with single-quoted shell strings (outside double quotes) blanked: the shell expands nothing there. */
function blankSingleQuoted(text: string): string {
  let out = '';
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote === "'") {
      out += ch === "'" ? ch : ' ';
      if (ch === "'") quote = null;
      continue;
    }
    if (ch === '\\') {
      out += text.slice(i, i + 2);
      i++;
      continue;
    }
    if (ch === '"') quote = quote === '"' ? null : '"';
    else if (ch === "'" && quote === null) quote = "'";
    out += ch;
  }
  return out;
}

function shorten(text: string, max = 120): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function appliesTo(file: ChangedFile): boolean {
  return file.status !== 'deleted' && fileKind(file.path) !== null;
}

function analyze(input: AnalyzerInput): RawFinding[] {
  if (input.text === null || input.added.size === 0) return [];
  const kind = fileKind(input.file.path);
  if (!kind) return [];
  return new WorkflowScan(input, kind).run();
}

export const workflowsAnalyzer: Analyzer = {
  name: 'workflows',
  rules: WORKFLOW_RULES,
  appliesTo,
  // Reusable workflows and actions a workflow may call, when they change with it.
  related: appliesTo,
  analyze,
};

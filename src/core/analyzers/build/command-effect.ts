// What a shell command line does, by effect: runs code fetched from the network, sends files or
// the environment somewhere, reads credentials, touches the network, or only runs a local
// formatter or linter. Used wherever commands run by themselves (build files, git hooks, editor
// tasks, dev container and agent hooks), where the effect decides how much a command matters.
//
// The words come from the shell lexer of the install-command scanner; this file splits them into
// simple commands and pipelines and follows what each one produces: a download on standard output
// into a shell is remote code, a download to a file that a later command runs is remote code
// unless a checksum or signature check stands between them, the environment or a credential file
// into curl or nc is an upload.

import { logicalLines, shellWords, type ShellWord } from '../dependencies/install-commands.js';
import { fetchesOnlyFrom } from '../../scan/own-repository.js';

export type CommandEffect = 'remote-code' | 'upload' | 'credential-read' | 'network' | 'local';

const RANK: Record<CommandEffect, number> = { 'remote-code': 5, upload: 4, 'credential-read': 3, network: 2, local: 1 };

/** What an upload or a read carries: the environment, a credential file, or some other file. */
export type Payload = 'environment' | 'credential' | 'file';

export interface EffectHit {
  effect: CommandEffect;
  /** Physical line (1-based, in the lines given) and column of the command responsible. */
  line: number;
  column: number;
  /** A short phrase for messages: "pipes a download into sh", "uploads ~/.aws/credentials". */
  detail: string;
  /** For uploads and reads. */
  payload?: Payload;
  /** Remote code run from a file downloaded earlier (rather than piped, substituted or inline). */
  viaFile?: true;
}

export interface ClassifyOptions {
  /** `owner/name` of the repository under review: its own installers are not third-party code. */
  repository?: string | null;
  /** Only logical lines containing an accepted line are reported (state still flows through all). */
  wanted?: (line: number) => boolean;
}

interface Command {
  /** Words without redirections; argv[0] is the program as written (after wrappers). */
  words: ShellWord[];
  argv: string[];
  /** Lowercased program name without directory, `@`/`-` Makefile prefixes or .exe. */
  name: string;
  /** The command whose output this one reads through a pipe. */
  upstream: Command | null;
  /** Redirection targets. */
  stdoutTo: string | null;
  stdinFrom: string | null;
  /** The command whose argument this process substitution `<( … )` is. */
  substitutedInto: Command | null;
  /** The physical logical line text, for own-repository checks. */
  lineText: string;
}

/** What a command writes on standard output, as far as it matters here. */
type Product = 'download' | 'environment' | 'credential' | 'file' | null;

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'mksh', 'fish']);
const INTERPRETERS = new Set(['python', 'python2', 'python3', 'py', 'node', 'nodejs', 'deno', 'bun', 'perl', 'ruby', 'php', 'pwsh', 'powershell']);
const WRAPPERS = new Set(['sudo', 'doas', 'env', 'command', 'builtin', 'exec', 'nohup', 'time', 'xargs', 'run', 'then', 'do', 'else', '!', '{']);
const DOWNLOADERS = new Set(['curl', 'wget', 'aria2c', 'http', 'https', 'xh', 'fetch', 'iwr', 'irm', 'invoke-webrequest', 'invoke-restmethod', 'start-bitstransfer']);
const RAW_NETWORK = new Set(['nc', 'ncat', 'netcat', 'socat', 'telnet', 'ftp', 'tftp']);
const REMOTE_COPY = new Set(['scp', 'rsync', 'sftp']);
/** Commands that pass their input on (so a download stays a download through them). */
const FILTERS = new Set(['tee', 'cat', 'tr', 'sed', 'awk', 'head', 'tail', 'grep', 'sort', 'base64', 'gzip', 'gunzip', 'zcat', 'xxd', 'rev', 'out-string', 'convertto-json', 'iconv', 'dos2unix', 'openssl', 'gpg']);
/** Commands that check a checksum or a signature: a download checked before it runs is pinned. */
const VERIFIERS = /^(?:sha(?:1|224|256|384|512)sum|shasum|b2sum|md5sum|gpg|gpgv|cosign|minisign|signify|get-filehash|certutil|sigstore|slsa-verifier)$/;

/** Formatters, linters and type checkers: a hook that runs one of them only touches the repository. */
const LOCAL_TOOLS = new Set([
  'prettier', 'eslint', 'biome', 'dprint', 'stylelint', 'markdownlint', 'markdownlint-cli2', 'oxlint', 'standard', 'xo', 'tsc', 'vue-tsc',
  'black', 'ruff', 'isort', 'flake8', 'pylint', 'mypy', 'pyright', 'autopep8', 'yapf', 'blue',
  'gofmt', 'goimports', 'gofumpt', 'golangci-lint', 'staticcheck', 'rustfmt', 'clippy-driver', 'clang-format', 'clang-tidy',
  'shfmt', 'shellcheck', 'yamllint', 'actionlint', 'hadolint', 'taplo', 'stylua', 'ktlint', 'swiftformat', 'swiftlint', 'rubocop', 'standardrb',
  'php-cs-fixer', 'phpcs', 'phpcbf', 'lint-staged', 'pretty-quick', 'editorconfig-checker', 'codespell', 'typos', 'cspell', 'terraform-fmt', 'tflint', 'buf', 'sqlfluff', 'djlint', 'mix-format', 'scalafmt', 'google-java-format', 'checkstyle', 'spotless',
]);
const TOOL_SUBCOMMANDS: Record<string, RegExp> = {
  go: /^(?:fmt|vet)$/,
  cargo: /^(?:fmt|clippy|check)$/,
  dotnet: /^format$/,
  terraform: /^(?:fmt|validate)$/,
  deno: /^(?:fmt|lint|check)$/,
  mix: /^format$/,
  gradle: /^(?:spotlessapply|spotlesscheck|ktlintformat|ktlintcheck)$/,
  npm: /^(?:run|run-script)$/,
  pnpm: /^(?:run|lint|format|fmt)$/,
  yarn: /^(?:run|lint|format|fmt)$/,
  bun: /^run$/,
  make: /^(?:fmt|format|lint|check|tidy)$/,
  just: /^(?:fmt|format|lint|check)$/,
};
const SCRIPT_NAMES = /^(?:lint|format|fmt|prettier|eslint|typecheck|type-check|check|style|lint:fix|format:fix|lint-fix|prettify)$/i;

// Files that hold credentials, as written in scripts: `~/.aws/credentials`, `$HOME/.ssh/id_rsa`,
// `${HOME}/.kube/config`, `$(HOME)/.npmrc` (make, MSBuild), `$env:USERPROFILE\.ssh\id_rsa`, `%USERPROFILE%\.netrc`, `/root/.npmrc`.
const HOME = String.raw`(?:~|\$HOME|\$\{HOME\}|\$\(HOME\)|\$env:USERPROFILE|\$env:HOME|%USERPROFILE%|%HOMEPATH%|/root|/home/[^/\s]+|/Users/[^/\s]+|C:\\Users\\[^\\\s]+)`;
const SEP = String.raw`[\\/]`;
const CREDENTIAL_PATH = new RegExp(
  `${HOME}${SEP}(?:` +
    String.raw`\.ssh(?:${SEP}(?:id_[a-z0-9_]+(?![\w.-]*\.pub)|identity)\b|${SEP}?(?=$|["'\s*]))` +
    String.raw`|\.aws(?:${SEP}credentials\b|${SEP}?(?=$|["'\s]))` +
    String.raw`|\.config${SEP}(?:gcloud|gh${SEP}hosts\.yml|hub\b)` +
    String.raw`|\.azure\b|\.kube${SEP}config\b|\.docker${SEP}config\.json|\.npmrc\b|\.pypirc\b|\.netrc\b|_netrc\b|\.git-credentials\b|\.gnupg\b|\.password-store\b|\.vault-token\b|\.terraform\.d${SEP}credentials|\.cargo${SEP}credentials|\.gem${SEP}credentials|\.m2${SEP}settings(?:-security)?\.xml` +
    ')' +
    String.raw`|/etc/shadow\b|/proc/(?:self|\d+)/environ\b`,
  'i',
);
/** Keychain and secret-store reads. */
const SECRET_STORE = /^(?:security\s+(?:find-generic-password|find-internet-password|dump-keychain)|secret-tool\s+lookup|cmdkey\s+\/list|vaultcmd\s+\/listcreds)/i;
/**
 * Commands that take a whole file: copying, archiving, encoding or printing it. Tools that parse a
 * value out of a config (grep, sed, awk, the cloud CLIs) or test for it are not credential reads.
 */
const WHOLE_FILE_READERS = new Set(['cat', 'cp', 'base64', 'tar', 'zip', 'gzip', 'bzip2', 'xz', '7z', 'xxd', 'od', 'hexdump', 'strings', 'head', 'tail', 'less', 'more', 'get-content', 'gc', 'type', 'copy-item', 'cpi', 'rsync', 'scp', 'dd', 'tee', 'openssl', 'gpg', 'python', 'python3', 'node', 'perl', 'ruby', 'nc', 'ncat', 'netcat', 'socat', 'curl', 'wget']);

const ENV_DUMP_POWERSHELL = /\b(?:get-childitem|gci|dir|ls)\s+env:|\[environment\]::getenvironmentvariables\(\)/i;
const POWERSHELL_RUN = /\b(?:iex|invoke-expression)\b|\[scriptblock\]::create\s*\(|\.invoke\s*\(/i;
const POWERSHELL_FETCH = /\b(?:iwr|irm|invoke-webrequest|invoke-restmethod|start-bitstransfer)\b|\.download(?:string|data)\s*\(|net\.webclient\b|system\.net\.http/i;

// Inline scripts (python -c, node -e, perl -e, ruby -e, php -r): network API and a way to run text.
const INLINE_FETCH = /\burllib\b|\burlopen\b|\brequests\s*\.\s*(?:get|post)\b|\bhttp\.client\b|\bhttpx\b|\bfetch\s*\(|\bhttps?\s*\.\s*(?:get|request)\s*\(|\bLWP\b|HTTP::Tiny|\bopen-uri\b|Net::HTTP|URI\.open|\bopen\s*\(\s*["']https?:|file_get_contents\s*\(\s*["']https?:|\bcurl_exec\b|\baxios\b/i;
const INLINE_RUN = /\bexec\s*\(|\beval\s*[(\s]|\bcompile\s*\(|\bFunction\s*\(|\binstance_eval\b|\bvm\s*\.\s*run|\bsystem\s*\(|\bnew\s+Function\b|\bimportlib\b/;
const INLINE_ENV = /\bos\s*\.\s*environ\b|\bprocess\s*\.\s*env\b(?!\s*\.\s*\w)|%ENV\b|\bENV\s*\.\s*(?:to_h|to_a|each)|\bgetenv\s*\(\s*\)|\$_ENV\b/;
const INLINE_SEND = /\bdata\s*=|\bpost\s*\(|\bmethod\s*:\s*["']post|\bPOST\b|\bsend\s*\(|\brequest\s*\(/i;

function programName(word: string): string {
  const base = word.slice(Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\')) + 1);
  return base.replace(/^[@-]+/, '').replace(/\.(?:exe|cmd|bat)$/i, '').toLowerCase();
}

function isInterpreterName(name: string): boolean {
  return INTERPRETERS.has(name) || /^python[0-9.]+$/.test(name) || /^(?:perl|ruby|php|node)[0-9.]+$/.test(name);
}

/** Drops wrappers (`sudo -E`, `env A=b`, `xargs -0`) and `NAME=value` prefixes; the remaining words run. */
function unwrap(words: ShellWord[]): ShellWord[] {
  let i = 0;
  for (let guard = 0; guard < 20 && i < words.length; guard++) {
    const text = words[i]!.text;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(text) || text === 'RUN' || /^(?:[a-z_]+:|-)$/.test(text)) {
      i++;
      continue;
    }
    if (!WRAPPERS.has(programName(text))) break;
    // `env` or `time` alone is the command itself (`env | curl …` dumps the environment).
    let next = i + 1;
    while (next < words.length && (words[next]!.text.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[next]!.text))) next++;
    if (next >= words.length) break;
    i++;
    while (i < words.length && (words[i]!.text.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!.text))) {
      // `sudo -u user`: options with a value
      const opt = words[i]!.text;
      i++;
      if (/^-(?:u|g|C|p|I|n|L|d|s|E)$/.test(opt) && programName(words[i - 2]?.text ?? '') === 'xargs' && /^-(?:I|n|L|d|s)$/.test(opt)) i++;
      else if (/^-[ugCpD]$/.test(opt)) i++;
    }
  }
  return words.slice(i);
}

/** Splits a logical line's words into simple commands, following pipes, redirections and `<( … )`. */
function splitCommands(words: readonly ShellWord[], lineText: string): Command[] {
  const out: Command[] = [];
  let current: ShellWord[] = [];
  let upstream: Command | null = null;
  let stdoutTo: string | null = null;
  let stdinFrom: string | null = null;
  let pendingRedirect: 'out' | 'in' | 'fd' | null = null;
  const owners: Array<Command | null> = [];
  let owner: Command | null = null;
  let lastOf: Command | null = null;
  const finish = (): Command | null => {
    const run = unwrap(current);
    let made: Command | null = null;
    if (run.length > 0) {
      made = { words: run, argv: run.map((w) => w.text), name: programName(run[0]!.text), upstream, stdoutTo, stdinFrom, substitutedInto: owner, lineText };
      out.push(made);
    }
    current = [];
    stdoutTo = null;
    stdinFrom = null;
    return made;
  };
  for (const word of words) {
    if (!word.separator) {
      if (pendingRedirect === 'out') stdoutTo = word.text;
      else if (pendingRedirect === 'in') stdinFrom = word.text;
      else if (pendingRedirect === null) current.push(word);
      pendingRedirect = null;
      continue;
    }
    const op = word.text;
    // `2>&1`, `>&2`: a file descriptor, not a file
    if (/^\d*>&$/.test(op) || op === '>&' || op === '<&') {
      pendingRedirect = 'fd';
      if (current.length > 0 && /^\d$/.test(current[current.length - 1]!.text)) current.pop();
      continue;
    }
    if (/^\d*>>?$|^>\|$|^&>>?$/.test(op)) {
      if (current.length > 0 && /^\d$/.test(current[current.length - 1]!.text)) current.pop();
      pendingRedirect = 'out';
      continue;
    }
    if (op === '<' || op === '<<<') {
      pendingRedirect = 'in';
      continue;
    }
    if (op.endsWith('<(') || op === '<(') {
      // The command being written owns the substitution; it is finished when the list closes.
      const partial: Command = { words: unwrap(current), argv: unwrap(current).map((w) => w.text), name: programName(unwrap(current)[0]?.text ?? ''), upstream, stdoutTo, stdinFrom, substitutedInto: owner, lineText };
      owners.push(owner);
      owner = partial;
      // keep `current` so the owner's words stay together; record the partial for the inner commands
      out.push(partial);
      current = [];
      upstream = null;
      continue;
    }
    if (op.startsWith(')') && owners.length > 0) {
      finish();
      owner = owners.pop() ?? null;
      upstream = null;
      continue;
    }
    const made: Command | null = finish() ?? lastOf;
    lastOf = made;
    upstream = op === '|' || op === '|&' ? made : null;
    if (op.includes('|') && op !== '||' && op.endsWith('|')) upstream = made;
  }
  finish();
  return out.filter((c) => c.argv.length > 0);
}

/** A download command: the file it writes (null = standard output), or undefined when not a download. */
function downloadTarget(cmd: Command): string | null | undefined {
  const a = cmd.argv;
  const name = cmd.name;
  if (!DOWNLOADERS.has(name)) return undefined;
  const url = a.find((w) => /^(?:https?|ftp):\/\//i.test(w)) ?? '';
  const remoteName = url.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const urlBase = remoteName.slice(remoteName.lastIndexOf('/') + 1);
  if (name === 'curl') {
    for (let i = 1; i < a.length; i++) {
      const w = a[i]!;
      if (w === '--output' || w === '-o') return a[i + 1] === '-' ? null : (a[i + 1] ?? null);
      if (w.startsWith('--output=')) return w.slice(9);
      if (w === '--remote-name' || w === '--remote-name-all') return urlBase || null;
      if (/^-[a-zA-Z]+$/.test(w) && !w.startsWith('--')) {
        if (w.endsWith('o')) return a[i + 1] === '-' ? null : (a[i + 1] ?? null);
        if (w.includes('O')) return urlBase || null;
      }
    }
    return cmd.stdoutTo ?? null;
  }
  if (name === 'wget') {
    for (let i = 1; i < a.length; i++) {
      const w = a[i]!;
      if (w === '-O' || w === '--output-document') return a[i + 1] === '-' ? null : (a[i + 1] ?? null);
      if (w.startsWith('--output-document=')) return w.slice(18) === '-' ? null : w.slice(18);
      const m = /^-[a-zA-Z]*O(.*)$/.exec(w);
      if (m && !w.startsWith('--')) {
        const rest = m[1]!;
        if (rest === '-') return null;
        if (rest !== '') return rest;
        return a[i + 1] === '-' ? null : (a[i + 1] ?? null);
      }
    }
    return urlBase || null;
  }
  if (name === 'iwr' || name === 'invoke-webrequest' || name === 'irm' || name === 'invoke-restmethod' || name === 'start-bitstransfer') {
    for (let i = 1; i < a.length; i++) {
      const w = a[i]!.toLowerCase();
      if (w === '-outfile' || w === '-destination') return a[i + 1] ?? null;
    }
    return cmd.stdoutTo ?? null;
  }
  for (let i = 1; i < a.length; i++) if (a[i] === '-o' || a[i] === '--output') return a[i + 1] ?? null;
  return cmd.stdoutTo ?? null;
}

function credentialIn(text: string): string | null {
  const m = CREDENTIAL_PATH.exec(text);
  return m ? m[0] : null;
}

/** What a command writes on standard output. */
function productOf(cmd: Command, depth: number): Product {
  const name = cmd.name;
  if (DOWNLOADERS.has(name)) return downloadTarget(cmd) === null ? 'download' : null;
  if (isEnvDump(cmd)) return 'environment';
  if (FILTERS.has(name) || name === 'get-content' || name === 'gc' || name === 'type' || name === 'tar' || name === 'zip') {
    const args = cmd.argv.slice(1).join(' ');
    if (credentialIn(args) || SENSITIVE_FILE.test(args)) return 'credential';
    if (cmd.upstream) return productOf(cmd.upstream, depth + 1);
    if (cmd.stdinFrom) return credentialIn(cmd.stdinFrom) || SENSITIVE_FILE.test(cmd.stdinFrom) ? 'credential' : 'file';
    if (name === 'cat' || name === 'tar' || name === 'zip' || name === 'get-content' || name === 'gc' || name === 'base64') return cmd.argv.length > 1 ? 'file' : null;
    return null;
  }
  if (SECRET_STORE.test(cmd.argv.join(' '))) return 'credential';
  // `$(env)` and friends inside echo / printf
  if ((name === 'echo' || name === 'printf') && depth < 3) {
    for (const w of cmd.argv.slice(1)) {
      const p = substitutionProduct(w, depth + 1);
      if (p) return p;
    }
  }
  return null;
}

/** Files whose contents are secrets in the working tree: `.env`, private keys. */
const SENSITIVE_FILE = /(?:^|[\s/\\@=])\.env(?:\.[\w.-]+)?(?=$|["'\s])|\bid_(?:rsa|ed25519|ecdsa|dsa)\b(?!\.pub)|\.pem\b|\.p12\b|\.pfx\b|\bcredentials\.json\b|\bservice-account[\w-]*\.json\b/i;

function isEnvDump(cmd: Command): boolean {
  const args = cmd.argv.slice(1).filter((a) => !a.startsWith('-'));
  if (cmd.name === 'env' || cmd.name === 'printenv') return args.length === 0;
  if (cmd.name === 'set' || cmd.name === 'declare') return cmd.argv.length === 1 || (cmd.argv.length === 2 && (cmd.argv[1] === '-p' || cmd.argv[1] === '-x'));
  if (cmd.name === 'export') return cmd.argv.length === 2 && cmd.argv[1] === '-p';
  if (cmd.name === 'compgen') return cmd.argv.includes('-v') || cmd.argv.includes('-e');
  return ENV_DUMP_POWERSHELL.test(cmd.argv.join(' '));
}

/** Inner texts of `$( … )` and backticks in a word. */
function substitutions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length && out.length < 8; i++) {
    if (word[i] === '$' && word[i + 1] === '(' && word[i + 2] !== '(') {
      let depth = 0;
      let j = i + 1;
      for (; j < word.length; j++) {
        if (word[j] === '(') depth++;
        else if (word[j] === ')' && --depth === 0) break;
      }
      out.push(word.slice(i + 2, j));
      i = j;
    } else if (word[i] === '`') {
      const end = word.indexOf('`', i + 1);
      if (end < 0) break;
      out.push(word.slice(i + 1, end));
      i = end;
    }
  }
  return out;
}

/** What the substitutions in a word produce: the strongest of their pipelines' last commands. */
function substitutionProduct(word: string, depth: number): Product {
  if (depth > 3 || (!word.includes('$(') && !word.includes('`'))) return null;
  let best: Product = null;
  for (const inner of substitutions(word)) {
    for (const logical of logicalLines(inner.split('\n'))) {
      const cmds = splitCommands(shellWords(logical), logical.text);
      const last = cmds[cmds.length - 1];
      if (!last) continue;
      const p = productOf(last, depth + 1);
      if (p === 'download') return p;
      if (p && (best === null || best === 'file')) best = p;
    }
  }
  return best;
}

/** The script argument of `sh -c`, `python -c`, `node -e`, `pwsh -Command`, … or null. */
function inlineScript(cmd: Command): string | null {
  if (!SHELLS.has(cmd.name) && !isInterpreterName(cmd.name) && cmd.name !== 'cmd') return null;
  const a = cmd.argv;
  const flags = SHELLS.has(cmd.name)
    ? /^-[a-zA-Z]*c$/
    : cmd.name === 'pwsh' || cmd.name === 'powershell'
      ? /^[-/](?:c|command|encodedcommand|e|ec)$/i
      : cmd.name === 'cmd'
        ? /^\/[ck]$/i
        : cmd.name === 'php'
          ? /^-r$/
          : /^-[a-zA-Z]*[ce]$|^--eval$|^--print$|^-p$/;
  for (let i = 1; i < a.length; i++) {
    if (flags.test(a[i]!)) return a.slice(i + 1).join(' ');
  }
  return null;
}

/** True when a shell or interpreter reads its program from standard input (no script argument). */
function readsProgramFromStdin(cmd: Command): boolean {
  if (!SHELLS.has(cmd.name) && !isInterpreterName(cmd.name) && cmd.name !== 'iex' && cmd.name !== 'invoke-expression' && cmd.name !== 'source' && cmd.name !== '.') return false;
  if (cmd.name === 'iex' || cmd.name === 'invoke-expression') return true;
  if (cmd.name === 'source' || cmd.name === '.') return cmd.argv[1] === '/dev/stdin' || cmd.argv.length === 1;
  for (let i = 1; i < cmd.argv.length; i++) {
    const w = cmd.argv[i]!;
    if (w === '-' || w === '-s' || w === '--') return true;
    if (w.startsWith('-')) {
      // options that take a script or module: not reading stdin
      if (/^-[a-zA-Z]*[cmer]$|^--eval$|^-Command$|^-File$/i.test(w)) return false;
      continue;
    }
    return false;
  }
  return true;
}

/** Downloads remembered per script: a hostile file with thousands of them stays linear. */
const MAX_DOWNLOADS = 64;

interface Download {
  file: string;
  /** `file` normalized, and its last path segment. */
  path: string;
  name: string;
  line: number;
  lineText: string;
  verified: boolean;
}

const norm = (f: string): string => f.replace(/^["']|["']$/g, '').replace(/^\.[\\/]/, '');
const base = (f: string): string => norm(f).slice(Math.max(norm(f).lastIndexOf('/'), norm(f).lastIndexOf('\\')) + 1);

/** The file a command runs as a program, if it runs one: `sh f`, `./f`, `python f`, `source f`, `& .\f.ps1`. */
function executedFile(cmd: Command): string | null {
  const a = cmd.argv;
  const name = cmd.name;
  if (SHELLS.has(name) || isInterpreterName(name) || name === 'source' || name === '.') {
    for (let i = 1; i < a.length; i++) {
      const w = a[i]!;
      if (w.startsWith('-')) {
        if (/^-[a-zA-Z]*[cme]$|^-command$/i.test(w)) return null;
        if (/^-file$/i.test(w)) return a[i + 1] ?? null;
        continue;
      }
      return w;
    }
    return null;
  }
  if (name === '&' && a[1]) return a[1];
  const first = a[0]!;
  if (/^(?:\.{1,2}[\\/]|\/|~\/)/.test(first) || /\.(?:sh|ps1|py|pl|rb|bash)$/i.test(first)) return first;
  return null;
}

function matchDownload(downloads: readonly Download[], file: string): Download | undefined {
  // `.\x.ps1` reaches here as `.x.ps1` (the lexer reads the backslash as an escape).
  const n = norm(file).replace(/^\.(?=[^./\\])/, '');
  if (n.includes('$')) return undefined;
  const name = base(n);
  return downloads.find((d) => d.path === n || d.name === name);
}

function describe(cmd: Command): string {
  return cmd.argv[0]!.replace(/^[@-]+/, '');
}

/** Uploads by one command: what it sends and where (curl -d @f, -F x=@f, -T f, wget --post-file, scp to host:, nc < f). */
function uploadOf(cmd: Command, sensitiveFiles: ReadonlySet<string>, depth: number): { payload: Payload; detail: string } | null {
  const a = cmd.argv;
  const name = cmd.name;
  const judge = (value: string, how: string): { payload: Payload; detail: string } | null => {
    const v = value.replace(/^[\w.-]*=/, '');
    if (v.startsWith('@') || how === 'file') {
      const f = v.replace(/^[@<]/, '').replace(/;.*$/, '');
      if (f === '-' || f === '') {
        const up = cmd.upstream ? productOf(cmd.upstream, depth) : cmd.stdinFrom ? fileProduct(cmd.stdinFrom, sensitiveFiles) : null;
        if (up === 'environment' || up === 'credential' || up === 'file') return { payload: up === 'file' ? 'file' : up, detail: `sends ${up === 'environment' ? 'the environment' : up === 'credential' ? 'a credential file' : 'a file'} piped into ${describe(cmd)}` };
        return null;
      }
      const p = fileProduct(f, sensitiveFiles);
      return { payload: p === 'file' ? 'file' : p, detail: `uploads ${f.slice(0, 80)}` };
    }
    const sub = substitutionProduct(value, depth + 1);
    if (sub === 'environment' || sub === 'credential') return { payload: sub, detail: `sends ${sub === 'environment' ? 'the environment' : 'a credential file'} in a request` };
    return null;
  };
  if (name === 'curl' || name === 'http' || name === 'https' || name === 'xh') {
    for (let i = 1; i < a.length; i++) {
      const w = a[i]!;
      const eq = w.indexOf('=');
      const flag = w.startsWith('--') && eq > 0 ? w.slice(0, eq) : w;
      const inline = w.startsWith('--') && eq > 0 ? w.slice(eq + 1) : null;
      const value = inline ?? a[i + 1] ?? '';
      let found: ReturnType<typeof judge> = null;
      if (/^(?:-d|--data|--data-binary|--data-raw|--data-urlencode|--json|-F|--form|--form-string)$/.test(flag)) found = judge(value, 'data');
      else if (flag === '-T' || flag === '--upload-file') found = judge(value, 'file');
      else if (/^(?:https?|ftp):\/\//i.test(w)) {
        const sub = substitutionProduct(w, depth + 1);
        if (sub === 'environment' || sub === 'credential') found = { payload: sub, detail: `puts ${sub === 'environment' ? 'the environment' : 'a credential file'} in the URL` };
      } else if (/^-[a-zA-Z]*[dFT]$/.test(w)) found = judge(value, w.endsWith('T') ? 'file' : 'data');
      if (found) return found;
    }
    if (cmd.upstream && a.some((w) => /^@-$/.test(w) || /=@-$/.test(w))) return judge('@-', 'data');
    return null;
  }
  if (name === 'wget') {
    for (let i = 1; i < a.length; i++) {
      const w = a[i]!;
      if (w.startsWith('--post-file=') || w.startsWith('--body-file=')) return judge(w.slice(w.indexOf('=') + 1), 'file');
      if (w === '--post-file' || w === '--body-file') return judge(a[i + 1] ?? '', 'file');
      if (w.startsWith('--post-data=') || w.startsWith('--body-data=')) return judge(w.slice(w.indexOf('=') + 1), 'data');
      if (w === '--post-data' || w === '--body-data') return judge(a[i + 1] ?? '', 'data');
    }
    return null;
  }
  if (name === 'iwr' || name === 'invoke-webrequest' || name === 'irm' || name === 'invoke-restmethod') {
    const text = a.join(' ');
    for (let i = 1; i < a.length; i++) {
      const w = a[i]!.toLowerCase();
      if (w === '-infile') return judge(a[i + 1] ?? '', 'file');
      if (w === '-body' || w === '-form') {
        // The body is often a parenthesised pipeline, which the lexer splits off: read the line from here.
        const at = cmd.lineText.toLowerCase().indexOf(w);
        const rest = at >= 0 ? cmd.lineText.slice(at + w.length) : a.slice(i + 1).join(' ');
        const cred = credentialIn(rest);
        if (cred) return { payload: 'credential', detail: `sends ${cred}` };
        if (ENV_DUMP_POWERSHELL.test(rest) || /\benv:/i.test(rest)) return { payload: 'environment', detail: 'sends the environment' };
        if (/get-content|\bgc\b|\bcat\b/i.test(rest)) return { payload: 'file', detail: 'sends a file' };
      }
    }
    if (/\benv:/i.test(text) && /-method\s+post/i.test(text)) return { payload: 'environment', detail: 'sends the environment' };
    return null;
  }
  if (REMOTE_COPY.has(name)) {
    const args = a.slice(1).filter((w) => !w.startsWith('-'));
    const target = args[args.length - 1] ?? '';
    if (args.length < 2 || !/^(?:[\w.-]+@)?[\w.-]+:(?!\/\/)/.test(target) || /^[a-zA-Z]:[\\/]/.test(target)) return null;
    const sources = args.slice(0, -1).join(' ');
    const cred = credentialIn(sources);
    if (cred) return { payload: 'credential', detail: `copies ${cred} to ${target.slice(0, 60)}` };
    if (sources.split(' ').some((s) => sensitiveFiles.has(norm(s)) || SENSITIVE_FILE.test(` ${s}`))) return { payload: 'credential', detail: `copies a secret file to ${target.slice(0, 60)}` };
    return { payload: 'file', detail: `copies files to ${target.slice(0, 60)}` };
  }
  if (RAW_NETWORK.has(name) || (name === 'openssl' && a[1] === 's_client')) {
    const hasHost = a.slice(1).some((w) => !w.startsWith('-') && /[a-z]/i.test(w) && !/^(?:localhost|127\.0\.0\.1)$/.test(w));
    if (!hasHost) return null;
    if (a.some((w) => /^-[a-z]*l[a-z]*$/.test(w)) && name !== 'socat') return null; // listening, not sending
    const up = cmd.upstream ? productOf(cmd.upstream, depth) : cmd.stdinFrom ? fileProduct(cmd.stdinFrom, sensitiveFiles) : null;
    if (up === 'environment' || up === 'credential' || up === 'file') return { payload: up, detail: `sends ${up === 'environment' ? 'the environment' : up === 'credential' ? 'a credential file' : 'a file'} through ${describe(cmd)}` };
    return null;
  }
  return null;
}

function fileProduct(file: string, sensitiveFiles: ReadonlySet<string>): 'environment' | 'credential' | 'file' {
  const n = norm(file);
  if (sensitiveFiles.has(n)) return 'environment';
  if (credentialIn(file) || SENSITIVE_FILE.test(` ${file}`)) return 'credential';
  return 'file';
}

function isNetwork(cmd: Command): boolean {
  const a = cmd.argv;
  if (DOWNLOADERS.has(cmd.name) || RAW_NETWORK.has(cmd.name)) return a.length > 1;
  if (cmd.name === 'ssh') return a.slice(1).some((w) => !w.startsWith('-') && /[a-z]/i.test(w));
  if (REMOTE_COPY.has(cmd.name)) return a.slice(1).some((w) => /^(?:[\w.-]+@)?[\w.-]+:(?!\/\/)/.test(w) || /^rsync:\/\//.test(w));
  return false;
}

/** True for a formatter, linter or type checker run on the repository (directly or through npx, npm run, …). */
export function isLocalTool(argv: readonly string[]): boolean {
  let i = 0;
  const name = (k: number): string => programName(argv[k] ?? '');
  for (let guard = 0; guard < 4 && i < argv.length; guard++) {
    const n = name(i);
    if (n === 'npx' || n === 'bunx' || n === 'pnpx' || n === 'uvx' || ((n === 'pnpm' || n === 'yarn') && argv[i + 1] === 'dlx') || (n === 'npm' && argv[i + 1] === 'exec') || (n === 'uv' && argv[i + 1] === 'run') || (n === 'poetry' && argv[i + 1] === 'run') || n === 'pipx') {
      i += n === 'npx' || n === 'bunx' || n === 'pnpx' || n === 'uvx' ? 1 : 2;
      if (n === 'pipx' && argv[i] === 'run') i++;
      while (i < argv.length && argv[i]!.startsWith('-')) i++;
      continue;
    }
    if (isInterpreterName(n) && argv[i + 1] === '-m') {
      i += 2;
      continue;
    }
    break;
  }
  const n = name(i).replace(/@.*$/, '');
  const scoped = (argv[i] ?? '').replace(/^@[^/]+\//, '').replace(/@[^@]*$/, '').toLowerCase();
  if (LOCAL_TOOLS.has(n) || LOCAL_TOOLS.has(scoped)) return true;
  const sub = TOOL_SUBCOMMANDS[n];
  if (!sub) return false;
  const verb = (argv[i + 1] ?? '').toLowerCase();
  if (!sub.test(verb)) return false;
  if (n === 'npm' || n === 'pnpm' || n === 'yarn' || n === 'bun') return verb !== 'run' && verb !== 'run-script' ? true : SCRIPT_NAMES.test(argv[i + 2] ?? '');
  return true;
}

/** Words without which a line has none of the effects above (matched case-insensitively). */
const MAY_MATTER =
  /curl|wget|iwr|irm|invoke-|webclient|bitstransfer|aria2c|https?:|\bnc\b|ncat|netcat|socat|telnet|ftp|scp|rsync|ssh|\benv\b|printenv|\bset\b|export|compgen|declare|security|secret-tool|cmdkey|vaultcmd|~|home|userprofile|\/root|\/users\/|\/etc\/|\/proc\/|\.env|id_|\.pem|\.p1|\.pfx|credential|service-account|\bhttp\b|\bxh\b|\bfetch\b|python|\bpy\b|node|deno|\bbun\b|perl|ruby|php|pwsh|powershell|\bcmd\b|\beval\b|\bsource\b|(?:^|[\s;&|])\.\s|<\(|iex|expression|scriptblock/i;

/** Every effect found in lines of shell text, in line order. */
export function classifyScript(lines: readonly string[], options: ClassifyOptions = {}): EffectHit[] {
  const hits: EffectHit[] = [];
  const downloads: Download[] = [];
  const sensitiveFiles = new Set<string>();
  const wanted = options.wanted ?? (() => true);
  const own = (text: string): boolean => !!options.repository && fetchesOnlyFrom(text, options.repository);
  const long = lines.length > 50;
  for (const logical of logicalLines(lines)) {
    if (logical.text.length > 20_000) continue;
    // In long files, lines that name nothing this classifier reacts to are skipped cheaply (a
    // formatter there is not news); short command strings are always read in full.
    if (long && downloads.length === 0 && sensitiveFiles.size === 0 && !MAY_MATTER.test(logical.text)) continue;
    const report = logical.segments.some((s) => wanted(s.line));
    const words = shellWords(logical);
    const commands = splitCommands(words, logical.text);
    const push = (cmd: Command, effect: CommandEffect, detail: string, payload?: Payload, viaFile = false): void => {
      if (!report) return;
      const w = cmd.words[0]!;
      hits.push({ effect, line: w.line, column: w.column, detail, ...(payload ? { payload } : {}), ...(viaFile ? { viaFile } : {}) });
    };
    // PowerShell one-liners: `iex (iwr …)`, `iwr … | iex`, `iex ((New-Object Net.WebClient).DownloadString(…))`.
    if (POWERSHELL_RUN.test(logical.text) && POWERSHELL_FETCH.test(logical.text) && commands.length > 0 && !own(logical.text)) {
      const first = commands.find((c) => POWERSHELL_RUN.test(c.argv.join(' ')) || POWERSHELL_FETCH.test(c.argv.join(' '))) ?? commands[0]!;
      if (/\b(?:iex|invoke-expression)\b|\[scriptblock\]/i.test(logical.text)) {
        push(first, 'remote-code', 'runs a download with Invoke-Expression');
        continue;
      }
    }
    for (const cmd of commands) {
      const argText = cmd.argv.join(' ');
      // 1. A download piped into a program that reads its program from standard input.
      if (cmd.upstream && readsProgramFromStdin(cmd) && productOf(cmd.upstream, 0) === 'download' && !own(cmd.lineText)) {
        push(cmd, 'remote-code', `pipes a download into ${describe(cmd)}`);
        continue;
      }
      // 2. `bash <(curl …)`, `source <(curl …)`: the owner of a process substitution that downloads.
      if (cmd.substitutedInto && productOf(cmd, 0) === 'download' && !own(cmd.lineText)) {
        const ownerCmd = cmd.substitutedInto;
        if (SHELLS.has(ownerCmd.name) || isInterpreterName(ownerCmd.name) || ownerCmd.name === 'source' || ownerCmd.name === '.' || ownerCmd.name === 'eval') {
          push(ownerCmd.words.length > 0 ? ownerCmd : cmd, 'remote-code', `runs a download through ${describe(ownerCmd)} <( … )`);
          continue;
        }
      }
      // 3. eval "$(curl …)", sh -c "$(curl …)", ruby -e "$(curl …)", "$(curl …)" as the program.
      const script = inlineScript(cmd);
      const runsArgs = cmd.name === 'eval' || cmd.name === 'iex' || cmd.name === 'invoke-expression' || ((SHELLS.has(cmd.name) || isInterpreterName(cmd.name)) && script !== null);
      if (runsArgs || cmd.argv[0]!.includes('$(') || cmd.argv[0]!.includes('`')) {
        const scanned = runsArgs ? (script !== null ? [script] : cmd.argv.slice(1)) : [cmd.argv[0]!];
        if (scanned.some((w) => substitutionProduct(w, 0) === 'download') && !own(cmd.lineText)) {
          push(cmd, 'remote-code', `runs the output of a download through ${describe(cmd)}`);
          continue;
        }
      }
      // 4. Inline programs: their text is a command line (sh -c, pwsh -c) or code (python -c).
      if (script !== null && script.length < 8000) {
        if (SHELLS.has(cmd.name) || cmd.name === 'pwsh' || cmd.name === 'powershell' || cmd.name === 'cmd') {
          const inner = classifyScript([script], { repository: options.repository ?? null });
          const top = strongest(inner);
          if (top && top.effect !== 'local') {
            push(cmd, top.effect, top.detail, top.payload);
            continue;
          }
        } else if (!own(cmd.lineText)) {
          if (INLINE_FETCH.test(script) && INLINE_RUN.test(script)) {
            push(cmd, 'remote-code', `${describe(cmd)} fetches code and runs it`);
            continue;
          }
          if (INLINE_FETCH.test(script) && INLINE_ENV.test(script) && INLINE_SEND.test(script)) {
            push(cmd, 'upload', `${describe(cmd)} sends the environment over the network`, 'environment');
            continue;
          }
          const cred = credentialIn(script);
          if (cred) {
            push(cmd, 'credential-read', `${describe(cmd)} reads ${cred}`, 'credential');
            continue;
          }
        }
      }
      // 5. Checksums and signatures: downloads so far are checked.
      if (VERIFIERS.test(cmd.name) && (/(?:^|\s)(?:-c|--check|--verify|verify|verify-blob|-V|-hashfile)\b/i.test(argText) || cmd.name === 'gpgv' || cmd.name === 'get-filehash')) {
        for (const d of downloads) d.verified = true;
      }
      // 6. Running a file downloaded earlier, unchecked.
      const ran = executedFile(cmd);
      if (ran) {
        const d = matchDownload(downloads, ran);
        if (d && !d.verified && !own(d.lineText)) {
          push(cmd, 'remote-code', `runs ${base(ran).slice(0, 60)}, downloaded without a checksum or signature check`, undefined, true);
          continue;
        }
      }
      // 7. Uploads.
      const up = uploadOf(cmd, sensitiveFiles, 0);
      if (up && !own(cmd.lineText)) {
        push(cmd, 'upload', up.detail, up.payload);
        continue;
      }
      // 8. Credential reads (not writes: redirection targets are not arguments).
      {
        const reads = WHOLE_FILE_READERS.has(cmd.name) && !DOWNLOADERS.has(cmd.name) && !RAW_NETWORK.has(cmd.name);
        const cred = reads ? (credentialIn(cmd.argv.slice(1).join(' ')) ?? (cmd.stdinFrom ? credentialIn(cmd.stdinFrom) : null)) : null;
        if (cred || SECRET_STORE.test(argText)) {
          push(cmd, 'credential-read', cred ? `reads ${cred}` : `reads the ${describe(cmd)} secret store`, 'credential');
        } else if (isEnvDump(cmd) && !cmd.upstream) {
          push(cmd, 'credential-read', 'dumps the environment', 'environment');
        }
      }
      const product = productOf(cmd, 0);
      if ((product === 'environment' || product === 'credential') && cmd.stdoutTo) sensitiveFiles.add(norm(cmd.stdoutTo));
      // 9. Downloads to a file, remembered for step 6.
      const target = downloadTarget(cmd);
      if (downloads.length >= MAX_DOWNLOADS) downloads.shift();
      if (typeof target === 'string' && target !== '' && !target.startsWith('-')) downloads.push({ file: target, path: norm(target), name: base(target), line: cmd.words[0]!.line, lineText: cmd.lineText, verified: false });
      if (isNetwork(cmd)) push(cmd, 'network', `${describe(cmd)} reaches the network`);
      else if (isLocalTool(cmd.argv)) push(cmd, 'local', `runs ${describe(cmd)}`);
    }
  }
  return hits;
}

/** The strongest hit, first of equals. */
export function strongest(hits: readonly EffectHit[]): EffectHit | null {
  let best: EffectHit | null = null;
  for (const h of hits) if (!best || RANK[h.effect] > RANK[best.effect]) best = h;
  return best;
}

/** Effects of one command line (it may hold several commands and lines). */
export function classifyCommand(command: string, options: ClassifyOptions = {}): EffectHit[] {
  return classifyScript(command.split('\n'), options);
}

/** The strongest effect of a command line, or null when nothing it does is known to matter. */
export function strongestEffect(command: string, options: ClassifyOptions = {}): CommandEffect | null {
  return strongest(classifyCommand(command, options))?.effect ?? null;
}

/** Commands that only move text around: glue around a formatter in a hook (`jq -r … | xargs prettier --write`). */
const GLUE = new Set(['jq', 'echo', 'printf', 'cat', 'grep', 'head', 'tail', 'sed', 'tr', 'sort', 'uniq', 'cut', 'true', 'false', 'exit', 'cd', 'test', '[', '[[', ']', ']]', 'read', 'if', 'then', 'fi', 'else', 'elif', 'for', 'while', 'do', 'done', 'in', 'wc', 'basename', 'dirname', 'xargs', 'git', 'set', '}', 'case', 'esac']);

/**
 * True when every command of the line is a formatter, linter or type checker, or text glue around
 * one, and at least one such tool runs: a hook that only tidies the repository.
 */
export function isLocalOnly(command: string): boolean {
  let tools = 0;
  for (const logical of logicalLines(command.split('\n'))) {
    if (logical.text.length > 20_000) return false;
    for (const cmd of splitCommands(shellWords(logical), logical.text)) {
      if (isLocalTool(cmd.argv)) tools++;
      else if (!GLUE.has(cmd.name) || (cmd.name === 'git' && !/^(?:add|diff|status|ls-files|rev-parse)$/.test(cmd.argv[1] ?? ''))) return false;
    }
  }
  return tools > 0;
}

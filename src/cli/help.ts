// `--help` of every command: what it does, its options, its exit codes. `airlock --help` lists
// the commands; `airlock <command> --help` (or `-h`) prints that command's text and exits 0.

const EXIT_CODES = `exit codes: 0 nothing at or above the failure thresholds, 1 findings at or above them
            (or files an AI-authored change could not have reviewed), 2 usage/config/internal error`;

export const USAGE = `usage:
  airlock scan [--repo DIR] --base REF [--head REF] [--format text|json|sarif|markdown]
               [--all] [--config FILE | --config-from-base] [--fail-on SEVERITY]
               [--fail-confidence high|medium|low] [--pr-event FILE]
               [--sarif-file FILE] [--summary-file FILE] [--docs-url URL] [--quiet]
  airlock action     (in a GitHub Actions job on pull_request: see action.yml)
  airlock rules test [--rule ID-PREFIX] [--config FILE] [--repo DIR] [SEMGREP-RULE-FILE ...]
  airlock rules list [--format text|json]
  airlock --version

Each command takes --help (airlock scan --help, airlock rules test --help, ...).

${EXIT_CODES}`;

const SCAN = `usage: airlock scan --base REF [options]

Reviews the change base...head of a git repository (from the merge base, like a pull request)
and prints a report. The change is reviewed when it is AI-authored (or with --all).

options:
  --base REF               required: the branch or commit the change merges into
  --head REF               the change's tip (default HEAD)
  --repo DIR               the repository (default the current directory)
  --format FORMAT          text (default; coloured on a terminal), json, sarif, markdown
  --all                    review even a change that is not AI-authored
  --config FILE            an airlock.yml read from the file system (not with --config-from-base)
  --config-from-base       read .github/airlock.yml as committed at --base (the policy the change merges into)
  --fail-on SEVERITY       critical, high (default), medium, low, info
  --fail-confidence LEVEL  high (default), medium, low: only findings at least this confident block
  --pr-event FILE          a pull_request webhook payload: authorship also uses labels, author, body, branch
  --sarif-file FILE        also write the SARIF report to FILE
  --summary-file FILE      also append the markdown summary to FILE (a CI step summary)
  --docs-url URL           where the rule pages are (default AIRLOCK_DOCS_URL, else docs/rules of the project's repository)
  --quiet, -q              print only the verdict line (and errors); files above are still written
  --help, -h               this text

Progress goes to stderr during long scans, only when stderr is a terminal.
Environment: AIRLOCK_WORKERS=N threads for the call and taint rules (0: on the main thread),
AIRLOCK_DOCS_URL the rule pages' folder.

${EXIT_CODES}`;

const ACTION = `usage: airlock action

Reviews the pull request of a GitHub Actions job (on: pull_request), as action.yml runs it: the
configuration from the base branch, authorship from the event payload, SARIF to
$RUNNER_TEMP/airlock.sarif (output sarif), the markdown summary to the job's summary page.
It takes no arguments; its inputs are environment variables: GITHUB_EVENT_NAME,
GITHUB_EVENT_PATH, GITHUB_WORKSPACE, RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, and
optionally AIRLOCK_FAIL_ON, AIRLOCK_FAIL_CONFIDENCE, AIRLOCK_ALL=true, AIRLOCK_SARIF_FILE,
AIRLOCK_DOCS_URL.

${EXIT_CODES}`;

const RULES = `usage: airlock rules test|list [options]

  airlock rules test   run every rule's own valid/invalid cases (see airlock rules test --help)
  airlock rules list   list the rules: id, severity, confidence, CWE, title (see airlock rules list --help)`;

const RULES_TEST = `usage: airlock rules test [--rule ID-PREFIX] [--config FILE] [--repo DIR] [SEMGREP-RULE-FILE ...]

Runs each rule's own test cases through the engine: valid cases must not be reported, invalid
ones must be (at the lines they name). Without files or --config: the shipped rules.

options:
  --rule ID-PREFIX   only rules whose id starts with it
  --config FILE      test the Semgrep rule files its semgrep_rules lists (paths relative to --repo)
  --repo DIR         the repository those paths are in (default the current directory)
  SEMGREP-RULE-FILE  Semgrep rule files to test, each with its annotated test file beside it
  --help, -h         this text

exit codes: 0 every case passed, 1 a case failed, 2 usage error`;

const RULES_LIST = `usage: airlock rules list [--format text|json]

Lists every shipped rule: id, severity, confidence, CWE and title (text), or the rules'
metadata as a JSON array. Each rule's page: docs/rules/<id>.md.

options:
  --format FORMAT  text (default) or json
  --help, -h       this text`;

export const HELP: Readonly<Record<string, string>> = {
  scan: SCAN,
  action: ACTION,
  rules: RULES,
  'rules test': RULES_TEST,
  'rules list': RULES_LIST,
};

/** Whether the arguments ask for help (before any option is parsed: `--help` works with bad options too). */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

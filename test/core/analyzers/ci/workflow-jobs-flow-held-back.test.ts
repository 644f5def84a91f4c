// Held-back cases for data flow between jobs and steps: written with the variants, before the
// analyzer code, never used to tune it. A miss is recorded as an expected miss, not tuned away.
import { describe, expect, it } from 'vitest';
import { workflowsAnalyzer } from '../../../../src/core/analyzers/ci/workflows.js';
import { runAnalyzer } from '../../../helpers/analyzers.js';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;
const WF = '.github/workflows/held-back-jobs.yml';
const ids = (code: string) => runAnalyzer(workflowsAnalyzer, { path: WF, code }).map((f) => f.ruleId);

const positives: Array<[string, string, string]> = [
  [
    'a chain of two jobs re-exporting the branch name',
    lines(
      'on: pull_request_target',
      'jobs:',
      '  first:',
      '    runs-on: ubuntu-latest',
      '    outputs:',
      '      ref: ${{ github.head_ref }}',
      '    steps: [{ run: "true" }]',
      '  second:',
      '    needs: first',
      '    runs-on: ubuntu-latest',
      '    outputs:',
      '      branch: ${{ needs.first.outputs.ref }}',
      '    steps: [{ run: "true" }]',
      '  third:',
      '    needs: [first, second]',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: git push origin "${{ needs.second.outputs.branch }}"',
    ),
    'workflow.expression-injection',
  ],
  [
    'the consumer job written above the job it needs',
    lines(
      'on: issue_comment',
      'jobs:',
      '  reply:',
      '    needs: parse',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo "${{ needs.parse.outputs.cmd }}" | tee out.txt',
      '  parse:',
      '    runs-on: ubuntu-latest',
      '    outputs:',
      '      cmd: ${{ github.event.comment.body }}',
      '    steps: [{ run: "true" }]',
    ),
    'workflow.expression-injection',
  ],
  [
    'core.setOutput of the issue body read back as a step output',
    lines(
      'on: issues',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - id: parse',
      '        uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea',
      '        with:',
      '          script: core.setOutput("body", context.payload.issue.body)',
      '      - run: echo "${{ steps.parse.outputs.body }}" > body.md',
    ),
    'workflow.expression-injection',
  ],
];

const negatives: Array<[string, string]> = [
  [
    'a job output holding the pull request number',
    lines(
      'on: pull_request_target',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    outputs:',
      '      n: ${{ github.event.pull_request.number }}',
      '    steps: [{ run: "true" }]',
      '  b:',
      '    needs: a',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: gh pr view "${{ needs.a.outputs.n }}"',
    ),
  ],
];

describe('held-back: data flow between jobs and steps', () => {
  for (const [name, code, rule] of positives) it(`catches ${name}`, () => expect(ids(code)).toContain(rule));
  for (const [name, code] of negatives) it(`stays quiet on ${name}`, () => expect(ids(code)).toEqual([]));
});

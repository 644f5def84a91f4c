// Untrusted text carried between steps and jobs: job outputs read through `needs`, values
// written to $GITHUB_ENV (or by github-script's core.exportVariable / core.setOutput) and read
// back as `${{ env.X }}` or `${{ steps.id.outputs.x }}` by a later step.
import { describe, expect, it } from 'vitest';
import { workflowsAnalyzer } from '../../../../src/core/analyzers/ci/workflows.js';
import { runAnalyzer } from '../../../helpers/analyzers.js';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;
const WF = '.github/workflows/flow.yml';
const ids = (code: string) => runAnalyzer(workflowsAnalyzer, { path: WF, code }).map((f) => `${f.ruleId}:${f.line}`);

describe('workflow data flow between jobs and steps', () => {
  it('follows a job output set from a step output that carries the PR title', () => {
    const code = lines(
      'on: pull_request_target',
      'jobs:',
      '  meta:',
      '    runs-on: ubuntu-latest',
      '    outputs:',
      '      title: ${{ steps.read.outputs.title }}',
      '    steps:',
      '      - id: read',
      '        env:',
      '          T: ${{ github.event.pull_request.title }}',
      '        run: echo "title=$T" >> "$GITHUB_OUTPUT"',
      '  use:',
      '    needs: meta',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo "${{ needs.meta.outputs.title }}"',
    );
    expect(ids(code)).toContain('workflow.expression-injection:16');
  });

  it('follows a job output set straight from the issue title into an env that is evaluated', () => {
    const code = lines(
      'on: issues',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    outputs:',
      '      t: ${{ github.event.issue.title }}',
      '    steps: [{ run: "true" }]',
      '  b:',
      '    needs: [a]',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - env:',
      '          T: ${{ needs.a.outputs.t }}',
      '        run: eval "$T"',
    );
    expect(ids(code)).toContain('workflow.untrusted-env-evaluated:14');
  });

  it('follows $GITHUB_ENV written with a heredoc delimiter into ${{ env.X }} of a later step', () => {
    const code = lines(
      'on: pull_request_target',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - env:',
      '          T: ${{ github.event.pull_request.title }}',
      '        run: |',
      '          EOF=$(openssl rand -hex 8)',
      '          { echo "TITLE<<$EOF"; echo "$T"; echo "$EOF"; } >> "$GITHUB_ENV"',
      '      - run: echo "${{ env.TITLE }}" > title.txt',
    );
    expect(ids(code)).toContain('workflow.expression-injection:11');
  });

  it('follows core.exportVariable of the PR title into ${{ env.X }}', () => {
    const code = lines(
      'on: pull_request_target',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      `      - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea`,
      '        with:',
      '          script: |',
      "            core.exportVariable('PR_TITLE', context.payload.pull_request.title)",
      '      - run: ./notify "${{ env.PR_TITLE }}"',
    );
    expect(ids(code)).toContain('workflow.expression-injection:10');
  });

  it('stays quiet on trusted values, env hand-offs and constants', () => {
    const trustedOutput = lines(
      'on: pull_request_target',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    outputs:',
      '      sha: ${{ steps.s.outputs.sha }}',
      '    steps:',
      '      - id: s',
      '        run: echo "sha=$(git rev-parse HEAD)" >> "$GITHUB_OUTPUT"',
      '  b:',
      '    needs: a',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo "${{ needs.a.outputs.sha }}"',
    );
    expect(ids(trustedOutput)).toEqual([]);
    const envHandOff = lines(
      'on: issues',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    outputs:',
      '      t: ${{ github.event.issue.title }}',
      '    steps: [{ run: "true" }]',
      '  b:',
      '    needs: a',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - env:',
      '          T: ${{ needs.a.outputs.t }}',
      '        run: printf "%s\\n" "$T"',
    );
    expect(ids(envHandOff)).toEqual([]);
    const constant = lines(
      'on: pull_request_target',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      `      - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea`,
      '        with:',
      '          script: |',
      "            core.exportVariable('MODE', 'release')",
      '      - run: echo "${{ env.MODE }}"',
    );
    expect(ids(constant)).toEqual([]);
  });
});

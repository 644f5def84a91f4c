// CI test runs the change takes away, judged against the base version of each workflow: a job or
// step that ran tests is deleted, turned off with a constant-false `if:`, or has its test
// command replaced by a no-op. Steps are matched across jobs by what they run, so a job renamed,
// split or moved is not a removal; a test tool still run somewhere in the workflow is not gone.
// Silenced failures (continue-on-error, `|| true`) have their own rules (ci/workflows.ts).

import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { setupOnly } from '../ci/workflows.js';
import { mapVersions } from '../../diff/lines.js';
import { yamlNestingProblem } from '../../formats/yaml-safety.js';
import type { Analyzer, AnalyzerInput, RawFinding } from '../../rules/types.js';

const RULE = {
  removed: 'safety-net.ci-test-removed',
  disabled: 'safety-net.ci-test-disabled',
} as const;

const WORKFLOW = /^\.github\/workflows\/[^/]+\.ya?ml$/;

/** Commands that run a test suite; the match names the tool (`npm test`, `pytest`, `go test`). */
const TEST_COMMAND =
  /(?:^|[\s;&|(])((?:npm|pnpm|yarn|bun)\s+(?:run\s+)?test(?:[:\w-]*)|npx\s+(?:jest|vitest|mocha|playwright\s+test)|jest|vitest(?:\s+run)?|mocha|karma\s+start|pytest|py\.test|tox|nox|python[0-9.]*\s+-m\s+(?:pytest|unittest)|go\s+test|cargo\s+(?:test|nextest)|mvnw?\s+(?:\S+\s+)*?(?:test|verify)|\.?\/?gradlew?\s+(?:\S+\s+)*?(?:test|check)|rspec|bundle\s+exec\s+(?:rspec|rake\s+(?:test|spec))|rake\s+(?:test|spec)|(?:vendor\/bin\/)?phpunit|dotnet\s+test|ctest|make\s+(?:\S+\s+)*?(?:test|check)|swift\s+test|mix\s+test|deno\s+test|[\w./-]*\btests?(?:[-_][\w-]+)?\.(?:sh|py|ps1))(?=$|[\s;&|)])/;

/** A run script that does nothing: `echo …`, `true`, `:`, `exit 0`, one or more such lines. */
function isNoOp(run: string): boolean {
  const lines = run.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  return lines.length > 0 && lines.every((l) => /^(?:echo(?:\s.*)?|true|:|exit(?:\s+0)?)$/.test(l));
}

/** An `if:` that can never be true. */
function alwaysFalse(value: unknown): boolean {
  if (value === false || value === 0) return true;
  if (typeof value !== 'string') return false;
  const v = value.trim().replace(/^\$\{\{\s*([\s\S]*?)\s*\}\}$/, '$1').trim();
  return /^(?:false|0|'false'|"false")$/.test(v) || /^false\s*&&/.test(v) || /&&\s*false$/.test(v);
}

interface Step {
  job: string;
  name: string;
  run: string | null;
  /** The test tool the step runs, or null. */
  tool: string | null;
  disabled: boolean;
  line: number;
  ifLine: number | null;
  runLine: number | null;
}

interface Job {
  id: string;
  line: number;
  disabled: boolean;
  ifLine: number | null;
  steps: Step[];
}

const normalize = (run: string) => run.replace(/\s+/g, ' ').trim();

function toolOf(run: string | null): string | null {
  if (run === null || setupOnly(run)) return null;
  const m = TEST_COMMAND.exec(run.length > 4000 ? run.slice(0, 4000) : run);
  return m ? m[1]!.replace(/\s+/g, ' ').replace(/^(npm|pnpm|yarn|bun) run test/, '$1 test') : null;
}

/** The jobs and steps of a workflow, or null when it cannot be read. */
function readWorkflow(text: string): Job[] | null {
  if (yamlNestingProblem(text)) return null;
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return null;
  const lineOf = (node: Node | null | undefined) => (node?.range ? counter.linePos(node.range[0]).line : 1);
  const scalar = (node: unknown): unknown => (isScalar(node) ? node.value : undefined);
  const jobsNode = doc.contents.get('jobs', true) as Node | undefined;
  if (!isMap(jobsNode)) return [];
  const jobs: Job[] = [];
  for (const pair of jobsNode.items) {
    const id = String(scalar(pair.key) ?? '');
    if (!isMap(pair.value)) continue;
    const jobIf = pair.value.get('if', true) as Node | undefined;
    const job: Job = { id, line: lineOf(pair.key as Node), disabled: alwaysFalse(scalar(jobIf)), ifLine: jobIf ? lineOf(jobIf) : null, steps: [] };
    const steps = pair.value.get('steps', true) as Node | undefined;
    if (isSeq(steps)) {
      for (const item of steps.items) {
        if (!isMap(item)) continue;
        const runNode = item.get('run', true) as Node | undefined;
        const stepIf = item.get('if', true) as Node | undefined;
        const runValue = scalar(runNode);
        const run = typeof runValue === 'string' ? runValue : runValue === undefined || runValue === null ? null : String(runValue);
        job.steps.push({
          job: id,
          name: String(scalar(item.get('name', true)) ?? scalar(item.get('id', true)) ?? ''),
          run,
          tool: toolOf(run),
          disabled: alwaysFalse(scalar(stepIf)),
          line: lineOf(item as Node),
          ifLine: stepIf ? lineOf(stepIf) : null,
          runLine: runNode ? lineOf(runNode) : null,
        });
      }
    }
    jobs.push(job);
  }
  return jobs;
}

function analyze(input: AnalyzerInput): RawFinding[] {
  const { base, text, lines, added, file } = input;
  if (text === null || !base || base.text === null) return [];
  const before = readWorkflow(base.text);
  const after = readWorkflow(text);
  if (!before || !after) return [];
  const out: RawFinding[] = [];
  const map = mapVersions(base.lines, lines, file.addedLines);
  const afterJobs = new Map(after.map((j) => [j.id, j]));
  const enabled = (j: Job) => after.some((a) => a === j) && !j.disabled;
  // Test tools still run by an enabled step of an enabled job, and steps by what they run.
  const toolsNow = new Set<string>();
  // Workflows the change edits alongside: a step moved to one of them is not removed.
  for (const [path, other] of input.related ?? []) {
    if (path === file.path || !WORKFLOW.test(path)) continue;
    for (const job of readWorkflow(other) ?? []) for (const step of job.steps) if (step.tool && !step.disabled && !job.disabled) toolsNow.add(step.tool);
  }
  const byRun = new Map<string, { step: Step; job: Job }>();
  for (const job of after) {
    for (const step of job.steps) {
      if (step.run !== null && !byRun.has(normalize(step.run))) byRun.set(normalize(step.run), { step, job });
      if (step.tool && !step.disabled && enabled(job)) toolsNow.add(step.tool);
    }
  }
  const runsBefore = new Set(before.flatMap((j) => j.steps.flatMap((s) => (s.run === null ? [] : [normalize(s.run)]))));
  const snippet = (line: number) => (lines[line - 1] ?? '').trim().slice(0, 200);
  const removedJobs = new Set<string>();
  for (const job of before) {
    if (job.disabled) continue;
    const headJob = afterJobs.get(job.id);
    for (const step of job.steps) {
      if (!step.tool || step.disabled) continue;
      const same = step.run !== null ? byRun.get(normalize(step.run)) : undefined;
      if (same) {
        // Still there: turned off by a constant-false condition the change adds?
        const off = same.step.disabled ? same.step.ifLine : same.job.disabled ? same.job.ifLine : null;
        if (off !== null && added.has(off)) {
          out.push({
            ruleId: RULE.disabled,
            line: off,
            snippet: snippet(off),
            message: `The ${same.step.disabled ? 'step' : `job "${same.job.id}"`} that runs \`${step.tool}\` gets a condition that is never true (\`${snippet(off).slice(0, 60)}\`): the tests no longer run, and the workflow still passes.`,
            groupKey: `disabled:${same.job.id}:${step.tool}`,
          });
        }
        continue;
      }
      // The same step (by name, in the same job) now runs a no-op.
      const renamed = headJob?.steps.find((s) => step.name !== '' && s.name === step.name);
      if (renamed && renamed.run !== null && !isNoOp(renamed.run)) continue; // the same step, its command edited
      if (renamed && renamed.run !== null && renamed.runLine !== null && added.has(renamed.runLine)) {
        out.push({
          ruleId: RULE.disabled,
          line: renamed.runLine,
          snippet: snippet(renamed.runLine),
          message: `The step "${step.name.slice(0, 60)}" ran \`${step.tool}\` in the base version and now runs \`${normalize(renamed.run).slice(0, 60)}\`, which does nothing: the tests no longer run, and the step still passes.`,
          groupKey: `noop:${job.id}:${step.name}`,
        });
        continue;
      }
      if (toolsNow.has(step.tool)) continue;
      // The job runs a test command the base did not have: the command was edited, not removed.
      if (headJob && !headJob.disabled && headJob.steps.some((s) => s.tool && !s.disabled && s.run !== null && !runsBefore.has(normalize(s.run)))) continue;
      if (!headJob) {
        if (removedJobs.has(job.id)) continue;
        removedJobs.add(job.id);
        const at = map.headLineOf(job.line);
        out.push({
          ruleId: RULE.removed,
          line: at,
          snippet: base.lines[job.line - 1]!.trim().slice(0, 200),
          message: `This change deletes the job "${job.id}", which ran \`${step.tool}\`, and no other job of the workflow runs it: the tests no longer run on this workflow's events.`,
          removal: true,
          groupKey: `removed-job:${job.id}`,
        });
        continue;
      }
      out.push({
        ruleId: RULE.removed,
        line: map.headLineOf(step.line),
        snippet: base.lines[step.line - 1]!.trim().slice(0, 200),
        message: `This change removes the step${step.name ? ` "${step.name.slice(0, 60)}"` : ''} that ran \`${step.tool}\` from the job "${job.id}", and no step of the workflow runs it any more: the tests no longer run on this workflow's events.`,
        removal: true,
        groupKey: `removed-step:${job.id}:${step.tool}`,
      });
    }
  }
  return out;
}

const REFERENCES = [
  'https://cwe.mitre.org/data/definitions/1164.html',
  'https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idstepsif',
  'https://arxiv.org/abs/2510.20270',
];
const wf = (...steps: string[]) => `name: CI\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n${steps.join('\n')}\n`;
const PATH = '.github/workflows/ci.yml';

export const ciTestsAnalyzer: Analyzer = {
  name: 'ci-tests',
  rules: [
    {
      meta: {
        id: RULE.removed,
        title: 'CI test job or step removed',
        severity: 'medium',
        confidence: 'medium',
        category: 'safety-net',
        cwe: ['CWE-1164'],
        message: 'The change deletes a workflow job or step that ran the tests, and no other step of the workflow runs that test command.',
        fix: 'Keep the test step, or say in the pull request why the tests no longer need to run here.',
        references: REFERENCES,
      },
      tests: {
        valid: [
          { path: PATH, base: wf('      - run: npm ci', '      - run: npm test'), code: wf('      - run: npm ci', '      - run: npm test').replace('  test:', '  unit:') },
          { path: PATH, base: wf('      - run: npm run build', '      - run: npm test'), code: wf('      - run: npm test') },
        ],
        invalid: [{ path: PATH, base: wf('      - run: cargo build', '      - run: cargo test --all'), code: wf('      - run: cargo build') }],
      },
    },
    {
      meta: {
        id: RULE.disabled,
        title: 'CI test job or step turned off',
        severity: 'medium',
        confidence: 'high',
        category: 'safety-net',
        cwe: ['CWE-1164'],
        message: 'The change gives a job or step that runs the tests a condition that is never true (if: false), or replaces its test command with one that does nothing.',
        fix: 'Let the tests run; skip only the specific failing test, openly, if it must be skipped.',
        references: REFERENCES,
      },
      tests: {
        valid: [
          { path: PATH, base: wf('      - run: npm test'), code: wf("      - if: github.event_name == 'push'", '        run: npm test') },
          { path: PATH, base: wf('      - name: Test', '        run: npm test'), code: wf('      - name: Test', '        run: npm test -- --coverage') },
        ],
        invalid: [
          { path: PATH, base: wf('      - run: npm test'), code: wf('      - if: false', '        run: npm test') },
          { path: PATH, base: wf('      - name: Test', '        run: npm test'), code: wf('      - name: Test', '        run: echo "tests skipped for now"') },
        ],
      },
    },
  ],
  appliesTo: (file) => file.status !== 'deleted' && WORKFLOW.test(file.path),
  wantsBase: () => true,
  related: (file) => file.status !== 'deleted' && WORKFLOW.test(file.path),
  analyze,
};

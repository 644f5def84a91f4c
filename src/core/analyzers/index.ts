import type { Analyzer } from '../rules/types.js';
import { agentFilesAnalyzer } from './agent-tooling/agent-files.js';
import { cloudInitAnalyzer } from './infrastructure/cloud-init.js';
import { agentInstructionsAnalyzer } from './agent-tooling/agent-instructions.js';
import { buildCommandsAnalyzer } from './build/build-commands.js';
import { dependenciesAnalyzer } from './dependencies/dependencies.js';
import { kubernetesAnalyzer } from './infrastructure/kubernetes.js';
import { minifiedAnalyzer } from './hidden-code/minified.js';
import { secretsAnalyzer } from './secrets/secrets.js';
import { suppressionsAnalyzer } from './safety-nets/suppressions.js';
import { terraformAnalyzer } from './infrastructure/terraform.js';
import { testsAnalyzer } from './safety-nets/tests.js';
import { controlsAnalyzer } from './safety-nets/controls.js';
import { scannersAnalyzer } from './safety-nets/scanners.js';
import { ciTestsAnalyzer } from './safety-nets/ci-tests.js';
import { unicodeAnalyzer } from './hidden-code/unicode.js';
import { workflowsAnalyzer } from './ci/workflows.js';

/** Every TypeScript analyzer, in the order they run. */
export const ANALYZERS: readonly Analyzer[] = [
  secretsAnalyzer,
  unicodeAnalyzer,
  agentFilesAnalyzer,
  agentInstructionsAnalyzer,
  workflowsAnalyzer,
  dependenciesAnalyzer,
  suppressionsAnalyzer,
  testsAnalyzer,
  controlsAnalyzer,
  scannersAnalyzer,
  ciTestsAnalyzer,
  minifiedAnalyzer,
  terraformAnalyzer,
  kubernetesAnalyzer,
  cloudInitAnalyzer,
  buildCommandsAnalyzer,
];

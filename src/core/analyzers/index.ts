import type { Analyzer } from '../rules/types.js';
import { agentFilesAnalyzer } from './agent-tooling/agent-files.js';
import { buildCommandsAnalyzer } from './build/build-commands.js';
import { dependenciesAnalyzer } from './dependencies/dependencies.js';
import { minifiedAnalyzer } from './hidden-code/minified.js';
import { secretsAnalyzer } from './secrets/secrets.js';
import { suppressionsAnalyzer } from './safety-nets/suppressions.js';
import { unicodeAnalyzer } from './hidden-code/unicode.js';
import { workflowsAnalyzer } from './ci/workflows.js';

/** Every TypeScript analyzer, in the order they run. */
export const ANALYZERS: readonly Analyzer[] = [
  secretsAnalyzer,
  unicodeAnalyzer,
  agentFilesAnalyzer,
  workflowsAnalyzer,
  dependenciesAnalyzer,
  suppressionsAnalyzer,
  minifiedAnalyzer,
  buildCommandsAnalyzer,
];

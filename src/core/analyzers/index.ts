import type { Analyzer } from '../rules/types.js';
import { agentFilesAnalyzer } from './agent-files.js';
import { dependenciesAnalyzer } from './dependencies.js';
import { minifiedAnalyzer } from './minified.js';
import { secretsAnalyzer } from './secrets.js';
import { suppressionsAnalyzer } from './suppressions.js';
import { unicodeAnalyzer } from './unicode.js';
import { workflowsAnalyzer } from './workflows.js';

/** Every TypeScript analyzer, in the order they run. */
export const ANALYZERS: readonly Analyzer[] = [
  secretsAnalyzer,
  unicodeAnalyzer,
  agentFilesAnalyzer,
  workflowsAnalyzer,
  dependenciesAnalyzer,
  suppressionsAnalyzer,
  minifiedAnalyzer,
];

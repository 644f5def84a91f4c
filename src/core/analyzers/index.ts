import type { Analyzer } from '../rules/types.js';
import { minifiedAnalyzer } from './minified.js';
import { suppressionsAnalyzer } from './suppressions.js';

/** Every TypeScript analyzer, in the order they run. */
export const ANALYZERS: readonly Analyzer[] = [suppressionsAnalyzer, minifiedAnalyzer];

import { describe, expect, it } from 'vitest';
import { buildCommandsAnalyzer } from '../../../../src/core/analyzers/build/build-commands.js';
import { describeAnalyzerRules } from '../../../helpers/analyzers.js';

describeAnalyzerRules(buildCommandsAnalyzer);

describe('build-commands', () => {
  it('placeholder', () => {
    expect(buildCommandsAnalyzer.rules.length).toBe(5);
  });
});

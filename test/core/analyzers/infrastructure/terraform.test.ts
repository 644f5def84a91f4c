import { describe, expect, it } from 'vitest';
import { terraformAnalyzer } from '../../../../src/core/analyzers/infrastructure/terraform.js';
import { describeAnalyzerRules, runAnalyzer } from '../../../helpers/analyzers.js';

describeAnalyzerRules(terraformAnalyzer);

describe('terraform analyzer', () => {
  it('reads nothing from an unparseable *.tf.json', () => {
    expect(runAnalyzer(terraformAnalyzer, { path: 'main.tf.json', code: '{"resource": ' })).toEqual([]);
  });
});

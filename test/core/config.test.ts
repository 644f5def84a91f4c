import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, parseConfig, validateConfig } from '../../src/core/config.js';
import { billionLaughs } from '../helpers/yaml-bomb.js';

describe('airlock.yml', () => {
  it('fills every default for an empty file', () => {
    expect(parseConfig('', 'airlock.yml')).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toMatchObject({ review: 'ai', fail_on: 'high', fail_confidence: 'high', comments: { max: 20 }, on_error: 'failure' });
  });

  it('takes on_error as failure or neutral, and reads the older spelling fail as failure', () => {
    expect(parseConfig('on_error: failure\n', 'airlock.yml').on_error).toBe('failure');
    expect(parseConfig('on_error: neutral\n', 'airlock.yml').on_error).toBe('neutral');
    expect(parseConfig('on_error: fail\n', 'airlock.yml').on_error).toBe('failure');
    expect(() => parseConfig('on_error: success\n', 'airlock.yml')).toThrow(/on_error/);
  });

  it('reads a full configuration', () => {
    const config = parseConfig(
      [
        'review: all',
        'ai:',
        '  labels: [ai-generated]',
        '  branches: ["agent/*"]',
        'fail_on: medium',
        'fail_confidence: medium',
        'rules:',
        '  js.crypto.weak-hash: { severity: low }',
        '  js.injection.eval: { confidence: high }',
        '  secrets.*: { severity: critical, confidence: low }',
        '  generic.*: off',
        'ignore_paths: [vendor/**]',
        'comments: { max: 5 }',
        '_extends: .github',
      ].join('\n'),
      '.github/airlock.yml',
    );
    expect(config).toMatchObject({
      review: 'all',
      ai: { labels: ['ai-generated'], authors: [], branches: ['agent/*'] },
      fail_on: 'medium',
      fail_confidence: 'medium',
      rules: {
        'js.crypto.weak-hash': { severity: 'low' },
        'js.injection.eval': { confidence: 'high' },
        'secrets.*': { severity: 'critical', confidence: 'low' },
        'generic.*': 'off',
      },
      comments: { max: 5 },
    });
  });

  it.each([
    ['review: ai\nfail_on: urgent\n', /^\.github\/airlock\.yml: line 2: fail_on: /],
    ['review: ai\nai:\n  labels: yes\n', /^\.github\/airlock\.yml: line 3: ai\.labels: /],
    ['comments:\n  max: 500\n', /line 2: comments\.max: /],
    ['review: ai\nfail_confidence: certain\n', /^\.github\/airlock\.yml: line 2: fail_confidence: Invalid option: expected one of "high"\|"medium"\|"low"$/],
    ['rules:\n  js.injection.eval:\n    confidence: HIGH\n', /^\.github\/airlock\.yml: line 3: rules\.js\.injection\.eval\.confidence: /],
    ['rules:\n  js.injection.eval: {}\n', /^\.github\/airlock\.yml: line 2: rules\.js\.injection\.eval: needs severity, confidence or both \(or the value off\)$/],
    ['review: ai\nreveiw: all\n', /line 1: \(top level\): Unrecognized key: "reveiw"|reveiw/],
    ['review: [unclosed\n', /^\.github\/airlock\.yml: line \d+: invalid YAML: /],
    [`x: ${'{'.repeat(20_000)}\n`, /^\.github\/airlock\.yml: line 1: brackets nested more than 1000 levels deep$/],
  ])('rejects %j with a one-line error naming file, line and field', (text, message) => {
    expect(() => parseConfig(text, '.github/airlock.yml')).toThrow(ConfigError);
    expect(() => parseConfig(text, '.github/airlock.yml')).toThrow(message);
  });

  it('refuses aliases that expand without bound ("billion laughs") with a one-line error naming the file', () => {
    const parse = () => parseConfig(billionLaughs('review: ai\n'), 'airlock.yml');
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/^airlock\.yml: invalid YAML: its aliases expand too far/);
    // A few ordinary aliases still work.
    expect(parseConfig('ai:\n  labels: &l [agent]\n  authors: *l\n', 'airlock.yml').ai.authors).toEqual(['agent']);
  });

  it('validates values that were already parsed', () => {
    expect(() => validateConfig({ review: 'sometimes' }, 'org defaults')).toThrow(/^org defaults: review: /);
    expect(validateConfig(null, 'x')).toEqual(DEFAULT_CONFIG);
  });
});

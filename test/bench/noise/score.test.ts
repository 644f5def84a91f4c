import { describe, expect, it } from 'vitest';
import { atLeast, compareNoise, parseNumstat, per100k, scoreNoise, sourceOf, unitOf } from '../../../bench/noise/score.mjs';

const LINES = parseNumstat(
  [
    '150000\t0\tnpm/lodash@4.17.21/lodash.js',
    '50000\t0\tnpm/@scope+name@1.0.0/index.js',
    '-\t-\tnpm/lodash@4.17.21/logo.png',
    '200000\t0\tpython-stdlib/subprocess.py',
  ].join('\n'),
);

const finding = (path: string, ruleId: string, severity: string, line = 1) => ({ path, ruleId, severity, line, snippet: `${ruleId}@${line}`, message: 'm' });

describe('noise score', () => {
  it('reads numstat, binary files as 0 lines, and refuses malformed rows', () => {
    expect(LINES.get('npm/lodash@4.17.21/lodash.js')).toBe(150000);
    expect(LINES.get('npm/lodash@4.17.21/logo.png')).toBe(0);
    expect(LINES.size).toBe(4);
    expect(() => parseNumstat('12 0 a.js')).toThrow(/numstat/);
    expect(() => parseNumstat('x\t0\ta.js')).toThrow(/bad added count/);
  });

  it('names sources and package folders', () => {
    expect(sourceOf('npm/lodash@4.17.21/lodash.js')).toBe('npm');
    expect(unitOf('npm/@scope+name@1.0.0/lib/a.js')).toBe('npm/@scope+name@1.0.0');
    expect(unitOf('python-stdlib/os.py')).toBe('python-stdlib');
    expect(sourceOf('README.md')).toBe('(top level)');
  });

  it('compares severities against a threshold', () => {
    expect(atLeast('high', 'high')).toBe(true);
    expect(atLeast('medium', 'high')).toBe(false);
    expect(atLeast('critical', 'medium')).toBe(true);
    expect(() => atLeast('high', 'severe')).toThrow(/unknown severity/);
  });

  it('rates per 100,000 lines with one decimal', () => {
    expect(per100k(3, 200_000)).toBe(1.5);
    expect(per100k(1, 300_000)).toBe(0.3);
    expect(per100k(0, 0)).toBeNull();
  });

  it('counts findings at >= medium and blocking per source and per rule, lows left out', () => {
    const score = scoreNoise(
      {
        failOn: 'high',
        findings: [
          finding('npm/lodash@4.17.21/lodash.js', 'js.eval', 'high', 10),
          finding('npm/lodash@4.17.21/lodash.js', 'js.eval', 'high', 20),
          finding('npm/@scope+name@1.0.0/index.js', 'secret.generic', 'medium'),
          finding('python-stdlib/subprocess.py', 'py.shell', 'critical'),
          finding('python-stdlib/subprocess.py', 'py.note', 'low'),
        ],
        notReviewed: [{ path: 'python-stdlib/subprocess.py', reason: 'analysis budget' }],
      },
      LINES,
    );
    const npm = score.sources.find((s) => s.source === 'npm')!;
    expect(npm).toMatchObject({ lines: 200_000, files: 3, atLeastMedium: 3, blocking: 2, atLeastMediumPer100k: 1.5, blockingPer100k: 1 });
    const py = score.sources.find((s) => s.source === 'python-stdlib')!;
    expect(py).toMatchObject({ lines: 200_000, atLeastMedium: 1, blocking: 1, notReviewed: 1, blockingPer100k: 0.5 });
    expect(score.total).toMatchObject({ source: 'all', lines: 400_000, atLeastMedium: 4, blocking: 3, blockingPer100k: 0.8 });
    expect(score.rules.map((r) => [r.ruleId, r.atLeastMedium, r.blocking])).toEqual([
      ['js.eval', 2, 2],
      ['py.shell', 1, 1],
      ['secret.generic', 1, 0],
    ]);
    expect(score.rules[0]!.bySource).toEqual({ npm: 2 });
    expect(score.blocking.map((f) => `${f.ruleId}:${f.line}`)).toEqual(['js.eval:10', 'js.eval:20', 'py.shell:1']);
  });

  it('uses the given threshold for blocking', () => {
    const score = scoreNoise({ failOn: 'medium', findings: [finding('npm/a@1/x.js', 'r', 'medium')] }, LINES);
    expect(score.total.blocking).toBe(1);
  });

  it('blocks only on findings at or above the confidence threshold, as the verdict does', () => {
    const findings = [
      { ...finding('npm/a@1/x.js', 'js.eval', 'high', 1), confidence: 'medium' },
      { ...finding('npm/a@1/x.js', 'js.tls', 'high', 2), confidence: 'high' },
      finding('npm/a@1/x.js', 'old.build', 'high', 3), // a report without confidence: high
    ];
    const score = scoreNoise({ failOn: 'high', failConfidence: 'high', findings }, LINES);
    expect(score).toMatchObject({ failOn: 'high', failConfidence: 'high' });
    expect(score.total).toMatchObject({ atLeastMedium: 3, blocking: 2 });
    expect(score.blocking.map((f) => [f.ruleId, f.confidence])).toEqual([
      ['js.tls', 'high'],
      ['old.build', 'high'],
    ]);
    expect(scoreNoise({ failOn: 'high', findings }, LINES).total.blocking).toBe(2);
    expect(scoreNoise({ failOn: 'high', failConfidence: 'medium', findings }, LINES).total.blocking).toBe(3);
    expect(() => scoreNoise({ failOn: 'high', failConfidence: 'sure', findings }, LINES)).toThrow('unknown confidence threshold "sure"');
  });

  it('lists rule count changes and blocking findings that appeared or went away', () => {
    const before = scoreNoise(
      { failOn: 'high', findings: [finding('npm/a@1/x.js', 'dependency.typosquat', 'high', 3), finding('npm/a@1/y.js', 'js.eval', 'high', 7)] },
      LINES,
    );
    const after = scoreNoise(
      { failOn: 'high', findings: [finding('npm/a@1/y.js', 'js.eval', 'high', 7), finding('npm/a@1/z.js', 'js.new', 'critical', 1)] },
      LINES,
    );
    const diff = compareNoise(before, after);
    expect(diff.total.blocking).toEqual([2, 2]);
    expect(diff.rules).toEqual([
      { ruleId: 'dependency.typosquat', atLeastMedium: [1, 0], blocking: [1, 0] },
      { ruleId: 'js.new', atLeastMedium: [0, 1], blocking: [0, 1] },
    ]);
    expect(diff.newBlocking.map((f) => f.ruleId)).toEqual(['js.new']);
    expect(diff.goneBlocking.map((f) => f.ruleId)).toEqual(['dependency.typosquat']);
  });
});

import { describe, expect, it } from 'vitest';
import { blocks, confidentEnough, type Finding, type ScanResult } from '../../src/core/model.js';
import { decideVerdict } from '../../src/core/verdict.js';
import { finding } from './render/fixture.js';

const ai = { ai: true, agent: 'Claude Code', evidence: ['commit abc trailer'] };

function resultOf(findings: Finding[], notReviewed: ScanResult['notReviewed'] = []): ScanResult {
  return { findings, suppressed: [], notReviewed, ignored: { files: 0, globs: [] }, stats: { filesScanned: 1, addedLines: 1, rulesRun: 1, durationMs: 1 } };
}

// js.injection.child-process-exec is high severity in the fixture; the confidence is set per case.
const exec = (confidence: Finding['confidence'], line = 1) => finding('js.injection.child-process-exec', 'src/a.js', line, { confidence });

describe('verdict and confidence', () => {
  it('counts a problem found at many places once: counts, blocking and title are about problems', () => {
    const locations = Array.from({ length: 20 }, (_, i) => ({ line: 1 + i * 3, endLine: 1 + i * 3, column: 1 }));
    const grouped = finding('js.injection.child-process-exec', 'src/a.js', 1, { confidence: 'high', locations });
    const verdict = decideVerdict({ authorship: ai, reviewed: true, result: resultOf([grouped, exec('high', 90)]), failOn: 'high' });
    expect(verdict.counts.high).toBe(2);
    expect(verdict.blocking).toHaveLength(2);
    expect(verdict.title).toBe('2 findings at or above high');
  });

  it('orders confidence high > medium > low', () => {
    expect(confidentEnough('high', 'high')).toBe(true);
    expect(confidentEnough('medium', 'high')).toBe(false);
    expect(confidentEnough('medium', 'medium')).toBe(true);
    expect(confidentEnough('high', 'low')).toBe(true);
    expect(confidentEnough('low', 'medium')).toBe(false);
    expect(blocks({ severity: 'critical', confidence: 'high' }, 'high', 'high')).toBe(true);
    expect(blocks({ severity: 'medium', confidence: 'high' }, 'high', 'high')).toBe(false);
    expect(blocks({ severity: 'critical', confidence: 'medium' }, 'high', 'high')).toBe(false);
  });

  it('does not block on a high-severity finding of medium confidence by default, and says it held it back', () => {
    const verdict = decideVerdict({ authorship: ai, reviewed: true, result: resultOf([exec('medium')]), failOn: 'high' });
    expect(verdict).toMatchObject({ conclusion: 'success', failOn: 'high', failConfidence: 'high', blocking: [], counts: { high: 1 } });
    expect(verdict.heldBack.map((f) => f.confidence)).toEqual(['medium']);
    expect(verdict.title).toBe('Passed with 1 finding: 1 at or above high held back from blocking (confidence below high)');
  });

  it('blocks on it with fail_confidence medium, and never on low confidence', () => {
    const findings = [exec('medium', 1), exec('low', 2)];
    const verdict = decideVerdict({ authorship: ai, reviewed: true, result: resultOf(findings), failOn: 'high', failConfidence: 'medium' });
    expect(verdict.conclusion).toBe('failure');
    expect(verdict.blocking.map((f) => f.line)).toEqual([1]);
    expect(verdict.heldBack.map((f) => f.line)).toEqual([2]);
    expect(verdict.title).toBe('1 finding at or above high; 1 at or above high held back from blocking (confidence below medium)');
    const all = decideVerdict({ authorship: ai, reviewed: true, result: resultOf(findings), failOn: 'high', failConfidence: 'low' });
    expect(all).toMatchObject({ conclusion: 'failure', heldBack: [] });
    expect(all.blocking).toHaveLength(2);
  });

  it('counts only findings past the severity threshold as held back', () => {
    const weak = finding('js.crypto.weak-hash', 'src/b.js', 3, { confidence: 'medium' });
    const verdict = decideVerdict({ authorship: ai, reviewed: true, result: resultOf([weak, exec('high')]), failOn: 'high' });
    expect(verdict.blocking).toHaveLength(1);
    expect(verdict.heldBack).toEqual([]);
    expect(verdict.title).toBe('1 finding at or above high');
    expect(decideVerdict({ authorship: ai, reviewed: true, result: resultOf([weak]), failOn: 'high' }).title).toBe('Passed with 1 finding below high');
  });

  it('still fails an AI-authored change with unreviewed files, whatever the confidence of its findings', () => {
    const verdict = decideVerdict({ authorship: ai, reviewed: true, result: resultOf([exec('low')], [{ path: 'a.bin', reason: 'binary file' }]), failOn: 'high' });
    expect(verdict.conclusion).toBe('failure');
    expect(verdict.title).toBe('1 file not reviewed; 1 at or above high held back from blocking (confidence below high)');
  });

  it('holds nothing back for a change that was not reviewed', () => {
    const verdict = decideVerdict({ authorship: { ai: false, agent: null, evidence: [] }, reviewed: false, result: resultOf([]), failOn: 'high' });
    expect(verdict).toMatchObject({ conclusion: 'success', blocking: [], heldBack: [], title: 'Not reviewed: not AI-authored' });
  });
});

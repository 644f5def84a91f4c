import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { reviewDecision } from '../../src/core/review.js';
import { decideVerdict } from '../../src/core/verdict.js';

const facts = { author: 'ann', authorType: 'User', labels: [], title: 't', body: '', headBranch: 'x', commits: [] };
const unknown = { ai: false, agent: null, evidence: [], unknown: 'only 3000 of the 3001 commits were read' };

describe('review decision', () => {
  it('reviews a change whose authorship is unknown, and never calls it marker-free', () => {
    expect(reviewDecision(unknown, facts, DEFAULT_CONFIG, false)).toEqual({ reviewed: true, reason: null });
    expect(reviewDecision({ ai: false, agent: null, evidence: [] }, facts, DEFAULT_CONFIG, false)).toEqual({
      reviewed: false,
      reason: 'not AI-authored: no agent markers found',
    });
  });

  it('in labeled mode, a common AI label asks for a review without configuration; other labels do not', () => {
    const labeled = { ...DEFAULT_CONFIG, review: 'labeled' as const };
    const human = { ai: false, agent: null, evidence: [] };
    expect(reviewDecision(human, { ...facts, labels: ['AI-Generated'] }, labeled, false)).toEqual({ reviewed: true, reason: null });
    expect(reviewDecision(human, { ...facts, labels: ['ai', 'bug'] }, labeled, false)).toEqual({
      reviewed: false,
      reason: 'no review label (airlock:review, or a common AI label such as ai-generated) on the change',
    });
  });

  it('fails an unknown-authorship change with files it could not review, as for an AI change', () => {
    const result = { findings: [], suppressed: [], notReviewed: [{ path: 'a.bin', reason: 'binary file' }], ignored: { files: 0, globs: [] }, stats: { filesScanned: 0, addedLines: 0, rulesRun: 0, durationMs: 0 } };
    expect(decideVerdict({ authorship: unknown, reviewed: true, result, failOn: 'high' }).conclusion).toBe('failure');
  });
});

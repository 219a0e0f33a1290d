import { describe, expect, it } from 'vitest';
import { argmax, scores } from '../accuracy/metrics';
import { quantile, summarize, timed } from '../lib/stats';
import { ratios } from '../speed/ratios';
import type { PipelineResult } from '../speed/types';

describe('scores', () => {
  it('computes accuracy, macro-F1, recall and the confusion matrix', () => {
    // Classes 0 (angry) and 3 (happy) only; the other five have no support and F1 0.
    const labels = [0, 0, 0, 3, 3];
    const predicted = [0, 0, 3, 3, 3];
    const s = scores(labels, predicted);
    expect(s.samples).toBe(5);
    expect(s.accuracy).toBe(0.8);
    expect(s.recall.angry).toBeCloseTo(2 / 3, 4);
    expect(s.recall.happy).toBe(1);
    expect(s.recall.sad).toBe(0);
    // F1 angry: p 1, r 2/3 -> 0.8; F1 happy: p 2/3, r 1 -> 0.8; mean over 7 classes.
    expect(s.macroF1).toBeCloseTo(1.6 / 7, 4);
    expect(s.confusion[0]).toEqual([2, 0, 0, 1, 0, 0, 0]);
    expect(s.confusion[3][3]).toBe(2);
  });

  it('refuses mismatched lengths', () => {
    expect(() => scores([0, 1], [0])).toThrow(/2 labels but 1 predictions/);
  });

  it('argmax takes the first of equal values, like numpy', () => {
    expect(argmax([0.1, 0.4, 0.4, 0.1])).toBe(1);
    expect(argmax([0.9])).toBe(0);
  });
});

describe('timing summaries', () => {
  it('uses linear interpolation for quantiles', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50], 0.95)).toBeCloseTo(48, 6);
    const s = summarize([3, 1, 2]);
    expect([s.median, s.min, s.max, s.n]).toEqual([2, 1, 3, 3]);
  });
});

describe('speed ratios', () => {
  const result = (id: string, library: string, samples: number[]) =>
    ({
      id,
      library,
      frames: [{ file: 'f.png', total: timed(samples) }],
      classifierOnly: { batch1: timed(samples), batch10: timed(samples) },
    }) as unknown as PipelineResult;

  it('gives the ratio of the medians and the median of the per-round ratios', () => {
    // Round 2 is slow for both (load on the machine): pairing keeps it from skewing the ratio.
    const ours = result('moodlens:m', 'moodlens', [10, 40, 12]);
    const peer = result('face-api', 'face-api', [30, 120, 24]);
    const [frame] = ratios([ours, peer]);
    expect(frame).toMatchObject({ ours: 'moodlens:m', peer: 'face-api', what: 'f.png', ratio: 2.5, pairedRatio: 3 });
    expect(ratios([ours, peer])).toHaveLength(3);
  });
});

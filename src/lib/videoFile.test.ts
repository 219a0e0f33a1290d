import { describe, expect, it } from 'vitest';
import { isMoodlensError } from './errors';
import { sampleTimes } from './videoFile';

describe('sampleTimes', () => {
  it('starts at 0 and steps evenly, stopping before the end', () => {
    expect(sampleTimes(1, 4)).toEqual([0, 0.25, 0.5, 0.75]);
    expect(sampleTimes(0.95, 10)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
  });

  it('prints tenths as tenths (no 0.30000000000000004)', () => {
    expect(sampleTimes(3, 10)[3]).toBe(0.3);
    expect(sampleTimes(3, 10)).toHaveLength(30);
  });

  it('keeps one moment for a video shorter than a step', () => {
    expect(sampleTimes(0.04, 10)).toEqual([0]);
  });

  it('rejects a rate that is not a positive number', () => {
    for (const rate of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => sampleTimes(10, rate)).toThrow(/samplesPerSecond/);
      try {
        sampleTimes(10, rate);
      } catch (error) {
        expect(isMoodlensError(error, 'invalid-option')).toBe(true);
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { checkSmoothing, smoothProbabilities } from './smoothing';

describe('smoothProbabilities', () => {
  const previous = [0.7, 0.3];
  const current = [0.1, 0.9];

  it('blends with the weight of the past', () => {
    const next = smoothProbabilities(previous, current, 0.6);
    expect(next[0]).toBeCloseTo(0.6 * 0.7 + 0.4 * 0.1, 12);
    expect(next[1]).toBeCloseTo(0.6 * 0.3 + 0.4 * 0.9, 12);
    expect(next[0] + next[1]).toBeCloseTo(1, 12);
  });

  it('returns the raw values when off, 0, or without history', () => {
    expect(smoothProbabilities(previous, current, false)).toEqual(current);
    expect(smoothProbabilities(previous, current, 0)).toEqual(current);
    expect(smoothProbabilities(undefined, current, 0.9)).toEqual(current);
  });

  it('converges to a steady input', () => {
    let state = [1, 0];
    for (let i = 0; i < 60; i++) state = smoothProbabilities(state, [0, 1], 0.6);
    expect(state[1]).toBeGreaterThan(0.999);
  });

  it('refuses mismatched lengths', () => {
    expect(() => smoothProbabilities([1], [0.5, 0.5], 0.5)).toThrow();
  });
});

describe('checkSmoothing', () => {
  it('accepts false and [0, 1)', () => {
    expect(checkSmoothing(false)).toBe(false);
    expect(checkSmoothing(0)).toBe(0);
    expect(checkSmoothing(0.95)).toBe(0.95);
  });

  it('rejects 1 (would freeze), negatives and NaN', () => {
    for (const bad of [1, -0.1, Number.NaN, 3]) expect(() => checkSmoothing(bad)).toThrow(/smoothing/);
  });
});

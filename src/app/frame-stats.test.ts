import { describe, expect, it } from 'vitest';
import { FrameStats } from './frame-stats';

const timings = (ms: number) => ({ detect: ms, preprocess: ms, classify: ms });

describe('FrameStats', () => {
  it('counts frames per second over the last two seconds', () => {
    const stats = new FrameStats();
    for (let t = 0; t <= 3000; t += 100) stats.record(t, timings(10));
    expect(stats.fps(3000)).toBeCloseTo(10, 5);
    expect(stats.fps(10_000)).toBe(0);
  });

  it('smooths stage timings', () => {
    const stats = new FrameStats();
    stats.record(0, timings(10));
    stats.record(10, timings(20));
    expect(stats.timings?.detect).toBeCloseTo(12, 5);
  });
});

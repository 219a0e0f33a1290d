import { describe, expect, it } from 'vitest';
import { FaceTracker, matchByIou } from './tracker';
import type { Box } from './types';

const box = (x: number, y: number, size = 100): Box => ({ x, y, width: size, height: size });
const probs = (happy: number) => [0, 0, 0, happy, 0, 0, 1 - happy];

describe('matchByIou', () => {
  it('pairs each box with its best overlapping predecessor', () => {
    expect(matchByIou([box(0, 0), box(300, 0)], [box(305, 2), box(4, 3)], 0.3)).toEqual([1, 0]);
  });

  it('leaves boxes without enough overlap unmatched', () => {
    expect(matchByIou([box(0, 0)], [box(80, 0)], 0.3)).toEqual([-1]);
  });

  it('gives a predecessor to at most one box (the closer one)', () => {
    expect(matchByIou([box(0, 0)], [box(30, 0), box(5, 0)], 0.3)).toEqual([-1, 0]);
  });
});

describe('FaceTracker', () => {
  it('keeps ids stable while faces move a little', () => {
    const tracker = new FaceTracker({ smoothing: false });
    const first = tracker.update([{ box: box(0, 0), probabilities: probs(1) }, { box: box(400, 0), probabilities: probs(0) }]);
    expect(first.map((f) => f.id)).toEqual([1, 2]);
    for (let step = 1; step <= 10; step++) {
      // Reported in the other order, each moved by 3 px per frame.
      const faces = tracker.update([
        { box: box(400 - 3 * step, 2 * step), probabilities: probs(0) },
        { box: box(3 * step, step), probabilities: probs(1) },
      ]);
      expect(faces.map((f) => f.id)).toEqual([2, 1]);
    }
  });

  it('gives a new face a new id and fresh (unsmoothed) probabilities', () => {
    const tracker = new FaceTracker({ smoothing: 0.9 });
    tracker.update([{ box: box(0, 0), probabilities: probs(1) }]);
    const [, newcomer] = tracker.update([
      { box: box(2, 0), probabilities: probs(1) },
      { box: box(500, 0), probabilities: probs(0.2) },
    ]);
    expect(newcomer.id).toBe(2);
    expect(newcomer.probabilities).toEqual(probs(0.2));
  });

  it('smooths probabilities along a track', () => {
    const tracker = new FaceTracker({ smoothing: 0.5 });
    tracker.update([{ box: box(0, 0), probabilities: probs(1) }]);
    const [face] = tracker.update([{ box: box(1, 0), probabilities: probs(0) }]);
    expect(face.probabilities[3]).toBeCloseTo(0.5, 12);
    expect(face.probabilities[6]).toBeCloseTo(0.5, 12);
  });

  it('passes raw probabilities through when smoothing is off', () => {
    const tracker = new FaceTracker({ smoothing: false });
    tracker.update([{ box: box(0, 0), probabilities: probs(1) }]);
    expect(tracker.update([{ box: box(1, 0), probabilities: probs(0) }])[0].probabilities).toEqual(probs(0));
  });

  it('bridges a few missed frames, then forgets the face', () => {
    const tracker = new FaceTracker({ maxMissed: 2, smoothing: false });
    tracker.update([{ box: box(0, 0), probabilities: probs(1) }]);
    tracker.update([]);
    tracker.update([]);
    expect(tracker.size).toBe(1);
    expect(tracker.update([{ box: box(1, 1), probabilities: probs(1) }])[0].id).toBe(1);
    tracker.update([]);
    tracker.update([]);
    tracker.update([]);
    expect(tracker.size).toBe(0);
    expect(tracker.update([{ box: box(1, 1), probabilities: probs(1) }])[0].id).toBe(2);
  });

  it('never reuses ids after reset', () => {
    const tracker = new FaceTracker();
    tracker.update([{ box: box(0, 0), probabilities: probs(1) }]);
    tracker.reset();
    expect(tracker.size).toBe(0);
    expect(tracker.update([{ box: box(0, 0), probabilities: probs(1) }])[0].id).toBe(2);
  });

  it('does not share state between the returned arrays and the track', () => {
    const tracker = new FaceTracker({ smoothing: 0.5 });
    const [face] = tracker.update([{ box: box(0, 0), probabilities: probs(1) }]);
    face.probabilities[3] = 42;
    expect(tracker.update([{ box: box(0, 0), probabilities: probs(1) }])[0].probabilities[3]).toBeCloseTo(1, 12);
  });
});

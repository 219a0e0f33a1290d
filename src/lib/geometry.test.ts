import { describe, expect, it } from 'vitest';
import { boxCenter, fitWithin, iou, mirrorBox, mirrorPoint, scaleBox } from './geometry';

describe('iou', () => {
  it('is 1 for identical boxes and 0 for disjoint ones', () => {
    const box = { x: 10, y: 10, width: 20, height: 20 };
    expect(iou(box, box)).toBe(1);
    expect(iou(box, { x: 100, y: 100, width: 5, height: 5 })).toBe(0);
  });

  it('matches a hand computation for a partial overlap', () => {
    // Overlap 10 x 10 = 100; union 400 + 400 - 100 = 700.
    expect(iou({ x: 0, y: 0, width: 20, height: 20 }, { x: 10, y: 10, width: 20, height: 20 })).toBeCloseTo(100 / 700, 12);
  });

  it('is 0 for empty boxes', () => {
    expect(iou({ x: 0, y: 0, width: 0, height: 0 }, { x: 0, y: 0, width: 0, height: 0 })).toBe(0);
  });
});

describe('fitWithin', () => {
  it('leaves sizes within the limit alone', () => {
    expect(fitWithin({ width: 640, height: 480 }, 1920)).toEqual({ width: 640, height: 480, scale: 1 });
    expect(fitWithin({ width: 1920, height: 1080 }, 1920)).toEqual({ width: 1920, height: 1080, scale: 1 });
  });

  it('shrinks an 8000 x 8000 image to the limit', () => {
    expect(fitWithin({ width: 8000, height: 8000 }, 1920)).toEqual({ width: 1920, height: 1920, scale: 0.24 });
  });

  it('keeps the aspect ratio of tall and wide images', () => {
    const tall = fitWithin({ width: 3000, height: 12000 }, 1920);
    expect(tall.height).toBe(1920);
    expect(tall.width).toBe(480);
    const wide = fitWithin({ width: 10000, height: 3 }, 1920);
    expect(wide.width).toBe(1920);
    expect(wide.height).toBe(1); // never 0
  });

  it('reports empty sources as 0 x 0', () => {
    expect(fitWithin({ width: 0, height: 480 }, 1920)).toEqual({ width: 0, height: 0, scale: 1 });
  });
});

describe('mirroring', () => {
  it('flips a box across the vertical centre line', () => {
    expect(mirrorBox({ x: 10, y: 5, width: 30, height: 40 }, 100)).toEqual({ x: 60, y: 5, width: 30, height: 40 });
  });

  it('is its own inverse', () => {
    const box = { x: 12.5, y: 7, width: 33, height: 21 };
    expect(mirrorBox(mirrorBox(box, 640), 640)).toEqual(box);
  });

  it('keeps a point inside its mirrored box', () => {
    const box = { x: 10, y: 10, width: 20, height: 20 };
    const p = mirrorPoint({ x: 15, y: 12 }, 100);
    const m = mirrorBox(box, 100);
    expect(p.x).toBeGreaterThanOrEqual(m.x);
    expect(p.x).toBeLessThanOrEqual(m.x + m.width);
  });
});

it('scales boxes and finds their centre', () => {
  expect(scaleBox({ x: 10, y: 20, width: 30, height: 40 }, 2, 0.5)).toEqual({ x: 20, y: 10, width: 60, height: 20 });
  expect(boxCenter({ x: 10, y: 20, width: 30, height: 40 })).toEqual({ x: 25, y: 40 });
});

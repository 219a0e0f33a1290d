import { describe, expect, it } from 'vitest';
import {
  applyTransform,
  cropCorners,
  cropLeavesImage,
  cropTransform,
  DEFAULT_MARGIN,
  DEFAULT_SHIFT_UP,
  faceCrop,
  rollAngle,
} from './align';
import type { DetectedFace } from './types';

const DEG = Math.PI / 180;

function face(box: DetectedFace['box'], eyes: [number, number, number, number] = [0, 0, 0, 0]): DetectedFace {
  const [rx, ry, lx, ly] = eyes;
  return { box, keypoints: [{ x: rx, y: ry }, { x: lx, y: ly }], score: 0.9 };
}

describe('rollAngle', () => {
  it('is 0 for level eyes', () => {
    expect(rollAngle([{ x: 40, y: 50 }, { x: 60, y: 50 }])).toBe(0);
  });

  it('is positive (clockwise on screen) when the eye on the image right is lower', () => {
    // Image y grows downwards: the right-hand eye 10 px lower means the head leans clockwise.
    expect(rollAngle([{ x: 40, y: 50 }, { x: 60, y: 60 }])).toBeCloseTo(Math.atan2(10, 20), 12);
    expect(rollAngle([{ x: 40, y: 50 }, { x: 60, y: 60 }])).toBeGreaterThan(0);
  });

  it('is negative when the eye on the image right is higher', () => {
    expect(rollAngle([{ x: 40, y: 50 }, { x: 60, y: 30 }])).toBeCloseTo(-45 * DEG, 12);
  });

  it('treats swapped eyes (keypoint 0 on the image right) as the same line, never upside down', () => {
    const normal = rollAngle([{ x: 40, y: 50 }, { x: 60, y: 55 }]);
    const swapped = rollAngle([{ x: 60, y: 55 }, { x: 40, y: 50 }]);
    expect(swapped).toBeCloseTo(normal, 12);
    expect(Math.abs(swapped)).toBeLessThanOrEqual(Math.PI / 2);
  });

  it('is 0 without two distinct eyes', () => {
    expect(rollAngle([])).toBe(0);
    expect(rollAngle([{ x: 3, y: 3 }])).toBe(0);
    expect(rollAngle([{ x: 3, y: 3 }, { x: 3, y: 3 }])).toBe(0);
  });
});

describe('faceCrop', () => {
  it('is a square centred on the box, side = longest side * (1 + margin)', () => {
    const crop = faceCrop(face({ x: 100, y: 50, width: 80, height: 100 }, [120, 90, 160, 90]), 0.25, true, 0);
    expect(crop.center).toEqual({ x: 140, y: 100 });
    expect(crop.side).toBe(125);
    expect(crop.angle).toBe(0);
  });

  it('moves the centre up by shiftUp box sides (FER2013 shows more forehead than chin)', () => {
    const f = face({ x: 100, y: 50, width: 80, height: 100 }, [120, 90, 160, 90]);
    expect(faceCrop(f, 0.25, true, 0.1).center).toEqual({ x: 140, y: 90 });
    expect(faceCrop(f).center.y).toBeCloseTo(100 - 100 * DEFAULT_SHIFT_UP, 12);
  });

  it('moves the centre along the face\'s own up direction when the head is rolled', () => {
    // Rolled 90 degrees clockwise on screen (eye line pointing down): the face's "up" is +x.
    const rolled = face({ x: 0, y: 0, width: 100, height: 100 }, [50, 30, 50, 70]);
    const crop = faceCrop(rolled, 0.2, true, 0.1);
    expect(crop.angle).toBeCloseTo(Math.PI / 2, 12);
    expect(crop.center.x).toBeCloseTo(60, 10);
    expect(crop.center.y).toBeCloseTo(50, 10);
    // The output's top edge midpoint is then to the right of the box centre too.
    const t = cropTransform(crop, 48);
    expect(applyTransform(t, 23.5, -0.5).x).toBeGreaterThan(crop.center.x);
  });

  it('uses DEFAULT_MARGIN by default and margin 0 gives the box side', () => {
    const f = face({ x: 0, y: 0, width: 100, height: 100 });
    expect(faceCrop(f).side).toBeCloseTo(100 * (1 + DEFAULT_MARGIN), 12);
    expect(faceCrop(f, 0).side).toBe(100);
  });

  it('takes the roll from the eyes, or none when not upright', () => {
    const f = face({ x: 0, y: 0, width: 100, height: 100 }, [30, 40, 70, 80]);
    expect(faceCrop(f).angle).toBeCloseTo(45 * DEG, 12);
    expect(faceCrop(f, 0.2, false).angle).toBe(0);
  });

  it('rejects a margin that would make the crop vanish', () => {
    expect(() => faceCrop(face({ x: 0, y: 0, width: 10, height: 10 }), -1)).toThrow(/margin/);
  });
});

describe('cropTransform', () => {
  it('maps output pixel centres onto the crop, 1:1 for a 48 px crop', () => {
    const t = cropTransform({ center: { x: 50, y: 60 }, side: 48, angle: 0 }, 48);
    // Output pixel 0 covers [0, 1) of the output = [26, 27) of the source: index 26.
    expect(applyTransform(t, 0, 0)).toEqual({ x: 26, y: 36 });
    expect(applyTransform(t, 47, 47)).toEqual({ x: 73, y: 83 });
  });

  it('scales by side / outputSize', () => {
    const t = cropTransform({ center: { x: 100, y: 100 }, side: 96, angle: 0 }, 48);
    const a = applyTransform(t, 10, 10);
    const b = applyTransform(t, 11, 10);
    expect(b.x - a.x).toBeCloseTo(2, 12);
    expect(b.y - a.y).toBeCloseTo(0, 12);
  });

  it('puts the output centre on the crop centre, whatever the angle', () => {
    for (const angle of [0, 0.3, -1.1, Math.PI / 2]) {
      const t = cropTransform({ center: { x: 321, y: 123 }, side: 77, angle }, 48);
      // The output's centre (continuous 24, 24) is index 23.5; the source index is centre - 0.5.
      const p = applyTransform(t, 23.5, 23.5);
      expect(p.x).toBeCloseTo(320.5, 10);
      expect(p.y).toBeCloseTo(122.5, 10);
    }
  });

  it('runs the output x axis along the eye line', () => {
    const angle = 30 * DEG;
    const t = cropTransform({ center: { x: 0, y: 0 }, side: 48, angle }, 48);
    const a = applyTransform(t, 10, 24);
    const b = applyTransform(t, 30, 24);
    expect(Math.atan2(b.y - a.y, b.x - a.x)).toBeCloseTo(angle, 12);
    // and the output's "down" is the face's down: 90 degrees clockwise from the eye line.
    const c = applyTransform(t, 10, 44);
    expect(Math.atan2(c.y - a.y, c.x - a.x)).toBeCloseTo(angle + Math.PI / 2, 12);
  });

  it('maps output corners onto cropCorners', () => {
    const crop = { center: { x: 200, y: 150 }, side: 96, angle: -20 * DEG };
    const t = cropTransform(crop, 48);
    const corners = cropCorners(crop);
    // The output's outer corner (continuous 0,0) is index -0.5; source continuous = index + 0.5.
    const topLeft = applyTransform(t, -0.5, -0.5);
    expect(topLeft.x + 0.5).toBeCloseTo(corners[0].x, 10);
    expect(topLeft.y + 0.5).toBeCloseTo(corners[0].y, 10);
    const bottomRight = applyTransform(t, 47.5, 47.5);
    expect(bottomRight.x + 0.5).toBeCloseTo(corners[2].x, 10);
    expect(bottomRight.y + 0.5).toBeCloseTo(corners[2].y, 10);
  });
});

describe('crops near the image edge', () => {
  it('detects crops that extend outside the image', () => {
    expect(cropLeavesImage({ center: { x: 50, y: 50 }, side: 40, angle: 0 }, 100, 100)).toBe(false);
    expect(cropLeavesImage({ center: { x: 10, y: 50 }, side: 40, angle: 0 }, 100, 100)).toBe(true);
    // Turning a square that just fits pushes its corners out.
    expect(cropLeavesImage({ center: { x: 50, y: 50 }, side: 100, angle: 0 }, 100, 100)).toBe(false);
    expect(cropLeavesImage({ center: { x: 50, y: 50 }, side: 100, angle: 10 * DEG }, 100, 100)).toBe(true);
  });

  it('keeps the crop square and centred even when it leaves the image (no clamping)', () => {
    const crop = faceCrop(face({ x: -20, y: -10, width: 60, height: 60 }), 0.5, true, 0);
    expect(crop.center).toEqual({ x: 10, y: 20 });
    expect(crop.side).toBe(90);
    const t = cropTransform(crop, 48);
    expect(applyTransform(t, 0, 0).x).toBeLessThan(0);
  });
});

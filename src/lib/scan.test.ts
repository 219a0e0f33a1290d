import { describe, expect, it } from 'vitest';
import { BLAZEFACE_FULL, BLAZEFACE_SHORT, cutByTile, HAND_OFF, LEVEL_RATIO, mergeFaces, planScan, planTwoNetworks, tileAround, toFrame, viewSize, type ScanTile } from './scan';
import type { Box, DetectedFace } from './types';

const options = { ...BLAZEFACE_SHORT, minFaceSize: 40 };

function face(x: number, y: number, side: number, score = 0.9): DetectedFace {
  return { box: { x, y, width: side, height: side }, keypoints: [{ x: x + side * 0.3, y: y + side * 0.4 }], score };
}

const inside = (box: Box, rect: Box) => box.x >= rect.x && box.y >= rect.y && box.x + box.width <= rect.x + rect.width && box.y + box.height <= rect.y + rect.height;

describe('planScan', () => {
  it('looks at a small frame once, whole', () => {
    expect(planScan({ width: 200, height: 150 }, options)).toEqual([{ rect: { x: 0, y: 0, width: 200, height: 150 }, scale: 0.64, level: 0 }]);
  });

  it('covers a 1920 x 1080 photo at every level, down to tiles where a 40 px face is 18 detector pixels', () => {
    const size = { width: 1920, height: 1080 };
    const tiles = planScan(size, options);
    expect(tiles[0]).toMatchObject({ level: 0, rect: { x: 0, y: 0, width: 1920, height: 1080 } });
    const levels = Math.max(...tiles.map((t) => t.level));
    expect(levels).toBeGreaterThanOrEqual(2);
    for (let level = 1; level <= levels; level++) {
      const own = tiles.filter((t) => t.level === level);
      // Every pixel is in some tile of the level.
      for (let y = 0; y < size.height; y += 37) {
        for (let x = 0; x < size.width; x += 37) {
          expect(own.some((t) => x >= t.rect.x && x < t.rect.x + t.rect.width && y >= t.rect.y && y < t.rect.y + t.rect.height)).toBe(true);
        }
      }
      for (const tile of own) {
        const view = viewSize(tile);
        expect(Math.max(view.width, view.height)).toBeLessThanOrEqual(BLAZEFACE_SHORT.inputSize);
      }
    }
    const finest = tiles.filter((t) => t.level === levels);
    expect(40 * finest[0].scale).toBeGreaterThanOrEqual(BLAZEFACE_SHORT.minFaceInInput - 0.5);
    // Sides shrink by at most LEVEL_RATIO from level to level.
    const sides = Array.from({ length: levels + 1 }, (_, level) => Math.max(...tiles.filter((t) => t.level === level).map((t) => Math.max(t.rect.width, t.rect.height))));
    for (let level = 1; level <= levels; level++) expect(sides[level - 1] / sides[level]).toBeLessThanOrEqual(LEVEL_RATIO + 0.01);
    expect(tiles.length).toBeLessThan(100);
  });

  it('lets every face of the sizes a level is for lie whole in one of its tiles', () => {
    const size = { width: 1280, height: 720 };
    const tiles = planScan(size, options);
    for (let side = 40; side <= 400; side += 20) {
      for (let y = 0; y + side <= size.height; y += 23) {
        for (let x = 0; x + side <= size.width; x += 29) {
          const box = { x, y, width: side, height: side };
          // Some tile holds it whole, at a scale where it measures 18 to 110 detector pixels.
          const found = tiles.some((t) => inside(box, t.rect) && side * t.scale >= 17.5 && side * t.scale <= 110);
          if (!found) throw new Error(`a ${side} px face at ${x},${y} is in no tile at a usable scale`);
        }
      }
    }
  });

  it('looks at fewer tiles when only larger faces are wanted', () => {
    const size = { width: 1920, height: 1080 };
    expect(planScan(size, { ...options, minFaceSize: 100 }).length).toBeLessThan(planScan(size, options).length);
  });
});

describe('planTwoNetworks', () => {
  const full = { ...BLAZEFACE_FULL, minFaceSize: 32 };

  it('hands the smallest faces to short range: full range down to faces of HAND_OFF x the smallest, then short-range tiles', () => {
    const size = { width: 1920, height: 1080 };
    const tiles = planTwoNetworks(size, full, BLAZEFACE_SHORT);
    const fine = tiles.filter((t) => t.fine);
    expect(tiles.filter((t) => !t.fine)).toEqual(planScan(size, { ...full, minFaceSize: 32 * HAND_OFF }));
    expect(fine.length).toBeGreaterThan(0);
    expect(fine.every((t) => t.level === Math.max(...tiles.map((u) => u.level)))).toBe(true);
    // The smallest wanted face reaches short range's smallest reliable size in them.
    expect(32 * fine[0].scale).toBeCloseTo(BLAZEFACE_SHORT.minFaceInInput, 0);
    // Every face the coarse tiles may not find reliably (under 32 x HAND_OFF, plus a margin) lies whole in a fine tile.
    for (let side = 32; side <= 32 * HAND_OFF * 1.05; side += 8) {
      for (let y = 0; y + side <= size.height; y += 31) {
        for (let x = 0; x + side <= size.width; x += 37) {
          const box = { x, y, width: side, height: side };
          if (!fine.some((t) => inside(box, t.rect))) throw new Error(`a ${side} px face at ${x},${y} is in no fine tile`);
        }
      }
    }
  });

  it('needs no fine tiles where the whole frame is no larger than one', () => {
    const tiles = planTwoNetworks({ width: 200, height: 150 }, full, BLAZEFACE_SHORT);
    expect(tiles.some((t) => t.fine)).toBe(false);
  });
});

describe('mapping and merging', () => {
  const tile: ScanTile = { rect: { x: 300, y: 200, width: 256, height: 256 }, scale: 0.5, level: 2 };

  it('maps a face from view pixels to frame pixels', () => {
    const mapped = toFrame(face(10, 20, 30), tile);
    expect(mapped.box).toEqual({ x: 320, y: 240, width: 60, height: 60 });
    expect(mapped.keypoints[0]).toEqual({ x: 300 + (10 + 9) * 2, y: 200 + (20 + 12) * 2 });
  });

  it('knows a face cut by a tile edge inside the frame, not one at the frame edge', () => {
    const frame = { width: 1000, height: 800 };
    expect(cutByTile(face(301, 300, 60), tile, frame)).toBe(true);
    expect(cutByTile(face(400, 300, 60), tile, frame)).toBe(false);
    const corner: ScanTile = { rect: { x: 0, y: 0, width: 256, height: 256 }, scale: 0.5, level: 2 };
    expect(cutByTile(face(0, 0, 60), corner, frame)).toBe(false);
    expect(cutByTile(face(200, 0, 56), corner, frame)).toBe(true);
  });

  it('merges finds of one face, averaging boxes by score, and keeps neighbours apart', () => {
    const merged = mergeFaces([face(100, 100, 50, 0.9), face(104, 100, 50, 0.6), face(400, 100, 50, 0.7), face(130, 160, 20, 0.8)]);
    expect(merged).toHaveLength(3);
    expect(merged[0].score).toBe(0.9);
    expect(merged[0].box.x).toBeCloseTo((100 * 0.9 + 104 * 0.6) / 1.5, 6);
    expect(merged.map((f) => f.score)).toEqual([0.9, 0.8, 0.7]);
  });

  it('takes a face found inside a larger find of the same face as that face', () => {
    expect(mergeFaces([face(100, 100, 60, 0.9), face(110, 110, 40, 0.8)])).toHaveLength(1);
  });

  it('puts a known face at the centre of a tile three times its size', () => {
    const around = tileAround({ x: 500, y: 300, width: 40, height: 40 }, { width: 1280, height: 720 }, options);
    expect(around.rect).toEqual({ x: 460, y: 260, width: 120, height: 120 });
    expect(around.scale).toBe(1);
    const edge = tileAround({ x: 0, y: 0, width: 40, height: 40 }, { width: 1280, height: 720 }, options);
    expect(edge.rect).toMatchObject({ x: 0, y: 0 });
  });
});

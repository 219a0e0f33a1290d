import { describe, expect, it } from 'vitest';
import { anchorCenters, decodeFaces, rgbaToInput } from './blazeface';

const VALUES = 17;

describe('anchorCenters', () => {
  it('lists the 896 anchors of the 256 px model: 2 per 16 px cell, then 6 per 32 px cell', () => {
    const anchors = anchorCenters();
    expect(anchors).toHaveLength(16 * 16 * 2 + 8 * 8 * 6);
    expect(anchors.slice(0, 3)).toEqual([
      [8, 8],
      [8, 8],
      [24, 8],
    ]);
    expect(anchors[512]).toEqual([16, 16]);
    expect(anchors.at(-1)).toEqual([240, 240]);
  });
});

describe('decodeFaces', () => {
  const anchors = anchorCenters();
  /** Raw model rows with one confident face at anchor `index`. */
  function raw(index: number, logit: number, box: [number, number, number, number]): Float32Array {
    const rows = new Float32Array(anchors.length * VALUES).fill(-10);
    rows.set([logit, ...box, ...Array.from({ length: 12 }, (_, k) => (k % 2 === 0 ? -10 + k : -5))], index * VALUES);
    return rows;
  }

  it('turns an anchor offset, size and keypoints into a box in image pixels', () => {
    // Anchor 512 is centred at (16, 16); the face's centre is 4 px right and 2 px down of it.
    const [face] = decodeFaces(raw(512, 3, [4, 2, 30, 40]), anchors, 2, 0.5);
    expect(face.box).toEqual({ x: (20 - 15) * 2, y: (18 - 20) * 2, width: 60, height: 80 });
    expect(face.score).toBeCloseTo(1 / (1 + Math.exp(-3)), 6);
    expect(face.keypoints).toHaveLength(6);
    expect(face.keypoints[0]).toEqual({ x: (16 - 10) * 2, y: (16 - 5) * 2 });
  });

  it('drops faces under the score threshold', () => {
    expect(decodeFaces(raw(100, 0.5, [0, 0, 20, 20]), anchors, 1, 0.75)).toEqual([]);
    expect(decodeFaces(raw(100, 1.5, [0, 0, 20, 20]), anchors, 1, 0.75)).toHaveLength(1);
  });

  it('merges the anchors that found the same face', () => {
    const rows = raw(600, 4, [0, 0, 50, 50]);
    rows.set([3, 2, 1, 48, 52], 601 * VALUES); // the next anchor of the same cell
    expect(decodeFaces(rows, anchors, 1, 0.5)).toHaveLength(1);
  });
});

describe('rgbaToInput', () => {
  it('drops alpha and maps 0..255 to -1..1, in place', () => {
    const out = new Float32Array(6);
    const rgba = new Uint8ClampedArray([0, 255, 51, 9, 0, 0, 0, 0]); // a pixel, then a transparent letterbox bar
    expect(rgbaToInput(rgba, out)).toBe(out);
    expect(Array.from(out)).toEqual([-1, 1, 51 / 127.5 - 1, -1, -1, -1].map((v) => Math.fround(v)));
  });
});

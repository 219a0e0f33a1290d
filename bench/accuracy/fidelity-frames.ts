/**
 * Frames for the pipeline-fidelity test: a FER2013 face, upscaled, on a larger picture with a
 * blurred-noise background, the way a face sits in a webcam frame. Deterministic per seed.
 */
import { FER_SIDE } from './fer2013';

export const FRAME_WIDTH = 640;
export const FRAME_HEIGHT = 480;
export const FACE_SIDES = [160, 200] as const;

export interface Placed {
  rgb: Uint8Array;
  /** Where the face square is, in frame pixels. */
  face: { x: number; y: number; side: number };
}

/** Bilinear sample of a w x h single-channel image at continuous (x, y) (pixel centres at i + 0.5). */
export function bilinear(image: ArrayLike<number>, w: number, h: number, x: number, y: number): number {
  const fx = Math.min(Math.max(x - 0.5, 0), w - 1);
  const fy = Math.min(Math.max(y - 0.5, 0), h - 1);
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const x1 = Math.min(x0 + 1, w - 1);
  const y1 = Math.min(y0 + 1, h - 1);
  const ax = fx - x0;
  const ay = fy - y0;
  const top = image[y0 * w + x0] * (1 - ax) + image[y0 * w + x1] * ax;
  const bottom = image[y1 * w + x0] * (1 - ax) + image[y1 * w + x1] * ax;
  return top * (1 - ay) + bottom * ay;
}

/** Where output coordinate i (of `size`) falls on a grid of `cells`: lower cell and weight of the upper one. */
function axis(size: number, cells: number): { low: Int32Array; weight: Float32Array } {
  const low = new Int32Array(size);
  const weight = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const g = Math.min(Math.max(((i + 0.5) / size) * cells - 0.5, 0), cells - 1);
    low[i] = Math.min(Math.floor(g), cells - 2);
    weight[i] = g - low[i];
  }
  return { low, weight };
}

const GRID = { w: 12, h: 9 };

/** Smooth colour blobs (a coarse random grid, bilinearly enlarged) plus fine grain, width x height RGB. */
export function background(random: () => number, width = FRAME_WIDTH, height = FRAME_HEIGHT): Uint8Array {
  const AXES = { x: axis(width, GRID.w), y: axis(height, GRID.h) };
  // Each cell: a grey level with a mild tint, like walls and furniture out of focus.
  const grid = new Float32Array(GRID.w * GRID.h * 3);
  for (let cell = 0; cell < GRID.w * GRID.h; cell++) {
    const grey = 50 + random() * 160;
    for (let c = 0; c < 3; c++) grid[cell * 3 + c] = grey + (random() - 0.5) * 50;
  }
  const rgb = new Uint8ClampedArray(width * height * 3); // rounds and clamps on write
  for (let y = 0; y < height; y++) {
    const y0 = AXES.y.low[y];
    const wy = AXES.y.weight[y];
    for (let x = 0; x < width; x++) {
      const x0 = AXES.x.low[x];
      const wx = AXES.x.weight[x];
      const grain = (random() - 0.5) * 16;
      const a = (y0 * GRID.w + x0) * 3; // top-left cell; +3: right, +GRID.w * 3: below
      const b = a + GRID.w * 3;
      for (let c = 0; c < 3; c++) {
        const top = grid[a + c] * (1 - wx) + grid[a + 3 + c] * wx;
        const bottom = grid[b + c] * (1 - wx) + grid[b + 3 + c] * wx;
        rgb[(y * width + x) * 3 + c] = top * (1 - wy) + bottom * wy + grain;
      }
    }
  }
  return new Uint8Array(rgb.buffer);
}

export function placeFace(pixels: Uint8Array, random: () => number): Placed {
  const rgb = background(random);
  const side = FACE_SIDES[0] + Math.floor(random() * (FACE_SIDES[1] - FACE_SIDES[0] + 1));
  const left = Math.floor(random() * (FRAME_WIDTH - side + 1));
  const top = Math.floor(random() * (FRAME_HEIGHT - side + 1));
  const scale = FER_SIDE / side;
  for (let v = 0; v < side; v++) {
    for (let u = 0; u < side; u++) {
      const grey = Math.round(bilinear(pixels, FER_SIDE, FER_SIDE, (u + 0.5) * scale, (v + 0.5) * scale));
      const at = ((top + v) * FRAME_WIDTH + left + u) * 3;
      rgb[at] = rgb[at + 1] = rgb[at + 2] = grey;
    }
  }
  return { rgb, face: { x: left, y: top, side } };
}

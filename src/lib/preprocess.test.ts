import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { faceCrop, type FaceCrop } from './align';
import { cropRegion, normalizeGray, preprocessFaces, preprocessRegions, rgbaToLuma, supersampling, toLuma, type GrayRegions } from './preprocess';
import { paintImage, rotateAbout, toPixelData, toTensor, type RgbImage } from './testing/images';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const luma = ([r, g, b]: number[]) => 0.299 * r + 0.587 * g + 0.114 * b;

function run(image: RgbImage, crops: FaceCrop[], size = 48): { values: Float32Array; shape: number[] } {
  const pixels = toTensor(image);
  const batch = preprocessFaces(pixels, crops, size);
  const result = { values: batch.dataSync() as Float32Array, shape: batch.shape };
  tf.dispose([pixels, batch]);
  return result;
}

describe('normalizeGray', () => {
  it('maps grey levels 0..255 to [-1, 1] as x / 127.5 - 1, in float32', () => {
    const gray = tf.tensor1d([0, 51, 127, 128, 255], 'int32');
    const out = normalizeGray(gray);
    expect(out.dtype).toBe('float32');
    const expected = [0, 51, 127, 128, 255].map((x) => Math.fround(Math.fround(x / 127.5) - 1));
    expect(Array.from(out.dataSync())).toEqual(expected);
    expect(out.dataSync()[0]).toBe(-1);
    expect(out.dataSync()[4]).toBe(1);
    tf.dispose([gray, out]);
  });
});

describe('toLuma', () => {
  it('weights R, G, B by ITU-R 601 (0.299, 0.587, 0.114)', () => {
    const rgb = tf.tensor2d([[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255], [10, 20, 30]], [5, 3], 'int32');
    const out = toLuma(rgb);
    expect(out.shape).toEqual([5, 1]);
    const values = Array.from(out.dataSync());
    [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255], [10, 20, 30]].forEach((p, i) => expect(values[i]).toBeCloseTo(luma(p), 3));
    tf.dispose([rgb, out]);
  });
});

describe('preprocessFaces', () => {
  const QUADRANTS: [number, number, number][] = [
    [255, 0, 0],
    [0, 200, 40],
    [30, 60, 250],
    [250, 250, 250],
  ];
  const quadrants = paintImage(48, 48, (x, y) => QUADRANTS[(y < 24 ? 0 : 2) + (x < 24 ? 0 : 1)]);

  it('turns a known RGB image into the exact expected grey values in [-1, 1]', () => {
    const { values, shape } = run(quadrants, [{ center: { x: 24, y: 24 }, side: 48, angle: 0 }]);
    expect(shape).toEqual([1, 48, 48, 1]);
    for (let y = 0; y < 48; y++) {
      for (let x = 0; x < 48; x++) {
        const expected = luma(QUADRANTS[(y < 24 ? 0 : 2) + (x < 24 ? 0 : 1)]) / 127.5 - 1;
        expect(values[y * 48 + x]).toBeCloseTo(expected, 4);
      }
    }
  });

  it('accepts a batch-of-one image and float input alike', () => {
    const crop = { center: { x: 24, y: 24 }, side: 48, angle: 0 };
    const pixels = tf.cast(tf.expandDims(toTensor(quadrants), 0), 'float32');
    const batch = preprocessFaces(pixels, [crop]);
    expect(Array.from(batch.dataSync())).toEqual(Array.from(run(quadrants, [crop]).values));
    tf.dispose([pixels, batch]);
  });

  it('keeps faces in the order of their crops', () => {
    const halves = paintImage(200, 100, (x) => (x < 100 ? [240, 240, 240] : [20, 20, 20]));
    const { values, shape } = run(halves, [
      { center: { x: 150, y: 50 }, side: 60, angle: 0 },
      { center: { x: 50, y: 50 }, side: 60, angle: 0 },
    ]);
    expect(shape).toEqual([2, 48, 48, 1]);
    expect(values[0]).toBeCloseTo(20 / 127.5 - 1, 4);
    expect(values[48 * 48]).toBeCloseTo(240 / 127.5 - 1, 4);
  });

  it('returns an empty batch for no faces', () => {
    const pixels = toTensor(quadrants);
    const batch = preprocessFaces(pixels, []);
    expect(batch.shape).toEqual([0, 48, 48, 1]);
    tf.dispose([pixels, batch]);
  });

  it('rejects images without 3 channels', () => {
    const gray = tf.zeros([10, 10, 1]);
    expect(() => preprocessFaces(gray, [])).toThrow(/3 colour channels/);
    gray.dispose();
  });

  it('fills crop pixels outside the image from the nearest edge, not with black', () => {
    // Bright first column, dark elsewhere; the crop's left half lies left of the image.
    const edge = paintImage(48, 48, (x) => (x < 1 ? [255, 255, 255] : [0, 0, 0]));
    const { values } = run(edge, [{ center: { x: 0, y: 24 }, side: 48, angle: 0 }]);
    for (let x = 0; x < 23; x++) expect(values[10 * 48 + x]).toBeCloseTo(1, 4);
    expect(values[10 * 48 + 30]).toBeCloseTo(-1, 4);
  });

  it('turns a rolled face pattern upright', () => {
    // An asymmetric "face": two eyes, a mouth to the right of centre, on a mid-grey background.
    const center = { x: 100, y: 100 };
    const pattern = (px: number, py: number): [number, number, number] => {
      const u = px - center.x;
      const v = py - center.y;
      const eye = (Math.hypot(u + 20, v + 15) < 7 || Math.hypot(u - 20, v + 15) < 7) ? 255 : 0;
      const mouth = Math.abs(v - 25) < 4 && u > -5 && u < 30 ? 230 : 0;
      const level = Math.max(eye, mouth) || 90;
      return [level, level, level];
    };
    const side = 100;
    const upright = run(paintImage(200, 200, pattern), [{ center, side, angle: 0 }]).values;

    const angle = 25 * (Math.PI / 180);
    // The same pattern rolled clockwise by 25 degrees: sample the pattern at the un-rolled point.
    const rolled = paintImage(200, 200, (x, y) => {
      const p = rotateAbout(x, y, center, -angle);
      return pattern(p.x, p.y);
    });
    const eyes = [rotateAbout(80, 85, center, angle), rotateAbout(120, 85, center, angle)];
    const crop = faceCrop({ box: { x: 50, y: 50, width: 100, height: 100 }, keypoints: eyes, score: 1 }, 0, true, 0);
    expect(crop.angle).toBeCloseTo(angle, 10);
    const aligned = run(rolled, [crop]).values;
    const notAligned = run(rolled, [{ ...crop, angle: 0 }]).values;

    const meanAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;
    const alignedError = meanAbsDiff(aligned, upright);
    expect(alignedError).toBeLessThan(0.02);
    expect(meanAbsDiff(notAligned, upright)).toBeGreaterThan(4 * alignedError);
  });

  it('averages fine detail instead of aliasing it when shrinking a large face', () => {
    // 2 px stripes in a 480 px crop: plain bilinear sampling every 10 px lands on the same phase
    // each time and turns them into full-contrast stripes; the true average is mid-grey.
    const stripes = paintImage(480, 480, (x) => (Math.floor(x) % 4 < 2 ? [255, 255, 255] : [0, 0, 0]));
    const { values } = run(stripes, [{ center: { x: 240, y: 240 }, side: 480, angle: 0 }]);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const spread = Math.max(...values) - Math.min(...values);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(spread).toBeLessThan(0.5);
  });

  it('chooses the sampling factor from the face size', () => {
    expect(supersampling(48, 48)).toBe(1);
    expect(supersampling(96, 48)).toBe(1);
    expect(supersampling(97, 48)).toBe(2);
    expect(supersampling(480, 48)).toBe(5);
    expect(supersampling(5000, 48)).toBe(8);
  });

  it('leaks no tensors', () => {
    const pixels = toTensor(quadrants);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      preprocessFaces(pixels, [
        { center: { x: 10, y: 10 }, side: 200, angle: 0.3 },
        { center: { x: 30, y: 30 }, side: 20, angle: -0.2 },
      ]).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    pixels.dispose();
  });
});

describe('crop first (preprocessRegions)', () => {
  // Noise, so that any misplaced pixel shows.
  let seed = 7;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 255;
  const image = paintImage(160, 120, () => [noise(), noise(), noise()]);

  /** The image as a region source that counts what it hands out. */
  function regions(rgb: RgbImage): GrayRegions & { pixelsRead: number } {
    const { data } = toPixelData(rgb);
    const source = {
      width: rgb.width,
      height: rgb.height,
      pixelsRead: 0,
      async grayRegions(rects: readonly { x: number; y: number; width: number; height: number }[]) {
        return rects.map((rect) => {
          expect(rect.x >= 0 && rect.y >= 0 && rect.width >= 1 && rect.height >= 1).toBe(true);
          expect(rect.x + rect.width <= rgb.width && rect.y + rect.height <= rgb.height).toBe(true);
          const rows: number[] = [];
          for (let y = rect.y; y < rect.y + rect.height; y++) {
            const start = (y * rgb.width + rect.x) * 4;
            rows.push(...rgbaToLuma(data.subarray(start, start + rect.width * 4), rect.width));
          }
          source.pixelsRead += rect.width * rect.height;
          return Float32Array.from(rows);
        });
      },
    };
    return source;
  }

  const crops: FaceCrop[] = [
    { center: { x: 80, y: 60 }, side: 40, angle: 0 }, // inside
    { center: { x: 30.3, y: 70.8 }, side: 33.7, angle: 0.31 }, // rolled, fractional
    { center: { x: 5, y: 5 }, side: 50, angle: -0.2 }, // over the top-left corner
    { center: { x: 155, y: 110 }, side: 70, angle: 0.6 }, // over the bottom-right corner
    { center: { x: 80, y: 60 }, side: 300, angle: 0.1 }, // larger than the image, supersampled
    { center: { x: 400, y: -90 }, side: 20, angle: 0 }, // entirely outside: edge copies
  ];

  it('gives what sampling the whole image gives, reading only the regions', async () => {
    const pixels = toTensor(image);
    const whole = preprocessFaces(pixels, crops);
    const source = regions(image);
    const first = await preprocessRegions(source, crops);
    expect(first.shape).toEqual(whole.shape);
    const difference = tf.max(tf.abs(tf.sub(first, whole))).dataSync()[0];
    expect(difference).toBeLessThan(1e-5);
    tf.dispose([pixels, whole, first]);
  });

  it('matches it on many random crops (sizes, rolls, edges, supersampling)', async () => {
    const pixels = toTensor(image);
    const random = Array.from({ length: 40 }, (): FaceCrop => ({
      center: { x: noise() * 0.8 - 20, y: noise() * 0.6 - 15 },
      side: 4 + noise() * 1.5,
      angle: (noise() / 255 - 0.5) * Math.PI,
    }));
    const whole = preprocessFaces(pixels, random);
    const first = await preprocessRegions(regions(image), random);
    // TF.js sums in float32, the JS path in float64: 1e-4 is a hundredth of a grey level.
    expect(tf.max(tf.abs(tf.sub(first, whole))).dataSync()[0]).toBeLessThan(1e-4);
    tf.dispose([pixels, whole, first]);
  });

  it('reads a small face as a small region', async () => {
    const source = regions(image);
    (await preprocessRegions(source, [crops[0]])).dispose();
    expect(source.pixelsRead).toBeLessThan(50 * 50);
    expect(source.pixelsRead).toBeGreaterThanOrEqual(40 * 40);
  });

  it('cuts the region to the image and keeps at least one pixel', () => {
    expect(cropRegion({ center: { x: 400, y: -90 }, side: 20, angle: 0 }, 160, 120)).toEqual({ x: 159, y: 0, width: 1, height: 1 });
    expect(cropRegion({ center: { x: 80, y: 60 }, side: 1000, angle: 0 }, 160, 120)).toEqual({ x: 0, y: 0, width: 160, height: 120 });
  });

  it('converts RGBA (and BGRA) to luma as toLuma does', () => {
    const rgba = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 10, 20, 30, 0]);
    const bgra = new Uint8Array([0, 0, 255, 255, 0, 255, 0, 255, 30, 20, 10, 0]);
    for (const values of [Array.from(rgbaToLuma(rgba, 3)), Array.from(rgbaToLuma(bgra, 3, true))]) {
      [[255, 0, 0], [0, 255, 0], [10, 20, 30]].forEach((p, i) => expect(values[i]).toBeCloseTo(luma(p), 4));
    }
  });

  it('leaks no tensors', async () => {
    const source = regions(image);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) (await preprocessRegions(source, crops)).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

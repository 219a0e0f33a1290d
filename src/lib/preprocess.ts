/**
 * Face crops -> the model input: one [N, size, size, 1] float32 batch in [-1, 1], the way the
 * factory prepares FER2013 (grey levels 0..255, x / 127.5 - 1).
 */
import * as tf from '@tensorflow/tfjs';
import { cropCorners, cropTransform, type FaceCrop } from './align';
import type { Box, Size } from './types';

/** ITU-R BT.601 luma, as PIL's convert('L') and OpenCV's RGB2GRAY. */
export const LUMA_WEIGHTS = [0.299, 0.587, 0.114] as const;

/**
 * Crop pixels outside the image copy the nearest edge pixel. A constant fill would paint a black
 * (or grey) band with a hard edge into the face image; FER2013 crops were cut from inside their
 * photos and never show one, so the model has not learned to ignore it. Edge copies keep the local
 * brightness and add no edge of their own.
 */
export const FILL_MODE = 'nearest' as const;

/** Grey levels 0..255 (any dtype) -> float32 in [-1, 1]. The one normalisation of the pipeline;
 * the parity test feeds raw grey pixels through it to compare with PyTorch. */
export function normalizeGray(gray: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.div(tf.cast(gray, 'float32'), 127.5), 1));
}

/** [..., 3] RGB -> [..., 1] luma (float32). */
export function toLuma<T extends tf.Tensor>(rgb: T): T {
  return tf.tidy(() => tf.sum(tf.mul(tf.cast(rgb, 'float32'), tf.tensor1d([...LUMA_WEIGHTS])), -1, true)) as T;
}

/**
 * How many samples per output pixel and axis: bilinear sampling alone aliases when a large face
 * shrinks to 48 px, so we sample a finer grid (spacing <= 2 source pixels) and average it down.
 */
export function supersampling(side: number, outputSize: number): number {
  return Math.min(8, Math.max(1, Math.ceil(side / outputSize / 2)));
}

/** One face out of a grey [1, H, W, 1] image: sampled on a fine grid, then averaged down. */
function sampleFace(gray: tf.Tensor4D, crop: FaceCrop, outputSize: number): tf.Tensor4D {
  const factor = supersampling(crop.side, outputSize);
  const size = outputSize * factor;
  // One transform per face: the batch dimension of tf.image.transform pairs images with
  // transforms, and the cpu kernel (tfjs 4.22) only fills the first image of a batch.
  const transform = tf.tensor2d([cropTransform(crop, size)], [1, 8]);
  const face: tf.Tensor4D = tf.image.transform(gray, transform, 'bilinear', FILL_MODE, 0, [size, size]);
  return factor > 1 ? tf.avgPool(face, factor, factor, 'valid') : face;
}

/**
 * Cuts, levels and shrinks each crop out of an RGB image ([H, W, 3] or [1, H, W, 3], any numeric
 * dtype, values 0..255) and returns the normalised grey batch [N, outputSize, outputSize, 1].
 * The caller owns (and disposes) both the image and the result. This is the reference the
 * crop-first path below must match (and what the parity test feeds).
 */
export function preprocessFaces(image: tf.Tensor, crops: readonly FaceCrop[], outputSize = 48): tf.Tensor4D {
  if (image.rank !== 3 && image.rank !== 4) throw new Error(`expected an [H, W, 3] image, got shape [${image.shape}]`);
  const channels = image.shape[image.rank - 1];
  if (channels !== 3) throw new Error(`expected 3 colour channels, got ${channels}`);
  if (crops.length === 0) return tf.zeros([0, outputSize, outputSize, 1]);
  return tf.tidy(() => {
    const batchOfOne = (image.rank === 3 ? tf.expandDims(image, 0) : image) as tf.Tensor4D;
    // Sampling and luma are both linear, so grey first: each face then samples one channel.
    const gray = toLuma(batchOfOne);
    return normalizeGray(tf.concat(crops.map((crop) => sampleFace(gray, crop, outputSize)), 0)) as tf.Tensor4D;
  });
}

/** Whole pixels of an image: x, y, width, height are integers inside it. */
export type PixelRect = Box;

/** An image that hands out grey regions: what the crop-first path reads instead of a whole frame. */
export interface GrayRegions extends Size {
  /** Luma (0..255) of each rect, row by row (rect.height rows of rect.width values). The arrays may
   * share a buffer that the next call reuses: read them before calling again. */
  grayRegions(rects: readonly PixelRect[]): Promise<Float32Array[]>;
}

/**
 * The pixels that sampling `crop` reads in a width x height image: its bounding box grown by the
 * bilinear neighbours, cut to the image (at least one pixel, at the nearest edge). Sampling the
 * region with edges clamped gives what sampling the whole image gives: inside the image every
 * neighbour is in the region, and the region reaches the image edge wherever a sample is clamped.
 */
export function cropRegion(crop: FaceCrop, width: number, height: number): PixelRect {
  const corners = cropCorners(crop);
  // Continuous coordinate c is pixel index c - 0.5; bilinear reads floor(i) and floor(i) + 1.
  const span = (values: number[], limit: number) => {
    const start = Math.min(Math.max(Math.floor(Math.min(...values) - 0.5) - 1, 0), limit - 1);
    const end = Math.max(Math.min(Math.floor(Math.max(...values) - 0.5) + 3, limit), start + 1);
    return [start, end - start];
  };
  const [x, regionWidth] = span(corners.map((p) => p.x), width);
  const [y, regionHeight] = span(corners.map((p) => p.y), height);
  return { x, y, width: regionWidth, height: regionHeight };
}

/**
 * One face sampled from a grey `region` (width x height, row by row) into `out` at `offset`,
 * normalised: the arithmetic of `sampleFace` + `normalizeGray` (bilinear, edges clamped,
 * supersampled, averaged down) in plain JS. A face is a few thousand samples; as TF.js ops it was
 * five kernel calls per face, which cost more than the sampling itself (1.6 ms per face on wasm).
 */
function sampleGrayInto(region: Float32Array, width: number, height: number, crop: FaceCrop, outputSize: number, out: Float32Array, offset: number): void {
  const factor = supersampling(crop.side, outputSize);
  const size = outputSize * factor;
  const [a0, a1, a2, b0, b1, b2] = cropTransform(crop, size);
  const sums = new Float64Array(outputSize * outputSize);
  const maxX = width - 1;
  const maxY = height - 1;
  for (let v = 0; v < size; v++) {
    const row = ((v / factor) | 0) * outputSize;
    for (let u = 0; u < size; u++) {
      // 'nearest' fill: a sample outside the region takes the nearest edge pixel.
      const x = Math.min(Math.max(a0 * u + a1 * v + a2, 0), maxX);
      const y = Math.min(Math.max(b0 * u + b1 * v + b2, 0), maxY);
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const fx = x - x0;
      const fy = y - y0;
      // At the last row or column the weight of the next one is 0: read the same pixel.
      const x1 = x0 < maxX ? x0 + 1 : x0;
      const top = y0 * width;
      const bottom = (y0 < maxY ? y0 + 1 : y0) * width;
      const upper = region[top + x0] * (1 - fx) + region[top + x1] * fx;
      const lower = region[bottom + x0] * (1 - fx) + region[bottom + x1] * fx;
      sums[row + ((u / factor) | 0)] += upper * (1 - fy) + lower * fy;
    }
  }
  const cell = factor * factor * 127.5;
  for (let i = 0; i < sums.length; i++) out[offset + i] = sums[i] / cell - 1;
}

/**
 * Crop first: each face is sampled from its own small grey region of `image`, so no whole-frame
 * copy or float conversion is made (a frame is read once, by the face detector), and the batch
 * reaches TF.js as one upload. Same result as `preprocessFaces` on the whole image.
 */
export async function preprocessRegions(image: GrayRegions, crops: readonly FaceCrop[], outputSize = 48): Promise<tf.Tensor4D> {
  const pixels = outputSize * outputSize;
  const batch = new Float32Array(crops.length * pixels);
  const rects = crops.map((crop) => cropRegion(crop, image.width, image.height));
  const regions = crops.length > 0 ? await image.grayRegions(rects) : [];
  crops.forEach((crop, i) => {
    const rect = rects[i];
    const local = { ...crop, center: { x: crop.center.x - rect.x, y: crop.center.y - rect.y } };
    sampleGrayInto(regions[i], rect.width, rect.height, local, outputSize, batch, i * pixels);
  });
  return tf.tensor4d(batch, [crops.length, outputSize, outputSize, 1]);
}

/** RGBA bytes (as in ImageData) -> luma as float32, the same weights as `toLuma`. `blueFirst`
 * reads BGRA bytes (a VideoFrame's usual layout) instead. `out`: where to write it; a reused
 * buffer spares the page faults of writing a fresh one, which cost Chromium here more than the
 * arithmetic (`node scripts/measure-regions.mjs`). */
export function rgbaToLuma(rgba: Uint8ClampedArray | Uint8Array, pixels: number, blueFirst = false, out: Float32Array = new Float32Array(pixels)): Float32Array {
  // Plain scalars and one index: V8 runs this loop ~7x faster than with destructured constants.
  const r = LUMA_FLOAT32[0];
  const g = LUMA_FLOAT32[1];
  const b = LUMA_FLOAT32[2];
  const red = blueFirst ? 2 : 0;
  const blue = blueFirst ? 0 : 2;
  for (let i = 0; i < pixels; i++) {
    const j = i << 2;
    out[i] = rgba[j + red] * r + rgba[j + 1] * g + rgba[j + blue] * b;
  }
  return out;
}
const LUMA_FLOAT32 = LUMA_WEIGHTS.map(Math.fround);

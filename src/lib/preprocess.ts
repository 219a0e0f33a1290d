/**
 * Face crops -> the model input: one [N, size, size, 1] float32 batch in [-1, 1], the way the
 * factory prepares FER2013 (grey levels 0..255, x / 127.5 - 1).
 */
import * as tf from '@tensorflow/tfjs';
import { cropTransform, type FaceCrop } from './align';

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

/**
 * Cuts, levels and shrinks each crop out of an RGB image ([H, W, 3] or [1, H, W, 3], any numeric
 * dtype, values 0..255) and returns the normalised grey batch [N, outputSize, outputSize, 1].
 * The caller owns (and disposes) both the image and the result.
 */
export function preprocessFaces(image: tf.Tensor, crops: readonly FaceCrop[], outputSize = 48): tf.Tensor4D {
  if (image.rank !== 3 && image.rank !== 4) throw new Error(`expected an [H, W, 3] image, got shape [${image.shape}]`);
  const channels = image.shape[image.rank - 1];
  if (channels !== 3) throw new Error(`expected 3 colour channels, got ${channels}`);
  if (crops.length === 0) return tf.zeros([0, outputSize, outputSize, 1]);
  return tf.tidy(() => {
    const batchOfOne = (image.rank === 3 ? tf.expandDims(image, 0) : image) as tf.Tensor4D;
    // Grey first, once per frame: sampling and luma are both linear, so the order does not change
    // the result, and every face then samples one channel instead of three.
    const gray = toLuma(batchOfOne);
    // One transform per face: the batch dimension of tf.image.transform pairs images with
    // transforms, and the cpu kernel (tfjs 4.22) only fills the first image of a batch.
    const faces = crops.map((crop) => {
      const factor = supersampling(crop.side, outputSize);
      const size = outputSize * factor;
      const transform = tf.tensor2d([cropTransform(crop, size)], [1, 8]);
      const face: tf.Tensor4D = tf.image.transform(gray, transform, 'bilinear', FILL_MODE, 0, [size, size]);
      return factor > 1 ? tf.avgPool(face, factor, factor, 'valid') : face;
    });
    return normalizeGray(tf.concat(faces, 0)) as tf.Tensor4D;
  });
}

/**
 * Human 3.3.6's emotion step, as its src/gear/emotion.ts predict() does it for the grey model
 * with the default config (no `crop`): the face crop, RGB in [0, 1], resized bilinearly to the
 * model's 64x64, turned grey with weights 0.2989 / 0.5870 / 0.1140, then (grey - 0.5) * 2, i.e.
 * [-1, 1]. Human does not export this function, so the accuracy evaluation uses this copy; the
 * speed harness checks it against Human's own results (see pages/pipelines/human.ts).
 */
import * as tf from '@tensorflow/tfjs';

export const HUMAN_EMOTION_INPUT = 64;
const GREY_WEIGHTS = [0.2989, 0.587, 0.114];

/** [N, h, w, 3] face crops in [0, 1] -> the emotion model's input [N, 64, 64, 1]. */
export function humanEmotionInput(faces: tf.Tensor4D, inputSize = HUMAN_EMOTION_INPUT): tf.Tensor4D {
  return tf.tidy(() => {
    const resized = tf.image.resizeBilinear(faces, [inputSize, inputSize], false);
    const grey = tf.sum(tf.mul(resized, tf.tensor1d(GREY_WEIGHTS, 'float32')), 3, true);
    return tf.mul(tf.sub(grey, 0.5), 2) as tf.Tensor4D;
  });
}

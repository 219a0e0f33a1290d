/**
 * Test fixtures: tiny models with the layer names of the factory's attention architectures
 * (factory/attention.py), with weights chosen so that what they "look at" is known.
 */
import * as tf from '@tensorflow/tfjs';
import { SpatialTransformer } from '../layers/spatialTransformer';

function setWeights(layer: tf.layers.Layer, values: tf.Tensor[]): void {
  layer.setWeights(values);
  tf.dispose(values);
}

/** A 1x1 conv scoring each position by its brightness (x4), then a sigmoid named like AER-CNN's map. */
function attentionMap(input: tf.SymbolicTensor, k: number): tf.SymbolicTensor {
  const score = tf.layers.conv2d({ name: `attention${k}_score`, filters: 1, kernelSize: 1 });
  const scored = score.apply(input) as tf.SymbolicTensor;
  setWeights(score, [tf.fill([1, 1, 1, 1], 4), tf.zeros([1])]);
  return tf.layers.activation({ name: `attention${k}_map`, activation: 'sigmoid' }).apply(scored) as tf.SymbolicTensor;
}

/**
 * AER-CNN's shape in small: attention maps at full (48x48) and half (24x24) resolution whose
 * values grow with the brightness of the face at that place, pooled into a softmax.
 */
export function buildAttentionModel(size = 48): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 1], name: 'input' });
  const fine = attentionMap(input, 1);
  const pooled = tf.layers.averagePooling2d({ name: 'pool', poolSize: 2 }).apply(input) as tf.SymbolicTensor;
  const coarse = attentionMap(pooled, 2);
  const features = [fine, coarse].map((map, i) => tf.layers.globalAveragePooling2d({ name: `gap${i + 1}` }).apply(map));
  const fused = tf.layers.concatenate({ name: 'fusion' }).apply(features as tf.SymbolicTensor[]);
  const output = tf.layers.dense({ name: 'predictions', units: 7, activation: 'softmax' }).apply(fused) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'tiny-aer' });
}

/**
 * Deep-Emotion's shape in small: `loc_fc2` outputs `theta` for every face, plus `fromFirstPixel`
 * times the face's first pixel added to theta[2] (a horizontal shift), so that faces can get
 * different transforms; the spatial transformer warps the input with it.
 */
export function buildTransformerModel(theta: readonly number[], fromFirstPixel = 0, size = 48): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 1], name: 'input' });
  const flat = tf.layers.flatten({ name: 'loc_flatten' }).apply(input) as tf.SymbolicTensor;
  const localisation = tf.layers.dense({ name: 'loc_fc2', units: 6 });
  const thetaOut = localisation.apply(flat) as tf.SymbolicTensor;
  const kernel = tf.buffer([size * size, 6]);
  kernel.set(fromFirstPixel, 0, 2);
  setWeights(localisation, [kernel.toTensor(), tf.tensor1d([...theta])]);
  const warped = new SpatialTransformer({ name: 'transformer' }).apply([input, thetaOut]) as tf.SymbolicTensor;
  const features = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(warped) as tf.SymbolicTensor;
  const output = tf.layers.dense({ name: 'predictions', units: 7, activation: 'softmax' }).apply(features) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'tiny-deep-emotion' });
}

/** A face batch [N, size, size, 1] whose pixels `paint(face, x, y)` gives (x, y: pixel indices). */
export function faceBatch(faces: number, size: number, paint: (face: number, x: number, y: number) => number): tf.Tensor4D {
  const values = new Float32Array(faces * size * size);
  for (let f = 0; f < faces; f++) {
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) values[(f * size + y) * size + x] = paint(f, x, y);
  }
  return tf.tensor4d(values, [faces, size, size, 1]);
}

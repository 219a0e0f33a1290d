/**
 * "Where it looks": what an attention model attends to in each face crop, read from the model's
 * own layers (no gradients, no second model).
 *
 * - AER-CNN gates its features with sigmoid maps (layers `attention<k>_map`, [N, h, w, 1], coarser
 *   with depth). Each map is upsampled to the crop, scaled to [0, 1] per face, and the maps averaged.
 * - Deep-Emotion's localisation net outputs an affine transform theta (layer `loc_fc2`, [N, 6]);
 *   its spatial transformer samples the region theta maps the output grid to. Theta is in
 *   normalised coordinates, so the same region of the input face is what the model looks at,
 *   whether it warps the input (`deep-emotion-seq`) or the feature maps (`deep-emotion`): we warp
 *   the 48x48 face with it to show that region.
 */
import * as tf from '@tensorflow/tfjs';
import { MoodlensError } from './errors';
import { affineSample } from './layers/spatialTransformer';
import type { FaceExplanation, FaceImage, Point } from './types';

export type ExplanationKind = FaceExplanation['kind'];

const ATTENTION_MAP = /^attention(\d+)_map$/;
const THETA_LAYER = 'loc_fc2';
/** Below this spread a map is flat: it says nothing about where the model looks. */
const FLAT_MAP = 1e-6;

interface Explainer {
  kind: ExplanationKind;
  /** A view of the model that outputs the layers we read. */
  probe: tf.LayersModel;
  layers: string[];
}

// One probe per model, built on first use. A probe shares the model's layers and weights and owns
// no tensors, so it is never disposed: LayersModel.dispose() would release the shared weights.
const explainers = new WeakMap<tf.LayersModel, Explainer | null>();

function outputShape(layer: tf.layers.Layer): (number | null)[] {
  const shape = layer.outputShape;
  return Array.isArray(shape[0]) ? [] : (shape as (number | null)[]);
}

function attentionLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers
    .filter((layer) => {
      const shape = outputShape(layer);
      return ATTENTION_MAP.test(layer.name) && shape.length === 4 && shape[3] === 1;
    })
    .sort((a, b) => Number(ATTENTION_MAP.exec(a.name)![1]) - Number(ATTENTION_MAP.exec(b.name)![1]));
}

function thetaLayer(model: tf.LayersModel): tf.layers.Layer | undefined {
  const layer = model.layers.find((l) => l.name === THETA_LAYER);
  const shape = layer ? outputShape(layer) : [];
  return shape.length === 2 && shape[1] === 6 ? layer : undefined;
}

function explainerFor(model: tf.LayersModel): Explainer | null {
  const known = explainers.get(model);
  if (known !== undefined) return known;
  let explainer: Explainer | null = null;
  const maps = attentionLayers(model);
  const theta = thetaLayer(model);
  if (maps.length > 0) {
    const outputs = maps.map((layer) => layer.output as tf.SymbolicTensor);
    explainer = { kind: 'heatmap', probe: tf.model({ inputs: model.inputs, outputs }), layers: maps.map((l) => l.name) };
  } else if (theta) {
    const output = theta.output as tf.SymbolicTensor;
    explainer = { kind: 'transformer', probe: tf.model({ inputs: model.inputs, outputs: output }), layers: [THETA_LAYER] };
  }
  explainers.set(model, explainer);
  return explainer;
}

/** Which explanation a model can give: 'heatmap' (AER-CNN's attention maps), 'transformer' (Deep-Emotion
 * theta) or null (e.g. mini-xception). */
export function explanationKind(model: tf.LayersModel): ExplanationKind | null {
  return explainerFor(model)?.kind ?? null;
}

/**
 * Where the corners of the transformer's output land in a `size` x `size` input, in continuous
 * pixel coordinates (0..size; align_corners=False: normalised -1 and 1 are the outer pixel edges).
 * Order: the output's top-left, top-right, bottom-right, bottom-left.
 */
export function samplingQuad(theta: ArrayLike<number>, size: number): Point[] {
  if (theta.length !== 6) throw new MoodlensError('invalid-option', `theta must hold 6 numbers (a 2x3 affine map), got ${theta.length}`);
  const corners: [number, number][] = [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1],
  ];
  const toPixels = (normalised: number) => ((normalised + 1) / 2) * size;
  return corners.map(([x, y]) => ({
    x: toPixels(theta[0] * x + theta[1] * y + theta[2]),
    y: toPixels(theta[3] * x + theta[4] * y + theta[5]),
  }));
}

/** Splits a [N, size, size, 1] batch into one FaceImage per face. */
export async function faceImages(batch: tf.Tensor4D): Promise<FaceImage[]> {
  const [faces, size] = batch.shape;
  const values = (await batch.data()) as Float32Array;
  const area = size * size;
  return Array.from({ length: faces }, (_, i) => ({ size, pixels: values.slice(i * area, (i + 1) * area) }));
}

/** Each map [N, h, w, 1] upsampled to [N, size, size, 1] and scaled to [0, 1] per face; then averaged. */
function combinedHeatmaps(maps: tf.Tensor4D[], size: number): tf.Tensor4D {
  return tf.tidy(() => {
    const scaled = maps.map((map) => {
      // halfPixelCenters: every map cell covers its share of the whole face, as in the model.
      const upsampled = tf.image.resizeBilinear(map, [size, size], false, true);
      const low = tf.min(upsampled, [1, 2, 3], true);
      const spread = tf.maximum(tf.sub(tf.max(upsampled, [1, 2, 3], true), low), FLAT_MAP);
      return tf.div(tf.sub(upsampled, low), spread);
    });
    return tf.div(tf.addN(scaled), scaled.length) as tf.Tensor4D;
  });
}

function checkBatch(batch: tf.Tensor4D, model: tf.LayersModel): number {
  const input = model.inputs[0].shape;
  const [, height, width, channels] = batch.shape;
  if (batch.rank !== 4 || height !== width || height !== input[1] || width !== input[2] || channels !== input[3]) {
    throw new MoodlensError('invalid-option', `expected a batch [N, ${input[1]}, ${input[2]}, ${input[3]}] of face crops, got [${batch.shape}]`);
  }
  return height;
}

/**
 * What `model` attends to in each face of `batch` ([N, size, size, 1], the model's input). Throws
 * 'invalid-option' for a model without attention maps or spatial transformer (see
 * explanationKind). Leaves `batch` to the caller; frees everything it creates.
 */
export async function explainFaces(model: tf.LayersModel, batch: tf.Tensor4D): Promise<FaceExplanation[]> {
  const explainer = explainerFor(model);
  if (!explainer) {
    throw new MoodlensError(
      'invalid-option',
      `model '${model.name}' has neither spatial attention maps (layers attention<k>_map) nor a spatial transformer (layer ${THETA_LAYER}) to show`,
    );
  }
  const size = checkBatch(batch, model);
  const faces = batch.shape[0];
  if (faces === 0) return [];
  const area = size * size;

  if (explainer.kind === 'heatmap') {
    const heatmaps = tf.tidy(() => {
      const outputs = explainer.probe.predict(batch);
      return combinedHeatmaps((Array.isArray(outputs) ? outputs : [outputs]) as tf.Tensor4D[], size);
    });
    let values: Float32Array;
    try {
      values = (await heatmaps.data()) as Float32Array;
    } finally {
      heatmaps.dispose();
    }
    return Array.from({ length: faces }, (_, i) => ({
      kind: 'heatmap',
      size,
      heatmap: values.slice(i * area, (i + 1) * area),
      layers: [...explainer.layers],
    }));
  }

  const theta = explainer.probe.predict(batch) as tf.Tensor2D;
  let warped: tf.Tensor4D | undefined;
  let thetas: Float32Array;
  let pixels: Float32Array;
  try {
    warped = affineSample(batch, theta);
    [thetas, pixels] = (await Promise.all([theta.data(), warped.data()])) as [Float32Array, Float32Array];
  } finally {
    tf.dispose([theta, ...(warped ? [warped] : [])]);
  }
  return Array.from({ length: faces }, (_, i) => {
    const faceTheta = Array.from(thetas.subarray(i * 6, (i + 1) * 6));
    return {
      kind: 'transformer',
      size,
      theta: faceTheta,
      warped: pixels.slice(i * area, (i + 1) * area),
      quad: samplingQuad(faceTheta, size),
    };
  });
}

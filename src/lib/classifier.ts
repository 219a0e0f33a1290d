/**
 * Loads the emotion models (metadata.json + TF.js LayersModel) with specific errors for each way
 * that can fail, and turns a batch of face images into probabilities.
 *
 * We fetch model.json and the weight files ourselves (rather than tf.loadLayersModel(url)) to
 * tell "missing" from "corrupt" from "weights of the wrong size" before TF.js sees them.
 */
import * as tf from '@tensorflow/tfjs';
import { describeError, MoodlensError } from './errors';
// Registers the custom layers (e.g. the spatial transformer) that exported models may use.
import './layers/spatialTransformer';
import { toEmotionOrder } from './metadata';
import { defaultFetch, fetchJson, loadModelMetadata, looksLikeHtml, request, type Fetch } from './modelFiles';
import { EMOTIONS, type ModelMetadata } from './types';

export interface EmotionModel {
  readonly name: string;
  readonly metadata: ModelMetadata;
  readonly model: tf.LayersModel;
  dispose(): void;
}

type WeightsGroup = tf.io.WeightsManifestConfig[number];

const BYTES_PER_ELEMENT: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** Bytes the manifest says the weight files hold. */
export function expectedWeightBytes(weights: readonly tf.io.WeightsManifestEntry[]): number {
  let total = 0;
  for (const entry of weights) {
    const dtype = entry.quantization?.dtype ?? entry.dtype;
    const bytes = BYTES_PER_ELEMENT[dtype];
    if (bytes === undefined) throw new Error(`weight "${entry.name}" has unsupported dtype ${dtype}`);
    total += entry.shape.reduce((a, b) => a * b, 1) * bytes;
  }
  return total;
}

function parseModelJson(json: unknown, url: string): {
  topology: object;
  groups: WeightsGroup[];
} {
  const corrupt = (problem: string) => new MoodlensError('model-corrupt', `${url} is not a TF.js layers model: ${problem}`);
  if (typeof json !== 'object' || json === null) throw corrupt('expected a JSON object');
  const { modelTopology, weightsManifest } = json as { modelTopology?: unknown; weightsManifest?: unknown };
  if (typeof modelTopology !== 'object' || modelTopology === null) throw corrupt('"modelTopology" is missing');
  if (!Array.isArray(weightsManifest)) throw corrupt('"weightsManifest" is missing');
  for (const group of weightsManifest) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights)) {
      throw corrupt('each "weightsManifest" entry needs "paths" and "weights"');
    }
  }
  return { topology: modelTopology, groups: weightsManifest as WeightsGroup[] };
}

async function fetchWeights(fetchImpl: Fetch, folder: string, groups: WeightsGroup[], name: string) {
  const shards: ArrayBuffer[] = [];
  const specs: tf.io.WeightsManifestEntry[] = [];
  for (const group of groups) {
    let expected: number;
    try {
      expected = expectedWeightBytes(group.weights);
    } catch (error) {
      throw new MoodlensError('model-corrupt', `model '${name}': ${describeError(error)}`, { cause: error });
    }
    let received = 0;
    for (const path of group.paths) {
      const url = folder + path;
      const response = await request(fetchImpl, url, `Weights of model '${name}'`);
      if (looksLikeHtml(response)) {
        throw new MoodlensError('model-missing', `Weights of model '${name}' not found: ${url} returned a web page.`);
      }
      const buffer = await response.arrayBuffer();
      received += buffer.byteLength;
      shards.push(buffer);
    }
    if (received !== expected) {
      throw new MoodlensError(
        'model-corrupt',
        `Weights of model '${name}' have the wrong size: ${group.paths.join(', ')} hold ${received} bytes, ` +
          `model.json describes ${expected}. The files are truncated or come from another export.`,
      );
    }
    specs.push(...group.weights);
  }
  return { shards, specs };
}

function checkShapes(model: tf.LayersModel, metadata: ModelMetadata): void {
  const input = model.inputs[0]?.shape ?? [];
  const output = model.outputs[0]?.shape ?? [];
  const { inputSize, channels } = metadata;
  if (model.inputs.length !== 1 || input.length !== 4 || input[1] !== inputSize || input[2] !== inputSize || input[3] !== channels) {
    throw new MoodlensError(
      'model-shape',
      `model '${metadata.name}' takes input [${input.join(', ')}], but its metadata says [batch, ${inputSize}, ${inputSize}, ${channels}]`,
    );
  }
  if (model.outputs.length !== 1 || output.length !== 2 || output[1] !== EMOTIONS.length) {
    throw new MoodlensError('model-shape', `model '${metadata.name}' outputs [${output.join(', ')}], expected [batch, 7]`);
  }
  const last = model.layers[model.layers.length - 1];
  const activation = (last.getConfig() as { activation?: unknown }).activation;
  if (last.getClassName() !== 'Softmax' && activation !== 'softmax') {
    throw new MoodlensError('model-shape', `model '${metadata.name}' must end in a softmax (its outputs are used as probabilities)`);
  }
}

/**
 * Loads `<modelsBase><name>/metadata.json` and `model.json` (+ weights). `modelsBase` is the URL of
 * the models folder ending in '/', e.g. '/models/'.
 */
export async function loadEmotionModel(modelsBase: string, name: string, fetchImpl: Fetch = defaultFetch()): Promise<EmotionModel> {
  const metadata = await loadModelMetadata(modelsBase, name, fetchImpl);
  const folder = `${modelsBase}${name}/`;

  const modelUrl = `${folder}model.json`;
  const { topology, groups } = parseModelJson(await fetchJson(fetchImpl, modelUrl, `Model '${name}'`, 'model-corrupt'), modelUrl);
  const { shards, specs } = await fetchWeights(fetchImpl, folder, groups, name);

  const corrupt = (error: unknown) =>
    new MoodlensError('model-corrupt', `Model '${name}' could not be built from ${modelUrl}: ${describeError(error)}`, {
      cause: error,
    });
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology }));
  } catch (error) {
    throw corrupt(error);
  }
  // Weights are set in a second step (as TF.js does internally) so that a failure can free both
  // the half-built model and the decoded weights.
  let weights: tf.NamedTensorMap = {};
  try {
    try {
      weights = tf.io.decodeWeights(shards, specs);
      model.loadWeights(weights, true);
    } catch (error) {
      throw corrupt(error);
    } finally {
      tf.dispose(Object.values(weights));
    }
    checkShapes(model, metadata);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { name, metadata, model, dispose: () => model.dispose() };
}

export interface ClassifyOptions {
  /** Also classify each face mirrored and average the two (test-time augmentation: about +1.5
   * points of accuracy for one more face in the same batch). */
  flip?: boolean;
}

/**
 * Probabilities per face, in EMOTIONS order, averaged over the models (mean of their softmax
 * outputs) and, with `flip`, over each face and its mirror image. Leaves `batch` to the caller;
 * frees everything it creates.
 */
export async function classify(
  models: readonly EmotionModel[],
  batch: tf.Tensor4D,
  { flip = false }: ClassifyOptions = {},
): Promise<number[][]> {
  if (models.length === 0) throw new MoodlensError('invalid-option', 'No emotion model is loaded');
  const faces = batch.shape[0];
  const sums = Array.from({ length: faces }, () => new Array<number>(EMOTIONS.length).fill(0));
  if (faces === 0) return sums;
  // One predict call for the faces and their mirror images: rows faces..2*faces-1 are the mirrors.
  const input = flip ? tf.tidy(() => tf.concat([batch, tf.reverse(batch, 2)])) : batch;
  const passes = flip ? 2 : 1;
  try {
    for (const { model, metadata } of models) {
      const output = model.predict(input) as tf.Tensor2D;
      let values: Float32Array;
      try {
        values = (await output.data()) as Float32Array;
      } finally {
        output.dispose();
      }
      for (let row = 0; row < faces * passes; row++) {
        const probabilities = toEmotionOrder(values.subarray(row * EMOTIONS.length, (row + 1) * EMOTIONS.length), metadata.outputIndex);
        probabilities.forEach((p, i) => (sums[row % faces][i] += p));
      }
    }
  } finally {
    if (input !== batch) input.dispose();
  }
  return sums.map((row) => row.map((sum) => sum / (models.length * passes)));
}

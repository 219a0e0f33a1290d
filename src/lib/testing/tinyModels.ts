/**
 * Test fixtures: tiny real TF.js layers models, exported the way the factory exports them
 * (model.json + weights.bin + metadata.json), served from memory by a fetch look-alike.
 */
import * as tf from '@tensorflow/tfjs';
import { EMOTIONS, type Emotion } from '../types';

export type FileMap = Map<string, string | Uint8Array<ArrayBuffer>>;

export interface TinyModelSpec {
  /** Output order written to metadata.json. Default EMOTIONS. */
  labels?: readonly string[];
  /** Added to each output logit (model order). */
  bias?: readonly number[];
  /** Output logit per unit of mean input brightness ([-1, 1]), model order. */
  brightnessWeights?: readonly number[];
  inputSize?: number;
  metadata?: Record<string, unknown>;
}

/** A model: global average pooling -> dense(7, softmax). Its output depends only on the crop's
 * mean grey level, which makes expected results easy to state. */
export function buildTinyModel(spec: TinyModelSpec = {}): tf.Sequential {
  const size = spec.inputSize ?? 48;
  const model = tf.sequential();
  model.add(tf.layers.globalAveragePooling2d({ inputShape: [size, size, 1], dataFormat: 'channelsLast' }));
  model.add(tf.layers.dense({ units: 7, activation: 'softmax' }));
  const kernel = tf.tensor2d([[...(spec.brightnessWeights ?? new Array(7).fill(0))]], [1, 7]);
  const bias = tf.tensor1d([...(spec.bias ?? new Array(7).fill(0))]);
  model.layers[1].setWeights([kernel, bias]);
  kernel.dispose();
  bias.dispose();
  return model;
}

export async function modelArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved!;
}

function weightBytes(data: tf.io.WeightData | undefined): Uint8Array<ArrayBuffer> {
  if (data === undefined) return new Uint8Array();
  const buffers = Array.isArray(data) ? data : [data];
  const out = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out;
}

/** The three files of a model folder, keyed by URL `<modelsBase><name>/<file>`. */
export async function tinyModelFiles(modelsBase: string, name: string, spec: TinyModelSpec = {}): Promise<FileMap> {
  const model = buildTinyModel(spec);
  try {
    return await modelFiles(modelsBase, name, model, {
      architecture: 'tiny-test',
      labels: spec.labels ?? EMOTIONS,
      inputSize: spec.inputSize ?? 48,
      ...spec.metadata,
    });
  } finally {
    model.dispose();
  }
}

/** Any layers model as the three files of a model folder (the caller keeps and disposes `model`). */
export async function modelFiles(modelsBase: string, name: string, model: tf.LayersModel, extraMetadata: Record<string, unknown> = {}): Promise<FileMap> {
  const artifacts = await modelArtifacts(model);
  const folder = `${modelsBase}${name}/`;
  const metadata = {
    name,
    labels: EMOTIONS,
    inputSize: model.inputs[0].shape[1],
    channels: 1,
    normalization: '[-1,1]',
    ...extraMetadata,
  };
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'moodlens tests',
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  };
  return new Map<string, string | Uint8Array<ArrayBuffer>>([
    [`${folder}metadata.json`, JSON.stringify(metadata)],
    [`${folder}model.json`, JSON.stringify(modelJson)],
    [`${folder}weights.bin`, weightBytes(artifacts.weightData)],
  ]);
}

/** A fetch that serves the map (404 otherwise) and records the URLs asked for. */
export function fakeFetch(files: FileMap): typeof fetch & { requests: string[] } {
  const requests: string[] = [];
  const impl = async (input: RequestInfo | URL) => {
    const url = String(input);
    requests.push(url);
    const body = files.get(url);
    if (body === undefined) return new Response('Not Found', { status: 404, headers: { 'content-type': 'text/plain' } });
    const type = url.endsWith('.json') ? 'application/json' : 'application/octet-stream';
    return new Response(body, { status: 200, headers: { 'content-type': type } });
  };
  return Object.assign(impl as typeof fetch, { requests });
}

/** Probabilities that softmax(bias) gives, i.e. a tiny model's output for any input when its
 * brightness weights are zero. */
export function softmax(values: readonly number[]): number[] {
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

export function emotionIndex(emotion: Emotion): number {
  return EMOTIONS.indexOf(emotion);
}

/**
 * The emotion classifiers under test, in Node, each fed FER2013's 48x48 grey faces through its own
 * preprocessing:
 * - ours: src/lib's loader (loadEmotionModel) and normalisation (normalizeGray), then classify();
 * - face-api: its FaceExpressionNet.predictExpressions() from its Node wasm build (its own
 *   resizing to 112x112 and mean-RGB normalisation), grey copied into R, G and B;
 * - Human: its emotion GraphModel behind our copy of its emotion step (peers/human-emotion.ts,
 *   checked against Human itself by the speed harness), grey copied into R, G and B in [0, 1].
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
// Internals on purpose: the network alone, in Node, on FER2013's ready-made 48x48 faces (the public
// API starts from pictures and needs a browser).
import { classify, loadEmotionModel } from '../../src/lib/classifier';
import { normalizeGray } from '../../src/lib/preprocess';
import { fileFetch } from '../../src/lib/testing/files';
import { FACE_API_DIR, HUMAN_DIR, MODELS_DIR } from '../lib/paths';
import { humanEmotionInput } from '../peers/human-emotion';
import { fromFaceApi, fromHumanRow } from '../peers/labels';
import { FER_SIDE } from './fer2013';
import type { ClassifierInfo } from './types';

export interface FaceClassifier extends ClassifierInfo {
  /** Probabilities in FER2013 order for each face; `flip`: of the mirrored faces. */
  predict(faces: readonly Uint8Array[], flip: boolean): Promise<number[][]>;
  dispose(): void;
}

const require = createRequire(import.meta.url);

function packageVersion(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

function fileBytes(dir: string, names: readonly string[]): number {
  return names.reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

/** [N, 48, 48, 1] int32 grey levels, mirrored left-right when asked. */
function greyBatch(faces: readonly Uint8Array[], flip: boolean): tf.Tensor4D {
  const data = new Int32Array(faces.length * FER_SIDE * FER_SIDE);
  faces.forEach((face, i) => data.set(face, i * FER_SIDE * FER_SIDE));
  const batch = tf.tensor4d(data, [faces.length, FER_SIDE, FER_SIDE, 1], 'int32');
  if (!flip) return batch;
  const mirrored = tf.reverse(batch, 2) as tf.Tensor4D;
  batch.dispose();
  return mirrored;
}

export async function oursClassifier(name: string): Promise<FaceClassifier> {
  const model = await loadEmotionModel('/', name, fileFetch(MODELS_DIR));
  const metrics = model.metadata.metrics as { single?: { accuracy?: number }; flip?: { accuracy?: number } } | undefined;
  const folder = join(MODELS_DIR, name);
  const weightFiles = (JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] }).weightsManifest.flatMap(
    (group) => group.paths,
  );
  return {
    id: `moodlens:${name}`,
    library: 'moodlens',
    version: `models/${name}`,
    preprocessing: `48x48 grey, x/127.5 - 1 (src/lib normalizeGray)`,
    modelBytes: fileBytes(folder, ['model.json', ...weightFiles]),
    parameters: model.metadata.parameters,
    reported: { single: metrics?.single?.accuracy, flip: metrics?.flip?.accuracy },
    async predict(faces, flip) {
      const grey = greyBatch(faces, flip);
      const input = normalizeGray(grey) as tf.Tensor4D;
      try {
        return await classify([model], input);
      } finally {
        tf.dispose([grey, input]);
      }
    },
    dispose: () => model.dispose(),
  };
}

interface FaceApiNode {
  version: string;
  nets: {
    faceExpressionNet: {
      loadFromDisk(dir: string): Promise<void>;
      predictExpressions(input: tf.Tensor3D[]): Promise<Record<string, number>[]>;
      dispose(): void;
    };
  };
}

export async function faceApiClassifier(): Promise<FaceClassifier> {
  // face-api's Node wasm build uses the @tensorflow/tfjs and tfjs-backend-wasm of this repository.
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiNode;
  const net = faceapi.nets.faceExpressionNet;
  const dir = join(FACE_API_DIR, 'model');
  await net.loadFromDisk(dir);
  return {
    id: 'face-api',
    library: '@vladmandic/face-api',
    version: packageVersion(FACE_API_DIR),
    preprocessing: 'grey as RGB, face-api resizes to 112x112, subtracts its mean RGB, /255',
    modelBytes: fileBytes(dir, ['face_expression_model-weights_manifest.json', 'face_expression_model.bin']),
    async predict(faces, flip) {
      const rgb = tf.tidy(() => {
        const grey = tf.cast(greyBatch(faces, flip), 'float32');
        return tf.unstack(tf.tile(grey, [1, 1, 1, 3])) as tf.Tensor3D[];
      });
      try {
        const expressions = await net.predictExpressions(rgb);
        return expressions.map((e) => fromFaceApi(e as Parameters<typeof fromFaceApi>[0]));
      } finally {
        tf.dispose(rgb);
      }
    },
    dispose: () => net.dispose(),
  };
}

/** A TF.js graph model from disk (model.json + its weight files). */
async function loadGraphModelFromDisk(dir: string, file: string): Promise<tf.GraphModel> {
  const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as tf.io.ModelJSON;
  const specs = json.weightsManifest.flatMap((group) => group.weights);
  const buffers = json.weightsManifest.flatMap((group) => group.paths.map((path) => readFileSync(join(dir, path))));
  const weightData = new Uint8Array(Buffer.concat(buffers)).buffer;
  return tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: specs,
      weightData,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
    }),
  );
}

export async function humanClassifier(): Promise<FaceClassifier> {
  const dir = join(HUMAN_DIR, 'models');
  const model = await loadGraphModelFromDisk(dir, 'emotion.json');
  return {
    id: 'human',
    library: '@vladmandic/human',
    version: packageVersion(HUMAN_DIR),
    preprocessing: "grey as RGB in [0,1], Human's emotion step: bilinear to 64x64, grey 0.2989/0.587/0.114, (g - 0.5) * 2",
    modelBytes: fileBytes(dir, ['emotion.json', 'emotion.bin']),
    async predict(faces, flip) {
      const input = tf.tidy(() => humanEmotionInput(tf.tile(tf.div(tf.cast(greyBatch(faces, flip), 'float32'), 255), [1, 1, 1, 3]) as tf.Tensor4D));
      const output = model.execute(input) as tf.Tensor2D;
      try {
        const values = await output.data();
        return faces.map((_, i) => fromHumanRow(values.subarray(i * 7, (i + 1) * 7)));
      } finally {
        tf.dispose([input, output]);
      }
    },
    dispose: () => model.dispose(),
  };
}

/**
 * `npm run eval`: accuracy of every shipped model of ours and of the peers' emotion models on
 * FER2013 PublicTest (in Node), then the pipeline-fidelity run in Chromium (--fidelity-faces 0
 * skips it). The dataset is read where it lies; only aggregate numbers are written.
 */
import * as tf from '@tensorflow/tfjs';
// Registers the wasm backend in Node (it reads its .wasm from node_modules).
import '@tensorflow/tfjs-backend-wasm';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { relative, resolve } from 'node:path';
import { list, parseOptions, usage, UsageError } from '../lib/args';
import { machine } from '../lib/machine';
import { progressLog, writeResults } from '../lib/results';
import { FER2013_DEFAULT, REPO, RESULTS_DIR } from '../lib/paths';
import { allPipelines, defaultPipelines, shippedModels } from '../lib/pipelines';
import { sample, seededRandom } from '../lib/random';
import { faceApiClassifier, humanClassifier, oursClassifier, type FaceClassifier } from './classifiers';
import { predictAll, score } from './evaluate';
import { readPublicTest } from './fer2013';
import { runFidelity, runScenes } from './fidelity';
import { FACE_SIDES, FRAME_HEIGHT, FRAME_WIDTH } from './fidelity-frames';
import { accuracyMarkdown } from './report';
import type { AccuracyResults, ModelAccuracy } from './types';

const OPTIONS = {
  data: { type: 'string', default: FER2013_DEFAULT, help: 'FER2013 csv(.gz) with Training and PublicTest rows' },
  out: { type: 'string', default: RESULTS_DIR, help: 'folder for accuracy.json and accuracy.md' },
  backend: { type: 'string', default: 'wasm', help: 'TF.js backend in Node: wasm or cpu' },
  batch: { type: 'number', default: 64, min: 1, integer: true, help: 'faces per inference batch' },
  models: { type: 'string', default: '', help: 'only these models of ours (default: each models/*/ with metadata.json)' },
  limit: { type: 'number', default: 0, min: 0, integer: true, help: 'only the first N PublicTest faces (quick checks; 0 = all)' },
  'fidelity-faces': { type: 'number', default: 500, min: 0, integer: true, help: 'faces for the in-browser pipeline run (0 = skip it)' },
  'fidelity-backend': { type: 'string', default: 'wasm', help: 'TF.js backend of the pipeline run' },
  scenes: { type: 'number', default: 20, min: 0, integer: true, help: 'scenes of each kind for the small-and-many-faces run (0 = skip it)' },
  seed: { type: 'number', default: 1, min: 0, integer: true, help: 'seed of the fidelity subset and frames' },
} as const;

const progress = progressLog('eval');

function sha256(path: string): Promise<string> {
  return new Promise((resolveHash, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolveHash(hash.digest('hex')))
      .on('error', reject);
  });
}

async function startBackend(name: string): Promise<void> {
  if (name !== 'wasm' && name !== 'cpu') throw new UsageError(`--backend must be wasm or cpu, got ${JSON.stringify(name)}`);
  if (!(await tf.setBackend(name))) throw new Error(`the TF.js ${name} backend did not start in Node`);
  await tf.ready();
}

export async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv, OPTIONS, 'npm run eval --');
  if (options.help) {
    console.log(usage('npm run eval --', OPTIONS));
    return;
  }
  const started = performance.now();
  const models = list(options.models).length ? list(options.models) : shippedModels();
  const missing = models.filter((m) => !shippedModels().includes(m));
  if (missing.length) throw new UsageError(`--models: no models/${missing[0]}/metadata.json; shipped: ${shippedModels().join(', ') || 'none'}`);
  await startBackend(options.backend);

  const dataPath = resolve(options.data);
  progress(`reading ${dataPath}`);
  const [dataset, dataHash] = await Promise.all([readPublicTest(dataPath), sha256(dataPath)]);
  const faces = options.limit ? dataset.faces.slice(0, options.limit) : dataset.faces;
  progress(`${faces.length} PublicTest faces, ${faces.filter((f) => !f.inTraining).length} unseen`);

  const makers: (() => Promise<FaceClassifier>)[] = [...models.map((m) => () => oursClassifier(m)), faceApiClassifier, humanClassifier];
  const results: ModelAccuracy[] = [];
  const predictions = new Map<string, number[]>();
  for (const make of makers) {
    const classifier = await make();
    const tensorsBefore = tf.memory().numTensors;
    let reported = 0;
    const predicted = await predictAll(classifier, faces, options.batch, (done) => {
      if (done - reported >= 1000 || done === faces.length) {
        reported = done;
        progress(`${classifier.id}: ${done}/${faces.length}`);
      }
    });
    if (tf.memory().numTensors !== tensorsBefore) throw new Error(`${classifier.id} leaked ${tf.memory().numTensors - tensorsBefore} tensors`);
    classifier.dispose();
    predictions.set(classifier.id, predicted.single);
    results.push({
      id: classifier.id,
      library: classifier.library,
      version: classifier.version,
      preprocessing: classifier.preprocessing,
      modelBytes: classifier.modelBytes,
      parameters: classifier.parameters,
      reported: classifier.reported,
      single: score(faces, predicted.single),
      flip: score(faces, predicted.flip),
      msPerFace: Math.round(predicted.msPerFace * 100) / 100,
    });
  }

  let fidelity: AccuracyResults['fidelity'] = null;
  if (options['fidelity-faces'] > 0) {
    const subset = sample(faces.length, options['fidelity-faces'], seededRandom(options.seed));
    const chosen = subset.map((i) => faces[i]);
    const alone = new Map([...predictions].map(([id, p]) => [id, subset.map((i) => p[i])]));
    const pipelines = allPipelines(models);
    progress(`fidelity: ${chosen.length} faces through ${pipelines.map((p) => p.id).join(', ')} in Chromium`);
    const run = await runFidelity(chosen, pipelines, alone, { backend: options['fidelity-backend'], seed: options.seed + 1 }, progress);
    fidelity = {
      browser: run.browser,
      backend: options['fidelity-backend'],
      faces: chosen.length,
      seed: options.seed,
      frame: `upscaled to ${FACE_SIDES[0]}-${FACE_SIDES[1]} px and placed at random in a ${FRAME_WIDTH}x${FRAME_HEIGHT} frame with a blurred-noise background`,
      results: run.results,
    };
  }

  let scenes: AccuracyResults['scenes'] = null;
  if (options.scenes > 0) {
    const order = sample(faces.length, faces.length, seededRandom(options.seed + 2));
    const shuffled = order.map((i) => faces[i]);
    const alone = new Map([...predictions].map(([id, p]) => [id, order.map((i) => p[i])]));
    // Finding faces does not depend on the emotion model: the app's models and the peers suffice.
    const pipelines = defaultPipelines(allPipelines(models));
    progress(`scenes: ${options.scenes} of each kind through ${pipelines.map((p) => p.id).join(', ')} in Chromium`);
    const run = await runScenes(shuffled, pipelines, alone, { backend: options['fidelity-backend'], seed: options.seed + 3, perKind: options.scenes }, progress);
    scenes = { browser: run.browser, backend: options['fidelity-backend'], seed: options.seed, perKind: options.scenes, results: run.results };
  }

  const output: AccuracyResults = {
    kind: 'moodlens-accuracy',
    date: new Date().toISOString(),
    durationSeconds: Math.round((performance.now() - started) / 1000),
    machine: machine(),
    data: {
      file: relative(REPO, dataPath),
      sha256: dataHash,
      publicTestFaces: faces.length,
      unseenFaces: faces.filter((f) => !f.inTraining).length,
      trainingRows: dataset.trainingRows,
      ...(options.limit ? { limitedTo: options.limit } : {}),
    },
    backend: options.backend,
    models: results,
    fidelity,
    scenes,
    notes: [
      'Accuracy, macro-F1 and recall as factory/metrics.py defines them; flip TTA = mean of the softmax outputs for the face and its mirror image.',
      "face-api's labels (neutral, happy, sad, angry, fearful, disgusted, surprised) are mapped to FER2013's by name.",
      "Human's emotion model (oarriaga/face_classification) and face-api's FaceExpressionNet were trained by their authors on data we cannot check; " +
        'if PublicTest faces were part of it, their PublicTest scores are optimistic. The "unseen" column only removes faces that also occur in FER2013 Training.',
      'Per the dataset README, 10 PublicTest rows are lossy rebuilds whose placement among rows is not exact; they are included.',
    ],
  };
  const written = writeResults(options.out, 'accuracy', output, accuracyMarkdown(output));
  progress(`wrote ${written} and accuracy.md in ${output.durationSeconds} s`);
}

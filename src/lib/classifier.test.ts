import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { classify, expectedWeightBytes, loadEmotionModel, type EmotionModel } from './classifier';
import { loadModelMetadata } from './modelFiles';
import type { MoodlensErrorCode } from './errors';
import { fakeFetch, softmax, tinyModelFiles, type FileMap } from './testing/tinyModels';
import { EMOTIONS } from './types';
import { failure } from './testing/failure';

const BASE = '/models/';

beforeAll(async () => {
  await tf.setBackend('cpu');
});


async function expectFailure(files: FileMap, code: MoodlensErrorCode, message: RegExp, name = 'tiny') {
  const before = tf.memory().numTensors;
  const error = await failure(loadEmotionModel(BASE, name, fakeFetch(files)));
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
  expect(tf.memory().numTensors).toBe(before); // a failed load leaves nothing behind
}

function batchOf(values: number[]): tf.Tensor4D {
  return tf.tidy(() => tf.stack(values.map((v) => tf.fill([48, 48, 1], v))) as tf.Tensor4D);
}

describe('loadEmotionModel', () => {
  it('loads metadata and model from one folder', async () => {
    const files = await tinyModelFiles(BASE, 'tiny');
    const fetch = fakeFetch(files);
    const model = await loadEmotionModel(BASE, 'tiny', fetch);
    expect(model.name).toBe('tiny');
    expect(model.metadata.inputSize).toBe(48);
    expect(model.model.inputs[0].shape).toEqual([null, 48, 48, 1]);
    expect(fetch.requests).toEqual(['/models/tiny/metadata.json', '/models/tiny/model.json', '/models/tiny/weights.bin']);
    model.dispose();
  });

  it('reports a missing model (404) as model-missing', async () => {
    await expectFailure(new Map(), 'model-missing', /Metadata of model 'tiny' not found: \/models\/tiny\/metadata\.json returned 404/);
    const files = await tinyModelFiles(BASE, 'tiny');
    files.delete('/models/tiny/model.json');
    await expectFailure(files, 'model-missing', /Model 'tiny' not found: \/models\/tiny\/model\.json returned 404/);
  });

  it('reports missing weight files as model-missing', async () => {
    const files = await tinyModelFiles(BASE, 'tiny');
    files.delete('/models/tiny/weights.bin');
    await expectFailure(files, 'model-missing', /Weights of model 'tiny' not found: \/models\/tiny\/weights\.bin returned 404/);
  });

  it('recognises a dev server answering a missing file with its index page', async () => {
    const files = await tinyModelFiles(BASE, 'tiny');
    files.set('/models/tiny/model.json', '<!doctype html><html><body>app</body></html>');
    await expectFailure(files, 'model-missing', /returned a web page instead of JSON/);
  });

  it('reports a model.json that is not JSON as model-corrupt', async () => {
    const files = await tinyModelFiles(BASE, 'tiny');
    files.set('/models/tiny/model.json', '{"modelTopology": {"class_name": "Seq');
    await expectFailure(files, 'model-corrupt', /model\.json\) is not valid JSON/);
  });

  it('reports JSON that is not a layers model as model-corrupt', async () => {
    const files = await tinyModelFiles(BASE, 'tiny');
    files.set('/models/tiny/model.json', JSON.stringify({ weightsManifest: [] }));
    await expectFailure(files, 'model-corrupt', /"modelTopology" is missing/);
    files.set('/models/tiny/model.json', JSON.stringify({ modelTopology: {} }));
    await expectFailure(files, 'model-corrupt', /"weightsManifest" is missing/);
  });

  it('reports truncated weights with both sizes', async () => {
    const files = await tinyModelFiles(BASE, 'tiny');
    const weights = files.get('/models/tiny/weights.bin') as Uint8Array<ArrayBuffer>;
    expect(weights.byteLength).toBe((7 + 7) * 4); // dense kernel [1, 7] + bias [7]
    files.set('/models/tiny/weights.bin', weights.subarray(0, 40));
    await expectFailure(files, 'model-corrupt', /wrong size: weights\.bin hold 40 bytes, model\.json describes 56/);
  });

  it('reports weights that do not fit the layers as model-corrupt', async () => {
    const files = await tinyModelFiles(BASE, 'tiny');
    const json = JSON.parse(files.get('/models/tiny/model.json') as string);
    // Same byte count, wrong shape: TF.js refuses to assign it to the dense kernel.
    json.weightsManifest[0].weights[0].shape = [7, 1];
    files.set('/models/tiny/model.json', JSON.stringify(json));
    await expectFailure(files, 'model-corrupt', /could not be built/);
  });

  it('refuses a model whose input does not match its metadata', async () => {
    const files = await tinyModelFiles(BASE, 'tiny', { inputSize: 64 });
    const metadata = JSON.parse(files.get('/models/tiny/metadata.json') as string);
    files.set('/models/tiny/metadata.json', JSON.stringify({ ...metadata, inputSize: 48 }));
    await expectFailure(files, 'model-shape', /takes input \[, 64, 64, 1\], but its metadata says \[batch, 48, 48, 1\]/);
  });

  it('reports invalid metadata as metadata-invalid', async () => {
    const files = await tinyModelFiles(BASE, 'tiny', { metadata: { channels: 3 } });
    await expectFailure(files, 'metadata-invalid', /\/models\/tiny\/metadata\.json: "channels" must be 1/);
    files.set('/models/tiny/metadata.json', 'not json');
    await expectFailure(files, 'metadata-invalid', /is not valid JSON/);
  });

  it('reports network failures and server errors as model-fetch', async () => {
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const error = await failure(loadEmotionModel(BASE, 'tiny', offline));
    expect(error.code).toBe('model-fetch');
    expect(error.message).toMatch(/Failed to fetch/);
    const broken = (async () => new Response('oops', { status: 500 })) as typeof fetch;
    expect((await failure(loadEmotionModel(BASE, 'tiny', broken))).message).toMatch(/HTTP 500/);
  });

  it('refuses model names that are not plain folder names', async () => {
    for (const name of ['../secrets', 'a/b', '']) {
      expect((await failure(loadEmotionModel(BASE, name, fakeFetch(new Map())))).code).toBe('invalid-option');
    }
  });
});

describe('loadModelMetadata', () => {
  it('reads only metadata.json, validated', async () => {
    const files = await tinyModelFiles(BASE, 'tiny', { metadata: { metrics: { single: { accuracy: 0.61 } } } });
    const fetch = fakeFetch(files);
    const metadata = await loadModelMetadata(BASE, 'tiny', fetch);
    expect(metadata.name).toBe('tiny');
    expect(metadata.metrics).toEqual({ single: { accuracy: 0.61 } });
    expect(fetch.requests).toEqual(['/models/tiny/metadata.json']);
  });

  it('tells a model the build does not ship (404 or an index page) from a broken one', async () => {
    expect((await failure(loadModelMetadata(BASE, 'attention', fakeFetch(new Map())))).code).toBe('model-missing');
    const page = new Map([['/models/attention/metadata.json', '<!doctype html><title>app</title>']]);
    expect((await failure(loadModelMetadata(BASE, 'attention', fakeFetch(page)))).code).toBe('model-missing');
    const broken = new Map([['/models/attention/metadata.json', '{"name": "attention"}']]);
    expect((await failure(loadModelMetadata(BASE, 'attention', fakeFetch(broken)))).code).toBe('metadata-invalid');
  });
});

describe('expectedWeightBytes', () => {
  it('counts float32 and quantized weights', () => {
    expect(expectedWeightBytes([{ name: 'a', shape: [3, 3, 1, 8], dtype: 'float32' }])).toBe(288);
    expect(expectedWeightBytes([{ name: 'a', shape: [10], dtype: 'float32', quantization: { dtype: 'uint8', scale: 1, min: 0 } }])).toBe(10);
    expect(expectedWeightBytes([{ name: 'a', shape: [10], dtype: 'float32', quantization: { dtype: 'float16' } }])).toBe(20);
  });
});

describe('classify', () => {
  const bias = [0.1, -1, 0.3, 2, 0.5, -0.2, 1.2];

  async function load(files: FileMap, name: string): Promise<EmotionModel> {
    return loadEmotionModel(BASE, name, fakeFetch(files));
  }

  it('returns one probability row per face, in EMOTIONS order', async () => {
    const model = await load(await tinyModelFiles(BASE, 'tiny', { bias }), 'tiny');
    const batch = batchOf([0, 0.5, -1]);
    const rows = await classify([model], batch);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      row.forEach((p, i) => expect(p).toBeCloseTo(softmax(bias)[i], 5));
    }
    tf.dispose(batch);
    model.dispose();
  });

  it('reorders outputs of a model with another label order', async () => {
    const labels = [...EMOTIONS].reverse();
    // Bias in the model's own order: its first output ("neutral") is the likely one.
    const model = await load(await tinyModelFiles(BASE, 'rev', { labels, bias: [4, 0, 0, 0, 0, 0, 0] }), 'rev');
    const batch = batchOf([0]);
    const [row] = await classify([model], batch);
    expect(EMOTIONS[row.indexOf(Math.max(...row))]).toBe('neutral');
    expect(row[6]).toBeCloseTo(softmax([4, 0, 0, 0, 0, 0, 0])[0], 5);
    tf.dispose(batch);
    model.dispose();
  });

  it('depends on the face (brightness model) and keeps faces apart', async () => {
    // happy grows with brightness, sad with darkness.
    const model = await load(await tinyModelFiles(BASE, 'bright', { brightnessWeights: [0, 0, 0, 6, -6, 0, 0] }), 'bright');
    const batch = batchOf([0.9, -0.9]);
    const [bright, dark] = await classify([model], batch);
    expect(EMOTIONS[bright.indexOf(Math.max(...bright))]).toBe('happy');
    expect(EMOTIONS[dark.indexOf(Math.max(...dark))]).toBe('sad');
    tf.dispose(batch);
    model.dispose();
  });

  it('with flip, averages each face with its mirror image', async () => {
    const loaded = await load(await tinyModelFiles(BASE, 'tiny', { bias }), 'tiny');
    // Random dense weights over the pixels: a model that tells left from right.
    const layers = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [48, 48, 1] }), tf.layers.dense({ units: 7, activation: 'softmax', kernelInitializer: tf.initializers.randomNormal({ stddev: 0.5, seed: 3 }) })],
    });
    const model: EmotionModel = { name: 'asym', metadata: loaded.metadata, model: layers, dispose: () => layers.dispose() };
    const batch = tf.randomUniform([2, 48, 48, 1], -1, 1, 'float32', 7) as tf.Tensor4D;
    const mirrored = tf.reverse(batch, 2) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const [plain, mirror, both] = [await classify([model], batch), await classify([model], mirrored), await classify([model], batch, { flip: true })];
    expect(tf.memory().numTensors).toBe(before);
    expect(Math.max(...plain[0].map((p, i) => Math.abs(p - mirror[0][i])))).toBeGreaterThan(0.01);
    both.forEach((row, face) => row.forEach((p, i) => expect(p).toBeCloseTo((plain[face][i] + mirror[face][i]) / 2, 6)));
    tf.dispose([batch, mirrored]);
    model.dispose();
    loaded.dispose();
  });

  it('averages several models ("both")', async () => {
    const files = new Map([
      ...(await tinyModelFiles(BASE, 'a', { bias: [3, 0, 0, 0, 0, 0, 0] })),
      ...(await tinyModelFiles(BASE, 'b', { bias: [0, 0, 0, 3, 0, 0, 0] })),
    ]);
    const [a, b] = [await load(files, 'a'), await load(files, 'b')];
    const batch = batchOf([0.2]);
    const [[onlyA], [onlyB], [both]] = [await classify([a], batch), await classify([b], batch), await classify([a, b], batch)];
    both.forEach((p, i) => expect(p).toBeCloseTo((onlyA[i] + onlyB[i]) / 2, 6));
    expect(both.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
    tf.dispose(batch);
    a.dispose();
    b.dispose();
  });

  it('handles an empty batch and refuses to run without models', async () => {
    const model = await load(await tinyModelFiles(BASE, 'tiny'), 'tiny');
    const empty = tf.zeros([0, 48, 48, 1]) as tf.Tensor4D;
    expect(await classify([model], empty)).toEqual([]);
    await expect(classify([], empty)).rejects.toThrow(/No emotion model/);
    tf.dispose(empty);
    model.dispose();
  });

  it('leaks no tensors over many calls, and dispose frees the model', async () => {
    const start = tf.memory().numTensors;
    const model = await load(await tinyModelFiles(BASE, 'tiny', { bias }), 'tiny');
    const batch = batchOf([0.1, 0.2, 0.3, 0.4]);
    const loaded = tf.memory().numTensors;
    for (let i = 0; i < 200; i++) await classify([model, model], batch);
    expect(tf.memory().numTensors).toBe(loaded);
    batch.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});

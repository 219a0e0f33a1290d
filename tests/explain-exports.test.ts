/**
 * "Where it looks" on the factory's real architectures: random-weight exports
 * (python3 -m factory.random_export) loaded with the app's loader and explained with explain.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmotionModel, type EmotionModel } from '../src/lib/classifier';
import { explainFaces, explanationKind } from '../src/lib/explain';
import { normalizeGray } from '../src/lib/preprocess';
import { fileFetch } from '../src/lib/testing/files';
import type { HeatmapExplanation, TransformerExplanation } from '../src/lib/types';

const PYTHON = process.env.MOODLENS_PYTHON ?? '/usr/bin/python3';
const SIZE = 48;

const out = mkdtempSync(join(tmpdir(), 'moodlens-explain-'));
execFileSync(PYTHON, ['-m', 'factory.random_export', out], { encoding: 'utf8' });
const models = new Map<string, EmotionModel>();
let faces: tf.Tensor4D;

beforeAll(async () => {
  await tf.setBackend('cpu');
  for (const arch of ['mini-xception', 'aer-cnn', 'deep-emotion', 'deep-emotion-seq']) {
    models.set(arch, await loadEmotionModel('/', arch, fileFetch(out)));
  }
  // The grey faces the factory used for its parity check: four different pictures.
  const fixture = JSON.parse(readFileSync(join(out, 'aer-cnn', 'parity.json'), 'utf8')) as { inputs: number[][] };
  const pixels = tf.tensor4d(fixture.inputs.slice(0, 4).flat(), [4, SIZE, SIZE, 1], 'int32');
  faces = normalizeGray(pixels) as tf.Tensor4D;
  pixels.dispose();
});

afterAll(() => {
  faces.dispose();
  models.forEach((m) => m.dispose());
  rmSync(out, { recursive: true, force: true });
});

const model = (arch: string) => models.get(arch)!.model;

/** The same faces one at a time: explanations must not depend on the other faces of a batch. */
async function oneByOne<T>(arch: string): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < faces.shape[0]; i++) {
    const face = tf.slice(faces, [i, 0, 0, 0], [1, -1, -1, -1]);
    results.push(((await explainFaces(model(arch), face)) as T[])[0]);
    face.dispose();
  }
  return results;
}

describe('explanations of the exported architectures', () => {
  it('knows which model can show what', () => {
    expect(['mini-xception', 'aer-cnn', 'deep-emotion', 'deep-emotion-seq'].map((arch) => explanationKind(model(arch)))).toEqual([
      null,
      'heatmap',
      'transformer',
      'transformer',
    ]);
  });

  it('AER-CNN: combines its three attention maps into one heatmap per face', async () => {
    const explanations = (await explainFaces(model('aer-cnn'), faces)) as HeatmapExplanation[];
    expect(explanations).toHaveLength(4);
    for (const { heatmap, layers, size } of explanations) {
      expect(layers).toEqual(['attention1_map', 'attention2_map', 'attention3_map']);
      expect(size).toBe(SIZE);
      expect(heatmap).toHaveLength(SIZE * SIZE);
      expect(heatmap.every((v) => v >= 0 && v <= 1 + 1e-6)).toBe(true);
      // Random weights still make uneven maps: the heatmap has contrast.
      expect(Math.max(...heatmap) - Math.min(...heatmap)).toBeGreaterThan(0.3);
    }
    // Different faces, different heatmaps; each face as if it were alone.
    expect(explanations[0].heatmap).not.toEqual(explanations[1].heatmap);
    const alone = await oneByOne<HeatmapExplanation>('aer-cnn');
    alone.forEach((single, i) => single.heatmap.forEach((v, j) => expect(Math.abs(v - explanations[i].heatmap[j])).toBeLessThan(1e-5)));
  });

  it('Deep-Emotion (sequential): the warped face is exactly what its transformer layer outputs', async () => {
    const explanations = (await explainFaces(model('deep-emotion-seq'), faces)) as TransformerExplanation[];
    const transformer = tf.model({ inputs: model('deep-emotion-seq').inputs, outputs: model('deep-emotion-seq').getLayer('transformer').output });
    const sampled = transformer.predict(faces) as tf.Tensor4D;
    const expected = (await sampled.data()) as Float32Array;
    sampled.dispose();
    explanations.forEach(({ warped }, i) => {
      const face = expected.subarray(i * SIZE * SIZE, (i + 1) * SIZE * SIZE);
      expect(Math.max(...warped.map((v, j) => Math.abs(v - face[j])))).toBeLessThan(1e-5);
    });
  });

  it('Deep-Emotion (parallel): theta per face, and a sampled region that is not the whole face', async () => {
    const explanations = (await explainFaces(model('deep-emotion'), faces)) as TransformerExplanation[];
    const alone = await oneByOne<TransformerExplanation>('deep-emotion');
    explanations.forEach(({ theta, quad, warped }, i) => {
      expect(theta).toHaveLength(6);
      theta.forEach((t, k) => expect(t).toBeCloseTo(alone[i].theta[k], 5));
      // random_export sets the localiser's bias to a rotation, zoom and shift: far from the identity.
      expect(Math.abs(theta[1]) + Math.abs(theta[3])).toBeGreaterThan(0.1);
      expect(quad).toHaveLength(4);
      expect(warped.some((v) => v !== 0)).toBe(true);
    });
  });

  it('leaks no tensors', async () => {
    for (const arch of ['aer-cnn', 'deep-emotion']) await explainFaces(model(arch), faces);
    const start = tf.memory().numTensors;
    for (const arch of ['aer-cnn', 'deep-emotion', 'deep-emotion-seq']) await explainFaces(model(arch), faces);
    expect(tf.memory().numTensors).toBe(start);
  });
});

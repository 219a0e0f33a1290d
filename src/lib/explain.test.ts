import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainFaces, explanationKind, faceImages, samplingQuad } from './explain';
import { buildTinyModel } from './testing/tinyModels';
import { buildAttentionModel, buildTransformerModel, faceBatch } from './testing/attentionModels';
import type { HeatmapExplanation, TransformerExplanation } from './types';

const SIZE = 48;
/** Normalised coordinate of pixel centre i (align_corners=False). */
const centre = (i: number) => (2 * i + 1) / SIZE - 1;
const at = (image: Float32Array, x: number, y: number) => image[y * SIZE + x];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('explanationKind', () => {
  it('recognises the layers of AER-CNN, of Deep-Emotion, and models that have neither', () => {
    const models = [buildAttentionModel(), buildTransformerModel([1, 0, 0, 0, 1, 0]), buildTinyModel()];
    expect(models.map(explanationKind)).toEqual(['heatmap', 'transformer', null]);
    models.forEach((m) => m.dispose());
  });
});

describe('explainFaces: spatial attention', () => {
  const model = buildAttentionModel();
  afterAll(() => model.dispose());

  // Face 0: a bright 16x16 square in the top-left corner; face 1: the same square bottom-right.
  const square = (face: number, x: number, y: number) => {
    const origin = face === 0 ? 4 : 28;
    return x >= origin && x < origin + 16 && y >= origin && y < origin + 16 ? 1 : -1;
  };

  it('puts the heat where the maps are high, separately for every face', async () => {
    const batch = faceBatch(2, SIZE, square);
    const [first, second] = (await explainFaces(model, batch)) as HeatmapExplanation[];
    batch.dispose();
    expect(first.kind).toBe('heatmap');
    expect(first.layers).toEqual(['attention1_map', 'attention2_map']);
    expect(first.size).toBe(SIZE);
    expect(first.heatmap).toHaveLength(SIZE * SIZE);
    expect(Math.min(...first.heatmap)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...first.heatmap)).toBeLessThanOrEqual(1 + 1e-6);
    // Both maps are 1 on the square and 0 elsewhere once scaled; the upsampled coarse map blurs the edge.
    expect(at(first.heatmap, 12, 12)).toBeCloseTo(1, 5);
    expect(at(first.heatmap, 40, 40)).toBeCloseTo(0, 5);
    expect(at(second.heatmap, 36, 36)).toBeCloseTo(1, 5);
    expect(at(second.heatmap, 12, 12)).toBeCloseTo(0, 5);
    // At the square's edge the fine map is 1 and the coarse one, upsampled, in between.
    expect(at(first.heatmap, 4, 12)).toBeGreaterThan(0.5);
    expect(at(first.heatmap, 4, 12)).toBeLessThan(1);
  });

  it('gives the same explanation for a face alone as within a batch', async () => {
    const batch = faceBatch(2, SIZE, square);
    const alone = tf.slice(batch, [1, 0, 0, 0], [1, -1, -1, -1]);
    const [inBatch, single] = [(await explainFaces(model, batch))[1], (await explainFaces(model, alone))[0]];
    tf.dispose([batch, alone]);
    expect((single as HeatmapExplanation).heatmap).toEqual((inBatch as HeatmapExplanation).heatmap);
  });

  it('shows no heat for a flat face (nothing stands out), rather than NaN', async () => {
    const batch = faceBatch(1, SIZE, () => 0.3);
    const [flat] = (await explainFaces(model, batch)) as HeatmapExplanation[];
    batch.dispose();
    expect(flat.heatmap.every((v) => v === 0)).toBe(true);
  });
});

describe('explainFaces: spatial transformer', () => {
  it('returns theta, the region it samples (warped face) and its corners in crop pixels', async () => {
    // Zoom in 2x on the face's right half, slightly lower: x' = 0.5x + 0.5, y' = 0.5y + 0.25.
    const theta = [0.5, 0, 0.5, 0, 0.5, 0.25];
    const model = buildTransformerModel(theta);
    // Pixel values equal to their normalised x coordinate: bilinear sampling reproduces x' exactly.
    const batch = faceBatch(1, SIZE, (_, x) => centre(x));
    const [explanation] = (await explainFaces(model, batch)) as TransformerExplanation[];
    tf.dispose([batch]);
    model.dispose();
    expect(explanation.kind).toBe('transformer');
    explanation.theta.forEach((t, i) => expect(t).toBeCloseTo(theta[i], 6));
    const expectQuad = [
      { x: 24, y: 18 },
      { x: 48, y: 18 },
      { x: 48, y: 42 },
      { x: 24, y: 42 },
    ];
    explanation.quad.forEach((corner, i) => {
      expect(corner.x).toBeCloseTo(expectQuad[i].x, 4);
      expect(corner.y).toBeCloseTo(expectQuad[i].y, 4);
    });
    expect(explanation.warped).toHaveLength(SIZE * SIZE);
    for (const x of [0, 10, 23, 40]) {
      for (const y of [0, 30]) expect(at(explanation.warped, x, y)).toBeCloseTo(0.5 * centre(x) + 0.5, 5);
    }
  });

  it('gives every face its own transform', async () => {
    // theta[2] = first pixel: face 0 (first pixel 0) is not moved, face 1 (first pixel 0.5) is shifted right.
    const model = buildTransformerModel([1, 0, 0, 0, 1, 0], 1);
    const batch = faceBatch(2, SIZE, (face, x, y) => (x === 0 && y === 0 ? face * 0.5 : centre(x)));
    const [still, shifted] = (await explainFaces(model, batch)) as TransformerExplanation[];
    tf.dispose([batch]);
    model.dispose();
    expect(still.theta[2]).toBeCloseTo(0, 6);
    expect(shifted.theta[2]).toBeCloseTo(0.5, 6);
    expect(at(still.warped, 10, 20)).toBeCloseTo(centre(10), 5);
    expect(at(shifted.warped, 10, 20)).toBeCloseTo(centre(10) + 0.5, 5);
    expect(shifted.quad[0].x).toBeCloseTo(12, 5);
    // Past the right edge the transformer reads zeros (padding_mode='zeros').
    expect(at(shifted.warped, 47, 20)).toBeCloseTo(0, 5);
  });
});

describe('explainFaces: resources and bad input', () => {
  it('leaks no tensor and leaves the model intact', async () => {
    const baseline = tf.memory().numTensors;
    for (const model of [buildAttentionModel(), buildTransformerModel([0.8, 0.1, 0, -0.1, 0.9, 0], 0.3)]) {
      const batch = faceBatch(3, SIZE, (f, x, y) => Math.sin(x * 0.3 + y * 0.1 + f));
      const first = model.predict(batch) as tf.Tensor;
      const before = first.arraySync();
      await explainFaces(model, batch); // builds the model's probe
      const start = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) await explainFaces(model, batch);
      expect(tf.memory().numTensors).toBe(start);
      const after = model.predict(batch) as tf.Tensor;
      expect(after.arraySync()).toEqual(before);
      tf.dispose([first, after, batch]);
      model.dispose();
    }
    // The probes hold nothing once their model is gone.
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('explains an empty batch as nothing', async () => {
    const model = buildAttentionModel();
    const empty = tf.zeros([0, SIZE, SIZE, 1]) as tf.Tensor4D;
    expect(await explainFaces(model, empty)).toEqual([]);
    tf.dispose([empty]);
    model.dispose();
  });

  it('refuses a model without attention and a batch of the wrong size, saying why', async () => {
    const plain = buildTinyModel();
    const batch = faceBatch(1, SIZE, () => 0);
    await expect(explainFaces(plain, batch)).rejects.toMatchObject({ code: 'invalid-option', message: /attention<k>_map.*loc_fc2/ });
    const attention = buildAttentionModel();
    const small = faceBatch(1, 24, () => 0);
    await expect(explainFaces(attention, small)).rejects.toThrow(/expected a batch \[N, 48, 48, 1\].*got \[1,24,24,1\]/);
    tf.dispose([batch, small]);
    plain.dispose();
    attention.dispose();
  });
});

describe('samplingQuad and faceImages', () => {
  it('maps the identity to the whole crop and rejects malformed theta', () => {
    expect(samplingQuad([1, 0, 0, 0, 1, 0], 48)).toEqual([
      { x: 0, y: 0 },
      { x: 48, y: 0 },
      { x: 48, y: 48 },
      { x: 0, y: 48 },
    ]);
    // 90 degrees: x' = -y, y' = x; the output's top-left corner (-1, -1) samples (1, -1): top-right.
    expect(samplingQuad([0, -1, 0, 1, 0, 0], 48)[0]).toEqual({ x: 48, y: 0 });
    expect(() => samplingQuad([1, 0, 0], 48)).toThrow(/6 numbers/);
  });

  it('splits a batch into one image per face', async () => {
    const batch = faceBatch(2, 4, (f, x, y) => f * 100 + y * 4 + x);
    const images = await faceImages(batch);
    batch.dispose();
    expect(images).toHaveLength(2);
    expect(images[1].size).toBe(4);
    expect(Array.from(images[1].pixels.subarray(0, 3))).toEqual([100, 101, 102]);
  });
});

/**
 * Exporter parity: a model written by the Python factory, loaded by TF.js, computes what
 * PyTorch computed (max abs difference <= 1e-4), with the app's own preprocessing in front.
 * Checks every shipped model in models/ against the PyTorch outputs stored beside it, and
 * freshly exported random-weight models of every architecture (python3 -m factory.random_export).
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classify, loadEmotionModel } from '../src/lib/classifier';
import { normalizeGray } from '../src/lib/preprocess';
import { fileFetch } from '../src/lib/testing/files';

const PYTHON = process.env.MOODLENS_PYTHON ?? '/usr/bin/python3';
const TOLERANCE = 1e-4;

interface ParityFixture {
  inputs: number[][];
  probabilities: number[][];
}

/** Loads `<root>/<name>` with the app's own loader and runs the fixture through the app's
 * normalisation and classifier. */
async function maxDifference(root: string, name: string): Promise<number> {
  const fixture: ParityFixture = JSON.parse(readFileSync(join(root, name, 'parity.json'), 'utf8'));
  const model = await loadEmotionModel('/', name, fileFetch(root));
  const pixels = tf.tensor4d(fixture.inputs.flat(), [fixture.inputs.length, 48, 48, 1], 'int32');
  const input = normalizeGray(pixels) as tf.Tensor4D;
  const predicted = await classify([model], input);
  tf.dispose([pixels, input]);
  model.dispose();
  expect(predicted.length).toBe(fixture.probabilities.length);
  return Math.max(...predicted.flatMap((row, i) => row.map((p, j) => Math.abs(p - fixture.probabilities[i][j]))));
}

const shipped = readdirSync('models', { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join('models', entry.name, 'parity.json')))
  .map((entry) => entry.name);

describe('shipped models match PyTorch', () => {
  it('ships at least the default model', () => {
    expect(shipped).toContain('mini-xception');
  });
  it.each(shipped)('%s', async (name) => {
    expect(await maxDifference('models', name)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('freshly exported random-weight models match PyTorch', () => {
  const out = mkdtempSync(join(tmpdir(), 'moodlens-parity-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const exported = execFileSync(PYTHON, ['-m', 'factory.random_export', out], { encoding: 'utf8' })
    .trim()
    .split('\n');

  it('exports every architecture', () => {
    expect(exported.length).toBeGreaterThan(0);
  });
  it.each(exported)('%s', async (dir) => {
    const difference = await maxDifference(dirname(dir), basename(dir));
    expect(difference).toBeLessThanOrEqual(TOLERANCE);
    // The random models must not be trivially uniform, or the comparison would prove nothing.
    const fixture: ParityFixture = JSON.parse(readFileSync(join(dir, 'parity.json'), 'utf8'));
    const spread = Math.max(...fixture.probabilities.flat()) - Math.min(...fixture.probabilities.flat());
    expect(spread).toBeGreaterThan(0.05);
  });
});

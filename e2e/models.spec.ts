/** The model picker (fast / accurate / both) and "Where it looks" in the photo view. The attention
 * model is a random-weight export served by the test (see models.ts), whatever the build ships. */
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { ExplainedResult } from '../src/lib/types';
import { FIXTURES } from './fixtures/paths';
import { analysedFrames, appUrl, lastResult, manifest, numTensors, startCamera, waitForFrames } from './helpers';
import { hideAttentionModel, serveAttentionModel, serveSpeed } from './models';

const FAST = 'mini-xception';

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

function shippedAccuracy(name = FAST): string {
  const metadata = JSON.parse(readFileSync(`models/${name}/metadata.json`, 'utf8'));
  return percent(metadata.metrics.flip.accuracy); // the app averages each face with its mirror
}

/** Uploads the group photo (or picks a model) and waits until the photo has been analysed again. */
async function analysed(page: Page, action: () => Promise<void>): Promise<void> {
  const before = await analysedFrames(page);
  await action();
  await waitForFrames(page, before + 1);
  await expect(page.getByTestId('face-row')).toHaveCount(manifest().group.faces);
}

const uploadGroup = (page: Page) => () => page.getByTestId('photo-input').setInputFiles(FIXTURES.group);
const pick = (page: Page, choice: string) => () => page.getByTestId(`model-choice-${choice}`).locator('input').check();

async function topProbabilities(page: Page): Promise<number[][]> {
  const result = await lastResult(page);
  return result.faces.map((face) => Object.values(face.probabilities));
}

/** Mean and spread of a canvas's grey levels, and how many distinct colours it has. */
async function canvasStats(canvas: Locator) {
  return canvas.evaluate((element: HTMLCanvasElement) => {
    const { data } = element.getContext('2d')!.getImageData(0, 0, element.width, element.height);
    const colours = new Set<number>();
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < data.length; i += 4) {
      const grey = (data[i] + data[i + 1] + data[i + 2]) / 3;
      sum += grey;
      squares += grey * grey;
      colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    }
    const n = data.length / 4;
    const mean = sum / n;
    return { mean, std: Math.sqrt(squares / n - mean * mean), colours: colours.size, pixels: Array.from(data.subarray(0, 4000)) };
  });
}

test('without the attention model, only the fast choice is offered, with its accuracy and speed', async ({ page }) => {
  await hideAttentionModel(page);
  await serveSpeed(page, { [FAST]: 1.84 });
  await page.goto(appUrl({}, 'photo'));

  const fast = page.getByTestId('model-choice-fast');
  await expect(fast.getByTestId('accuracy')).toHaveText(`${shippedAccuracy()} accuracy (FER2013 PublicTest)`);
  await expect(fast.getByTestId('speed')).toHaveText('1.8 ms per face');
  for (const choice of ['accurate', 'both']) {
    await expect(page.getByTestId(`model-choice-${choice}`).locator('input')).toBeDisabled();
    await expect(page.getByTestId(`model-choice-${choice}`).getByTestId('unavailable')).toContainText('not included in this build');
  }
  await expect(page.getByTestId('model-note')).toBeVisible();
  await expect(page.getByTestId('model-error')).toHaveCount(0);

  // The fast model works, and "Where it looks" says what it needs instead of failing.
  await analysed(page, uploadGroup(page));
  await expect(page.getByTestId('where-it-looks')).toHaveCount(0);
  await expect(page.getByTestId('insight-unavailable')).toContainText('Accurate');
});

test('with the shipped models, each choice shows the accuracy the factory measured, "both" included', async ({ page }) => {
  await page.goto(appUrl({}, 'photo'));
  const blend = JSON.parse(readFileSync('models/blend.json', 'utf8'));
  await expect(page.getByTestId('model-choice-fast').getByTestId('accuracy')).toHaveText(`${shippedAccuracy()} accuracy (FER2013 PublicTest)`);
  await expect(page.getByTestId('model-choice-accurate').getByTestId('accuracy')).toHaveText(`${shippedAccuracy('attention')} accuracy (FER2013 PublicTest)`);
  await expect(page.getByTestId('model-choice-both').getByTestId('accuracy')).toHaveText(`${percent(blend.metrics.flip.accuracy)} accuracy (FER2013 PublicTest)`);
});

test('a link asking for the accurate model falls back to the fast one when the build lacks it', async ({ page }) => {
  await hideAttentionModel(page);
  await page.goto(appUrl({ choice: 'accurate' }, 'photo'));
  await expect(page.getByTestId('model-fallback')).toContainText('using the fast model');
  await expect(page.getByTestId('model-choice-fast').locator('input')).toBeChecked();
  await analysed(page, uploadGroup(page));
  await expect(page.getByTestId('model-name')).toHaveText(FAST);
});

test('switching models re-analyses the photo, averages for "both", and leaks no tensors', async ({ page }) => {
  await serveAttentionModel(page, 'aer-cnn');
  await serveSpeed(page, { [FAST]: 1.5, attention: 4.25 });
  await page.goto(appUrl({}, 'photo'));
  await expect(page.getByTestId('model-choice-both').getByTestId('speed')).toHaveText('5.8 ms per face');
  await expect(page.getByTestId('model-choice-accurate').getByTestId('accuracy')).toHaveText('accuracy not measured');
  await expect(page.getByTestId('model-choice-both').getByTestId('accuracy')).toHaveText('accuracy not measured');

  await analysed(page, uploadGroup(page));
  const fast = await topProbabilities(page);
  const tensors = await numTensors(page);

  await analysed(page, pick(page, 'accurate'));
  await expect(page.getByTestId('model-name')).toHaveText('attention');
  const accurate = await topProbabilities(page);
  expect(accurate).not.toEqual(fast);

  await analysed(page, pick(page, 'both'));
  await expect(page.getByTestId('model-name')).toHaveText(`${FAST} + attention`);
  const both = await topProbabilities(page);
  both.forEach((face, i) => face.forEach((p, j) => expect(p).toBeCloseTo((fast[i][j] + accurate[i][j]) / 2, 4)));
  expect(page.url()).toContain('choice=both');

  await analysed(page, pick(page, 'fast'));
  await expect(page.getByTestId('model-name')).toHaveText(FAST);
  expect(await topProbabilities(page)).toEqual(fast);
  // The attention model and everything the switches made are freed.
  expect(await numTensors(page)).toBe(tensors);
});

test('a broken attention model is reported and the current model stays', async ({ page }) => {
  await serveAttentionModel(page, 'aer-cnn');
  // Registered last, so it answers first: damaged weights.
  await page.route('**/models/attention/*.bin', (route) => route.fulfill({ status: 200, body: Buffer.from('not weights') }));
  await page.goto(appUrl({}, 'photo'));
  await analysed(page, uploadGroup(page));
  await pick(page, 'accurate')();
  await expect(page.getByTestId('model-error')).toContainText(/attention/);
  await expect(page.getByTestId('model-choice-fast').locator('input')).toBeChecked();
  await expect(page.getByTestId('model-name')).toHaveText(FAST);
});

test('where AER-CNN looks: a heatmap over each face crop', async ({ page }) => {
  await serveAttentionModel(page, 'aer-cnn');
  await page.goto(appUrl({ choice: 'accurate' }, 'photo'));
  await analysed(page, uploadGroup(page));
  const result = (await lastResult(page)) as ExplainedResult;
  expect(result.explainedBy).toBe('attention');
  expect(result.faces[0].explanation?.kind).toBe('heatmap');

  const firstFace = page.getByTestId('face-row').first();
  await firstFace.getByTestId('where-it-looks').click();
  const insight = firstFace.getByTestId('insight');
  await expect(insight).toHaveAttribute('data-kind', 'heatmap');
  const crop = await canvasStats(insight.getByTestId('insight-crop'));
  const heatmap = await canvasStats(insight.getByTestId('insight-heatmap'));
  // The crop is a face (not blank); the heatmap adds colour to it.
  expect(crop.std).toBeGreaterThan(10);
  expect(heatmap.colours).toBeGreaterThan(crop.colours);
  expect(heatmap.pixels).not.toEqual(crop.pixels);
  // A colour scale says what the colours mean.
  await expect(insight.getByTestId('heat-scale')).toHaveText(/least\s*most/);
  await firstFace.getByTestId('where-it-looks').click();
  await expect(insight).toHaveCount(0);
});

test('where Deep-Emotion looks: the region its transformer samples, and what it passes on', async ({ page }) => {
  await serveAttentionModel(page, 'deep-emotion');
  await page.goto(appUrl({ choice: 'both' }, 'photo'));
  await analysed(page, uploadGroup(page));

  const face = page.getByTestId('face-row').nth(1);
  await face.getByTestId('where-it-looks').click();
  const insight = face.getByTestId('insight');
  await expect(insight).toHaveAttribute('data-kind', 'transformer');
  const quad = (await insight.getByTestId('insight-crop').getAttribute('data-quad'))!.split(' ');
  expect(quad).toHaveLength(4);
  // random_export's localiser rotates, zooms and shifts: the region is not the whole crop.
  expect(quad.join(' ')).not.toBe('0.0,0.0 48.0,0.0 48.0,48.0 0.0,48.0');
  const warped = await canvasStats(insight.getByTestId('insight-warped'));
  expect(warped.std).toBeGreaterThan(5);
});

test('on a phone the picker is one compact row of choices, details on demand, and Start camera is in view', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await serveAttentionModel(page, 'aer-cnn');
  await page.goto(appUrl());
  const picker = page.getByTestId('model-picker');
  await expect(page.getByTestId('model-choice-accurate').getByTestId('accuracy')).toHaveText(/accuracy/);
  const box = (await picker.boundingBox())!;
  expect(box.height, 'picker height on a phone').toBeLessThan(200);
  await expect(page.getByTestId('start-camera')).toBeInViewport();
  // Plain words at a glance; the dataset's name only under "About the models".
  const details = page.getByTestId('model-details');
  await expect(details.getByText('a larger network that learns where to look')).toBeHidden();
  await details.locator('summary').click();
  await expect(details.getByText('a larger network that learns where to look')).toBeVisible();
  await expect(details).toContainText('FER2013');
});

test('the picker works on the webcam view while the camera runs', async ({ page }) => {
  await serveAttentionModel(page, 'aer-cnn');
  await page.goto(appUrl());
  await startCamera(page);
  await pick(page, 'accurate')();
  await expect(page.getByTestId('model-name')).toHaveText('attention');
  await expect(page.getByTestId('model-switching')).toHaveCount(0);
  const frames = await analysedFrames(page);
  await waitForFrames(page, frames + 3);
  await expect(page.getByTestId('webcam-error')).toHaveCount(0);
  await expect(page.getByTestId('webcam-stage')).toHaveAttribute('data-phase', 'running');
});

test("the seeds' systems run in the app: ?model= loads each, and it reads the group photo's smiles", async ({ page }) => {
  // The factory's exports of the project seeds' architectures (factory/README.md, "Seed systems").
  const seeds = ['msff-cnn', 'drf-msam', 'prior-attention', 'vgg19', 'resnet18', 'blend-vgg-resnet'];
  for (const name of seeds) {
    await test.step(name, async () => {
      await page.goto(appUrl({ model: name, choice: 'fast' }, 'photo'));
      await analysed(page, uploadGroup(page));
      const result = await lastResult(page);
      // Six copies of one smiling face: a trained model reads most of them as happy.
      const happy = result.faces.filter((face) => face.top.label === 'happy').length;
      expect(happy, `${name}: faces read as happy`).toBeGreaterThan(result.faces.length / 2);
      expect(await page.getByTestId('model-choice-fast').textContent()).toContain(name);
    });
  }
});

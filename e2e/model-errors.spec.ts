/** A missing or damaged model (emotion or face detector) is reported clearly, on both views, or worked around. */
import { expect, test } from '@playwright/test';
import { FIXTURES } from './fixtures/paths';
import { appUrl, manifest } from './helpers';

test('missing model (404) on the Photo view, then a retry once it is back', async ({ page }) => {
  let missing = true;
  await page.route('**/models/mini-xception/**', (route) =>
    missing ? route.fulfill({ status: 404, body: 'Not found' }) : route.continue(),
  );
  await page.goto(appUrl({}, 'photo'));
  await page.getByTestId('photo-input').setInputFiles(FIXTURES.group);
  await expect(page.getByTestId('photo-error')).toContainText(/mini-xception/);
  await expect(page.getByTestId('photo-error')).toContainText(/not found|missing|404/i);

  missing = false;
  await page.getByTestId('photo-input').setInputFiles(FIXTURES.noFace);
  await expect(page.getByTestId('photo-no-face')).toBeVisible();
});

test('missing model on the Webcam view stops the camera and says why', async ({ page }) => {
  await page.route('**/models/mini-xception/**', (route) => route.fulfill({ status: 404, body: 'Not found' }));
  await page.goto(appUrl());
  await page.getByTestId('start-camera').click();
  await expect(page.getByTestId('webcam-error')).toContainText(/mini-xception/);
  await expect(page.getByTestId('start-camera')).toBeVisible();
  expect(await page.evaluate(() => document.querySelector('video')?.srcObject ?? null)).toBeNull();
});

test('damaged model weights', async ({ page }) => {
  await page.route('**/models/mini-xception/*.bin', (route) => route.fulfill({ status: 200, body: Buffer.from('not weights') }));
  await page.goto(appUrl({}, 'photo'));
  await page.getByTestId('photo-input').setInputFiles(FIXTURES.group);
  await expect(page.getByTestId('photo-error')).toContainText(/mini-xception/);
});

test('a model name that does not exist', async ({ page }) => {
  await page.goto(appUrl({ model: 'no-such-model' }, 'photo'));
  await expect(page.getByTestId('model-name')).toHaveText('no-such-model');
  await page.getByTestId('photo-input').setInputFiles(FIXTURES.group);
  await expect(page.getByTestId('photo-error')).toContainText('no-such-model');
});

test("MediaPipe's face model missing: the TF.js face detector takes over", async ({ page }) => {
  await page.route('**/vendor/face_detector.tflite', (route) => route.fulfill({ status: 404, body: 'Not found' }));
  await page.goto(appUrl({}, 'photo'));
  await page.getByTestId('photo-input').setInputFiles(FIXTURES.group);
  await expect(page.getByTestId('face-row')).toHaveCount(manifest().group.faces);
  await expect(page.getByTestId('face-detector')).toHaveAttribute('data-detector', 'blazeface-tfjs');
  await expect(page.getByTestId('photo-error')).toHaveCount(0);
});

test('both face detectors missing: a clear message', async ({ page }) => {
  for (const path of ['**/vendor/face_detector.tflite', '**/vendor/blazeface/**']) {
    await page.route(path, (route) => route.fulfill({ status: 404, body: 'Not found' }));
  }
  await page.goto(appUrl({}, 'photo'));
  await page.getByTestId('photo-input').setInputFiles(FIXTURES.group);
  await expect(page.getByTestId('photo-error')).toBeVisible();
  await expect(page.getByTestId('photo-error')).toContainText(/face detector could not be loaded/i);
});

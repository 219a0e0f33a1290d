/**
 * Runs in a browser without any WebGL (project 'no-webgl' in playwright.config.ts), like a machine
 * with no usable GPU. MediaPipe's face detector cannot run there, so the app finds faces with the
 * TF.js one (BlazeFace, src/lib/blazeface.ts) on WebAssembly, and says so.
 */
import { expect, test } from '@playwright/test';
import { FIXTURES } from './fixtures/paths';
import { appUrl, lastResult, manifest, startCamera } from './helpers';

test('the browser really has no WebGL', async ({ page }) => {
  await page.goto('/');
  const contexts = await page.evaluate(() =>
    (['webgl2', 'webgl'] as const).flatMap((kind) => [
      document.createElement('canvas').getContext(kind) !== null,
      new OffscreenCanvas(16, 16).getContext(kind) !== null,
    ]),
  );
  expect(contexts).toEqual([false, false, false, false]);
});

for (const backend of ['auto', 'webgl']) {
  test(`asked for ${backend}: faces are still found, on WebAssembly, and the page says how`, async ({ page }) => {
    await page.goto(appUrl({ backend }, 'photo'));
    await page.getByTestId('photo-input').setInputFiles(FIXTURES.group);
    await expect(page.getByTestId('face-row')).toHaveCount(manifest().group.faces);
    await expect(page.getByTestId('photo-error')).toHaveCount(0);
    const result = await lastResult(page);
    expect(result.faceDetector).toBe('blazeface-tfjs');
    await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'wasm');
    await expect(page.getByTestId('backend-fallback')).toContainText('WebGL is not available');
    await expect(page.getByTestId('face-detector')).toHaveAttribute('data-detector', 'blazeface-tfjs');
  });
}

test('the webcam view finds the face too', async ({ page }) => {
  await page.goto(appUrl({ backend: 'auto' }));
  await startCamera(page, 5);
  const result = await lastResult(page);
  expect(result.faceDetector).toBe('blazeface-tfjs');
  expect(result.faces).toHaveLength(1);
  await expect(page.getByTestId('webcam-error')).toHaveCount(0);
});

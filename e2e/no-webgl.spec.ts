/**
 * Runs in a browser without any WebGL (project 'no-webgl' in playwright.config.ts). TF.js falls back
 * to WebAssembly, but MediaPipe's face detector needs WebGL even with its CPU delegate, so the app
 * must say clearly why it cannot work, not crash with an internal message.
 */
import { expect, test } from '@playwright/test';
import { FIXTURES } from './fixtures/paths';
import { appUrl } from './helpers';

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
  test(`asked for ${backend}: the engine falls back to WebAssembly and the missing WebGL is explained`, async ({ page }) => {
    await page.goto(appUrl({ backend }, 'photo'));
    await page.getByTestId('photo-input').setInputFiles(FIXTURES.group);
    await expect(page.getByTestId('photo-error')).toContainText('WebGL');
    await expect(page.getByTestId('photo-error')).not.toContainText('Something went wrong');
    await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'wasm');
    await expect(page.getByTestId('backend-fallback')).toContainText('WebGL is not available');
  });
}

test('the webcam view explains it too and releases the camera', async ({ page }) => {
  await page.goto(appUrl({ backend: 'auto' }));
  await page.getByTestId('start-camera').click();
  await expect(page.getByTestId('webcam-error')).toContainText('WebGL');
  await expect(page.getByTestId('webcam-error')).not.toContainText('Something went wrong');
  await expect(page.getByTestId('start-camera')).toBeVisible();
  expect(await page.evaluate(() => document.querySelector('video')?.srcObject ?? null)).toBeNull();
});

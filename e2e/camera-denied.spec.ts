/** A real denial: the same fake camera, but the browser answers the permission prompt with "block". */
import { expect, test } from '@playwright/test';
import { FAKE_CAMERA, launchOptions } from './browser';
import { FIXTURES } from './fixtures/paths';
import { appUrl } from './helpers';

// Without --use-fake-ui-for-media-stream, Playwright's Chromium refuses camera prompts.
test.use({ launchOptions: launchOptions(FAKE_CAMERA) });

test('camera permission denied: clear message, and the Photo tab still works', async ({ page }) => {
  await page.goto(appUrl());
  await page.getByTestId('start-camera').click();
  await expect(page.getByTestId('webcam-error')).toContainText('Camera permission was denied');
  await expect(page.getByTestId('start-camera')).toBeVisible();
  // The stage says there is no picture, not "press Start" over a black box.
  await expect(page.getByTestId('webcam-placeholder')).toHaveAttribute('data-state', 'failed');
  await expect(page.getByTestId('webcam-placeholder')).toContainText('No camera picture');
  expect(await page.evaluate(() => document.querySelector('video')?.srcObject ?? null)).toBeNull();

  await page.getByRole('tab', { name: 'Photo' }).click();
  await page.getByTestId('photo-input').setInputFiles(FIXTURES.noFace);
  await expect(page.getByTestId('photo-no-face')).toBeVisible();
});

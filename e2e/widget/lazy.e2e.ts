/**
 * Nothing heavy loads before it is needed: a camera widget waits for its button, an autostart
 * photo widget for being scrolled into view. Until then the page has the small module only.
 */
import { expect, test } from '@playwright/test';
import { installProbe, recordRequests, trackStates, waitForEmotions, widgetUrl } from './probe';

const HEAVY = /\/(chunks\/detector-|vendor\/|models\/)/;

test('widgets load the detector only when shown and started', async ({ page, context }) => {
  const urls = recordRequests(context);
  await installProbe(page);
  await page.goto('/lazy.html');
  await expect(page.locator('#poster')).toBeVisible(); // the page's poster fills the slot
  await expect(page.locator('#camera').getByRole('button', { name: 'Start camera' })).toBeVisible();
  await page.waitForTimeout(2_000);

  expect(urls).toContain(widgetUrl('emotion-detector.js'));
  expect(urls.filter((url) => HEAVY.test(url))).toEqual([]);
  expect(await trackStates(page)).toEqual([]);
  expect(await page.evaluate(() => [...document.querySelectorAll('emotion-detector')].map((w) => w.state))).toEqual(['idle', 'idle']);

  await page.locator('#photo').scrollIntoViewIfNeeded();
  const photo = await waitForEmotions(page, 'photo');
  expect(photo.faces.length).toBeGreaterThan(0);
  expect(urls.filter((url) => HEAVY.test(url)).length).toBeGreaterThan(3);
  expect(await trackStates(page)).toEqual([]); // the camera widget still waits for its button
});

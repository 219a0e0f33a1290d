/**
 * The strictest Content-Security-Policy the widget works under (see strict-csp.html): only the
 * widget's origin for scripts and connections, plus 'wasm-unsafe-eval'; default-src 'none' for
 * everything else (styles, images, media, workers). Camera and photo must work without a single
 * violation, and the policy must really be in force.
 */
import { expect, test } from '@playwright/test';
import { manifest } from '../helpers';
import { expectMostlyHappy, expectPlausible } from './checks';
import { foreignRequests, installProbe, recordRequests, waitForEmotions, widgetLog } from './probe';
import { HOST_ORIGIN, WIDGET_ORIGIN } from './servers';

test('camera and photo widgets work under a CSP that allows only the widget origin', async ({ page, context }) => {
  const urls = recordRequests(context);
  await installProbe(page);
  await page.goto('/strict-csp.html');

  const photo = await waitForEmotions(page, 'photo');
  expect(photo.source).toBe(`${WIDGET_ORIGIN}/fixtures/group.jpg`);
  expect(photo.faces).toHaveLength(manifest().group.faces);
  expectPlausible(photo);
  expectMostlyHappy(photo);

  const start = page.locator('#camera').getByRole('button', { name: 'Start camera' });
  // The widget's styles apply (a constructed stylesheet: style-src does not block it).
  await expect(start).toHaveCSS('background-color', 'rgb(91, 91, 214)');
  await start.click();
  const frame = await waitForEmotions(page, 'camera', 3);
  expect(frame.faces).toHaveLength(1);
  expectPlausible(frame);

  expect((await widgetLog(page)).cspViolations).toEqual([]);
  expect(foreignRequests(urls)).toEqual([]);

  // The policy is in force: even the page's own origin is refused.
  const outcome = await page.evaluate(() =>
    fetch('/fixtures/group.jpg').then(
      () => 'sent',
      () => 'blocked',
    ),
  );
  expect(outcome).toBe('blocked');
  await expect.poll(async () => (await widgetLog(page)).cspViolations).toEqual([`connect-src ${HOST_ORIGIN}/fixtures/group.jpg`]);
});

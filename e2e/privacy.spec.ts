/**
 * Nothing leaves the browser: every request of a webcam session and a photo analysis goes to the
 * app's own origin. MediaPipe's usage logger (odml.pa.googleapis.com) flushes every 60 s, so the
 * page clock is moved past that. Checked twice: with the app's CSP bypassed (the app itself sends
 * nothing) and with it on (no attempt even got blocked).
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { FIXTURES } from './fixtures/paths';
import { appUrl, startCamera } from './helpers';

const LOGGER_FLUSH_MS = 60_000;

function recordRequests(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on('request', (request) => urls.push(request.url()));
  return urls;
}

async function recordCspViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const violations: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = violations;
    document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
}

const cspViolations = (page: Page) => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);

/** A webcam session, a photo analysis, then more than a minute of (fake) time for the logger's timer. */
async function useTheApp(page: Page): Promise<void> {
  await page.clock.install();
  await page.goto(appUrl());
  await startCamera(page, 10);
  await page.getByTestId('stop-camera').click();
  await page.getByRole('tab', { name: 'Photo' }).click();
  await page.getByTestId('photo-input').setInputFiles(FIXTURES.group);
  await expect(page.getByTestId('face-row').first()).toBeVisible();
  await page.clock.runFor(LOGGER_FLUSH_MS + 5_000);
  await page.waitForTimeout(1_000);
}

function foreign(urls: string[], origin: string): string[] {
  return urls.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('blob:') && !url.startsWith('data:'));
}

test('with the CSP bypassed, the app itself sends nothing anywhere else', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ bypassCSP: true, baseURL });
  const urls = recordRequests(context);
  const page = await context.newPage();
  await useTheApp(page);
  const origin = new URL(baseURL!).origin;
  expect(urls.length).toBeGreaterThan(5); // the recorder works: page, scripts, wasm, models
  expect(urls.some((url) => url.includes('/models/mini-xception/'))).toBe(true);
  expect(foreign(urls, origin)).toEqual([]);
  await context.close();
});

test('with the CSP on, no request is attempted elsewhere and the policy blocks one that is', async ({ page, context, baseURL }) => {
  const urls = recordRequests(context);
  await recordCspViolations(page);
  await useTheApp(page);
  expect(foreign(urls, new URL(baseURL!).origin)).toEqual([]);
  expect(await cspViolations(page)).toEqual([]);

  // The policy is really in force in the built app: a foreign request is refused before it is sent.
  const outcome = await page.evaluate(() =>
    fetch('https://odml.pa.googleapis.com/v1/log', { method: 'POST', body: 'x' }).then(
      () => 'sent',
      () => 'blocked',
    ),
  );
  expect(outcome).toBe('blocked');
  await expect.poll(() => cspViolations(page)).toEqual(['connect-src https://odml.pa.googleapis.com/v1/log']);
  expect(foreign(urls, new URL(baseURL!).origin)).toEqual([]);
});

/**
 * A cross-origin-isolated host page (COOP + COEP, as many apps are, for SharedArrayBuffer): the
 * API and the element start and find faces there too. TF.js would pick its multi-threaded wasm
 * build on such a page, whose workers cannot run from a minified bundle; moodlens uses the
 * single-threaded one (src/lib/backend.ts).
 */
import { expect, test } from '@playwright/test';
import { manifest } from '../helpers';
import { widgetUrl } from './probe';

test('createEmotionDetector resolves and finds faces on a cross-origin-isolated page', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // MediaPipe's wasm writes its own INFO and W(arning) log lines to stderr, which is console.error;
    // the browser asks the host for a favicon it does not have.
    const ignored = /^(INFO: |W\d{4} )/.test(message.text()) || message.location().url.endsWith('/favicon.ico');
    if (message.type() === 'error' && !ignored) errors.push(`${message.text()} ${message.location().url}`);
  });
  await page.goto('/isolated.html');
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);

  const outcome = await page.evaluate(async (moduleUrl) => {
    const widget = await import(moduleUrl);
    const photo = await (await fetch('/fixtures/group.jpg')).blob();
    const bitmap = await widget.decodeImageFile(photo);
    const detector = await widget.createEmotionDetector({ backend: 'wasm' });
    const result = await detector.detect(bitmap);
    detector.close();
    return { backend: detector.backend, faces: result.faces.length };
  }, widgetUrl('emotion-detector.js'));

  expect(outcome).toEqual({ backend: 'wasm', faces: manifest().group.faces });
  expect(errors).toEqual([]);
});

/**
 * The module's programmatic side: createEmotionDetector() with its assets found beside the
 * module, the element's detect(), and clear `error` events for bad sources and attributes.
 */
import { existsSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { manifest } from '../helpers';
import { expectMostlyHappy, expectPlausible } from './checks';
import { installProbe, waitForError, widgetUrl } from './probe';

const MODULE = widgetUrl('emotion-detector.js');

test('the ESM API: createEmotionDetector and the element\'s detect()', async ({ page }) => {
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  await page.goto('/bare.html');

  const outcome = await page.evaluate(async (moduleUrl) => {
    const widget = await import(moduleUrl);
    const photo = await (await fetch('/fixtures/group.jpg')).blob();
    const bitmap = await widget.decodeImageFile(photo);
    const progress: { fraction: number; loaded: number; total: number; stages: Record<string, string> }[] = [];
    const detector = await widget.createEmotionDetector({ backend: 'wasm', onProgress: (p: (typeof progress)[number]) => progress.push(p) });
    const result = await detector.detect(bitmap);
    detector.close();
    const afterClose = await detector.detect(bitmap).then(
      () => 'detected',
      (error: Error & { code?: string }) => (error instanceof widget.MoodlensError ? error.code : String(error)),
    );

    // detect() on an element that was never shown or started (classify(), its first name, still works).
    const element = document.createElement('emotion-detector');
    element.setAttribute('backend', 'wasm');
    element.setAttribute('model', 'accurate');
    const elementProgress: number[] = [];
    element.addEventListener('progress', (event: Event) => elementProgress.push((event as CustomEvent<{ fraction: number }>).detail.fraction));
    document.body.append(element);
    const classified = await element.detect(photo);
    const fromCanvas = await element.classify(Object.assign(document.createElement('canvas'), { width: 64, height: 64 }));
    return {
      assetBase: widget.DEFAULT_ASSET_BASE,
      backend: detector.backend,
      models: detector.models.map((m: { name: string }) => m.name),
      result,
      afterClose,
      classified,
      emptyCanvasFaces: fromCanvas.faces.length,
      sameClass: customElements.get('emotion-detector') === widget.EmotionDetectorElement,
      progress,
      elementProgress,
    };
  }, MODULE);

  expect(outcome.assetBase).toBe(widgetUrl(''));
  expect(outcome.backend).toBe('wasm');
  expect(outcome.models).toEqual(['mini-xception']);
  const faces = manifest().group.faces;
  for (const result of [outcome.result, outcome.classified]) {
    expect(result.faces).toHaveLength(faces);
    const detail = { ...result, source: 'api' };
    expectPlausible(detail);
    expectMostlyHappy(detail);
  }
  // Loading progress: bytes as they arrived (MediaPipe's wasm alone is megabytes), every stage, ready at 1.
  const last = outcome.progress.at(-1)!;
  expect(last.fraction).toBe(1);
  expect(Object.values(last.stages).every((state) => state === 'done')).toBe(true);
  expect(last.loaded).toBeGreaterThan(5e6);
  expect(last.total).toBe(last.loaded); // every file read to its end
  expect(outcome.progress.some((p) => p.loaded > 0 && p.loaded < last.loaded)).toBe(true);
  const fractions = outcome.progress.map((p) => p.fraction);
  expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  expect(outcome.elementProgress.at(-1)).toBe(1);
  expect(outcome.afterClose).toBe('closed');
  expect(outcome.emptyCanvasFaces).toBe(0);
  expect(outcome.sameClass).toBe(true);

  // model="accurate" needs the attention model; without it the widget says so and uses the fast one.
  const attentionShipped = existsSync('widget-dist/models/attention/metadata.json');
  const fallback = warnings.filter((w) => w.includes('model="accurate"'));
  expect(fallback).toHaveLength(attentionShipped ? 0 : 1);
});

test('bad sources and attributes are reported through the error event', async ({ page }) => {
  await installProbe(page);
  await page.goto('/bare.html');
  await page.evaluate(() => {
    const add = (id: string, attributes: Record<string, string>) => {
      const widget = document.createElement('emotion-detector');
      widget.id = id;
      for (const [name, value] of Object.entries({ backend: 'wasm', ...attributes })) widget.setAttribute(name, value);
      document.body.append(widget);
      return widget;
    };
    add('missing', { source: '/fixtures/no-such-photo.jpg', autostart: '' });
    add('not-an-image', { source: '/fixtures/not-an-image.png', autostart: '' });
    void add('bad-attribute', { source: '/fixtures/group.jpg', 'max-faces': 'lots' }).start();
    void add('bad-model', { source: '/fixtures/group.jpg', model: 'huge' }).start();
  });

  const missing = await waitForError(page, 'missing');
  expect(missing.code).toBe('image-fetch');
  expect(missing.message).toContain('HTTP 404');
  // The person sees it too, with a way to try again.
  await expect(page.locator('#missing').getByRole('status')).toContainText('HTTP 404');
  await expect(page.locator('#missing').getByRole('button', { name: 'Try again' })).toBeVisible();

  const notAnImage = await waitForError(page, 'not-an-image');
  expect(notAnImage.code).toBe('not-an-image');
  expect(notAnImage.message).toContain('not-an-image.png');

  expect(await waitForError(page, 'bad-attribute')).toEqual({
    code: 'invalid-option',
    message: '<emotion-detector> max-faces="lots": expected a whole number from 1 to 100',
  });
  expect(await waitForError(page, 'bad-model')).toEqual({
    code: 'invalid-option',
    message: '<emotion-detector> model="huge": expected fast, accurate or both',
  });
});

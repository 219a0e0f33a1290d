/**
 * Detectors created and closed over and over through the core API (the app keeps one detector
 * for the page's life, so only the core page can do this; see core-page.ts): every tensor is
 * returned, no wasm heap is left behind, and nothing piles up: not even MediaPipe's loader
 * scripts, which faceDetector.ts removes. Model switching in the app: long-session.spec.ts.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { FIXTURES } from '../fixtures/paths';
import { openCorePage } from './core-page';
import { watchPageProblems } from './page-problems';
import * as memory from './memory';

const MODEL = 'mini-xception';

/** Puts the group photo into the page as `window.__photo` (an ImageBitmap). */
async function loadPhoto(page: Page): Promise<void> {
  const bytes = readFileSync(FIXTURES.group).toString('base64');
  await page.evaluate(async (base64) => {
    const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    (window as unknown as { __photo: ImageBitmap }).__photo = await createImageBitmap(new Blob([data], { type: 'image/jpeg' }));
  }, bytes);
}

test('creating and closing a detector 20 times leaks no tensors, no wasm heap and nothing else', async ({ page }) => {
  const problems = watchPageProblems(page);
  await memory.trackWasmHeaps(page);
  await openCorePage(page);
  await loadPhoto(page);
  const cdp = await page.context().newCDPSession(page);
  /** Creates a detector, analyses the photo, closes it unless asked to keep it; returns the faces found. */
  const cycle = (keep = false) =>
    page.evaluate(
      async ({ model, keep }) => {
        const w = window as unknown as { __core: typeof import('../../src/lib'); __photo: ImageBitmap; __kept?: unknown };
        const detector = await w.__core.createEmotionDetector({ backend: 'wasm', models: [model] });
        const result = await detector.detect(w.__photo);
        if (keep) w.__kept = detector;
        else detector.close();
        // close() frees once the detector's queue is idle: give it that turn.
        await new Promise((resolve) => setTimeout(resolve, 0));
        return result.faces.length;
      },
      { model: MODEL, keep },
    );

  expect(await cycle()).toBe(6); // warm-up: backend, kernels
  await memory.shrinkLayersGraphCache(page);
  const before = await memory.tfMemory(page);
  const heapsBefore = await memory.wasmHeapSizes(page, cdp);
  const [domBefore, jsHeapBefore, scriptsBefore] = [await memory.domCounters(cdp), await memory.jsHeapAfterGc(cdp), await memory.mediaPipeLoaderScripts(page)];
  for (let i = 0; i < 20; i++) expect(await cycle()).toBe(6);

  const after = await memory.tfMemory(page);
  expect(after.backend).toBe('wasm');
  expect(after).toEqual(before);
  // Every detector runs MediaPipe in a wasm instance of its own: closed ones must all be garbage,
  // and TF.js's heap must not have grown.
  expect(await memory.wasmHeapSizes(page, cdp)).toEqual(heapsBefore);
  // Elements, listeners and JS heap: MediaPipe's loader <script> (one per detector) is removed.
  const [domAfter, jsHeapAfter, scripts] = [await memory.domCounters(cdp), await memory.jsHeapAfterGc(cdp), (await memory.mediaPipeLoaderScripts(page)) - scriptsBefore];
  expect(scripts).toBe(0);
  expect(domAfter.nodes - domBefore.nodes).toBe(0);
  expect(domAfter.jsEventListeners - domBefore.jsEventListeners).toBe(0);
  // (about 1.1 MB measured after 20 detectors: MediaPipe's loader code, loaded once per task and
  // kept by its module, not by the removed elements; a real per-detector leak would exceed this)
  expect(jsHeapAfter - jsHeapBefore).toBeLessThan(1.5 * memory.MB);
  // ...and the probe does see MediaPipe's heaps while a detector is alive: its short-range task
  // and, since it analysed a photo, the photos' full-range and second-look (short-range) ones.
  expect(await cycle(true)).toBe(6);
  expect(await memory.wasmHeapSizes(page, cdp)).toHaveLength(heapsBefore.length + 3);
  expect(problems.list()).toEqual([]);
});

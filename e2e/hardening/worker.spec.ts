/**
 * The core API in a module Web Worker, as a page that keeps its main thread free would run it:
 * MediaPipe's classic loader cannot be imported there, so the core takes its ES module build
 * (faceDetector.ts). The photo, handed over as an ImageBitmap, gets the same faces and emotions as
 * on the main thread (boxes a few pixels apart: the worker draws it on an OffscreenCanvas).
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { FIXTURES } from '../fixtures/paths';
import { openCorePage } from './core-page';
import { watchPageProblems } from './page-problems';

/** A worker that analyses the ImageBitmap it is sent with `createEmotionDetector` from `module`. */
const worker = (module: string) => `
import { createEmotionDetector } from '${module}';
self.onmessage = async ({ data }) => {
  try {
    const detector = await createEmotionDetector({ backend: 'wasm', models: ['mini-xception'] });
    const result = await detector.detect(data.bitmap);
    detector.close();
    self.postMessage({ faceDetector: result.faceDetector, backend: detector.backend, faces: result.faces.map((f) => ({ box: f.box, top: f.top })) });
  } catch (error) {
    self.postMessage({ error: String(error && error.stack ? error.stack : error) });
  }
};`;

test('the core runs in a module worker and finds what it finds on the main thread', async ({ page }) => {
  const problems = watchPageProblems(page);
  await openCorePage(page);
  await page.route('**/__core/worker.js', (route) => route.fulfill({ contentType: 'text/javascript', body: worker('/__core/index.js') }));
  const photo = readFileSync(FIXTURES.group).toString('base64');
  const { inWorker, onPage } = await page.evaluate(async (base64) => {
    const w = window as unknown as { __core: typeof import('../../src/lib') };
    const blob = new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: 'image/jpeg' });
    const worker = new Worker('/__core/worker.js', { type: 'module' });
    const bitmap = await createImageBitmap(blob);
    const answer = new Promise<Record<string, unknown>>((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(event.message));
    });
    worker.postMessage({ bitmap }, [bitmap]);
    const inWorker = await answer;
    worker.terminate();
    const detector = await w.__core.createEmotionDetector({ backend: 'wasm', models: ['mini-xception'] });
    const result = await detector.detect(await createImageBitmap(blob));
    detector.close();
    return { inWorker, onPage: { faceDetector: result.faceDetector, backend: detector.backend, faces: result.faces.map((f) => ({ box: f.box, top: f.top })) } };
  }, photo);
  expect(inWorker.error).toBeUndefined();
  expect(onPage.faceDetector).toBe('mediapipe');
  expect(inWorker.faceDetector).toBe('mediapipe');
  expect(inWorker.backend).toBe('wasm');
  // The worker draws the photo on an OffscreenCanvas: the same faces, boxes a few pixels apart.
  type Face = (typeof onPage.faces)[number];
  const faces = inWorker.faces as Face[];
  expect(onPage.faces).toHaveLength(6);
  expect(faces).toHaveLength(6);
  const iou = (a: Face['box'], b: Face['box']) => {
    const overlap = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
    return overlap / (a.width * a.height + b.width * b.height - overlap);
  };
  for (const face of faces) {
    const other = [...onPage.faces].sort((p, q) => iou(face.box, q.box) - iou(face.box, p.box))[0];
    expect(iou(face.box, other.box)).toBeGreaterThan(0.8);
    expect(face.top.label).toBe(other.top.label);
    expect(Math.abs(face.top.probability - other.top.probability)).toBeLessThan(0.05);
  }
  expect(problems.list()).toEqual([]);
});

const WIDGET_DIST = fileURLToPath(new URL('../../widget-dist/', import.meta.url));
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };

test("the widget bundle's API loads and analyses in a module worker too, on its TF.js face detector", async ({ page }) => {
  const problems = watchPageProblems(page);
  await openCorePage(page);
  // widget-dist under /__widget/: the bundle finds its vendor/ and models/ beside itself.
  await page.route('**/__widget/**', (route) => {
    const file = join(WIDGET_DIST, new URL(route.request().url()).pathname.slice('/__widget/'.length));
    if (!file.startsWith(WIDGET_DIST) || !existsSync(file)) return route.fulfill({ status: 404 });
    return route.fulfill({ contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
  });
  await page.route('**/__widget-worker.js', (route) => route.fulfill({ contentType: 'text/javascript', body: worker('/__widget/emotion-detector.js') }));
  const photo = readFileSync(FIXTURES.group).toString('base64');
  const answer = await page.evaluate(async (base64) => {
    const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: 'image/jpeg' }));
    const worker = new Worker('/__widget-worker.js', { type: 'module' });
    const done = new Promise<Record<string, unknown>>((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(event.message || 'the worker failed to load'));
    });
    worker.postMessage({ bitmap }, [bitmap]);
    const data = await done;
    worker.terminate();
    return data;
  }, photo);
  expect(answer.error).toBeUndefined();
  // The package carries MediaPipe's classic build only (a module worker cannot load it): there the
  // bundle falls back to its TF.js face detector, and says so.
  expect(answer.faceDetector).toBe('blazeface-tfjs');
  expect(answer.faces).toHaveLength(6);
  expect(problems.list()).toEqual([]);
});

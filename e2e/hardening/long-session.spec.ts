/**
 * Long webcam sessions (Chromium's fake camera, wasm backend): 3,000 analysed frames keep every
 * memory counter flat after warm-up, 50 starts and stops of the camera leak neither tensors nor
 * camera tracks, and switching models over and over while the camera runs leaks no tensors.
 * Memory is compared at "settled" points (camera stopped, last frame finished), where nothing is
 * legitimately in flight. No test may leave an uncaught error or a console error behind.
 */
import { expect, test, type CDPSession, type Page } from '@playwright/test';
import { analysedFrames, appUrl, numTensors, startCamera, waitForFrames } from '../helpers';
import { serveAttentionModel } from '../models';
import { domCounters, jsHeapAfterGc, MB, tfMemory, trackWasmHeaps, wasmHeapSizes, type TfMemory } from './memory';
import { watchPageProblems, type PageProblems } from './page-problems';

const LONG_SESSION_FRAMES = 3_000;
const CHECKPOINT_FRAMES = 500;
/** Tensors a frame holds while it is being analysed (the frame, the face batch, the model output). */
const IN_FLIGHT_TENSORS = 10;
/**
 * JS heap the session may legitimately keep: the timeline records one sample per frame (a few
 * hundred bytes each, capped at 18,000 samples) for the CSV/JSON export. A per-frame leak of a
 * canvas, an ImageData or a result would be megabytes per hundred frames.
 */
const HEAP_GROWTH_LIMIT = 4 * MB;

interface Snapshot {
  tf: TfMemory;
  wasmHeaps: number[];
  jsHeap: number;
  dom: { nodes: number; jsEventListeners: number };
}

let problems: PageProblems;

test.beforeEach(({ page }) => {
  problems = watchPageProblems(page);
});

// Nothing thrown, no unhandled rejection, no console error all session long.
test.afterEach(() => {
  expect(problems.list()).toEqual([]);
});

async function snapshot(page: Page, cdp: CDPSession): Promise<Snapshot> {
  return {
    tf: await tfMemory(page),
    wasmHeaps: await wasmHeapSizes(page, cdp),
    jsHeap: await jsHeapAfterGc(cdp),
    dom: await domCounters(cdp),
  };
}

/** Stops the camera and waits for the last detection to finish. */
async function stopAndSettle(page: Page): Promise<void> {
  await page.getByTestId('stop-camera').click();
  await expect(page.getByTestId('webcam-stage')).toHaveAttribute('data-phase', 'idle');
  await page.waitForTimeout(500);
}

test(`${LONG_SESSION_FRAMES} webcam frames: tensors, wasm heaps, JS heap and DOM stay flat`, async ({ page }) => {
  // Driven by frame count at whatever speed the machine gives: ~25 analysed frames per second with
  // one other CPU-heavy job (2 minutes), ~3 per second with a training and the other test worker
  // both running (measured: not done after 15 minutes). The bound is only there to catch a hang.
  test.setTimeout(30 * 60_000);
  await trackWasmHeaps(page);
  const cdp = await page.context().newCDPSession(page);
  await page.goto(appUrl());

  // Warm-up: models, kernels, MediaPipe's graph, the tracker, the UI's first render of results.
  await startCamera(page, 50);
  await stopAndSettle(page);
  // ...and what the app defers past its first start (the service worker's registration).
  await page.waitForFunction(() => window.__moodlens?.settled === true, null, { timeout: 60_000 });
  const before = await snapshot(page, cdp);
  expect(before.tf.backend).toBe('wasm');
  expect(before.tf.numTensors).toBe(await numTensors(page)); // the probe reads the app's TF.js
  expect(before.wasmHeaps.length).toBeGreaterThanOrEqual(2); // TF.js's and MediaPipe's

  const started = Date.now();
  const first = await analysedFrames(page);
  await startCamera(page);
  const tensorsWhileRunning: number[] = [];
  const heapsWhileRunning: number[] = [];
  for (let done = CHECKPOINT_FRAMES; done <= LONG_SESSION_FRAMES; done += CHECKPOINT_FRAMES) {
    await waitForFrames(page, first + done, 10 * 60_000);
    tensorsWhileRunning.push((await tfMemory(page)).numTensors);
    heapsWhileRunning.push(await jsHeapAfterGc(cdp));
  }
  const frames = (await analysedFrames(page)) - first;
  const seconds = (Date.now() - started) / 1000;
  await stopAndSettle(page);
  const after = await snapshot(page, cdp);
  const measured = {
    type: 'measured',
    description:
      `${frames} frames in ${seconds.toFixed(0)} s (${(frames / seconds).toFixed(1)}/s); JS heap ${(before.jsHeap / MB).toFixed(1)} -> ` +
      `${(after.jsHeap / MB).toFixed(1)} MB, while running ${heapsWhileRunning.map((h) => (h / MB).toFixed(1)).join(', ')} MB; ` +
      `tensors ${before.tf.numTensors} -> ${after.tf.numTensors}, while running ${tensorsWhileRunning.join(', ')}; ` +
      `wasm heaps ${before.wasmHeaps.join(', ')} -> ${after.wasmHeaps.join(', ')} bytes; DOM ${JSON.stringify(before.dom)} -> ${JSON.stringify(after.dom)}`,
  };
  test.info().annotations.push(measured);
  console.log(measured.description);

  expect(frames).toBeGreaterThanOrEqual(LONG_SESSION_FRAMES);
  // The result really came from the camera: the fake camera shows one face.
  expect(await page.evaluate(() => window.__moodlens?.lastResult?.faces.length)).toBe(1);
  // What TF.js counts is back to exactly its settled value, and never drifted while running.
  expect(after.tf).toEqual(before.tf);
  for (const count of tensorsWhileRunning) expect(count).toBeLessThanOrEqual(before.tf.numTensors + IN_FLIGHT_TENSORS);
  // Neither wasm heap grew (they never shrink, so any per-frame leak there would show).
  expect(after.wasmHeaps).toEqual(before.wasmHeaps);
  expect(after.jsHeap - before.jsHeap).toBeLessThan(HEAP_GROWTH_LIMIT);
  // No elements or listeners pile up (e.g. one per frame or per UI refresh).
  expect(after.dom.nodes - before.dom.nodes).toBeLessThan(50);
  expect(after.dom.jsEventListeners - before.dom.jsEventListeners).toBeLessThanOrEqual(0);
});

test('starting and stopping the camera 50 times leaks no tensors and leaves no live camera track', async ({ page }) => {
  test.setTimeout(10 * 60_000);
  // Every stream the page is given, to check afterwards that each of its tracks was stopped.
  await page.addInitScript(() => {
    const streams: MediaStream[] = [];
    (window as unknown as { __streams: MediaStream[] }).__streams = streams;
    const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await getUserMedia(constraints);
      streams.push(stream);
      return stream;
    };
  });
  const trackStates = () =>
    page.evaluate(() =>
      (window as unknown as { __streams: MediaStream[] }).__streams.flatMap((s) => s.getTracks().map((t) => t.readyState)),
    );
  await page.goto(appUrl());
  await startCamera(page, 10);
  await stopAndSettle(page);
  const before = await tfMemory(page);

  const cycles = 50;
  for (let cycle = 1; cycle <= cycles; cycle++) {
    if (cycle % 10 === 0) {
      // Cancelled while the camera is still opening: the stream that arrives late is stopped too.
      await page.getByTestId('start-camera').click();
      await page.getByTestId('stop-camera').click();
      await expect(page.getByTestId('webcam-stage')).toHaveAttribute('data-phase', 'idle');
    } else {
      await startCamera(page, 1);
      await page.getByTestId('stop-camera').click();
      await expect(page.getByTestId('webcam-stage')).toHaveAttribute('data-phase', 'idle');
    }
  }

  // Each start opened a camera (the warm-up's and 50 more), and every track of each one has ended.
  await expect.poll(async () => (await trackStates()).length).toBe(cycles + 1);
  await expect.poll(trackStates).toEqual(Array(cycles + 1).fill('ended'));
  expect(await page.evaluate(() => document.querySelector('video')?.srcObject ?? null)).toBeNull();
  await page.waitForTimeout(500);
  expect(await tfMemory(page)).toEqual(before);
});

test('switching models 10 times while the camera runs leaks no tensors', async ({ page }) => {
  test.setTimeout(10 * 60_000);
  // The accurate model: a random-weight AER-CNN export (see e2e/models.ts), whatever the build ships.
  await serveAttentionModel(page, 'aer-cnn');
  // serveAttentionModel answers 404 for the shipped blend.json: it measured another attention model.
  problems.allowFailedLoads(/\/models\/blend\.json$/);
  await page.goto(appUrl());
  const pick = async (choice: 'fast' | 'accurate' | 'both', modelName: string) => {
    await page.getByTestId(`model-choice-${choice}`).locator('input').check();
    await expect(page.getByTestId('model-name')).toHaveText(modelName);
    // Frames analysed with the new models, and the camera still running.
    await waitForFrames(page, (await analysedFrames(page)) + 3);
    await expect(page.getByTestId('webcam-stage')).toHaveAttribute('data-phase', 'running');
  };
  const roundTrip = async () => {
    await pick('accurate', 'attention');
    await pick('both', 'mini-xception + attention');
    await pick('fast', 'mini-xception');
  };

  await startCamera(page, 5);
  await roundTrip(); // warm-up: each model's kernels
  await stopAndSettle(page);
  const before = await tfMemory(page);
  expect(before.numTensors).toBeGreaterThan(0);

  await startCamera(page);
  for (let round = 0; round < 10; round++) await roundTrip();

  // A switch that fails (damaged weights) keeps the fast model and frees what it had loaded.
  await page.route('**/models/attention/*.bin', (route) => route.fulfill({ status: 200, body: Buffer.from('not weights') }));
  await page.getByTestId('model-choice-accurate').locator('input').check();
  await expect(page.getByTestId('model-error')).toContainText('attention');
  await expect(page.getByTestId('model-name')).toHaveText('mini-xception');
  await waitForFrames(page, (await analysedFrames(page)) + 3);
  await expect(page.getByTestId('webcam-error')).toHaveCount(0);

  await stopAndSettle(page);
  expect(await tfMemory(page)).toEqual(before);
});

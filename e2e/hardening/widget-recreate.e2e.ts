/**
 * <emotion-detector> created, used and removed 50 times on a host page of another origin: camera
 * and photo widgets in turn. Each removal gives back the last share of the detector, so each cycle
 * loads a fresh detector and closes it. Afterwards no tensor, wasm heap or camera track is left, and
 * elements, listeners and JS heap grow by no more than the last few widgets awaiting garbage collection.
 *
 * A *.e2e.ts file: it runs in the widget project, with its servers (playwright.config.ts).
 */
import { expect, test, type CDPSession, type Page } from '@playwright/test';
import { manifest } from '../helpers';
import { installProbe, trackStates, waitForEmotions, widgetLog } from '../widget/probe';
import * as memory from './memory';
import { watchPageProblems } from './page-problems';

const CYCLES = 50;
/** Enough for TF.js's wasm heap to reach its high-water mark (a camera frame, then a photo). */
const WARM_UP_CYCLES = 4;
/**
 * The last widgets removed may not be garbage yet (seen: one or two, ~200 nodes and a few
 * listeners each); a leak of every widget would be 50 times that.
 */
const LAST_FEW_WIDGETS = { nodes: 3 * 220, listeners: 3 * 5 };

/** Adds a widget, lets it analyse, removes it. Even cycles use the camera, odd ones the group photo. */
async function cycle(page: Page, index: number): Promise<void> {
  const id = `w${index}`;
  const camera = index % 2 === 0;
  await page.evaluate(
    async ({ id, camera }) => {
      const widget = document.createElement('emotion-detector') as HTMLElement & { start(): Promise<void> };
      widget.id = id;
      widget.setAttribute('backend', 'wasm');
      widget.setAttribute('source', camera ? 'camera' : '/fixtures/group.jpg');
      document.body.append(widget);
      await widget.start();
    },
    { id, camera },
  );
  const detail = await waitForEmotions(page, id);
  expect(detail.faces).toHaveLength(camera ? 1 : manifest().group.faces);
  await page.evaluate((id) => document.getElementById(id)!.remove(), id);
}

/**
 * Track states of the streams handed out so far, after which the probe forgets them: it holds
 * every stream, and a track holds its listeners, which would keep each camera widget alive.
 */
async function takeTrackStates(page: Page): Promise<string[]> {
  const states = await trackStates(page);
  await page.evaluate(() => (window.__streams = []));
  return states;
}

async function measure(page: Page, cdp: CDPSession) {
  return {
    tf: await memory.tfMemory(page),
    wasmHeaps: await memory.wasmHeapSizes(page, cdp),
    jsHeap: await memory.jsHeapAfterGc(cdp),
    dom: await memory.domCounters(cdp),
    scripts: await memory.mediaPipeLoaderScripts(page),
  };
}

test(`a widget created and removed ${CYCLES} times leaves nothing behind`, async ({ page }) => {
  test.setTimeout(15 * 60_000);
  const problems = watchPageProblems(page);
  // The test's host page has no icon, so Chromium asks its server for /favicon.ico (a 404).
  problems.allowFailedLoads(/^http:\/\/127\.0\.0\.1:\d+\/favicon\.ico$/);
  await installProbe(page);
  await memory.trackWasmHeaps(page);
  const cdp = await page.context().newCDPSession(page);
  await page.goto('/bare.html');

  // Warm-up: the module's chunks, TF.js's backend and kernels, camera and photo widgets.
  for (let index = 0; index < WARM_UP_CYCLES; index++) await cycle(page, index);
  await memory.shrinkLayersGraphCache(page);
  expect(await takeTrackStates(page)).toEqual(Array(WARM_UP_CYCLES / 2).fill('ended'));
  await page.waitForTimeout(500);
  const before = await measure(page, cdp);

  const started = Date.now();
  for (let index = WARM_UP_CYCLES; index < WARM_UP_CYCLES + CYCLES; index++) await cycle(page, index);
  const seconds = (Date.now() - started) / 1000;
  // Every camera was released.
  expect(await takeTrackStates(page)).toEqual(Array(CYCLES / 2).fill('ended'));
  await page.waitForTimeout(500);
  const after = await measure(page, cdp);

  const log = await widgetLog(page);
  expect(Object.keys(log.errors)).toEqual([]);
  expect(problems.list()).toEqual([]);
  expect(Object.keys(log.ready)).toHaveLength(WARM_UP_CYCLES + CYCLES);
  expect(await page.locator('emotion-detector').count()).toBe(0);

  const scripts = after.scripts - before.scripts;
  const measured =
    `${CYCLES} cycles in ${seconds.toFixed(0)} s; tensors ${before.tf.numTensors} -> ${after.tf.numTensors}; ` +
    `wasm heaps ${before.wasmHeaps.join(', ')} -> ${after.wasmHeaps.join(', ')}; JS heap ${(before.jsHeap / memory.MB).toFixed(1)} -> ` +
    `${(after.jsHeap / memory.MB).toFixed(1)} MB; DOM ${JSON.stringify(before.dom)} -> ${JSON.stringify(after.dom)}; ${scripts} MediaPipe loader scripts added`;
  test.info().annotations.push({ type: 'measured', description: measured });
  console.log(measured);

  // No detector outlives its widgets: TF.js holds what it held after the warm-up, and no
  // MediaPipe instance piles up (closed detectors' heaps are garbage).
  expect(after.tf).toEqual(before.tf);
  expect(after.wasmHeaps).toEqual(before.wasmHeaps);
  // Removed widgets are garbage: growth is at most the last few widgets; MediaPipe's loader
  // scripts are removed (faceDetector.ts).
  expect(scripts).toBe(0);
  expect(after.dom.nodes - before.dom.nodes).toBeLessThanOrEqual(LAST_FEW_WIDGETS.nodes);
  expect(after.dom.jsEventListeners - before.dom.jsEventListeners).toBeLessThanOrEqual(LAST_FEW_WIDGETS.listeners);
  // (about 1.3 MB measured: MediaPipe's loader code, evaluated once per detector and kept by its
  // module rather than by the removed <script> elements; 50 leaked widgets would be far more)
  expect(after.jsHeap - before.jsHeap).toBeLessThan(2 * memory.MB);
});

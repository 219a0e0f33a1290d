/** Webcam view with Chromium's fake camera playing the astronaut clip (see make-fixtures.py). */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import {
  analysedFrames,
  appUrl,
  heldTrackState,
  holdCameraTrack,
  intersectionOverUnion,
  lastResult,
  LOAD_TIMEOUT,
  manifest,
  numTensors,
  probabilitySum,
  ranked,
  startCamera,
  waitForFrames,
} from './helpers';

test('the camera only starts when asked', async ({ page }) => {
  await page.addInitScript(() => {
    (window as unknown as { __cameraRequests: number }).__cameraRequests = 0;
    const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = (constraints) => {
      (window as unknown as { __cameraRequests: number }).__cameraRequests++;
      return original(constraints);
    };
  });
  const cameraRequests = () => page.evaluate(() => (window as unknown as { __cameraRequests: number }).__cameraRequests);
  await page.goto(appUrl());
  await expect(page.getByTestId('start-camera')).toBeVisible();
  await expect(page.getByTestId('privacy-note')).toContainText(/never leave your\s+device/);
  await page.waitForTimeout(1000);
  expect(await cameraRequests()).toBe(0);
  // The camera picker needs permission (device labels), so it only appears after Start.
  await expect(page.getByTestId('camera-select')).toHaveCount(0);

  await startCamera(page);
  expect(await cameraRequests()).toBe(1);
  const picker = page.getByTestId('camera-select');
  await expect(picker.locator('option')).not.toHaveCount(0);
  await expect(picker.locator('option').first()).toHaveText(/face\.y4m/); // Chromium names the fake camera after its file
});

test('boxes the face, reads its expression and shows speed and engine', async ({ page }) => {
  const video = manifest().video;
  await page.goto(appUrl());
  await startCamera(page, 5);

  const result = await lastResult(page);
  expect(result.width).toBe(video.width);
  expect(result.height).toBe(video.height);
  expect(result.faces).toHaveLength(1);
  const [face] = result.faces;
  expect(intersectionOverUnion(face.box, video.face)).toBeGreaterThan(0.4);
  expect(probabilitySum(face.probabilities)).toBeCloseTo(1, 3);
  // The astronaut smiles broadly.
  expect(ranked(face.probabilities).slice(0, 2)).toContain('happy');

  await expect(page.getByTestId('face-row')).toHaveCount(1);
  await expect(page.getByTestId('face-count')).toHaveText('1');
  await expect(page.getByTestId('fps')).not.toHaveText(/^(–|0\.0)$/);
  for (const stage of ['detect', 'preprocess', 'classify']) {
    await expect(page.getByTestId(`timing-${stage}`)).toHaveText(/^\d+\.\d ms$/);
  }
  await expect(page.getByTestId('webcam-backend')).toHaveText('wasm');
  await expect(page.getByTestId('backend')).toContainText('WebAssembly');

  // The overlay has the video's size and something drawn on it.
  const overlay = await page.getByTestId('webcam-overlay').evaluate((canvas: HTMLCanvasElement) => {
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
    return { width: canvas.width, height: canvas.height, painted };
  });
  expect(overlay).toMatchObject({ width: video.width, height: video.height });
  expect(overlay.painted).toBeGreaterThan(1000);
});

test('while MediaPipe still loads, the TF.js face detector reads the first frames; then MediaPipe takes over', async ({ page }) => {
  const video = manifest().video;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  // MediaPipe's model arrives only when the test says so: a slow network or a slow machine.
  await page.route('**/vendor/face_detector.tflite', async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(appUrl());
  await startCamera(page, 2);
  const early = await lastResult(page);
  expect(early.faceDetector).toBe('blazeface-tfjs');
  expect(intersectionOverUnion(early.faces[0].box, video.face)).toBeGreaterThan(0.4);
  await expect(page.getByTestId('face-detector')).toContainText('until MediaPipe has loaded');

  release();
  await page.waitForFunction(() => window.__moodlens?.lastResult?.faceDetector === 'mediapipe', null, { timeout: LOAD_TIMEOUT });
  await expect(page.getByTestId('face-detector')).toHaveAttribute('data-detector', 'mediapipe');
  await expect(page.getByTestId('face-detector')).toContainText('MediaPipe');
  const late = await lastResult(page);
  expect(late.faces).toHaveLength(1);
  expect(intersectionOverUnion(late.faces[0].box, video.face)).toBeGreaterThan(0.4);
});

test('records a timeline of the main face and exports it as CSV and JSON', async ({ page }) => {
  await page.goto(appUrl());
  await startCamera(page, 8);
  await expect(page.locator('svg polyline').first()).toHaveAttribute('points', /\d+(\.\d)?,\d+(\.\d)? \d/);
  await page.getByTestId('stop-camera').click();

  const count = Number((await page.getByTestId('recorded-count').textContent())?.match(/\d+/)?.[0]);
  expect(count).toBeGreaterThanOrEqual(8);

  const csvDownload = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const csv = readFileSync(await (await csvDownload).path(), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('time_ms,face_id,angry,disgust,fear,happy,sad,surprise,neutral,top');
  expect(csv).toHaveLength(count + 1);
  const firstRow = csv[1].split(',');
  const sum = firstRow.slice(2, 9).reduce((total, value) => total + Number(value), 0);
  expect(sum).toBeCloseTo(1, 2);

  const jsonDownload = page.waitForEvent('download');
  await page.getByTestId('export-json').click();
  const json = JSON.parse(readFileSync(await (await jsonDownload).path(), 'utf8'));
  expect(json).toMatchObject({ model: 'mini-xception', backend: 'wasm' });
  expect(json.samples).toHaveLength(count);
  expect(json.samples[0]).toHaveProperty('probabilities.happy');
});

test('the mirror toggle flips the preview and keeps boxes on the face', async ({ page }) => {
  const video = manifest().video;
  await page.goto(appUrl());
  await startCamera(page);

  // Columns of the overlay with box pixels, compared with where the face is in the unflipped source.
  const paintedColumns = () =>
    page.getByTestId('webcam-overlay').evaluate((canvas: HTMLCanvasElement) => {
      const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const columns: number[] = [];
      for (let x = 0; x < width; x++) {
        let count = 0;
        for (let y = 0; y < height; y++) if (data[(y * width + x) * 4 + 3] > 0) count++;
        columns.push(count);
      }
      return columns;
    });
  const weightedCenter = (columns: number[]) => {
    const total = columns.reduce((a, b) => a + b, 0);
    return columns.reduce((acc, count, x) => acc + count * x, 0) / total;
  };
  const faceCenter = video.face.x + video.face.width / 2; // ~258: left of the middle (320)

  await expect(page.locator('video')).toHaveClass(/mirrored/);
  const mirroredCenter = weightedCenter(await paintedColumns());
  expect(mirroredCenter).toBeGreaterThan(video.width / 2);
  expect(Math.abs(mirroredCenter - (video.width - faceCenter))).toBeLessThan(60);

  await page.getByTestId('mirror-toggle').uncheck();
  await expect(page.locator('video')).not.toHaveClass(/mirrored/);
  await waitForFrames(page, (await analysedFrames(page)) + 3);
  const plainCenter = weightedCenter(await paintedColumns());
  expect(plainCenter).toBeLessThan(video.width / 2);
  expect(Math.abs(plainCenter - faceCenter)).toBeLessThan(60);
});

test('while the models load, the live picture says so, on a readable panel', async ({ page }) => {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/models/mini-xception/model.json', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(appUrl());
  await page.getByTestId('start-camera').click();
  const loading = page.getByTestId('webcam-loading');
  // The camera is on (its picture shows) while the models are still held back.
  await expect(loading).toHaveAttribute('data-waiting-for', 'models', { timeout: LOAD_TIMEOUT });
  await expect(loading).toContainText('Loading the face and emotion models');
  expect(await page.evaluate(() => (document.querySelector('video')?.srcObject as MediaStream | null)?.active)).toBe(true);
  const panel = await loading.locator('.panel').evaluate((element) => getComputedStyle(element).backgroundColor);
  expect(panel).toMatch(/rgba?\(12, 14, 20/);
  // Real progress: what is loading and the bytes so far (the TF.js face detector's weights arrive
  // meanwhile; MediaPipe loads once the first frames are read).
  const progress = loading.getByTestId('load-progress');
  await expect(progress).toContainText('emotion models');
  await expect(progress).toContainText(/\d+(\.\d)? [KM]B of \d+\.\d MB/, { timeout: LOAD_TIMEOUT });
  expect(Number(await progress.getAttribute('data-fraction'))).toBeLessThan(1);
  release();
  await expect(page.getByTestId('webcam-stage')).toHaveAttribute('data-phase', 'running', { timeout: LOAD_TIMEOUT });
  await expect(loading).toHaveCount(0);
});

test('stopping releases the camera', async ({ page }) => {
  await page.goto(appUrl());
  await startCamera(page);
  await holdCameraTrack(page);
  expect(await heldTrackState(page)).toBe('live');

  await page.getByTestId('stop-camera').click();
  expect(await heldTrackState(page)).toBe('ended');
  await expect(page.getByTestId('start-camera')).toBeVisible();
  // Nothing on screen claims to be measuring any more.
  for (const stat of ['fps', 'timing-detect', 'timing-preprocess', 'timing-classify', 'face-count']) {
    await expect(page.getByTestId(stat)).toHaveText('–');
  }
  expect(await page.evaluate(() => document.querySelector('video')?.srcObject ?? null)).toBeNull();
});

test('switching to the Photo tab releases the camera', async ({ page }) => {
  await page.goto(appUrl());
  await startCamera(page);
  await holdCameraTrack(page);
  await page.getByRole('tab', { name: 'Photo' }).click();
  await expect(page.getByTestId('dropzone')).toBeVisible();
  expect(await heldTrackState(page)).toBe('ended');
});

test('a page left in the background releases the camera after a while', async ({ page }) => {
  // Headless pages are always visible: let the test say when the page is hidden.
  await page.addInitScript(() => {
    let hidden = false;
    Object.defineProperty(document, 'visibilityState', { get: () => (hidden ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { get: () => hidden });
    (window as unknown as { setHidden: (h: boolean) => void }).setHidden = (value) => {
      hidden = value;
      document.dispatchEvent(new Event('visibilitychange'));
    };
  });
  // The glance (0.3 s) is far shorter than the limit (4 s), so a loaded machine cannot turn it into a stop.
  await page.goto(appUrl({ hiddenStopMs: '4000' }));
  await startCamera(page);
  await holdCameraTrack(page);
  const setHidden = (value: boolean) =>
    page.evaluate((h) => (window as unknown as { setHidden: (h: boolean) => void }).setHidden(h), value);

  // A short glance away keeps the camera.
  await setHidden(true);
  await page.waitForTimeout(300);
  await setHidden(false);
  await page.waitForTimeout(1500);
  expect(await heldTrackState(page)).toBe('live');

  await setHidden(true);
  await expect(page.getByTestId('webcam-notice')).toContainText('background');
  expect(await heldTrackState(page)).toBe('ended');
  await setHidden(false);
  await startCamera(page);
});

test('a camera that goes away mid-stream is reported and can be restarted', async ({ page }) => {
  await page.goto(appUrl());
  await startCamera(page);
  // What the browser does when the camera is unplugged: the track ends.
  await page.evaluate(() => {
    const track = (document.querySelector('video')!.srcObject as MediaStream).getVideoTracks()[0];
    track.stop();
    track.dispatchEvent(new Event('ended'));
  });
  await expect(page.getByTestId('webcam-error')).toContainText('camera stopped sending video');
  await expect(page.getByTestId('start-camera')).toBeVisible();

  await startCamera(page);
  await expect(page.getByTestId('webcam-error')).toHaveCount(0);
});

test('a camera stopped without an ended event is noticed too', async ({ page }) => {
  await page.goto(appUrl());
  await startCamera(page);
  await page.evaluate(() => (document.querySelector('video')!.srcObject as MediaStream).getVideoTracks()[0].stop());
  await expect(page.getByTestId('webcam-error')).toContainText('camera stopped sending video');
});

test('no tensor leaks over 100 webcam frames', async ({ page }) => {
  // Counted with the camera stopped and the last detection settled, so no frame is half-way.
  const settledTensorCount = async () => {
    await page.getByTestId('stop-camera').click();
    await page.waitForTimeout(500);
    return numTensors(page);
  };
  await page.goto(appUrl());
  await startCamera(page, 10); // warm-up: models, backend kernels, tracker
  const tensorsBefore = await settledTensorCount();
  expect(tensorsBefore).toBeGreaterThan(0); // the model's weights: the probe really reads tf.memory()

  const framesBefore = await analysedFrames(page);
  await startCamera(page, 100);
  expect(await analysedFrames(page)).toBeGreaterThanOrEqual(framesBefore + 100);
  expect(await settledTensorCount()).toBe(tensorsBefore);
});

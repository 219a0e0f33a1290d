/** A local video file, analysed moment by moment: progress, boxes, a timeline per face, exports,
 * cancel, and bad files. The clips are the group photo panning slowly (fixtures/webm-clip.ts). */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { FIXTURES } from './fixtures/paths';
import { makeClip } from './fixtures/webm-clip';
import { appUrl, lastResult, LOAD_TIMEOUT, manifest, numTensors } from './helpers';

test('a video file: progress, boxes, every face on the timeline, per-face summary and exports', async ({ page }) => {
  const faces = manifest().group.faces;
  await page.goto(appUrl({}, 'video'));
  // Like most browser recordings (MediaRecorder), it declares no length: the app must find it.
  const clip = await makeClip(page, { seconds: 3, declareDuration: false });
  await page.getByTestId('video-rate').selectOption('5');
  await page.getByTestId('video-input').setInputFiles({ name: 'interview.webm', mimeType: 'video/webm', buffer: clip });

  await expect(page.getByTestId('video-progress')).toBeVisible({ timeout: LOAD_TIMEOUT });
  await expect(page.getByTestId('video-cancel')).toBeVisible();
  await expect(page.getByTestId('video-progress')).toHaveCount(0, { timeout: LOAD_TIMEOUT });
  await expect(page.getByTestId('video-error')).toHaveCount(0);

  // Its length was found and read at 5 moments a second.
  const duration = await page.getByTestId('video-player').evaluate((video: HTMLVideoElement) => video.duration);
  expect(duration).toBeCloseTo(3, 1);
  const moments = 15;

  // Every face tracked through the clip, with one id each.
  const options = page.getByTestId('timeline-face').locator('option');
  await expect(options).toHaveCount(faces + 1); // "seen most" + one per face
  expect((await lastResult(page)).faces).toHaveLength(faces);
  await expect(page.getByTestId('timeline-summary')).toContainText('happy');
  await expect(page.getByTestId('timeline-ticks')).toContainText('0:01');

  // Exports: every face, then the one chosen.
  const allDownload = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const all = await allDownload;
  expect(all.suggestedFilename()).toBe('interview-moodlens.csv');
  const rows = readFileSync(await all.path(), 'utf8').trim().split('\n').slice(1);
  const ids = new Set(rows.map((row) => row.split(',')[1]));
  expect(ids.size).toBe(faces);
  expect(rows.length).toBeGreaterThanOrEqual(faces * (moments - 1));
  expect(rows.length).toBeLessThanOrEqual(faces * moments);
  const times = rows.map((row) => Number(row.split(',')[0]));
  expect(Math.max(...times)).toBeGreaterThan((duration - 0.5) * 1000); // video time, not wall-clock time

  const chosen = await options.nth(2).getAttribute('value');
  await page.getByTestId('timeline-face').selectOption(chosen!);
  const oneDownload = page.waitForEvent('download');
  await page.getByTestId('export-face-json').click();
  const one = JSON.parse(readFileSync(await (await oneDownload).path(), 'utf8'));
  expect(one).toMatchObject({ video: 'interview.webm', samplesPerSecond: 5, model: 'mini-xception', backend: 'wasm' });
  expect(new Set(one.samples.map((s: { faceId: number }) => s.faceId))).toEqual(new Set([Number(chosen)]));

  // Scrubbing shows the boxes of that moment.
  await page.getByTestId('video-player').evaluate(async (video: HTMLVideoElement) => {
    const seeked = new Promise((resolve) => video.addEventListener('seeked', resolve, { once: true }));
    video.currentTime = 1.2;
    await seeked;
  });
  const painted = await page.getByTestId('video-overlay').evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) count++;
    return count;
  });
  expect(painted).toBeGreaterThan(1000);
});

test('a video file can be cancelled, keeps what was analysed, and leaks no tensors', async ({ page }) => {
  await page.goto(appUrl({}, 'video'));
  const clip = await makeClip(page, { seconds: 6 });
  await page.getByTestId('video-rate').selectOption('25');
  const input = page.getByTestId('video-input');
  await input.setInputFiles({ name: 'long.webm', mimeType: 'video/webm', buffer: clip });
  await page.waitForFunction(() => (window.__moodlens?.frames ?? 0) >= 3, null, { timeout: LOAD_TIMEOUT });
  await page.getByTestId('video-cancel').click();
  await expect(page.getByTestId('video-stopped')).toContainText('Stopped at');
  await expect(page.getByTestId('timeline-summary')).toBeVisible();
  const afterFirst = await numTensors(page);

  // The same file again, to the end: nothing left behind by the first run.
  await page.getByTestId('video-rate').selectOption('5');
  await input.setInputFiles({ name: 'long.webm', mimeType: 'video/webm', buffer: clip });
  await expect(page.getByTestId('video-progress')).toBeVisible({ timeout: LOAD_TIMEOUT });
  await expect(page.getByTestId('video-progress')).toHaveCount(0, { timeout: LOAD_TIMEOUT });
  await expect(page.getByTestId('video-stopped')).toHaveCount(0);
  expect(await numTensors(page)).toBe(afterFirst);
});

test('a file that is not a playable video gets a clear message, and the view still works', async ({ page }) => {
  await page.goto(appUrl({}, 'video'));
  const input = page.getByTestId('video-input');
  await input.setInputFiles({ name: 'broken.webm', mimeType: 'video/webm', buffer: Buffer.from('not a video at all') });
  await expect(page.getByTestId('video-error')).toContainText('cannot be played', { timeout: LOAD_TIMEOUT });
  await input.setInputFiles(FIXTURES.group);
  await expect(page.getByTestId('video-error')).toContainText('is a picture, not a video');
  const clip = await makeClip(page, { seconds: 1 });
  await input.setInputFiles({ name: 'short.webm', mimeType: 'video/webm', buffer: clip });
  await expect(page.getByTestId('timeline-summary')).toBeVisible({ timeout: LOAD_TIMEOUT });
  await expect(page.getByTestId('video-error')).toHaveCount(0);

  // A video given to the photo view is sent where it belongs.
  await page.getByRole('tab', { name: 'Photo' }).click();
  await page.getByTestId('photo-input').setInputFiles({ name: 'short.webm', mimeType: 'video/webm', buffer: clip });
  await expect(page.getByTestId('photo-error')).toContainText('short.webm is a video: analyse it in the Video file tab');
});

/**
 * <emotion-detector> embedded in plain pages of another origin: a camera widget and a photo widget
 * side by side, one shared detector, styles kept apart, camera released on removal, and nothing
 * requested from any third host (MediaPipe's usage logger included: its 60 s timer is run).
 */
import { expect, test } from '@playwright/test';
import { intersectionOverUnion, manifest } from '../helpers';
import { expectMostlyHappy, expectPlausible } from './checks';
import { eventCount, foreignRequests, installProbe, recordRequests, trackStates, waitForEmotions, widgetLog, widgetUrl } from './probe';
import { HOST_ORIGIN } from './servers';

const LOGGER_FLUSH_MS = 60_000;

test('a camera widget and a photo widget on a page of another origin', async ({ page, context }) => {
  const urls = recordRequests(context);
  await installProbe(page);
  await page.clock.install();
  await page.goto('/two-widgets.html');
  const fixtures = manifest();

  // The photo widget starts by itself (autostart, on screen).
  const photo = await waitForEmotions(page, 'photo');
  expect(photo.source).toBe(`${HOST_ORIGIN}/fixtures/group.jpg`);
  expect([photo.width, photo.height]).toEqual([fixtures.group.width, fixtures.group.height]);
  expect(photo.faces).toHaveLength(fixtures.group.faces);
  expect(photo.faces.map((face) => face.id)).toEqual(photo.faces.map((_, i) => i + 1));
  expectPlausible(photo);
  expectMostlyHappy(photo);

  // The camera waits for its button; the page's `button { display: none !important }` does not reach it.
  expect(await trackStates(page)).toEqual([]);
  const start = page.locator('#camera').getByRole('button', { name: 'Start camera' });
  await expect(start).toBeVisible();
  await start.click();
  const frame = await waitForEmotions(page, 'camera', 5);
  expect(frame.source).toBe('camera');
  expect([frame.width, frame.height]).toEqual([fixtures.video.width, fixtures.video.height]);
  expect(frame.faces).toHaveLength(1);
  expectPlausible(frame);
  expect(intersectionOverUnion(frame.faces[0].box, fixtures.video.face)).toBeGreaterThan(0.4);
  // Tracked: the face keeps its id from the first frame on.
  const log = await widgetLog(page);
  expect(new Set(log.emotions.camera.flatMap((detail) => detail.faces.map((face) => face.id)))).toEqual(new Set([frame.faces[0].id]));
  expect(log.ready).toEqual({
    camera: { backend: 'wasm', models: ['mini-xception'] },
    photo: { backend: 'wasm', models: ['mini-xception'] },
  });
  expect(log.errors).toEqual({});

  // One detector for both widgets (same options): the models were fetched once (the short-range
  // face model once per MediaPipe task: video's, and the photos' second looks).
  const fetched = (path: string) => urls.filter((url) => url === widgetUrl(path)).length;
  expect(fetched('models/mini-xception/model.json')).toBe(1);
  expect(fetched('vendor/face_detector.tflite')).toBe(2);

  // Styles stay apart both ways.
  const styles = await page.evaluate(() => {
    const camera = document.getElementById('camera')!.shadowRoot!;
    const style = (element: Element) => getComputedStyle(element);
    return {
      widgetFont: style(camera.querySelector('.stage')!).fontFamily,
      widgetColor: style(camera.querySelector('.stage')!).color,
      widgetCanvasBorder: style(camera.querySelector('canvas')!).borderTopWidth,
      videoTransform: style(camera.querySelector('video')!).transform,
      pageButtonBackground: style(document.getElementById('page-button')!).backgroundColor,
    };
  });
  expect(styles.widgetFont).toContain('system-ui'); // the page forces serif on *, the widget keeps its own
  expect(styles.widgetColor).not.toBe('rgb(0, 128, 0)');
  expect(styles.widgetCanvasBorder).toBe('0px');
  expect(styles.videoTransform).toBe('matrix(-1, 0, 0, 1, 0, 0)'); // mirrored
  expect(styles.pageButtonBackground).not.toBe('rgb(91, 91, 214)');

  // show-boxes: the overlay has something drawn on it.
  const drawn = await page.evaluate(() => {
    const overlay = document.getElementById('camera')!.shadowRoot!.querySelector<HTMLCanvasElement>('canvas.overlay')!;
    const pixels = overlay.getContext('2d')!.getImageData(0, 0, overlay.width, overlay.height).data;
    let opaque = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) opaque++;
    return opaque;
  });
  expect(drawn).toBeGreaterThan(500);

  // Removing the camera widget stops its camera at once, and its analysis.
  expect(await trackStates(page)).toEqual(['live']);
  const removal = await page.evaluate(() => {
    document.getElementById('camera')!.remove();
    return { track: window.__streams[0].getTracks()[0].readyState, frames: window.__widgetLog.counts.camera.emotions };
  });
  expect(removal.track).toBe('ended');
  await page.waitForTimeout(1_500);
  expect(await eventCount(page, 'camera', 'emotions')).toBe(removal.frames);

  // MediaPipe's usage logger would flush after 60 s: run the page's clock past that.
  await page.clock.runFor(LOGGER_FLUSH_MS + 5_000);
  await page.waitForTimeout(1_000);
  expect(urls.length).toBeGreaterThan(8); // the recorder works: page, module, chunks, wasm, models, photo
  expect(foreignRequests(urls)).toEqual([]);
});

test('widgets with the same options share one detector until the last one goes', async ({ page, context }) => {
  const urls = recordRequests(context);
  await installProbe(page);
  await page.goto('/bare.html');
  const modelLoads = () => urls.filter((url) => url === widgetUrl('models/mini-xception/model.json')).length;
  const add = (id: string, extra: Record<string, string> = {}) =>
    page.evaluate(
      ([id, extra]) => {
        const widget = document.createElement('emotion-detector');
        widget.id = id;
        for (const [name, value] of Object.entries({ source: '/fixtures/group.jpg', backend: 'wasm', autostart: '', ...extra })) {
          widget.setAttribute(name, value);
        }
        document.body.append(widget);
      },
      [id, extra] as const,
    );
  const remove = (...ids: string[]) => page.evaluate((ids) => ids.forEach((id) => document.getElementById(id)!.remove()), ids);

  await add('a');
  await waitForEmotions(page, 'a');
  expect(modelLoads()).toBe(1);
  await add('b');
  await waitForEmotions(page, 'b');
  expect(modelLoads()).toBe(1);

  await remove('a'); // b still holds the detector
  await add('c');
  await waitForEmotions(page, 'c');
  expect(modelLoads()).toBe(1);

  // Other options, another detector: max-faces is applied by the face detector.
  await add('two-faces', { 'max-faces': '2' });
  const two = await waitForEmotions(page, 'two-faces');
  expect(two.faces).toHaveLength(2);
  expect(modelLoads()).toBe(2);

  await remove('b', 'c', 'two-faces'); // the last holders: both detectors are closed
  await add('d');
  const again = await waitForEmotions(page, 'd');
  expect(again.faces).toHaveLength(manifest().group.faces);
  expect(modelLoads()).toBe(3);
});

test('a photo widget shows its picture at once, and the boxes when the models are ready', async ({ page, context }) => {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await context.route(widgetUrl('models/mini-xception/model.json'), async (route) => {
    await held;
    await route.continue();
  });
  await installProbe(page);
  await page.goto('/two-widgets.html');
  const stage = page.locator('#photo').locator('.stage');
  await expect(stage).toHaveAttribute('data-state', 'loading');
  await expect(stage).toHaveAttribute('data-picture', '');
  // The picture is on screen and painted while the models are still held back.
  const shown = await page.evaluate(() => {
    const canvas = document.getElementById('photo')!.shadowRoot!.querySelector('canvas.image') as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    return { display: getComputedStyle(canvas).display, painted, pixels: canvas.width * canvas.height };
  });
  expect(shown.display).toBe('block');
  expect(shown.painted).toBe(shown.pixels);
  release();
  const photo = await waitForEmotions(page, 'photo');
  expect(photo.faces).toHaveLength(manifest().group.faces);
  await expect(stage).toHaveAttribute('data-state', 'done');
});

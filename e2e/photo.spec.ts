/** Photo view: every face in a picture is found and classified; bad input gets a clear message. */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { FIXTURES } from './fixtures/paths';
import { appUrl, lastResult, manifest, probabilitySum, ranked } from './helpers';

async function upload(page: Page, path: string): Promise<void> {
  await page.getByTestId('photo-input').setInputFiles(path);
}

test.beforeEach(async ({ page }) => {
  await page.goto(appUrl({}, 'photo'));
});

test('classifies every face of a group photo and offers the annotated PNG', async ({ page }) => {
  const expected = manifest().group;
  await upload(page, FIXTURES.group);

  await expect(page.getByTestId('face-row')).toHaveCount(expected.faces);
  await expect(page.getByTestId('photo-summary')).toHaveText(`${expected.faces} faces in group.jpg`);
  const result = await lastResult(page);
  expect(result.faces).toHaveLength(expected.faces);
  expect(result.width).toBe(expected.width);
  for (const face of result.faces) {
    expect(probabilitySum(face.probabilities)).toBeCloseTo(1, 3);
    expect(face.top.label).toBe(ranked(face.probabilities)[0]);
  }
  // Six copies of one smiling face: at least their own picture ranks 'happy' near the top.
  const happyInTopTwo = result.faces.filter((face) => ranked(face.probabilities).slice(0, 2).includes('happy'));
  expect(happyInTopTwo.length).toBeGreaterThan(expected.faces / 2);
  // The tiles do not overlap, so neither may the boxes: each face is found once.
  const centers = result.faces.map((f) => [Math.floor((f.box.x + f.box.width / 2) / 240), Math.floor((f.box.y + f.box.height / 2) / 240)]);
  expect(new Set(centers.map((c) => c.join(','))).size).toBe(expected.faces);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'wasm');

  const downloading = page.waitForEvent('download');
  await page.getByTestId('download-png').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('group-moodlens.png');
  const png = readFileSync(await download.path());
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  // IHDR width and height: the annotated picture has the photo's size.
  expect(png.readUInt32BE(16)).toBe(expected.width);
  expect(png.readUInt32BE(20)).toBe(expected.height);
});

test('faces are numbered left to right, in the list and on the boxes, and a hovered row highlights its box', async ({ page }) => {
  await upload(page, FIXTURES.group);
  await expect(page.getByTestId('face-row')).toHaveCount(manifest().group.faces);
  const result = await lastResult(page);
  const centres = result.faces.map((face) => face.box.x + face.box.width / 2);
  expect(centres).toEqual([...centres].sort((a, b) => a - b));
  expect(result.faces.map((face) => face.id)).toEqual(result.faces.map((_, i) => i + 1));
  const rows = page.getByTestId('face-row');
  expect(await rows.evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-face-id'))))).toEqual(
    result.faces.map((face) => face.id),
  );
  await expect(rows.nth(1).locator('h3')).toContainText('Face 2:');

  // The pixels are compared in the page: shipping millions of numbers out is slow on a busy machine.
  const canvas = page.getByTestId('photo-canvas');
  const keep = () => canvas.evaluate((c: HTMLCanvasElement) => {
    (window as unknown as { __before: Uint8ClampedArray }).__before = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
  });
  /** Pixels changed since keep(), in all and outside `box` grown by 12 px. */
  const changes = (box: { x: number; y: number; width: number; height: number }) =>
    canvas.evaluate((c: HTMLCanvasElement, b) => {
      const before = (window as unknown as { __before: Uint8ClampedArray }).__before;
      const now = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let changed = 0;
      let outside = 0;
      for (let i = 0; i < now.length; i++) {
        if (now[i] === before[i]) continue;
        changed++;
        const pixel = Math.floor(i / 4);
        const [x, y] = [pixel % c.width, Math.floor(pixel / c.width)];
        if (x < b.x - 12 || x > b.x + b.width + 12 || y < b.y - 12 || y > b.y + b.height + 12) outside++;
      }
      return { changed, outside };
    }, box);
  await keep();
  await rows.nth(1).hover();
  const { changed, outside } = await changes(result.faces[1].box);
  expect(changed).toBeGreaterThan(100);
  // Only around the second face's box.
  expect(outside).toBe(0);
});

test('a photo without a face says so', async ({ page }) => {
  await upload(page, FIXTURES.noFace);
  await expect(page.getByTestId('photo-no-face')).toContainText('No face was found in no-face.png');
  await expect(page.getByTestId('face-row')).toHaveCount(0);
  await expect(page.getByTestId('photo-error')).toHaveCount(0);
});

test('bad files get their own message and the app keeps working', async ({ page }) => {
  await upload(page, FIXTURES.notAnImage);
  await expect(page.getByTestId('photo-error')).toContainText(/not (a|an) (picture|image)/i);

  await upload(page, FIXTURES.truncated);
  await expect(page.getByTestId('photo-error')).toContainText(/could not be (read|decoded)|corrupt|damaged|incomplete/i);
  await expect(page.getByTestId('face-row')).toHaveCount(0);

  await upload(page, FIXTURES.group);
  await expect(page.getByTestId('photo-error')).toHaveCount(0);
  await expect(page.getByTestId('face-row')).toHaveCount(manifest().group.faces);
});

test('an 8000x8000 photo is downscaled, and the person is told', async ({ page }) => {
  const huge = manifest().huge;
  await upload(page, FIXTURES.huge);
  await expect(page.getByTestId('photo-note')).toContainText(`${huge.width}×${huge.height}`);
  await expect(page.getByTestId('photo-note')).toContainText('scaled down');
  await expect(page.getByTestId('face-row')).toHaveCount(1);
  const result = await lastResult(page);
  expect(Math.max(result.width, result.height)).toBeLessThan(huge.width);
  // The astronaut's face is where it is in the 512x512 original, scaled.
  const scale = result.width / 512;
  const face = result.faces[0].box;
  expect(face.x / scale).toBeGreaterThan(140);
  expect((face.x + face.width) / scale).toBeLessThan(320);
});

test('accepts a dropped photo and a pasted one', async ({ page }) => {
  const bytes = [...readFileSync(FIXTURES.group)];
  const dataTransfer = await page.evaluateHandle((data) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(data)], 'dropped.jpg', { type: 'image/jpeg' }));
    return transfer;
  }, bytes);
  await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer });
  await expect(page.getByTestId('photo-summary')).toHaveText(`${manifest().group.faces} faces in dropped.jpg`);

  const noFace = [...readFileSync(FIXTURES.noFace)];
  await page.evaluate((data) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(data)], 'pasted.png', { type: 'image/png' }));
    window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer }));
  }, noFace);
  await expect(page.getByTestId('photo-no-face')).toContainText('pasted.png');
});

test('by default the engine is WebGL on a GPU, and WebAssembly where WebGL is drawn in software', async ({ page }) => {
  await page.goto('/?debug#photo');
  const renderer = await page.evaluate(() => {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return null;
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  });
  test.skip(renderer === null, 'this browser has no WebGL (see no-webgl.spec.ts for that case)');
  const software = /swiftshader|llvmpipe|software/i.test(renderer!);
  await upload(page, FIXTURES.group);
  await expect(page.getByTestId('face-row')).toHaveCount(manifest().group.faces);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', software ? 'wasm' : 'webgl');
  await expect(page.getByTestId('backend-note')).toHaveCount(software ? 1 : 0);
  if (software) await expect(page.getByTestId('backend-note')).toContainText('software');
  await expect(page.getByTestId('backend-fallback')).toHaveCount(0);
});

test('several photos at once: a card per photo, a bad file reported in its card, one CSV of every face', async ({ page }) => {
  const group = manifest().group.faces;
  await page.getByTestId('photo-input').setInputFiles([FIXTURES.group, FIXTURES.noFace, FIXTURES.notAnImage]);

  const cards = page.getByTestId('batch-item');
  await expect(cards).toHaveCount(3);
  await expect(page.getByTestId('batch-summary')).toHaveText(`3 of 3 photos analysed · ${group} faces`);
  await expect(cards.nth(0).getByTestId('batch-item-faces')).toContainText(`${group} faces: 1 `);
  await expect(cards.nth(1).getByTestId('batch-item-faces')).toHaveText('No face found');
  await expect(cards.nth(2).getByTestId('batch-item-error')).toBeVisible();
  await expect(page.getByTestId('photo-result')).toBeHidden(); // the single-photo view stays out of the way

  const downloading = page.waitForEvent('download');
  await page.getByTestId('batch-csv').click();
  const csv = readFileSync(await (await downloading).path(), 'utf8').trimEnd().split('\n');
  expect(csv[0]).toMatch(/^file,face,x,y,width,height,angry,/);
  expect(csv.filter((line) => line.startsWith('group.jpg,'))).toHaveLength(group);
  expect(csv.filter((line) => line.startsWith('no-face.png,'))).toEqual([expect.stringMatching(/no face found$/)]);
  expect(csv.filter((line) => line.startsWith('not-an-image.png,'))).toHaveLength(1);
  expect(csv).toHaveLength(1 + group + 2);
});

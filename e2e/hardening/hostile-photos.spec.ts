/**
 * Every kind of bad input on the Photo view: the person gets a specific message, the page throws
 * nothing and logs no console error (see page-problems.ts for the one benign MediaPipe line), and
 * the app still works: the group photo is analysed right after each. The files that fail to
 * decode go one after another through one page, as a person trying file after file would.
 *
 * Camera failures are covered elsewhere: permission denied (camera-denied.spec.ts), no camera and
 * a busy camera (camera-errors.spec.ts), the camera ending mid-stream (webcam.spec.ts), no WebGL
 * (no-webgl.spec.ts). A missing model, a model name that does not exist and a missing face
 * detector file: model-errors.spec.ts.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { FIXTURES, HOSTILE } from '../fixtures/paths';
import { appUrl, lastResult, manifest, probabilitySum } from '../helpers';
import { watchPageProblems, type PageProblems } from './page-problems';

interface HostileManifest {
  crowd: { faces: number; tile: number };
  svg: { host: string };
}
const hostile = JSON.parse(readFileSync(HOSTILE.manifest, 'utf8')) as HostileManifest;
/** The app analyses at most this many faces in one picture (src/app/detectors.ts). */
const MAX_FACES = 20;

async function upload(page: Page, path: string): Promise<void> {
  await page.getByTestId('photo-input').setInputFiles(path);
}

/** The error notice says `message` (a notice is its icon, then the text: match the end). */
async function expectRejected(page: Page, message: RegExp): Promise<void> {
  await expect(page.getByTestId('photo-error')).toHaveText(message);
  await expect(page.getByTestId('photo-result')).toBeHidden();
  await expect(page.getByTestId('face-row')).toHaveCount(0);
}

/** The app is still usable: a good photo is analysed as usual. */
async function expectStillWorks(page: Page, problems: PageProblems): Promise<void> {
  await upload(page, FIXTURES.group);
  await expect(page.getByTestId('face-row')).toHaveCount(manifest().group.faces);
  await expect(page.getByTestId('photo-error')).toHaveCount(0);
  expect(problems.list()).toEqual([]);
}

/** The photo view loads the models as soon as it has painted, before a test can route their files:
 * a fresh document loads them again, through the routes now in place. */
async function reloadThroughRoutes(page: Page): Promise<void> {
  await page.reload();
  await expect(page.getByTestId('photo-input')).toBeAttached();
}

let problems: PageProblems;

test.beforeEach(async ({ page }) => {
  problems = watchPageProblems(page);
  await page.goto(appUrl({}, 'photo'));
});

const decodeFailure = (name: string, format: string) =>
  new RegExp(`"${name}" looks like a ${format} image but could not be decoded; it may be damaged or incomplete \\(.+\\)\\.$`);

const REJECTED: { what: string; file: string; message: RegExp }[] = [
  { what: 'a 0-byte file', file: HOSTILE.empty, message: /"empty\.jpg" is empty\.$/ },
  {
    what: 'a text file named .png',
    file: FIXTURES.notAnImage,
    message: /"not-an-image\.png" \(image\/png\) is not an image: choose a JPEG, PNG, WebP, GIF, BMP or AVIF file\.$/,
  },
  { what: 'a PNG cut off in its image data', file: HOSTILE.truncatedPng, message: decodeFailure('truncated.png', 'PNG') },
  { what: 'a PNG with damaged image data', file: HOSTILE.corruptPng, message: decodeFailure('corrupt.png', 'PNG') },
  { what: 'a JPEG cut off after its headers', file: FIXTURES.truncated, message: decodeFailure('truncated.jpg', 'JPEG') },
  { what: 'a JPEG with a damaged Huffman table', file: HOSTILE.corruptJpeg, message: decodeFailure('corrupt.jpg', 'JPEG') },
  // Chromium refuses to decode 30000x30000 (3.6 GB as RGBA): refused cleanly, the tab survives.
  { what: 'a PNG declaring 30000x30000 pixels', file: HOSTILE.bomb, message: decodeFailure('bomb.png', 'PNG') },
  {
    what: 'an SVG drawing with a .png name',
    file: HOSTILE.svgNamedPng,
    message: /"svg-named-png\.png" \(image\/png\) is not an image: choose a JPEG, PNG, WebP, GIF, BMP or AVIF file\.$/,
  },
];

test('files that are not photos, or are damaged, are each rejected with a specific message', async ({ page }) => {
  for (const { what, file, message } of REJECTED) {
    await test.step(what, async () => {
      await upload(page, file);
      await expectRejected(page, message);
      await expectStillWorks(page, problems);
    });
  }
});

test('an SVG with external references is refused without fetching any of them', async ({ page, context }) => {
  const urls: string[] = [];
  context.on('request', (request) => urls.push(request.url()));
  // A blocked attempt never becomes a request: count the policy's refusals too.
  await page.evaluate(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (event) => w.__violations.push(event.blockedURI));
  });
  await upload(page, HOSTILE.externalRefsSvg);
  await expectRejected(page, /"external-refs\.svg" is an SVG drawing; choose a photo \(JPEG, PNG, WebP, GIF, BMP or AVIF\)\.$/);
  await page.waitForTimeout(500);
  expect(urls.filter((url) => url.includes(hostile.svg.host))).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
  await expectStillWorks(page, problems);
});

test('a photo without a face', async ({ page }) => {
  await upload(page, FIXTURES.noFace);
  await expect(page.getByTestId('photo-no-face')).toContainText('No face was found in no-face.png. Try a sharper picture');
  await expect(page.getByTestId('photo-error')).toHaveCount(0);
  await expectStillWorks(page, problems);
});

test('a 1x1 image', async ({ page }) => {
  await upload(page, HOSTILE.onePixel);
  await expect(page.getByTestId('photo-no-face')).toContainText('No face was found in one-pixel.png');
  expect((await lastResult(page)).width).toBe(1);
  await expectStillWorks(page, problems);
});

test('an 8000x8000 photo is scaled down, and the person is told', async ({ page }) => {
  await upload(page, FIXTURES.huge);
  await expect(page.getByTestId('photo-note')).toHaveText(/The picture is large \(8000×8000 pixels\): it was scaled down to \d+×\d+ for analysis\./);
  await expect(page.getByTestId('face-row')).toHaveCount(1);
  await expectStillWorks(page, problems);
});

test('an animated GIF: its first frame is analysed', async ({ page }) => {
  // Frame 1 is the astronaut's head, frame 2 the coffee cup (no face).
  await upload(page, HOSTILE.animatedGif);
  await expect(page.getByTestId('photo-summary')).toHaveText('1 face in animated.gif');
  await expectStillWorks(page, problems);
});

test(`more than ${MAX_FACES} faces: the ${MAX_FACES} most confident are analysed, and the person is told`, async ({ page }) => {
  expect(hostile.crowd.faces).toBeGreaterThan(MAX_FACES);
  await upload(page, HOSTILE.crowd);
  await expect(page.getByTestId('photo-note')).toContainText(
    `Many faces: the ${MAX_FACES} found with the most confidence are boxed and listed below.`,
  );
  await expect(page.getByTestId('face-row')).toHaveCount(MAX_FACES);
  const result = await lastResult(page);
  expect(result.faces).toHaveLength(MAX_FACES);
  // Real, separate faces: one per tile of the 5x5 grid, each with proper probabilities.
  const tile = (at: number) => Math.floor(at / hostile.crowd.tile);
  const tiles = result.faces.map(({ box }) => `${tile(box.x + box.width / 2)},${tile(box.y + box.height / 2)}`);
  expect(new Set(tiles).size).toBe(MAX_FACES);
  for (const face of result.faces) expect(probabilitySum(face.probabilities)).toBeCloseTo(1, 3);
  await expectStillWorks(page, problems);
});

test('a face cut off by the image border is still found and read', async ({ page }) => {
  await upload(page, HOSTILE.borderFace);
  await expect(page.getByTestId('photo-summary')).toHaveText('1 face in border-face.jpg');
  const [face] = (await lastResult(page)).faces;
  // The face runs off the left edge, so the square crop around it reaches outside the picture.
  expect(face.box.x).toBeLessThan(2);
  expect(probabilitySum(face.probabilities)).toBeCloseTo(1, 3);
  expect(Object.values(face.probabilities).every((p) => Number.isFinite(p) && p >= 0)).toBe(true);
  await expectStillWorks(page, problems);
});

// --- The model side: files served damaged (routed), then served again as they are. ---

const MODEL = '**/models/mini-xception/';
const shippedWeights = readFileSync('static/models/mini-xception/weights.bin');

interface BrokenModel {
  what: string;
  url: string;
  body: string | Buffer;
  status?: number;
  message: RegExp;
  /** What the library itself logs as console errors about this failure before the app reports it. */
  logged?: RegExp;
}

const BROKEN_MODELS: BrokenModel[] = [
  {
    what: 'model.json missing',
    url: `${MODEL}model.json`,
    body: 'Not found',
    status: 404,
    message: /Model 'mini-xception' not found: \/models\/mini-xception\/model\.json returned 404\./,
  },
  {
    what: 'model.json cut off (not valid JSON)',
    url: `${MODEL}model.json`,
    body: '{"format": "layers-model", "modelTopology": {"class_name": "Model", "con',
    message: /Model 'mini-xception' \(\/models\/mini-xception\/model\.json\) is not valid JSON: /,
  },
  {
    what: 'model.json that is JSON but not a model',
    url: `${MODEL}model.json`,
    body: '{"format": "layers-model", "weightsManifest": []}',
    message: /\/models\/mini-xception\/model\.json is not a TF\.js layers model: "modelTopology" is missing$/,
  },
  {
    what: 'weights shorter than model.json says',
    url: `${MODEL}weights.bin`,
    body: shippedWeights.subarray(0, shippedWeights.length - 1000),
    message: new RegExp(
      `Weights of model 'mini-xception' have the wrong size: weights\\.bin hold ${shippedWeights.length - 1000} bytes, model\\.json describes ${shippedWeights.length}\\.`,
    ),
  },
  {
    what: 'weights longer than model.json says',
    url: `${MODEL}weights.bin`,
    body: Buffer.concat([shippedWeights, Buffer.alloc(4)]),
    message: /Weights of model 'mini-xception' have the wrong size: weights\.bin hold \d+ bytes, model\.json describes \d+\./,
  },
  {
    what: 'weights missing',
    url: `${MODEL}weights.bin`,
    body: 'Not found',
    status: 404,
    message: /Weights of model 'mini-xception' not found: \/models\/mini-xception\/weights\.bin returned 404\./,
  },
  {
    what: 'metadata.json damaged',
    url: `${MODEL}metadata.json`,
    body: '{"name": "mini-xception", "labels": [',
    message: /Metadata of model 'mini-xception' \(\/models\/mini-xception\/metadata\.json\) is not valid JSON: /,
  },
];

test("model files: MediaPipe's face model damaged: the TF.js face detector takes over", async ({ page }) => {
  // MediaPipe's wasm prints the failure to stderr (console.error), then rejects: two lines.
  problems.allowConsoleErrors(
    /^(ERROR: |E\d{4} [\d:.]+ +\d+ gl_graph_runner_internal\.cc:\d+\] StartGraph failed: INVALID_ARGUMENT: )The model is not a valid Flatbuffer buffer/,
  );
  await page.route('**/vendor/face_detector.tflite', (route) => route.fulfill({ status: 200, body: Buffer.alloc(4096, 0x5a) }));
  await reloadThroughRoutes(page);
  await upload(page, FIXTURES.group);
  await expect(page.getByTestId('face-row')).toHaveCount(manifest().group.faces);
  expect((await lastResult(page)).faceDetector).toBe('blazeface-tfjs');
  await expectStillWorks(page, problems);
});

for (const { what, url, body, status = 200, message, logged } of BROKEN_MODELS) {
  test(`model files: ${what}`, async ({ page }) => {
    // Chromium logs every failed response; only the one this test makes fail is expected.
    if (status >= 400) problems.allowFailedLoads(new RegExp(`${url.replace('**', '').replace(/\./g, '\\.')}$`));
    if (logged) problems.allowConsoleErrors(logged);
    await page.route(url, (route) => route.fulfill({ status, body }));
    await reloadThroughRoutes(page);
    await upload(page, FIXTURES.group);
    await expectRejected(page, message);

    // Once the file is served as it is, the next photo loads the models afresh and works.
    await page.unroute(url);
    await expectStillWorks(page, problems);
  });
}

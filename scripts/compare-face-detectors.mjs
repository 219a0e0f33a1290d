#!/usr/bin/env node
// Which way of finding faces finds the faces a person counts in face-api's six demo group photos
// (e2e/fixtures/face-api-demo-faces.json, 22 faces), and at what cost, in headless Chromium:
//   - MediaPipe Tasks' BlazeFace short range (the model the app ships) once over the whole photo;
//   - BlazeFace full range (face_detection_full_range.tflite of @mediapipe/face_detection, given the
//     TFLite metadata MediaPipe Tasks needs, as scripts/build-face-model.mjs does for short range)
//     once over the whole photo;
//   - the app's photo search (whole photo plus tiles, src/lib/faceSearch.ts), emotions included.
// A face counts as found when a box overlaps its reference box with IoU >= 0.3; a box that overlaps
// none is a false find. Prints a table (the figures in docs/finding-faces.md).
//
//   node scripts/compare-face-detectors.mjs [--runs 3]
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { startDevServer } from './lib/dev-server.mjs';
import { FACE_MODEL_METADATA } from './build-face-model.mjs';
import { attachMetadata } from './lib/tflite-attach-metadata.mjs';
import { buildModelMetadata } from './lib/tflite-metadata.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const DEMO = 'node_modules/@vladmandic/face-api/demo';
const FULL_RANGE = join(repoRoot, 'node_modules/@mediapipe/face_detection/face_detection_full_range.tflite');

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number >= 1, got ${values.runs}`);

const reference = JSON.parse(readFileSync(join(repoRoot, 'e2e/fixtures/face-api-demo-faces.json'), 'utf8')).photos;
const photos = Object.keys(reference);

/** The full-range network with the metadata MediaPipe Tasks requires (input [0,255] -> [-1,1]). */
function fullRangeModel() {
  const metadata = { ...FACE_MODEL_METADATA, name: 'BlazeFace (full-range)', description: 'face_detection_full_range.tflite of @mediapipe/face_detection, 192x192 input; metadata added by moodlens.' };
  const path = join(mkdtempSync(join(tmpdir(), 'moodlens-faces-')), 'face_detection_full_range.tflite');
  writeFileSync(path, attachMetadata(new Uint8Array(readFileSync(FULL_RANGE)), buildModelMetadata(metadata)));
  return path;
}

function iou(a, b) {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const overlap = w * h;
  return overlap / (a.width * a.height + b.width * b.height - overlap);
}

const { server, url: origin } = await startDevServer(repoRoot, 'scripts/face-detectors/index.html');
const browser = await chromium.launch(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${origin}/scripts/face-detectors/index.html`);
  await page.waitForFunction(() => window.compareFaceDetectors !== undefined, undefined, { timeout: 120_000 });
  const report = await page.evaluate((request) => window.compareFaceDetectors(request), {
    photos: photos.map((name) => `/${DEMO}/${name}`),
    wasm: '/static/vendor/mediapipe',
    shortRange: '/static/vendor/face_detector.tflite',
    fullRange: `/@fs${fullRangeModel()}`,
    assetBase: '/static/',
    runs,
  });
  if (errors.length) console.warn(`page errors: ${errors.join('; ')}`);
  console.log(`| way | ${photos.map((p) => p.replace('.jpg', '')).join(' | ')} | found | false | median ms per photo |`);
  console.log(`| --- | ${photos.map(() => '---:').join(' | ')} | ---: | ---: | ---: |`);
  for (const [way, byPhoto] of Object.entries(report)) {
    let found = 0;
    let falses = 0;
    const cells = photos.map((name) => {
      const { boxes } = byPhoto[`/${DEMO}/${name}`];
      const refs = reference[name];
      const hits = refs.filter((face) => boxes.some((box) => iou(face, box) >= 0.3)).length;
      found += hits;
      falses += boxes.filter((box) => !refs.some((face) => iou(face, box) >= 0.3)).length;
      return `${hits}/${refs.length}`;
    });
    const times = photos.map((name) => byPhoto[`/${DEMO}/${name}`].ms).sort((a, b) => a - b);
    console.log(`| ${way} | ${cells.join(' | ')} | ${found}/22 | ${falses} | ${times[Math.floor(times.length / 2)].toFixed(0)} |`);
  }
} finally {
  await browser.close();
  await server.close();
}

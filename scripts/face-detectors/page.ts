/**
 * The in-browser half of scripts/compare-face-detectors.mjs: each way of finding faces on the same
 * photos, timed (median of `runs` after one untimed call), boxes in the photo's pixels.
 */
import { FaceDetector, FilesetResolver } from '@mediapipe/tasks-vision';
import { createEmotionDetector } from '../../src/lib';

export interface CompareRequest {
  photos: string[];
  /** MediaPipe's wasm folder and the two BlazeFace models (short range as shipped; full range). */
  wasm: string;
  shortRange: string;
  fullRange: string;
  /** Where the app's assets are served (models, vendor/), for createEmotionDetector. */
  assetBase: string;
  runs: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type CompareReport = Record<string, Record<string, { ms: number; boxes: Box[] }>>;

async function timed(run: () => Promise<Box[]>, runs: number): Promise<{ ms: number; boxes: Box[] }> {
  let boxes = await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    boxes = await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], boxes };
}

async function compare(request: CompareRequest): Promise<CompareReport> {
  const images = await Promise.all(
    request.photos.map(async (url) => {
      const image = new Image();
      image.src = url;
      await image.decode();
      return image;
    }),
  );
  const fileset = await FilesetResolver.forVisionTasks(request.wasm);
  const report: CompareReport = {};
  const wholeImage = async (name: string, model: string) => {
    const detector = await FaceDetector.createFromOptions(fileset, { baseOptions: { modelAssetPath: model, delegate: 'CPU' }, runningMode: 'IMAGE' });
    report[name] = {};
    for (const [i, image] of images.entries()) {
      report[name][request.photos[i]] = await timed(async () => detector.detect(image).detections.map(({ boundingBox: b }) => ({ x: b!.originX, y: b!.originY, width: b!.width, height: b!.height })), request.runs);
    }
    detector.close();
  };
  await wholeImage('short range, whole photo (128 px)', request.shortRange);
  await wholeImage('full range, whole photo (192 px)', request.fullRange);

  // The app's photo path: whole photo plus tiles, then crop and classify (the emotion model's few
  // milliseconds per face are in the time too).
  const ours = await createEmotionDetector({ assetBase: request.assetBase, backend: 'wasm', models: ['mini-xception'] });
  const name = 'moodlens photo search (full range: whole photo + tiles, one short-range look; emotions included)';
  report[name] = {};
  for (const [i, image] of images.entries()) {
    report[name][request.photos[i]] = await timed(async () => (await ours.detect(image)).faces.map((face) => ({ ...face.box })), request.runs);
  }
  ours.close();
  return report;
}

declare global {
  interface Window {
    compareFaceDetectors?: typeof compare;
  }
}
window.compareFaceDetectors = compare;

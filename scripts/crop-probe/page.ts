/**
 * The in-browser half of scripts/probe-crops.mjs: what the face detectors report on a frame
 * (video session: short range; photo: the photo search), every find of one MediaPipe model over the
 * whole frame down to a low threshold, and the classifier's probabilities for any crops of that
 * frame, cut and preprocessed as the pipeline does.
 */
import type { FaceDetector } from '@mediapipe/tasks-vision';
import { createEmotionDetector, type EmotionDetector } from '../../src/lib';
import { selectBackend } from '../../src/lib/backend';
import { classify, loadEmotionModel, type EmotionModel } from '../../src/lib/classifier';
import type { FaceCrop } from '../../src/lib/align';
import { createFrameReader } from '../../src/lib/frame';
import { preprocessRegions } from '../../src/lib/preprocess';

let detector: EmotionDetector | undefined;
const models = new Map<string, EmotionModel>();
const reader = createFrameReader(true);

async function image(url: string): Promise<HTMLImageElement> {
  const img = new Image();
  img.src = url;
  await img.decode();
  return img;
}

async function detectFrame(url: string) {
  detector ??= await createEmotionDetector({ assetBase: '/static/', backend: 'wasm', models: ['mini-xception'] });
  const img = await image(url);
  const session = detector.openVideoSession({ smoothing: false });
  const video = await session.detect(img);
  session.close();
  const photo = await detector.detect(img);
  const out = (faces: typeof video.faces) => faces.map((f) => ({ box: f.box, keypoints: f.keypoints, score: f.score }));
  return { video: out(video.faces), photo: out(photo.faces) };
}

async function classifyCrops(url: string, model: string, crops: FaceCrop[]): Promise<number[][]> {
  if (!models.has(model)) {
    await selectBackend('wasm', { assetBase: '/static/' });
    models.set(model, await loadEmotionModel('/static/models/', model));
  }
  const frame = reader.read(await image(url), 4096)!;
  const batch = await preprocessRegions(frame, crops, 48);
  try {
    return await classify([models.get(model)!], batch);
  } finally {
    batch.dispose();
  }
}

const raw = new Map<string, FaceDetector>();
/** Every find of one MediaPipe model over the whole frame, down to a score of 0.05. */
async function rawFaces(url: string, range: 'short' | 'full') {
  const { FaceDetector, FilesetResolver } = await import('@mediapipe/tasks-vision');
  let task = raw.get(range);
  if (!task) {
    const fileset = await FilesetResolver.forVisionTasks('/static/vendor/mediapipe');
    const model = `/static/vendor/${range === 'full' ? 'face_detector_full_range' : 'face_detector'}.tflite`;
    task = await FaceDetector.createFromOptions(fileset, { baseOptions: { modelAssetPath: model, delegate: 'CPU' }, runningMode: 'IMAGE', minDetectionConfidence: 0.05 });
    raw.set(range, task);
  }
  return task.detect(await image(url)).detections.map((d) => ({ box: { x: d.boundingBox!.originX, y: d.boundingBox!.originY, width: d.boundingBox!.width, height: d.boundingBox!.height }, score: d.categories[0].score }));
}

declare global {
  interface Window {
    probeCrops?: { detectFrame: typeof detectFrame; classifyCrops: typeof classifyCrops; rawFaces: typeof rawFaces };
  }
}
window.probeCrops = { detectFrame, classifyCrops, rawFaces };

/**
 * The in-browser half of scripts/probe-scenes.mjs: the photo search (createEmotionDetector's
 * detect(), as the app runs it) on one scene, timed after one untimed call, and the raw full-range
 * BlazeFace score of a face in views where it fills a given share.
 */
import { FaceDetector, FilesetResolver } from '@mediapipe/tasks-vision';
import { createEmotionDetector, type EmotionDetector, type EmotionDetectorOptions } from '../../src/lib';

const detectors = new Map<string, EmotionDetector>();
const images = new Map<string, HTMLImageElement>();

async function image(url: string): Promise<HTMLImageElement> {
  let img = images.get(url);
  if (!img) {
    img = new Image();
    img.src = url;
    await img.decode();
    images.set(url, img);
  }
  return img;
}

/** `bitmap`: decoded as the app's photo view does (createImageBitmap, scaled to 1920 px at most). */
async function detectScene(url: string, options: EmotionDetectorOptions, bitmap: boolean) {
  const key = JSON.stringify(options);
  let detector = detectors.get(key);
  if (!detector) {
    detector = await createEmotionDetector({ assetBase: '/static/', backend: 'wasm', models: ['mini-xception'], ...options });
    detectors.set(key, detector);
  }
  const source = bitmap
    ? await createImageBitmap(await (await fetch(url)).blob(), { resizeWidth: 1920, resizeHeight: 1920, resizeQuality: 'high' })
    : await image(url);
  await detector.detect(source);
  const start = performance.now();
  const result = await detector.detect(source);
  const ms = performance.now() - start;
  return { ms, faces: result.faces.map((f) => ({ box: f.box, score: f.score })) };
}

export interface Look {
  x: number;
  y: number;
  side: number;
  face: { cx: number; cy: number; half: number };
}

let fullRange: FaceDetector | undefined;
/** For each look (a square of the scene drawn at 384 px): the best full-range score of a find centred on the face. */
async function rawScores(url: string, looks: Look[]): Promise<number[]> {
  if (!fullRange) {
    const fileset = await FilesetResolver.forVisionTasks('/static/vendor/mediapipe');
    const options = { baseOptions: { modelAssetPath: '/static/vendor/face_detector_full_range.tflite', delegate: 'CPU' as const }, runningMode: 'IMAGE' as const, minDetectionConfidence: 0.05 };
    fullRange = await FaceDetector.createFromOptions(fileset, options);
  }
  const img = await image(url);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 384;
  const context = canvas.getContext('2d')!;
  return looks.map((look) => {
    const scale = 384 / look.side;
    context.fillStyle = '#808080';
    context.fillRect(0, 0, 384, 384);
    context.drawImage(img, look.x, look.y, look.side, look.side, 0, 0, 384, 384);
    let best = 0;
    for (const d of fullRange!.detect(canvas).detections) {
      const b = d.boundingBox!;
      const cx = look.x + (b.originX + b.width / 2) / scale;
      const cy = look.y + (b.originY + b.height / 2) / scale;
      if (Math.abs(cx - look.face.cx) <= look.face.half && Math.abs(cy - look.face.cy) <= look.face.half) best = Math.max(best, d.categories[0].score);
    }
    return best;
  });
}

declare global {
  interface Window {
    probeScenes?: { detectScene: typeof detectScene; rawScores: typeof rawScores };
  }
}
window.probeScenes = { detectScene, rawScores };

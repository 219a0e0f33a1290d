/**
 * The in-browser half of scripts/probe-scenes.mjs: the photo search (createEmotionDetector's
 * detect(), as the app runs it) on one scene, timed after one untimed call, and the raw BlazeFace
 * score (full or short range) of a face in given views around it.
 */
import { FaceDetector, FilesetResolver } from '@mediapipe/tasks-vision';
import { createEmotionDetector, type EmotionDetector, type EmotionDetectorOptions } from '../../src/lib';
// The networks' input sizes and the search's oversampling, as the search draws its views.
import { BLAZEFACE_FULL, BLAZEFACE_SHORT } from '../../src/lib/scan';

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

const networks = new Map<Network, FaceDetector>();
export type Network = 'full' | 'short';
/** For each look (a square of the scene drawn at twice the network's input, as the search draws its
 * views): the best score of a find centred on the face, by BlazeFace full range or short range. */
async function rawScores(url: string, looks: Look[], network: Network = 'full'): Promise<number[]> {
  let detector = networks.get(network);
  if (!detector) {
    const fileset = await FilesetResolver.forVisionTasks('/static/vendor/mediapipe');
    const model = network === 'full' ? 'face_detector_full_range' : 'face_detector';
    const options = { baseOptions: { modelAssetPath: `/static/vendor/${model}.tflite`, delegate: 'CPU' as const }, runningMode: 'IMAGE' as const, minDetectionConfidence: 0.05 };
    detector = await FaceDetector.createFromOptions(fileset, options);
    networks.set(network, detector);
  }
  const { inputSize, oversample } = network === 'full' ? BLAZEFACE_FULL : BLAZEFACE_SHORT;
  const px = inputSize * oversample;
  const img = await image(url);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = px;
  const context = canvas.getContext('2d')!;
  return looks.map((look) => {
    const scale = px / look.side;
    context.fillStyle = '#808080';
    context.fillRect(0, 0, px, px);
    context.drawImage(img, look.x, look.y, look.side, look.side, 0, 0, px, px);
    let best = 0;
    for (const d of detector!.detect(canvas).detections) {
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

/**
 * The face detector for browsers where MediaPipe cannot run (no WebGL at all): BlazeFace "back
 * camera" (MediaPipe's 256 x 256 model for faces further away), as the TF.js graph model that
 * @vladmandic/human ships in its npm package, run on TF.js's own backend (wasm, then cpu).
 * `npm run assets` copies it to `<assetBase>vendor/blazeface/`; nothing is fetched elsewhere.
 *
 * The model predicts, for each of 896 anchors (a 16 x 16 grid of 2 and an 8 x 8 grid of 6, at
 * cell centres), a score logit, the box centre offset and size, and 6 keypoints (eyes, nose tip,
 * mouth, ears: MediaPipe's order), all in input pixels. The decoding below is pure math.
 */
import * as tf from '@tensorflow/tfjs';
import { describeError, MoodlensError } from './errors';
import type { FaceDetector } from './faceDetector';
import { BLAZEFACE_BACK, mergeFaces } from './scan';
import type { DetectedFace, ImageSource, Size } from './types';

export const BLAZEFACE_INPUT = BLAZEFACE_BACK.inputSize;
const KEYPOINTS = 6;
/** Per anchor: logit, box (cx, cy, w, h), 6 keypoints (x, y). */
const VALUES = 1 + 4 + 2 * KEYPOINTS;

export function blazeFaceAssets(assetBase: string): string {
  return `${assetBase}vendor/blazeface/blazeface.json`;
}

/** Anchor centres in input pixels, in the order of the model's outputs (16 px grid, then 32 px). */
export function anchorCenters(inputSize = BLAZEFACE_INPUT): [number, number][] {
  const layers = [
    { stride: 16, perCell: 2 },
    { stride: 32, perCell: 6 },
  ];
  const centers: [number, number][] = [];
  for (const { stride, perCell } of layers) {
    const cells = Math.ceil(inputSize / stride);
    for (let row = 0; row < cells; row++) {
      for (let column = 0; column < cells; column++) {
        for (let k = 0; k < perCell; k++) centers.push([(column + 0.5) * stride, (row + 0.5) * stride]);
      }
    }
  }
  return centers;
}

/**
 * The model's raw rows ([anchors x 17], input pixels) -> faces in the pixels of the image that was
 * letterboxed into the input (`scale` image pixels per input pixel), scores >= minScore, merged.
 */
export function decodeFaces(raw: Float32Array, anchors: readonly [number, number][], scale: number, minScore: number): DetectedFace[] {
  const minLogit = Math.log(minScore / (1 - minScore));
  const faces: DetectedFace[] = [];
  anchors.forEach(([ax, ay], i) => {
    const row = raw.subarray(i * VALUES, (i + 1) * VALUES);
    if (!(row[0] >= minLogit)) return;
    const [cx, cy, w, h] = [ax + row[1], ay + row[2], row[3], row[4]];
    faces.push({
      box: { x: (cx - w / 2) * scale, y: (cy - h / 2) * scale, width: w * scale, height: h * scale },
      keypoints: Array.from({ length: KEYPOINTS }, (_, k) => ({ x: (ax + row[5 + 2 * k]) * scale, y: (ay + row[6 + 2 * k]) * scale })),
      score: 1 / (1 + Math.exp(-row[0])),
    });
  });
  return mergeFaces(faces);
}

/** RGBA bytes -> the model's input, RGB in [-1, 1] (transparent letterbox bars: black, as padding). */
export function rgbaToInput(rgba: ArrayLike<number>, out: Float32Array): Float32Array {
  for (let i = 0, o = 0; o < out.length; i += 4, o += 3) {
    out[o] = rgba[i] / 127.5 - 1;
    out[o + 1] = rgba[i + 1] / 127.5 - 1;
    out[o + 2] = rgba[i + 2] / 127.5 - 1;
  }
  return out;
}

/** A 2D context of the input's size, read back every look (so kept in CPU memory); also in workers. */
function inputCanvas(): OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D {
  const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(BLAZEFACE_INPUT, BLAZEFACE_INPUT) : Object.assign(document.createElement('canvas'), { width: BLAZEFACE_INPUT, height: BLAZEFACE_INPUT });
  const context = canvas.getContext('2d', { willReadFrequently: true }) as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
  if (!context) throw new MoodlensError('face-detector-load', 'The TF.js face detector needs a 2D canvas, and this browser gave none');
  return context;
}

/** The model's four outputs (scores and regressors of the 16 px and 32 px grids, in no fixed
 * order) -> one [896, 17] tensor in anchor order. */
function rows(outputs: tf.Tensor[]): tf.Tensor2D {
  const bySize = [...outputs].sort((a, b) => a.size - b.size); // 384x1, 512x1, 384x16, 512x16
  const fine = tf.concat([bySize[1], bySize[3]], 2);
  const coarse = tf.concat([bySize[0], bySize[2]], 2);
  return tf.reshape(tf.concat([fine, coarse], 1), [-1, VALUES]);
}

export async function createBlazeFaceDetector(options: { assetBase: string; minDetectionConfidence: number; fetch?: typeof fetch }): Promise<FaceDetector> {
  const url = blazeFaceAssets(options.assetBase);
  const letterbox = inputCanvas();
  let model: tf.GraphModel;
  try {
    model = await tf.loadGraphModel(url, options.fetch && { fetchFunc: options.fetch });
  } catch (error) {
    throw new MoodlensError('face-detector-load', `The face detector could not be loaded (${url}): ${describeError(error)}. Run \`npm run assets\`.`, {
      cause: error,
    });
  }
  const anchors = anchorCenters();
  const pixels = new Float32Array(BLAZEFACE_INPUT * BLAZEFACE_INPUT * 3); // reused: fresh memory costs page faults
  let minScore = options.minDetectionConfidence;
  const detector: FaceDetector = {
    name: 'blazeface-tfjs',
    scale: BLAZEFACE_BACK,
    usageLoggingDisabled: true, // nothing here logs anything
    detect(image: ImageSource, size: Size) {
      // The view, letterboxed (top-left) into the input square by the browser's own scaling: one
      // 256 x 256 readback instead of the whole view's pixels through fromPixels, pad and resize
      // (about 3x the time per look on wasm, and more on the first frame).
      const side = Math.max(size.width, size.height);
      const k = BLAZEFACE_INPUT / side;
      letterbox.clearRect(0, 0, BLAZEFACE_INPUT, BLAZEFACE_INPUT);
      letterbox.drawImage(image as CanvasImageSource, 0, 0, size.width, size.height, 0, 0, size.width * k, size.height * k);
      rgbaToInput(letterbox.getImageData(0, 0, BLAZEFACE_INPUT, BLAZEFACE_INPUT).data, pixels);
      const raw = tf.tidy(() => rows(model.execute(tf.tensor4d(pixels, [1, BLAZEFACE_INPUT, BLAZEFACE_INPUT, 3])) as tf.Tensor[]));
      try {
        return decodeFaces(raw.dataSync() as Float32Array, anchors, side / BLAZEFACE_INPUT, minScore);
      } finally {
        raw.dispose();
      }
    },
    async setMinConfidence(value: number) {
      minScore = value;
    },
    close() {
      model.dispose();
    },
  };
  // One look at a blank picture now: the first run of each layer sets it up (packed weights,
  // shaders) and the first readback of the letterbox canvas is slow, a few hundred ms that would
  // otherwise fall on the first frame.
  detector.detect(inputCanvas().canvas, { width: BLAZEFACE_INPUT, height: BLAZEFACE_INPUT });
  return detector;
}

/**
 * @vladmandic/face-api: TinyFaceDetector + FaceExpressionNet. The frame runs the same steps as
 * `detectAllFaces(image, options).withFaceExpressions()` (src/globalApi/PredictFaceExpressionsTask.ts:
 * detect, extractFaces to canvases, predictExpressions per face), called one by one so that each
 * stage can be timed; selfCheck() compares the two.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as faceapi from '@vladmandic/face-api';
import { FACE_API_DETECTOR_OPTIONS, FACE_API_MODELS, WASM_PATH } from '../../peers/config';
import { fromFaceApi } from '../../peers/labels';
import { fitOverlay, type FaceOut, type FrameRun, type Pipeline, type PipelineOptions } from './types';

type Expressions = Parameters<typeof fromFaceApi>[0];

export async function createFaceApi(options: PipelineOptions): Promise<Pipeline> {
  if (options.backend === 'wasm') setWasmPaths(WASM_PATH);
  if (!(await tf.setBackend(options.backend))) throw new Error(`face-api: the ${options.backend} backend did not start`);
  await tf.ready();
  const net = faceapi.nets.faceExpressionNet;
  await Promise.all([faceapi.nets.tinyFaceDetector.loadFromUri(FACE_API_MODELS), net.loadFromUri(FACE_API_MODELS)]);
  const detectorOptions = new faceapi.TinyFaceDetectorOptions(FACE_API_DETECTOR_OPTIONS);

  const toFaces = (detections: faceapi.FaceDetection[], expressions: faceapi.FaceExpressions[]): FaceOut[] =>
    detections.map((detection, i) => ({
      box: { x: detection.box.x, y: detection.box.y, width: detection.box.width, height: detection.box.height },
      probabilities: fromFaceApi(expressions[i] as unknown as Expressions),
    }));

  async function run(image: HTMLImageElement, overlay: CanvasRenderingContext2D | null): Promise<FrameRun> {
    const start = performance.now();
    const detections = await faceapi.detectAllFaces(image, detectorOptions);
    const detectedAt = performance.now();
    const crops = await faceapi.extractFaces(image, detections);
    const croppedAt = performance.now();
    const expressions = await Promise.all(crops.map((crop) => net.predictExpressions(crop) as Promise<faceapi.FaceExpressions>));
    const classifiedAt = performance.now();
    if (overlay) {
      const results = detections.map((d, i) => faceapi.extendWithFaceExpressions(faceapi.extendWithFaceDetection({}, d), expressions[i]));
      const canvas = fitOverlay(overlay, image).canvas;
      faceapi.draw.drawDetections(canvas, results);
      faceapi.draw.drawFaceExpressions(canvas, results);
    }
    const end = performance.now();
    return {
      totalMs: end - start,
      stages: { detect: detectedAt - start, preprocess: croppedAt - detectedAt, classify: classifiedAt - croppedAt, draw: end - classifiedAt },
      faces: toFaces(detections, expressions),
    };
  }

  return {
    id: 'face-api',
    library: '@vladmandic/face-api',
    version: faceapi.version,
    backend: options.backend,
    run,
    async classifierOnly(batch) {
      // forward() = face-api's batching and normalisation + the network, on inputs already
      // 112x112 (no resize). A batch is a list of [112, 112, 3] tensors (face-api refuses a 4D batch).
      const faces = tf.unstack(tf.tidy(() => tf.randomUniform([batch, 112, 112, 3], 0, 255)));
      try {
        const start = performance.now();
        const output = await net.forward(faces as unknown as Parameters<typeof net.forward>[0]);
        await output.data();
        output.dispose();
        return performance.now() - start;
      } finally {
        tf.dispose(faces);
      }
    },
    async selfCheck(image) {
      const composed = await faceapi.detectAllFaces(image, detectorOptions).withFaceExpressions();
      const mine = (await run(image, null)).faces;
      const theirs = toFaces(
        composed.map((r) => r.detection),
        composed.map((r) => r.expressions),
      );
      if (mine.length !== theirs.length) return { ok: false, detail: `${mine.length} faces by steps, ${theirs.length} by withFaceExpressions()` };
      const difference = Math.max(0, ...mine.flatMap((face, i) => face.probabilities.map((p, j) => Math.abs(p - theirs[i].probabilities[j]))));
      return {
        ok: difference < 1e-4,
        detail: `faces: ${mine.length}; max probability difference to withFaceExpressions(): ${difference.toExponential(1)}`,
      };
    },
  };
}

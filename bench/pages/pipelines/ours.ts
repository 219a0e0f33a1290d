/** moodlens: the public createEmotionDetector as the live view runs it (created for video, as the
 * webcam view creates it; a video session per frame file: the whole frame, tiles around small faces
 * it follows, one more tile every few frames; no smoothing), drawn with drawResults. */
import * as tf from '@tensorflow/tfjs';
import { createEmotionDetector, drawResults, EMOTIONS, type VideoSession } from '../../../src/lib';
// The one internal import: the emotion network alone (the "classifier only" table) is a stage the
// public API does not expose by itself. Everything per frame goes through the public API.
import { classify, loadEmotionModel, type EmotionModel } from '../../../src/lib/classifier';
import { fitOverlay, type Pipeline, type PipelineOptions } from './types';

export async function createOurs(options: PipelineOptions): Promise<Pipeline> {
  const detector = await createEmotionDetector({ assetBase: '/', models: [options.model], backend: options.backend, maxFaces: 20, runningMode: 'VIDEO' });
  let bareModel: EmotionModel | undefined;
  // One stream per frame file, as if each were a camera showing that scene.
  const sessions = new Map<string, VideoSession>();
  return {
    id: `moodlens:${options.model}`,
    library: 'moodlens',
    version: `src/lib, model ${options.model}`,
    backend: detector.backend,
    startup: { ...detector.startup },
    async settled() {
      await detector.faceDetectorReady;
    },
    async run(image, overlay, still = false) {
      const start = performance.now();
      let session = sessions.get(image.src);
      if (!session && !still) sessions.set(image.src, (session = detector.openVideoSession({ smoothing: false })));
      // A photo: the app's photo search (full range, tiles), with the flip average photos get there.
      const result = session ? await session.detect(image) : await detector.detect(image);
      const drawStart = performance.now();
      if (overlay) drawResults(fitOverlay(overlay, result), result);
      const end = performance.now();
      return {
        totalMs: end - start,
        stages: { detect: result.timings.detect, preprocess: result.timings.preprocess, classify: result.timings.classify, draw: end - drawStart },
        faces: result.faces.map((face) => ({ box: face.box, probabilities: EMOTIONS.map((e) => face.probabilities[e]) })),
      };
    },
    async classifierOnly(batch) {
      // The same loader and classify() the detector uses, on a ready [batch, 48, 48, 1] input.
      bareModel ??= await loadEmotionModel('/models/', options.model);
      const size = bareModel.metadata.inputSize;
      const input = tf.randomUniform([batch, size, size, 1], -1, 1) as tf.Tensor4D;
      try {
        const start = performance.now();
        await classify([bareModel], input);
        return performance.now() - start;
      } finally {
        input.dispose();
      }
    },
    async selfCheck() {
      return { ok: true, detail: 'runs the public API itself' };
    },
  };
}

/**
 * How the peers are set up, in one place (the pages use it, the reports print it). Library
 * defaults are kept except where a default would skip work or change the task:
 * - Human: only face detection + emotion; no result caching or frame skipping (every frame is
 *   analysed, like the other pipelines); at most 20 faces (its default is 1; ours is 20);
 *   `async: false` so that Human reports its own stage times (on wasm this changes no work);
 *   no warm-up run and no IndexedDB model cache (both would only lengthen its cold start).
 * - face-api: TinyFaceDetector with its default options (inputSize 416, scoreThreshold 0.5).
 */
import type { Backend } from '../../src/lib';

export const FACE_API_MODELS = '/peers/face-api/';
export const HUMAN_MODELS = '/peers/human/';
export const WASM_PATH = '/vendor/tfjs/';

export const FACE_API_DETECTOR_OPTIONS = { inputSize: 416, scoreThreshold: 0.5 };

export function humanConfig(backend: Backend) {
  return {
    backend,
    wasmPath: WASM_PATH,
    modelBasePath: HUMAN_MODELS,
    debug: false,
    async: false,
    warmup: 'none' as const,
    cacheModels: false,
    cacheSensitivity: 0,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: { modelPath: 'blazeface.json', rotation: false, maxDetected: 20, skipFrames: 0, skipTime: 0, return: false },
      mesh: { enabled: false },
      attention: { enabled: false },
      iris: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      // minConfidence 0: report all seven scores (it only filters the list, the model runs the same).
      emotion: { enabled: true, modelPath: 'emotion.json', skipFrames: 0, skipTime: 0, minConfidence: 0 },
    },
  };
}

/**
 * MediaPipe FaceDetector (BlazeFace short range) behind a small interface, with everything served
 * from the app: the wasm from `<assetBase>vendor/mediapipe/`, the model from
 * `<assetBase>vendor/face_detector.tflite`. Usage logging is switched off (see telemetry.ts).
 */
import type { Detection, FaceDetector as MediaPipeFaceDetector } from '@mediapipe/tasks-vision';
import { describeError, MoodlensError } from './errors';
import { disableUsageLogging } from './telemetry';
import type { DetectedFace, ImageSource, RunningMode, Size } from './types';

export interface FaceDetectorOptions {
  assetBase: string;
  runningMode: RunningMode;
  minDetectionConfidence: number;
  maxFaces: number;
  delegate: 'CPU' | 'GPU';
}

export interface FaceDetector {
  readonly runningMode: RunningMode;
  /** Whether MediaPipe's usage logger was found and disabled. */
  readonly usageLoggingDisabled: boolean;
  /** Faces in `image` (of the given size), best score first, at most maxFaces. IMAGE mode ignores
   * the timestamp; VIDEO mode needs increasing timestamps (a repeated one is nudged forward). */
  detect(image: ImageSource, size: Size, timestampMs?: number): DetectedFace[];
  setRunningMode(mode: RunningMode): Promise<void>;
  close(): void;
}

export function faceDetectorAssets(assetBase: string) {
  return {
    wasmFolder: `${assetBase}vendor/mediapipe`,
    model: `${assetBase}vendor/face_detector.tflite`,
  };
}

/** MediaPipe detections -> our faces: pixel boxes as given, keypoints from normalised to pixels,
 * score from the first category; sorted by score, capped at maxFaces. */
export function toDetectedFaces(detections: readonly Detection[], size: Size, maxFaces: number): DetectedFace[] {
  return detections
    .filter((d) => d.boundingBox !== undefined)
    .map((d) => {
      const box = d.boundingBox!;
      return {
        box: { x: box.originX, y: box.originY, width: box.width, height: box.height },
        keypoints: d.keypoints.map((k) => ({ x: k.x * size.width, y: k.y * size.height })),
        score: d.categories[0]?.score ?? 0,
      };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, maxFaces);
}

export async function createFaceDetector(options: FaceDetectorOptions): Promise<FaceDetector> {
  const { wasmFolder, model } = faceDetectorAssets(options.assetBase);
  let task: MediaPipeFaceDetector;
  try {
    // Imported here so the app's first paint does not wait for MediaPipe's bundle.
    const { FaceDetector, FilesetResolver } = await import('@mediapipe/tasks-vision');
    const fileset = await FilesetResolver.forVisionTasks(wasmFolder);
    task = await FaceDetector.createFromOptions(fileset, {
      baseOptions: { modelAssetPath: model, delegate: options.delegate },
      runningMode: options.runningMode,
      minDetectionConfidence: options.minDetectionConfidence,
    });
    removeLoaderScripts(fileset.wasmLoaderPath);
  } catch (error) {
    throw new MoodlensError(
      'detector-load',
      `The face detector could not be loaded (wasm from ${wasmFolder}/, model ${model}): ${describeError(error)}. ` +
        'Run `npm run assets` to put these files in place.',
      { cause: error },
    );
  }
  const usageLoggingDisabled = disableUsageLogging(task);

  let mode = options.runningMode;
  // MediaPipe needs strictly increasing timestamps, and IMAGE calls use "previous + 1".
  let lastTimestamp = 0;
  return {
    get runningMode() {
      return mode;
    },
    usageLoggingDisabled,
    detect(image, size, timestampMs = performance.now()) {
      if (mode === 'IMAGE') {
        lastTimestamp += 1;
        return toDetectedFaces(task.detect(image).detections, size, options.maxFaces);
      }
      const timestamp = Math.max(timestampMs, lastTimestamp + 1);
      lastTimestamp = timestamp;
      return toDetectedFaces(task.detectForVideo(image, timestamp).detections, size, options.maxFaces);
    },
    async setRunningMode(next) {
      if (next === mode) return;
      await task.setOptions({ runningMode: next });
      mode = next;
    },
    close() {
      task.close();
    },
  };
}

/** MediaPipe appends a <script> for its wasm loader on every createFromOptions and never removes
 * it (about 120 kB and two listeners each time). Once the task exists the script has run. */
function removeLoaderScripts(loaderPath: string): void {
  if (typeof document === 'undefined') return;
  const loader = new URL(loaderPath, document.baseURI).href;
  for (const script of document.querySelectorAll('script[src]')) {
    if ((script as HTMLScriptElement).src === loader) script.remove();
  }
}

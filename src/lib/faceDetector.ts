/**
 * MediaPipe FaceDetector behind a small interface, with everything served from the app: the wasm
 * from `<assetBase>vendor/mediapipe/`, the model from `<assetBase>vendor/face_detector.tflite`
 * (BlazeFace short range, for video) or `face_detector_full_range.tflite` (full range, for photos:
 * it finds smaller faces in one look). Usage logging is switched off (see telemetry.ts).
 * It looks at one view at a time (the whole frame or a tile, see scan.ts), always in IMAGE mode:
 * MediaPipe's VIDEO mode adds nothing for face detection but the need for increasing timestamps.
 */
import type { Detection, FaceDetector as MediaPipeFaceDetector } from '@mediapipe/tasks-vision';
import { describeError, MoodlensError } from './errors';
import { disableUsageLogging } from './telemetry';
import { BLAZEFACE_FULL, BLAZEFACE_SHORT, type FaceDetectorScale } from './scan';
import type { DetectedFace, FaceDetectorName, ImageSource, Size } from './types';

export interface FaceDetectorOptions {
  assetBase: string;
  minDetectionConfidence: number;
  delegate: 'CPU' | 'GPU';
  /** BlazeFace short range (default) or full range. */
  range?: 'short' | 'full';
}

export interface FaceDetector {
  readonly name: FaceDetectorName;
  /** Its input size and the smallest face it finds reliably there (for scan.ts). */
  readonly scale: FaceDetectorScale;
  /** Whether MediaPipe's usage logger was found and disabled. */
  readonly usageLoggingDisabled: boolean;
  /** Faces in `image` (of the given size, pixels of that image), best score first. */
  detect(image: ImageSource, size: Size): DetectedFace[];
  setMinConfidence(value: number): Promise<void>;
  close(): void;
}

export function faceDetectorAssets(assetBase: string, range: 'short' | 'full' = 'short') {
  return {
    wasmFolder: `${assetBase}vendor/mediapipe`,
    model: `${assetBase}vendor/${range === 'full' ? 'face_detector_full_range' : 'face_detector'}.tflite`,
  };
}

/** MediaPipe detections -> our faces: pixel boxes as given, keypoints from normalised to pixels,
 * score from the first category; sorted by score. */
export function toDetectedFaces(detections: readonly Detection[], size: Size): DetectedFace[] {
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
    .sort((a, b) => b.score - a.score);
}

export async function createFaceDetector(options: FaceDetectorOptions): Promise<FaceDetector> {
  const { wasmFolder, model } = faceDetectorAssets(options.assetBase, options.range);
  let task: MediaPipeFaceDetector;
  try {
    // Imported here so the app's first paint does not wait for MediaPipe's bundle.
    const { FaceDetector, FilesetResolver } = await import('@mediapipe/tasks-vision');
    const fileset = await FilesetResolver.forVisionTasks(wasmFolder, inModuleWorker());
    task = await FaceDetector.createFromOptions(fileset, {
      baseOptions: { modelAssetPath: model, delegate: options.delegate },
      runningMode: 'IMAGE',
      minDetectionConfidence: options.minDetectionConfidence,
    });
    removeLoaderScripts(fileset.wasmLoaderPath);
    warmUp(task);
  } catch (error) {
    throw new MoodlensError(
      'face-detector-load',
      `The face detector could not be loaded (wasm from ${wasmFolder}/, model ${model}): ${describeError(error)}. ` +
        'Run `npm run assets` to put these files in place.',
      { cause: error },
    );
  }
  const usageLoggingDisabled = disableUsageLogging(task);
  return {
    name: 'mediapipe',
    scale: options.range === 'full' ? BLAZEFACE_FULL : BLAZEFACE_SHORT,
    usageLoggingDisabled,
    detect: (image, size) => toDetectedFaces(task.detect(image).detections, size),
    async setMinConfidence(value) {
      await task.setOptions({ minDetectionConfidence: value });
    },
    close() {
      task.close();
    },
  };
}

/** A module worker cannot importScripts() MediaPipe's classic wasm loader: it takes the loader's ES
 * module build (vision_wasm_module_internal.*). importScripts() with no URL does nothing in a
 * classic worker and throws in a module worker. */
function inModuleWorker(): boolean {
  const scope = globalThis as { importScripts?: () => void };
  if (typeof document !== 'undefined' || typeof scope.importScripts !== 'function') return false;
  try {
    scope.importScripts();
    return false;
  } catch {
    return true;
  }
}

/** The first detect() builds MediaPipe's graph and GL state (hundreds of ms in software GL): done
 * here, while the emotion models still load, rather than on the first frame. */
function warmUp(task: MediaPipeFaceDetector): void {
  const blank = typeof document !== 'undefined' ? document.createElement('canvas') : new OffscreenCanvas(1, 1);
  blank.width = blank.height = 128;
  blank.getContext('2d')?.fillRect(0, 0, 128, 128);
  task.detect(blank);
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

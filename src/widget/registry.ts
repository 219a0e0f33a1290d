/**
 * Detectors shared between the widgets of a page: one per option set (asset base, models, max
 * faces, sensitivity), created on first use, counted, and closed when the last widget lets go.
 *
 * TF.js has one active backend per page, so the first detector's backend is kept for all later
 * ones (switching it would move every loaded model to another backend). Creations run one after
 * another so that two widgets appearing together do not initialise backends at the same time.
 */
import type { Backend, EmotionDetector, EmotionDetectorOptions, LoadProgress, RunningMode } from '../lib';

export interface DetectorRequest {
  assetBase: string;
  models: readonly string[];
  maxFaces: number;
  minFaceSize: number;
  minDetectionConfidence: number;
  backend: Backend | 'auto';
  /** What the first widget needs first ('VIDEO': a camera, whose first frames the TF.js face
   * detector reads while MediaPipe loads). Not part of the key: it only orders the start-up. */
  runningMode?: RunningMode;
}

/** One widget's share of a detector. */
export interface Lease {
  readonly detector: Promise<EmotionDetector>;
  /** Calls `listener` with the detector's loading progress (at once with the latest) until the
   * returned function is called. */
  watchLoading(listener: (progress: LoadProgress) => void): () => void;
  /** Gives the share back (once; later calls do nothing). */
  release(): void;
}

export type CreateDetector = (options: EmotionDetectorOptions) => Promise<EmotionDetector>;

interface Entry {
  detector: Promise<EmotionDetector>;
  refs: number;
  progress: LoadProgress | null;
  listeners: Set<(progress: LoadProgress) => void>;
}

export interface DetectorRegistry {
  acquire(request: DetectorRequest): Lease;
  /** Number of detectors currently shared (loading or loaded). */
  readonly size: number;
}

export function detectorKey(request: DetectorRequest): string {
  return JSON.stringify([request.assetBase, [...request.models].sort(), request.maxFaces, request.minFaceSize, request.minDetectionConfidence]);
}

export function createRegistry(create: CreateDetector, warn: (message: string) => void = console.warn): DetectorRegistry {
  const entries = new Map<string, Entry>();
  let pageBackend: Backend | undefined;
  let creating: Promise<unknown> = Promise.resolve();

  function backendFor(requested: Backend | 'auto'): Backend | 'auto' {
    if (pageBackend === undefined) return requested;
    if (requested !== 'auto' && requested !== pageBackend) {
      warn(`<emotion-detector> backend="${requested}" ignored: this page already runs TF.js on ${pageBackend} (one backend per page).`);
    }
    return pageBackend;
  }

  function open(key: string, request: DetectorRequest): Entry {
    const detector = creating.then(async () => {
      const loaded = await create({
        assetBase: request.assetBase,
        models: [...request.models],
        maxFaces: request.maxFaces,
        minFaceSize: request.minFaceSize,
        minDetectionConfidence: request.minDetectionConfidence,
        backend: backendFor(request.backend),
        runningMode: request.runningMode ?? 'IMAGE',
        // Each widget tracks and smooths its own faces (see element.ts): the shared detector's own
        // tracker would mix the faces of two cameras.
        smoothing: false,
        onProgress(progress) {
          entry.progress = progress;
          entry.listeners.forEach((listener) => listener(progress));
        },
      });
      pageBackend ??= loaded.backend;
      return loaded;
    });
    // Only the order matters: holding the detector itself here would keep the last closed one alive.
    creating = detector.then(
      () => undefined,
      () => undefined,
    );
    const entry: Entry = { detector, refs: 0, progress: null, listeners: new Set() };
    // A failed load must not stick: the next acquire tries again.
    detector.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
    entries.set(key, entry);
    return entry;
  }

  return {
    acquire(request) {
      const key = detectorKey(request);
      const entry = entries.get(key) ?? open(key, request);
      entry.refs++;
      let released = false;
      return {
        detector: entry.detector,
        watchLoading(listener) {
          entry.listeners.add(listener);
          if (entry.progress) listener(entry.progress);
          return () => entry.listeners.delete(listener);
        },
        release() {
          if (released) return;
          released = true;
          entry.refs--;
          if (entry.refs > 0) return;
          if (entries.get(key) === entry) entries.delete(key);
          entry.detector.then(
            (detector) => detector.close(),
            () => undefined,
          );
        },
      };
    },
    get size() {
      return entries.size;
    },
  };
}

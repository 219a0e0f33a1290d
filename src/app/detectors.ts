/**
 * The page's one emotion detector, created on first use and kept for the page's lifetime: loading
 * the face and emotion models takes seconds, switching tabs should not repeat it. Both views share
 * it (detect() and detectForVideo() switch MediaPipe's running mode as needed), and the model
 * picker switches its emotion models in place.
 */
import { createEmotionDetector, DEFAULT_MAX_FACES, type EmotionDetector, type LoadProgress, type RunningMode } from '../lib';
import type { AppConfig } from './config';

export type { EmotionDetector };

/** More faces than this in one picture: only the most confident ones are analysed. */
export const MAX_FACES = DEFAULT_MAX_FACES;

let detector: Promise<EmotionDetector> | null = null;
let progress: LoadProgress | null = null;
let loads = 0;
let firstLoadSettled: () => void = () => {};
const firstLoad = new Promise<void>((resolve) => (firstLoadSettled = resolve));

/**
 * Resolves `settleMs` after the first detector has loaded (or failed to: its first photo or frames
 * are analysed meanwhile), or after `idleMs` if none has started loading by then: for work that
 * should not compete with a first start.
 */
export function afterFirstStart(settleMs = 5_000, idleMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    void firstLoad.then(() => setTimeout(resolve, settleMs));
    setTimeout(() => {
      if (loads === 0) resolve();
    }, idleMs);
  });
}
const progressListeners = new Set<(progress: LoadProgress) => void>();

/** Calls `listener` with the detector's loading progress (at once with the latest, if any) until
 * the returned function is called. */
export function watchLoading(listener: (progress: LoadProgress) => void): () => void {
  progressListeners.add(listener);
  if (progress) listener(progress);
  return () => progressListeners.delete(listener);
}
/** The emotion models the picker asks for; null until it has asked (then config.model). */
let wantedModels: string[] | null = null;

export function getDetector(firstMode: RunningMode, config: AppConfig): Promise<EmotionDetector> {
  if (!detector) {
    const generation = ++loads;
    const loading = createEmotionDetector({
      assetBase: import.meta.env.BASE_URL,
      models: wantedModels ?? [config.model],
      backend: config.backend,
      runningMode: firstMode,
      maxFaces: MAX_FACES,
      onProgress(latest) {
        if (generation !== loads) return; // an abandoned load
        progress = latest;
        progressListeners.forEach((listener) => listener(latest));
      },
    });
    detector = loading;
    loading.then(firstLoadSettled, firstLoadSettled);
    // A failed load (missing model, no backend) must not stick: the next attempt retries.
    loading.catch(() => {
      if (detector === loading) detector = progress = null;
    });
  }
  return detector;
}

/**
 * Starts loading the detector before its first use, once the calling view has painted, for a view
 * that will need it: the person's Start or photo then waits only for the camera or the file. A
 * failed load is dropped here (it does not stick); the first use loads again and reports the
 * error. Returns a function that cancels it if it has not started (for `$effect`).
 */
export function preloadDetector(firstMode: RunningMode, config: AppConfig): () => void {
  const id = setTimeout(() => getDetector(firstMode, config).catch(() => {}), 0);
  return () => clearTimeout(id);
}

/**
 * Makes `names` the emotion models: at once if the detector exists (the old models are freed once
 * the new ones are loaded), else when it is created. If loading fails, the current models stay
 * and the error is thrown.
 */
export async function useModels(names: string[]): Promise<void> {
  const previous = wantedModels;
  wantedModels = [...names];
  const current = detector;
  if (!current) return;
  let ready: EmotionDetector;
  try {
    ready = await current;
  } catch {
    return; // its creation failed: the next getDetector() creates one with the new models
  }
  try {
    await ready.setModels(names);
  } catch (error) {
    wantedModels = previous;
    throw error;
  }
}

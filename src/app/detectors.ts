/**
 * The page's one emotion detector, created on first use and kept for the page's lifetime: loading
 * the face and emotion models takes seconds, switching tabs should not repeat it. Both views share
 * it (detect() and detectForVideo() switch MediaPipe's running mode as needed), and the model
 * picker switches its emotion models in place.
 */
import { createEmotionDetector, DEFAULT_MAX_FACES, type EmotionDetector, type RunningMode } from '../lib';
import type { AppConfig } from './config';

export type { EmotionDetector };

/** More faces than this in one picture: only the most confident ones are analysed. */
export const MAX_FACES = DEFAULT_MAX_FACES;

let detector: Promise<EmotionDetector> | null = null;
/** The emotion models the picker asks for; null until it has asked (then config.model). */
let wantedModels: string[] | null = null;

export function getDetector(firstMode: RunningMode, config: AppConfig): Promise<EmotionDetector> {
  if (!detector) {
    const loading = createEmotionDetector({
      assetBase: import.meta.env.BASE_URL,
      models: wantedModels ?? [config.model],
      backend: config.backend,
      runningMode: firstMode,
      maxFaces: MAX_FACES,
    });
    detector = loading;
    // A failed load (missing model, no backend) must not stick: the next attempt retries.
    loading.catch(() => {
      if (detector === loading) detector = null;
    });
  }
  return detector;
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

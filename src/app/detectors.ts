/**
 * The page's one emotion detector, created on first use and kept for the page's lifetime: loading
 * the face and emotion models takes seconds, switching tabs should not repeat it. Both views share
 * it (detect() and detectForVideo() switch MediaPipe's running mode as needed).
 */
import { createEmotionDetector } from '../lib';
import type { EmotionDetector, RunningMode } from '../lib/types';
import type { AppConfig } from './config';

export type { EmotionDetector };

/** More faces than this in one picture: only the most confident ones are analysed. */
export const MAX_FACES = 20;

let detector: Promise<EmotionDetector> | null = null;

export function getDetector(firstMode: RunningMode, config: AppConfig): Promise<EmotionDetector> {
  if (!detector) {
    const loading = createEmotionDetector({
      assetBase: import.meta.env.BASE_URL,
      models: [config.model],
      backend: config.backend,
      runningMode: firstMode,
      maxFaces: MAX_FACES,
      smoothing: 0.6,
    });
    detector = loading;
    // A failed load (missing model, no backend) must not stick: the next attempt retries.
    loading.catch(() => {
      if (detector === loading) detector = null;
    });
  }
  return detector;
}

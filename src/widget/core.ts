/**
 * The page's shared detectors. The core's createEmotionDetector() loads TF.js and MediaPipe on
 * first use, so the widget's own module stays small and a page pays for the models only when a
 * widget is shown and started.
 */
import { createEmotionDetector, type EmotionDetector, type EmotionDetectorOptions } from '../lib';
import { createRegistry, type DetectorRegistry } from './registry';

export function createDetector(options: EmotionDetectorOptions): Promise<EmotionDetector> {
  return createEmotionDetector(options);
}

let registry: DetectorRegistry | undefined;

/** The page's shared detectors (one registry per copy of this module). */
export function sharedDetectors(): DetectorRegistry {
  return (registry ??= createRegistry(createDetector));
}

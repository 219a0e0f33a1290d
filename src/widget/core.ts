/**
 * The heavy core (TF.js, MediaPipe) loaded on first use: the widget's own module stays small, and
 * a page pays for the models only when a widget is shown and started.
 */
import { describeError, MoodlensError } from '../lib/errors';
import type { EmotionDetector, EmotionDetectorOptions } from '../lib/types';
import { createRegistry, type DetectorRegistry } from './registry';

type Core = typeof import('../lib/detector');

let core: Promise<Core> | undefined;

export function loadCore(): Promise<Core> {
  if (!core) {
    const loading = import('../lib/detector').catch((error: unknown) => {
      core = undefined; // a network hiccup must not stick
      throw new MoodlensError('detector-load', `The emotion detector's code could not be loaded: ${describeError(error)}`, { cause: error });
    });
    core = loading;
  }
  return core;
}

export function createDetector(options: EmotionDetectorOptions): Promise<EmotionDetector> {
  return loadCore().then((loaded) => loaded.createEmotionDetector(options));
}

let registry: DetectorRegistry | undefined;

/** The page's shared detectors (one registry per copy of this module). */
export function sharedDetectors(): DetectorRegistry {
  return (registry ??= createRegistry(createDetector));
}

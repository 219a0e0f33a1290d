/** The programmatic API of the bundle: the core's factory, with the assets beside the module by default. */
import type { EmotionDetector, EmotionDetectorOptions } from '../lib';
import { DEFAULT_ASSET_BASE } from './asset-base';
import { createDetector } from './core';

/**
 * Creates an emotion detector (see EmotionDetectorOptions). Unlike the core's default ('/'),
 * `assetBase` defaults to the folder this module was loaded from.
 */
export function createEmotionDetector(options: EmotionDetectorOptions = {}): Promise<EmotionDetector> {
  return createDetector({ ...options, assetBase: options.assetBase ?? DEFAULT_ASSET_BASE });
}

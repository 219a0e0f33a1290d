/**
 * The widget bundle's entry (widget-dist/emotion-detector.js): defines <emotion-detector> and
 * exports the programmatic API. Only light modules are imported here; TF.js and MediaPipe load on
 * first use (see core.ts).
 */
import { EmotionDetectorElement } from './element';

export { EmotionDetectorElement };
export type { EmotionDetectorEventMap, EmotionsDetail, ReadyDetail, WidgetFace, WidgetState } from './element';
export { createEmotionDetector } from './api';
export { DEFAULT_ASSET_BASE } from './asset-base';
export { WidgetError, type WidgetErrorCode, type WidgetErrorDetail } from './errors';
export { decodeImageFile, sniffImageType } from '../lib/decode';
export { drawResults, faceLabel, EMOTION_COLORS, type DrawOptions } from '../lib/draw';
export { MoodlensError, isMoodlensError, cameraError, type MoodlensErrorCode } from '../lib/errors';
export * from '../lib/types';

export const TAG_NAME = 'emotion-detector';

// A second copy of the bundle on the same page keeps the first definition.
if (!customElements.get(TAG_NAME)) customElements.define(TAG_NAME, EmotionDetectorElement);

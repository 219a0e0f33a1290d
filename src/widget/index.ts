/**
 * The widget bundle's entry (widget-dist/emotion-detector.js): defines <emotion-detector> and
 * exports the core's public API (src/lib/index.ts). Only light modules load with it; TF.js and
 * MediaPipe load when a detector is first created.
 */
import { EmotionDetectorElement } from './element';

export * from '../lib';
// Shadows the core's factory: assets are looked up beside this module by default.
export { createEmotionDetector } from './api';
export { EmotionDetectorElement };
export type { EmotionDetectorEventMap, EmotionsDetail, ReadyDetail, WidgetFace, WidgetState } from './element';
export { DEFAULT_ASSET_BASE } from './asset-base';
export { WidgetError, type WidgetErrorCode, type WidgetErrorDetail } from './errors';

export const TAG_NAME = 'emotion-detector';

// A second copy of the bundle on the same page keeps the first definition; a worker has no elements.
if (typeof customElements !== 'undefined' && !customElements.get(TAG_NAME)) customElements.define(TAG_NAME, EmotionDetectorElement);

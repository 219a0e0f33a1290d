/** moodlens core: the public API. Everything here is framework-free. */
export { createEmotionDetector } from './detector';
export { decodeImageFile, sniffImageType } from './decode';
export { drawResults, faceLabel, overlayBox, EMOTION_COLORS, type DrawOptions } from './draw';
export { MoodlensError, isMoodlensError, cameraError, type MoodlensErrorCode } from './errors';
export { fitWithin, mirrorBox } from './geometry';
export { selectBackend } from './backend';
export { DEFAULT_MARGIN } from './align';
export { USAGE_LOG_HOST } from './telemetry';
export * from './types';

/** moodlens core: the public API. Everything here is framework-free. */
export { createEmotionDetector } from './detector';
export { loadModelMetadata } from './classifier';
export { decodeImageFile, sniffImageType } from './decode';
export { drawResults, faceLabel, overlayBox, EMOTION_COLORS, type DrawOptions } from './draw';
export { MoodlensError, isMoodlensError, cameraError, type MoodlensErrorCode } from './errors';
export { listCameras, openCamera, stopStream, nextVideoFrame } from './camera';
export { explainFaces, explanationKind, samplingQuad, type ExplanationKind } from './explain';
export { fitWithin, mirrorBox } from './geometry';
export { chooseBackend, selectBackend, type BackendChoice, type BackendReason } from './backend';
export { DEFAULT_MARGIN } from './align';
export * from './defaults';
export { USAGE_LOG_HOST } from './telemetry';
export * from './types';

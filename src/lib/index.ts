/**
 * moodlens core: the public API, the one module the app, the widget and other pages import.
 * Everything here is framework-free and light: the pipeline itself (TF.js, MediaPipe) loads when
 * createEmotionDetector() is first called.
 */
export { createEmotionDetector, preloadPipeline } from './create';
export { loadModelMetadata } from './modelFiles';
export { describeProgress, formatBytes, LOAD_STAGES } from './loadProgress';
export { MODEL_CHOICES, FAST_MODEL, ACCURATE_MODEL, modelsFor, chooseModels, modelAvailable, type ModelChoice, type ModelProbe, type ChooseModelsOptions } from './modelChoice';
export { runVideoLoop, watchCamera, nextVideoFrame } from './videoLoop';
export { openVideoFile, closeVideoFile, analyseVideoFile, sampleTimes, DEFAULT_SAMPLES_PER_SECOND, type VideoFileOptions, type VideoFileSummary } from './videoFile';
export { listCameras, openCamera, stopStream } from './camera';
export { decodeImageFile, sniffImageType } from './decode';
export { drawResults, faceLabel, overlayBox, EMOTION_COLORS, type DrawOptions } from './draw';
export { MoodlensError, isMoodlensError, cameraError, describeError, type MoodlensErrorCode } from './errors';
export { fitWithin, mirrorBox } from './geometry';
export { DEFAULT_MARGIN } from './align';
export * from './defaults';
export { USAGE_LOG_HOST } from './telemetry';
export * from './types';

/**
 * The public shapes of the moodlens core. Everything under src/lib is framework-free: the
 * Svelte app and the widget are thin shells over `createEmotionDetector` (see index.ts).
 */

/** FER2013 class names, in the order the shipped models output them. */
export const EMOTIONS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] as const;
export type Emotion = (typeof EMOTIONS)[number];

export interface Point {
  x: number;
  y: number;
}

/** Pixel box in the source image's coordinates (not mirrored). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A face as the face detector reports it, before any emotion is read. */
export interface DetectedFace {
  box: Box;
  /** MediaPipe BlazeFace order: right eye, left eye, nose tip, mouth, right ear, left ear (subject's right/left). */
  keypoints: Point[];
  score: number;
}

export interface EmotionFace extends DetectedFace {
  /** Stable across frames while the tracker follows the face; fresh ids for new faces. */
  id: number;
  /** Probability per emotion, summing to 1 (smoothed over time in video mode). */
  probabilities: Record<Emotion, number>;
  top: { label: Emotion; probability: number };
}

export interface StageTimings {
  detect: number;
  preprocess: number;
  classify: number;
}

export interface EmotionResult {
  faces: EmotionFace[];
  /** Source size in pixels, as analysed (after any downscaling of huge images). */
  width: number;
  height: number;
  timings: StageTimings;
}

export type Backend = 'webgl' | 'wasm' | 'cpu';
export type ImageSource = HTMLImageElement | HTMLVideoElement | HTMLCanvasElement | ImageBitmap | OffscreenCanvas;

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

/** Milliseconds per pipeline stage (on WebGL, `preprocess` only covers queuing GPU work: the wait shows up in `classify`). */
export interface StageTimings {
  detect: number;
  preprocess: number;
  classify: number;
}

/** Which face detector found the faces: MediaPipe's BlazeFace short range (needs WebGL), or
 * BlazeFace back-camera on TF.js (where MediaPipe cannot run). */
export type FaceDetectorName = 'mediapipe' | 'blazeface-tfjs';

export interface EmotionResult {
  faces: EmotionFace[];
  /** Source size in pixels, as analysed (after any downscaling of huge images). */
  width: number;
  height: number;
  timings: StageTimings;
  faceDetector: FaceDetectorName;
}

/** A square grey image as the emotion models see a face: row-major, `size` x `size`, values in [-1, 1]. */
export interface FaceImage {
  size: number;
  pixels: Float32Array;
}

/** Where a model looks in one face crop, for models that can show it (see explain.ts); aligned with the crop. */
export type FaceExplanation = HeatmapExplanation | TransformerExplanation;

/** A heatmap from spatial attention (AER-CNN's attention maps): where its gates let features through. */
export interface HeatmapExplanation {
  kind: 'heatmap';
  size: number;
  /** Mean of the attention maps, each scaled to [0, 1] and upsampled to the crop: row-major, `size` x `size`, in [0, 1]. */
  heatmap: Float32Array;
  /** The attention layers combined, shallow to deep. */
  layers: string[];
}

/** @deprecated The first name of HeatmapExplanation (whose kind was 'attention'). */
export type AttentionExplanation = HeatmapExplanation;

/** Spatial transformer (Deep-Emotion): the region of the face the model resamples and passes on. */
export interface TransformerExplanation {
  kind: 'transformer';
  size: number;
  /** The affine map, row-major 2x3, from output to input in normalised coordinates [-1, 1]. */
  theta: number[];
  /** The face crop resampled by theta (what the transformer "looks at"): row-major, `size` x `size`, in [-1, 1]. */
  warped: Float32Array;
  /** Corners of the sampled region in crop pixels (0..size): the output's top-left, top-right, bottom-right, bottom-left. */
  quad: Point[];
}

export interface ExplainedFace extends EmotionFace {
  /** The face as the emotion models saw it. */
  crop: FaceImage;
  /** What the explaining model attends to; null when no loaded model can tell. */
  explanation: FaceExplanation | null;
}

export interface ExplainedResult extends EmotionResult {
  faces: ExplainedFace[];
  /** The model whose attention the explanations show (the first loaded one that has any), or null. */
  explainedBy: string | null;
}

export type Backend = 'webgl' | 'wasm' | 'cpu';
export type RunningMode = 'IMAGE' | 'VIDEO';
export type Probabilities = Record<Emotion, number>;

export interface Size {
  width: number;
  height: number;
}
export type ImageSource = HTMLImageElement | HTMLVideoElement | HTMLCanvasElement | ImageBitmap | OffscreenCanvas;

/** A model's metadata.json, validated (see metadata.ts). */
export interface ModelMetadata {
  name: string;
  architecture?: string;
  /** The model's output order. */
  labels: Emotion[];
  inputSize: number;
  channels: 1;
  normalization: '[-1,1]';
  parameters?: number;
  sizeBytes?: number;
  /** Free-form training and evaluation facts, shown as-is. */
  metrics?: Record<string, unknown>;
  training?: Record<string, unknown>;
  /** For each of EMOTIONS (in order), its index in the model's output. */
  outputIndex: number[];
}

export interface EmotionDetectorOptions {
  /** URL prefix of the served assets, ending in '/'. Default '/'. */
  assetBase?: string;
  /** Model folder names under `<assetBase>models/`; several are averaged. Default ['mini-xception']. */
  models?: string[];
  /** Default 'auto': webgl, then wasm, then cpu. */
  backend?: Backend | 'auto';
  /** Initial mode; detect()/detectForVideo() switch it when needed. Default 'IMAGE'. */
  runningMode?: RunningMode;
  /** Default 20. */
  maxFaces?: number;
  /** Faces the face detector scores lower are ignored (0..1); faces found only in a tile of a photo need 0.25 more. Default 0.5. */
  minDetectionConfidence?: number;
  /** The smallest face to find, pixels of the analysed image (its side). Photos are searched in
   * tiles down to this size; video frames mostly at their whole size (see faceSearch.ts). Default 40. */
  minFaceSize?: number;
  /** Extra border around the face box, as a fraction of its side (see align.ts). */
  margin?: number;
  /** Weight of the past in video mode (0..1), false for raw per-frame probabilities. Default 0.6. */
  smoothing?: number | false;
  /** Sources larger than this (longest side, pixels) are downscaled before analysis. Default 1920. */
  maxAnalysisSide?: number;
  /** Average each face's probabilities with its mirror image's (test-time augmentation, twice the
   * classifier's time). Default: on for images, off for video frames, which are smoothed over time instead. */
  flip?: boolean;
  /** MediaPipe delegate. Default 'CPU' (the GPU delegate needs WebGL2 and is slow in software GL). */
  delegate?: 'CPU' | 'GPU';
  /** Used to load the emotion models. Default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Called as the detector loads: stages and bytes (see LoadProgress). */
  onProgress?: (progress: LoadProgress) => void;
}

/** The parts of a detector's start, in order; they overlap (see StartupTimings). */
export type LoadStage = 'code' | 'faceDetector' | 'backend' | 'models' | 'warmUp';
export type StageState = 'waiting' | 'loading' | 'done';

export interface LoadProgress {
  stages: Record<LoadStage, StageState>;
  /** Bytes of the asset folder's files received so far (wasm, face detector and emotion models). */
  loaded: number;
  /** Bytes of the files requested so far, as their responses stated; a file without a stated size
   * (e.g. compressed on the fly, whose stated size is not the size read) counts what has arrived. */
  total: number;
  /** 0..1, never decreasing: the stages done, the loading ones in proportion to the bytes; 1 when ready. */
  fraction: number;
}

/** One video stream analysed by a shared EmotionDetector (see openVideoSession). */
export interface VideoSession {
  /** One frame of this stream: faces tracked (stable ids) and probabilities smoothed. */
  detect(video: ImageSource): Promise<EmotionResult>;
  /** Forgets this stream's tracked faces (e.g. when its camera restarts). */
  reset(): void;
  /** Weight of the past (0..1) or false. */
  setSmoothing(value: number | false): void;
  /** Ends the session (the detector stays open). */
  close(): void;
}

/** Milliseconds from the call to createEmotionDetector until each stage was done. */
export interface StartupTimings {
  /** The first face detector ready: MediaPipe's wasm and model, or the TF.js one (when MediaPipe
   * is not ready by the time the models are, or cannot start). */
  faceDetector: number;
  /** The TF.js backend started. */
  backend: number;
  /** The emotion models fetched and built. */
  models: number;
  /** One warm-up pass done (shaders compiled, kernels ready). */
  warmUp: number;
  /** Everything ready: the first frame can be analysed. */
  total: number;
}

export interface EmotionDetector {
  readonly backend: Backend;
  /** The face detector in use now (see FaceDetectorName). Where MediaPipe is still loading when
   * the emotion models are ready, the TF.js face detector serves video frames meanwhile (photos
   * wait for MediaPipe), and MediaPipe takes over once loaded. */
  readonly faceDetector: FaceDetectorName;
  /** The face detector the detector settles on: 'mediapipe', or 'blazeface-tfjs' where MediaPipe
   * cannot start. Resolves at once unless MediaPipe is still loading. */
  readonly faceDetectorReady: Promise<FaceDetectorName>;
  /** Why this backend: 'requested' by name, 'preferred' (the first choice of 'auto'),
   * 'software-webgl' (wasm chosen because WebGL is software-rendered here), or 'fallback' (the
   * first choice could not start). */
  readonly backendReason: 'requested' | 'preferred' | 'software-webgl' | 'fallback';
  readonly models: readonly ModelMetadata[];
  readonly runningMode: RunningMode;
  /** How long creating this detector took, by stage (they overlap: MediaPipe loads while the
   * backend starts and the models load and warm up). */
  readonly startup: StartupTimings;
  /** Every face in one image, raw probabilities, listed and numbered (ids 1..n) left to right. */
  detect(image: ImageSource): Promise<EmotionResult>;
  /** Like detect(), plus for every face the crop the models saw and, when a loaded model has
   * spatial attention or a spatial transformer, what it looks at (see explain.ts). */
  explain(image: ImageSource): Promise<ExplainedResult>;
  /** One video frame: faces are tracked (stable ids) and probabilities smoothed. */
  detectForVideo(video: ImageSource, timestampMs: number): Promise<EmotionResult>;
  /** Loads the named models (keeping already-loaded ones), then frees the ones no longer used. */
  setModels(names: string[]): Promise<void>;
  /** Changes smoothing, the face margin or the sensitivity (minFaceSize, minDetectionConfidence),
   * from the next image or frame on. */
  setOptions(options: Pick<EmotionDetectorOptions, 'smoothing' | 'margin' | 'minFaceSize' | 'minDetectionConfidence'>): void;
  /** Forgets tracked faces (e.g. when the camera restarts). */
  resetTracking(): void;
  /** A video stream of its own (e.g. one per camera on a page sharing this detector): its own
   * tracked faces, smoothing and search for small faces; the models are shared. */
  openVideoSession(options?: { smoothing?: number | false }): VideoSession;
  /** Frees the MediaPipe task, the models and all tensors; later calls fail with code 'closed'. */
  close(): void;
}

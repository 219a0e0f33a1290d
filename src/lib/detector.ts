/**
 * The one factory: face detection -> aligned 48x48 crops -> emotion model(s) -> (video) tracking
 * and smoothing. Calls run one at a time, in order, so a render loop that does not await cannot
 * overlap two frames or close the detector under a running call.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_MARGIN, faceCrop } from './align';
import { chooseBackend, webglRenderer, type BackendChoice, type BackendOptions } from './backend';
import { blazeFaceAssets, createBlazeFaceDetector } from './blazeface';
import { classify, loadEmotionModel, type EmotionModel } from './classifier';
import { DEFAULT_MAX_ANALYSIS_SIDE, DEFAULT_MAX_FACES, DEFAULT_MIN_CONFIDENCE, DEFAULT_MIN_FACE_SIZE, DEFAULT_SMOOTHING } from './defaults';
import { MoodlensError } from './errors';
import { explainFaces, explanationKind, faceImages } from './explain';
import { createFaceDetector, type FaceDetector, type FaceDetectorOptions } from './faceDetector';
import { createFaceSearch, detectorThreshold, type SweepState } from './faceSearch';
import { createFrameReader, type FrameReader } from './frame';
import { toProbabilities, topEmotion } from './metadata';
import { createLoadTracker, type LoadTracker } from './loadProgress';
import { createPrefetcher } from './prefetch';
import { preprocessFaces, preprocessRegions } from './preprocess';
import { checkSmoothing } from './smoothing';
import { FaceTracker } from './tracker';
import type {
  Backend,
  EmotionDetector,
  EmotionDetectorOptions,
  EmotionFace,
  EmotionResult,
  ExplainedFace,
  ExplainedResult,
  FaceDetectorName,
  FaceExplanation,
  ImageSource,
  RunningMode,
} from './types';

/** The environment-specific pieces, replaceable for tests or other runtimes. */
export interface DetectorParts {
  chooseBackend(preferred: Backend | 'auto', options: BackendOptions): Promise<BackendChoice>;
  /** Whether this browser has WebGL at all (MediaPipe's face detector needs it). */
  hasWebGL(): boolean;
  /** MediaPipe's face detector. */
  createFaceDetector(options: FaceDetectorOptions): Promise<FaceDetector>;
  /** The TF.js one, for where MediaPipe cannot run (needs the TF.js backend started); its files
   * through `fetch` when given. */
  createFallbackFaceDetector(options: Omit<FaceDetectorOptions, 'delegate'> & { fetch?: typeof fetch }): Promise<FaceDetector>;
  createFrameReader(willReadFrequently: boolean): FrameReader;
  loadModel(modelsBase: string, name: string, fetchImpl?: typeof fetch): Promise<EmotionModel>;
}

export const browserParts: DetectorParts = {
  chooseBackend,
  hasWebGL: () => webglRenderer() !== null,
  createFaceDetector,
  createFallbackFaceDetector: createBlazeFaceDetector,
  createFrameReader,
  loadModel: loadEmotionModel,
};

type Settings = Required<Omit<EmotionDetectorOptions, 'fetch' | 'flip' | 'onProgress'>> & { fetch?: typeof fetch; flip?: boolean };

function invalid(message: string): MoodlensError {
  return new MoodlensError('invalid-option', message);
}

function checkModelNames(names: unknown): string[] {
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string' && n !== '')) {
    throw invalid('models must be a non-empty list of model names, e.g. ["mini-xception"]');
  }
  return [...new Set(names as string[])];
}

/** Fills in defaults and rejects impossible values with a message naming the option. */
export function resolveOptions(options: EmotionDetectorOptions = {}): Settings {
  const settings: Settings = {
    assetBase: options.assetBase ?? '/',
    models: checkModelNames(options.models ?? ['mini-xception']),
    backend: options.backend ?? 'auto',
    runningMode: options.runningMode ?? 'IMAGE',
    maxFaces: options.maxFaces ?? DEFAULT_MAX_FACES,
    minDetectionConfidence: options.minDetectionConfidence ?? DEFAULT_MIN_CONFIDENCE,
    minFaceSize: options.minFaceSize ?? DEFAULT_MIN_FACE_SIZE,
    margin: options.margin ?? DEFAULT_MARGIN,
    smoothing: options.smoothing ?? DEFAULT_SMOOTHING,
    maxAnalysisSide: options.maxAnalysisSide ?? DEFAULT_MAX_ANALYSIS_SIDE,
    flip: options.flip,
    delegate: options.delegate ?? 'CPU',
    fetch: options.fetch,
  };
  if (!settings.assetBase.endsWith('/')) throw invalid(`assetBase must end with "/", got ${JSON.stringify(settings.assetBase)}`);
  if (settings.runningMode !== 'IMAGE' && settings.runningMode !== 'VIDEO') throw invalid(`runningMode must be IMAGE or VIDEO`);
  if (!Number.isInteger(settings.maxFaces) || settings.maxFaces < 1) throw invalid(`maxFaces must be a whole number >= 1`);
  checkDetectionOptions(settings);
  if (!(settings.margin > -1 && settings.margin <= 2)) throw invalid('margin must be in (-1, 2]');
  if (!(settings.maxAnalysisSide >= 64)) throw invalid('maxAnalysisSide must be at least 64 pixels');
  if (settings.delegate !== 'CPU' && settings.delegate !== 'GPU') throw invalid('delegate must be CPU or GPU');
  if (settings.flip !== undefined && typeof settings.flip !== 'boolean') throw invalid('flip must be true or false');
  try {
    checkSmoothing(settings.smoothing);
  } catch (error) {
    throw invalid((error as Error).message);
  }
  return settings;
}

/** The two sensitivity settings, checked at creation and by setOptions. */
function checkDetectionOptions(options: Pick<EmotionDetectorOptions, 'minDetectionConfidence' | 'minFaceSize'>): void {
  const { minDetectionConfidence: confidence, minFaceSize: size } = options;
  if (confidence !== undefined && !(confidence >= 0 && confidence <= 1)) throw invalid('minDetectionConfidence must be between 0 and 1');
  if (size !== undefined && !(size >= 8)) throw invalid('minFaceSize must be at least 8 pixels');
}

function checkInputSizes(models: readonly EmotionModel[]): number {
  const sizes = new Set(models.map((m) => m.metadata.inputSize));
  if (sizes.size > 1) throw invalid(`models to average must share one input size, got ${[...sizes].join(' and ')}`);
  return models[0].metadata.inputSize;
}

/** Loads models by name, reusing already-loaded ones; on failure frees what it loaded. */
async function loadModels(parts: DetectorParts, settings: Settings, names: string[], loaded: Map<string, EmotionModel>, fetchImpl = settings.fetch) {
  const fresh: EmotionModel[] = [];
  const results = await Promise.allSettled(
    names.map(async (name) => {
      const existing = loaded.get(name);
      if (existing) return existing;
      const model = await parts.loadModel(`${settings.assetBase}models/`, name, fetchImpl);
      fresh.push(model);
      return model;
    }),
  );
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    fresh.forEach((m) => m.dispose());
    throw failure.reason;
  }
  const models = results.map((r) => (r as PromiseFulfilledResult<EmotionModel>).value);
  try {
    checkInputSizes(models);
  } catch (error) {
    fresh.forEach((m) => m.dispose());
    throw error;
  }
  return models;
}

function leftToRight<T extends { box: { x: number; width: number } }>(faces: T[]): T[] {
  return [...faces].sort((a, b) => a.box.x + a.box.width / 2 - (b.box.x + b.box.width / 2));
}

/** The first model that can show where it looks (see explain.ts). */
function explainingModel(models: readonly EmotionModel[]): EmotionModel | undefined {
  return models.find((m) => explanationKind(m.model) !== null);
}

/** The crops the models saw and what `explainer` attends to in them. */
async function insight(explainer: EmotionModel | undefined, batch: tf.Tensor4D) {
  const crops = await faceImages(batch);
  const explanations: (FaceExplanation | null)[] = explainer ? await explainFaces(explainer.model, batch) : crops.map(() => null);
  return { crops, explanations };
}

/** Video first: when MediaPipe starts if no frame has come by then (ms after start-up). */
const MEDIAPIPE_DELAY_MS = 1000;

/** Runs the pipeline once on a blank image so that WebGL compiles its shaders now rather than
 * on the first real frame (seconds in software GL). */
async function warmUp(models: readonly EmotionModel[]): Promise<void> {
  const batch = tf.tidy(() =>
    preprocessFaces(tf.zeros([64, 64, 3]), [{ center: { x: 32, y: 32 }, side: 48, angle: 0.1 }], models[0].metadata.inputSize),
  );
  try {
    await classify(models, batch);
  } finally {
    batch.dispose();
  }
}

/** `progress`: the caller's tracker (create.ts reports the code stage on it), else one for
 * `options.onProgress`. */
export async function createEmotionDetectorWith(
  parts: DetectorParts,
  options: EmotionDetectorOptions = {},
  progress: LoadTracker | undefined = options.onProgress ? createLoadTracker(options.onProgress) : undefined,
): Promise<EmotionDetector> {
  const settings = resolveOptions(options);
  progress?.stage('code', 'done');
  const stopWatching = progress?.watch(settings.assetBase);
  try {
    return await createDetector(parts, settings, progress);
  } finally {
    stopWatching?.();
  }
}

async function createDetector(parts: DetectorParts, settings: Settings, progress: LoadTracker | undefined): Promise<EmotionDetector> {
  const started = performance.now();
  const startup = { faceDetector: 0, backend: 0, models: 0, warmUp: 0, total: 0 };
  const since = () => Math.round(performance.now() - started);
  const faceDetectorOptions = { assetBase: settings.assetBase, minDetectionConfidence: settings.minDetectionConfidence };
  // Photos first (IMAGE): MediaPipe does not need TF.js, so it loads while the backend starts and
  // the models load and warm up; photos need it for their thorough search. Video first: the TF.js
  // face detector loads with the models and reads the first frames, and MediaPipe starts once they
  // are ready, then takes over: its start (a 13 MB wasm, then seconds of main-thread set-up on a slow
  // machine) would otherwise delay the models and the first frame (docs/benchmarks.md). Without
  // WebGL MediaPipe cannot run at all; if it cannot start, the TF.js face detector stays.
  const webGL = parts.hasWebGL();
  const videoFirst = webGL && settings.runningMode === 'VIDEO';
  progress?.stage('faceDetector', 'loading');
  progress?.stage('backend', 'loading');
  // The model files download while the backend starts (prefetch.ts).
  const early = createPrefetcher(settings.fetch ?? ((input, init) => globalThis.fetch(input, init)));
  settings.models.forEach((name) => early.emotionModel(`${settings.assetBase}models/${name}/`));
  if (videoFirst || !webGL) early.modelJson(blazeFaceAssets(settings.assetBase));
  let tfjsLoading = null as Promise<FaceDetector> | null; // (not narrowed to null: set in a closure)
  const loadTfjsDetector = () => (tfjsLoading ??= parts.createFallbackFaceDetector({ ...faceDetectorOptions, fetch: early.fetch }));
  const modelsLoading = (async () => {
    const choice = await parts.chooseBackend(settings.backend, { assetBase: settings.assetBase });
    startup.backend = since();
    progress?.stage('backend', 'done');
    if (videoFirst) loadTfjsDetector().catch(() => undefined); // its failure is handled below
    progress?.stage('models', 'loading');
    const loaded = await loadModels(parts, settings, settings.models, new Map(), early.fetch);
    startup.models = since();
    progress?.stage('models', 'done');
    progress?.stage('warmUp', 'loading');
    try {
      await warmUp(loaded);
    } catch (error) {
      loaded.forEach((m) => m.dispose());
      throw error;
    }
    startup.warmUp = since();
    progress?.stage('warmUp', 'done');
    return { choice, loaded };
  })();
  // Video first: MediaPipe starts after the first frame (its wasm compile and set-up would slow
  // that frame down too), when a photo needs it, or shortly after start-up if no frame comes.
  let startMediaPipe = () => {};
  const mediaPipeWanted = videoFirst ? new Promise<void>((resolve) => (startMediaPipe = resolve)) : Promise.resolve();
  const mediaPipeLoading: Promise<FaceDetector | null> = webGL
    ? mediaPipeWanted.then(() => parts.createFaceDetector({ ...faceDetectorOptions, delegate: settings.delegate })).catch(() => null)
    : Promise.resolve(null);
  let mediaPipeSettled = false;
  void mediaPipeLoading.then(() => (mediaPipeSettled = true));
  /** The face detector to start with, and MediaPipe if it is still to come. */
  const faceLoading = (async (): Promise<{ first: FaceDetector; coming: Promise<FaceDetector | null> | null }> => {
    if (!videoFirst) {
      const mediaPipe = await mediaPipeLoading;
      if (mediaPipe) return { first: mediaPipe, coming: null };
    }
    await modelsLoading; // the TF.js face detector runs on the backend chosen there
    try {
      return { first: await loadTfjsDetector(), coming: videoFirst ? mediaPipeLoading : null };
    } catch (error) {
      startMediaPipe();
      const mediaPipe = videoFirst ? await mediaPipeLoading : null; // then only MediaPipe is left
      if (mediaPipe) return { first: mediaPipe, coming: null };
      throw error;
    }
  })().then((found) => {
    startup.faceDetector = since();
    progress?.stage('faceDetector', 'done');
    return found;
  });
  const [faceResult, modelResult] = await Promise.allSettled([faceLoading, modelsLoading]);
  if (faceResult.status === 'rejected' || modelResult.status === 'rejected') {
    if (faceResult.status === 'fulfilled') {
      faceResult.value.first.close();
      void faceResult.value.coming?.then((found) => found?.close());
    } else {
      void mediaPipeLoading.then((found) => found?.close());
      void tfjsLoading?.then((found) => found.close(), () => undefined);
    }
    if (modelResult.status === 'fulfilled') modelResult.value.loaded.forEach((m) => m.dispose());
    throw modelResult.status === 'rejected' ? modelResult.reason : (faceResult as PromiseRejectedResult).reason;
  }
  let faceDetector = faceResult.value.first;
  /** MediaPipe while it still loads behind the TF.js face detector (see take MediaPipe below). */
  let coming = faceResult.value.coming;
  startup.total = since();
  const { backend, reason: backendReason } = modelResult.value.choice;
  let models = modelResult.value.loaded;
  const readFrames = () => parts.createFrameReader(backend !== 'webgl');
  /** One video stream's state: its tracked faces, its sweep of the tiles and its own frame canvases
   * (two streams of different sizes sharing one would reallocate them on every frame). */
  interface Stream {
    tracker: FaceTracker;
    sweep: SweepState;
    frames: FrameReader;
  }
  const openStream = (smoothing: number | false): Stream => ({
    tracker: new FaceTracker({ smoothing }),
    sweep: { frames: 0, next: 0 },
    frames: readFrames(),
  });
  const streams = new Set<Stream>();
  const mainStream = openStream(settings.smoothing);
  streams.add(mainStream);
  let search = createFaceSearch(faceDetector, {
    minFaceSize: settings.minFaceSize,
    minConfidence: settings.minDetectionConfidence,
    maxFaces: settings.maxFaces,
  });
  /** Hands over to MediaPipe once it has loaded (`wait`: as soon as it has), between two calls.
   * The tracked faces carry over; the TF.js face detector is freed. */
  async function takeMediaPipe(wait: boolean): Promise<void> {
    if (wait) startMediaPipe();
    if (!coming || (!wait && !mediaPipeSettled)) return;
    const mediaPipe = await coming;
    coming = null;
    if (!mediaPipe) return; // it could not start: the TF.js face detector stays
    if (closed) {
      mediaPipe.close();
      return;
    }
    if (minConfidence !== settings.minDetectionConfidence) await mediaPipe.setMinConfidence(minConfidence);
    faceDetector.close();
    faceDetector = mediaPipe;
    const next = createFaceSearch(mediaPipe, search.options);
    next.options = search.options; // the same options object (setOptions)
    search = next;
  }
  let markClosed = () => {};
  const closing = new Promise<void>((resolve) => (markClosed = resolve));
  // MediaPipe takes over as soon as it has loaded (between two calls), so the TF.js face detector
  // is freed then, not on some later frame.
  const faceDetectorReady: Promise<FaceDetectorName> = coming
    ? Promise.race([coming.then(() => serial(() => takeMediaPipe(false))), closing])
        .catch(() => undefined) // closed meanwhile
        .then(() => faceDetector.name)
    : Promise.resolve(faceDetector.name);
  if (coming) setTimeout(() => closed || startMediaPipe(), MEDIAPIPE_DELAY_MS);
  /** Photos: MediaPipe's full-range BlazeFace finds faces a third the size the short-range one
   * needs in one look, so a photo needs far fewer tiles (docs/finding-faces.md); a second short-range
   * instance takes the photo's second looks, run down to the candidates' score (video's keeps its
   * own threshold: MediaPipe averages the boxes of overlapping finds above it). Loaded with the
   * detector when it starts in IMAGE mode, else on the first photo; without them (an asset folder
   * from before full range shipped), photos use the short-range search. */
  let photoDetectors: FaceDetector[] = [];
  let photoSearchLoading: Promise<typeof search> | null = null;
  const photoSearch = (): Promise<typeof search> => {
    if (faceDetector.name !== 'mediapipe') return Promise.resolve(search);
    const load = (range: 'full' | 'short') =>
      parts.createFaceDetector({ ...faceDetectorOptions, minDetectionConfidence: detectorThreshold(minConfidence), delegate: settings.delegate, range });
    photoSearchLoading ??= Promise.allSettled([load('full'), load('short')]).then(([full, short]) => {
      const loaded = [full, short].flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const failure = [full, short].find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (closed || failure) {
        loaded.forEach((d) => d.close());
        if (failure) {
          const error: unknown = failure.reason;
          console.warn(`moodlens: photos use the short-range face detector: ${error instanceof Error ? error.message : error}`);
        }
        return search;
      }
      photoDetectors = loaded;
      const found = createFaceSearch(loaded[0], search.options, loaded[1]);
      found.options = search.options; // one set of options for both searches (setOptions)
      return found;
    });
    return photoSearchLoading;
  };
  let runningMode = settings.runningMode;
  let minConfidence = settings.minDetectionConfidence;
  let margin = settings.margin;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();

  function serial<T>(task: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new MoodlensError('closed', 'This emotion detector has been closed'));
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  }

  /** One pass of the pipeline. `inspect` sees the preprocessed batch (when there are faces) before it is freed. */
  async function analyse<T = never>(
    source: ImageSource,
    mode: RunningMode,
    inspect?: (batch: tf.Tensor4D) => Promise<T>,
    stream: Stream = mainStream,
  ): Promise<{ result: EmotionResult; inspected?: T }> {
    const { tracker } = stream;
    await takeMediaPipe(mode === 'IMAGE'); // photos wait for it: they get the thorough search
    const imageSearch = mode === 'IMAGE' ? await photoSearch() : search;
    const start = performance.now();
    runningMode = mode;
    const frame = stream.frames.read(source, settings.maxAnalysisSide);
    if (!frame) {
      if (mode === 'VIDEO') tracker.update([]);
      const timings = { detect: 0, preprocess: 0, classify: 0 };
      return { result: { faces: [], width: 0, height: 0, timings, faceDetector: faceDetector.name } };
    }
    // Photos list their faces left to right (ids 1..n in that order), so "face 2" is easy to find.
    // Photos: the full-range search, plus one short-range look at the whole photo, which still finds
    // a face cut by the photo's border where full range does not.
    const detected =
      mode === 'VIDEO'
        ? search.inVideo(frame, tracker.boxes, stream.sweep)
        : leftToRight(imageSearch === search ? search.inImage(frame) : imageSearch.inImage(frame, (sure) => search.wholeLook(frame, sure)));
    const detectedAt = performance.now();

    let probabilities: number[][] = [];
    let preprocessedAt = detectedAt;
    let classifiedAt = detectedAt;
    let inspected: T | undefined;
    if (detected.length > 0) {
      const inputSize = models[0].metadata.inputSize;
      const crops = detected.map((face) => faceCrop(face, margin));
      const batch = await preprocessRegions(frame, crops, inputSize);
      preprocessedAt = performance.now();
      try {
        probabilities = await classify(models, batch, { flip: settings.flip ?? mode === 'IMAGE' });
        classifiedAt = performance.now();
        if (inspect) inspected = await inspect(batch);
      } finally {
        batch.dispose();
      }
    }

    const identified =
      mode === 'VIDEO'
        ? tracker.update(detected.map((face, i) => ({ box: face.box, probabilities: probabilities[i] })))
        : probabilities.map((p, i) => ({ id: i + 1, probabilities: p }));
    const faces: EmotionFace[] = detected.map((face, i) => ({
      ...face,
      id: identified[i].id,
      probabilities: toProbabilities(identified[i].probabilities),
      top: topEmotion(identified[i].probabilities),
    }));
    const result: EmotionResult = {
      faces,
      width: frame.width,
      height: frame.height,
      timings: {
        detect: detectedAt - start,
        preprocess: preprocessedAt - detectedAt,
        classify: classifiedAt - preprocessedAt,
      },
      faceDetector: faceDetector.name,
    };
    startMediaPipe(); // after the first frame (see mediaPipeWanted)
    return { result, inspected };
  }

  async function explain(source: ImageSource): Promise<ExplainedResult> {
    const explainer = explainingModel(models);
    const { result, inspected } = await analyse(source, 'IMAGE', (batch) => insight(explainer, batch));
    const faces: ExplainedFace[] = result.faces.map((face, i) => ({
      ...face,
      crop: inspected!.crops[i],
      explanation: inspected!.explanations[i],
    }));
    return { ...result, faces, explainedBy: explainer?.name ?? null };
  }

  return {
    backend,
    backendReason,
    get faceDetector() {
      return faceDetector.name;
    },
    faceDetectorReady,
    startup,
    get models() {
      return models.map((m) => m.metadata);
    },
    get runningMode() {
      return runningMode;
    },
    detect: (image) => serial(async () => (await analyse(image, 'IMAGE')).result),
    explain: (image) => serial(() => explain(image)),
    // The timestamp is part of the API (as in MediaPipe's detectForVideo) but nothing needs it yet.
    detectForVideo: (video) => serial(async () => (await analyse(video, 'VIDEO')).result),
    setModels: (names) =>
      serial(async () => {
        const wanted = checkModelNames(names);
        const loaded = new Map(models.map((m) => [m.name, m]));
        const next = await loadModels(parts, settings, wanted, loaded);
        try {
          await warmUp(next);
        } catch (error) {
          next.filter((m) => !models.includes(m)).forEach((m) => m.dispose());
          throw error;
        }
        models.filter((m) => !next.includes(m)).forEach((m) => m.dispose());
        models = next;
        // Smoothed probabilities of another model must not carry over.
        for (const stream of streams) stream.tracker.reset();
      }),
    setOptions(changes) {
      checkDetectionOptions(changes);
      if (changes.minFaceSize !== undefined) search.options.minFaceSize = changes.minFaceSize;
      if (changes.minDetectionConfidence !== undefined && changes.minDetectionConfidence !== minConfidence) {
        const confidence = (minConfidence = changes.minDetectionConfidence);
        search.options.minConfidence = confidence;
        void serial(async () => {
          await faceDetector.setMinConfidence(confidence);
          for (const photo of photoDetectors) await photo.setMinConfidence(detectorThreshold(confidence));
        });
      }
      if (changes.smoothing !== undefined) {
        try {
          mainStream.tracker.smoothing = checkSmoothing(changes.smoothing);
        } catch (error) {
          throw invalid((error as Error).message);
        }
      }
      if (changes.margin !== undefined) {
        if (!(changes.margin > -1 && changes.margin <= 2)) throw invalid('margin must be in (-1, 2]');
        margin = changes.margin;
      }
    },
    resetTracking: () => mainStream.tracker.reset(),
    openVideoSession(options = {}) {
      let smoothing: number | false;
      try {
        smoothing = checkSmoothing(options.smoothing ?? settings.smoothing);
      } catch (error) {
        throw invalid((error as Error).message);
      }
      const stream = openStream(smoothing);
      streams.add(stream);
      return {
        detect: (video) => serial(async () => (await analyse(video, 'VIDEO', undefined, stream)).result),
        reset: () => stream.tracker.reset(),
        setSmoothing(value) {
          try {
            stream.tracker.smoothing = checkSmoothing(value);
          } catch (error) {
            throw invalid((error as Error).message);
          }
        },
        close: () => {
          stream.tracker.reset();
          if (!streams.delete(stream)) return;
          void queue.then(() => stream.frames.dispose()); // after a frame it may still be reading
        },
      };
    },
    close() {
      if (closed) return;
      closed = true;
      markClosed();
      void queue.then(() => {
        faceDetector.close();
        void coming?.then((mediaPipe) => mediaPipe?.close());
        photoDetectors.forEach((d) => d.close());
        models.forEach((m) => m.dispose());
        for (const stream of streams) {
          stream.tracker.reset();
          stream.frames.dispose();
        }
        streams.clear();
      });
    },
  };
}

/** Creates the detector in a browser: picks the backend, loads MediaPipe and the models. */
export function createEmotionDetector(options: EmotionDetectorOptions = {}, progress?: LoadTracker): Promise<EmotionDetector> {
  return createEmotionDetectorWith(browserParts, options, progress);
}

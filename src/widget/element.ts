/**
 * <emotion-detector>: the core behind a custom element. Lazy: nothing heavy loads before the
 * element is started (its button, start(), or `autostart` once it is on screen for an image).
 * Widgets share detectors (see registry.ts) but each tracks and smooths its own faces, and each
 * run (one start()) owns an AbortController that stop(), a restart or removal aborts.
 */
import {
  chooseModels,
  decodeImageFile,
  describeProgress,
  MoodlensError,
  openCamera,
  runVideoLoop,
  stopStream,
  watchCamera,
  type Backend,
  type Box,
  type EmotionDetector,
  type EmotionResult,
  type ImageSource,
  type LoadProgress,
  type Probabilities,
  type VideoSession,
} from '../lib';
import { DEFAULT_ASSET_BASE } from './asset-base';
import {
  OBSERVED_ATTRIBUTES,
  parseSmoothing,
  readSettings,
  RESTART_ATTRIBUTES,
  type WidgetSettings,
} from './attributes';
import { sharedDetectors } from './core';
import { toErrorDetail, type WidgetErrorDetail } from './errors';
import { loadImage } from './image';
import { detectorKey, type Lease } from './registry';
import { WidgetView, type WidgetState } from './view';

export type { WidgetState };

/** Images larger than this (longest side) are shrunk right after decoding. */
const MAX_IMAGE_SIDE = 1920;

export interface WidgetFace {
  id: number;
  /** In the analysed picture's pixels (`width` x `height`), never mirrored. */
  box: Box;
  probabilities: Probabilities;
  top: EmotionResult['faces'][number]['top'];
}

export interface EmotionsDetail {
  faces: WidgetFace[];
  width: number;
  height: number;
  /** 'camera', or the image's absolute URL. */
  source: string;
}

export interface ReadyDetail {
  backend: Backend;
  models: string[];
}

export interface EmotionDetectorEventMap extends Omit<HTMLElementEventMap, 'error' | 'progress'> {
  ready: CustomEvent<ReadyDetail>;
  emotions: CustomEvent<EmotionsDetail>;
  error: CustomEvent<WidgetErrorDetail>;
  /** While the detector loads: its stages and bytes (LoadProgress); the last has fraction 1. */
  progress: CustomEvent<LoadProgress>;
}

const RESTARTING = new Set<string>(RESTART_ATTRIBUTES);

/** In a worker, where only the bundle's API is of use, there is no HTMLElement: the class is still
 * defined (the module must load), never registered. */
const ElementBase = typeof HTMLElement !== 'undefined' ? HTMLElement : (class {} as unknown as typeof HTMLElement);

export class EmotionDetectorElement extends ElementBase {
  static get observedAttributes(): string[] {
    return OBSERVED_ATTRIBUTES;
  }

  readonly #view: WidgetView;
  /** The camera's stream in the shared detector: its own tracked faces and smoothing. */
  #session: VideoSession | undefined;
  #state: WidgetState = 'idle';
  #visible = false;
  #observer: IntersectionObserver | undefined;
  #run: AbortController | undefined;
  #stream: MediaStream | undefined;
  #lease: { key: string; lease: Lease } | undefined;
  #last: EmotionResult | undefined;

  constructor() {
    super();
    this.#view = new WidgetView(this.attachShadow({ mode: 'open' }));
    this.#view.startButton.addEventListener('click', () => void this.start());
    this.#view.stopButton.addEventListener('click', () => this.stop());
  }

  /** idle (poster), loading, running (camera), done (image analysed) or error. */
  get state(): WidgetState {
    return this.#state;
  }

  connectedCallback(): void {
    this.#syncView();
    this.#observer = new IntersectionObserver((entries) => {
      this.#visible = entries.some((entry) => entry.isIntersecting);
      this.#autostart();
    });
    this.#observer.observe(this);
  }

  disconnectedCallback(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
    this.#visible = false;
    this.stop();
    this.#releaseDetector();
  }

  #releaseDetector(): void {
    this.#lease?.lease.release();
    this.#lease = undefined;
  }

  attributeChangedCallback(name: string, previous: string | null, value: string | null): void {
    if (previous === value || !this.isConnected) return;
    this.#syncView();
    if (name === 'smoothing') {
      try {
        this.#session?.setSmoothing(parseSmoothing(this));
      } catch (error) {
        this.#fail(error);
      }
    }
    if (this.#last && (name === 'show-boxes' || name === 'mirrored')) this.#draw(this.#last);
    const active = this.#state === 'loading' || this.#state === 'running' || this.#state === 'done';
    if (active && RESTARTING.has(name)) void this.start();
    else if (name === 'autostart' || name === 'source') this.#autostart();
  }

  /**
   * Starts (or restarts) the analysis: opens the camera and analyses every frame, or loads and
   * analyses the image. Resolves once the camera runs or the image is analysed; failures are
   * reported through the `error` event (and the status line), not by rejecting.
   */
  async start(): Promise<void> {
    this.#endRun();
    const run = new AbortController();
    this.#run = run;
    try {
      const settings = this.#settings();
      this.#setState('loading', settings.source.kind === 'camera' ? 'Starting the camera…' : 'Loading…');
      if (settings.source.kind === 'camera') await this.#startCamera(settings, run.signal);
      else await this.#analyseImage(settings, settings.source.url, run.signal);
    } catch (error) {
      if (!run.signal.aborted) this.#fail(error);
    }
  }

  /** Stops the camera (every track) or clears the image, back to the poster. Keeps the loaded models. */
  stop(): void {
    this.#endRun();
    this.#last = undefined;
    this.#view.clear();
    this.#setState('idle', '');
  }

  /**
   * Analyses any picture (image, video, canvas, ImageBitmap, or an image file as a Blob) with this
   * element's detector, loading it if needed. Resolves with the core's EmotionResult (ids 1..n
   * by detection score, raw probabilities); draws nothing and fires no event. An element that is
   * not in the document lets go of the detector after each call (for repeated use without an
   * element, createEmotionDetector() keeps one). Named like the API's `detector.detect()`.
   */
  async detect(input: ImageSource | Blob): Promise<EmotionResult> {
    try {
      const detector = await this.#detector(this.#settings());
      if (!(input instanceof Blob)) return await detector.detect(input);
      const bitmap = await decodeImageFile(input, { maxSide: MAX_IMAGE_SIDE });
      try {
        return await detector.detect(bitmap);
      } finally {
        bitmap.close();
      }
    } finally {
      // An element that is not in the page has no disconnectedCallback to come: let go now.
      if (!this.isConnected) this.#releaseDetector();
    }
  }

  /** @deprecated The first name of detect(): "classify" is the emotion network's stage alone. */
  classify(input: ImageSource | Blob): Promise<EmotionResult> {
    return this.detect(input);
  }

  #settings(): WidgetSettings {
    return readSettings(this, document.baseURI, DEFAULT_ASSET_BASE);
  }

  /** This widget's share of the detector for its current settings (a new share when they changed). */
  async #detector(settings: WidgetSettings, signal?: AbortSignal): Promise<EmotionDetector> {
    const models = await chooseModels(settings.model, settings.assetBase, { askedAs: '<emotion-detector> model=' });
    signal?.throwIfAborted();
    const { assetBase, maxFaces, minFaceSize, minDetectionConfidence, backend } = settings;
    const runningMode = settings.source.kind === 'camera' ? ('VIDEO' as const) : ('IMAGE' as const);
    const request = { assetBase, models, maxFaces, minFaceSize, minDetectionConfidence, backend, runningMode };
    const key = detectorKey(request);
    if (this.#lease?.key !== key) {
      this.#lease?.lease.release();
      const lease = sharedDetectors().acquire(request);
      this.#lease = { key, lease };
      const stopWatching = lease.watchLoading((progress) => {
        if (this.#lease?.lease !== lease) return;
        this.#emit('progress', progress);
        if (this.#state === 'loading' && progress.fraction < 1) this.#view.setState('loading', describeProgress(progress));
      });
      lease.detector.then(stopWatching, stopWatching);
      lease.detector.catch(() => {
        // Let go of a failed load so that the next start() tries again.
        if (this.#lease?.lease !== lease) return;
        lease.release();
        this.#lease = undefined;
      });
    }
    return this.#lease.lease.detector;
  }

  async #startCamera(settings: WidgetSettings, signal: AbortSignal): Promise<void> {
    // Ask for the camera while the models load; a stop() in between releases it at once.
    const camera = openCamera().then((stream) => {
      if (signal.aborted) stopStream(stream);
      else this.#stream = stream;
      return stream;
    });
    const [detector, stream] = await Promise.all([this.#detector(settings, signal), camera]);
    signal.throwIfAborted();
    const video = this.#view.video;
    video.srcObject = stream;
    await video.play();
    signal.throwIfAborted();
    // Watching ends with the run (signal), so a stream held elsewhere cannot keep the element alive.
    watchCamera(stream, signal, () =>
      this.#fail(new MoodlensError('camera-ended', 'The camera stopped: it was disconnected or its permission was revoked.')),
    );
    this.#view.setAspect(video.videoWidth, video.videoHeight);
    this.#emit('ready', this.#readyDetail(detector));
    this.#setState('running', '');
    const session = detector.openVideoSession({ smoothing: settings.smoothing });
    this.#session = session;
    signal.addEventListener('abort', () => {
      session.close();
      if (this.#session === session) this.#session = undefined;
    });
    void this.#analyseFrames(session, video, signal);
  }

  async #analyseFrames(session: VideoSession, video: HTMLVideoElement, signal: AbortSignal): Promise<void> {
    try {
      await runVideoLoop(
        video,
        session,
        (result) => {
          this.#draw(result);
          this.#emit('emotions', emotionsDetail(result, 'camera'));
        },
        signal,
      );
    } catch (error) {
      if (!signal.aborted) this.#fail(error);
    }
  }

  async #analyseImage(settings: WidgetSettings, url: string, signal: AbortSignal): Promise<void> {
    const detectorReady = this.#detector(settings, signal);
    detectorReady.catch(() => {}); // awaited below, once the picture shows
    const bitmap = await loadImage(url, MAX_IMAGE_SIDE, signal);
    try {
      signal.throwIfAborted();
      // The picture shows at once; the boxes follow when the models have loaded and analysed it.
      this.#view.showImage(bitmap);
      this.#setState('loading', 'Analysing…');
      const detector = await detectorReady;
      signal.throwIfAborted();
      this.#emit('ready', this.#readyDetail(detector));
      const result = await detector.detect(bitmap);
      signal.throwIfAborted();
      this.#draw(result);
      this.#setState('done', '');
      this.#emit('emotions', emotionsDetail(result, url));
    } finally {
      bitmap.close();
    }
  }

  /** Ids that follow each face from frame to frame, and smoothed probabilities. */
  #draw(result: EmotionResult): void {
    this.#last = result;
    this.#view.drawOverlay(result, this.hasAttribute('show-boxes'), this.hasAttribute('mirrored'));
  }

  #readyDetail(detector: EmotionDetector): ReadyDetail {
    return { backend: detector.backend, models: detector.models.map((m) => m.name) };
  }

  /** Ends the current run: aborts its pending steps and stops its camera tracks. */
  #endRun(): void {
    this.#run?.abort();
    this.#run = undefined;
    stopStream(this.#stream);
    this.#stream = undefined;
    this.#view.video.srcObject = null;
  }

  #fail(error: unknown): void {
    this.#endRun();
    const detail = toErrorDetail(error);
    this.#setState('error', detail.message);
    this.#emit('error', detail);
  }

  #setState(state: WidgetState, message: string): void {
    this.#state = state;
    this.#view.setState(state, message);
    this.#syncView();
  }

  /** Button label and mirroring from the current attributes (bad values are reported on start). */
  #syncView(): void {
    const source = this.getAttribute('source')?.trim().toLowerCase();
    this.#view.setSourceKind(!source || source === 'camera' ? 'camera' : 'image', this.#state);
    this.#view.setMirrored(this.hasAttribute('mirrored'));
  }

  /** `autostart` starts an image source once the element is on screen; the camera waits for a press. */
  #autostart(): void {
    if (!this.#visible || this.#state !== 'idle' || !this.hasAttribute('autostart')) return;
    const source = this.getAttribute('source')?.trim().toLowerCase();
    if (source && source !== 'camera') void this.start();
  }

  #emit<K extends 'ready' | 'emotions' | 'error' | 'progress'>(type: K, detail: EmotionDetectorEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  addEventListener<K extends keyof EmotionDetectorEventMap>(
    type: K,
    listener: (this: EmotionDetectorElement, event: EmotionDetectorEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void {
    super.addEventListener(type, listener, options);
  }
}

function emotionsDetail(result: EmotionResult, source: string): EmotionsDetail {
  return {
    faces: result.faces.map(({ id, box, probabilities, top }) => ({ id, box, probabilities, top })),
    width: result.width,
    height: result.height,
    source,
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'emotion-detector': EmotionDetectorElement;
  }
}

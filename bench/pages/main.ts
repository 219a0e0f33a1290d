/**
 * The bench page: starts one pipeline (from ?pipeline=&backend=&model=), runs it on the first
 * frame (?frame=) as soon as it can, and records that moment as the cold start. `started` resolves
 * once the pipeline has settled (ours: MediaPipe took over); then the driver (bench/speed,
 * bench/accuracy) calls `window.__bench`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Backend } from '../../src/lib';
import { environment, type PageEnvironment } from './environment';
import type { FrameRun, Pipeline, PipelineOptions, SelfCheck } from './pipelines/types';

export interface ColdStart {
  /** ms from navigation start until the pipeline was ready (libraries and models loaded). */
  readyMs: number;
  /** ms from navigation start until the first frame's result was drawn. */
  firstResultMs: number;
  firstFrameMs: number;
  /** ms from navigation start until start-up was over (ours: MediaPipe had taken over from the
   * TF.js face detector; the others have nothing more to load). */
  settledMs: number;
  /** The first frame's own stages (detect, preprocess, classify, draw), ms. */
  firstFrameStages: Record<string, number> | null;
  faces: number;
  /** ms from navigation start until each start-up stage was done (only where the pipeline
   * reports its stages); `code` is when its own code had loaded and it began. */
  stages: Record<string, number> | null;
}

export interface BenchApi {
  started: Promise<ColdStart>;
  info(): Promise<PageEnvironment & { pipeline: string; library: string; version: string }>;
  loadFrames(urls: string[]): Promise<void>;
  run(frame: number, draw: boolean): Promise<FrameRun>;
  /** Loads an image and runs it without drawing (accuracy harness); `still`: as a photo. */
  runUrl(url: string, still?: boolean): Promise<FrameRun>;
  classifierOnly(batch: number): Promise<number>;
  selfCheck(frame: number): Promise<SelfCheck>;
  numTensors(): number;
}

declare global {
  interface Window {
    __bench: BenchApi;
  }
}

const params = new URLSearchParams(location.search);
const options: PipelineOptions = {
  backend: (params.get('backend') ?? 'wasm') as Backend,
  model: params.get('model') ?? 'mini-xception',
};
const overlay = (document.getElementById('overlay') as HTMLCanvasElement).getContext('2d')!;
let frames: HTMLImageElement[] = [];
// One overlay per frame file, as a live view draws one camera at its size: a single canvas
// resized between frames of different sizes cost every pipeline a reallocation per frame
// (5-10 ms in software GL) that no live view pays.
let overlays: CanvasRenderingContext2D[] = [];

async function loadImage(url: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.src = url;
  await image.decode();
  return image;
}

async function createPipeline(name: string | null): Promise<Pipeline> {
  // One chunk per library: a page loads only the pipeline it measures.
  if (name === 'moodlens') {
    const { createOurs } = await import('./pipelines/ours');
    codeLoaded = performance.now();
    return createOurs(options);
  }
  if (name === 'face-api') return (await import('./pipelines/face-api')).createFaceApi(options);
  if (name === 'human') return (await import('./pipelines/human')).createHuman(options);
  throw new Error(`unknown ?pipeline=${name}; use moodlens, face-api or human`);
}

let codeLoaded = NaN;
const pipeline = createPipeline(params.get('pipeline'));

async function start(): Promise<ColdStart> {
  const firstFrame = params.get('frame');
  const [ready, image] = await Promise.all([pipeline.then(() => performance.now()), firstFrame ? loadImage(firstFrame) : null]);
  const loaded = await pipeline;
  const { startup } = loaded;
  const stages = startup
    ? { code: codeLoaded, ...Object.fromEntries(Object.entries(startup).map(([stage, ms]) => [stage, codeLoaded + ms])) }
    : null;
  if (!image) {
    await loaded.settled?.();
    return { readyMs: ready, firstResultMs: NaN, settledMs: performance.now(), firstFrameMs: NaN, firstFrameStages: null, faces: 0, stages };
  }
  const result = await loaded.run(image, overlay);
  const firstResultMs = performance.now();
  await loaded.settled?.(); // the drivers measure what comes after start-up
  return { readyMs: ready, firstResultMs, settledMs: performance.now(), firstFrameMs: result.totalMs, firstFrameStages: result.stages, faces: result.faces.length, stages };
}

window.__bench = {
  started: start(),
  async info() {
    const p = await pipeline;
    return { ...(await environment()), pipeline: p.id, library: p.library, version: p.version };
  },
  async loadFrames(urls) {
    frames = await Promise.all(urls.map(loadImage));
    overlays = frames.map(() => document.body.appendChild(document.createElement('canvas')).getContext('2d')!);
  },
  async run(frame, draw) {
    return (await pipeline).run(frames[frame], draw ? overlays[frame] : null);
  },
  async runUrl(url, still = false) {
    return (await pipeline).run(await loadImage(url), null, still);
  },
  async classifierOnly(batch) {
    return (await pipeline).classifierOnly(batch);
  },
  async selfCheck(frame) {
    return (await pipeline).selfCheck(frames[frame]);
  },
  numTensors: () => tf.memory().numTensors,
};

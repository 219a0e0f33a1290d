/**
 * The public factory. The pipeline (TF.js, MediaPipe: megabytes of code) is imported on the first
 * call, so a page that imports this library pays for it only once it creates a detector.
 */
import { describeError, MoodlensError } from './errors';
import { createLoadTracker } from './loadProgress';
import { importPipeline, type Pipeline } from './pipeline';
import type { EmotionDetector, EmotionDetectorOptions } from './types';

const DEFAULT_ASSET_BASE = '/';
const pipelines = new Map<string, Promise<Pipeline>>();

function loadPipeline(assetBase: string): Promise<Pipeline> {
  let pipeline = pipelines.get(assetBase);
  if (!pipeline) {
    pipeline = importPipeline(assetBase).catch((error: unknown) => {
      pipelines.delete(assetBase); // a network hiccup must not stick
      throw new MoodlensError('pipeline-load', `The emotion detector's code could not be loaded: ${describeError(error)}`, { cause: error });
    });
    pipelines.set(assetBase, pipeline);
  }
  return pipeline;
}

/**
 * Loads the pipeline's code ahead of the first detector, e.g. once the page has painted, so that
 * the first photo or camera start waits only for the models. Never rejects: a failure is reported
 * by createEmotionDetector().
 */
export function preloadPipeline(assetBase: string = DEFAULT_ASSET_BASE): void {
  loadPipeline(assetBase).catch(() => {});
}

/** Creates a detector: picks the TF.js backend, loads MediaPipe (or the TF.js face detector) and the emotion models. */
export async function createEmotionDetector(options: EmotionDetectorOptions = {}): Promise<EmotionDetector> {
  const assetBase = options.assetBase ?? DEFAULT_ASSET_BASE;
  const progress = options.onProgress ? createLoadTracker(options.onProgress) : undefined;
  progress?.stage('code', 'loading');
  const pipeline = await loadPipeline(assetBase);
  progress?.stage('code', 'done');
  return pipeline.createEmotionDetector(options, progress);
}

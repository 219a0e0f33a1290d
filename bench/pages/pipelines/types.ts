/** What every benchmarked pipeline offers the bench page. */
import type { Backend, Box } from '../../../src/lib';

export interface FaceOut {
  box: Box;
  /** In FER2013 order (angry, disgust, fear, happy, sad, surprise, neutral). */
  probabilities: number[];
}

export interface FrameRun {
  /** Wall time of the whole frame: detection to drawing, as the page measured it. */
  totalMs: number;
  /** Stage times as the library lets us split them (names differ where a library splits differently). */
  stages: Record<string, number>;
  faces: FaceOut[];
}

export interface SelfCheck {
  ok: boolean;
  detail: string;
}

export interface Pipeline {
  readonly id: string;
  readonly library: string;
  readonly version: string;
  readonly backend: Backend;
  /** When each start-up stage was done, ms after the pipeline began loading (where the library
   * says: ours does, through detector.startup). */
  readonly startup?: Record<string, number>;
  /** Resolves once start-up is over and frames run as they will from then on (ours: MediaPipe has
   * taken over from the TF.js face detector that reads the first frames); the timed rounds wait for it. */
  settled?(): Promise<void>;
  /** One frame: detect every face, classify each, draw the result on `overlay` (when given).
   * `still`: a photo rather than a video frame (only moodlens analyses them differently). */
  run(image: HTMLImageElement, overlay: CanvasRenderingContext2D | null, still?: boolean): Promise<FrameRun>;
  /** The emotion network alone on `batch` ready-made inputs of its own size: ms per call. */
  classifierOnly(batch: number): Promise<number>;
  /** Checks that the way the benchmark drives the library matches the library's own results. */
  selfCheck(image: HTMLImageElement): Promise<SelfCheck>;
}

export interface PipelineOptions {
  backend: Backend;
  /** Our model folder name (ours only). */
  model: string;
}

/** Sizes the overlay canvas to the image (clearing it) and returns its context. */
export function fitOverlay(overlay: CanvasRenderingContext2D, image: { width: number; height: number }): CanvasRenderingContext2D {
  const canvas = overlay.canvas;
  if (canvas.width !== image.width || canvas.height !== image.height) {
    canvas.width = image.width;
    canvas.height = image.height;
  } else {
    overlay.clearRect(0, 0, canvas.width, canvas.height);
  }
  return overlay;
}

/** Times one awaited call in ms. */
export async function timed(call: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await call();
  return performance.now() - start;
}

/** Analysed frames per second and smoothed per-stage timings for the live view. */
import type { StageTimings } from '../lib';

const WINDOW_MS = 2000;
const TIMING_SMOOTHING = 0.8;

export class FrameStats {
  private frameTimes: number[] = [];
  timings: StageTimings | null = null;

  record(now: number, timings: StageTimings): void {
    this.frameTimes.push(now);
    while (this.frameTimes.length > 0 && now - this.frameTimes[0] > WINDOW_MS) this.frameTimes.shift();
    const previous = this.timings;
    this.timings = previous
      ? {
          detect: smooth(previous.detect, timings.detect),
          preprocess: smooth(previous.preprocess, timings.preprocess),
          classify: smooth(previous.classify, timings.classify),
        }
      : { ...timings };
  }

  /** Frames analysed per second over the last two seconds (0 when stalled). */
  fps(now: number): number {
    const recent = this.frameTimes.filter((t) => now - t <= WINDOW_MS);
    if (recent.length < 2) return 0;
    return ((recent.length - 1) * 1000) / (recent[recent.length - 1] - recent[0]);
  }

  reset(): void {
    this.frameTimes = [];
    this.timings = null;
  }
}

function smooth(previous: number, next: number): number {
  return previous * TIMING_SMOOTHING + next * (1 - TIMING_SMOOTHING);
}

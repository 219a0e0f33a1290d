/** Summaries of timing samples. */

/** The q-quantile (0..1) with linear interpolation between order statistics (numpy's default). */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

export const median = (samples: readonly number[]) => quantile(samples, 0.5);

export interface Summary {
  median: number;
  p95: number;
  mean: number;
  min: number;
  max: number;
  n: number;
}

export function summarize(samples: readonly number[]): Summary {
  const n = samples.length;
  return {
    median: round(median(samples)),
    p95: round(quantile(samples, 0.95)),
    mean: round(n ? samples.reduce((a, b) => a + b, 0) / n : NaN),
    min: round(n ? Math.min(...samples) : NaN),
    max: round(n ? Math.max(...samples) : NaN),
    n,
  };
}

/** A summary that keeps its samples (in measurement order), e.g. to pair them with another pipeline's. */
export interface Timed extends Summary {
  samples: number[];
}

export function timed(samples: readonly number[]): Timed {
  return { ...summarize(samples), samples: samples.map((s) => round(s)) };
}

/** Rounds to 0.01 (timings are not more precise than that). */
export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

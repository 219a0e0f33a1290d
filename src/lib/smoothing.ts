/** Exponential smoothing of per-face probabilities over video frames, so labels do not flicker. */

/** `smoothing` is the weight of the past (0..1): next = smoothing * previous + (1 - smoothing) * current.
 * `false`, 0 or no previous value gives `current` unchanged. */
export function smoothProbabilities(
  previous: readonly number[] | undefined,
  current: readonly number[],
  smoothing: number | false,
): number[] {
  if (smoothing === false || smoothing === 0 || previous === undefined) return [...current];
  if (previous.length !== current.length) throw new Error(`cannot smooth ${current.length} values with ${previous.length}`);
  const keep = smoothing;
  return current.map((value, i) => keep * previous[i] + (1 - keep) * value);
}

/** Validates a smoothing option: false, or a number in [0, 1). */
export function checkSmoothing(smoothing: number | false): number | false {
  if (smoothing === false) return false;
  if (typeof smoothing !== 'number' || !(smoothing >= 0 && smoothing < 1)) {
    throw new RangeError(`smoothing must be false or a number in [0, 1), got ${String(smoothing)}`);
  }
  return smoothing;
}

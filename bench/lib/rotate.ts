/** Browser-safe (no Node imports): also used by the in-browser half of `bench:models`. */

/** The order for repetition `round`: rotated each time, so nothing always runs first. */
export function rotate<T>(items: readonly T[], round: number): T[] {
  const shift = round % Math.max(1, items.length);
  return [...items.slice(shift), ...items.slice(0, shift)];
}

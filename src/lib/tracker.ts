/**
 * Follows faces from frame to frame by box overlap, so each keeps its id and its smoothed
 * probabilities; a face that disappears for more than `maxMissed` frames is forgotten.
 */
import { iou } from './geometry';
import { smoothProbabilities } from './smoothing';
import type { Box } from './types';

export interface TrackerOptions {
  /** Minimum IoU for a detection to continue a track. Default 0.3. */
  iouThreshold?: number;
  /** Frames a track survives without a matching detection. Default 5. */
  maxMissed?: number;
  /** See smoothing.ts. Default 0.6. */
  smoothing?: number | false;
}

export interface TrackedFace {
  id: number;
  probabilities: number[];
}

interface Track {
  id: number;
  box: Box;
  probabilities: number[];
  missed: number;
}

/**
 * Greedy matching: pairs (previous, current) with IoU > threshold are taken best-first, each box at
 * most once. Returns, for each current box, the index of its previous box or -1. Greedy equals the
 * optimal assignment whenever faces do not overlap each other, which is the case for faces.
 */
export function matchByIou(previous: readonly Box[], current: readonly Box[], threshold: number): number[] {
  const pairs: { p: number; c: number; overlap: number }[] = [];
  previous.forEach((a, p) =>
    current.forEach((b, c) => {
      const overlap = iou(a, b);
      if (overlap > threshold) pairs.push({ p, c, overlap });
    }),
  );
  pairs.sort((x, y) => y.overlap - x.overlap);
  const match = new Array<number>(current.length).fill(-1);
  const taken = new Set<number>();
  for (const { p, c } of pairs) {
    if (match[c] !== -1 || taken.has(p)) continue;
    match[c] = p;
    taken.add(p);
  }
  return match;
}

export class FaceTracker {
  private tracks: Track[] = [];
  private nextId = 1;
  private readonly iouThreshold: number;
  private readonly maxMissed: number;
  smoothing: number | false;

  constructor(options: TrackerOptions = {}) {
    this.iouThreshold = options.iouThreshold ?? 0.3;
    this.maxMissed = options.maxMissed ?? 5;
    this.smoothing = options.smoothing ?? 0.6;
  }

  /** Number of faces currently remembered (seen or recently missed). */
  get size(): number {
    return this.tracks.length;
  }

  /** Where the remembered faces were last seen. */
  get boxes(): Box[] {
    return this.tracks.map((t) => ({ ...t.box }));
  }

  /** One frame's faces (probabilities in EMOTIONS order) -> id and smoothed probabilities for
   * each, in the same order. */
  update(faces: readonly { box: Box; probabilities: readonly number[] }[]): TrackedFace[] {
    const match = matchByIou(
      this.tracks.map((t) => t.box),
      faces.map((f) => f.box),
      this.iouThreshold,
    );
    const continued = new Set<Track>();
    const result = faces.map((face, i) => {
      const track = match[i] === -1 ? undefined : this.tracks[match[i]];
      if (!track) {
        const fresh: Track = { id: this.nextId++, box: face.box, probabilities: [...face.probabilities], missed: 0 };
        continued.add(fresh);
        return fresh;
      }
      track.box = face.box;
      track.probabilities = smoothProbabilities(track.probabilities, face.probabilities, this.smoothing);
      track.missed = 0;
      continued.add(track);
      return track;
    });
    const survivors = this.tracks.filter((t) => !continued.has(t) && ++t.missed <= this.maxMissed);
    this.tracks = [...result, ...survivors];
    return result.map((t) => ({ id: t.id, probabilities: [...t.probabilities] }));
  }

  reset(): void {
    this.tracks = [];
  }
}

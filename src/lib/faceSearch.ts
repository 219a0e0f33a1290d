/**
 * The detect stage: runs the face detector over the views that scan.ts plans (the whole frame and
 * finer tiles), maps what it finds back to the frame and merges it into one list of faces.
 * - Photos: every tile, down to the smallest wanted face (a photo is not real-time): full range
 *   over the whole photo and tiles down to faces of HAND_OFF x the smallest, short range in finer
 *   tiles below (planTwoNetworks), unsure finds looked at again.
 * - Video: the whole frame each frame, plus a tile around each known face too small for the whole
 *   view, plus one tile of the full plan every SWEEP_EVERY frames (in turn), so that a small face
 *   that comes in is found within a few seconds while a frame costs little more than one look.
 */
import type { FaceDetector } from './faceDetector';
import type { Frame } from './frame';
import { cutByTile, type FaceDetectorScale, mergeFaces, planScan, planTwoNetworks, smallestFaceOfWholeFrame, tileAround, toFrame, viewSize, type ScanOptions, type ScanTile } from './scan';
import { iou } from './geometry';
import type { Box, DetectedFace, Size } from './types';

/** Video: one tile of the full plan on every this many frames. */
export const SWEEP_EVERY = 3;

/** Faces found smaller than this share of the smallest wanted face are dropped (the face detector's
 * boxes vary by ~10%, so a wanted face may come out a little small). */
const SMALLEST_KEPT = 0.8;

/**
 * A face found in a tile must score this much more than minConfidence (the whole frame's bar): a
 * photo is looked at in tens of tiles, each a chance for a false find. Measured in face-api's demo
 * photos: true faces scored 0.86 and up in tiles, false finds up to 0.77 (a badge); in the whole
 * frame, true faces down to 0.72 and no false find.
 */
export const TILE_SCORE_MARGIN = 0.25;

/** At most this many candidates get second looks per photo (up to three looks each). */
const SECOND_LOOKS = 24;
/** A second look of a small face is one look, as the whole photo's is, not one of tens, but it
 * looks where a face is likeliest: it needs the whole photo's bar and this much more (scenes: 86.4%
 * found at 0 and at 0.1, 85.4% at 0.2; a suit patch in e2e's huge.jpg scored 0.59-0.64). A face
 * the whole photo's look should have seen needs the tile bar. */
export const SECOND_LOOK_MARGIN = 0.2;
/** Second looks: the face's share of the view, in the order tried (docs/finding-faces.md). */
const SECOND_LOOK_SHARES = [3, 2.5, 4];
/** A closer look's find is the whole look's unsure find when their boxes overlap this much (IoU). */
const SAME_FACE_AGAIN = 0.5;
/** A second look's find is the candidate when one's centre lies in the other's box and neither side
 * is more than this times the other. The candidate's box comes from a view where the face was small
 * and unsure, and is often off by half its side: IoU >= 0.5 turned away faces the second look saw
 * at 0.8-0.9 (scenes: 80.3% -> 85.1% found in full HD, 74.8% -> 79.7% in HD, no false find more;
 * docs/finding-faces.md). A looser size match let the short-range network's large background
 * "faces" around small candidates through. */
const SAME_CANDIDATE_SIZE = 2;
/** The whole-frame look's unsure finds: the face's share of the view of a closer look, at most
 * CLOSER_LOOKS of them per photo (measured on the eval's scenes: true faces score 0.75 and up in
 * one of these views, the background's "faces" up to 0.71). */
const CLOSER_LOOK_SHARES = [2, 1.5];
const CLOSER_LOOKS = 8;
/** A first second look scoring at least this (under the bar) earns the other views (scenes: one
 * face fewer at 0.45 than at 0.3, a fifth less time in full HD). */
const UNSURE_AGAIN = 0.45;
/** Two networks (photos): a face only the finer network (short range) has seen, scoring under
 * FINE_SURE there, is kept when the photo's own network (full range) gives it SECOND_OPINION in a
 * view where it fills 1/SECOND_OPINION_SHARE. Short range's tiles saw a badge in face-api's
 * sample1 at 0.77 in every view (full range: 0.18 at a quarter); the scenes' small tight faces
 * score 0.8-0.9 in short range, and those under 0.85 mostly 0.5-0.8 in full range. */
const FINE_SURE = 0.85;
const SECOND_OPINION = 0.3;
const SECOND_OPINION_SHARE = 4;
/** Photos: finds from this score up (under the bar they need) are candidates for a second look
 * (scenes: 56% found with candidates from 0.5, 66% from 0.3, 71% from 0.2, 75% from 0.1; looks
 * cost time). The photos' face detectors run with this threshold; the search applies the bars. */
export const CANDIDATE_SCORE = 0.15;

/** The own threshold of the photos' face detectors, for searches with the given bar. */
export function detectorThreshold(minConfidence: number): number {
  return Math.min(minConfidence, CANDIDATE_SCORE);
}

export interface FaceSearchOptions {
  /** The smallest face to find, frame pixels. */
  minFaceSize: number;
  /** The score a face found in the whole frame needs (see TILE_SCORE_MARGIN for tiles). */
  minConfidence: number;
  /** At most this many faces (best scores) are returned. */
  maxFaces: number;
}

/** Where one video stream's sweep of the tiles has got to. */
export interface SweepState {
  frames: number;
  next: number;
}

export interface FaceSearch {
  /** Every face of a photo, best score first; `also`: what another search adds, given the faces
   * this one is sure of (merged in). */
  inImage(frame: Frame, also?: (sure: readonly DetectedFace[]) => DetectedFace[]): DetectedFace[];
  /** What one look at the whole frame finds that another network's photo search may miss (not
   * merged): confident faces, faces cut by the frame's border, and faces a closer look confirms
   * (none is spent on a face in `known`). */
  wholeLook(frame: Frame, known?: readonly DetectedFace[]): DetectedFace[];
  /** The faces of a video frame, given where faces were seen last (frame pixels) and the
   * stream's sweep (updated). */
  inVideo(frame: Frame, known: readonly Box[], sweep: SweepState): DetectedFace[];
  options: FaceSearchOptions;
}

/** Whether `box` lies whole in `tile`, away from its inner edges, at a size the face detector finds well. */
function holds(tile: ScanTile, box: Box, model: FaceDetectorScale): boolean {
  const { rect, scale } = tile;
  const margin = Math.max(box.width, box.height) * 0.25;
  const side = Math.max(box.width, box.height) * scale;
  return (
    box.x - margin >= rect.x &&
    box.y - margin >= rect.y &&
    box.x + box.width + margin <= rect.x + rect.width &&
    box.y + box.height + margin <= rect.y + rect.height &&
    side >= model.minFaceInInput * 1.2 &&
    side <= model.inputSize * 0.6
  );
}

const sameBox = (a: Box, b: Box) => iou(a, b) >= SAME_FACE_AGAIN;

const centreIn = (a: Box, b: Box) => a.x + a.width / 2 >= b.x && a.x + a.width / 2 <= b.x + b.width && a.y + a.height / 2 >= b.y && a.y + a.height / 2 <= b.y + b.height;

/** See SAME_CANDIDATE_SIZE. */
export function sameCandidate(found: Box, candidate: Box): boolean {
  const ratio = Math.max(found.width, candidate.width) / Math.min(found.width, candidate.width);
  return ratio <= SAME_CANDIDATE_SIZE && (centreIn(found, candidate) || centreIn(candidate, found));
}

/** Whether a box reaches an edge of the frame (within a pixel). */
function touchesBorder(box: Box, frame: Size): boolean {
  return box.x <= 1 || box.y <= 1 || box.x + box.width >= frame.width - 1 || box.y + box.height >= frame.height - 1;
}

/** A search with `faceDetector`; photos' second looks are taken by `confirmer`. */
export function createFaceSearch(faceDetector: FaceDetector, options: FaceSearchOptions, confirmer: FaceDetector = faceDetector): FaceSearch {
  const model = faceDetector.scale;
  // Photos: a finer network beside the search's own (planTwoNetworks).
  const twoNetworks = confirmer !== faceDetector;
  // Plans by frame size: streams of different sizes (two cameras, photos between frames) keep theirs.
  const plans = new Map<string, ScanTile[]>();

  const scanOptions = (): ScanOptions => ({ ...model, minFaceSize: search.options.minFaceSize });

  function plan(frame: Size): ScanTile[] {
    const key = `${frame.width}x${frame.height}@${search.options.minFaceSize}`;
    let tiles = plans.get(key);
    if (!tiles) {
      if (plans.size >= 8) plans.clear();
      tiles = twoNetworks ? planTwoNetworks(frame, scanOptions(), confirmer.scale) : planScan(frame, scanOptions());
      plans.set(key, tiles);
    }
    return tiles;
  }

  /** Every find in `tiles` of `frame` that clears its bar (the whole frame's, or the tile bar:
   * minConfidence + `margin`), in frame pixels, not merged yet. The finds under it go to `unsure`,
   * when given. `network`: the network that looks (this search's by default; fine tiles: the confirmer's). */
  function finds(frame: Frame, tiles: readonly ScanTile[], unsure?: DetectedFace[], margin = TILE_SCORE_MARGIN, network = faceDetector): DetectedFace[] {
    const found: DetectedFace[] = [];
    const strict = Math.max(0, Math.min(0.95, search.options.minConfidence + margin));
    const perScale = new Map<number, number>();
    for (const tile of tiles) perScale.set(tile.scale, (perScale.get(tile.scale) ?? 0) + 1);
    for (const tile of tiles) {
      const detector = tile.fine ? confirmer : network;
      // Fine tiles are drawn at the network's input size: MediaPipe takes in a quarter of the
      // pixels of an oversampled view, for a tenth less time on the scenes and the same faces found.
      const model = tile.fine ? { ...detector.scale, oversample: 1 } : detector.scale;
      const size = viewSize(tile, model.oversample);
      // Many tiles of one scale: shrink the frame once and cut them from it.
      const pyramid = perScale.get(tile.scale)! > 2;
      const bar = tile.level === 0 ? search.options.minConfidence : strict;
      for (const face of detector.detect(frame.view(tile.rect, size, pyramid), size)) {
        const inFrame = toFrame(face, tile, model.oversample);
        const cut = tile.level !== 0 && cutByTile(inFrame, tile, frame);
        if (face.score < bar || cut) {
          if (unsure && !cut) unsure.push(inFrame);
          continue;
        }
        found.push(inFrame);
      }
    }
    return found;
  }

  /** Finds -> faces: merged, large enough, best first, at most maxFaces. */
  function faces(found: DetectedFace[]): DetectedFace[] {
    const smallest = search.options.minFaceSize * SMALLEST_KEPT;
    return mergeFaces(found)
      .filter((face) => Math.max(face.box.width, face.box.height) >= smallest)
      .slice(0, search.options.maxFaces);
  }

  /** Whether a look where the face fills half, then two thirds, of the view finds it at `bar`. */
  function closerLook(frame: Frame, face: DetectedFace, bar: number): boolean {
    return CLOSER_LOOK_SHARES.some((share) => (lookAround(frame, face, share, faceDetector)?.score ?? 0) >= bar);
  }

  /** The best find of `face` (`same` box: SAME_FACE_AGAIN by default) in a view centred on it where it is 1/`share` of the side. */
  function lookAround(frame: Frame, face: DetectedFace, share: number, detector: FaceDetector, same = sameBox): DetectedFace | undefined {
    const tile = tileAround(face.box, frame, { ...detector.scale, minFaceSize: 0 }, share);
    return finds(frame, [tile], undefined, -Infinity, detector)
      .filter((again) => same(again.box, face.box))
      .sort((a, b) => b.score - a.score)[0];
  }

  /**
   * An unsure find, looked at again by `confirmer` (short range beside full range: a look costs
   * half as much, and it sees a face filling a third of its view well) in views centred on it where
   * it fills a third, then 1/2.5, then a quarter of the view (a tight face scores unevenly across
   * them). Kept when one look clears the whole photo's bar (one look, like the whole photo's, not
   * one of tens); the next views only when the first look saw it at all (>= UNSURE_AGAIN).
   */
  function secondLook(frame: Frame, candidate: DetectedFace): DetectedFace | undefined {
    // A face the whole photo's look should have seen needs a confident second look.
    const small = Math.max(candidate.box.width, candidate.box.height) < smallestFaceOfWholeFrame(frame, scanOptions());
    const bar = search.options.minConfidence + (small ? SECOND_LOOK_MARGIN : TILE_SCORE_MARGIN);
    for (const [n, share] of SECOND_LOOK_SHARES.entries()) {
      const seen = lookAround(frame, candidate, share, confirmer, sameCandidate);
      if (seen && seen.score >= bar) return seen;
      if (n === 0 && !(small && seen && seen.score >= UNSURE_AGAIN)) return undefined;
    }
    return undefined;
  }

  /** Whether the photo's own network (full range) sees a face that only the finer one did: one look
   * where it fills a quarter of the view (see FINE_SURE). */
  function secondOpinion(frame: Frame, face: DetectedFace): boolean {
    return (lookAround(frame, face, SECOND_OPINION_SHARE, faceDetector, sameCandidate)?.score ?? 0) >= SECOND_OPINION;
  }

  const search: FaceSearch = {
    options: { ...options },
    inImage(frame, also) {
      const tiles = plan(frame);
      const unsure: DetectedFace[] = [];
      const found = finds(frame, tiles.filter((tile) => !tile.fine), unsure);
      // What the photo's own network saw (sure or not), before the finer network's tiles.
      const seen = [...found, ...unsure];
      const agreed = (face: DetectedFace) => !twoNetworks || face.score >= FINE_SURE || seen.some((other) => sameCandidate(other.box, face.box)) || secondOpinion(frame, face);
      const fine = mergeFaces(finds(frame, tiles.filter((tile) => tile.fine), unsure)).filter(agreed);
      const sure = [...found, ...fine, ...(also?.([...found, ...fine]) ?? [])];
      const confirmed: DetectedFace[] = [];
      let looks = 0;
      for (const candidate of mergeFaces(unsure)) {
        // Only faces of the wanted size: a second look sees small faces well, and "smallest face" must hold.
        const side = Math.max(candidate.box.width, candidate.box.height);
        if (side < search.options.minFaceSize) continue;
        if (looks >= SECOND_LOOKS || [...sure, ...confirmed].some((face) => iou(face.box, candidate.box) >= 0.3)) continue;
        looks++;
        const face = secondLook(frame, candidate);
        if (face && agreed(face)) confirmed.push(face);
      }
      return faces([...sure, ...confirmed]);
    },
    wholeLook(frame, known = []) {
      // Short range beside full range: it finds a face cut by the border that full range misses
      // (e2e/hardening's border-face.jpg, 0.51) and large tight faces full range scores low. On
      // textured backgrounds it also sees large "faces" (29-80% of the long side, 0.50-0.68: every
      // false find in the eval's scenes), which a closer look does not confirm.
      const confident = search.options.minConfidence + TILE_SCORE_MARGIN;
      const largest = Math.min(frame.width, frame.height) / 2;
      const cut = (box: Box) => touchesBorder(box, frame) && Math.max(box.width, box.height) <= largest;
      let looks = 0;
      return finds(frame, [plan(frame)[0]]).filter(
        (face) =>
          face.score >= confident ||
          cut(face.box) ||
          known.some((other) => iou(other.box, face.box) >= 0.3) ||
          (looks++ < CLOSER_LOOKS && closerLook(frame, face, confident)),
      );
    },
    inVideo(frame, known, sweep) {
      const tiles = plan(frame);
      const whole = finds(frame, [tiles[0]]);
      // Known faces the whole frame did not show again, too small for it to be sure of: looked for
      // in the coarsest tile of the plan that holds them whole at a scale the face detector sees well
      // (faces close together share it), else in a tile of their own.
      const reliable = smallestFaceOfWholeFrame(frame, scanOptions()) * 1.25;
      const looks = new Set<ScanTile>();
      for (const box of known) {
        if (Math.max(box.width, box.height) >= reliable || whole.some((face) => iou(face.box, box) >= 0.3)) continue;
        looks.add(tiles.find((tile) => tile.level > 0 && holds(tile, box, model)) ?? tileAround(box, frame, scanOptions()));
      }
      // The sweep starts on a stream's first frame, but with the quick-start detector (BlazeFace on
      // TF.js, ~40 ms a look) on its second: the first frame is then often the first result a
      // person sees after start-up. (A one-frame stream, as the eval's fidelity frames, found 83.2%
      // of its faces without the first frame's tile, 86.8% with it.)
      const phase = faceDetector.name === 'mediapipe' ? 0 : 1;
      if (tiles.length > 1 && sweep.frames++ % SWEEP_EVERY === phase) looks.add(tiles[1 + (sweep.next++ % (tiles.length - 1))]);
      return faces([...whole, ...finds(frame, [...looks])]);
    },
  };
  return search;
}

/**
 * The detect stage: runs the face detector over the views that scan.ts plans (the whole frame and
 * finer tiles), maps what it finds back to the frame and merges it into one list of faces.
 * - Photos: every tile, down to the smallest wanted face (a photo is not real-time).
 * - Video: the whole frame each frame, plus a tile around each known face too small for the whole
 *   view, plus one tile of the full plan every SWEEP_EVERY frames (in turn), so that a small face
 *   that comes in is found within a few seconds while a frame costs little more than one look.
 */
import type { FaceDetector } from './faceDetector';
import type { Frame } from './frame';
import { cutByTile, type FaceDetectorScale, mergeFaces, planScan, smallestFaceOfWholeFrame, tileAround, toFrame, viewSize, type ScanOptions, type ScanTile } from './scan';
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

/** At most this many second looks per photo (each one look of the face detector). */
const SECOND_LOOKS = 24;
/** A second look is one look, as the whole photo's is, not one of tens: it needs the whole photo's
 * bar (scenes of small faces: 57% / 48% found at 0, 51% / 41% at 0.1, 41% / 30% at the tile
 * margin; demo photos 22/22 and no false find at each). */
export const SECOND_LOOK_MARGIN = 0;

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
  /** Every face of a photo, best score first; `also`: finds of another search to merge in. */
  inImage(frame: Frame, also?: readonly DetectedFace[]): DetectedFace[];
  /** What one look at the whole frame finds (not merged). */
  wholeFrame(frame: Frame): DetectedFace[];
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

export function createFaceSearch(faceDetector: FaceDetector, options: FaceSearchOptions): FaceSearch {
  const model = faceDetector.scale;
  // Plans by frame size: streams of different sizes (two cameras, photos between frames) keep theirs.
  const plans = new Map<string, ScanTile[]>();

  const scanOptions = (): ScanOptions => ({ ...model, minFaceSize: search.options.minFaceSize });

  function plan(frame: Size): ScanTile[] {
    const key = `${frame.width}x${frame.height}@${search.options.minFaceSize}`;
    let tiles = plans.get(key);
    if (!tiles) {
      if (plans.size >= 8) plans.clear();
      tiles = planScan(frame, scanOptions());
      plans.set(key, tiles);
    }
    return tiles;
  }

  /** Every find in `tiles` of `frame`, in frame pixels (not merged yet). Tile finds under the tile
   * bar but over the whole frame's go to `unsure`, when given. */
  function finds(frame: Frame, tiles: readonly ScanTile[], unsure?: DetectedFace[], margin = TILE_SCORE_MARGIN): DetectedFace[] {
    const found: DetectedFace[] = [];
    const strict = Math.min(0.95, search.options.minConfidence + margin);
    const perScale = new Map<number, number>();
    for (const tile of tiles) perScale.set(tile.scale, (perScale.get(tile.scale) ?? 0) + 1);
    for (const tile of tiles) {
      const size = viewSize(tile, model.oversample);
      // Many tiles of one scale: shrink the frame once and cut them from it.
      const pyramid = perScale.get(tile.scale)! > 2;
      for (const face of faceDetector.detect(frame.view(tile.rect, size, pyramid), size)) {
        const inFrame = toFrame(face, tile, model.oversample);
        if (tile.level !== 0 && (face.score < strict || cutByTile(inFrame, tile, frame))) {
          if (unsure && face.score >= search.options.minConfidence && !cutByTile(inFrame, tile, frame)) unsure.push(inFrame);
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

  const search: FaceSearch = {
    options: { ...options },
    inImage(frame, also = []) {
      const unsure: DetectedFace[] = [];
      const sure = [...finds(frame, plan(frame), unsure), ...also];
      // An unsure tile find gets a second look, centred on it, where it fills a third of the view
      // (the scale the face detector sees best): kept when that look clears the whole photo's bar.
      const confirmed: DetectedFace[] = [];
      let looks = 0;
      for (const candidate of mergeFaces(unsure)) {
        // Only faces of the wanted size: a second look sees small faces well, and "smallest face" must hold.
        if (Math.max(candidate.box.width, candidate.box.height) < search.options.minFaceSize) continue;
        if (looks >= SECOND_LOOKS || [...sure, ...confirmed].some((face) => iou(face.box, candidate.box) >= 0.3)) continue;
        looks++;
        const again = finds(frame, [tileAround(candidate.box, frame, scanOptions())], undefined, SECOND_LOOK_MARGIN);
        confirmed.push(...again.filter((face) => iou(face.box, candidate.box) >= 0.3));
      }
      return faces([...sure, ...confirmed]);
    },
    wholeFrame(frame) {
      return finds(frame, [plan(frame)[0]]);
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
      if (tiles.length > 1 && sweep.frames++ % SWEEP_EVERY === 0) looks.add(tiles[1 + (sweep.next++ % (tiles.length - 1))]);
      return faces([...whole, ...finds(frame, [...looks])]);
    },
  };
  return search;
}

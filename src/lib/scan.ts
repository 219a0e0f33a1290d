/**
 * Multi-scale face search, as pure math: which parts of a frame the face detector looks at and at
 * what scale, and how the faces found in those parts become one list.
 *
 * BlazeFace (short range) sees a 128 x 128 input and finds faces from about 18 to 110 of its
 * pixels (measured: scripts/face-scale.mjs), so one look at a whole 1920 px photo misses every
 * face under ~270 px. The search therefore looks at the whole frame, then at overlapping tiles of
 * ever smaller sides (each drawn at the face detector's input size), down to the tile side at which the
 * smallest wanted face reaches the face detector's smallest reliable size.
 */
import { iou } from './geometry';
import type { Box, DetectedFace, Point, Size } from './types';

/** What a face detector sees: its square input, and the smallest face side it finds reliably
 * there (input pixels). */
export interface FaceDetectorScale {
  inputSize: number;
  minFaceInInput: number;
  /** Views are drawn at up to this many times the input size, and the face detector resizes them to
   * its input itself (MediaPipe's own resize keeps borderline faces' scores as they were with the
   * whole picture: measured 0.505 against 0.457 from a view drawn at 128). */
  oversample: number;
}

export interface ScanOptions extends FaceDetectorScale {
  /** The smallest face to find, frame pixels. */
  minFaceSize: number;
}

/** One look of the face detector: `rect` of the frame, drawn `scale` times its size (long side =
 * inputSize at most). Level 0 is the whole frame; each level's tiles are smaller. */
export interface ScanTile {
  rect: Box;
  scale: number;
  level: number;
  /** Looked at by the finer network of a two-network plan (planTwoNetworks). */
  fine?: true;
}

/** Each level's tile side is at most the previous one's divided by this (the face detector's range,
 * 18 to 110 input pixels, is ~6x: each face is in range at about two levels). */
export const LEVEL_RATIO = 2.5;

/** BlazeFace short range (MediaPipe's face_detector.tflite), measured with scripts/face-scale.mjs:
 * a face of 18 input pixels scores >= 0.8; 14-16 pixels score ~0.65. */
export const BLAZEFACE_SHORT: FaceDetectorScale = { inputSize: 128, minFaceInInput: 18, oversample: 2 };
/** BlazeFace full range (face_detector_full_range.tflite), measured with scripts/compare-face-detectors.mjs
 * and the e2e fixtures: faces with a head around them from 13-14 input pixels, 9-10 rarely; tight
 * faces (no hair or chin around them, as the eval's scenes) need more, so photos plan for 16
 * (scenes: 84.5% found at 14, 87.6% at 16, 86.4% and 30% slower at 18; docs/finding-faces.md). */
export const BLAZEFACE_FULL: FaceDetectorScale = { inputSize: 192, minFaceInInput: 16, oversample: 2 };
/** BlazeFace back camera (blazeface.ts), measured the same way: >= 0.8 from 12 input pixels, its
 * box within 15% of the face from 16. */
export const BLAZEFACE_BACK: FaceDetectorScale = { inputSize: 256, minFaceInInput: 16, oversample: 1 };

/** Start positions of `count` windows of `side` spread evenly over `length`. */
function spread(length: number, side: number, overlap: number): number[] {
  if (length <= side) return [0];
  const count = Math.ceil((length - overlap) / (side - overlap));
  return Array.from({ length: count }, (_, i) => Math.round((i * (length - side)) / (count - 1)));
}

/** The tiles of one level: `side` squares (cut at the frame's edges) overlapping by `overlap`. */
function levelTiles(size: Size, side: number, overlap: number, level: number, options: ScanOptions): ScanTile[] {
  const scale = Math.min(1, options.inputSize / side);
  return spread(size.height, side, overlap).flatMap((y) =>
    spread(size.width, side, overlap).map((x) => ({
      rect: { x, y, width: Math.min(side, size.width - x), height: Math.min(side, size.height - y) },
      scale,
      level,
    })),
  );
}

/** `levels` even steps from the whole frame down to tiles of side `finest`. */
function plan(size: Size, finest: number, levels: number, options: ScanOptions): ScanTile[] {
  const longSide = Math.max(size.width, size.height);
  const ratio = (longSide / finest) ** (1 / levels);
  const tiles: ScanTile[] = [];
  for (let level = 1; level <= levels; level++) {
    const side = Math.round(longSide / ratio ** level);
    // Neighbours overlap by a little more than the largest face this level alone finds (larger
    // ones are found one level up), so each such face lies whole in some tile.
    const overlap = Math.min(((ratio * side * options.minFaceInInput) / options.inputSize) * 1.1, side * 0.6);
    tiles.push(...levelTiles(size, side, overlap, level, options));
  }
  return tiles;
}

/** The whole frame, then finer and finer tiles down to the smallest wanted face: of the plans whose
 * steps are at most LEVEL_RATIO, the one with the fewest looks. */
export function planScan(size: Size, options: ScanOptions): ScanTile[] {
  const { width, height } = size;
  const longSide = Math.max(width, height);
  const whole: ScanTile = { rect: { x: 0, y: 0, width, height }, scale: Math.min(1, options.inputSize / longSide), level: 0 };
  // The tile side at which the smallest wanted face reaches the face detector's smallest reliable size.
  const finest = Math.max((options.minFaceSize * options.inputSize) / options.minFaceInInput, options.inputSize);
  if (longSide <= finest * 1.05) return [whole];
  const fewest = Math.ceil(Math.log(longSide / finest) / Math.log(LEVEL_RATIO) - 1e-9);
  const plans = [fewest, fewest + 1, fewest + 2].map((levels) => plan(size, finest, levels, options));
  const best = plans.reduce((a, b) => (b.length < a.length ? b : a));
  return [whole, ...best];
}

/** Two-network plans hand faces under this many times the smallest wanted face to the finer network
 * (scenes, 60 of each kind: 1.6 and 2.25 found the same share in full HD, 2.25 two points more in
 * HD, for 12% more time in full HD, where its coarse level is coarser and it needs more fine tiles). */
export const HAND_OFF = 1.6;

/**
 * Photos, two networks: `coarse` (BlazeFace full range) looks at the whole frame and at tiles down to
 * faces of HAND_OFF x the smallest wanted face; `fine` (short range) looks at one level of finer
 * tiles for the faces from the smallest wanted up to there. Short range sees small tight faces
 * (no hair or chin around them) far better than full range does at the same size, and a look costs
 * it a third as much (docs/finding-faces.md).
 */
export function planTwoNetworks(size: Size, coarse: ScanOptions, fine: FaceDetectorScale): ScanTile[] {
  const handOff = coarse.minFaceSize * HAND_OFF;
  const coarsePlan = planScan(size, { ...coarse, minFaceSize: handOff });
  const longSide = Math.max(size.width, size.height);
  const side = Math.round((coarse.minFaceSize * fine.inputSize) / fine.minFaceInInput);
  if (longSide <= side * 1.05) return coarsePlan;
  const levels = Math.max(...coarsePlan.map((tile) => tile.level));
  // The coarse plan's finest tiles (or whole frame) find faces from `reliable` up; fine tiles overlap
  // by a little more, so each face under it lies whole in one of them.
  const finest = Math.max(...coarsePlan.filter((tile) => tile.level === levels).map((tile) => Math.max(tile.rect.width, tile.rect.height)));
  const reliable = (finest * coarse.minFaceInInput) / coarse.inputSize;
  const overlap = Math.min(reliable * 1.1, side * 0.6);
  const fineTiles = levelTiles(size, side, overlap, levels + 1, { ...fine, minFaceSize: coarse.minFaceSize });
  return [...coarsePlan, ...fineTiles.map((tile) => ({ ...tile, fine: true as const }))];
}

/** The smallest face the whole-frame look finds reliably, frame pixels. */
export function smallestFaceOfWholeFrame(size: Size, options: ScanOptions): number {
  return (Math.max(size.width, size.height) * options.minFaceInInput) / options.inputSize;
}

/** A square tile around a face already known (e.g. tracked in video), in which the face is about
 * 1/`share` of the side (a third by default): found again at its own scale. */
export function tileAround(box: Box, frame: Size, options: ScanOptions, share = 3): ScanTile {
  const side = Math.round(Math.min(Math.max(box.width, box.height) * share, Math.max(frame.width, frame.height)));
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const x = Math.round(Math.min(Math.max(cx - side / 2, 0), Math.max(frame.width - side, 0)));
  const y = Math.round(Math.min(Math.max(cy - side / 2, 0), Math.max(frame.height - side, 0)));
  const rect = { x, y, width: Math.min(side, frame.width - x), height: Math.min(side, frame.height - y) };
  return { rect, scale: Math.min(1, options.inputSize / side), level: -1 };
}

/** The size of a tile's view: its rect at its scale (times the face detector's oversampling, never
 * above the frame's own pixels), whole pixels. */
export function viewSize(tile: ScanTile, oversample = 1): Size {
  const scale = Math.min(1, tile.scale * oversample);
  return { width: Math.max(1, Math.round(tile.rect.width * scale)), height: Math.max(1, Math.round(tile.rect.height * scale)) };
}

/** A face found in a tile's view (view pixels, the view of `viewSize(tile, oversample)`) -> frame pixels. */
export function toFrame(face: DetectedFace, tile: ScanTile, oversample = 1): DetectedFace {
  const view = viewSize(tile, oversample);
  const sx = view.width / tile.rect.width;
  const sy = view.height / tile.rect.height;
  const point = (p: Point): Point => ({ x: tile.rect.x + p.x / sx, y: tile.rect.y + p.y / sy });
  const corner = point(face.box);
  return {
    box: { x: corner.x, y: corner.y, width: face.box.width / sx, height: face.box.height / sy },
    keypoints: face.keypoints.map(point),
    score: face.score,
  };
}

/** Whether a face (frame pixels) touches an edge of its tile that is not an edge of the frame:
 * it is probably cut there, and lies whole in a neighbouring tile. */
export function cutByTile(face: DetectedFace, tile: ScanTile, frame: Size): boolean {
  const { rect } = tile;
  const slack = 2 / tile.scale; // two face-detector pixels
  const { x, y, width, height } = face.box;
  return (
    (rect.x > 0 && x <= rect.x + slack) ||
    (rect.y > 0 && y <= rect.y + slack) ||
    (rect.x + rect.width < frame.width && x + width >= rect.x + rect.width - slack) ||
    (rect.y + rect.height < frame.height && y + height >= rect.y + rect.height - slack)
  );
}

/** Share of the smaller box that the two boxes share. */
function overlapOfSmaller(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const smaller = Math.min(a.width * a.height, b.width * b.height);
  return smaller > 0 ? (w * h) / smaller : 0;
}

/** Two finds of one face: their boxes mostly overlap, and neither is much larger than the other
 * (a coarse view may box a face with its hair at twice its size; a face far smaller than another
 * box it overlaps is another face). */
function sameFace(a: Box, b: Box): boolean {
  const ratio = Math.max(a.width, b.width) / Math.min(a.width, b.width);
  return iou(a, b) >= 0.3 || (overlapOfSmaller(a, b) >= 0.6 && ratio < 2.5);
}

/**
 * Weighted box merging: each face found several times (overlapping tiles, several levels) becomes
 * one, its box and keypoints averaged by score (steadier than keeping one find), its score the best.
 * Returns faces best score first.
 */
export function mergeFaces(faces: readonly DetectedFace[]): DetectedFace[] {
  const rest = [...faces].sort((a, b) => b.score - a.score);
  const merged: DetectedFace[] = [];
  while (rest.length > 0) {
    const best = rest[0];
    const group = rest.filter((face) => sameFace(best.box, face.box));
    for (const face of group) rest.splice(rest.indexOf(face), 1);
    const total = group.reduce((sum, face) => sum + face.score, 0);
    const mean = (value: (face: DetectedFace) => number) => group.reduce((sum, face) => sum + value(face) * face.score, 0) / total;
    const keypointCount = Math.min(...group.map((face) => face.keypoints.length));
    merged.push({
      box: { x: mean((f) => f.box.x), y: mean((f) => f.box.y), width: mean((f) => f.box.width), height: mean((f) => f.box.height) },
      keypoints: Array.from({ length: keypointCount }, (_, k) => ({ x: mean((f) => f.keypoints[k].x), y: mean((f) => f.keypoints[k].y) })),
      score: best.score,
    });
  }
  return merged;
}

/**
 * Scenes for the "small and many faces" run: several PublicTest faces, each scaled to a side drawn
 * from its kind's range and turned by up to 12°, on a blurred-noise background, never
 * overlapping. Deterministic per seed. The kinds follow the held-back test the project is judged
 * by: webcam framing (one to three large faces) and HD crowds of small faces.
 */
import type { FaceOut } from '../pages/pipelines/types';
import { FER_SIDE } from './fer2013';
import { background, bilinear } from './fidelity-frames';

export interface SceneKind {
  name: string;
  width: number;
  height: number;
  faces: [number, number];
  /** Face side in frame pixels, smallest and largest. */
  sides: [number, number];
}

export const SCENE_KINDS: readonly SceneKind[] = [
  { name: 'webcam 640x480, 1-3 faces of 120-260 px', width: 640, height: 480, faces: [1, 3], sides: [120, 260] },
  { name: 'HD 1280x720, 4-12 faces of 40-140 px', width: 1280, height: 720, faces: [4, 12], sides: [40, 140] },
  { name: 'full HD 1920x1080, 4-12 faces of 40-140 px', width: 1920, height: 1080, faces: [4, 12], sides: [40, 140] },
];

export const MAX_ROLL_DEGREES = 12;

export interface PlacedFace {
  /** Index into the faces handed to makeScene. */
  index: number;
  /** The face square before it was turned (its centre is the turned square's), frame pixels. */
  x: number;
  y: number;
  side: number;
  /** Roll in radians. */
  angle: number;
}

export interface Scene {
  width: number;
  height: number;
  rgb: Uint8Array;
  faces: PlacedFace[];
}

/**
 * A scene of `kind` with faces taken in order from `next()` (48x48 grey pixels and an index), at
 * most as many as fit without overlap (turned squares kept apart by their circumscribed circles).
 */
export function makeScene(kind: SceneKind, next: () => { pixels: ArrayLike<number>; index: number }, random: () => number): Scene {
  const { width, height } = kind;
  const rgb = background(random, width, height);
  const wanted = kind.faces[0] + Math.floor(random() * (kind.faces[1] - kind.faces[0] + 1));
  const faces: PlacedFace[] = [];
  for (let n = 0; n < wanted; n++) {
    const side = kind.sides[0] + Math.floor(random() * (kind.sides[1] - kind.sides[0] + 1));
    const angle = ((random() * 2 - 1) * MAX_ROLL_DEGREES * Math.PI) / 180;
    const half = halfExtent(side, angle);
    let spot: { cx: number; cy: number } | null = null;
    for (let attempt = 0; attempt < 50 && !spot && width > 2 * half && height > 2 * half; attempt++) {
      const cx = half + random() * (width - 2 * half);
      const cy = half + random() * (height - 2 * half);
      // The turned squares' bounding boxes stay 4 px apart.
      const apart = faces.every((f) => {
        const reach = halfExtent(f.side, f.angle) + half + 4;
        return Math.abs(f.x + f.side / 2 - cx) > reach || Math.abs(f.y + f.side / 2 - cy) > reach;
      });
      if (apart) spot = { cx, cy };
    }
    if (!spot) continue; // no room left for a face this size: the scene has fewer
    const { pixels, index } = next();
    paint(rgb, width, height, pixels, spot.cx, spot.cy, side, angle);
    faces.push({ index, x: spot.cx - side / 2, y: spot.cy - side / 2, side, angle });
  }
  return { width, height, rgb, faces };
}

/** Half the side of the bounding box of a square of `side` turned by `angle`. */
export function halfExtent(side: number, angle: number): number {
  return (side / 2) * (Math.abs(Math.cos(angle)) + Math.abs(Math.sin(angle)));
}

/** Draws the grey face turned by `angle` around (cx, cy): every frame pixel inside the turned square samples it. */
function paint(rgb: Uint8Array, width: number, height: number, pixels: ArrayLike<number>, cx: number, cy: number, side: number, angle: number): void {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const reach = Math.ceil((side * Math.SQRT2) / 2);
  const scale = FER_SIDE / side;
  for (let y = Math.max(0, Math.floor(cy - reach)); y < Math.min(height, Math.ceil(cy + reach)); y++) {
    for (let x = Math.max(0, Math.floor(cx - reach)); x < Math.min(width, Math.ceil(cx + reach)); x++) {
      // The frame pixel's centre in the face's own (unturned) square.
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      const u = cos * dx + sin * dy + side / 2;
      const v = -sin * dx + cos * dy + side / 2;
      if (u < 0 || v < 0 || u >= side || v >= side) continue;
      const grey = Math.round(bilinear(pixels, FER_SIDE, FER_SIDE, u * scale, v * scale));
      const at = (y * width + x) * 3;
      rgb[at] = rgb[at + 1] = rgb[at + 2] = grey;
    }
  }
}

function iou(a: { x: number; y: number; width: number; height: number }, b: typeof a): number {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  return (w * h) / (a.width * a.height + b.width * b.height - w * h);
}

/**
 * Pairs detections with placed faces: a detection counts for a face when its centre lies within
 * the face's square (its unturned square around the same centre); best overlap first, each
 * detection and face used once. Returns the detection of each face (or undefined) and the
 * detections that matched no face (false detections).
 */
export function matchFaces(detections: readonly FaceOut[], faces: readonly PlacedFace[]): { matched: (FaceOut | undefined)[]; extra: number } {
  const pairs: { face: number; detection: number; overlap: number }[] = [];
  faces.forEach((face, f) => {
    const square = { x: face.x, y: face.y, width: face.side, height: face.side };
    detections.forEach((d, k) => {
      const cx = d.box.x + d.box.width / 2;
      const cy = d.box.y + d.box.height / 2;
      if (cx >= square.x && cx <= square.x + square.width && cy >= square.y && cy <= square.y + square.height) {
        pairs.push({ face: f, detection: k, overlap: iou(d.box, square) });
      }
    });
  });
  pairs.sort((a, b) => b.overlap - a.overlap);
  const matched: (FaceOut | undefined)[] = faces.map(() => undefined);
  const used = new Set<number>();
  for (const pair of pairs) {
    if (matched[pair.face] || used.has(pair.detection)) continue;
    matched[pair.face] = detections[pair.detection];
    used.add(pair.detection);
  }
  return { matched, extra: detections.length - used.size };
}

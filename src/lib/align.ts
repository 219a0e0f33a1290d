/**
 * Where to cut each face out of the image, as pure math (no TF.js): a square around the
 * face detector's box, turned so the eyes are level, and the projective transform that
 * `tf.image.transform` needs to sample it.
 *
 * Pixel convention: pixel i covers [i, i+1) and its centre is at i + 0.5, both in the source and
 * in the output; `tf.image.transform` works in pixel indices, hence the 0.5 shifts below.
 */
import { boxCenter } from './geometry';
import type { DetectedFace, Point } from './types';

/**
 * Crop framing, calibrated to FER2013: MediaPipe run on 398 FER2013 faces (each padded into a
 * larger canvas) puts its box side at 0.85 of the FER frame (margin: median 0.18, quartiles
 * 0.08..0.34) and the box centre 0.10 box sides below the frame centre (FER shows more forehead
 * than chin). So by default the crop is 1.2x the box and its centre moves up by 0.1 box side.
 */
export const DEFAULT_MARGIN = 0.2;
export const DEFAULT_SHIFT_UP = 0.1;

export interface FaceCrop {
  /** Centre of the square, source pixels (continuous coordinates). */
  center: Point;
  /** Side of the square, source pixels. */
  side: number;
  /** Roll of the face in radians (image y axis points down, so positive = clockwise on screen). */
  angle: number;
}

/** x, y of output pixel (u, v) in the source: `[a0, a1, a2, b0, b1, b2, c0, c1]` as in
 * `tf.image.transform`: x = a0*u + a1*v + a2, y = b0*u + b1*v + b2 (c0 = c1 = 0: affine). */
export type ProjectiveTransform = [number, number, number, number, number, number, number, number];

/**
 * Roll angle from the eyes: MediaPipe keypoint 0 is the subject's right eye, which appears on the
 * image's left, keypoint 1 the left eye. The eye line is treated as undirected (result kept in
 * (-pi/2, pi/2]), so a swapped pair (e.g. a mirrored face) never turns the crop upside down.
 * Returns 0 when the eyes are missing or coincide.
 */
export function rollAngle(keypoints: readonly Point[]): number {
  if (keypoints.length < 2) return 0;
  const [imageLeftEye, imageRightEye] = keypoints;
  const dx = imageRightEye.x - imageLeftEye.x;
  const dy = imageRightEye.y - imageLeftEye.y;
  if (dx === 0 && dy === 0) return 0;
  let angle = Math.atan2(dy, dx);
  if (angle > Math.PI / 2) angle -= Math.PI;
  else if (angle <= -Math.PI / 2) angle += Math.PI;
  return angle;
}

/**
 * The square crop for a face: side = longest box side * (1 + margin), centred on the box centre
 * moved up by `shiftUp` box sides (along the face's own up direction), turned by the eye roll
 * unless `upright` is false. It may extend past the image edges.
 */
export function faceCrop(face: DetectedFace, margin = DEFAULT_MARGIN, upright = true, shiftUp = DEFAULT_SHIFT_UP): FaceCrop {
  if (!(margin > -1)) throw new RangeError(`margin must be greater than -1, got ${margin}`);
  const boxSide = Math.max(face.box.width, face.box.height);
  const angle = upright ? rollAngle(face.keypoints) : 0;
  const center = boxCenter(face.box);
  // "Up" for the face is (0, -1) turned by the roll: (sin, -cos).
  const shift = shiftUp * boxSide;
  return {
    center: { x: center.x + Math.sin(angle) * shift, y: center.y - Math.cos(angle) * shift },
    side: boxSide * (1 + margin),
    angle,
  };
}

/** The transform mapping output pixel indices of an `outputSize` x `outputSize` image to source
 * pixel indices: output axes follow the eye line, the output centre is the crop centre. */
export function cropTransform(crop: FaceCrop, outputSize: number): ProjectiveTransform {
  const scale = crop.side / outputSize;
  const cos = Math.cos(crop.angle) * scale;
  const sin = Math.sin(crop.angle) * scale;
  // Output index u has continuous coordinate u + 0.5; centred: u + offset.
  const offset = 0.5 - outputSize / 2;
  const a2 = crop.center.x - 0.5 + cos * offset - sin * offset;
  const b2 = crop.center.y - 0.5 + sin * offset + cos * offset;
  return [cos, -sin, a2, sin, cos, b2, 0, 0];
}

/** Applies a transform to an output pixel index; returns the source pixel index. */
export function applyTransform(transform: ProjectiveTransform, u: number, v: number): Point {
  const [a0, a1, a2, b0, b1, b2, c0, c1] = transform;
  const k = c0 * u + c1 * v + 1;
  return { x: (a0 * u + a1 * v + a2) / k, y: (b0 * u + b1 * v + b2) / k };
}

/** The crop's corners in source coordinates (top-left, top-right, bottom-right, bottom-left as
 * seen in the upright output), e.g. to draw the rotated crop. */
export function cropCorners(crop: FaceCrop): Point[] {
  const half = crop.side / 2;
  const cos = Math.cos(crop.angle);
  const sin = Math.sin(crop.angle);
  return [
    [-half, -half],
    [half, -half],
    [half, half],
    [-half, half],
  ].map(([dx, dy]) => ({ x: crop.center.x + cos * dx - sin * dy, y: crop.center.y + sin * dx + cos * dy }));
}

/** Whether part of the crop lies outside a width x height image (those pixels are filled from
 * the nearest edge by preprocess.ts). */
export function cropLeavesImage(crop: FaceCrop, width: number, height: number): boolean {
  return cropCorners(crop).some((p) => p.x < 0 || p.y < 0 || p.x > width || p.y > height);
}

/** Plain box and size arithmetic shared by the tracker, the face search and the drawing code. */
import type { Box, Point, Size } from './types';

/** Intersection over union of two boxes; 0 when either is empty. */
export function iou(a: Box, b: Box): number {
  const left = Math.max(a.x, b.x);
  const top = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  const intersection = Math.max(0, right - left) * Math.max(0, bottom - top);
  const union = a.width * a.height + b.width * b.height - intersection;
  return union > 0 ? intersection / union : 0;
}

/** The size to analyse a source at: unchanged if its longest side is within `maxSide`, else scaled
 * down (aspect kept, whole pixels, at least 1). `scale` = analysed / source. */
export function fitWithin(size: Size, maxSide: number): Size & { scale: number } {
  if (!(size.width > 0 && size.height > 0)) return { width: 0, height: 0, scale: 1 };
  const longest = Math.max(size.width, size.height);
  if (longest <= maxSide) return { width: size.width, height: size.height, scale: 1 };
  const scale = maxSide / longest;
  return {
    width: Math.max(1, Math.round(size.width * scale)),
    height: Math.max(1, Math.round(size.height * scale)),
    scale,
  };
}

/** The same box seen in a horizontally mirrored image of the given width. */
export function mirrorBox(box: Box, imageWidth: number): Box {
  return { x: imageWidth - box.x - box.width, y: box.y, width: box.width, height: box.height };
}

export function mirrorPoint(point: Point, imageWidth: number): Point {
  return { x: imageWidth - point.x, y: point.y };
}

export function scaleBox(box: Box, sx: number, sy = sx): Box {
  return { x: box.x * sx, y: box.y * sy, width: box.width * sx, height: box.height * sy };
}

export function boxCenter(box: Box): Point {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

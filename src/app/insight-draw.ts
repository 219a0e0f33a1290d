/**
 * Pictures for "Where it looks": the face crop the models saw, the attention heatmap blended over
 * it, the transformer's sampled region. Pixel work is pure (testable); the canvas part is thin.
 */
import type { Point } from '../lib';

/** Colour stops of the heat scale, cold to hot (blue, cyan, yellow, red). */
const HEAT_STOPS: [number, [number, number, number]][] = [
  [0, [20, 30, 140]],
  [0.35, [0, 170, 255]],
  [0.65, [255, 225, 0]],
  [1, [230, 30, 0]],
];
/** How much colour covers the face: a little where the model looks least, most where it looks most. */
const MIN_ALPHA = 0.2;
const MAX_ALPHA = 0.8;

/** The scale as a CSS gradient, least to most, for the legend beside the heatmap. */
export const HEAT_SCALE_CSS = `linear-gradient(to right, ${HEAT_STOPS.map(([at, [r, g, b]]) => `rgb(${r} ${g} ${b}) ${at * 100}%`).join(', ')})`;

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
/** Model input [-1, 1] -> grey level 0..255. */
const toGrey = (v: number) => Math.round(clamp01((v + 1) / 2) * 255);

export function heatColor(value: number): [number, number, number] {
  const v = clamp01(value);
  for (let i = 1; i < HEAT_STOPS.length; i++) {
    const [end, to] = HEAT_STOPS[i];
    if (v <= end) {
      const [start, from] = HEAT_STOPS[i - 1];
      const t = (v - start) / (end - start);
      return [0, 1, 2].map((c) => Math.round(from[c] + (to[c] - from[c]) * t)) as [number, number, number];
    }
  }
  return HEAT_STOPS[HEAT_STOPS.length - 1][1];
}

/** A grey image in [-1, 1] (row-major) as opaque RGBA bytes. */
export function greyToRgba(pixels: Float32Array): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(pixels.length * 4);
  pixels.forEach((v, i) => {
    const grey = toGrey(v);
    rgba.set([grey, grey, grey, 255], i * 4);
  });
  return rgba;
}

/** The face crop with the heatmap (same size) blended over it. The heatmap is stretched to the
 * whole scale: averaged attention maps rarely reach 1 everywhere they peak, and the legend
 * promises red where the model looks most. */
export function heatOverlay(crop: Float32Array, heatmap: Float32Array): Uint8ClampedArray<ArrayBuffer> {
  if (crop.length !== heatmap.length) throw new Error(`crop (${crop.length} pixels) and heatmap (${heatmap.length}) differ in size`);
  const rgba = new Uint8ClampedArray(crop.length * 4);
  let low = Infinity;
  let high = -Infinity;
  for (const v of heatmap) {
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  const spread = high - low > 1e-6 ? high - low : Infinity; // a flat map: all "least"
  crop.forEach((v, i) => {
    const grey = toGrey(v);
    const heat = clamp01((heatmap[i] - low) / spread);
    const alpha = MIN_ALPHA + (MAX_ALPHA - MIN_ALPHA) * heat;
    const colour = heatColor(heat);
    rgba.set([0, 1, 2].map((c) => Math.round(grey * (1 - alpha) + colour[c] * alpha)), i * 4);
    rgba[i * 4 + 3] = 255;
  });
  return rgba;
}

/** A square part of the crop's plane to show, in crop pixels; it may reach past the crop. */
export interface Viewport {
  x: number;
  y: number;
  side: number;
}

/** Largest zoom-out: a transformer sampling far outside the face would shrink the face to a dot. */
const MAX_VIEW = 3;

/** The whole crop (`size` px) plus the sampled region, which may reach past it, with a margin. */
export function quadViewport(quad: readonly Point[], size: number, margin = 1.5): Viewport {
  const limit = (v: number) => Math.min(Math.max(v, -size * (MAX_VIEW - 1) / 2), size * (MAX_VIEW + 1) / 2);
  const xs = [0, size, ...quad.map((p) => limit(p.x))];
  const ys = [0, size, ...quad.map((p) => limit(p.y))];
  const [left, right, top, bottom] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const side = Math.max(right - left, bottom - top) + 2 * margin;
  return { x: (left + right - side) / 2, y: (top + bottom - side) / 2, side };
}

/** Fills `canvas` with a `size` x `size` RGBA image, scaled up smoothly; with a viewport, only
 * that part of the image's plane is shown (outside the image stays empty). */
export function paintImage(
  canvas: HTMLCanvasElement,
  rgba: Uint8ClampedArray<ArrayBuffer>,
  size: number,
  view: Viewport = { x: 0, y: 0, side: size },
): CanvasRenderingContext2D | null {
  const context = canvas.getContext('2d');
  const source = document.createElement('canvas');
  source.width = size;
  source.height = size;
  const sourceContext = source.getContext('2d');
  if (!context || !sourceContext) return null;
  sourceContext.putImageData(new ImageData(rgba, size, size), 0, 0);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  context.clearRect(0, 0, canvas.width, canvas.height);
  const scale = canvas.width / view.side;
  context.drawImage(source, -view.x * scale, -view.y * scale, size * scale, size * scale);
  return context;
}

/** Outlines the transformer's sampled region (crop pixels, placed as `paintImage` placed the
 * crop) and marks its top-left corner, so a rotation or flip shows. */
export function strokeQuad(context: CanvasRenderingContext2D, quad: readonly Point[], view: Viewport): void {
  const scale = context.canvas.width / view.side;
  const at = (p: Point): [number, number] => [(p.x - view.x) * scale, (p.y - view.y) * scale];
  context.save();
  context.lineWidth = 2.5;
  context.strokeStyle = '#ffd400';
  context.shadowColor = 'rgb(0 0 0 / 0.8)';
  context.shadowBlur = 3;
  context.beginPath();
  quad.forEach((p, i) => (i === 0 ? context.moveTo(...at(p)) : context.lineTo(...at(p))));
  context.closePath();
  context.stroke();
  context.fillStyle = '#ffd400';
  context.beginPath();
  context.arc(...at(quad[0]), 4, 0, 2 * Math.PI);
  context.fill();
  context.restore();
}

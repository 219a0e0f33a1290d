/**
 * Draws results on a 2D canvas laid over the photo or video: a box per face, its top emotion and a
 * stacked probability bar. The geometry is in small pure functions; drawResults only paints.
 *
 * Mirroring: show the video mirrored (CSS `scale: -1 1`) but keep the overlay canvas unmirrored
 * and pass `mirrored: true`; the boxes then land on the mirrored faces and the text stays readable.
 */
import { mirrorBox, scaleBox } from './geometry';
import { EMOTIONS, type Box, type Emotion, type EmotionFace, type EmotionResult, type Size } from './types';

export const EMOTION_COLORS: Record<Emotion, string> = {
  angry: '#e53935',
  disgust: '#7cb342',
  fear: '#8e24aa',
  happy: '#fdd835',
  sad: '#1e88e5',
  surprise: '#fb8c00',
  neutral: '#9e9e9e',
};

export interface DrawOptions {
  /** The picture under the canvas is shown mirrored: flip the boxes (not the text). */
  mirrored?: boolean;
  colors?: Partial<Record<Emotion, string>>;
  /** Draw the stacked probability bar under each box. Default true. */
  showBars?: boolean;
  /** Size of lines and text relative to the default (which follows the canvas size). */
  scale?: number;
  /** Clear the canvas first. Default false: draws over what is there (e.g. the photo). */
  clear?: boolean;
  /** Put each face's id before its label ("2 · happy 87%"), to match a list of faces. Default true. */
  numbered?: boolean;
  /** The id of a face to stand out (e.g. while its row in a list is hovered): a thicker box. */
  highlight?: number | null;
}

export interface BarSegment {
  emotion: Emotion;
  x: number;
  width: number;
}

/** "happy 87%" */
export function faceLabel(face: Pick<EmotionFace, 'top'>): string {
  return `${face.top.label} ${Math.round(face.top.probability * 100)}%`;
}

/** A result box (in the analysed image's pixels) in canvas pixels, mirrored if asked. */
export function overlayBox(box: Box, analysed: Size, canvas: Size, mirrored = false): Box {
  const scaled = scaleBox(box, canvas.width / analysed.width, canvas.height / analysed.height);
  return mirrored ? mirrorBox(scaled, canvas.width) : scaled;
}

/** Top-left corner of a label: above the box, or inside its top edge when there is no room. */
export function labelPosition(box: Box, labelHeight: number): { x: number; y: number } {
  const above = box.y - labelHeight;
  return { x: box.x, y: above >= 0 ? above : box.y };
}

/** The probability bar under a box, split in proportion to each emotion (EMOTIONS order). */
export function barSegments(box: Box, probabilities: Record<Emotion, number>): BarSegment[] {
  const total = EMOTIONS.reduce((sum, e) => sum + Math.max(0, probabilities[e]), 0) || 1;
  let x = box.x;
  return EMOTIONS.map((emotion) => {
    const width = (box.width * Math.max(0, probabilities[emotion])) / total;
    const segment = { emotion, x, width };
    x += width;
    return segment;
  });
}

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

export function drawResults(ctx: Context2D, result: EmotionResult, options: DrawOptions = {}): void {
  const { width, height } = ctx.canvas;
  if (options.clear) ctx.clearRect(0, 0, width, height);
  if (result.width === 0 || result.height === 0) return;
  const colors = { ...EMOTION_COLORS, ...options.colors };
  const unit = Math.max(1, Math.min(width, height) / 480) * (options.scale ?? 1);
  const fontSize = Math.round(14 * unit);
  const padding = Math.round(3 * unit);
  const barHeight = Math.round(6 * unit);

  ctx.save();
  ctx.lineWidth = 2 * unit;
  ctx.font = `600 ${fontSize}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  for (const face of result.faces) {
    const box = overlayBox(face.box, result, { width, height }, options.mirrored);
    const color = colors[face.top.label];
    const highlighted = options.highlight === face.id;
    ctx.strokeStyle = color;
    ctx.lineWidth = (highlighted ? 5 : 2) * unit;
    ctx.strokeRect(box.x, box.y, box.width, box.height);

    const text = (options.numbered ?? true) ? `${face.id} · ${faceLabel(face)}` : faceLabel(face);
    const labelHeight = fontSize + 2 * padding;
    const label = labelPosition(box, labelHeight);
    ctx.fillStyle = color;
    ctx.fillRect(label.x, label.y, ctx.measureText(text).width + 2 * padding, labelHeight);
    ctx.fillStyle = '#111';
    ctx.fillText(text, label.x + padding, label.y + padding);

    if (options.showBars ?? true) {
      const barY = Math.min(box.y + box.height + padding, height - barHeight);
      for (const segment of barSegments(box, face.probabilities)) {
        ctx.fillStyle = colors[segment.emotion];
        ctx.fillRect(segment.x, barY, segment.width, barHeight);
      }
    }
  }
  ctx.restore();
}

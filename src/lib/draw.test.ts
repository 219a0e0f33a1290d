import { describe, expect, it } from 'vitest';
import { barSegments, drawResults, EMOTION_COLORS, faceLabel, labelPosition, overlayBox } from './draw';
import { toProbabilities, topEmotion } from './metadata';
import type { EmotionFace, EmotionResult } from './types';

function face(box: EmotionFace['box'], values: number[]): EmotionFace {
  return { box, keypoints: [], score: 0.9, id: 1, probabilities: toProbabilities(values), top: topEmotion(values) };
}

describe('overlayBox', () => {
  const box = { x: 100, y: 50, width: 200, height: 100 };

  it('scales from analysed pixels to canvas pixels', () => {
    expect(overlayBox(box, { width: 1000, height: 500 }, { width: 500, height: 250 })).toEqual({ x: 50, y: 25, width: 100, height: 50 });
  });

  it('mirrors horizontally when the picture is shown mirrored', () => {
    expect(overlayBox(box, { width: 1000, height: 500 }, { width: 1000, height: 500 }, true)).toEqual({ x: 700, y: 50, width: 200, height: 100 });
  });
});

it('places labels above the box, or inside it at the top edge', () => {
  expect(labelPosition({ x: 10, y: 50, width: 10, height: 10 }, 20)).toEqual({ x: 10, y: 30 });
  expect(labelPosition({ x: 10, y: 5, width: 10, height: 10 }, 20)).toEqual({ x: 10, y: 5 });
});

it('splits the probability bar in proportion, across the box width', () => {
  const segments = barSegments({ x: 10, y: 0, width: 100, height: 10 }, toProbabilities([0.5, 0, 0, 0.25, 0, 0, 0.25]));
  expect(segments.map((s) => s.emotion)).toEqual(['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral']);
  expect(segments[0]).toEqual({ emotion: 'angry', x: 10, width: 50 });
  expect(segments[3]).toEqual({ emotion: 'happy', x: 60, width: 25 });
  expect(segments[6]).toEqual({ emotion: 'neutral', x: 85, width: 25 });
});

it('labels a face with its top emotion as a percentage', () => {
  expect(faceLabel(face({ x: 0, y: 0, width: 1, height: 1 }, [0, 0, 0, 0.874, 0.1, 0, 0.026]))).toBe('happy 87%');
});

describe('drawResults', () => {
  function recordingContext(width: number, height: number) {
    const calls: { op: string; args: unknown[]; fillStyle?: unknown; strokeStyle?: unknown; lineWidth?: number }[] = [];
    const ctx = {
      canvas: { width, height },
      fillStyle: '' as unknown,
      strokeStyle: '' as unknown,
      lineWidth: 1,
      font: '',
      textBaseline: '',
      save() {},
      restore() {},
      clearRect: (...args: unknown[]) => calls.push({ op: 'clearRect', args }),
      strokeRect(...args: unknown[]) {
        calls.push({ op: 'strokeRect', args, strokeStyle: this.strokeStyle, lineWidth: this.lineWidth });
      },
      fillRect(...args: unknown[]) {
        calls.push({ op: 'fillRect', args, fillStyle: this.fillStyle });
      },
      fillText: (...args: unknown[]) => calls.push({ op: 'fillText', args }),
      measureText: (text: string) => ({ width: text.length * 7 }),
    };
    return { ctx: ctx as unknown as CanvasRenderingContext2D, calls };
  }

  const result: EmotionResult = {
    faces: [face({ x: 100, y: 100, width: 200, height: 200 }, [0, 0, 0, 0.9, 0, 0, 0.1])],
    width: 640,
    height: 480,
    timings: { detect: 1, preprocess: 1, classify: 1 },
    faceDetector: 'mediapipe',
  };

  it('draws the box in the top emotion colour with its label and bar', () => {
    const { ctx, calls } = recordingContext(640, 480);
    drawResults(ctx, result);
    const box = calls.find((c) => c.op === 'strokeRect')!;
    expect(box.args).toEqual([100, 100, 200, 200]);
    expect(box.strokeStyle).toBe(EMOTION_COLORS.happy);
    // Numbered by the face's id, as the list beside the picture is.
    expect(calls.find((c) => c.op === 'fillText')!.args[0]).toBe('1 · happy 90%');
    const bar = calls.filter((c) => c.op === 'fillRect' && (c.args[2] as number) > 0).slice(1);
    expect(bar.map((c) => c.fillStyle)).toEqual([EMOTION_COLORS.happy, EMOTION_COLORS.neutral]);
    expect(calls.some((c) => c.op === 'clearRect')).toBe(false);
  });

  it('lines the box up with a mirrored picture and a canvas of another size', () => {
    const { ctx, calls } = recordingContext(1280, 960);
    drawResults(ctx, result, { mirrored: true, clear: true });
    expect(calls[0].op).toBe('clearRect');
    // Scaled by 2, then mirrored: x = 1280 - 200 - 400.
    expect(calls.find((c) => c.op === 'strokeRect')!.args).toEqual([680, 200, 400, 400]);
    // The label text itself is not flipped: it starts at the box's left edge.
    expect((calls.find((c) => c.op === 'fillText')!.args[1] as number)).toBeGreaterThanOrEqual(680);
  });

  it('can leave the number out, and makes a highlighted face stand out', () => {
    const plain = recordingContext(640, 480);
    drawResults(plain.ctx, result, { numbered: false });
    expect(plain.calls.find((c) => c.op === 'fillText')!.args[0]).toBe('happy 90%');
    const lineWidthOf = (highlight: number | null) => {
      const { ctx, calls } = recordingContext(640, 480);
      drawResults(ctx, result, { highlight });
      return calls.find((c) => c.op === 'strokeRect')!.lineWidth as number;
    };
    expect(lineWidthOf(1)).toBeGreaterThan(lineWidthOf(null));
    expect(lineWidthOf(2)).toBe(lineWidthOf(null));
  });

  it('draws nothing for a result without pixels', () => {
    const { ctx, calls } = recordingContext(100, 100);
    drawResults(ctx, { ...result, width: 0, height: 0 });
    expect(calls).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { FaceDetector } from './faceDetector';
import { createFaceSearch } from './faceSearch';
import type { Frame } from './frame';
import { BLAZEFACE_FULL } from './scan';
import type { Box, ImageSource, Size } from './types';

/** A face in the frame and how sure the fake face detector is of it once it sees it well. */
interface Truth {
  box: Box;
  /** Score when the face spans >= 40 of the detector's 192 input pixels; smaller (14..40) it scores 0.6. */
  sure: number;
}

/** What the fake frame hands the fake detector: which part of the frame, drawn at which size. */
interface View {
  rect: Box;
  size: Size;
}

function fakeFrame(width: number, height: number): Frame {
  return {
    width,
    height,
    view: (rect, size) => ({ rect: { ...rect }, size: { ...size } }) as unknown as ImageSource,
    grayRegions: async () => [],
  };
}

/** Full-range BlazeFace as far as the search can tell: faces seen too small are missed, small ones unsure. */
function fakeDetector(truths: Truth[], looks: View[]): FaceDetector {
  return {
    name: 'mediapipe',
    scale: BLAZEFACE_FULL,
    usageLoggingDisabled: true,
    detect(image) {
      const { rect, size } = image as unknown as View;
      looks.push({ rect, size });
      const toView = size.width / rect.width;
      const toInput = BLAZEFACE_FULL.inputSize / Math.max(size.width, size.height);
      return truths
        .filter(({ box }) => box.x >= rect.x && box.y >= rect.y && box.x + box.width <= rect.x + rect.width && box.y + box.height <= rect.y + rect.height)
        .map(({ box, sure }) => ({ box, sure, input: box.width * toView * toInput }))
        .filter(({ input }) => input >= 14)
        .map(({ box, sure, input }) => ({
          box: { x: (box.x - rect.x) * toView, y: (box.y - rect.y) * toView, width: box.width * toView, height: box.height * toView },
          keypoints: [],
          score: input >= 40 ? sure : 0.6,
        }));
    },
    setMinConfidence: async () => {},
    close() {},
  };
}

const options = { minFaceSize: 40, minConfidence: 0.5, maxFaces: 20 };

describe('photo search: second looks', () => {
  it('keeps a face a tile was unsure of once a closer look is sure, and drops one it stays unsure of', () => {
    const truths: Truth[] = [
      { box: { x: 900, y: 500, width: 90, height: 90 }, sure: 0.9 }, // a face: sure when seen well
      { box: { x: 300, y: 300, width: 90, height: 90 }, sure: 0.45 }, // a badge: face-like only when small
    ];
    const looks: View[] = [];
    const search = createFaceSearch(fakeDetector(truths, looks), options);
    const found = search.inImage(fakeFrame(1920, 1080));
    expect(found.map((f) => Math.round(f.box.x))).toEqual([900]);
    expect(found[0].score).toBe(0.9);
    // The whole photo, the planned tiles, and one second look for each unsure find.
    const centred = looks.filter((v) => v.rect.width === 270);
    expect(centred).toHaveLength(2);
  });

  it('takes no second look at a face smaller than the smallest wanted', () => {
    const looks: View[] = [];
    const search = createFaceSearch(fakeDetector([{ box: { x: 900, y: 500, width: 30, height: 30 }, sure: 0.9 }], looks), options);
    expect(search.inImage(fakeFrame(1920, 1080))).toEqual([]);
    expect(looks.some((v) => v.rect.width === 90)).toBe(false);
  });
});

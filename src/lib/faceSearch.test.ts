import { describe, expect, it } from 'vitest';
import type { FaceDetector } from './faceDetector';
import { createFaceSearch, detectorThreshold, sameCandidate } from './faceSearch';
import type { Frame } from './frame';
import { BLAZEFACE_FULL, BLAZEFACE_SHORT } from './scan';
import type { Box, ImageSource, Size } from './types';

/** A face in the frame and how sure the fake face detector is of it once it sees it well. */
interface Truth {
  box: Box;
  /** Score when the face spans >= 40 of the detector's 192 input pixels; smaller (14..40) it scores 0.6. */
  sure: number;
  /** If given: it scores `sure` only at these input sizes, and `otherwise` at the others from 14 px. */
  at?: [number, number];
  otherwise?: number;
  /** Seen small (under 40 input pixels), its box comes out this many times too large (about its centre). */
  loose?: number;
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

function grow(box: Box, factor: number): Box {
  const side = box.width * factor;
  return { x: box.x + box.width / 2 - side / 2, y: box.y + box.height / 2 - side / 2, width: side, height: side };
}

/** Full-range BlazeFace as far as the search can tell: faces seen too small are missed, small ones
 * unsure; a score of 0 is no find. */
function fakeDetector(truths: Truth[], looks: View[], scale = BLAZEFACE_FULL): FaceDetector {
  return {
    name: 'mediapipe',
    scale,
    usageLoggingDisabled: true,
    detect(image) {
      const { rect, size } = image as unknown as View;
      looks.push({ rect, size });
      const toView = size.width / rect.width;
      const toInput = scale.inputSize / Math.max(size.width, size.height);
      return truths
        .filter(({ box }) => box.x >= rect.x && box.y >= rect.y && box.x + box.width <= rect.x + rect.width && box.y + box.height <= rect.y + rect.height)
        .map((truth) => ({ ...truth, input: truth.box.width * toView * toInput }))
        .filter(({ input }) => input >= 14)
        .map(({ box: truthBox, sure, input, at, otherwise, loose }) => ({ box: input < 40 && loose ? grow(truthBox, loose) : truthBox, sure, input, at, otherwise }))
        .map(({ box, sure, input, at, otherwise }) => ({
          box: { x: (box.x - rect.x) * toView, y: (box.y - rect.y) * toView, width: box.width * toView, height: box.height * toView },
          keypoints: [],
          score: at ? (input >= at[0] && input <= at[1] ? sure : (otherwise ?? 0)) : input >= 40 ? sure : 0.6,
        }))
        .filter((face) => face.score > 0);
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

  it('keeps a face whose unsure find boxed it loosely: the second look boxes it right', () => {
    // Seen small in the tiles, its box came out 1.6x too large (IoU 0.39 with the face).
    const face = { x: 900, y: 500, width: 60, height: 60 };
    const search = createFaceSearch(fakeDetector([{ box: face, sure: 0.9, loose: 1.6 }], []), options);
    const found = search.inImage(fakeFrame(1920, 1080));
    expect(found).toHaveLength(1);
    expect(found[0].box).toEqual(face);
  });

  it('takes a second look\'s find for the candidate when one lies in the other at a like size', () => {
    const candidate = { x: 100, y: 100, width: 36, height: 36 };
    expect(sameCandidate({ x: 92, y: 90, width: 52, height: 52 }, candidate)).toBe(true); // IoU 0.48
    expect(sameCandidate({ x: 0, y: 0, width: 200, height: 200 }, candidate)).toBe(false); // a large background "face" around it
    expect(sameCandidate({ x: 130, y: 130, width: 36, height: 36 }, candidate)).toBe(false); // a neighbour
  });

  it('takes no second look at a face smaller than the smallest wanted', () => {
    const looks: View[] = [];
    const search = createFaceSearch(fakeDetector([{ box: { x: 900, y: 500, width: 30, height: 30 }, sure: 0.9 }], looks), options);
    expect(search.inImage(fakeFrame(1920, 1080))).toEqual([]);
    expect(looks.some((v) => v.rect.width === 90)).toBe(false);
  });
});

describe('photo search: more views of a face the first second look is unsure of', () => {
  // A 90 px face in a 1920 px photo: a second look where it fills a third of the view shows it at
  // 64 input pixels, at 1/2.5 at 77, at a quarter at 48.
  const face = { x: 900, y: 500, width: 90, height: 90 };
  const views = (looks: View[]) => looks.filter((v) => v.rect.width < 1920 && [270, 225, 360].includes(v.rect.width)).map((v) => v.rect.width);

  it('looks again at other scales when the first second look saw the face at all', () => {
    const looks: View[] = [];
    const search = createFaceSearch(fakeDetector([{ box: face, sure: 0.9, at: [70, 80], otherwise: 0.5 }], looks), options);
    expect(search.inImage(fakeFrame(1920, 1080)).map((f) => f.score)).toEqual([0.9]);
    expect(views(looks)).toEqual([270, 225]);
  });

  it('stops after one look when the first second look does not see it', () => {
    const looks: View[] = [];
    const search = createFaceSearch(fakeDetector([{ box: face, sure: 0.9, at: [200, 300], otherwise: 0.2 }], looks), options);
    expect(search.inImage(fakeFrame(1920, 1080))).toEqual([]);
    expect(views(looks)).toEqual([270]);
  });

  it('runs the face detectors at the candidate floor, or lower when the bar is lower', () => {
    expect(detectorThreshold(0.5)).toBe(0.15);
    expect(detectorThreshold(0.1)).toBe(0.1);
  });
});

describe('photo search: the whole-photo look of another network', () => {
  // Seen whole in one look of a 1920 x 1080 photo: a large face at 0.6.
  const large = { x: 700, y: 200, width: 500, height: 500 };

  it('drops an unsure large find that no closer look confirms (background texture)', () => {
    const search = createFaceSearch(fakeDetector([{ box: large, sure: 0.6 }], []), options);
    expect(search.wholeLook(fakeFrame(1920, 1080))).toEqual([]);
  });

  it('keeps it when a closer look is confident, and keeps an unsure face cut by the border', () => {
    // Where it fills half the view (1000 px drawn at 192) it spans 96 input pixels: sure there.
    const confirmed = createFaceSearch(fakeDetector([{ box: large, sure: 0.9, at: [90, 100], otherwise: 0.6 }], []), options);
    expect(confirmed.wholeLook(fakeFrame(1920, 1080)).map((f) => f.score)).toEqual([0.6]);
    const atBorder = createFaceSearch(fakeDetector([{ box: { x: 0, y: 300, width: 300, height: 300 }, sure: 0.55, at: [0, 1000] }], []), options);
    expect(atBorder.wholeLook(fakeFrame(1920, 1080)).map((f) => f.score)).toEqual([0.55]);
  });
});

describe('photo search with two networks: short range in the finest tiles', () => {
  // A 45 px face in a 1920 x 1080 photo: 14 input pixels in full range's finest tiles, 25 in short range's.
  const small = { x: 900, y: 500, width: 45, height: 45 };
  /** Full range scoring the face `full` at any size (0: never sees it), short range `short`. */
  const networks = (full: number, short: number, looks: View[] = []) =>
    [fakeDetector([{ box: small, sure: full, at: [0, 1e9] }], looks), fakeDetector([{ box: small, sure: short, at: [0, 1e9] }], looks, BLAZEFACE_SHORT)] as const;
  const photo = { ...options, minFaceSize: 32 };

  it('finds a small face that only short range sees, in its own tiles', () => {
    const looks: View[] = [];
    const [full, short] = networks(0, 0.9, looks);
    const found = createFaceSearch(full, photo, short).inImage(fakeFrame(1920, 1080));
    expect(found.map((f) => f.box)).toEqual([small]);
    // Short range's tiles are drawn at its input size.
    expect(looks.filter((v) => v.size.width === 128).length).toBeGreaterThan(20);
    // Full range alone misses it.
    expect(createFaceSearch(full, photo).inImage(fakeFrame(1920, 1080))).toEqual([]);
  });

  it('drops what only short range sees, under 0.85, unless full range agrees (a badge at 0.77)', () => {
    const [blind, short] = networks(0, 0.77);
    expect(createFaceSearch(blind, photo, short).inImage(fakeFrame(1920, 1080))).toEqual([]);
    const [agrees] = networks(0.5, 0.77);
    expect(createFaceSearch(agrees, photo, short).inImage(fakeFrame(1920, 1080)).map((f) => f.box)).toEqual([small]);
  });
});

describe('video search: the sweep of the tiles', () => {
  const tilesLooked = (looks: View[]) => looks.filter((v) => v.rect.width < 1920).length;

  it('looks at one tile on a stream\'s first frame with MediaPipe, on its second with the quick-start detector', () => {
    for (const [name, first, second] of [['mediapipe', 1, 0], ['blazeface-tfjs', 0, 1]] as const) {
      const looks: View[] = [];
      const search = createFaceSearch({ ...fakeDetector([], looks, BLAZEFACE_SHORT), name }, options);
      const sweep = { frames: 0, next: 0 };
      search.inVideo(fakeFrame(1920, 1080), [], sweep);
      expect(tilesLooked(looks), name).toBe(first);
      search.inVideo(fakeFrame(1920, 1080), [], sweep);
      expect(tilesLooked(looks), name).toBe(first + second);
    }
  });
});

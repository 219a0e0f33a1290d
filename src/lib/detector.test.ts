import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { chooseBackend } from './backend';
import { createEmotionDetectorWith, resolveOptions, type DetectorParts } from './detector';
import { MoodlensError } from './errors';
import type { FaceDetector } from './faceDetector';
import type { FrameReader } from './frame';
import { fitWithin, scaleBox } from './geometry';
import { BLAZEFACE_SHORT } from './scan';
import { rgbaToLuma, toLuma } from './preprocess';
import { paintImage, toPixelData, type RgbImage } from './testing/images';
import { buildAttentionModel, buildTransformerModel } from './testing/attentionModels';
import { fakeFetch, modelFiles, tinyModelFiles, type FileMap } from './testing/tinyModels';
import type { Box, DetectedFace, EmotionDetectorOptions, FaceDetectorName, ImageSource, LoadProgress, RunningMode } from './types';

/** A synthetic scene and the faces a detector would report in it (source pixels). */
interface Scene {
  image: RgbImage;
  faces: DetectedFace[];
}

function square(x: number, y: number, side: number, score = 0.9): DetectedFace {
  return {
    box: { x, y, width: side, height: side },
    keypoints: [
      { x: x + side * 0.3, y: y + side * 0.4 },
      { x: x + side * 0.7, y: y + side * 0.4 },
    ],
    score,
  };
}

/** A bright face on the left, a dark one on the right, on mid grey; `shift` moves both. */
function scene(shift = 0, leftLevel = 235, rightLevel = 20, reversed = false): Scene {
  const left = square(40 + shift, 60 + shift, 100, 0.95);
  const right = square(180 + shift, 60, 100, 0.9);
  const inside = (f: DetectedFace, x: number, y: number) =>
    x >= f.box.x && x < f.box.x + f.box.width && y >= f.box.y && y < f.box.y + f.box.height;
  const image = paintImage(320, 240, (x, y) => {
    const level = inside(left, x, y) ? leftLevel : inside(right, x, y) ? rightLevel : 128;
    return [level, level, level];
  });
  return { image, faces: reversed ? [right, left] : [left, right] };
}

interface FakeLog {
  /** Views the face detector was shown. */
  views: number;
  onDetect?: (scene: Scene) => void;
  closed: boolean;
  /** MediaPipe models asked for, in order ('short' or 'full' range). */
  ranges?: string[];
  /** What happened, in order: 'mediapipe' when MediaPipe's detector is asked for (the tests add their own). */
  events?: string[];
  /** The names of the face detectors closed, in order. */
  closedDetectors?: FaceDetectorName[];
  /** Per frame reader created: the frame sizes it read, and whether it was disposed. */
  readers?: { reads: number; disposed: boolean }[];
}

/** Luma of a region of an image, as the browser's frame reader computes it. */
function regionLuma(image: RgbImage, rect: Box): Float32Array {
  const rgba = new Uint8Array(rect.width * rect.height * 4);
  for (let y = 0; y < rect.height; y++) {
    for (let x = 0; x < rect.width; x++) {
      const from = ((rect.y + y) * image.width + rect.x + x) * 3;
      rgba.set(image.rgb.subarray(from, from + 3), (y * rect.width + x) * 4);
    }
  }
  return rgbaToLuma(rgba, rect.width * rect.height);
}

/** What the fake frame reader hands the fake face detector: a part of the (scaled) scene. */
interface View {
  scene: Scene;
  frameScale: number;
  rect: Box;
}

/** Node stand-ins for the browser parts: the "face detector" reports the scene's faces (scaled to
 * the analysed size, as MediaPipe would see them); frames come from pixel arrays. */
interface Environment {
  noWebGL?: boolean;
  failMediaPipe?: boolean;
  failFullRange?: boolean;
  /** MediaPipe's short-range detector loads only once this settles (and fails if it rejects). */
  mediaPipeLoaded?: Promise<void>;
}

function nodeParts(log: FakeLog, options: Environment & { failDetector?: boolean } = {}): DetectorParts {
  /** Like BlazeFace: a face is found when it lies whole in the view and measures 18 to 110 view pixels. */
  const fakeDetector = (name: FaceDetectorName, threshold: number): FaceDetector => ({
    name,
    scale: BLAZEFACE_SHORT,
    usageLoggingDisabled: true,
    detect(image, size) {
      const { scene: s, frameScale, rect } = image as unknown as View;
      log.views++;
      log.onDetect?.(s);
      const k = size.width / rect.width;
      // The detector sees the view letterboxed into its 128 px input.
      const toInput = BLAZEFACE_SHORT.inputSize / Math.max(size.width, size.height, BLAZEFACE_SHORT.inputSize);
      return s.faces
        .map((f) => scaleBox(f.box, frameScale))
        .flatMap((box, i) => {
          const inside = box.x >= rect.x && box.y >= rect.y && box.x + box.width <= rect.x + rect.width && box.y + box.height <= rect.y + rect.height;
          const side = Math.max(box.width, box.height) * k * toInput;
          if (!inside || side < 18 || side > 110 || s.faces[i].score < threshold) return [];
          const toView = (p: { x: number; y: number }) => ({ x: (p.x * frameScale - rect.x) * k, y: (p.y * frameScale - rect.y) * k });
          const corner = toView({ x: box.x / frameScale, y: box.y / frameScale });
          return [{ box: { ...corner, width: box.width * k, height: box.height * k }, keypoints: s.faces[i].keypoints.map(toView), score: s.faces[i].score }];
        });
    },
    async setMinConfidence(value) {
      threshold = value;
    },
    close() {
      log.closed = true;
      log.closedDetectors?.push(name);
    },
  });
  return {
    chooseBackend,
    hasWebGL: () => !options.noWebGL,
    async createFaceDetector({ range = 'short', minDetectionConfidence }) {
      log.ranges?.push(range);
      log.events?.push('mediapipe');
      if (options.failDetector || options.failMediaPipe) throw new MoodlensError('face-detector-load', 'no face detector in this test');
      if (options.failFullRange && range === 'full') throw new MoodlensError('face-detector-load', 'no full-range model in this test');
      if (range === 'short') await options.mediaPipeLoaded;
      return fakeDetector('mediapipe', minDetectionConfidence);
    },
    async createFallbackFaceDetector({ minDetectionConfidence }) {
      if (options.failDetector) throw new MoodlensError('face-detector-load', 'no fallback face detector in this test');
      return fakeDetector('blazeface-tfjs', minDetectionConfidence);
    },
    createFrameReader(): FrameReader {
      const reader = { reads: 0, disposed: false };
      log.readers?.push(reader);
      return {
        read(source, maxSide) {
          const s = source as unknown as Scene;
          const size = fitWithin(s.image, maxSide);
          reader.reads++;
          if (size.width === 0) return null;
          return {
            view: (rect) => ({ scene: s, frameScale: size.scale, rect }) as View as unknown as ImageSource,
            width: size.width,
            height: size.height,
            grayRegions: async (rects) => rects.map((rect) => {
              if (size.scale === 1) return regionLuma(s.image, rect);
              const region = tf.tidy(() => {
                const full = tf.browser.fromPixels(toPixelData(s.image), 3);
                const sized = tf.cast(tf.image.resizeBilinear(full, [size.height, size.width]), 'int32');
                const gray = toLuma(tf.expandDims(sized, 0)) as tf.Tensor4D;
                return tf.slice(gray, [0, rect.y, rect.x, 0], [1, rect.height, rect.width, 1]);
              });
              const values = region.dataSync() as Float32Array;
              region.dispose();
              return values;
            }),
          };
        },
        dispose() {
          reader.disposed = true;
        },
      };
    },
    loadModel: (base, name, fetchImpl) => import('./classifier').then((m) => m.loadEmotionModel(base, name, fetchImpl)),
  };
}

let files: FileMap;
const ZOOM_THETA = [0.5, 0, 0, 0, 0.5, 0];

beforeAll(async () => {
  await tf.setBackend('cpu');
  // 'tiny': happy grows with brightness, sad with darkness. 'flat': always mostly surprise.
  // 'zoom' and 'aer': the layer names of the attention architectures (see explain.ts).
  const zoom = buildTransformerModel(ZOOM_THETA);
  const aer = buildAttentionModel();
  files = new Map([
    ...(await tinyModelFiles('/models/', 'tiny', { brightnessWeights: [0, 0, 0, 6, -6, 0, 0] })),
    ...(await tinyModelFiles('/models/', 'flat', { bias: [0, 0, 0, 0, 0, 3, 0] })),
    ...(await modelFiles('/models/', 'zoom', zoom, { architecture: 'deep-emotion' })),
    ...(await modelFiles('/models/', 'aer', aer, { architecture: 'aer-cnn' })),
  ]);
  zoom.dispose();
  aer.dispose();
});

async function create(
  options: EmotionDetectorOptions = {},
  log: FakeLog = { views: 0, closed: false },
  failDetector = false,
  environment: Environment = {},
) {
  const detector = await createEmotionDetectorWith(nodeParts(log, { failDetector, ...environment }), {
    backend: 'cpu',
    models: ['tiny'],
    fetch: fakeFetch(files),
    ...options,
  });
  return { detector, log };
}

const source = (s: Scene) => s as unknown as ImageSource;

describe('createEmotionDetector (with Node stand-ins for MediaPipe and the canvas)', () => {
  it('reads every face of an image with raw probabilities and ids 1..n', async () => {
    const { detector } = await create();
    expect(detector.backend).toBe('cpu');
    expect(detector.models.map((m) => m.name)).toEqual(['tiny']);
    const result = await detector.detect(source(scene()));
    expect(result.width).toBe(320);
    expect(result.height).toBe(240);
    expect(result.faces.map((f) => f.id)).toEqual([1, 2]);
    expect(result.faces.map((f) => f.top.label)).toEqual(['happy', 'sad']);
    for (const face of result.faces) {
      expect(Object.values(face.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(face.top.probability).toBe(Math.max(...Object.values(face.probabilities)));
    }
    for (const stage of ['detect', 'preprocess', 'classify'] as const) expect(result.timings[stage]).toBeGreaterThanOrEqual(0);
    detector.close();
  });

  it('analyses huge sources at a bounded size and reports results in those coordinates', async () => {
    const { detector } = await create({ maxAnalysisSide: 160 });
    const result = await detector.detect(source(scene()));
    expect([result.width, result.height]).toEqual([160, 120]);
    expect(result.faces[0].box).toEqual({ x: 20, y: 30, width: 50, height: 50 });
    expect(result.faces.map((f) => f.top.label)).toEqual(['happy', 'sad']);
    detector.close();
  });

  it('returns no faces for a source without pixels yet', async () => {
    const { detector } = await create();
    const empty = { image: { width: 0, height: 0, rgb: new Uint8Array() }, faces: [] };
    expect(await detector.detectForVideo(source(empty), 1)).toMatchObject({ faces: [], width: 0, height: 0 });
    // Frames without pixels count as frames without faces: tracks expire (after 5 by default).
    expect((await detector.detectForVideo(source(scene()), 2)).faces[0].id).toBe(1);
    for (let t = 3; t < 9; t++) await detector.detectForVideo(source(empty), t);
    expect((await detector.detectForVideo(source(scene()), 9)).faces[0].id).toBe(3);
    detector.close();
  });

  it('tracks faces in video: stable ids while they move, whatever order they are reported in', async () => {
    const { detector } = await create({ runningMode: 'VIDEO' });
    const ids: number[][] = [];
    for (let frame = 0; frame < 8; frame++) {
      const result = await detector.detectForVideo(source(scene(frame * 2, 235, 20, frame % 2 === 1)), 1000 + frame * 33);
      ids.push(result.faces.map((f) => f.id));
      // The bright face keeps its id (1) and label wherever the face detector lists it.
      const bright = result.faces.find((f) => f.box.x < 160)!;
      expect(bright.id).toBe(1);
      expect(bright.top.label).toBe('happy');
    }
    expect(new Set(ids.map((frameIds) => [...frameIds].sort().join()))).toEqual(new Set(['1,2']));
    detector.close();
  });

  it('smooths video probabilities per face, and not in image mode', async () => {
    const { detector } = await create({ smoothing: 0.6 });
    const before = (await detector.detect(source(scene(0, 235)))).faces[0].probabilities.happy;
    const after = (await detector.detect(source(scene(0, 60)))).faces[0].probabilities.happy;
    expect(before).toBeGreaterThan(after + 0.2);

    await detector.detectForVideo(source(scene(0, 235)), 1);
    const smoothed = (await detector.detectForVideo(source(scene(0, 60)), 2)).faces[0].probabilities.happy;
    expect(smoothed).toBeCloseTo(0.6 * before + 0.4 * after, 5);

    detector.setOptions({ smoothing: false });
    expect((await detector.detectForVideo(source(scene(0, 60)), 3)).faces[0].probabilities.happy).toBeCloseTo(after, 5);
    detector.close();
  });

  it('runs calls one at a time, in order, even when the caller does not wait', async () => {
    const { detector, log } = await create({ runningMode: 'VIDEO' });
    const events: string[] = [];
    const scenes = [1, 2, 3].map(() => scene());
    log.onDetect = (s) => {
      const event = `detect ${scenes.indexOf(s) + 1}`;
      if (events.at(-1) !== event) events.push(event);
    };
    await Promise.all(scenes.map((s, i) => detector.detectForVideo(source(s), i).then(() => events.push(`done ${i + 1}`))));
    expect(events).toEqual(['detect 1', 'done 1', 'detect 2', 'done 2', 'detect 3', 'done 3']);
    detector.close();
  });

  it('keeps video sessions apart: each its own face ids and smoothing', async () => {
    const { detector } = await create();
    const first = detector.openVideoSession({ smoothing: false });
    const second = detector.openVideoSession();
    for (let i = 0; i < 3; i++) await first.detect(source(scene()));
    // Faces new to the second session start at id 1 there, whatever the first has seen.
    expect((await second.detect(source(scene(0, 235, 20)))).faces.map((f) => f.id).sort()).toEqual([1, 2]);
    const raw = (await first.detect(source(scene(0, 60)))).faces[0].probabilities.happy;
    const smoothed = (await second.detect(source(scene(0, 60)))).faces[0].probabilities.happy;
    expect(smoothed).toBeGreaterThan(raw + 0.05);
    expect(() => second.setSmoothing(2)).toThrow(/smoothing/);
    first.close();
    second.close();
    detector.close();
  });

  it('finds faces with MediaPipe where there is WebGL, and with the TF.js detector where there is none or MediaPipe fails', async () => {
    const withWebGL = (await create()).detector;
    expect(withWebGL.faceDetector).toBe('mediapipe');
    expect((await withWebGL.detect(source(scene()))).faceDetector).toBe('mediapipe');
    withWebGL.close();
    for (const environment of [{ noWebGL: true }, { failMediaPipe: true }]) {
      const { detector } = await create({}, undefined, false, environment);
      expect(detector.faceDetector).toBe('blazeface-tfjs');
      const result = await detector.detect(source(scene()));
      expect(result).toMatchObject({ faceDetector: 'blazeface-tfjs' });
      expect(result.faces).toHaveLength(2);
      detector.close();
    }
  });

  it('started for video, reads the first frames with the TF.js face detector, starts MediaPipe after the models; photos wait for it; then it takes over', async () => {
    let loaded!: () => void;
    const log: FakeLog = { views: 0, closed: false, closedDetectors: [], events: [] };
    const onProgress = (p: LoadProgress) => {
      if (p.stages.warmUp === 'done' && !log.events!.includes('warmed up')) log.events!.push('warmed up');
    };
    const { detector } = await create({ runningMode: 'VIDEO', onProgress }, log, false, { mediaPipeLoaded: new Promise<void>((resolve) => (loaded = resolve)) });
    expect(log.events).toEqual(['warmed up']); // MediaPipe's start holds up neither the models nor the first frame
    expect(detector.faceDetector).toBe('blazeface-tfjs');
    expect(detector.startup.faceDetector).toBeGreaterThanOrEqual(detector.startup.warmUp);
    const first = await detector.detectForVideo(source(scene()), 0);
    expect(log.events).toEqual(['warmed up', 'mediapipe']);
    expect(first).toMatchObject({ faceDetector: 'blazeface-tfjs' });
    expect(first.faces).toHaveLength(2);
    let photoDone = false;
    const photo = detector.detect(source(scene())).finally(() => (photoDone = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(photoDone).toBe(false); // a photo gets MediaPipe's thorough search
    loaded();
    expect((await photo).faceDetector).toBe('mediapipe');
    expect(await detector.faceDetectorReady).toBe('mediapipe');
    expect(detector.faceDetector).toBe('mediapipe');
    expect(log.closedDetectors).toEqual(['blazeface-tfjs']); // freed once MediaPipe took over
    const later = await detector.detectForVideo(source(scene(2)), 1);
    expect(later.faceDetector).toBe('mediapipe');
    expect(later.faces.map((f) => f.id)).toEqual(first.faces.map((f) => f.id)); // tracking carries over
    detector.close();
  });

  it('started for video: a first photo starts MediaPipe; MediaPipe failing leaves the TF.js face detector; closed early, MediaPipe never loads', async () => {
    const photoFirst = (await create({ runningMode: 'VIDEO' })).detector;
    expect((await photoFirst.detect(source(scene()))).faceDetector).toBe('mediapipe');
    photoFirst.close();

    let fail!: (error: Error) => void;
    const failing = (await create({ runningMode: 'VIDEO' }, undefined, false, { mediaPipeLoaded: new Promise<void>((_, reject) => (fail = reject)) })).detector;
    await failing.detectForVideo(source(scene()), 0);
    fail(new Error('no GL context'));
    expect(await failing.faceDetectorReady).toBe('blazeface-tfjs');
    expect((await failing.detect(source(scene()))).faceDetector).toBe('blazeface-tfjs');
    failing.close();

    const log: FakeLog = { views: 0, closed: false, closedDetectors: [], events: [] };
    const closedEarly = (await create({ runningMode: 'VIDEO' }, log)).detector;
    closedEarly.close();
    expect(await closedEarly.faceDetectorReady).toBe('blazeface-tfjs');
    await new Promise((resolve) => setTimeout(resolve, 1200)); // past the start-up delay
    expect(log.events).toEqual([]);
    expect(log.closedDetectors).toEqual(['blazeface-tfjs']);
  });

  it('says how long each start-up stage took, the models warmed up after loading, all within the total', async () => {
    for (const environment of [{}, { noWebGL: true }]) {
      const { detector } = await create({}, undefined, false, environment);
      const { startup } = detector;
      expect(startup.models).toBeGreaterThanOrEqual(startup.backend);
      expect(startup.warmUp).toBeGreaterThanOrEqual(startup.models);
      expect(startup.total).toBeGreaterThanOrEqual(Math.max(startup.faceDetector, startup.warmUp));
      if (environment.noWebGL) expect(startup.faceDetector).toBeGreaterThanOrEqual(startup.warmUp); // the TF.js detector needs the backend
      detector.close();
    }
  });

  it('reports each stage as it starts and ends, ready at 1, with and without WebGL', async () => {
    for (const environment of [{}, { noWebGL: true }]) {
      const seen: LoadProgress[] = [];
      const { detector } = await create({ onProgress: (p) => seen.push(p) }, undefined, false, environment);
      const changes = seen.flatMap((p, i) =>
        Object.entries(p.stages)
          .filter(([stage, state]) => i === 0 || seen[i - 1].stages[stage as keyof LoadProgress['stages']] !== state)
          .map(([stage, state]) => `${stage}:${state}`),
      );
      for (const stage of ['faceDetector', 'backend', 'models', 'warmUp']) {
        expect(changes.indexOf(`${stage}:loading`)).toBeLessThan(changes.indexOf(`${stage}:done`));
      }
      expect(changes.indexOf('backend:done')).toBeLessThan(changes.indexOf('models:loading'));
      expect(changes.indexOf('models:done')).toBeLessThan(changes.indexOf('warmUp:loading'));
      expect(seen.at(-1)).toMatchObject({ fraction: 1, stages: { code: 'done', faceDetector: 'done', warmUp: 'done' } });
      expect(seen.map((p) => p.fraction)).toEqual([...seen.map((p) => p.fraction)].sort((a, b) => a - b));
      detector.close();
    }
  });

  it('gives each video session frame canvases of its own (streams of other sizes never resize them), freed when it closes', async () => {
    const log: FakeLog = { views: 0, closed: false, readers: [] };
    const { detector } = await create({}, log);
    const first = detector.openVideoSession();
    const second = detector.openVideoSession();
    expect(log.readers).toHaveLength(3); // the detector's own (photos, detectForVideo) and one per session
    await first.detect(source(scene()));
    await first.detect(source(scene(5)));
    await second.detect(source(scene()));
    await detector.detect(source(scene()));
    expect(log.readers!.map((r) => r.reads)).toEqual([1, 2, 1]);
    first.close();
    await second.detect(source(scene())); // the close waits for frames in flight
    expect(log.readers!.map((r) => r.disposed)).toEqual([false, true, false]);
    detector.close();
    await expect(second.detect(source(scene()))).rejects.toMatchObject({ code: 'closed' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log.readers!.every((r) => r.disposed)).toBe(true);
  });

  it('reports the mode of its last call', async () => {
    const { detector } = await create({ runningMode: 'IMAGE' });
    await detector.detectForVideo(source(scene()), 5);
    expect(detector.runningMode).toBe('VIDEO');
    await detector.detect(source(scene()));
    expect(detector.runningMode).toBe('IMAGE');
    detector.close();
  });

  /** A 1280 x 720 frame with three 48 px faces, too small for a look at the whole frame. */
  function crowd(): Scene {
    const faces = [square(100, 80, 48, 0.9), square(700, 400, 48, 0.85), square(1150, 600, 48, 0.8)];
    const image = paintImage(1280, 720, (x, y) => (faces.some((f) => x >= f.box.x && x < f.box.x + 48 && y >= f.box.y && y < f.box.y + 48) ? [235, 235, 235] : [128, 128, 128]));
    return { image, faces };
  }

  it('finds small faces in a photo by looking at tiles, each face once', async () => {
    const { detector, log } = await create();
    const result = await detector.detect(source(crowd()));
    expect(result.faces.map((f) => [Math.round(f.box.x), Math.round(f.box.y), Math.round(f.box.width)])).toEqual([
      [100, 80, 48],
      [700, 400, 48],
      [1150, 600, 48],
    ]);
    expect(log.views).toBeGreaterThan(4);

    // Asked for larger faces only, it looks at fewer tiles and finds none of these.
    detector.setOptions({ minFaceSize: 120 });
    const views = log.views;
    expect((await detector.detect(source(crowd()))).faces).toHaveLength(0);
    expect(log.views - views).toBeLessThan(views);
    detector.close();
  });

  it('photos use the full-range face detector and a short-range one for second looks, loaded on the first photo; video keeps its own', async () => {
    const log: FakeLog = { views: 0, closed: false, ranges: [] };
    const { detector } = await create({}, log);
    expect(log.ranges).toEqual(['short']);
    await detector.detectForVideo(source(crowd()), 1);
    expect(log.ranges).toEqual(['short']);
    expect((await detector.detect(source(crowd()))).faces).toHaveLength(3);
    await detector.detect(source(crowd()));
    expect(log.ranges).toEqual(['short', 'full', 'short']);
    detector.close();
  });

  it('without the full-range model, photos are searched with the short-range one, and it says so once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const log: FakeLog = { views: 0, closed: false, ranges: [] };
    const { detector } = await create({}, log, false, { failFullRange: true });
    expect((await detector.detect(source(crowd()))).faces).toHaveLength(3);
    expect((await detector.detect(source(crowd()))).faces).toHaveLength(3);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/short-range/);
    warn.mockRestore();
    detector.close();
  });

  it('keeps a face only a tile saw once a second look clears the whole frame\'s bar', async () => {
    const { detector, log } = await create();
    // A 48 px face scoring 0.7 in a corner (one tile alone sees it: under the tile bar of 0.75, so
    // it gets a second look), a 200 px face scoring 0.8 (the whole frame sees it) and a 48 px face
    // scoring 0.1 (under the face detector's threshold: not even a candidate).
    const faces = [square(10, 10, 48, 0.7), square(700, 300, 200, 0.8), square(1000, 600, 48, 0.1)];
    const image = paintImage(1280, 720, () => [128, 128, 128]);
    const looked = async () => {
      const views = log.views;
      const widths = (await detector.detect(source({ image, faces }))).faces.map((f) => Math.round(f.box.width));
      return { widths, views: log.views - views };
    };
    const sure = await looked();
    expect(sure.widths).toEqual([48, 200]);
    // At a bar of 0.72, the first second look (0.7) falls short but saw it: two more views, no face.
    // (The first run took one view more than its second look: full range's second opinion on a face
    // that only short range's finest tiles saw, under 0.85.)
    detector.setOptions({ minDetectionConfidence: 0.72 });
    const unsure = await looked();
    expect(unsure.widths).toEqual([200]);
    expect(unsure.views - sure.views).toBe(2 - 1);
    detector.close();
  });

  it('in video, finds small faces within a sweep of the tiles and then follows them every frame', async () => {
    const { detector, log } = await create({ runningMode: 'VIDEO' });
    const frame = crowd();
    let first = -1;
    for (let i = 0; i < 200 && first < 0; i++) if ((await detector.detectForVideo(source(frame), i)).faces.length === 3) first = i;
    expect(first).toBeGreaterThan(0);
    // Once found, each frame looks at the whole frame, a tile per small face and now and then one more.
    for (let i = 0; i < 6; i++) {
      const views = log.views;
      const result = await detector.detectForVideo(source(frame), 1000 + i);
      expect(result.faces.map((f) => f.id).sort()).toEqual([1, 2, 3]);
      expect(log.views - views).toBeLessThanOrEqual(5);
    }
    detector.close();
  });

  it('rejects impossible sensitivity settings', async () => {
    const { detector } = await create();
    expect(() => detector.setOptions({ minFaceSize: 2 })).toThrow(/minFaceSize/);
    expect(() => detector.setOptions({ minDetectionConfidence: 1.5 })).toThrow(/minDetectionConfidence/);
    detector.close();
  });

  it('caps the number of faces', async () => {
    const { detector } = await create({ maxFaces: 1 });
    expect((await detector.detect(source(scene()))).faces).toHaveLength(1);
    detector.close();
  });

  it('keeps the tensor count flat over many calls', async () => {
    const { detector } = await create();
    await detector.detect(source(scene())); // warm-up
    const start = tf.memory().numTensors;
    for (let i = 0; i < 40; i++) {
      await detector.detect(source(scene(i % 5)));
      await detector.detectForVideo(source(scene(i % 5)), 100 + i);
    }
    expect(tf.memory().numTensors).toBe(start);
    detector.close();
  });

  it('switches models without leaking and averages several', async () => {
    const { detector } = await create();
    await detector.detect(source(scene()));
    const start = tf.memory().numTensors;

    await detector.setModels(['flat']);
    expect(detector.models.map((m) => m.name)).toEqual(['flat']);
    const flat = (await detector.detect(source(scene()))).faces[0];
    expect(flat.top.label).toBe('surprise');

    await detector.setModels(['tiny', 'flat']);
    const both = (await detector.detect(source(scene()))).faces[0].probabilities;
    await detector.setModels(['tiny']);
    const tiny = (await detector.detect(source(scene()))).faces[0].probabilities;
    expect(both.surprise).toBeCloseTo((flat.probabilities.surprise + tiny.surprise) / 2, 5);
    expect(tf.memory().numTensors).toBe(start);
    detector.close();
  });

  it('explain() adds the crops the models saw, and no explanation when no model can give one', async () => {
    const { detector } = await create();
    const plain = await detector.detect(source(scene()));
    const explained = await detector.explain(source(scene()));
    expect(explained.explainedBy).toBeNull();
    expect(explained.faces.map((f) => f.probabilities)).toEqual(plain.faces.map((f) => f.probabilities));
    const mean = (pixels: Float32Array) => pixels.reduce((a, b) => a + b, 0) / pixels.length;
    const [bright, dark] = explained.faces;
    expect(bright.crop.size).toBe(48);
    expect(bright.crop.pixels).toHaveLength(48 * 48);
    // The crop includes some grey border around the face square (level 128 -> 0.004).
    expect(mean(bright.crop.pixels)).toBeGreaterThan(0.5);
    expect(mean(dark.crop.pixels)).toBeLessThan(-0.5);
    expect(bright.explanation).toBeNull();
    detector.close();
  });

  it('explain() shows where the first model with attention looks, without leaking', async () => {
    const { detector } = await create({ models: ['tiny', 'zoom'] });
    await detector.explain(source(scene()));
    const start = tf.memory().numTensors;
    const explained = await detector.explain(source(scene()));
    expect(explained.explainedBy).toBe('zoom');
    const explanation = explained.faces[0].explanation;
    expect(explanation?.kind).toBe('transformer');
    if (explanation?.kind !== 'transformer') return;
    explanation.theta.forEach((t, i) => expect(t).toBeCloseTo(ZOOM_THETA[i], 6));
    expect(explanation.quad[0].x).toBeCloseTo(12, 5);

    await detector.setModels(['aer', 'zoom']);
    const attention = await detector.explain(source(scene()));
    expect(attention.explainedBy).toBe('aer');
    expect(attention.faces.map((f) => f.explanation?.kind)).toEqual(['heatmap', 'heatmap']);
    await detector.setModels(['tiny', 'zoom']);
    await detector.explain(source(scene()));
    expect(tf.memory().numTensors).toBe(start);
    detector.close();
  });

  it('keeps the current models when switching to a missing one fails', async () => {
    const { detector } = await create();
    const start = tf.memory().numTensors;
    await expect(detector.setModels(['tiny', 'nope'])).rejects.toMatchObject({ code: 'model-missing' });
    expect(detector.models.map((m) => m.name)).toEqual(['tiny']);
    expect((await detector.detect(source(scene()))).faces[0].top.label).toBe('happy');
    expect(tf.memory().numTensors).toBe(start);
    detector.close();
  });

  it('close() frees everything, after a call already running, and refuses later calls', async () => {
    const baseline = tf.memory().numTensors;
    const { detector, log } = await create();
    expect(tf.memory().numTensors).toBeGreaterThan(baseline);
    const running = detector.detect(source(scene()));
    detector.close();
    expect((await running).faces).toHaveLength(2); // finished with the models intact
    await Promise.resolve();
    expect(log.closed).toBe(true);
    expect(tf.memory().numTensors).toBe(baseline);
    await expect(detector.detect(source(scene()))).rejects.toMatchObject({ code: 'closed' });
    await expect(detector.setModels(['tiny'])).rejects.toMatchObject({ code: 'closed' });
  });

  it('cleans up when creation fails half-way', async () => {
    const baseline = tf.memory().numTensors;
    const log: FakeLog = { views: 0, closed: false };
    await expect(create({ models: ['tiny', 'missing'] }, log)).rejects.toMatchObject({ code: 'model-missing' });
    expect(log.closed).toBe(true);
    await expect(create({}, undefined, true)).rejects.toMatchObject({ code: 'face-detector-load' });
    expect(tf.memory().numTensors).toBe(baseline);
  });
});

describe('resolveOptions', () => {
  it('fills in the documented defaults', () => {
    expect(resolveOptions()).toMatchObject({
      assetBase: '/',
      models: ['mini-xception'],
      backend: 'auto',
      runningMode: 'IMAGE',
      maxFaces: 20,
      minDetectionConfidence: 0.5,
      minFaceSize: 32,
      smoothing: 0.6,
      maxAnalysisSide: 1920,
      delegate: 'CPU',
    });
  });

  it('rejects impossible values with a message naming the option', () => {
    const bad: [EmotionDetectorOptions, RegExp][] = [
      [{ assetBase: '/app' }, /assetBase must end with "\/"/],
      [{ models: [] }, /models must be a non-empty list/],
      [{ maxFaces: 0 }, /maxFaces/],
      [{ maxFaces: 2.5 }, /maxFaces/],
      [{ minDetectionConfidence: 1.5 }, /minDetectionConfidence/],
      [{ minFaceSize: 4 }, /minFaceSize/],
      [{ smoothing: 1 }, /smoothing/],
      [{ margin: -1 }, /margin/],
      [{ maxAnalysisSide: 10 }, /maxAnalysisSide/],
      [{ runningMode: 'LIVE_STREAM' as RunningMode }, /runningMode/],
    ];
    for (const [options, message] of bad) {
      expect(() => resolveOptions(options)).toThrow(message);
      try {
        resolveOptions(options);
      } catch (error) {
        expect((error as MoodlensError).code).toBe('invalid-option');
      }
    }
  });
});

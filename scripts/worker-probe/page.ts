/**
 * The in-browser half of scripts/probe-worker.mjs: the same pipeline on the main thread or in a
 * module worker, on the bench's frames. Reports when it was ready and drew its first result, each
 * frame's latency as the page sees it, and the page's long tasks while loading and while running.
 */
import { createEmotionDetector, type VideoSession } from '../../src/lib';

const params = new URLSearchParams(location.search);
const mode = params.get('mode') ?? 'main';
const frames = (params.get('frames') ?? '').split(',');
const rounds = Number(params.get('rounds') ?? 30);
const longTasks: { start: number; duration: number }[] = [];
new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push({ start: e.startTime, duration: e.duration }))).observe({ type: 'longtask', buffered: true });

async function bitmapOf(url: string): Promise<ImageBitmap> {
  return createImageBitmap(await (await fetch(url)).blob());
}

/** Analyses a frame of stream `stream` (one video session per frame file, as in the bench). */
type Analyse = (bitmap: ImageBitmap, stream: number) => Promise<number>;

async function start(): Promise<Analyse> {
  if (mode === 'main') {
    const detector = await createEmotionDetector({ assetBase: '/static/', backend: 'wasm', models: ['mini-xception'], runningMode: 'VIDEO' });
    const sessions = new Map<number, VideoSession>();
    return async (bitmap, stream) => {
      let session = sessions.get(stream);
      if (!session) sessions.set(stream, (session = detector.openVideoSession()));
      return (await session.detect(bitmap)).faces.length;
    };
  }
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  let answer: ((data: { faces: number }) => void) | undefined;
  const ready = new Promise<void>((resolve) => {
    worker.onmessage = (event) => {
      if (event.data.kind === 'ready') resolve();
      else answer?.(event.data);
    };
  });
  worker.postMessage({ kind: 'init' });
  await ready;
  return async (bitmap, stream) => {
    // As a webcam loop would: a copy of the frame, handed over without copying again.
    const copy = await createImageBitmap(bitmap);
    const done = new Promise<{ faces: number }>((resolve) => (answer = resolve));
    worker.postMessage({ kind: 'frame', stream, bitmap: copy }, [copy]);
    return (await done).faces;
  };
}

(async () => {
  const bitmaps = await Promise.all(frames.map((f) => bitmapOf(`/@fs${f}`)));
  const analyse = await start();
  const ready = performance.now();
  await analyse(bitmaps[0], 0);
  const firstResult = performance.now();
  const perFrame: Record<string, number[]> = {};
  const faces: Record<string, number> = {};
  for (let round = 0; round < rounds + 5; round++) {
    for (const [i, bitmap] of bitmaps.entries()) {
      const t = performance.now();
      faces[frames[i]] = await analyse(bitmap, i);
      if (round >= 5) (perFrame[frames[i]] ??= []).push(performance.now() - t);
    }
  }
  const runEnd = performance.now();
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const tasks = (from: number, to: number) => longTasks.filter((t) => t.start >= from && t.start < to);
  (window as unknown as { probeWorker: unknown }).probeWorker = {
    ready,
    firstResult,
    medians: Object.fromEntries(Object.entries(perFrame).map(([f, v]) => [f.split('/').pop(), median(v)])),
    faces: Object.fromEntries(Object.entries(faces).map(([f, n]) => [f.split('/').pop(), n])),
    loading: { count: tasks(0, firstResult).length, longest: Math.max(0, ...tasks(0, firstResult).map((t) => t.duration)) },
    running: { count: tasks(firstResult, runEnd).length, seconds: (runEnd - firstResult) / 1000, longest: Math.max(0, ...tasks(firstResult, runEnd).map((t) => t.duration)) },
  };
})();

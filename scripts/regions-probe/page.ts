/**
 * The in-browser half of scripts/measure-regions.mjs: ten 190-px face regions of a 1024 x 768 frame
 * read the three ways the crop-first path could (in pipeline order: the frame drawn, a detector
 * view drawn from it, then the regions), and one region's luma written to a fresh or a reused array.
 */
import { createFrameReader } from '../../src/lib/frame';
import { rgbaToLuma } from '../../src/lib/preprocess';

const ROUNDS = 40;
const WARM_UP = 5;

async function frameBitmap(): Promise<ImageBitmap> {
  const canvas = new OffscreenCanvas(1024, 768);
  const context = canvas.getContext('2d')!;
  for (let i = 0; i < 200; i++) {
    context.fillStyle = `hsl(${i * 37},50%,50%)`;
    context.fillRect((i * 97) % 1024, (i * 61) % 768, 120, 90);
  }
  return createImageBitmap(canvas);
}

const RECTS = Array.from({ length: 10 }, (_, i) => ({ x: 20 + (i % 5) * 190, y: 100 + Math.floor(i / 5) * 320, width: 190, height: 190 }));

/** Median ms of `read` over the rounds, each after the frame and a detector view were drawn. */
async function timeRegions(bitmap: ImageBitmap, webCodecs: boolean, read: (frame: NonNullable<ReturnType<ReturnType<typeof createFrameReader>['read']>>) => Promise<unknown>): Promise<number> {
  const w = window as unknown as { VideoFrame?: typeof VideoFrame };
  const native = w.VideoFrame;
  if (!webCodecs) w.VideoFrame = undefined;
  const reader = createFrameReader(true);
  w.VideoFrame = native;
  const times: number[] = [];
  for (let round = 0; round < ROUNDS + WARM_UP; round++) {
    const frame = reader.read(bitmap, 4096)!;
    const view = frame.view({ x: 0, y: 0, width: 1024, height: 768 }, { width: 128, height: 96 }) as HTMLCanvasElement;
    view.getContext('2d')!.getImageData(0, 0, 1, 1); // as the face detector reads its view
    const start = performance.now();
    await read(frame);
    if (round >= WARM_UP) times.push(performance.now() - start);
  }
  reader.dispose();
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

async function measure() {
  const bitmap = await frameBitmap();
  const canvas = new OffscreenCanvas(1024, 768);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(bitmap, 0, 0);
  const data = context.getImageData(0, 0, 190, 190).data;
  const reused = new Float32Array(190 * 190);
  const timeLuma = (out?: Float32Array) => {
    for (let k = 0; k < 50; k++) rgbaToLuma(data, 190 * 190, false, out);
    const start = performance.now();
    for (let k = 0; k < 300; k++) rgbaToLuma(data, 190 * 190, false, out);
    return (performance.now() - start) / 300;
  };
  return {
    'one region to luma, fresh array': timeLuma(),
    'one region to luma, reused array': timeLuma(reused),
    '10 regions: getImageData, fresh luma arrays': await timeRegions(bitmap, false, async () => {
      // What grayRegions did before: a fresh ImageData and a fresh luma array per region.
      for (const r of RECTS) rgbaToLuma(context.getImageData(r.x, r.y, r.width, r.height).data, r.width * r.height);
    }),
    '10 regions: getImageData, reused luma': await timeRegions(bitmap, false, (frame) => frame.grayRegions(RECTS)),
    '10 regions: VideoFrame copies, reused bytes and luma': await timeRegions(bitmap, true, (frame) => frame.grayRegions(RECTS)),
  };
}

declare global {
  interface Window {
    measureRegions?: typeof measure;
  }
}
window.measureRegions = measure;

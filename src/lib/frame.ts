/**
 * Takes one snapshot of an image or video frame, downscaled if huge, that both the face detector
 * and TF.js read: the same pixels for both (a video could otherwise advance in between) and a
 * bounded size (an 8000 x 8000 photo would exhaust GPU memory). The face detector reads the whole
 * snapshot; the classifier reads only the small regions around the faces (crop first).
 */
import { fitWithin } from './geometry';
import { rgbaToLuma, type GrayRegions, type PixelRect } from './preprocess';
import type { ImageSource, Size } from './types';

export interface Frame extends GrayRegions {
  /** `rect` of the frame drawn at `size`, for the face detector (see scan.ts). The view is reused:
   * it is valid until the next call. With `pyramid`, the whole frame is shrunk once per scale and
   * views are cut from that copy: cheaper when many tiles share a scale. */
  view(rect: PixelRect, size: Size, pyramid?: boolean): ImageSource;
}

export interface FrameReader {
  /** null when the source has no pixels yet (e.g. a video before its first frame). */
  read(source: ImageSource, maxSide: number): Frame | null;
  dispose(): void;
}

/** Natural pixel size of any supported source. */
export function sourceSize(source: ImageSource | { width: number; height: number }): Size {
  const s = source as Partial<HTMLVideoElement & HTMLImageElement>;
  if (typeof s.videoWidth === 'number') return { width: s.videoWidth, height: s.videoHeight ?? 0 };
  if (typeof s.naturalWidth === 'number') return { width: s.naturalWidth, height: s.naturalHeight ?? 0 };
  return { width: (source as Size).width, height: (source as Size).height };
}

type Canvas2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

function createCanvas(willReadFrequently: boolean): { canvas: HTMLCanvasElement | OffscreenCanvas; context: Canvas2D } {
  const canvas = typeof document !== 'undefined' ? document.createElement('canvas') : new OffscreenCanvas(1, 1);
  const context = canvas.getContext('2d', { willReadFrequently }) as Canvas2D | null;
  if (!context) throw new Error('A 2D canvas context is not available');
  return { canvas, context };
}

/** The most region pixels whose luma buffer a reader keeps between frames (4 MB). */
const KEPT_LUMA = 1 << 20;

/** A reader drawing into one reusable canvas. `willReadFrequently` keeps the canvas in memory,
 * which suits the cpu/wasm backends; with WebGL it stays on the GPU and the face regions are the
 * only pixels read back. */
export function createFrameReader(willReadFrequently = false): FrameReader {
  let target: ReturnType<typeof createCanvas> | undefined;
  // The face detector's views are small (128 px) and uploaded by MediaPipe: drawn on the CPU.
  let views: ReturnType<typeof createCanvas> | undefined;
  // The frame shrunk to the scales of the tiles of the current frame (see view()).
  let levels = new Map<number, ReturnType<typeof createCanvas>>();
  let levelsOf = 0;
  let frameCount = 0;
  // The regions' luma, and for VideoFrame copies their bytes, reused from frame to frame (see rgbaToLuma).
  let luma = new Float32Array(0);
  let bytes = new Uint8Array(0);
  // Cleared for good when this browser cannot copy a frame's regions out of a VideoFrame.
  let copiesWork = willReadFrequently && typeof VideoFrame !== 'undefined';

  /** Room for `pixels` of luma: the kept buffer (grown with room for the faces to move), or, for a
   * photo's huge face, a buffer of its own. */
  function lumaFor(pixels: number): Float32Array {
    if (pixels > KEPT_LUMA) return new Float32Array(pixels);
    if (luma.length < pixels) luma = new Float32Array(Math.min(Math.ceil(pixels * 1.5), KEPT_LUMA));
    return luma;
  }

  /**
   * Where the browser has WebCodecs and the frame canvas lives in CPU memory, each rect's bytes are
   * copied out of a VideoFrame of the canvas into a reused buffer and turned into luma in `into`.
   * getImageData() allocates a fresh array per call, and writing it costs page faults
   * (`node scripts/measure-regions.mjs`). null where that cannot be done: use getImageData().
   */
  async function copyRegions(canvas: HTMLCanvasElement | OffscreenCanvas, rects: readonly PixelRect[], into: Float32Array): Promise<Float32Array[] | null> {
    if (!copiesWork) return null;
    let frame: VideoFrame;
    try {
      frame = new VideoFrame(canvas, { timestamp: 0 });
    } catch {
      return null; // e.g. a canvas tainted by a cross-origin picture: getImageData() says why
    }
    try {
      const format = frame.format ?? '';
      if (!['RGBA', 'RGBX', 'BGRA', 'BGRX'].includes(format)) throw new Error(`unexpected VideoFrame format ${format}`);
      const through = into === luma ? (bytes.length >= into.length * 4 ? bytes : (bytes = new Uint8Array(into.length * 4))) : new Uint8Array(into.length * 4);
      const regions: Float32Array[] = [];
      let at = 0;
      for (const rect of rects) {
        const pixels = rect.width * rect.height;
        const rgba = through.subarray(at * 4, (at + pixels) * 4);
        await frame.copyTo(rgba, { rect });
        regions.push(rgbaToLuma(rgba, pixels, format.startsWith('B'), into.subarray(at, (at += pixels))));
      }
      return regions;
    } catch {
      copiesWork = false;
      return null;
    } finally {
      frame.close();
    }
  }

  /** The current frame at `scale`, drawn once per frame. */
  function level(scale: number, frame: Size, source: CanvasImageSource): ReturnType<typeof createCanvas> {
    const key = Math.round(scale * 1e4);
    if (levelsOf !== frameCount) {
      // A new frame: keep the canvases (scales repeat from frame to frame), redraw on demand.
      for (const used of levels.values()) used.canvas.width = used.canvas.height = 0;
      levelsOf = frameCount;
    }
    let shrunk = levels.get(key);
    if (!shrunk) {
      shrunk = createCanvas(true);
      levels.set(key, shrunk);
      if (levels.size > 6) {
        const [oldest] = levels.keys();
        levels.delete(oldest);
      }
    }
    const width = Math.max(1, Math.round(frame.width * scale));
    const height = Math.max(1, Math.round(frame.height * scale));
    if (shrunk.canvas.width !== width || shrunk.canvas.height !== height) {
      shrunk.canvas.width = width;
      shrunk.canvas.height = height;
      shrunk.context.imageSmoothingQuality = 'high';
      shrunk.context.drawImage(source, 0, 0, width, height);
    }
    return shrunk;
  }

  return {
    read(source, maxSide) {
      const size = fitWithin(sourceSize(source), maxSide);
      if (size.width === 0 || size.height === 0) return null;
      target ??= createCanvas(willReadFrequently);
      const { canvas, context } = target;
      if (canvas.width !== size.width || canvas.height !== size.height) {
        canvas.width = size.width;
        canvas.height = size.height;
      }
      context.imageSmoothingQuality = 'high';
      context.drawImage(source, 0, 0, size.width, size.height);
      frameCount++;
      return {
        view(rect, viewSize, pyramid = false) {
          views ??= createCanvas(true);
          if (views.canvas.width !== viewSize.width || views.canvas.height !== viewSize.height) {
            views.canvas.width = viewSize.width;
            views.canvas.height = viewSize.height;
          }
          views.context.imageSmoothingQuality = 'high';
          const scale = viewSize.width / rect.width;
          if (pyramid && scale < 1) {
            const shrunk = level(scale, size, canvas).canvas;
            const [x, y] = [Math.round(rect.x * scale), Math.round(rect.y * scale)];
            views.context.clearRect(0, 0, viewSize.width, viewSize.height);
            views.context.drawImage(shrunk, x, y, viewSize.width, viewSize.height, 0, 0, viewSize.width, viewSize.height);
          } else {
            views.context.drawImage(canvas, rect.x, rect.y, rect.width, rect.height, 0, 0, viewSize.width, viewSize.height);
          }
          return views.canvas;
        },
        width: size.width,
        height: size.height,
        grayRegions: async (rects: readonly PixelRect[]) => {
          const into = lumaFor(rects.reduce((sum, rect) => sum + rect.width * rect.height, 0));
          const copied = await copyRegions(canvas, rects, into);
          if (copied) return copied;
          let at = 0;
          return rects.map((rect) => {
            const pixels = rect.width * rect.height;
            const data = context.getImageData(rect.x, rect.y, rect.width, rect.height).data;
            return rgbaToLuma(data, pixels, false, into.subarray(at, (at += pixels)));
          });
        },
      };
    },
    dispose() {
      for (const used of [target, views, ...levels.values()]) if (used) used.canvas.width = used.canvas.height = 0;
      target = views = undefined;
      levels = new Map();
      luma = new Float32Array(0);
      bytes = new Uint8Array(0);
    },
  };
}

/**
 * Memory probes for the leak tests: what TF.js counts (tf.memory()), the size of every WebAssembly
 * heap in the page (TF.js wasm backend and MediaPipe), the JS heap after a forced garbage
 * collection, and DOM node / event-listener counts (the last two through the DevTools protocol).
 */
import type { CDPSession, Page } from '@playwright/test';

export interface TfMemory {
  backend: string;
  numTensors: number;
  numDataBuffers: number;
  numBytes: number;
  /** WebGL only: bytes of textures held by tensors (other backends leave it undefined). */
  numBytesInGPU?: number;
}

/**
 * tf.memory() of the page's TF.js. The engine is a page-wide singleton that tfjs-core keeps on the
 * global object (`_tfengine`), so it can be read without the app exporting TF.js.
 */
export function tfMemory(page: Page): Promise<TfMemory> {
  return page.evaluate(() => {
    const engine = (globalThis as unknown as { _tfengine?: { backendName: string; memory(): Record<string, number> } })._tfengine;
    if (!engine) throw new Error('TF.js is not loaded in this page');
    const info = engine.memory();
    return {
      backend: engine.backendName,
      numTensors: info.numTensors,
      numDataBuffers: info.numDataBuffers,
      numBytes: info.numBytes,
      numBytesInGPU: info.numBytesInGPU,
    };
  });
}

/**
 * Watches every WebAssembly.Memory the page creates (TF.js's and MediaPipe's wasm heaps): call
 * before page.goto. Held weakly, so a heap the page has let go of disappears after a garbage
 * collection: a heap that keeps growing, or heaps that pile up, are leaks that neither tf.memory()
 * nor the JS heap shows (wasm memory never shrinks, so its size is the high-water mark).
 */
export async function trackWasmHeaps(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const heaps: WeakRef<WebAssembly.Memory>[] = [];
    (window as unknown as { __wasmHeaps: WeakRef<WebAssembly.Memory>[] }).__wasmHeaps = heaps;
    const remember = (instance: WebAssembly.Instance, imports?: WebAssembly.Imports) => {
      const candidates = [...Object.values(instance.exports), ...Object.values(imports ?? {}).flatMap((m) => Object.values(m))];
      for (const value of candidates) {
        if (value instanceof WebAssembly.Memory && !heaps.some((ref) => ref.deref() === value)) heaps.push(new WeakRef(value));
      }
    };
    const instantiate = WebAssembly.instantiate.bind(WebAssembly) as (...args: unknown[]) => Promise<unknown>;
    WebAssembly.instantiate = (async (source: unknown, imports?: WebAssembly.Imports) => {
      const result = await instantiate(source, imports);
      remember(result instanceof WebAssembly.Instance ? result : (result as WebAssembly.WebAssemblyInstantiatedSource).instance, imports);
      return result;
    }) as typeof WebAssembly.instantiate;
    const streaming = WebAssembly.instantiateStreaming?.bind(WebAssembly);
    if (streaming) {
      WebAssembly.instantiateStreaming = async (source, imports) => {
        const result = await streaming(source, imports);
        remember(result.instance, imports);
        return result;
      };
    }
  });
}

/** Sizes in bytes of the wasm heaps still alive after a garbage collection, in creation order. */
export async function wasmHeapSizes(page: Page, cdp: CDPSession): Promise<number[]> {
  await cdp.send('HeapProfiler.collectGarbage');
  return page.evaluate(() =>
    (window as unknown as { __wasmHeaps: WeakRef<WebAssembly.Memory>[] }).__wasmHeaps.flatMap((ref) => {
      const heap = ref.deref();
      return heap ? [heap.buffer.byteLength] : [];
    }),
  );
}

/** Bytes used by the JS heap right after a full garbage collection. */
export async function jsHeapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

export async function domCounters(cdp: CDPSession): Promise<{ nodes: number; jsEventListeners: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { nodes, jsEventListeners } = await cdp.send('Memory.getDOMCounters');
  return { nodes, jsEventListeners };
}

export const MB = 1024 * 1024;

/**
 * MediaPipe's loader <script> elements in the page. tasks-vision 1.1.0 appends one to
 * document.body for every task it creates and never removes it (one element, two listeners,
 * ~100 kB of code each time); faceDetector.ts removes it, and the leak checks hold it to zero.
 */
export function mediaPipeLoaderScripts(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelectorAll('script[src*="vision_wasm"]').length);
}

/**
 * TF.js's layers executor caches each model's graph order in an LRU of 100 entries
 * (TOPOLOGICAL_SORT_CACHE_MAX_ENTRIES), keeping every model it ran, disposed or not, until 100
 * newer ones push it out: ~130 kB per re-created detector, bounded at ~13 MB. Leak checks that
 * re-create detectors shrink it to one entry, so that what they measure is what is not bounded.
 */
export async function shrinkLayersGraphCache(page: Page): Promise<void> {
  await page.evaluate(() => {
    const engine = (globalThis as unknown as { _tfengine: { ENV: { set(flag: string, value: number): void } } })._tfengine;
    engine.ENV.set('TOPOLOGICAL_SORT_CACHE_MAX_ENTRIES', 1);
  });
}

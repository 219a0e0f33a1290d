/**
 * Loading progress for createEmotionDetector's `onProgress`: the stages (code, face detector,
 * backend, emotion models, warm-up) and the bytes of every file fetched from the asset folder.
 *
 * MediaPipe and TF.js fetch their wasm themselves (Emscripten calls the global `fetch`), so the
 * bytes are counted by wrapping `fetch` while a detector loads: only responses from the asset
 * folder are re-streamed through a counter, everything else passes untouched, and the original is
 * put back when the last load ends. Wrapping keeps streaming wasm compilation; a copy fetched
 * by us first would compile only after the download.
 */
import type { LoadProgress, LoadStage, StageState } from './types';

export const LOAD_STAGES: readonly LoadStage[] = ['code', 'faceDetector', 'backend', 'models', 'warmUp'];

export interface LoadTracker {
  stage(stage: LoadStage, state: StageState): void;
  /** Counts the bytes fetched from URLs under `base` until the returned function is called. */
  watch(base: string): () => void;
}

/** Stage changes are always reported; byte counts at most this often (ms). */
const BYTES_EVERY_MS = 100;

export function createLoadTracker(listener: (progress: LoadProgress) => void): LoadTracker {
  const stages = Object.fromEntries(LOAD_STAGES.map((s) => [s, 'waiting'])) as Record<LoadStage, StageState>;
  let loaded = 0;
  let total = 0; // stated sizes, plus the bytes received of files without one
  let fraction = 0;
  let reportedAt = -Infinity;

  function report(force: boolean): void {
    const now = performance.now();
    if (!force && now - reportedAt < BYTES_EVERY_MS) return;
    reportedAt = now;
    const done = LOAD_STAGES.filter((s) => stages[s] === 'done').length;
    const loading = LOAD_STAGES.filter((s) => stages[s] === 'loading').length;
    // The stages that are loading are the ones waiting for bytes (all big files start at once):
    // they count in proportion to the bytes received. Never backwards: a late file adds to the total.
    const bytes = total > 0 ? Math.min(1, loaded / total) : 0;
    fraction = Math.max(fraction, done === LOAD_STAGES.length ? 1 : (done + loading * bytes * 0.95) / LOAD_STAGES.length);
    try {
      listener({ stages: { ...stages }, loaded, total, fraction });
    } catch (error) {
      console.error('moodlens: an onProgress listener failed', error); // never the load itself
    }
  }

  return {
    stage(stage, state) {
      if (stages[stage] === state || stages[stage] === 'done') return;
      stages[stage] = state;
      report(true);
    },
    watch(base) {
      return watchFetches(resolve(base), {
        file(size) {
          total += size ?? 0;
          report(true);
        },
        bytes(count, sized) {
          loaded += count;
          if (!sized) total += count;
          report(false);
        },
      });
    },
  };
}

interface Watcher {
  /** A file starts: its size, if the response says (see bodySize). */
  file(size: number | null): void;
  /** Bytes of a file arrived; `sized`: its size was announced by file(). */
  bytes(count: number, sized: boolean): void;
}

const watchers = new Map<Watcher, string>();
let original: typeof fetch | null = null;
let wrapper: typeof fetch | null = null;

function resolve(url: string): string {
  try {
    return new URL(url, globalThis.location?.href).href;
  } catch {
    return url; // relative, and no page to resolve it against
  }
}

function requestUrl(input: RequestInfo | URL): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

/** The size of the body as it will be read: Content-Length counts compressed bytes when the
 * response is encoded, and the stream hands out decoded ones. */
export function bodySize(headers: Headers): number | null {
  const encoding = headers.get('content-encoding');
  if (encoding && encoding !== 'identity') return null;
  const length = Number(headers.get('content-length'));
  return Number.isFinite(length) && length > 0 ? length : null;
}

function watchFetches(base: string, watcher: Watcher): () => void {
  if (typeof globalThis.fetch !== 'function' || typeof TransformStream !== 'function') return () => {};
  watchers.set(watcher, base);
  if (!original) {
    const plain = globalThis.fetch;
    original = plain;
    wrapper = async (input, init) => {
      const response = await plain(input, init);
      const url = resolve(requestUrl(input));
      const counting = [...watchers].filter(([, prefix]) => url.startsWith(prefix)).map(([w]) => w);
      if (counting.length === 0 || !response.ok || !response.body || response.type === 'opaque') return response;
      const size = bodySize(response.headers);
      counting.forEach((w) => w.file(size));
      const counter = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          counting.forEach((w) => w.bytes(chunk.byteLength, size !== null));
          controller.enqueue(chunk);
        },
      });
      return new Response(response.body.pipeThrough(counter), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    };
    globalThis.fetch = wrapper;
  }
  return () => {
    watchers.delete(watcher);
    if (watchers.size > 0 || !original) return;
    // Someone may have wrapped fetch after us: then ours stays, passing everything through.
    if (globalThis.fetch === wrapper) globalThis.fetch = original;
    original = wrapper = null;
  };
}

/** "4.2 MB", "830 KB" */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.max(0, Math.round(bytes / 1e3))} KB`;
}

const STAGE_NAMES: Record<LoadStage, string> = {
  code: 'code',
  faceDetector: 'face detector',
  backend: 'TF.js backend',
  models: 'emotion models',
  warmUp: 'warm-up',
};

/** One line for a loading overlay: "Loading the face detector · 4.2 of 13.9 MB". */
export function describeProgress(progress: LoadProgress): string {
  const loading = LOAD_STAGES.filter((s) => progress.stages[s] === 'loading').map((s) => STAGE_NAMES[s]);
  const what = loading.length > 0 ? `Loading the ${loading.join(', ')}` : progress.fraction >= 1 ? 'Ready' : 'Loading';
  if (progress.loaded === 0) return what;
  return `${what} · ${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}`;
}

/**
 * `window.__moodlens`, installed only with `?debug` in the URL: lets end-to-end tests read the
 * live tensor count (leak check) and the latest result without scraping the canvas.
 */
import type { EmotionResult } from '../lib';

export interface DebugHook {
  /** Loads TF.js if the page has not yet (the app loads it with its first detector). */
  numTensors(): Promise<number>;
  /** Results analysed since the page loaded (webcam and photo). */
  frames: number;
  lastResult: EmotionResult | null;
  backend: string | null;
  /** The work deferred past the first start (the service worker's registration) has run. */
  settled: boolean;
}

declare global {
  interface Window {
    __moodlens?: DebugHook;
  }
}

export function installDebugHook(): void {
  window.__moodlens = {
    numTensors: async () => (await import('@tensorflow/tfjs')).memory().numTensors,
    frames: 0,
    lastResult: null,
    backend: null,
    settled: false,
  };
}

export function reportSettled(): void {
  if (window.__moodlens) window.__moodlens.settled = true;
}

export function reportResult(result: EmotionResult, backend: string): void {
  const hook = window.__moodlens;
  if (!hook) return;
  hook.frames += 1;
  hook.lastResult = result;
  hook.backend = backend;
}

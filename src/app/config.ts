/**
 * App settings read from the URL query. The defaults are what people get; tests use the
 * parameters to pin a backend (WebGL is slow in headless software rendering), choose a model or
 * the picker's first choice, turn on the debug hook, or shorten the background-tab timeout.
 */
import { MODEL_CHOICES, type ModelChoice } from '../lib';

export type BackendChoice = 'auto' | 'webgl' | 'wasm' | 'cpu';

export interface AppConfig {
  backend: BackendChoice;
  /** The "fast" model's folder (mini-xception unless the URL names another). */
  model: string;
  /** The model picker's initial choice (`?choice=fast|accurate|both`). */
  choice: ModelChoice;
  /** Exposes `window.__moodlens` (tensor count, last result) for end-to-end tests. */
  debug: boolean;
  /** How long the page may stay hidden before the camera is switched off. */
  hiddenStopMs: number;
}

export const DEFAULT_MODEL = 'mini-xception';
const BACKENDS: readonly BackendChoice[] = ['auto', 'webgl', 'wasm', 'cpu'];
const DEFAULT_HIDDEN_STOP_MS = 10_000;
// Model names become part of an asset path: allow only plain folder names.
const MODEL_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

export function readConfig(search: string = window.location.search): AppConfig {
  const params = new URLSearchParams(search);
  const backend = params.get('backend') as BackendChoice | null;
  const model = params.get('model');
  const choice = params.get('choice') as ModelChoice | null;
  const hiddenStopMs = Number(params.get('hiddenStopMs'));
  return {
    backend: backend && BACKENDS.includes(backend) ? backend : 'auto',
    model: model && MODEL_NAME.test(model) && !model.includes('..') ? model : DEFAULT_MODEL,
    choice: choice && MODEL_CHOICES.includes(choice) ? choice : 'fast',
    debug: params.has('debug'),
    hiddenStopMs: Number.isFinite(hiddenStopMs) && hiddenStopMs > 0 ? hiddenStopMs : DEFAULT_HIDDEN_STOP_MS,
  };
}

/** The URL query with the picker's choice in it, so that a reload or a shared link keeps it. */
export function searchWithChoice(search: string, choice: ModelChoice): string {
  const params = new URLSearchParams(search);
  params.set('choice', choice);
  return `?${params}`;
}

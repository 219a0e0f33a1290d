/** Picks the fastest TF.js backend that works here: WebGL, then wasm (binaries served by the app,
 * never a CDN), then the plain JavaScript cpu backend. */
import * as tf from '@tensorflow/tfjs';
import { describeError, MoodlensError } from './errors';
import type { Backend } from './types';

export const BACKEND_ORDER: readonly Backend[] = ['webgl', 'wasm', 'cpu'];

export interface BackendOptions {
  /** URL prefix of the served assets; wasm binaries are read from `<assetBase>vendor/tfjs/`. Default '/'. */
  assetBase?: string;
  /** Overrides the folder of the tfjs-backend-wasm binaries (ending in '/'). */
  wasmPath?: string;
}

/** The backends to try, in order: the preferred one first, then the usual order. */
export function backendCandidates(preferred: Backend | 'auto' = 'auto'): Backend[] {
  if (preferred === 'auto') return [...BACKEND_ORDER];
  if (!BACKEND_ORDER.includes(preferred)) {
    throw new MoodlensError('invalid-option', `Unknown backend ${JSON.stringify(preferred)}; use webgl, wasm, cpu or auto`);
  }
  return [preferred, ...BACKEND_ORDER.filter((b) => b !== preferred)];
}

let wasmPathSet = false;

/** Whether a backend has been initialised (tf.findBackend would start initialising it). */
function initialised(name: Backend): boolean {
  return tf.engine().registry[name] !== undefined;
}

/** Registers the wasm backend (its JS is loaded only when needed) and points it at our binaries.
 * The path can only be set once, before the backend first initialises. */
async function prepareWasm(wasmPath: string): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (!wasmPathSet && !initialised('wasm')) {
    wasm.setWasmPaths(wasmPath);
    wasmPathSet = true;
  }
}

async function tryBackend(name: Backend, options: BackendOptions): Promise<string | undefined> {
  try {
    if (name === 'wasm') await prepareWasm(options.wasmPath ?? `${options.assetBase ?? '/'}vendor/tfjs/`);
    if (tf.findBackendFactory(name) === null) return `${name}: not available in this environment`;
    if (!(await tf.setBackend(name))) return `${name}: failed to initialise`;
    await tf.ready();
    return undefined;
  } catch (error) {
    return `${name}: ${describeError(error)}`;
  }
}

/** Activates the first working backend and returns its name. */
export async function selectBackend(preferred: Backend | 'auto' = 'auto', options: BackendOptions = {}): Promise<Backend> {
  const problems: string[] = [];
  for (const name of backendCandidates(preferred)) {
    if (tf.engine().backendName === name && initialised(name)) return name;
    const problem = await tryBackend(name, options);
    if (problem === undefined) return name;
    problems.push(problem);
  }
  throw new MoodlensError('backend-unavailable', `No TensorFlow.js backend could start (${problems.join('; ')})`);
}

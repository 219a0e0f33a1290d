/** Picks the fastest TF.js backend that works here: WebGL, then wasm (binaries served by the app,
 * never a CDN), then the plain JavaScript cpu backend. WebGL drawn by a software renderer
 * (SwiftShader, llvmpipe) is far slower than wasm (measured in headless Chromium: 267 against
 * 14 ms per face), so there wasm comes first. */
import * as tf from '@tensorflow/tfjs';
import { describeError, MoodlensError } from './errors';
import type { Backend } from './types';

export const BACKEND_ORDER: readonly Backend[] = ['webgl', 'wasm', 'cpu'];
const SOFTWARE_ORDER: readonly Backend[] = ['wasm', 'webgl', 'cpu'];

/** Why a backend runs: asked for by name, the first choice of 'auto', chosen over a software
 * WebGL, or the next in line after the first choice failed. */
export type BackendReason = 'requested' | 'preferred' | 'software-webgl' | 'fallback';

export interface BackendChoice {
  backend: Backend;
  reason: BackendReason;
  /** The WebGL renderer's name (unmasked where the browser tells it), null without WebGL. */
  renderer: string | null;
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software/i;

export function isSoftwareRenderer(renderer: string | null): boolean {
  return renderer !== null && SOFTWARE_RENDERER.test(renderer);
}

/** The name of the renderer behind WebGL here, null where there is no WebGL (or no DOM). */
export function webglRenderer(): string | null {
  try {
    const canvas =
      typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : typeof document !== 'undefined' ? document.createElement('canvas') : null;
    const gl = (canvas?.getContext('webgl2') ?? canvas?.getContext('webgl')) as WebGLRenderingContext | null | undefined;
    if (!gl) return null;
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext(); // browsers cap live contexts
    return name;
  } catch {
    return null;
  }
}

export interface BackendOptions {
  /** URL prefix of the served assets; wasm binaries are read from `<assetBase>vendor/tfjs/`. Default '/'. */
  assetBase?: string;
  /** Overrides the folder of the tfjs-backend-wasm binaries (ending in '/'). */
  wasmPath?: string;
}

/** The backends to try, in order: the preferred one first, then the usual order (wasm first
 * when WebGL is software-rendered). */
export function backendCandidates(preferred: Backend | 'auto' = 'auto', softwareWebGL = false): Backend[] {
  if (preferred === 'auto') return [...(softwareWebGL ? SOFTWARE_ORDER : BACKEND_ORDER)];
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
  // On a cross-origin-isolated page TF.js would start its multi-threaded build, whose workers run
  // the source text of a function of the bundle: minified, it names variables the worker lacks
  // ("t is not defined") and initialisation never ends. The single-threaded SIMD build has no workers.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
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

/** The selection in progress: TF.js's engine is one per page, and two detectors created at once
 * (e.g. a page's API call beside an <emotion-detector>) must not initialise backends at once. */
let selecting: Promise<unknown> = Promise.resolve();

/** Activates the first working backend and says which and why (one selection at a time). */
export function chooseBackend(preferred: Backend | 'auto' = 'auto', options: BackendOptions = {}): Promise<BackendChoice> {
  const choice = selecting.then(() => choose(preferred, options));
  selecting = choice.catch(() => {});
  return choice;
}

async function choose(preferred: Backend | 'auto', options: BackendOptions): Promise<BackendChoice> {
  const renderer = webglRenderer();
  const software = preferred === 'auto' && isSoftwareRenderer(renderer);
  const candidates = backendCandidates(preferred, software);
  const reasonFor = (backend: Backend): BackendReason =>
    backend !== candidates[0] ? 'fallback' : preferred !== 'auto' ? 'requested' : software ? 'software-webgl' : 'preferred';
  const problems: string[] = [];
  for (const name of candidates) {
    if (tf.engine().backendName === name && initialised(name)) return { backend: name, reason: reasonFor(name), renderer };
    const problem = await tryBackend(name, options);
    if (problem === undefined) return { backend: name, reason: reasonFor(name), renderer };
    problems.push(problem);
  }
  throw new MoodlensError('backend-unavailable', `No TensorFlow.js backend could start (${problems.join('; ')})`);
}

/** Activates the first working backend and returns its name. */
export async function selectBackend(preferred: Backend | 'auto' = 'auto', options: BackendOptions = {}): Promise<Backend> {
  return (await chooseBackend(preferred, options)).backend;
}

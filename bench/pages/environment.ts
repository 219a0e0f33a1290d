/** What the page runs on: the TF.js backend and its features, the browser, the GPU (if any). */
import * as tf from '@tensorflow/tfjs';

export interface PageEnvironment {
  backend: string;
  tfjs: string;
  wasmSimd: boolean | null;
  wasmThreads: boolean | null;
  crossOriginIsolated: boolean;
  userAgent: string;
  hardwareConcurrency: number;
  /** The WebGL renderer string, e.g. "SwiftShader" (software) or a GPU name; null without WebGL. */
  webglRenderer: string | null;
}

function webglRenderer(): string | null {
  const gl = document.createElement('canvas').getContext('webgl');
  if (!gl) return null;
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

async function flag(name: string): Promise<boolean | null> {
  try {
    return Boolean(await tf.env().getAsync(name));
  } catch {
    return null;
  }
}

export async function environment(): Promise<PageEnvironment> {
  const backend = tf.getBackend();
  return {
    backend,
    tfjs: tf.version.tfjs,
    wasmSimd: backend === 'wasm' ? await flag('WASM_HAS_SIMD_SUPPORT') : null,
    wasmThreads: backend === 'wasm' ? await flag('WASM_HAS_MULTITHREAD_SUPPORT') : null,
    crossOriginIsolated: globalThis.crossOriginIsolated ?? false,
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    webglRenderer: webglRenderer(),
  };
}

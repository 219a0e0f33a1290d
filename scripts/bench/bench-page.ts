/**
 * The in-browser half of `npm run bench:models`: times the emotion models alone (the pipeline's
 * "classify" stage: predict + reading the probabilities back, via the app's own loader and
 * classify()) on face batches, and reports raw times; scripts/bench-models.mjs summarises them.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/lib/backend';
import { classify, loadEmotionModel } from '../../src/lib/classifier';

export interface BenchRequest {
  backend: 'wasm' | 'webgl';
  /** URL of the folder holding the model folders, ending in '/'. */
  modelsBase: string;
  /** Where the tfjs-backend-wasm binaries are served, ending in '/'. */
  wasmPath: string;
  models: string[];
  batchSizes: number[];
  warmup: number;
  runs: number;
}

export interface ModelTimes {
  architecture: string | null;
  trainingCommand: string | null;
  /** Milliseconds per call, by batch size, warm-up excluded. */
  times: Record<number, number[]>;
}

export interface BenchReport {
  backend: string;
  userAgent: string;
  wasm: { simd: boolean; threads: boolean } | null;
  models: Record<string, ModelTimes>;
  /** Tensors left behind after all models were timed and freed (should be 0). */
  leakedTensors: number;
}

/** The WebGL renderer, and whether it is real hardware (not SwiftShader/llvmpipe software GL). */
function gpu(): { renderer: string | null; hardware: boolean } {
  const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
  if (!gl) return { renderer: null, hardware: false };
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  return { renderer, hardware: !/swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer) };
}

async function timeModel(name: string, request: BenchRequest): Promise<ModelTimes> {
  const model = await loadEmotionModel(request.modelsBase, name);
  const times: Record<number, number[]> = {};
  try {
    for (const size of request.batchSizes) {
      const batch = tf.randomUniform([size, 48, 48, 1], -1, 1, 'float32', 42) as tf.Tensor4D;
      try {
        for (let i = 0; i < request.warmup; i++) await classify([model], batch);
        const runs: number[] = [];
        for (let i = 0; i < request.runs; i++) {
          const start = performance.now();
          await classify([model], batch);
          runs.push(performance.now() - start);
        }
        times[size] = runs;
      } finally {
        batch.dispose();
      }
    }
  } finally {
    model.dispose();
  }
  const command = model.metadata.training?.command;
  return { architecture: model.metadata.architecture ?? null, trainingCommand: typeof command === 'string' ? command : null, times };
}

async function wasmFeatures(): Promise<{ simd: boolean; threads: boolean }> {
  const flag = async (name: string) => Boolean(await tf.env().getAsync(name));
  return { simd: await flag('WASM_HAS_SIMD_SUPPORT'), threads: await flag('WASM_HAS_MULTITHREAD_SUPPORT') };
}

async function run(request: BenchRequest): Promise<BenchReport> {
  const backend = await selectBackend(request.backend, { wasmPath: request.wasmPath });
  if (backend !== request.backend) throw new Error(`asked for the ${request.backend} backend, got ${backend}`);
  const before = tf.memory().numTensors;
  const models: Record<string, ModelTimes> = {};
  for (const name of request.models) models[name] = await timeModel(name, request);
  return {
    backend,
    userAgent: navigator.userAgent,
    wasm: backend === 'wasm' ? await wasmFeatures() : null,
    models,
    leakedTensors: tf.memory().numTensors - before,
  };
}

declare global {
  interface Window {
    moodlensBench?: { gpu: typeof gpu; run: typeof run };
  }
}

window.moodlensBench = { gpu, run };

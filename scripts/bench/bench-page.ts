/**
 * The in-browser half of `npm run bench:models`: times the emotion models alone (the pipeline's
 * "classify" stage: predict + reading the probabilities back, via the app's own loader and
 * classify()) on face batches, and reports raw times; scripts/bench-models.mjs summarises them.
 */
import * as tf from '@tensorflow/tfjs';
import { rotate } from '../../bench/lib/rotate';
import { selectBackend } from '../../src/lib/backend';
import { classify, loadEmotionModel, type EmotionModel } from '../../src/lib/classifier';

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

/** One timed call: predict + reading the probabilities back. */
async function timeCall(model: EmotionModel, batch: tf.Tensor4D): Promise<number> {
  const start = performance.now();
  await classify([model], batch);
  return performance.now() - start;
}

/** Times every model round by round (each round calls each model once, the order rotating), so a
 * browser that speeds up as it warms, or background load, hits all models alike: timed one after
 * the other, the first model measured came out up to 40% slower than the same network later. */
async function timeModels(models: Map<string, EmotionModel>, request: BenchRequest): Promise<Record<string, ModelTimes>> {
  const names = [...models.keys()];
  const times = new Map(names.map((name) => [name, {} as Record<number, number[]>]));
  for (const size of request.batchSizes) {
    const batch = tf.randomUniform([size, 48, 48, 1], -1, 1, 'float32', 42) as tf.Tensor4D;
    try {
      for (const name of names) times.get(name)![size] = [];
      for (let round = 0; round < request.warmup + request.runs; round++) {
        for (const name of rotate(names, round)) {
          const ms = await timeCall(models.get(name)!, batch);
          if (round >= request.warmup) times.get(name)![size].push(ms);
        }
      }
    } finally {
      batch.dispose();
    }
  }
  return Object.fromEntries(
    names.map((name) => {
      const command = models.get(name)!.metadata.training?.command;
      const architecture = models.get(name)!.metadata.architecture ?? null;
      return [name, { architecture, trainingCommand: typeof command === 'string' ? command : null, times: times.get(name)! }];
    }),
  );
}

async function wasmFeatures(): Promise<{ simd: boolean; threads: boolean }> {
  const flag = async (name: string) => Boolean(await tf.env().getAsync(name));
  return { simd: await flag('WASM_HAS_SIMD_SUPPORT'), threads: await flag('WASM_HAS_MULTITHREAD_SUPPORT') };
}

async function run(request: BenchRequest): Promise<BenchReport> {
  const backend = await selectBackend(request.backend, { wasmPath: request.wasmPath });
  if (backend !== request.backend) throw new Error(`asked for the ${request.backend} backend, got ${backend}`);
  const before = tf.memory().numTensors;
  const loaded = new Map<string, EmotionModel>();
  let models: Record<string, ModelTimes>;
  try {
    for (const name of request.models) loaded.set(name, await loadEmotionModel(request.modelsBase, name));
    models = await timeModels(loaded, request);
  } finally {
    for (const model of loaded.values()) model.dispose();
  }
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

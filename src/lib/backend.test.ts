import * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { backendCandidates, selectBackend } from './backend';
import { isMoodlensError } from './errors';
import { preprocessFaces } from './preprocess';
import { paintImage, toTensor } from './testing/images';

// Node has no WebGL; the wasm backend runs here when pointed at its binaries in node_modules.
const WASM_DIR = fileURLToPath(new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url));

describe('backendCandidates', () => {
  it('tries webgl, wasm, cpu by default and puts a preferred backend first', () => {
    expect(backendCandidates()).toEqual(['webgl', 'wasm', 'cpu']);
    expect(backendCandidates('wasm')).toEqual(['wasm', 'webgl', 'cpu']);
    expect(backendCandidates('cpu')).toEqual(['cpu', 'webgl', 'wasm']);
  });

  it('rejects unknown names', () => {
    expect(() => backendCandidates('webgpu' as 'cpu')).toThrow(/Unknown backend "webgpu"/);
  });
});

describe('selectBackend', () => {
  it('activates a requested backend that works', async () => {
    expect(await selectBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('falls back past webgl (absent in Node) to wasm, loading the binaries from the given folder', async () => {
    expect(await selectBackend('auto', { wasmPath: WASM_DIR })).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(await selectBackend('webgl')).toBe('wasm'); // webgl still unavailable: next in line
  });

  it('preprocesses identically on wasm and cpu', async () => {
    const image = paintImage(160, 120, (x, y) => [(x * 7) % 256, (y * 5) % 256, (x * y) % 256]);
    const crops = [
      { center: { x: 60, y: 50 }, side: 90, angle: 0.4 },
      { center: { x: 150, y: 10 }, side: 140, angle: -0.2 }, // leaves the image
    ];
    const run = async (backend: 'cpu' | 'wasm') => {
      await selectBackend(backend, { wasmPath: WASM_DIR });
      const pixels = toTensor(image);
      const batch = preprocessFaces(pixels, crops);
      const values = await batch.data();
      tf.dispose([pixels, batch]);
      return values;
    };
    const onCpu = await run('cpu');
    const onWasm = await run('wasm');
    let worst = 0;
    onCpu.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - onWasm[i]))));
    expect(worst).toBeLessThan(1e-4);
  });

  it('explains when nothing works', async () => {
    tf.removeBackend('cpu');
    tf.removeBackend('wasm');
    try {
      await selectBackend('auto');
      expect.unreachable();
    } catch (error) {
      expect(isMoodlensError(error, 'backend-unavailable')).toBe(true);
      expect((error as Error).message).toMatch(/webgl: not available/);
    }
  });
});

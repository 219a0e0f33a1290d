import * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { backendCandidates, chooseBackend, isSoftwareRenderer, selectBackend } from './backend';
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

  it('puts wasm first for auto when WebGL is software-rendered, but keeps a pinned backend first', () => {
    expect(backendCandidates('auto', true)).toEqual(['wasm', 'webgl', 'cpu']);
    expect(backendCandidates('webgl', true)).toEqual(['webgl', 'wasm', 'cpu']);
  });

  it('tells software renderers from GPUs', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('Google SwiftShader')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
    expect(isSoftwareRenderer('Apple M2')).toBe(false);
    expect(isSoftwareRenderer(null)).toBe(false);
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
    expect(await chooseBackend('webgl')).toEqual({ backend: 'wasm', reason: 'fallback', renderer: null });
    expect(await chooseBackend('wasm')).toEqual({ backend: 'wasm', reason: 'requested', renderer: null });
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

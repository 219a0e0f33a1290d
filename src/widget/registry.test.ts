import { describe, expect, it, vi } from 'vitest';
import type { Backend, EmotionDetector, EmotionDetectorOptions } from '../lib';
import { createRegistry, type DetectorRequest } from './registry';

interface Pending {
  options: EmotionDetectorOptions;
  resolve(backend: Backend): EmotionDetector & { close: ReturnType<typeof vi.fn> };
  reject(error: Error): void;
}

/** A create() whose detectors resolve when the test says so. */
function controlledCreate() {
  const pending: Pending[] = [];
  const create = vi.fn(
    (options: EmotionDetectorOptions) =>
      new Promise<EmotionDetector>((resolve, reject) => {
        pending.push({
          options,
          resolve(backend) {
            const detector = { backend, close: vi.fn() } as unknown as EmotionDetector & { close: ReturnType<typeof vi.fn> };
            resolve(detector);
            return detector;
          },
          reject,
        });
      }),
  );
  return { create, pending };
}

const request = (changes: Partial<DetectorRequest> = {}): DetectorRequest => ({
  assetBase: 'https://widgets.example/',
  models: ['mini-xception'],
  maxFaces: 20,
  minFaceSize: 40,
  minDetectionConfidence: 0.5,
  backend: 'auto',
  ...changes,
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createRegistry', () => {
  it('shares one detector between requests with the same options, and asks for IMAGE mode without smoothing', async () => {
    const { create, pending } = controlledCreate();
    const registry = createRegistry(create);
    const a = registry.acquire(request({ models: ['a', 'b'] }));
    const b = registry.acquire(request({ models: ['b', 'a'], backend: 'wasm' }));
    await settle();
    expect(create).toHaveBeenCalledTimes(1);
    expect(pending[0].options).toMatchObject({ models: ['a', 'b'], maxFaces: 20, runningMode: 'IMAGE', smoothing: false });
    const detector = pending[0].resolve('wasm');
    expect(await a.detector).toBe(detector);
    expect(await b.detector).toBe(detector);
    expect(registry.size).toBe(1);
  });

  it('asks for VIDEO mode when the first widget is a camera, and shares that detector with a photo widget', async () => {
    const { create, pending } = controlledCreate();
    const registry = createRegistry(create);
    const camera = registry.acquire(request({ runningMode: 'VIDEO' }));
    const photo = registry.acquire(request({ runningMode: 'IMAGE' }));
    await settle();
    expect(create).toHaveBeenCalledTimes(1);
    expect(pending[0].options).toMatchObject({ runningMode: 'VIDEO' });
    const detector = pending[0].resolve('wasm');
    expect(await camera.detector).toBe(detector);
    expect(await photo.detector).toBe(detector);
  });

  it('gives other options their own detector', async () => {
    const { create } = controlledCreate();
    const registry = createRegistry(create);
    registry.acquire(request());
    registry.acquire(request({ maxFaces: 2 }));
    registry.acquire(request({ assetBase: 'https://other.example/' }));
    expect(registry.size).toBe(3);
  });

  it('closes the detector when the last share is released, once', async () => {
    const { create, pending } = controlledCreate();
    const registry = createRegistry(create);
    const a = registry.acquire(request());
    const b = registry.acquire(request());
    await settle();
    const detector = pending[0].resolve('wasm');
    a.release();
    a.release(); // a second release of the same share changes nothing
    await settle();
    expect(detector.close).not.toHaveBeenCalled();
    b.release();
    await settle();
    expect(detector.close).toHaveBeenCalledTimes(1);
    expect(registry.size).toBe(0);
  });

  it('closes a detector released while still loading as soon as it has loaded', async () => {
    const { create, pending } = controlledCreate();
    const registry = createRegistry(create);
    registry.acquire(request()).release();
    await settle();
    const detector = pending[0].resolve('wasm');
    await settle();
    expect(detector.close).toHaveBeenCalledTimes(1);
  });

  it('forgets a failed load so that the next request tries again', async () => {
    const { create, pending } = controlledCreate();
    const registry = createRegistry(create);
    const failed = registry.acquire(request());
    await settle();
    pending[0].reject(new Error('no network'));
    await expect(failed.detector).rejects.toThrow('no network');
    expect(registry.size).toBe(0);
    registry.acquire(request());
    await settle();
    expect(create).toHaveBeenCalledTimes(2);
  });

  it('creates detectors one after another and keeps the first backend for the page', async () => {
    const { create, pending } = controlledCreate();
    const warn = vi.fn();
    const registry = createRegistry(create, warn);
    registry.acquire(request({ backend: 'wasm' }));
    registry.acquire(request({ maxFaces: 3, backend: 'webgl' }));
    await settle();
    expect(create).toHaveBeenCalledTimes(1); // the second waits for the first
    pending[0].resolve('wasm');
    await settle();
    expect(create).toHaveBeenCalledTimes(2);
    expect(pending[1].options.backend).toBe('wasm');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('backend="webgl" ignored'));
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';

// The pipeline itself is not under test here: a load that finishes (or fails) when the test says so.
let finishLoad: () => void = () => {};
let failLoad: (error: Error) => void = () => {};
let loadsStarted = 0;
vi.mock('../lib', () => ({
  DEFAULT_MAX_FACES: 20,
  createEmotionDetector: () =>
    new Promise((resolve, reject) => {
      loadsStarted++;
      finishLoad = () => resolve({ close() {} });
      failLoad = reject;
    }),
}));

const config = { model: 'mini-xception', backend: 'wasm' } as never;

afterEach(() => {
  vi.useRealTimers();
  vi.resetModules();
  loadsStarted = 0;
});

describe('preloadDetector', () => {
  it('starts the load once the view has painted, and the first use gets that load', async () => {
    vi.useFakeTimers();
    const { getDetector, preloadDetector } = await import('./detectors');
    preloadDetector('VIDEO', config);
    expect(loadsStarted).toBe(0); // not before the view's first paint
    await vi.advanceTimersByTimeAsync(0);
    expect(loadsStarted).toBe(1);
    const first = getDetector('VIDEO', config);
    finishLoad();
    await expect(first).resolves.toBeDefined();
    expect(loadsStarted).toBe(1);
  });

  it('is cancelled with its view, and a failed preload is loaded again (and reported) on first use', async () => {
    vi.useFakeTimers();
    const { getDetector, preloadDetector } = await import('./detectors');
    preloadDetector('VIDEO', config)();
    await vi.advanceTimersByTimeAsync(10);
    expect(loadsStarted).toBe(0);

    preloadDetector('VIDEO', config);
    await vi.advanceTimersByTimeAsync(0);
    failLoad(new Error('model missing')); // nobody sees this one: no unhandled rejection
    await vi.advanceTimersByTimeAsync(0);
    const use = getDetector('VIDEO', config);
    expect(loadsStarted).toBe(2);
    failLoad(new Error('model missing'));
    await expect(use).rejects.toThrow('model missing');
  });
});

describe('afterFirstStart', () => {
  it('waits for the first detector to load, then a settling moment', async () => {
    vi.useFakeTimers();
    const { afterFirstStart, getDetector } = await import('./detectors');
    let done = false;
    void afterFirstStart(5_000, 10_000).then(() => (done = true));
    void getDetector('IMAGE', config);
    await vi.advanceTimersByTimeAsync(30_000); // still loading: a slow first start is never raced
    expect(done).toBe(false);
    finishLoad();
    await vi.advanceTimersByTimeAsync(4_000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(done).toBe(true);
  });

  it('does not wait for a detector nobody asks for', async () => {
    vi.useFakeTimers();
    const { afterFirstStart } = await import('./detectors');
    let done = false;
    void afterFirstStart(5_000, 10_000).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(9_000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(done).toBe(true);
  });
});

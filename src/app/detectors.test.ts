import { afterEach, describe, expect, it, vi } from 'vitest';

// The pipeline itself is not under test here: a load that finishes when the test says so.
let finishLoad: () => void = () => {};
vi.mock('../lib', () => ({
  DEFAULT_MAX_FACES: 20,
  createEmotionDetector: () => new Promise((resolve) => (finishLoad = () => resolve({ close() {} }))),
}));

const config = { model: 'mini-xception', backend: 'wasm' } as never;

afterEach(() => {
  vi.useRealTimers();
  vi.resetModules();
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

import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, readConfig } from './config';

describe('readConfig', () => {
  it('defaults to the automatic backend and the shipped model', () => {
    expect(readConfig('')).toEqual({ backend: 'auto', model: DEFAULT_MODEL, debug: false, hiddenStopMs: 10_000 });
  });

  it('reads the test parameters', () => {
    expect(readConfig('?backend=wasm&model=tiny-cnn&debug&hiddenStopMs=500')).toEqual({
      backend: 'wasm',
      model: 'tiny-cnn',
      debug: true,
      hiddenStopMs: 500,
    });
  });

  it('ignores values it does not know, and model names that could leave the models folder', () => {
    expect(readConfig('?backend=webgpu').backend).toBe('auto');
    for (const model of ['../secrets', 'a/b', '..', 'x'.repeat(80), '%2e%2e']) {
      expect(readConfig(`?model=${encodeURIComponent(model)}`).model).toBe(DEFAULT_MODEL);
    }
    expect(readConfig('?hiddenStopMs=-5').hiddenStopMs).toBe(10_000);
  });
});

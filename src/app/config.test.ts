import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, readConfig, searchWithChoice } from './config';

describe('readConfig', () => {
  it('defaults to the automatic backend and the shipped model', () => {
    expect(readConfig('')).toEqual({ backend: 'auto', model: DEFAULT_MODEL, choice: 'fast', debug: false, hiddenStopMs: 10_000 });
  });

  it('reads the test parameters', () => {
    expect(readConfig('?backend=wasm&model=tiny-cnn&choice=both&debug&hiddenStopMs=500')).toEqual({
      backend: 'wasm',
      model: 'tiny-cnn',
      choice: 'both',
      debug: true,
      hiddenStopMs: 500,
    });
  });

  it('ignores values it does not know, and model names that could leave the models folder', () => {
    expect(readConfig('?backend=webgpu').backend).toBe('auto');
    expect(readConfig('?choice=best').choice).toBe('fast');
    for (const model of ['../secrets', 'a/b', '..', 'x'.repeat(80), '%2e%2e']) {
      expect(readConfig(`?model=${encodeURIComponent(model)}`).model).toBe(DEFAULT_MODEL);
    }
    expect(readConfig('?hiddenStopMs=-5').hiddenStopMs).toBe(10_000);
  });
});

describe('searchWithChoice', () => {
  it('records the choice and keeps the other parameters', () => {
    expect(searchWithChoice('?backend=wasm&debug', 'both')).toBe('?backend=wasm&debug=&choice=both');
    expect(searchWithChoice('?choice=fast', 'accurate')).toBe('?choice=accurate');
    expect(readConfig(searchWithChoice('', 'accurate')).choice).toBe('accurate');
  });
});

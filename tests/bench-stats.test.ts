import { describe, expect, it } from 'vitest';
import { formatTable, median, summariseModels, trainingRun } from '../scripts/lib/bench-stats.mjs';

describe('bench:models summaries', () => {
  it('takes the median of odd and even counts, and refuses none', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no values/);
  });

  it('turns raw times into ms per face for one face and for a batch of 8', () => {
    const summary = summariseModels({
      attention: {
        architecture: 'aer-cnn',
        trainingCommand: '/usr/bin/python3 -m factory train --arch aer-cnn --width 2 --name aer-cnn-b',
        times: { 1: [3, 2, 100, 4, 2.5], 8: [16, 8, 12, 9, 40] },
      },
    });
    expect(summary.attention).toEqual({ msPerFace: 3, msPerFaceBatch8: 1.5, runs: 5, architecture: 'aer-cnn', run: 'aer-cnn-b' });
    expect(() => summariseModels({ x: { architecture: null, trainingCommand: null, times: { 1: [1] } } })).toThrow(/batches of 1 and 8/);
  });

  it('finds the training run name, if any', () => {
    expect(trainingRun('python3 -m factory train --name=mini-xception-a --seed 1')).toBe('mini-xception-a');
    expect(trainingRun('python3 -m factory train --name a --epochs 30 && python3 -m factory train --name b --init-from factory/runs/a')).toBe('b');
    expect(trainingRun(null)).toBeNull();
    expect(trainingRun('python3 -m factory train')).toBeNull();
  });

  it('prints an aligned table', () => {
    const table = formatTable({ 'mini-xception': { msPerFace: 1.234, msPerFaceBatch8: 0.5, runs: 40, architecture: 'mini-xception' } }, 'wasm');
    const lines = table.split('\n');
    expect(lines[0]).toBe('wasm');
    expect(lines[3]).toMatch(/^mini-xception\s+mini-xception\s+1\.23\s+0\.50\s+40$/);
    expect(new Set(lines.slice(1).map((l) => l.length)).size).toBe(1);
  });
});

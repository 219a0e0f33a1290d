import { describe, expect, it } from 'vitest';
import type { AccuracyResults } from '../accuracy/types';
import { END, renderTable, replaceBetweenMarkers, START } from '../readme/render';
import type { PipelineResult, SpeedResults } from '../speed/types';

const summary = (median: number) => ({ median, p95: median * 1.2, mean: median, min: median, max: median, n: 30, samples: [median] });

function pipeline(id: string, library: string, frameMs: number): PipelineResult {
  return {
    id,
    library,
    version: library === 'moodlens' ? 'src/lib' : '1.0.0',
    coldStart: {
      runs: [],
      readyMs: 900,
      firstResultMs: 1500,
      repeatMs: library === 'moodlens' ? 500 : 750,
      overLink: { link: '10 Mbit/s, 40 ms round trip', firstResultMs: library === 'moodlens' ? 2000 : 3000, repeatMs: 600 },
    },
    bytes: { models: 480_000, wasm: 1, js: 1, gzipped: 3 * 1024 * 1024 },
    frames: [{ file: '1-face.png', expectedFaces: 1, facesFound: { min: 1, max: 1 }, total: summary(frameMs), stages: {} }],
    classifierOnly: { batch1: summary(frameMs / 10), batch10: summary(frameMs / 20) },
    tensorsPerFrame: 0,
    selfCheck: { ok: true, detail: '' },
  };
}

const speed = {
  kind: 'moodlens-speed',
  date: '2026-11-22T08:00:00.000Z',
  machine: { cpus: 2, cpuModel: 'Test CPU', loadAverage: 1 },
  browser: 'Chromium 1 (headless)',
  settings: { reps: 30, warmup: 5, coldRuns: 3, backends: ['wasm'], link: '10 Mbit/s, 40 ms round trip' },
  frames: [{ file: '1-face.png', faces: 1, width: 640, height: 480, source: 'test' }],
  backends: [{ backend: 'wasm', pipelines: [pipeline('moodlens:mini-xception', 'moodlens', 20), pipeline('face-api', '@vladmandic/face-api', 80)], ratios: [] }],
} as unknown as SpeedResults;

const scores = (accuracy: number) => ({ samples: 10, accuracy, macroF1: accuracy - 0.1, recall: {}, confusion: [] });
const accuracy = {
  kind: 'moodlens-accuracy',
  date: '2026-11-22T09:00:00.000Z',
  data: { publicTestFaces: 3589, unseenFaces: 3309 },
  models: [
    { id: 'moodlens:mini-xception', version: 'models/mini-xception', single: { all: scores(0.51), unseen: scores(0.5) }, flip: { all: scores(0.52), unseen: scores(0.51) } },
    { id: 'face-api', version: '1.0.0', single: { all: scores(0.6), unseen: scores(0.59) }, flip: { all: scores(0.61), unseen: scores(0.6) } },
  ],
  fidelity: null,
  scenes: {
    browser: 'Chromium 1',
    backend: 'wasm',
    seed: 1,
    perKind: 10,
    results: [
      { pipeline: 'moodlens:mini-xception', kind: 'HD', scenes: 10, faces: 80, found: 72, falseDetections: 5, accuracyWhenFound: 0.6, classifierOnFound: 0.62 },
      { pipeline: 'face-api', kind: 'HD', scenes: 10, faces: 80, found: 8, falseDetections: 0, accuracyWhenFound: 0.5, classifierOnFound: 0.5 },
    ],
  },
} as unknown as AccuracyResults;

describe('README table', () => {
  it('puts ours first and each peer next to it, with the ratio to ours', () => {
    const table = renderTable(speed, accuracy);
    const lines = table.split('\n');
    expect(lines[0]).toBe('|  | moodlens (mini-xception) | @vladmandic/face-api 1.0.0 |');
    expect(table).toContain('| Per frame, 1 face (median) | 20 ms | 80 ms (4.0× ours) |');
    expect(table).toContain('| Repeat start (browser cache warm) | 500 ms | 750 ms (1.5× ours) |');
    expect(table).toContain('| Cold start over 10 Mbit/s, 40 ms round trip | 2.0 s | 3.0 s (1.5× ours) |');
    expect(table).toContain('| Repeat start over that link | 600 ms | 600 ms (1.0× ours) |');
    expect(table).toContain('| First visit downloads (gzip) | 3.0 MB | 3.0 MB |');
    expect(table).toContain('| FER2013 PublicTest accuracy | 51.0% | 60.0% |');
    expect(table).toContain('| Accuracy on faces not in Training | 50.0% | 59.0% |');
    expect(table).toContain('| Scenes, HD: found / false per scene | 90% / 0.5 | 10% / 0.0 |');
    expect(table).toContain('bench/results/speed.md');
  });

  it('works with only one of the two results', () => {
    expect(renderTable(null, accuracy)).not.toContain('Per frame');
    expect(renderTable(speed, null)).not.toContain('PublicTest accuracy');
    expect(() => renderTable(null, null)).toThrow(/npm run bench/);
  });

  it('replaces only what is between the markers, again and again', () => {
    const readme = `# Title\n\nbefore\n${START}\nold table\n${END}\nafter\n`;
    const once = replaceBetweenMarkers(readme, 'new table');
    expect(once).toBe(`# Title\n\nbefore\n${START}\nnew table\n${END}\nafter\n`);
    expect(replaceBetweenMarkers(once, 'new table')).toBe(once);
  });

  it('says which markers are missing', () => {
    expect(() => replaceBetweenMarkers('# no markers', 'x')).toThrow(/bench:start/);
    expect(() => replaceBetweenMarkers(`${END}\n${START}`, 'x')).toThrow(/in that order/);
  });
});

import { describe, expect, it } from 'vitest';
import { fakeFetch, tinyModelFiles, type FileMap } from '../lib/testing/tinyModels';
import { loadCatalog, measuredAccuracy, parseBlend, parseSpeed, summarise, type Catalog } from './modelCatalog';

const FAST = 'mini-xception';

async function served(options: { attention?: boolean; speed?: unknown; blend?: unknown } = {}): Promise<FileMap> {
  const files: FileMap = new Map([
    ...(await tinyModelFiles('/models/', FAST, { metadata: { metrics: { split: 'PublicTest', single: { accuracy: 0.5093 } } } })),
  ]);
  if (options.attention) {
    for (const [url, body] of await tinyModelFiles('/models/', 'attention', { metadata: { metrics: { split: 'PublicTest', single: { accuracy: 0.6321 } } } })) {
      files.set(url, body);
    }
  }
  if (options.speed !== undefined) files.set('/models/speed.json', JSON.stringify(options.speed));
  if (options.blend !== undefined) files.set('/models/blend.json', JSON.stringify(options.blend));
  return files;
}

const SPEED = { backend: 'wasm', models: { [FAST]: { msPerFace: 1.84, msPerFaceBatch8: 0.9, runs: 30 }, attention: { msPerFace: 4.25 } } };

describe('loadCatalog + summarise', () => {
  it('shows accuracy and speed of every choice when the build ships both models', async () => {
    const catalog = await loadCatalog('/', [FAST, 'attention'], fakeFetch(await served({ attention: true, speed: SPEED })));
    const [fast, accurate, both] = (['fast', 'accurate', 'both'] as const).map((c) => summarise(c, catalog, FAST));
    expect(fast).toMatchObject({ available: true, accuracy: 0.5093, msPerFace: 1.84 });
    expect(fast.accuracyText).toBe('50.9% accuracy (FER2013 PublicTest)');
    expect(fast.speedText).toBe('1.8 ms per face');
    expect(accurate.accuracyText).toBe('63.2% accuracy (FER2013 PublicTest)');
    expect(accurate.speedText).toBe('4.3 ms per face');
    // Both models run: their times add up; nobody measured the accuracy of their average.
    expect(both.msPerFace).toBeCloseTo(6.09, 6);
    expect(both.accuracy).toBeUndefined();
    expect(both.accuracyText).toBe('accuracy of the average not measured (alone: 50.9% and 63.2%)');
    expect(catalog.speed?.backend).toBe('wasm');
  });

  it('disables the choices that need a model the build does not ship', async () => {
    const catalog = await loadCatalog('/', [FAST, 'attention'], fakeFetch(await served()));
    expect(catalog.models.attention.available).toBe(false);
    expect(catalog.speed).toBeNull();
    const [fast, accurate, both] = (['fast', 'accurate', 'both'] as const).map((c) => summarise(c, catalog, FAST));
    expect(fast.available).toBe(true);
    expect(fast.speedText).toBe('speed not measured');
    expect(accurate.available).toBe(false);
    expect(both.available).toBe(false);
    expect(accurate.unavailableReason).toMatch(/not included in this build \(models\/attention\/ is missing\)/);
  });

  it('treats an index page served for a missing file as missing, and unreadable metadata as a problem', async () => {
    const files = await served();
    files.set('/models/attention/metadata.json', '<!doctype html><title>moodlens</title>');
    files.set('/models/speed.json', '<!doctype html><title>moodlens</title>');
    const missing = await loadCatalog('/', [FAST, 'attention'], fakeFetch(files));
    expect(missing.models.attention.available).toBe(false);
    expect(missing.speed).toBeNull();

    files.set('/models/attention/metadata.json', '{"name": "attention"}');
    const broken = await loadCatalog('/', [FAST, 'attention'], fakeFetch(files));
    expect(broken.models.attention).toMatchObject({ available: true, problem: expect.stringMatching(/labels/) });
  });

  it('shows the measured accuracy of "both" from blend.json when it averages the same two models', async () => {
    const blend = { models: ['attention', FAST], metrics: { split: 'PublicTest', single: { accuracy: 0.64 }, flip: { accuracy: 0.6512 } } };
    const catalog = await loadCatalog('/', [FAST, 'attention'], fakeFetch(await served({ attention: true, blend })));
    expect(catalog.blend).toEqual({ models: ['attention', FAST], accuracy: 0.6512, split: 'PublicTest' });
    const both = summarise('both', catalog, FAST);
    expect(both.accuracy).toBe(0.6512);
    expect(both.accuracyText).toBe('65.1% accuracy (FER2013 PublicTest)');
    // Another fast model (?model=...) is not what was measured.
    expect(summarise('both', catalog, 'custom').accuracyText).toBe('accuracy not measured');
    expect(summarise('fast', catalog, FAST).accuracy).toBe(0.5093);
  });

  it('says "not measured" before the catalog has loaded', () => {
    const summary = summarise('accurate', null as Catalog | null, FAST);
    expect(summary).toMatchObject({ available: true, accuracyText: 'accuracy not measured', speedText: 'speed not measured' });
  });
});

describe('parseSpeed and measuredAccuracy', () => {
  it('keeps only plausible numbers', () => {
    expect(parseSpeed({ models: { a: { msPerFace: 2 }, b: { msPerFace: -1 }, c: { msPerFace: 'fast' }, d: null } })).toEqual({
      backend: undefined,
      models: { a: { msPerFace: 2 } },
    });
    expect(parseSpeed([])).toBeNull();
    expect(parseSpeed({ models: 3 })).toBeNull();
  });

  it('reads a blend only when it names its models and has a plausible accuracy', () => {
    expect(parseBlend({ models: ['a', 'b'], metrics: { single: { accuracy: 0.6 } } })).toEqual({ models: ['a', 'b'], accuracy: 0.6, split: undefined });
    expect(parseBlend({ models: ['a', 3], metrics: { single: { accuracy: 0.6 } } })).toBeNull();
    expect(parseBlend({ models: ['a', 'b'], metrics: { single: { accuracy: 6 } } })).toBeNull();
    expect(parseBlend('<!doctype html>')).toBeNull();
  });

  it('reads metrics.flip.accuracy (how the app runs models), else metrics.single.accuracy', () => {
    expect(measuredAccuracy({ metrics: { split: 'PublicTest', single: { accuracy: 0.6 } } })).toEqual({ accuracy: 0.6, split: 'PublicTest' });
    expect(measuredAccuracy({ metrics: { single: { accuracy: 0.6 }, flip: { accuracy: 0.62 } } })).toEqual({ accuracy: 0.62, split: undefined });
    expect(measuredAccuracy({ metrics: { single: { accuracy: 60 } } })).toEqual({});
    expect(measuredAccuracy({})).toEqual({});
  });
});

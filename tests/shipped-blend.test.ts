/**
 * models/blend.json (the measured accuracy of the picker's "both" choice, written by the factory's
 * `evaluate --ship-blend`) must describe the models actually shipped: re-exporting one of them
 * without re-measuring the blend would leave the picker showing a stale number.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBlend } from '../src/app/modelCatalog';

const blend = JSON.parse(readFileSync(join('models', 'blend.json'), 'utf8')) as { models: string[]; weightsSha256: Record<string, string> };

describe('models/blend.json', () => {
  it('is what the app reads for "both": the fast and the accurate model, with an accuracy', () => {
    expect(parseBlend(blend)).toMatchObject({ models: ['mini-xception', 'attention'], split: 'PublicTest' });
  });

  it.each(blend.models)('was measured on the shipped weights of %s', (name) => {
    const shipped = createHash('sha256').update(readFileSync(join('models', name, 'weights.bin'))).digest('hex');
    expect(blend.weightsSha256[name]).toBe(shipped);
  });
});

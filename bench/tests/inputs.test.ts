/** The benchmark's inputs: FER2013 reading, fidelity frames, option parsing. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readPublicTest } from '../accuracy/fer2013';
import { matchFace } from '../accuracy/fidelity';
import { FRAME_HEIGHT, FRAME_WIDTH, placeFace } from '../accuracy/fidelity-frames';
import { parseOptions, UsageError } from '../lib/args';
import { encodeBmp } from '../lib/bmp';
import { linkName, parseLink } from '../lib/browser';
import { sample, seededRandom } from '../lib/random';

const dir = mkdtempSync(join(tmpdir(), 'moodlens-bench-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pixels = (value: number) => Array.from({ length: 2304 }, (_, i) => (value + i) % 256).join(' ');

describe('readPublicTest', () => {
  it('keeps the PublicTest rows and marks pixel copies of Training rows', async () => {
    const csv = ['emotion,pixels,Usage', `3,${pixels(1)},Training`, `0,${pixels(1)},PublicTest`, `6,${pixels(2)},PublicTest`, `2,${pixels(3)},PrivateTest`].join('\n');
    const path = join(dir, 'fer.csv.gz');
    writeFileSync(path, gzipSync(csv));
    const { faces, trainingRows } = await readPublicTest(path);
    expect(trainingRows).toBe(1);
    expect(faces.map((f) => [f.row, f.label, f.inTraining])).toEqual([
      [1, 0, true],
      [2, 6, false],
    ]);
    expect(faces[1].pixels[0]).toBe(2);
  });

  it('explains a missing file and a wrong header', async () => {
    await expect(readPublicTest(join(dir, 'nope.csv'))).rejects.toThrow(/not found .*--data/);
    const path = join(dir, 'bad.csv');
    writeFileSync(path, 'label,image\n');
    await expect(readPublicTest(path)).rejects.toThrow(/expected the header "emotion,pixels,Usage"/);
  });
});

describe('fidelity frames', () => {
  const face = Uint8Array.from({ length: 2304 }, (_, i) => (i * 7) % 256);

  it('are the same for the same seed and put the face where they say', () => {
    const a = placeFace(face, seededRandom(5));
    const b = placeFace(face, seededRandom(5));
    expect(a.face).toEqual(b.face);
    expect(Buffer.from(a.rgb).equals(Buffer.from(b.rgb))).toBe(true);
    const { x, y, side } = a.face;
    expect(side).toBeGreaterThanOrEqual(160);
    expect(x + side).toBeLessThanOrEqual(FRAME_WIDTH);
    expect(y + side).toBeLessThanOrEqual(FRAME_HEIGHT);
    // Grey inside the face square (R = G = B), its top-left pixel from the face's top-left pixel.
    const at = (y * FRAME_WIDTH + x) * 3;
    expect([a.rgb[at], a.rgb[at + 1], a.rgb[at + 2]]).toEqual([face[0], face[0], face[0]]);
  });

  it('match the detection centred on the face, preferring the best overlap', () => {
    const placed = { x: 100, y: 100, side: 200 };
    const probabilities = [1, 0, 0, 0, 0, 0, 0];
    const tight = { box: { x: 120, y: 120, width: 160, height: 160 }, probabilities };
    const huge = { box: { x: 0, y: 0, width: 500, height: 450 }, probabilities };
    const elsewhere = { box: { x: 400, y: 300, width: 100, height: 100 }, probabilities };
    expect(matchFace([huge, elsewhere, tight], placed)).toBe(tight);
    expect(matchFace([elsewhere], placed)).toBeUndefined();
  });

  it('pick a fixed subset per seed', () => {
    const first = sample(100, 10, seededRandom(1));
    expect(sample(100, 10, seededRandom(1))).toEqual(first);
    expect(new Set(first).size).toBe(10);
    expect(sample(3, 10, seededRandom(1)).sort()).toEqual([0, 1, 2]);
  });

  it('encode as BMP with the right size', () => {
    const bmp = encodeBmp(new Uint8Array(2 * 2 * 3), 2, 2);
    expect(bmp.subarray(0, 2).toString('latin1')).toBe('BM');
    expect(bmp.readUInt32LE(2)).toBe(bmp.length);
    expect(bmp.length).toBe(54 + 8 * 2); // rows padded to 4 bytes
  });
});

describe('options', () => {
  const spec = { reps: { type: 'number', default: 30, min: 1, integer: true, help: 'rounds' }, out: { type: 'string', default: 'x', help: 'folder' } } as const;

  it('reads values and defaults', () => {
    expect(parseOptions(['--reps', '5'], spec, 'cmd')).toMatchObject({ reps: 5, out: 'x', help: false });
  });

  it('refuses bad numbers and unknown options with a clear message', () => {
    expect(() => parseOptions(['--reps', '0'], spec, 'cmd')).toThrow(/--reps must be a whole number >= 1, got "0"/);
    expect(() => parseOptions(['--reps', 'many'], spec, 'cmd')).toThrow(UsageError);
    expect(() => parseOptions(['--nope'], spec, 'cmd')).toThrow(/usage: cmd/);
  });
});

describe('parseLink (--network)', () => {
  it('reads Mbit/s and round-trip ms, or none', () => {
    expect(parseLink('10/40')).toEqual({ mbps: 10, rttMs: 40 });
    expect(linkName(parseLink('1.6/150')!)).toBe('1.6 Mbit/s, 150 ms round trip');
    expect(parseLink('none')).toBeNull();
  });

  it('refuses anything else with the expected form', () => {
    for (const bad of ['fast', '10', '0/40', '10/-1', '10/40/1', '']) expect(() => parseLink(bad)).toThrow(/e\.g\. 10\/40/);
  });
});

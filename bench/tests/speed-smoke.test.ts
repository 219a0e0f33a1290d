/**
 * `npm run bench` for real, but short (1 warm-up + 1 timed round, 1 cold start): the JSON must hold every pipeline
 * with numbers. No timing assertions: this checks the harness, not the machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPipelines } from '../lib/pipelines';
import type { SpeedResults } from '../speed/types';

const out = mkdtempSync(join(tmpdir(), 'moodlens-bench-'));
let results: SpeedResults;
let markdown: string;

// Bounds only catch a hang: on a busy 2-core machine, beside the rest of `npm test`, the short run
// took more than the two minutes it takes alone.
const RUN_BOUND_MS = 15 * 60_000;

beforeAll(() => {
  execFileSync(process.execPath, ['bench/run.mjs', 'speed', '--reps', '1', '--warmup', '1', '--cold-runs', '1', '--backends', 'wasm', '--out', out], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: RUN_BOUND_MS,
  });
  results = JSON.parse(readFileSync(join(out, 'speed.json'), 'utf8')) as SpeedResults;
  markdown = readFileSync(join(out, 'speed.md'), 'utf8');
}, RUN_BOUND_MS + 10_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const positive = (value: number) => Number.isFinite(value) && value > 0;

describe('npm run bench (short run)', () => {
  it('records the machine, browser and backend', () => {
    expect(results.kind).toBe('moodlens-speed');
    expect(results.machine.cpus).toBeGreaterThan(0);
    expect(results.browser).toMatch(/Chromium/);
    expect(results.backends.map((b) => b.backend)).toEqual(['wasm']);
    expect(results.backends[0].environment.userAgent).toMatch(/Chrome/);
  });

  it('measures every pipeline, with numbers', () => {
    const pipelines = results.backends[0].pipelines;
    expect(pipelines.map((p) => p.id)).toEqual(defaultPipelines().map((p) => p.id));
    for (const p of pipelines) {
      expect(p.frames.map((f) => f.file)).toEqual(results.frames.map((f) => f.file));
      for (const frame of p.frames) {
        expect(frame.total.n).toBe(1);
        expect(positive(frame.total.median)).toBe(true);
        expect(Object.keys(frame.stages).length).toBeGreaterThan(1);
        for (const stage of Object.values(frame.stages)) expect(Number.isFinite(stage.median)).toBe(true);
        expect(frame.facesFound.max).toBeGreaterThan(0);
      }
      expect(positive(p.coldStart.firstResultMs) && p.coldStart.firstResultMs >= p.coldStart.readyMs).toBe(true);
      if (p.library === 'moodlens') {
        // Its cold start, split by stage: each stage done after the code loaded, all by "ready".
        const stages = p.coldStart.stages!;
        expect(Object.keys(stages)).toEqual(['code', 'faceDetector', 'backend', 'models', 'warmUp', 'total']);
        for (const ms of Object.values(stages)) expect(ms).toBeGreaterThanOrEqual(stages.code);
        expect(stages.total).toBeLessThanOrEqual(p.coldStart.readyMs + 1);
      }
      expect(positive(p.bytes.models)).toBe(true);
      // Gzipped as a host sends it: less than the raw files, and a repeat visit was measured.
      expect(positive(p.bytes.gzipped!) && p.bytes.gzipped! < p.bytes.models + p.bytes.wasm + p.bytes.js).toBe(true);
      expect(positive(p.coldStart.repeatMs!)).toBe(true);
      // Both visits again over the default emulated link.
      expect(p.coldStart.overLink!.link).toBe('10 Mbit/s, 40 ms round trip');
      expect(positive(p.coldStart.overLink!.firstResultMs) && positive(p.coldStart.overLink!.repeatMs)).toBe(true);
      expect(positive(p.classifierOnly.batch1.median) && positive(p.classifierOnly.batch10.median)).toBe(true);
      expect(p.selfCheck.ok, `${p.id}: ${p.selfCheck.detail}`).toBe(true);
      expect(p.tensorsPerFrame, `${p.id} keeps tensors`).toBe(0);
    }
  });

  it('compares each of our pipelines with each peer', () => {
    const { ratios, pipelines } = results.backends[0];
    const ours = pipelines.filter((p) => p.library === 'moodlens').length;
    expect(ratios.length).toBe(ours * 2 * (results.frames.length + 2));
    for (const r of ratios) expect(positive(r.ratio)).toBe(true);
  });

  it('fetches nothing from outside its own origin', () => {
    expect(results.externalRequests).toEqual([]);
  });

  it('writes the markdown table', () => {
    for (const p of results.backends[0].pipelines) expect(markdown).toContain(`| ${p.id} |`);
    expect(markdown).toContain('Backend: wasm');
  });
});

/** Smoke test of `npm run bench:models` (a few runs of one small model): it runs in the browser
 * and writes speed.json in the shape the app and the factory read. No timing is asserted. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { RANDOM_MODELS } from './fixtures/paths';

test('bench:models measures a model in headless Chromium and writes speed.json', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'moodlens-bench-')), 'speed.json');
  try {
    const args = ['scripts/bench-models.mjs', '--models-dir', RANDOM_MODELS, '--models', 'mini-xception,deep-emotion'];
    const { stdout } = await promisify(execFile)('node', [...args, '--runs', '3', '--warmup', '1', '--allow-few-runs', '--out', out]);
    expect(stdout).toMatch(/^mini-xception\s+mini-xception\s+[\d.]+\s+[\d.]+\s+3$/m);

    const speed = JSON.parse(readFileSync(out, 'utf8'));
    expect(speed.backend).toBe('wasm');
    expect(speed.machine).toMatchObject({ cpus: expect.any(Number), platform: expect.any(String), userAgent: expect.stringContaining('Chrome') });
    expect(Object.keys(speed.models)).toEqual(['mini-xception', 'deep-emotion']);
    for (const entry of Object.values(speed.models) as Record<string, unknown>[]) {
      expect(entry).toMatchObject({ msPerFace: expect.any(Number), msPerFaceBatch8: expect.any(Number), runs: 3 });
      expect(entry.msPerFace as number).toBeGreaterThan(0);
    }
  } finally {
    rmSync(join(out, '..'), { recursive: true, force: true });
  }
});

test('bench:models refuses too few runs for a real measurement', async () => {
  const failure = promisify(execFile)('node', ['scripts/bench-models.mjs', '--runs', '5']);
  await expect(failure).rejects.toMatchObject({ stderr: expect.stringContaining('--runs must be at least 30') });
});

test('bench:start measures the built app: a first visit, then a repeat visit served by its service worker', async () => {
  test.setTimeout(240_000);
  const out = mkdtempSync(join(tmpdir(), 'moodlens-start-'));
  try {
    await promisify(execFile)('node', ['bench/run.mjs', 'start', '--runs', '1', '--network', 'none', '--out', out]);
    const start = JSON.parse(readFileSync(join(out, 'start.json'), 'utf8'));
    expect(start).toMatchObject({ kind: 'moodlens-start', link: 'none (local server)', backend: 'wasm' });
    expect(start.runs).toHaveLength(1);
    const [run] = start.runs;
    // The first visit downloads the models; the repeat visit (checked to be the service worker's) needs nothing sent.
    expect(run.first.firstFrameMs).toBeGreaterThan(0);
    expect(run.first.bytes).toBeGreaterThan(run.first.gzipped);
    expect(run.repeat.firstFrameMs).toBeGreaterThan(0);
    expect(run.repeat.bytes).toBe(0);
    expect(readFileSync(join(out, 'start.md'), 'utf8')).toContain('| 1 |');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

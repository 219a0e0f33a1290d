#!/usr/bin/env node
// What reading the faces' pixels costs (src/lib/frame.ts, the figures in docs/benchmarks.md): ten
// 190-px regions of a 1024 x 768 frame in headless Chromium, read with getImageData() into fresh
// arrays (as before 2026-12-03), with getImageData() into reused luma, and copied out of a
// VideoFrame into reused buffers; and one region's luma into a fresh or a reused array. Medians;
// run on a quiet machine.
//
//   node scripts/measure-regions.mjs
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openProbePage } from './lib/probe-page.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { page, close } = await openProbePage(repo, 'scripts/regions-probe/index.html', 'measureRegions');
try {
  const results = await page.evaluate(() => window.measureRegions());
  for (const [what, ms] of Object.entries(results)) console.log(`${what.padEnd(56)} ${ms.toFixed(2)} ms`);
} finally {
  await close();
}

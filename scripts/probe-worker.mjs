#!/usr/bin/env node
// Issue #20's Web Worker question, measured: the same pipeline (mini-xception, wasm, video mode) on
// the page's main thread or in a module worker (frames handed over as ImageBitmaps), on the bench's
// frames. Per mode and run, in a fresh headless Chromium: when the detector was ready and the first
// result came (ms from navigation, served by Vite's dev server, so both include its overhead), the
// median latency per frame as the page sees it, and the page's long tasks (> 50 ms) while loading
// and per minute while running. Run on a quiet machine; needs the bench frames (`npm run bench` once).
//
//   node scripts/probe-worker.mjs [--runs 3] [--rounds 30]
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { startDevServer } from './lib/dev-server.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, rounds: { type: 'string', default: '30' } } });
const framesDir = join(repo, 'node_modules/.cache/moodlens-bench/frames');
const frames = ['1-face.png', '3-faces.png', '10-faces.png'].map((f) => join(framesDir, f));
if (!frames.every(existsSync)) throw new Error(`no bench frames in ${framesDir}: run \`npm run bench\` once`);

const { server, url } = await startDevServer(repo, 'scripts/worker-probe/index.html');
const rows = [];
try {
  for (let run = 0; run < Number(values.runs); run++) {
    for (const mode of run % 2 ? ['worker', 'main'] : ['main', 'worker']) {
      const browser = await chromium.launch(existsSync('/usr/bin/chromium') ? { executablePath: '/usr/bin/chromium' } : {});
      try {
        const page = await browser.newPage();
        page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
        await page.goto(`${url}/scripts/worker-probe/index.html?mode=${mode}&rounds=${values.rounds}&frames=${frames.join(',')}`);
        await page.waitForFunction(() => window.probeWorker !== undefined, undefined, { timeout: 300_000, polling: 500 });
        const r = await page.evaluate(() => window.probeWorker);
        rows.push({ mode, ...r });
        const ms = (v) => `${Math.round(v)} ms`;
        console.log(
          `${mode.padEnd(6)} ready ${ms(r.ready)}, first result ${ms(r.firstResult)}; per frame ` +
            Object.entries(r.medians).map(([f, v]) => `${f} ${v.toFixed(1)} ms (${r.faces[f]} faces)`).join(', ') +
            `; long tasks: ${r.loading.count} while loading (longest ${ms(r.loading.longest)}), ` +
            `${(r.running.count / (r.running.seconds / 60)).toFixed(1)} per minute running (longest ${ms(r.running.longest)})`,
        );
      } finally {
        await browser.close();
      }
    }
  }
} finally {
  await server.close();
}

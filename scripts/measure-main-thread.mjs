#!/usr/bin/env node
// How busy the webcam view keeps the page's main thread: the built app (dist/, `npm run build`)
// in headless Chromium with a fake camera, `--seconds` of live analysis, and every long task
// (> 50 ms, the browser's own PerformanceObserver 'longtask' entries) counted per minute, with the
// blocking time beyond 50 ms and the frames analysed. The figures behind docs/benchmarks.md's
// "Main thread" section; run it on a quiet machine.
//
//   node scripts/measure-main-thread.mjs [--seconds 60] [--backend wasm]
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { preview } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, backend: { type: 'string', default: 'wasm' } } });
const seconds = Number(values.seconds);
const camera = join(root, 'e2e/fixtures/generated/face.y4m');
if (!existsSync(join(root, 'dist/index.html'))) throw new Error('no dist/: run `npm run build` first');
if (!existsSync(camera)) throw new Error('no fake camera clip: run `npm run fixtures` (or `npm test` once) first');

const server = await preview({ root, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0 } });
const address = server.httpServer.address();
const browser = await chromium.launch({
  ...(existsSync('/usr/bin/chromium') ? { executablePath: '/usr/bin/chromium' } : {}),
  args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${camera}`],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`http://127.0.0.1:${address.port}/?backend=${values.backend}&debug`);
  await page.getByTestId('start-camera').click();
  await page.locator('[data-testid="webcam-stage"][data-phase="running"]').waitFor({ timeout: 180_000 });
  const start = await page.evaluate(() => ({ at: performance.now(), frames: window.__moodlens?.frames ?? 0 }));
  const startup = await page.evaluate(() => window.__longTasks.slice());
  await page.waitForTimeout(seconds * 1000);
  const end = await page.evaluate(() => ({ at: performance.now(), frames: window.__moodlens?.frames ?? 0, tasks: window.__longTasks.slice() }));
  const live = end.tasks.filter((t) => t.start >= start.at);
  const minutes = (end.at - start.at) / 60_000;
  const blocking = live.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0);
  const report = {
    seconds: Math.round((end.at - start.at) / 1000),
    framesPerSecond: Number(((end.frames - start.frames) / ((end.at - start.at) / 1000)).toFixed(1)),
    longTasksPerMinute: Number((live.length / minutes).toFixed(1)),
    blockingMsPerMinute: Math.round(blocking / minutes),
    longestMs: Math.round(Math.max(0, ...live.map((t) => t.duration))),
    startupLongTasks: startup.length,
    startupLongestMs: Math.round(Math.max(0, ...startup.map((t) => t.duration))),
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  await browser.close();
  await server.close();
}

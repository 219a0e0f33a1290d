/**
 * `npm run bench:start`: how fast the app itself (dist/, with its service worker) starts, first
 * visit and repeat visit, over an emulated network link. The built app in headless Chromium with a
 * fake camera; each run in a fresh browser profile:
 *
 * 1. First visit: navigation, "Start camera" clicked as soon as it shows, until the first analysed
 *    frame (the bytes downloaded until then from the server's log).
 * 2. The service worker installs and caches the app ("works offline" shows).
 * 3. Repeat visit: the tab closed, the app opened again the same way.
 *
 * The server sends every file gzipped, with revalidation, as a static host does. `npm run bench`
 * measures the same starts for the bench pages, where no library has a service worker.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ALLOW_CAMERA, FAKE_CAMERA, launchOptions } from '../../e2e/browser';
import { FIXTURES } from '../../e2e/fixtures/paths';
import { parseOptions, usage, UsageError } from '../lib/args';
import { chromium, type BrowserContext } from '@playwright/test';
import { emulateLink, linkName, parseLink, type Link } from '../lib/browser';
import { machine, type Machine } from '../lib/machine';
import { ms, table } from '../lib/markdown';
import { RESULTS_DIR, REPO } from '../lib/paths';
import { progressLog, writeResults } from '../lib/results';
import { classify, startServer, type BenchServer } from '../lib/server';
import { median, round } from '../lib/stats';

const OPTIONS = {
  runs: { type: 'number', default: 3, min: 1, integer: true, help: 'first + repeat visits, each in a fresh browser profile' },
  network: { type: 'string', default: '10/40', help: "the emulated link, Mbit/s/round-trip ms (10/40: Lighthouse's desktop profile); none: local" },
  backend: { type: 'string', default: 'wasm', help: 'the TF.js backend the app is asked for (?backend=)' },
  out: { type: 'string', default: RESULTS_DIR, help: 'folder for start.json and start.md' },
} as const;

const DIST = join(REPO, 'dist');
const LOAD_TIMEOUT_MS = 180_000;
const progress = progressLog('bench:start');

interface Visit {
  /** ms from navigation to the first analysed frame. */
  firstFrameMs: number;
  /** Bytes the server sent until then, and gzipped (what went over the link). */
  bytes: number;
  gzipped: number;
}

export interface StartResults {
  kind: 'moodlens-start';
  date: string;
  machine: Machine;
  browser: string;
  link: string;
  backend: string;
  runs: { first: Visit; repeat: Visit; offlineReadyMs: number }[];
  /** Medians over the runs. */
  firstMs: number;
  repeatMs: number;
}

/** One visit in `context`'s tab: the app, the camera started, the first analysed frame. */
async function visit(context: BrowserContext, server: BenchServer, url: string, link: Link | null) {
  const page = await context.newPage();
  if (link) await emulateLink(context, page, link);
  server.takeLog();
  await page.goto(url);
  await page.getByTestId('start-camera').click({ timeout: LOAD_TIMEOUT_MS });
  const at = await page.waitForFunction(() => (((window as unknown as { __moodlens?: { frames: number } }).__moodlens?.frames ?? 0) > 0 ? performance.now() : false), null, {
    polling: 'raf',
    timeout: LOAD_TIMEOUT_MS,
  });
  const served = classify(server.takeLog());
  const result: Visit = { firstFrameMs: round(Number(await at.jsonValue())), bytes: served.models + served.wasm + served.js + served.other, gzipped: served.gzipped };
  return { page, visit: result };
}

function markdown(results: StartResults): string {
  const m = results.machine;
  return [
    '# Start: the app, first visit and repeat visit',
    '',
    `Measured ${results.date.slice(0, 16).replace('T', ' ')} UTC with \`npm run bench:start\` on ${m.cpuModel}, ${m.cpus} CPUs, ` +
      `load average ${m.loadAverage} at the start; ${results.browser}; backend ${results.backend}; link: ${results.link}, every file gzipped.`,
    '',
    'The built app with a fake camera, each run in a fresh browser profile: navigation, "Start camera" clicked as soon as it ' +
      'shows, until the first analysed frame. Between the visits the service worker caches the app (*offline ready*, ms after ' +
      'the first visit\'s first frame); the repeat visit is served by it.',
    '',
    table(
      ['run', 'first visit', 'sent until its first frame (gzip)', 'offline ready', 'repeat visit', 'repeat / first'],
      results.runs.map((r, i) => [
        String(i + 1),
        ms(r.first.firstFrameMs, 0),
        `${(r.first.gzipped / 1e6).toFixed(2)} MB`,
        ms(r.offlineReadyMs, 0),
        ms(r.repeat.firstFrameMs, 0),
        `${Math.round((100 * r.repeat.firstFrameMs) / r.first.firstFrameMs)}%`,
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    `Median: first visit ${ms(results.firstMs, 0)}, repeat visit ${ms(results.repeatMs, 0)} (${Math.round((100 * results.repeatMs) / results.firstMs)}%).`,
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv, OPTIONS, 'npm run bench:start --');
  if (options.help) {
    console.log(usage('npm run bench:start --', OPTIONS));
    return;
  }
  const link = parseLink(options.network);
  if (!existsSync(join(DIST, 'sw.js'))) throw new UsageError('no built app with a service worker in dist/: run `npm run build` first');
  if (!existsSync(FIXTURES.video)) throw new UsageError(`no fake camera clip (${FIXTURES.video}): run the e2e tests once or e2e/fixtures/make-fixtures.py`);

  const startMachine = machine();
  const server = await startServer({ '/': DIST });
  server.compress = true;
  const browser = await chromium.launch(launchOptions([ALLOW_CAMERA, ...FAKE_CAMERA]));
  const browserName = `Chromium ${browser.version()} (headless)`;
  const url = `${server.origin}/?backend=${encodeURIComponent(options.backend)}&debug`;
  const runs: StartResults['runs'] = [];
  try {
    for (let run = 0; run < options.runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'allow' });
      try {
        const first = await visit(context, server, url, link);
        const ready = await first.page.waitForFunction(
          () => (document.querySelector('[data-testid="offline-ready"]') ? performance.now() : false),
          null,
          { polling: 250, timeout: LOAD_TIMEOUT_MS },
        );
        const offlineReadyMs = round(Number(await ready.jsonValue()) - first.visit.firstFrameMs);
        await first.page.close();
        const repeat = await visit(context, server, url, link);
        if (!(await repeat.page.evaluate(() => navigator.serviceWorker.controller !== null))) throw new Error('the repeat visit was not served by the service worker');
        runs.push({ first: first.visit, repeat: repeat.visit, offlineReadyMs });
        progress(`run ${run + 1}/${options.runs}: first visit ${first.visit.firstFrameMs} ms, repeat ${repeat.visit.firstFrameMs} ms`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const results: StartResults = {
    kind: 'moodlens-start',
    date: new Date().toISOString(),
    machine: startMachine,
    browser: browserName,
    link: link ? linkName(link) : 'none (local server)',
    backend: options.backend,
    runs,
    firstMs: round(median(runs.map((r) => r.first.firstFrameMs))),
    repeatMs: round(median(runs.map((r) => r.repeat.firstFrameMs))),
  };
  const written = writeResults(options.out, 'start', results, markdown(results));
  progress(`wrote ${written} and start.md`);
}

#!/usr/bin/env node
// `npm run bench:models`: how long each emotion model in models/ takes per face in a real browser
// (headless Chromium), classifier alone (predict + reading the probabilities back), for one face and
// for a batch of 8, warm-up excluded, median of --runs calls. Always on the wasm backend; also on
// WebGL when the browser has a hardware GPU (software GL says nothing about real devices).
// Writes models/speed.json (read by the app's model picker and factory/report.py) and prints a table.
//
//   node scripts/bench-models.mjs [--runs 40] [--warmup 5] [--models a,b] [--models-dir models]
//                                 [--out models/speed.json] [--no-webgl]
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { startDevServer } from './lib/dev-server.mjs';
import { formatTable, summariseModels } from './lib/bench-stats.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const BATCH_SIZES = [1, 8];
const MIN_RUNS = 30;
// Keep the browser from doing anything in the background while we time.
const QUIET_BROWSER = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-domain-reliability',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--no-first-run',
  '--no-default-browser-check',
];

function options() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '40' },
      warmup: { type: 'string', default: '5' },
      models: { type: 'string' },
      'models-dir': { type: 'string', default: 'models' },
      out: { type: 'string' },
      'no-webgl': { type: 'boolean', default: false },
      'allow-few-runs': { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  const warmup = Number(values.warmup);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number >= 1, got ${values.runs}`);
  // A median of a handful of calls is noise; smoke tests ask for it explicitly.
  if (runs < MIN_RUNS && !values['allow-few-runs']) throw new Error(`--runs must be at least ${MIN_RUNS} (or pass --allow-few-runs for a smoke test)`);
  if (!Number.isInteger(warmup) || warmup < 0) throw new Error(`--warmup must be a whole number >= 0, got ${values.warmup}`);
  const modelsDir = resolve(repoRoot, values['models-dir']);
  return {
    runs,
    warmup,
    modelsDir,
    models: values.models ? values.models.split(',').filter(Boolean) : listModels(modelsDir),
    out: resolve(repoRoot, values.out ?? join(modelsDir, 'speed.json')),
    webgl: !values['no-webgl'],
  };
}

/** Every folder of `dir` holding a model (model.json and metadata.json). @param {string} dir */
function listModels(dir) {
  if (!existsSync(dir)) throw new Error(`${dir} does not exist`);
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && ['model.json', 'metadata.json'].every((f) => existsSync(join(dir, entry.name, f))))
    .map((entry) => entry.name)
    .sort();
  if (names.length === 0) throw new Error(`no model folders (model.json + metadata.json) in ${dir}`);
  return names;
}

/** The URL under which the dev server serves a folder of the file system. @param {string} dir */
function servedAt(dir) {
  const inside = relative(repoRoot, dir);
  const path = inside.startsWith('..') || isAbsolute(inside) ? `/@fs${dir}` : `/${inside.split('\\').join('/')}`;
  return `${path.replace(/\/$/, '')}/`;
}

/** A Vite dev server for the benchmark page only: the app's own loader and classifier, compiled on
 * the fly, and the models and wasm binaries served straight from the repository. */
function startServer() {
  return startDevServer(repoRoot, 'scripts/bench/index.html');
}

/** @param {import('@playwright/test').Browser} browser @param {string} url @param {object} request */
async function runInPage(browser, url, request) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(`${url}/scripts/bench/index.html`);
    await page.waitForFunction(() => window.moodlensBench !== undefined, undefined, { timeout: 120_000 });
    const gpu = await page.evaluate(() => window.moodlensBench.gpu());
    const report = request ? await page.evaluate((r) => window.moodlensBench.run(r), request) : null;
    return { gpu, report };
  } catch (error) {
    const detail = errors.length ? `\npage errors: ${errors.join('; ')}` : '';
    throw new Error(`${error instanceof Error ? error.message : error}${detail}`, { cause: error });
  } finally {
    await page.close();
  }
}

async function main() {
  const settings = options();
  const { server, url } = await startServer();
  const browser = await chromium.launch({
    args: QUIET_BROWSER,
    ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
  });
  try {
    const common = {
      modelsBase: servedAt(settings.modelsDir),
      wasmPath: servedAt(join(repoRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')),
      models: settings.models,
      batchSizes: BATCH_SIZES,
      warmup: settings.warmup,
      runs: settings.runs,
    };
    console.log(`timing ${settings.models.join(', ')}: ${settings.warmup} warm-up + ${settings.runs} runs per batch size (${BATCH_SIZES.join(', ')})`);
    // Each backend in a fresh page, so neither inherits the other's state.
    const { gpu, report: wasm } = await runInPage(browser, url, { ...common, backend: 'wasm' });
    const webgl = settings.webgl && gpu.hardware ? (await runInPage(browser, url, { ...common, backend: 'webgl' })).report : null;
    for (const report of [wasm, webgl]) {
      if (report && report.leakedTensors !== 0) console.warn(`warning: ${report.leakedTensors} tensors left behind on ${report.backend}`);
    }

    const speed = {
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? null,
        platform: `${platform()} ${release()}`,
        // Other work on the machine slows the runs: the 1-minute load average when they started.
        loadAverage: Math.round(loadavg()[0] * 100) / 100,
        userAgent: wasm.userAgent,
        gpu: gpu.renderer,
        hardwareGpu: gpu.hardware,
      },
      backend: 'wasm',
      wasm: wasm.wasm,
      batchSizes: BATCH_SIZES,
      warmup: settings.warmup,
      models: summariseModels(wasm.models, 8),
      ...(webgl ? { webgl: { models: summariseModels(webgl.models, 8) } } : {}),
    };
    mkdirSync(dirname(settings.out), { recursive: true });
    writeFileSync(settings.out, `${JSON.stringify(speed, null, 1)}\n`);

    console.log(`\n${formatTable(speed.models, `wasm backend (SIMD ${wasm.wasm?.simd ? 'on' : 'off'}, threads ${wasm.wasm?.threads ? 'on' : 'off'})`)}`);
    if (speed.webgl) console.log(`\n${formatTable(speed.webgl.models, `webgl backend (${gpu.renderer})`)}`);
    else console.log(`\nwebgl: not measured (${!settings.webgl ? '--no-webgl' : `no hardware GPU: ${gpu.renderer ?? 'no WebGL'}`})`);
    console.log(`\n${speed.machine.cpus} CPUs, load average ${speed.machine.loadAverage}; wrote ${relative(process.cwd(), settings.out)}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error) => {
  console.error(`bench:models: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});

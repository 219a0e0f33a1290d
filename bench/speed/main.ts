/**
 * `npm run bench`: the same frames through every pipeline (ours per shipped model, face-api,
 * Human) in one headless Chromium, on the same TF.js backend, alternating pipeline by pipeline
 * and frame by frame so that background load hits all of them alike.
 *
 * 1. Cold start: each pipeline in a fresh browser context (empty cache), from navigation to its
 *    first drawn result; the server's log gives the bytes it downloaded. Then a repeat visit;
 *    both again over an emulated network link (`--network`).
 * 2. Per frame: one page per pipeline, `warmup` untimed rounds, then `reps` timed rounds.
 * 3. Classifier only: each emotion network on ready-made inputs, batch 1 and 10.
 */
import { list, parseOptions, usage, UsageError } from '../lib/args';
import { launchBrowser, linkName, newContext, openBenchPage, pageUrl, parseLink, type Browser, type BrowserContext, type ColdStart, type Link, type Page } from '../lib/browser';
import { machine } from '../lib/machine';
import { progressLog, writeResults } from '../lib/results';
import { startBenchServer } from '../lib/mounts';
import { RESULTS_DIR } from '../lib/paths';
import { selectPipelines, type PipelineSpec } from '../lib/pipelines';
import { rotate } from '../lib/rotate';
import { ensureAssets, ensureFrames, ensurePages, type FrameInfo } from '../lib/prepare';
import { classify, type BenchServer } from '../lib/server';
import { median, round, summarize, timed } from '../lib/stats';
import type { PageEnvironment } from '../pages/environment';
import type { FrameRun, SelfCheck } from '../pages/pipelines/types';
import { ratios } from './ratios';
import { speedMarkdown } from './report';
import type { BackendResult, PipelineResult, SpeedResults } from './types';

const OPTIONS = {
  reps: { type: 'number', default: 30, min: 1, integer: true, help: 'timed rounds per frame and pipeline' },
  warmup: { type: 'number', default: 5, min: 0, integer: true, help: 'untimed rounds first' },
  'cold-runs': { type: 'number', default: 3, min: 1, integer: true, help: 'cold starts per pipeline' },
  backends: { type: 'string', default: 'auto', help: "'auto' (wasm, plus webgl on a hardware GPU) or a list, e.g. wasm,webgl" },
  pipelines: { type: 'string', default: '', help: 'only these, e.g. moodlens,face-api (default: all)' },
  frames: { type: 'string', default: '', help: 'only these frame files, e.g. 1-face.png (default: all)' },
  network: {
    type: 'string',
    default: '10/40',
    help: 'also start each pipeline over this emulated link, Mbit/s/round-trip ms (10/40: Lighthouse\'s desktop profile); none: skip',
  },
  out: { type: 'string', default: RESULTS_DIR, help: 'folder for speed.json and speed.md' },
} as const;

const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software/i;

const progress = progressLog('bench');

interface Samples {
  runs: FrameRun[][]; // [frame][rep]
  classifier: Record<1 | 10, number[]>;
  tensorsBefore: number;
}

/** 'auto' or the checked list of backends asked for. */
function requestedBackends(value: string): 'auto' | string[] {
  if (value === 'auto') return 'auto';
  const backends = list(value);
  const bad = backends.filter((b) => b !== 'wasm' && b !== 'webgl' && b !== 'cpu');
  if (bad.length || backends.length === 0) throw new UsageError(`--backends: use auto or a list of wasm, webgl, cpu (got ${JSON.stringify(value)})`);
  return backends;
}

/** 'auto': wasm, plus webgl when the browser has a hardware GPU (software WebGL is not worth timing). */
async function detectBackends(browser: Browser, server: BenchServer, requested: 'auto' | string[], external: string[]): Promise<string[]> {
  if (requested !== 'auto') return requested;
  const context = await newContext(browser, server.origin, external);
  const page = await context.newPage();
  await page.goto(`${server.origin}/frames/frames.json`);
  const renderer = await page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl');
    if (!gl) return null;
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  });
  await context.close();
  return renderer !== null && !SOFTWARE_GL.test(renderer) ? ['wasm', 'webgl'] : ['wasm'];
}

async function coldStarts(
  browser: Browser,
  server: BenchServer,
  pipelines: readonly PipelineSpec[],
  backend: string,
  frame: string,
  runs: number,
  link: Link | null,
  external: string[],
) {
  const results = new Map<string, ColdRuns>(pipelines.map((p) => [p.id, { runs: [], repeats: [], overLink: [], repeatsOverLink: [] }]));
  /** A first visit in a fresh browser profile, then a repeat visit: the tab closed and opened
   * again, the browser's cache (revalidated) and compiled-code caches warm, as a static host with
   * default headers gives every library. */
  async function visits(url: string, over: Link | null) {
    const context = await newContext(browser, server.origin, external);
    server.takeLog();
    server.compress = over !== null; // over a network a host sends files gzipped
    try {
      const first = await openBenchPage(context, url, over);
      const bytes = classify(server.takeLog());
      await first.page.close();
      const repeat = await openBenchPage(context, url, over);
      return { first: first.cold, repeat: repeat.cold.firstResultMs, bytes };
    } finally {
      server.compress = false;
      await context.close();
    }
  }
  for (let run = 0; run < runs; run++) {
    for (const spec of rotate(pipelines, run)) {
      const url = pageUrl(server.origin, { pipeline: spec.page, backend, model: spec.model, frame });
      const local = await visits(url, null);
      const entry = results.get(spec.id)!;
      entry.runs.push(local.first);
      entry.repeats.push(local.repeat);
      entry.bytes ??= local.bytes;
      let line = `${backend} cold start ${run + 1}/${runs} ${spec.id}: first result at ${local.first.firstResultMs.toFixed(0)} ms, repeat ${local.repeat.toFixed(0)} ms`;
      if (link) {
        const remote = await visits(url, link);
        entry.overLink.push(remote.first.firstResultMs);
        entry.repeatsOverLink.push(remote.repeat);
        line += `; over ${linkName(link)}: ${remote.first.firstResultMs.toFixed(0)} ms, repeat ${remote.repeat.toFixed(0)} ms`;
      }
      progress(line);
    }
  }
  return results;
}

interface ColdRuns {
  runs: ColdStart[];
  /** First result of each repeat visit, ms from navigation. */
  repeats: number[];
  /** First result of the first and of the repeat visits over the emulated link. */
  overLink: number[];
  repeatsOverLink: number[];
  bytes?: ReturnType<typeof classify>;
}

/** Median over the cold starts of when each start-up stage was done (null: not reported). */
function coldStages(runs: readonly ColdStart[]): Record<string, number> | null {
  const reported = runs.map((r) => r.stages).filter((s): s is Record<string, number> => s !== null);
  if (reported.length === 0) return null;
  return Object.fromEntries(Object.keys(reported[0]).map((stage) => [stage, round(median(reported.map((s) => s[stage])))]));
}

function pipelineResult(
  spec: PipelineSpec,
  info: { library: string; version: string },
  cold: ColdRuns,
  link: Link | null,
  samples: Samples,
  frames: readonly FrameInfo[],
  tensorsAfter: number,
  check: SelfCheck,
): PipelineResult {
  const stageNames = Object.keys(samples.runs[0]?.[0]?.stages ?? {});
  const timedFrames = samples.runs.reduce((n, runs) => n + runs.length, 0);
  const perFace = (batch: 1 | 10) => timed(samples.classifier[batch].map((ms) => ms / batch));
  return {
    id: spec.id,
    library: info.library,
    version: info.version,
    coldStart: {
      runs: cold.runs.map((r) => ({ ...r, readyMs: round(r.readyMs), firstResultMs: round(r.firstResultMs), settledMs: round(r.settledMs), firstFrameMs: round(r.firstFrameMs) })),
      readyMs: round(median(cold.runs.map((r) => r.readyMs))),
      firstResultMs: round(median(cold.runs.map((r) => r.firstResultMs))),
      settledMs: round(median(cold.runs.map((r) => r.settledMs))),
      stages: coldStages(cold.runs),
      repeatMs: round(median(cold.repeats)),
      ...(link && { overLink: { link: linkName(link), firstResultMs: round(median(cold.overLink)), repeatMs: round(median(cold.repeatsOverLink)) } }),
    },
    bytes: { models: cold.bytes?.models ?? NaN, wasm: cold.bytes?.wasm ?? NaN, js: cold.bytes?.js ?? NaN, gzipped: cold.bytes?.gzipped ?? NaN },
    frames: frames.map((frame, f) => {
      const runs = samples.runs[f];
      const counts = runs.map((r) => r.faces.length);
      return {
        file: frame.file,
        expectedFaces: frame.faces,
        facesFound: { min: Math.min(...counts), max: Math.max(...counts) },
        total: timed(runs.map((r) => r.totalMs)),
        stages: Object.fromEntries(stageNames.map((stage) => [stage, summarize(runs.map((r) => r.stages[stage]))])),
      };
    }),
    classifierOnly: { batch1: perFace(1), batch10: perFace(10) },
    tensorsPerFrame: round((tensorsAfter - samples.tensorsBefore) / Math.max(1, timedFrames), 3),
    selfCheck: check,
  };
}

async function measureBackend(
  browser: Browser,
  server: BenchServer,
  pipelines: readonly PipelineSpec[],
  backend: string,
  frames: readonly FrameInfo[],
  settings: { reps: number; warmup: number; coldRuns: number; link: Link | null },
  external: string[],
): Promise<BackendResult> {
  const frameUrls = frames.map((f) => `/frames/${f.file}`);
  const cold = await coldStarts(browser, server, pipelines, backend, frameUrls[0], settings.coldRuns, settings.link, external);

  // One page per pipeline, all open at once, so that the rounds can alternate between them. Each
  // in its own context: pages of one context share a renderer process, and there the first
  // pipeline opened measured up to 1.5x slower at detection than the same code opened later.
  const contexts: BrowserContext[] = [];
  const pages = new Map<string, Page>();
  const infos = new Map<string, PageEnvironment & { library: string; version: string }>();
  const checks = new Map<string, SelfCheck>();
  for (const spec of pipelines) {
    const context = await newContext(browser, server.origin, external);
    contexts.push(context);
    const { page } = await openBenchPage(context, pageUrl(server.origin, { pipeline: spec.page, backend, model: spec.model }));
    await page.evaluate((urls) => window.__bench.loadFrames(urls), frameUrls);
    infos.set(spec.id, await page.evaluate(() => window.__bench.info()));
    const checkFrame = Math.max(0, frames.findIndex((f) => f.faces > 1));
    checks.set(spec.id, await page.evaluate((frame) => window.__bench.selfCheck(frame), checkFrame));
    pages.set(spec.id, page);
    const actual = infos.get(spec.id)!.backend;
    if (actual !== backend) throw new Error(`${spec.id} runs on ${actual}, not ${backend}`);
  }

  const samples = new Map<string, Samples>(
    pipelines.map((p) => [p.id, { runs: frames.map(() => []), classifier: { 1: [], 10: [] }, tensorsBefore: 0 }]),
  );
  const rounds = settings.warmup + settings.reps;
  for (let round = 0; round < rounds; round++) {
    if (round === settings.warmup) {
      for (const spec of pipelines) samples.get(spec.id)!.tensorsBefore = await pages.get(spec.id)!.evaluate(() => window.__bench.numTensors());
    }
    for (let f = 0; f < frames.length; f++) {
      for (const spec of rotate(pipelines, round + f)) {
        const run = await pages.get(spec.id)!.evaluate((frame) => window.__bench.run(frame, true), f);
        if (round >= settings.warmup) samples.get(spec.id)!.runs[f].push(run);
      }
    }
    if ((round + 1) % 5 === 0 || round + 1 === rounds) progress(`${backend} frames: round ${round + 1}/${rounds}`);
  }
  const tensorsAfter = new Map<string, number>();
  for (const spec of pipelines) tensorsAfter.set(spec.id, await pages.get(spec.id)!.evaluate(() => window.__bench.numTensors()));

  for (const batch of [1, 10] as const) {
    for (let round = 0; round < rounds; round++) {
      for (const spec of rotate(pipelines, round)) {
        const ms = await pages.get(spec.id)!.evaluate((size) => window.__bench.classifierOnly(size), batch);
        if (round >= settings.warmup) samples.get(spec.id)!.classifier[batch].push(ms);
      }
    }
    progress(`${backend} classifier only, batch ${batch}: done`);
  }
  for (const context of contexts) await context.close();

  const results = pipelines.map((spec) =>
    pipelineResult(spec, infos.get(spec.id)!, cold.get(spec.id)!, settings.link, samples.get(spec.id)!, frames, tensorsAfter.get(spec.id)!, checks.get(spec.id)!),
  );
  const { library: _library, version: _version, ...environment } = infos.get(pipelines[0].id)!;
  return { backend, environment: environment as PageEnvironment, pipelines: results, ratios: ratios(results) };
}

export async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv, OPTIONS, 'npm run bench --');
  if (options.help) {
    console.log(usage('npm run bench --', OPTIONS));
    return;
  }
  const started = performance.now();
  const link = parseLink(options.network);
  const pipelines = selectPipelines(list(options.pipelines));
  const requested = requestedBackends(options.backends);
  if (!pipelines.some((p) => p.page === 'moodlens')) throw new Error('no model of ours to measure: models/*/metadata.json not found');
  ensureAssets();
  const allFrames = ensureFrames();
  const wanted = list(options.frames);
  const frames = wanted.length ? allFrames.filter((f) => wanted.includes(f.file)) : allFrames;
  if (frames.length === 0) throw new UsageError(`--frames: none of ${wanted.join(', ')} exists; frames: ${allFrames.map((f) => f.file).join(', ')}`);
  await ensurePages();

  const settings = { reps: options.reps, warmup: options.warmup, coldRuns: options['cold-runs'], link };
  const startMachine = machine();
  const server = await startBenchServer();
  const browser = await launchBrowser();
  const external: string[] = [];
  try {
    const backends = await detectBackends(browser, server, requested, external);
    progress(`pipelines ${pipelines.map((p) => p.id).join(', ')}; backends ${backends.join(', ')}; frames ${frames.map((f) => f.file).join(', ')}`);
    const results: BackendResult[] = [];
    for (const backend of backends) results.push(await measureBackend(browser, server, pipelines, backend, frames, settings, external));

    const output: SpeedResults = {
      kind: 'moodlens-speed',
      date: new Date().toISOString(),
      durationSeconds: Math.round((performance.now() - started) / 1000),
      machine: startMachine,
      browser: `Chromium ${browser.version()} (headless)`,
      settings: { reps: settings.reps, warmup: settings.warmup, coldRuns: settings.coldRuns, backends, ...(link && { link: linkName(link) }) },
      frames,
      backends: results,
      externalRequests: [...new Set(external)],
      notes: [
        'Each pipeline runs in its own page on the same @tensorflow/tfjs 4.22.0 build (the peers as no-bundle builds) and the same backend.',
        'Rounds alternate between pipelines and frames (order rotated each round); warm-up rounds are not timed.',
        "moodlens' face detector is MediaPipe's BlazeFace (its own wasm, not TF.js); its emotion model runs on the TF.js backend.",
        "face-api: the steps of detectAllFaces().withFaceExpressions(), timed one by one (selfCheck compares them with the one call).",
        "Human: its stage times are its own performance counters (whole ms): 'image' = input to tensor, 'face' = detection + crops + emotion.",
        'Classifier only: the emotion network on ready inputs of its own size (ours 48x48 grey, face-api 112x112 RGB, Human 64x64 grey), ms per face.',
      ],
    };
    const written = writeResults(options.out, 'speed', output, speedMarkdown(output));
    progress(`wrote ${written} and speed.md in ${output.durationSeconds} s`);
  } finally {
    await browser.close();
    await server.close();
  }
}

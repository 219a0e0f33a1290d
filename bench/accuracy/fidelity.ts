/**
 * Pipeline fidelity, in headless Chromium: PublicTest faces placed in 640x480 frames go through
 * each full pipeline (detect -> crop/align -> classify) on the bench pages. Reports how often the
 * face is found and how often its emotion is right, next to the classifier alone on the same faces.
 */
import { launchBrowser, newContext, openBenchPage, pageUrl, type Page } from '../lib/browser';
import { startBenchServer } from '../lib/mounts';
import { encodeBmp } from '../lib/bmp';
import { type PipelineSpec } from '../lib/pipelines';
import { rotate } from '../lib/rotate';
import { ensureAssets, ensurePages } from '../lib/prepare';
import { seededRandom } from '../lib/random';
import { round } from '../lib/stats';
import type { FaceOut } from '../pages/pipelines/types';
import type { FerFace } from './fer2013';
import { FRAME_HEIGHT, FRAME_WIDTH, placeFace, type Placed } from './fidelity-frames';
import { argmax } from './metrics';
import { makeScene, matchFaces, SCENE_KINDS } from './scenes';

export interface FidelityResult {
  pipeline: string;
  faces: number;
  detected: number;
  detectionRate: number;
  /** Detections that are not the placed face. */
  extraDetections: number;
  /** Right emotion over all faces (a missed face counts as wrong). */
  pipelineAccuracy: number;
  /** Right emotion over the faces the pipeline found. */
  accuracyWhenDetected: number;
  /** The classifier alone (no flip) on the faces this pipeline found, from the Node evaluation:
   * the faces a detector misses are not a random sample (it misses more of the hard ones). */
  classifierOnFound: number | null;
}

function iou(a: { x: number; y: number; width: number; height: number }, b: typeof a): number {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  return (w * h) / (a.width * a.height + b.width * b.height - w * h);
}

/** The detection that is the placed face: its centre inside the face square, best overlap first. */
export function matchFace(faces: readonly FaceOut[], placed: Placed['face']): FaceOut | undefined {
  const square = { x: placed.x, y: placed.y, width: placed.side, height: placed.side };
  const inside = faces.filter((f) => {
    const cx = f.box.x + f.box.width / 2;
    const cy = f.box.y + f.box.height / 2;
    return cx >= square.x && cx <= square.x + square.width && cy >= square.y && cy <= square.y + square.height;
  });
  return inside.sort((a, b) => iou(b.box, square) - iou(a.box, square))[0];
}

export interface FidelitySettings {
  backend: string;
  seed: number;
}

/** Opens one bench page per pipeline on a local server whose `/fidelity/<name>` serves the image
 * `show(name, image)` put there last, runs `body`, and checks nothing left the origin. */
async function withPipelinePages<T>(
  pipelines: readonly PipelineSpec[],
  backend: string,
  body: (pages: Map<string, Page>, show: (name: string, image: Buffer) => string) => Promise<T>,
): Promise<{ browser: string; value: T }> {
  ensureAssets();
  await ensurePages();
  const server = await startBenchServer();
  let current: { name: string; image: Buffer } | undefined;
  server.setDynamic('/fidelity/', (name) => (name === current?.name ? current.image : undefined));
  const browser = await launchBrowser();
  const external: string[] = [];
  try {
    const context = await newContext(browser, server.origin, external);
    const pages = new Map<string, Page>();
    for (const spec of pipelines) {
      pages.set(spec.id, (await openBenchPage(context, pageUrl(server.origin, { pipeline: spec.page, backend, model: spec.model }))).page);
    }
    const value = await body(pages, (name, image) => {
      current = { name, image };
      return `/fidelity/${name}`;
    });
    await context.close();
    if (external.length) throw new Error(`requests left the bench origin: ${[...new Set(external)].join(', ')}`);
    return { browser: `Chromium ${browser.version()} (headless)`, value };
  } finally {
    await browser.close();
    await server.close();
  }
}

export async function runFidelity(
  faces: readonly FerFace[],
  pipelines: readonly PipelineSpec[],
  classifierPredictions: ReadonlyMap<string, number[]>,
  settings: FidelitySettings,
  progress: (message: string) => void,
): Promise<{ browser: string; results: FidelityResult[] }> {
  const { browser, value: tallies } = await withPipelinePages(pipelines, settings.backend, async (pages, show) => {
    const tallies = new Map(pipelines.map((p) => [p.id, { detected: 0, extra: 0, right: 0, aloneRight: 0 }]));
    const random = seededRandom(settings.seed);
    for (let k = 0; k < faces.length; k++) {
      const placed = placeFace(faces[k].pixels, random);
      const url = show(`${k}.bmp`, encodeBmp(placed.rgb, FRAME_WIDTH, FRAME_HEIGHT));
      for (const spec of rotate(pipelines, k)) {
        const run = await pages.get(spec.id)!.evaluate((at) => window.__bench.runUrl(at), url);
        const tally = tallies.get(spec.id)!;
        const match = matchFace(run.faces, placed.face);
        tally.extra += run.faces.length - (match ? 1 : 0);
        if (!match) continue;
        tally.detected++;
        if (argmax(match.probabilities) === faces[k].label) tally.right++;
        if (classifierPredictions.get(spec.id)?.[k] === faces[k].label) tally.aloneRight++;
      }
      if ((k + 1) % 50 === 0 || k + 1 === faces.length) progress(`fidelity: ${k + 1}/${faces.length} frames`);
    }
    return tallies;
  });
  const results = pipelines.map((spec): FidelityResult => {
    const t = tallies.get(spec.id)!;
    return {
      pipeline: spec.id,
      faces: faces.length,
      detected: t.detected,
      detectionRate: round(t.detected / faces.length, 4),
      extraDetections: t.extra,
      pipelineAccuracy: round(t.right / faces.length, 4),
      accuracyWhenDetected: round(t.detected ? t.right / t.detected : 0, 4),
      classifierOnFound: classifierPredictions.has(spec.id) ? round(t.detected ? t.aloneRight / t.detected : 0, 4) : null,
    };
  });
  return { browser, results };
}

export interface SceneResult {
  pipeline: string;
  kind: string;
  scenes: number;
  faces: number;
  found: number;
  /** Detections that are none of the placed faces (or a second one of the same face). */
  falseDetections: number;
  /** Right emotion over the faces found. */
  accuracyWhenFound: number;
  /** The classifier alone (no flip) on the faces found, from the Node evaluation. */
  classifierOnFound: number | null;
}

/**
 * Small and many faces: `perKind` scenes of each SCENE_KINDS entry, faces drawn from `faces` in
 * order (wrapping), analysed as photos (moodlens' thorough photo search; the peers as always).
 */
export async function runScenes(
  faces: readonly FerFace[],
  pipelines: readonly PipelineSpec[],
  classifierPredictions: ReadonlyMap<string, number[]>,
  settings: FidelitySettings & { perKind: number },
  progress: (message: string) => void,
): Promise<{ browser: string; results: SceneResult[] }> {
  const random = seededRandom(settings.seed);
  let cursor = 0;
  const next = () => {
    const index = cursor++ % faces.length;
    return { pixels: faces[index].pixels, index };
  };
  const { browser, value } = await withPipelinePages(pipelines, settings.backend, async (pages, show) => {
    const results: SceneResult[] = [];
    let shown = 0;
    for (const kind of SCENE_KINDS) {
      const tallies = new Map(pipelines.map((p) => [p.id, { faces: 0, found: 0, extra: 0, right: 0, aloneRight: 0 }]));
      for (let k = 0; k < settings.perKind; k++) {
        const scene = makeScene(kind, next, random);
        const url = show(`scene-${shown++}.bmp`, encodeBmp(scene.rgb, scene.width, scene.height));
        for (const spec of rotate(pipelines, k)) {
          const run = await pages.get(spec.id)!.evaluate((at) => window.__bench.runUrl(at, true), url);
          const tally = tallies.get(spec.id)!;
          const { matched, extra } = matchFaces(run.faces, scene.faces);
          const alone = classifierPredictions.get(spec.id);
          tally.faces += scene.faces.length;
          tally.extra += extra;
          matched.forEach((match, f) => {
            if (!match) return;
            const { index } = scene.faces[f];
            tally.found++;
            if (argmax(match.probabilities) === faces[index].label) tally.right++;
            if (alone && alone[index] === faces[index].label) tally.aloneRight++;
          });
        }
      }
      progress(`scenes: ${kind.name} done`);
      for (const spec of pipelines) {
        const t = tallies.get(spec.id)!;
        results.push({
          pipeline: spec.id,
          kind: kind.name,
          scenes: settings.perKind,
          faces: t.faces,
          found: t.found,
          falseDetections: t.extra,
          accuracyWhenFound: round(t.found ? t.right / t.found : 0, 4),
          classifierOnFound: classifierPredictions.has(spec.id) ? round(t.found ? t.aloneRight / t.found : 0, 4) : null,
        });
      }
    }
    return results;
  });
  return { browser, results: value };
}

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
  /** The classifier alone (no flip) on the same faces, from the Node evaluation. */
  classifierAccuracy: number | null;
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

export async function runFidelity(
  faces: readonly FerFace[],
  pipelines: readonly PipelineSpec[],
  classifierPredictions: ReadonlyMap<string, number[]>,
  settings: FidelitySettings,
  progress: (message: string) => void,
): Promise<{ browser: string; results: FidelityResult[] }> {
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
      pages.set(spec.id, (await openBenchPage(context, pageUrl(server.origin, { pipeline: spec.page, backend: settings.backend, model: spec.model }))).page);
    }
    const tallies = new Map(pipelines.map((p) => [p.id, { detected: 0, extra: 0, right: 0 }]));
    const random = seededRandom(settings.seed);
    for (let k = 0; k < faces.length; k++) {
      const placed = placeFace(faces[k].pixels, random);
      current = { name: `${k}.bmp`, image: encodeBmp(placed.rgb, FRAME_WIDTH, FRAME_HEIGHT) };
      for (const spec of rotate(pipelines, k)) {
        const run = await pages.get(spec.id)!.evaluate((url) => window.__bench.runUrl(url), `/fidelity/${k}.bmp`);
        const tally = tallies.get(spec.id)!;
        const match = matchFace(run.faces, placed.face);
        tally.extra += run.faces.length - (match ? 1 : 0);
        if (!match) continue;
        tally.detected++;
        if (argmax(match.probabilities) === faces[k].label) tally.right++;
      }
      if ((k + 1) % 50 === 0 || k + 1 === faces.length) progress(`fidelity: ${k + 1}/${faces.length} frames`);
    }
    await context.close();
    if (external.length) throw new Error(`requests left the bench origin: ${[...new Set(external)].join(', ')}`);
    const results = pipelines.map((spec): FidelityResult => {
      const t = tallies.get(spec.id)!;
      const alone = classifierPredictions.get(spec.id);
      return {
        pipeline: spec.id,
        faces: faces.length,
        detected: t.detected,
        detectionRate: round(t.detected / faces.length, 4),
        extraDetections: t.extra,
        pipelineAccuracy: round(t.right / faces.length, 4),
        accuracyWhenDetected: round(t.detected ? t.right / t.detected : 0, 4),
        classifierAccuracy: alone ? round(alone.filter((p, i) => p === faces[i].label).length / faces.length, 4) : null,
      };
    });
    return { browser: `Chromium ${browser.version()} (headless)`, results };
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * `node scripts/probe-scenes.mjs` (see there): the photo search over scenes written by make.ts,
 * found faces by size, false finds, time per scene by frame width, and optionally the raw
 * full-range or short-range scores of the faces it missed.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openProbePage } from '../lib/probe-page.mjs';
import type { Look, Network } from './page';

const list = (text: string | undefined) => (text ? text.split(',').map(Number) : []);

interface Face {
  x: number;
  y: number;
  side: number;
}
interface Truth {
  file: string;
  width: number;
  height: number;
  faces: Face[];
}
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const inside = (box: Box, f: Face) => {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  return cx >= f.x && cx <= f.x + f.side && cy >= f.y && cy <= f.y + f.side;
};

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      scenes: { type: 'string' },
      'min-width': { type: 'string', default: '0' },
      options: { type: 'string', default: '{}' },
      shares: { type: 'string', default: '' },
      sides: { type: 'string', default: '' },
      net: { type: 'string', default: 'full' },
      bitmap: { type: 'boolean', default: false },
      repo: { type: 'string' },
    },
  });
  const dir = values.scenes!;
  const truth = (JSON.parse(readFileSync(`${dir}/truth.json`, 'utf8')) as Truth[]).filter((t) => t.width >= Number(values['min-width']));
  const options = JSON.parse(values.options!);
  const { page, close } = await openProbePage(values.repo!, 'scripts/scene-probe/index.html', 'probeScenes');
  try {
    const bySide = new Map<number, { faces: number; found: number }>();
    const byWidth = new Map<number, { scenes: number; faces: number; found: number; ms: number }>();
    const falses: string[] = [];
    const missed: { scene: Truth; face: Face }[] = [];
    for (const scene of truth) {
      const at = `/@fs${dir}/${scene.file}`;
      const run = await page.evaluate(([u, o, b]) => window.probeScenes!.detectScene(u, o, b), [at, options, values.bitmap!] as const);
      const width = byWidth.get(scene.width) ?? { scenes: 0, faces: 0, found: 0, ms: 0 };
      width.scenes++;
      width.ms += run.ms;
      const used = new Set<number>();
      for (const face of scene.faces) {
        const k = run.faces.findIndex((d, i) => !used.has(i) && inside(d.box, face));
        const bucket = Math.floor(face.side / 20) * 20;
        const side = bySide.get(bucket) ?? { faces: 0, found: 0 };
        side.faces++;
        width.faces++;
        if (k >= 0) {
          used.add(k);
          side.found++;
          width.found++;
        } else missed.push({ scene, face });
        bySide.set(bucket, side);
      }
      byWidth.set(scene.width, width);
      run.faces.forEach((d, i) => {
        if (!used.has(i)) falses.push(`${scene.file}: ${d.box.width.toFixed(0)} px at ${d.box.x.toFixed(0)},${d.box.y.toFixed(0)}, score ${d.score.toFixed(2)}`);
      });
    }
    for (const [width, w] of [...byWidth].sort((a, b) => a[0] - b[0])) {
      console.log(`${width} px wide: ${w.found}/${w.faces} found (${((100 * w.found) / w.faces).toFixed(1)}%), ${(w.ms / w.scenes).toFixed(0)} ms per scene`);
    }
    console.log(`by face side: ${[...bySide].sort((a, b) => a[0] - b[0]).map(([s, b]) => `${s}-${s + 19} px ${b.found}/${b.faces}`).join(', ')}`);
    console.log(`false finds (${falses.length}): ${falses.join('; ') || 'none'}`);
    if (values.shares || values.sides) {
      const network = values.net as Network;
      if (network !== 'full' && network !== 'short') throw new Error(`--net must be full or short, got ${values.net}`);
      // Views where the face fills 1/share, or of fixed sides (frame pixels, e.g. a tile's), centred on it.
      const views = [...list(values.shares).map((share) => (face: Face) => face.side * share), ...list(values.sides).map((side) => () => side)];
      console.log(`missed faces, raw ${network}-range score in views ${[...list(values.shares).map((s) => `1/${s}`), ...list(values.sides).map((s) => `${s} px`)].join(', ')}:`);
      for (const { scene, face } of missed) {
        const cx = face.x + face.side / 2;
        const cy = face.y + face.side / 2;
        const looks: Look[] = views.map((view) => ({ x: cx - view(face) / 2, y: cy - view(face) / 2, side: view(face), face: { cx, cy, half: face.side / 2 } }));
        const scores = await page.evaluate(([u, l, n]) => window.probeScenes!.rawScores(u, l, n), [`/@fs${dir}/${scene.file}`, looks, network] as const);
        console.log(`  ${face.side} px: ${scores.map((s) => s.toFixed(2)).join(' ')}`);
      }
    }
  } finally {
    await close();
  }
}

/**
 * `node scripts/probe-crops.mjs` (see there): detections on the frames written by make.ts (cached
 * in detections.json); then, on the test frames, either each crop rule's accuracy on the faces the
 * chosen path found, or (--raw) how many faces one MediaPipe model finds over the whole frame at
 * each threshold, and in how many frames it finds something else.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { parseArgs } from 'node:util';
import { faceCrop, type FaceCrop } from '../../src/lib/align';
import type { Box, DetectedFace } from '../../src/lib/types';
import { openProbePage } from '../lib/probe-page.mjs';

interface Truth {
  file: string;
  alone: string;
  set: 'fit' | 'test';
  label: number;
  face: { x: number; y: number; side: number };
}
type Found = Pick<DetectedFace, 'box' | 'keypoints' | 'score'>;
interface Detections {
  video: Found[];
  photo: Found[];
}
/** 'box': align.ts's faceCrop with these settings; 'avg': the probabilities of several crops averaged. */
type Rule = { kind: 'box'; margin: number; shiftUp: number; upright: boolean } | { kind: 'avg'; of: Rule[] };

/** As bench/accuracy/fidelity.ts: a box whose centre is on the face square. */
const onFace = (box: Box, t: Truth['face']) => {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  return cx >= t.x && cx <= t.x + t.side && cy >= t.y && cy <= t.y + t.side;
};
const argmax = (p: number[]) => p.indexOf(Math.max(...p));
const boxRules = (rule: Rule): Extract<Rule, { kind: 'box' }>[] => (rule.kind === 'avg' ? rule.of.flatMap(boxRules) : [rule]);
const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      dir: { type: 'string' },
      repo: { type: 'string' },
      rules: { type: 'string', default: '' },
      raw: { type: 'boolean', default: false },
      model: { type: 'string', default: 'mini-xception' },
      path: { type: 'string', default: 'video' },
    },
  });
  const dir = values.dir!;
  const truth = JSON.parse(readFileSync(`${dir}/truth.json`, 'utf8')) as Truth[];
  const tests = truth.filter((t) => t.set === 'test');
  const at = (file: string) => `/@fs${dir}/${file}`;
  const { page, close } = await openProbePage(values.repo!, 'scripts/crop-probe/index.html', 'probeCrops');
  try {
    const detections = await cached(`${dir}/detections.json`, truth, (t) => page.evaluate((u) => window.probeCrops!.detectFrame(u), at(t.file)));
    const found = (path: 'video' | 'photo') => tests.filter((t) => detections[t.file][path].some((f) => onFace(f.box, t.face)));
    console.log(`faces found: video path ${found('video').length}/${tests.length}, photo path ${found('photo').length}/${tests.length}`);
    if (values.raw) await rawTable(page, dir, tests, at);
    if (values.rules) await ruleTable(page, JSON.parse(values.rules), found(values.path as 'video' | 'photo'), detections, values.path as 'video' | 'photo', values.model!, at);
  } finally {
    await close();
  }
}

async function cached<T>(file: string, frames: Truth[], compute: (t: Truth) => Promise<T>): Promise<Record<string, T>> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const out: Record<string, T> = {};
  for (const [k, t] of frames.entries()) {
    out[t.file] = await compute(t);
    if (k % 250 === 249) console.log(`${k + 1}/${frames.length} frames`);
  }
  writeFileSync(file, JSON.stringify(out));
  return out;
}

async function rawTable(page: Page, dir: string, tests: Truth[], at: (file: string) => string): Promise<void> {
  const raw = await cached(`${dir}/raw.json`, tests, async (t) => ({
    short: await page.evaluate((u) => window.probeCrops!.rawFaces(u, 'short'), at(t.file)),
    full: await page.evaluate((u) => window.probeCrops!.rawFaces(u, 'full'), at(t.file)),
  }));
  for (const range of ['short', 'full'] as const) {
    console.log(`${range} range over the whole frame: threshold, faces found, frames with another find`);
    for (const threshold of [0.5, 0.4, 0.3, 0.2, 0.15, 0.1]) {
      let hits = 0;
      let falses = 0;
      for (const t of tests) {
        const finds = raw[t.file][range].filter((f) => f.score >= threshold);
        if (finds.some((f) => onFace(f.box, t.face))) hits++;
        if (finds.some((f) => !onFace(f.box, t.face))) falses++;
      }
      console.log(`  ${threshold.toFixed(2)}  ${percent(hits, tests.length)}  ${percent(falses, tests.length)}`);
    }
  }
}

/** Accuracy on the found faces: the classifier alone (the 48x48 face itself), the true face square
 * cut from the frame (what resampling alone costs), then each rule's crops of the found box. */
async function ruleTable(page: Page, rules: Record<string, Rule>, found: Truth[], detections: Record<string, Detections>, path: 'video' | 'photo', model: string, at: (file: string) => string): Promise<void> {
  const names = Object.keys(rules);
  const right = new Map<string, number>([['classifier alone', 0], ['true face square', 0], ...names.map((n): [string, number] => [n, 0])]);
  const add = (name: string, probabilities: number[], label: number) => right.set(name, right.get(name)! + (argmax(probabilities) === label ? 1 : 0));
  for (const t of found) {
    const face = detections[t.file][path].find((f) => onFace(f.box, t.face)) as DetectedFace;
    const square: FaceCrop = { center: { x: t.face.x + t.face.side / 2, y: t.face.y + t.face.side / 2 }, side: t.face.side, angle: 0 };
    const crops = [square, ...names.flatMap((n) => boxRules(rules[n]).map((r) => faceCrop(face, r.margin, r.upright, r.shiftUp)))];
    const probabilities = await page.evaluate(([u, m, c]) => window.probeCrops!.classifyCrops(u, m, c), [at(t.file), model, crops] as const);
    const [alone] = await page.evaluate(([u, m]) => window.probeCrops!.classifyCrops(u, m, [{ center: { x: 24, y: 24 }, side: 48, angle: 0 }]), [at(t.alone), model] as const);
    add('classifier alone', alone, t.label);
    add('true face square', probabilities[0], t.label);
    let next = 1;
    for (const name of names) {
      const views = probabilities.slice(next, (next += boxRules(rules[name]).length));
      add(name, views.reduce((sum, p) => sum.map((v, i) => v + p[i] / views.length), new Array<number>(7).fill(0)), t.label);
    }
  }
  console.log(`${path} path, ${model}: accuracy on the ${found.length} faces found`);
  for (const [name, r] of right) console.log(`  ${name.padEnd(20)} ${percent(r, found.length)}`);
}

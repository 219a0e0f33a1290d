// `node scripts/probe-scenes.mjs` (see there): writes the eval's scenes (same generator and seeds as
// npm run eval) to a folder, as scene-N.bmp and truth.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPublicTest } from '../../bench/accuracy/fer2013';
import { makeScene, SCENE_KINDS } from '../../bench/accuracy/scenes';
import { encodeBmp } from '../../bench/lib/bmp';
import { FER2013_DEFAULT } from '../../bench/lib/paths';
import { sample, seededRandom } from '../../bench/lib/random';

export async function main(args: string[]): Promise<void> {
  const [out, perKindText] = args;
  const perKind = Number(perKindText ?? 20);
  mkdirSync(out, { recursive: true });
  const { faces } = await readPublicTest(FER2013_DEFAULT);
  const order = sample(faces.length, faces.length, seededRandom(3));
  const shuffled = order.map((i) => faces[i]);
  let cursor = 0;
  const next = () => {
    const index = cursor++ % shuffled.length;
    return { pixels: shuffled[index].pixels, index };
  };
  const random = seededRandom(4);
  const truth: unknown[] = [];
  let n = 0;
  for (const kind of SCENE_KINDS) {
    for (let k = 0; k < perKind; k++) {
      const scene = makeScene(kind, next, random);
      const file = `scene-${n++}.bmp`;
      writeFileSync(join(out, file), encodeBmp(scene.rgb, scene.width, scene.height));
      truth.push({ file, kind: kind.name, width: scene.width, height: scene.height, faces: scene.faces.map((f) => ({ ...f, label: shuffled[f.index].label })) });
    }
  }
  writeFileSync(join(out, 'truth.json'), JSON.stringify(truth));
  console.log(`${n} scenes in ${out}`);
}

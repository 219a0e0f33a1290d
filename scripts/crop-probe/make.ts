// `node scripts/probe-crops.mjs` (see there): writes fidelity frames (the eval's generator) for two
// sets of faces: `fit` (the first Training rows, to calibrate a crop rule on) and `test` (the eval's
// own fidelity subset of PublicTest, same seeds), as <set>-N.bmp and truth.json.
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { readPublicTest } from '../../bench/accuracy/fer2013';
import { FRAME_HEIGHT, FRAME_WIDTH, placeFace } from '../../bench/accuracy/fidelity-frames';
import { encodeBmp } from '../../bench/lib/bmp';
import { FER2013_DEFAULT } from '../../bench/lib/paths';
import { sample, seededRandom } from '../../bench/lib/random';

async function trainingRows(path: string, count: number): Promise<{ label: number; pixels: Uint8Array }[]> {
  const lines = createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Infinity });
  const rows: { label: number; pixels: Uint8Array }[] = [];
  if (count === 0) return rows;
  for await (const line of lines) {
    const [emotion, pixels, usage] = line.split(',');
    if (usage?.trim() !== 'Training') continue;
    rows.push({ label: Number(emotion), pixels: Uint8Array.from(pixels.trim().split(' ').map(Number)) });
    if (rows.length === count) break;
  }
  lines.close();
  return rows;
}

export async function main(args: string[]): Promise<void> {
  const [out, fitText, testText] = args;
  mkdirSync(out, { recursive: true });
  const truth: unknown[] = [];
  const write = (set: string, faces: { label: number; pixels: Uint8Array }[], random: () => number) =>
    faces.forEach((face, k) => {
      const placed = placeFace(face.pixels, random);
      const file = `${set}-${k}.bmp`;
      writeFileSync(join(out, file), encodeBmp(placed.rgb, FRAME_WIDTH, FRAME_HEIGHT));
      const alone = `${set}-${k}-face.bmp`;
      const grey = new Uint8Array(48 * 48 * 3).map((_, i) => face.pixels[Math.floor(i / 3)]);
      writeFileSync(join(out, alone), encodeBmp(grey, 48, 48));
      truth.push({ file, alone, set, label: face.label, face: placed.face });
    });
  write('fit', await trainingRows(FER2013_DEFAULT, Number(fitText)), seededRandom(11));
  const { faces } = await readPublicTest(FER2013_DEFAULT);
  // As `npm run eval`: subset from seed 1, frames from seed 2.
  const subset = sample(faces.length, Number(testText), seededRandom(1));
  write('test', subset.map((i) => faces[i]), seededRandom(2));
  writeFileSync(join(out, 'truth.json'), JSON.stringify(truth));
  console.log(`${truth.length} frames in ${out}`);
}

/**
 * Reads FER2013 (`emotion,pixels,Usage`, gzipped or not) in place: the PublicTest rows, and which
 * of them also appear pixel-for-pixel among the Training rows. Nothing is written anywhere.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

export const FER_SIDE = 48;
const PIXELS = FER_SIDE * FER_SIDE;

export interface FerFace {
  /** 0-based data row in the file (header not counted). */
  row: number;
  /** 0..6 in FER2013 order (angry, disgust, fear, happy, sad, surprise, neutral). */
  label: number;
  pixels: Uint8Array;
  /** An identical picture (same 2304 pixel values) is among the Training rows. */
  inTraining: boolean;
}

export interface PublicTest {
  faces: FerFace[];
  trainingRows: number;
}

export class DatasetError extends Error {}

function hash(pixels: string): string {
  return createHash('sha1').update(pixels.trim()).digest('base64');
}

function parsePixels(text: string, row: number): Uint8Array {
  const values = text.trim().split(/\s+/);
  if (values.length !== PIXELS) throw new DatasetError(`row ${row}: expected ${PIXELS} pixel values, found ${values.length}`);
  const pixels = new Uint8Array(PIXELS);
  for (let i = 0; i < PIXELS; i++) {
    const value = Number(values[i]);
    if (!Number.isInteger(value) || value < 0 || value > 255) throw new DatasetError(`row ${row}: pixel ${i} is ${JSON.stringify(values[i])}, not 0..255`);
    pixels[i] = value;
  }
  return pixels;
}

export async function readPublicTest(path: string): Promise<PublicTest> {
  if (!existsSync(path)) {
    throw new DatasetError(`FER2013 not found at ${path}. Pass --data with the path of fer2013.csv (or .csv.gz) holding Training and PublicTest rows.`);
  }
  const stream = createReadStream(path);
  const input = path.endsWith('.gz') ? stream.pipe(createGunzip()) : stream;
  const lines = createInterface({ input, crlfDelay: Infinity });
  const training = new Set<string>();
  let trainingRows = 0;
  const publicTest: { row: number; label: number; pixels: string }[] = [];
  let row = -1;
  for await (const line of lines) {
    if (row === -1) {
      if (line.trim() !== 'emotion,pixels,Usage') throw new DatasetError(`${path}: expected the header "emotion,pixels,Usage", found ${JSON.stringify(line.slice(0, 60))}`);
      row = 0;
      continue;
    }
    if (line.trim() === '') continue;
    const [emotion, pixels, usage] = line.split(',');
    if (usage === undefined) throw new DatasetError(`${path} row ${row}: expected 3 comma-separated fields`);
    if (usage.trim() === 'Training') {
      training.add(hash(pixels));
      trainingRows++;
    }
    else if (usage.trim() === 'PublicTest') {
      const label = Number(emotion);
      if (!Number.isInteger(label) || label < 0 || label > 6) throw new DatasetError(`${path} row ${row}: emotion ${JSON.stringify(emotion)} is not 0..6`);
      publicTest.push({ row, label, pixels });
    }
    row++;
  }
  if (publicTest.length === 0) throw new DatasetError(`${path} has no PublicTest rows`);
  if (training.size === 0) throw new DatasetError(`${path} has no Training rows (needed for the unseen-faces figure)`);
  return {
    faces: publicTest.map((r) => ({ row: r.row, label: r.label, pixels: parsePixels(r.pixels, r.row), inTraining: training.has(hash(r.pixels)) })),
    trainingRows,
  };
}

/** Several photos at once: what each one held, and one CSV of every face in every photo. */
import { EMOTIONS, type EmotionFace } from '../lib';

export interface BatchItem {
  file: string;
  /** Undefined while waiting or analysing. */
  faces?: EmotionFace[];
  /** Why this picture could not be analysed (the others go on). */
  error?: string;
  /** Size the boxes refer to (the analysed picture, after any downscaling). */
  width?: number;
  height?: number;
}

/** A field as CSV wants it: quoted when it holds a comma, quote or line break. */
function field(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One row per face (numbered left to right, as on screen); a picture without faces or with an
 * error gets one row saying so, so that every file is accounted for. */
export function batchCSV(items: readonly BatchItem[]): string {
  const header = ['file', 'face', 'x', 'y', 'width', 'height', ...EMOTIONS, 'top', 'note'].join(',');
  const empty = ['', '', '', '', '', ...EMOTIONS.map(() => ''), ''];
  const rows: string[] = [];
  for (const item of items) {
    if (item.error !== undefined || !item.faces) {
      rows.push([field(item.file), ...empty, field(item.error ?? 'not analysed')].join(','));
      continue;
    }
    if (item.faces.length === 0) rows.push([field(item.file), ...empty, 'no face found'].join(','));
    item.faces.forEach((face, index) => {
      const { x, y, width, height } = face.box;
      rows.push(
        [
          field(item.file),
          index + 1,
          ...[x, y, width, height].map((v) => Math.round(v)),
          ...EMOTIONS.map((e) => face.probabilities[e].toFixed(4)),
          face.top.label,
          '',
        ].join(','),
      );
    });
  }
  return [header, ...rows].join('\n') + '\n';
}

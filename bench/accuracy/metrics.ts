/** Classification metrics, defined as the model factory defines them (factory/metrics.py). */
import { EMOTIONS, type Emotion } from '../../src/lib';

export interface Scores {
  samples: number;
  accuracy: number;
  macroF1: number;
  recall: Record<Emotion, number>;
  /** Rows: true class; columns: predicted class (EMOTIONS order). */
  confusion: number[][];
}

/** Index of the largest value (the first one on ties, as numpy's argmax). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

export function scores(labels: readonly number[], predicted: readonly number[]): Scores {
  if (labels.length !== predicted.length) throw new Error(`${labels.length} labels but ${predicted.length} predictions`);
  const classes = EMOTIONS.length;
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  labels.forEach((label, i) => confusion[label][predicted[i]]++);
  const f1: number[] = [];
  const recall = {} as Record<Emotion, number>;
  let correct = 0;
  for (let c = 0; c < classes; c++) {
    const truePositives = confusion[c][c];
    correct += truePositives;
    const support = confusion[c].reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((sum, row) => sum + row[c], 0);
    const p = predictedCount > 0 ? truePositives / predictedCount : 0;
    const r = support > 0 ? truePositives / support : 0;
    recall[EMOTIONS[c]] = round4(r);
    f1.push(p + r > 0 ? (2 * p * r) / (p + r) : 0);
  }
  return {
    samples: labels.length,
    accuracy: round4(labels.length ? correct / labels.length : 0),
    macroF1: round4(f1.reduce((a, b) => a + b, 0) / classes),
    recall,
    confusion,
  };
}

function round4(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}

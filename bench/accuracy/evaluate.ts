/** Runs a classifier over the PublicTest faces, plain and with horizontal-flip test-time augmentation. */
import type { FaceClassifier } from './classifiers';
import type { FerFace } from './fer2013';
import { argmax, scores, type Scores } from './metrics';

export interface Predictions {
  /** Predicted class per face, without and with flip TTA (mean of the two softmax outputs). */
  single: number[];
  flip: number[];
  msPerFace: number;
}

export interface ClassifierScores {
  all: Scores;
  /** Only the faces without a pixel-identical copy among the Training rows. */
  unseen: Scores;
}

export async function predictAll(
  classifier: FaceClassifier,
  faces: readonly FerFace[],
  batchSize: number,
  progress: (done: number) => void,
): Promise<Predictions> {
  const single: number[] = [];
  const flip: number[] = [];
  const started = performance.now();
  for (let start = 0; start < faces.length; start += batchSize) {
    const batch = faces.slice(start, start + batchSize).map((f) => f.pixels);
    const plain = await classifier.predict(batch, false);
    const mirrored = await classifier.predict(batch, true);
    plain.forEach((p, i) => {
      single.push(argmax(p));
      flip.push(argmax(p.map((value, j) => (value + mirrored[i][j]) / 2)));
    });
    progress(Math.min(faces.length, start + batchSize));
  }
  return { single, flip, msPerFace: (performance.now() - started) / Math.max(1, 2 * faces.length) };
}

export function score(faces: readonly FerFace[], predicted: readonly number[]): ClassifierScores {
  const unseen = faces.map((f, i) => [f, i] as const).filter(([f]) => !f.inTraining);
  return {
    all: scores(
      faces.map((f) => f.label),
      predicted,
    ),
    unseen: scores(
      unseen.map(([f]) => f.label),
      unseen.map(([, i]) => predicted[i]),
    ),
  };
}

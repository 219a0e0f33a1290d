/** The shape of bench/results/accuracy.json. */
import type { Machine } from '../lib/machine';
import type { ClassifierScores } from './evaluate';
import type { FidelityResult, SceneResult } from './fidelity';

/** What identifies a classifier in the results (and in FaceClassifier, which runs it). */
export interface ClassifierInfo {
  /** Matches the speed harness' pipeline ids: 'moodlens:<model>', 'face-api', 'human'. */
  id: string;
  library: string;
  version: string;
  preprocessing: string;
  modelBytes: number;
  parameters?: number;
  /** Accuracy the model's own metadata.json reports for PublicTest (ours), for comparison. */
  reported?: { single?: number; flip?: number };
}

export interface ModelAccuracy extends ClassifierInfo {
  single: ClassifierScores;
  flip: ClassifierScores;
  msPerFace: number;
}

export interface AccuracyResults {
  kind: 'moodlens-accuracy';
  date: string;
  durationSeconds: number;
  machine: Machine;
  data: {
    file: string;
    sha256: string;
    publicTestFaces: number;
    /** PublicTest faces with no pixel-identical copy among the Training rows. */
    unseenFaces: number;
    trainingRows: number;
    /** Set when --limit evaluated only the first rows (not a full result). */
    limitedTo?: number;
  };
  backend: string;
  models: ModelAccuracy[];
  fidelity:
    | {
        browser: string;
        backend: string;
        faces: number;
        seed: number;
        frame: string;
        results: FidelityResult[];
      }
    | null;
  /** Small and many faces (scenes.ts); absent in results from before it existed. */
  scenes?: {
    browser: string;
    backend: string;
    seed: number;
    perKind: number;
    results: SceneResult[];
  } | null;
  notes: string[];
}

/** The shape of bench/results/speed.json. */
import type { FrameInfo } from '../lib/prepare';
import type { Machine } from '../lib/machine';
import type { Summary, Timed } from '../lib/stats';
import type { ColdStart } from '../pages/main';
import type { PageEnvironment } from '../pages/environment';
import type { SelfCheck } from '../pages/pipelines/types';

export interface FrameResult {
  file: string;
  expectedFaces: number;
  /** Faces the pipeline found, over the timed runs. */
  facesFound: { min: number; max: number };
  /** Whole frame (detection to drawing), ms; samples in round order. */
  total: Timed;
  stages: Record<string, Summary>;
}

export interface PipelineResult {
  id: string;
  library: string;
  version: string;
  /** stages: median ms from navigation until each start-up stage was done (see ColdStart);
   * repeatMs: median first result of a second visit in the same browser profile (warm caches). */
  /** settledMs: when start-up was over (see ColdStart); absent in results from before it was measured.
   * overLink: the first result of a first and of a repeat visit over an emulated network link,
   * files gzipped as a host sends them (median ms; absent with --network none). */
  coldStart: {
    runs: ColdStart[];
    readyMs: number;
    firstResultMs: number;
    settledMs?: number;
    stages?: Record<string, number> | null;
    repeatMs?: number;
    overLink?: { link: string; firstResultMs: number; repeatMs: number };
  };
  /** What the page downloaded in its first cold start, by kind (bytes), and all of it as a static
   * host sends it gzipped. */
  bytes: { models: number; wasm: number; js: number; gzipped?: number };
  frames: FrameResult[];
  /** The emotion network alone, ms per face, at batch 1 and batch 10; samples in round order. */
  classifierOnly: { batch1: Timed; batch10: Timed };
  /** Growth of tf.memory().numTensors per timed frame (0 = no leak). */
  tensorsPerFrame: number;
  selfCheck: SelfCheck;
}

export interface Ratio {
  ours: string;
  peer: string;
  /** A frame file, or 'classifier batch 1' / 'classifier batch 10'. */
  what: string;
  /** Peer's median / ours' median: above 1, ours is faster. */
  ratio: number;
  /** Median over rounds of peer / ours in the same round (measured moments apart: robust to load that drifts). */
  pairedRatio: number;
}

export interface BackendResult {
  backend: string;
  environment: PageEnvironment;
  pipelines: PipelineResult[];
  ratios: Ratio[];
}

export interface SpeedResults {
  kind: 'moodlens-speed';
  date: string;
  durationSeconds: number;
  machine: Machine;
  browser: string;
  /** link: the emulated network of the starts over a link (absent: none measured). */
  settings: { reps: number; warmup: number; coldRuns: number; backends: string[]; link?: string };
  frames: FrameInfo[];
  backends: BackendResult[];
  /** Requests that left the bench origin (should be none). */
  externalRequests: string[];
  notes: string[];
}

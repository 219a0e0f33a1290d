/** Where the benchmark reads and writes. Generated files (frames, built pages) go to node_modules/.cache,
 * which git and eslint already ignore. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = resolve(BENCH, '..');
export const CACHE = join(REPO, 'node_modules', '.cache', 'moodlens-bench');
export const FRAMES_DIR = join(CACHE, 'frames');
export const BUILD_DIR = join(CACHE, 'pages');
export const RESULTS_DIR = join(BENCH, 'results');
export const FRAME_GENERATOR = join(BENCH, 'frames', 'make-frames.py');
export const FACE_API_DIR = join(REPO, 'node_modules', '@vladmandic', 'face-api');
export const HUMAN_DIR = join(REPO, 'node_modules', '@vladmandic', 'human');
export const MODELS_DIR = join(REPO, 'models');
/** FER2013 (Training + PublicTest rows) beside the repository; read in place, never copied into it. */
export const FER2013_DEFAULT = resolve(REPO, '..', 'shared', 'datasets', 'fer2013', 'fer2013-train-publictest.csv.gz');
/** Debian's python3 has numpy, PIL and scikit-image; another python3 on PATH may not. */
export const PYTHON = process.env.MOODLENS_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/**
 * Gets everything the bench pages need in place, rebuilding only what is out of date: the app's
 * runtime files (npm run assets), the frames (frames/make-frames.py) and the bench pages (Vite).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { BENCH, BUILD_DIR, FACE_API_DIR, FRAME_GENERATOR, FRAMES_DIR, PYTHON, REPO } from './paths';

export interface FrameInfo {
  file: string;
  faces: number;
  width: number;
  height: number;
  source: string;
}

/** Newest modification time of the files under the given paths. */
export function newestMtime(paths: readonly string[]): number {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    newest = Math.max(newest, stat.isDirectory() ? newestMtime(readdirSync(path).map((name) => join(path, name))) : stat.mtimeMs);
  }
  return newest;
}

function stale(stamp: string, inputs: readonly string[]): boolean {
  return !existsSync(stamp) || statSync(stamp).mtimeMs < newestMtime(inputs);
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** static/vendor (MediaPipe, TF.js wasm, face model) and static/models, as the app serves them. */
export function ensureAssets(): void {
  execFileSync(process.execPath, [join(REPO, 'scripts', 'copy-assets.mjs')], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
}

export function ensureFrames(): FrameInfo[] {
  const manifest = join(FRAMES_DIR, 'frames.json');
  if (stale(manifest, [FRAME_GENERATOR])) {
    log('bench: generating frames');
    execFileSync(PYTHON, [FRAME_GENERATOR, FRAMES_DIR, join(FACE_API_DIR, 'demo')], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return JSON.parse(readFileSync(manifest, 'utf8')) as FrameInfo[];
}

export async function ensurePages(): Promise<void> {
  const stamp = join(BUILD_DIR, '.built');
  const inputs = [join(BENCH, 'pages'), join(BENCH, 'peers'), join(BENCH, 'vite.config.ts'), join(REPO, 'src', 'lib'), join(REPO, 'package-lock.json')];
  if (!stale(stamp, inputs)) return;
  const started = performance.now();
  log('bench: building the bench pages (vite)');
  await build({ configFile: join(BENCH, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(stamp, new Date().toISOString());
  log(`bench: pages built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

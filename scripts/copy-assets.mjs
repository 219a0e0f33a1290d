#!/usr/bin/env node
// Fills static/ with every runtime file the app serves itself (run by `npm run assets`, before
// dev/build): MediaPipe Tasks wasm, TF.js wasm backend binaries, the face-detector model and the
// emotion models from models/. Only changed files are copied, so a second run is quick.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mirrorDir } from './lib/mirror-dir.mjs';

const scriptsDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(scriptsDir, '..');
const at = (/** @type {string} */ path) => resolve(repoRoot, path);

const MEDIAPIPE_WASM = at('node_modules/@mediapipe/tasks-vision/wasm');
const TFJS_WASM = at('node_modules/@tensorflow/tfjs-backend-wasm/dist');
// No threaded build: src/lib/backend.ts turns TF.js's wasm threads off (see there), so it is never loaded.
const TFJS_WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'];
const FACE_MODEL_SOURCES = ['short', 'full'].map((range) => at(`node_modules/@mediapipe/face_detection/face_detection_${range}_range.tflite`));
// The TF.js face detector for browsers without WebGL (src/lib/blazeface.ts): BlazeFace back-camera
// as a TF.js graph model, as @vladmandic/human ships it (MIT; the model is MediaPipe's, Apache 2.0).
const BLAZEFACE = at('node_modules/@vladmandic/human/models');
const BLAZEFACE_FILES = ['blazeface.json', 'blazeface.bin'];
const FACE_MODEL_INPUTS = [join(scriptsDir, 'build-face-model.mjs'), join(scriptsDir, 'lib'), ...FACE_MODEL_SOURCES];

async function main() {
  const started = performance.now();
  requireNodeModules();

  const mediapipe = mirrorDir(MEDIAPIPE_WASM, at('static/vendor/mediapipe'));
  const tfjs = mirrorDir(TFJS_WASM, at('static/vendor/tfjs'), (name) => TFJS_WASM_FILES.includes(name));
  if (tfjs.files !== TFJS_WASM_FILES.length) {
    throw new Error(`expected ${TFJS_WASM_FILES.join(', ')} in ${relative(repoRoot, TFJS_WASM)}, found ${tfjs.files} of them`);
  }
  const faceModel = await ensureFaceModel();
  const blazeface = mirrorDir(BLAZEFACE, at('static/vendor/blazeface'), (name) => BLAZEFACE_FILES.includes(name));
  const models = mirrorModels();

  const summary = (/** @type {{ files: number, copied: number, deleted: number }} */ r) => `${r.files} files (${r.copied} copied, ${r.deleted} deleted)`;
  console.log(
    `assets: vendor/mediapipe ${summary(mediapipe)}, vendor/tfjs ${summary(tfjs)}, ` +
      `face_detector*.tflite ${faceModel}, vendor/blazeface ${summary(blazeface)}, models ${summary(models)}, in ${Math.round(performance.now() - started)} ms`,
  );
}

function requireNodeModules() {
  if (!existsSync(at('node_modules'))) throw new Error('node_modules/ not found: run `npm ci` first.');
  const missing = [MEDIAPIPE_WASM, TFJS_WASM, ...FACE_MODEL_SOURCES, ...BLAZEFACE_FILES.map((name) => join(BLAZEFACE, name)), at('node_modules/flatbuffers')].filter(
    (path) => !existsSync(path),
  );
  if (missing.length) {
    throw new Error(`missing ${missing.map((path) => relative(repoRoot, path)).join(', ')}: node_modules/ is incomplete, run \`npm ci\`.`);
  }
}

/** Rebuilds static/vendor/face_detector*.tflite (short and full range) when missing or older than their builder or sources. */
async function ensureFaceModel() {
  const outputs = ['face_detector.tflite', 'face_detector_full_range.tflite'].map((name) => at(`static/vendor/${name}`));
  const newest = newestMtime(FACE_MODEL_INPUTS);
  if (outputs.every((output) => existsSync(output) && newest <= statSync(output).mtimeMs)) return 'up to date';
  // Imported only now: it needs node_modules, which requireNodeModules() has checked.
  const { buildFaceModel } = await import('./build-face-model.mjs');
  buildFaceModel(outputs[0], 'short');
  buildFaceModel(outputs[1], 'full');
  return 'rebuilt';
}

/** static/models mirrors models/ (emptied when there is no models/ folder). */
function mirrorModels() {
  const target = at('static/models');
  if (existsSync(at('models'))) return mirrorDir(at('models'), target);
  const deleted = existsSync(target) ? readdirSync(target).length : 0;
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  return { files: 0, copied: 0, deleted };
}

/** Newest modification time among files and (recursively) folders' files. @param {string[]} paths */
function newestMtime(paths) {
  let newest = -Infinity;
  for (const path of paths) {
    const stat = statSync(path);
    newest = Math.max(newest, stat.isDirectory() ? newestMtime(readdirSync(path).map((name) => join(path, name))) : stat.mtimeMs);
  }
  return newest;
}

main().catch((error) => {
  console.error(`copy-assets: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});

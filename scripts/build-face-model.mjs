#!/usr/bin/env node
// Builds the face-detector asset for MediaPipe Tasks' FaceDetector:
//   node scripts/build-face-model.mjs [output]   (default static/vendor/face_detector.tflite)
//
// @mediapipe/face_detection ships the BlazeFace short-range network but without TFLite metadata,
// and the Tasks FaceDetector refuses a float model whose input has no NormalizationOptions. This
// adds that metadata (input [0,255] -> [-1,1]); the network bytes are reused unchanged. The output
// is deterministic: the same input gives the same bytes.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { attachMetadata } from './lib/tflite-attach-metadata.mjs';
import { buildModelMetadata } from './lib/tflite-metadata.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SOURCE_MODEL = resolve(repoRoot, 'node_modules/@mediapipe/face_detection/face_detection_short_range.tflite');
export const DEFAULT_OUTPUT = resolve(repoRoot, 'static/vendor/face_detector.tflite');
// face_detection_short_range.tflite of @mediapipe/face_detection@0.4.1657300184 (pinned in package.json).
const SOURCE_SHA256 = '3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633';

export const FACE_MODEL_METADATA = {
  name: 'BlazeFace (short-range)',
  description:
    'Detects faces in a 128x128 RGB image: 896 SSD anchors, each with a box and 6 keypoints (eyes, nose tip, mouth, ear tragions). ' +
    'Network from @mediapipe/face_detection@0.4.1657300184 (face_detection_short_range.tflite); metadata added by moodlens.',
  version: '0.4.1657300184',
  author: 'Google MediaPipe',
  license: 'Apache License. Version 2.0 http://www.apache.org/licenses/LICENSE-2.0.',
  inputs: [
    {
      name: 'image',
      description: 'RGB image, 128x128, values normalized from [0, 255] to [-1, 1].',
      image: { colorSpace: /** @type {const} */ ('RGB'), normalization: { mean: [127.5], std: [127.5] } },
    },
  ],
  outputs: [
    { name: 'regressors', description: 'Per anchor: box center offset, size and 6 keypoints, in 128-pixel units (896x16).' },
    { name: 'classificators', description: 'Per anchor: face score logit (896x1).' },
  ],
  minParserVersion: '1.0.0',
};

/** @param {Uint8Array} sourceBytes the metadata-less BlazeFace short-range model */
export function buildFaceModelBytes(sourceBytes) {
  return attachMetadata(sourceBytes, buildModelMetadata(FACE_MODEL_METADATA));
}

/** Builds the asset into `outputPath` (written atomically). */
export function buildFaceModel(outputPath = DEFAULT_OUTPUT) {
  let sourceBytes;
  try {
    sourceBytes = readFileSync(SOURCE_MODEL);
  } catch {
    throw new Error(`${SOURCE_MODEL} not found: run \`npm ci\` (devDependency @mediapipe/face_detection).`);
  }
  const digest = createHash('sha256').update(sourceBytes).digest('hex');
  if (digest !== SOURCE_SHA256) {
    throw new Error(`${SOURCE_MODEL} has sha256 ${digest}, expected ${SOURCE_SHA256}: check the pinned @mediapipe/face_detection version.`);
  }
  const output = buildFaceModelBytes(new Uint8Array(sourceBytes));
  mkdirSync(dirname(outputPath), { recursive: true });
  const partial = `${outputPath}.partial`;
  writeFileSync(partial, output);
  renameSync(partial, outputPath);
  return { outputPath, bytes: output.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const { outputPath, bytes } = buildFaceModel(process.argv[2] ? resolve(process.argv[2]) : undefined);
    console.log(`face model: wrote ${outputPath} (${bytes} bytes)`);
  } catch (error) {
    console.error(`build-face-model: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}

#!/usr/bin/env node
// Builds the face-detector assets for MediaPipe Tasks' FaceDetector:
//   node scripts/build-face-model.mjs [output-folder]   (default static/vendor)
// face_detector.tflite            BlazeFace short range (128x128): video frames
// face_detector_full_range.tflite BlazeFace full range (192x192): photos (docs/finding-faces.md)
//
// @mediapipe/face_detection ships both networks but without TFLite metadata, and the Tasks
// FaceDetector refuses a float model whose input has no NormalizationOptions. This adds that
// metadata (input [0,255] -> [-1,1]); the network bytes are reused unchanged. The output is
// deterministic: the same input gives the same bytes.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { attachMetadata } from './lib/tflite-attach-metadata.mjs';
import { buildModelMetadata } from './lib/tflite-metadata.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE = resolve(repoRoot, 'node_modules/@mediapipe/face_detection');
export const DEFAULT_FOLDER = resolve(repoRoot, 'static/vendor');

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

/** The two networks of @mediapipe/face_detection@0.4.1657300184 (pinned in package.json). */
export const FACE_MODELS = {
  short: {
    source: resolve(PACKAGE, 'face_detection_short_range.tflite'),
    sha256: '3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633',
    output: 'face_detector.tflite',
    metadata: FACE_MODEL_METADATA,
  },
  full: {
    source: resolve(PACKAGE, 'face_detection_full_range.tflite'),
    sha256: '99bf9494d84f50acc6617d89873f71bf6635a841ea699c17cb3377f9507cfec3',
    output: 'face_detector_full_range.tflite',
    metadata: {
      ...FACE_MODEL_METADATA,
      name: 'BlazeFace (full-range)',
      description:
        'Detects faces in a 192x192 RGB image, near and far: 2304 SSD anchors, each with a box and 6 keypoints. ' +
        'Network from @mediapipe/face_detection@0.4.1657300184 (face_detection_full_range.tflite); metadata added by moodlens.',
      inputs: [{ ...FACE_MODEL_METADATA.inputs[0], description: 'RGB image, 192x192, values normalized from [0, 255] to [-1, 1].' }],
      outputs: [
        { name: 'regressors', description: 'Per anchor: box center offset, size and 6 keypoints, in 192-pixel units (2304x16).' },
        { name: 'classificators', description: 'Per anchor: face score logit (2304x1).' },
      ],
    },
  },
};

/** @param {Uint8Array} sourceBytes a metadata-less BlazeFace model @param {'short' | 'full'} range */
export function buildFaceModelBytes(sourceBytes, range = 'short') {
  return attachMetadata(sourceBytes, buildModelMetadata(FACE_MODELS[range].metadata));
}

/** Builds one asset into `outputPath` (written atomically). @param {'short' | 'full'} range */
export function buildFaceModel(outputPath = resolve(DEFAULT_FOLDER, FACE_MODELS.short.output), range = 'short') {
  const { source, sha256 } = FACE_MODELS[range];
  let sourceBytes;
  try {
    sourceBytes = readFileSync(source);
  } catch {
    throw new Error(`${source} not found: run \`npm ci\` (devDependency @mediapipe/face_detection).`);
  }
  const digest = createHash('sha256').update(sourceBytes).digest('hex');
  if (digest !== sha256) {
    throw new Error(`${source} has sha256 ${digest}, expected ${sha256}: check the pinned @mediapipe/face_detection version.`);
  }
  const output = buildFaceModelBytes(new Uint8Array(sourceBytes), range);
  mkdirSync(dirname(outputPath), { recursive: true });
  const partial = `${outputPath}.partial`;
  writeFileSync(partial, output);
  renameSync(partial, outputPath);
  return { outputPath, bytes: output.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const folder = process.argv[2] ? resolve(process.argv[2]) : DEFAULT_FOLDER;
    for (const [range, { output }] of Object.entries(FACE_MODELS)) {
      const { outputPath, bytes } = buildFaceModel(resolve(folder, output), /** @type {'short' | 'full'} */ (range));
      console.log(`face model: wrote ${outputPath} (${bytes} bytes)`);
    }
  } catch (error) {
    console.error(`build-face-model: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}

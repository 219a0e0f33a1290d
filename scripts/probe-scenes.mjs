#!/usr/bin/env node
// How the photo search does on the eval's scenes of small and many faces (bench/accuracy/scenes.ts,
// the same scenes as `npm run eval`), with the reasons behind it: faces found by frame width and by
// face size, every false find, time per scene, and optionally the raw BlazeFace scores of each
// missed face in views around it (the figures in docs/finding-faces.md).
//
//   node scripts/probe-scenes.mjs [--scenes DIR] [--per-kind 20] [--min-width 1280]
//        [--options '{"minFaceSize":24}'] [--shares 2,3,4] [--sides 228] [--net full|short] [--bitmap]
//
// --scenes: where the scenes are written once (default: a folder in the system's temp folder);
// --bitmap: decode each scene as the photo view does; --options: createEmotionDetector options;
// --shares / --sides: views around each missed face (it fills 1/share; or sides in frame pixels)
// in which --net (full range by default, or short range) scores it.
// Needs FER2013 where `npm run eval` reads it.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launch } from '../bench/lib/launch.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    scenes: { type: 'string', default: join(tmpdir(), 'moodlens-scenes') },
    'per-kind': { type: 'string', default: '20' },
    'min-width': { type: 'string', default: '0' },
    options: { type: 'string', default: '{}' },
    shares: { type: 'string', default: '' },
    sides: { type: 'string', default: '' },
    net: { type: 'string', default: 'full' },
    bitmap: { type: 'boolean', default: false },
  },
});
const scenes = resolve(values.scenes);
if (!existsSync(join(scenes, 'truth.json'))) await launch(join(repo, 'scripts/scene-probe/make.ts'), [scenes, values['per-kind']], 'probe-scenes');
const args = ['--scenes', scenes, '--repo', repo, '--min-width', values['min-width'], '--options', values.options];
if (values.shares) args.push('--shares', values.shares);
if (values.sides) args.push('--sides', values.sides);
args.push('--net', values.net);
if (values.bitmap) args.push('--bitmap');
await launch(join(repo, 'scripts/scene-probe/probe.ts'), args, 'probe-scenes');

#!/usr/bin/env node
// Where the pipeline's crops lose accuracy (issue #19, crop fidelity): fidelity frames as in
// `npm run eval` for Training faces (to fit a crop rule on) and for the eval's PublicTest subset,
// the detectors' boxes and keypoints on them, and the accuracy on found faces of the classifier
// alone, of the true face square, and of each crop rule given as JSON ('box': align.ts's faceCrop
// settings; 'avg': several crops' probabilities averaged); --raw: what each MediaPipe model finds
// over the whole frame at each threshold. The figures in docs/finding-faces.md.
//
//   node scripts/probe-crops.mjs [--dir DIR] [--fit 1000] [--test 500] [--path video|photo] [--raw]
//        [--model mini-xception] [--rules '{"now":{"kind":"box","margin":0.2,"shiftUp":0.1,"upright":true},
//        "three":{"kind":"avg","of":[...three box rules...]}}']
//
// Frames and detections are written once to --dir (default: a folder in the system's temp folder).
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launch } from '../bench/lib/launch.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: join(tmpdir(), 'moodlens-crops') },
    fit: { type: 'string', default: '1000' },
    test: { type: 'string', default: '500' },
    path: { type: 'string', default: 'video' },
    model: { type: 'string', default: 'mini-xception' },
    rules: { type: 'string', default: '' },
    raw: { type: 'boolean', default: false },
  },
});
const dir = resolve(values.dir);
if (!existsSync(join(dir, 'truth.json'))) await launch(join(repo, 'scripts/crop-probe/make.ts'), [dir, values.fit, values.test], 'probe-crops');
await launch(join(repo, 'scripts/crop-probe/probe.ts'), ['--dir', dir, '--repo', repo, '--rules', values.rules, '--model', values.model, '--path', values.path, ...(values.raw ? ['--raw'] : [])], 'probe-crops');

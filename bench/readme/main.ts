/** `node bench/render-readme.mjs`: the comparison table from bench/results into README.md. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AccuracyResults } from '../accuracy/types';
import { parseOptions, usage } from '../lib/args';
import { REPO, RESULTS_DIR } from '../lib/paths';
import type { SpeedResults } from '../speed/types';
import { ReadmeError, renderTable, replaceBetweenMarkers } from './render';

const OPTIONS = {
  readme: { type: 'string', default: join(REPO, 'README.md'), help: 'the README to update' },
  results: { type: 'string', default: RESULTS_DIR, help: 'folder with speed.json and accuracy.json' },
  check: { type: 'flag', help: 'change nothing; fail if the README table is out of date' },
} as const;

function readJson<T>(path: string, kind: string): T | null {
  if (!existsSync(path)) return null;
  const json = JSON.parse(readFileSync(path, 'utf8')) as { kind?: string };
  if (json.kind !== kind) throw new ReadmeError(`${path} is not a ${kind} result (kind ${JSON.stringify(json.kind)})`);
  return json as T;
}

export async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv, OPTIONS, 'node bench/render-readme.mjs');
  if (options.help) {
    console.log(usage('node bench/render-readme.mjs', OPTIONS));
    return;
  }
  const results = resolve(options.results);
  const speed = readJson<SpeedResults>(join(results, 'speed.json'), 'moodlens-speed');
  const accuracy = readJson<AccuracyResults>(join(results, 'accuracy.json'), 'moodlens-accuracy');
  const readmePath = resolve(options.readme);
  if (!existsSync(readmePath)) throw new ReadmeError(`${readmePath} not found`);
  const before = readFileSync(readmePath, 'utf8');
  const after = replaceBetweenMarkers(before, renderTable(speed, accuracy));
  if (options.check) {
    if (after !== before) throw new ReadmeError(`${readmePath}: the bench table is out of date; run node bench/render-readme.mjs`);
    console.log('render-readme: README table is up to date');
    return;
  }
  writeFileSync(readmePath, after);
  console.log(`render-readme: ${after === before ? 'README table already up to date' : `updated ${readmePath}`}`);
}

#!/usr/bin/env node
/**
 * `npx moodlens-assets [folder]`: copies what the detector loads at run time (pipeline/: its code,
 * TF.js and MediaPipe; vendor/: their wasm files and the face models; models/: the emotion models) into a folder your site serves,
 * `public/moodlens/` by default (Vite serves public/ at the site's root). Then pass
 * `assetBase: '/moodlens/'` to createEmotionDetector, or `asset-base="/moodlens/"` to the element.
 */
import { cpSync, existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
if (args.includes('--help') || args.length > 1) {
  console.log('usage: moodlens-assets [folder]   (default: public/moodlens)');
  process.exit(args.includes('--help') ? 0 : 1);
}
const target = resolve(args[0] ?? 'public/moodlens');
const here = fileURLToPath(new URL('..', import.meta.url));
for (const dir of ['pipeline', 'vendor', 'models']) {
  const from = resolve(here, dir);
  if (!existsSync(from)) {
    console.error(`moodlens-assets: ${from} is missing; reinstall the package`);
    process.exit(1);
  }
  cpSync(from, resolve(target, dir), { recursive: true });
}
const shown = relative(process.cwd(), target) || '.';
console.log(`moodlens-assets: copied pipeline/, vendor/ and models/ into ${shown}/; use assetBase '/${shown.replace(/^public\/?/, '')}/' if ${shown} is served at the site's root.`.replace('//', '/'));

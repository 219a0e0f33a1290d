#!/usr/bin/env node
// `node bench/run.mjs speed|eval [options]`: npm run bench, npm run eval (--help lists the options).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './lib/launch.mjs';

const COMMANDS = { speed: 'speed/main.ts', eval: 'accuracy/main.ts', start: 'start/main.ts' };
const here = dirname(fileURLToPath(import.meta.url));
const [command, ...args] = process.argv.slice(2);

if (!Object.hasOwn(COMMANDS, command ?? '')) {
  console.error(`usage: node bench/run.mjs ${Object.keys(COMMANDS).join('|')} [options] (--help for the options)`);
  process.exit(2);
}
await launch(join(here, COMMANDS[command]), args, command === 'speed' ? 'bench' : command === 'start' ? 'bench:start' : command);

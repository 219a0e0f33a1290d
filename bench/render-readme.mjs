#!/usr/bin/env node
// `node bench/render-readme.mjs [--check]`: writes the comparison table from bench/results/*.json
// into README.md between <!-- bench:start --> and <!-- bench:end -->.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './lib/launch.mjs';

await launch(join(dirname(fileURLToPath(import.meta.url)), 'readme', 'main.ts'), process.argv.slice(2), 'render-readme');

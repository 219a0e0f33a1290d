#!/usr/bin/env node
// After `vite build`: writes a brotli (.br) and a gzip (.gz) copy beside every large compressible
// file of dist/ (scripts, styles, wasm, model JSON and weights), so that a static host that serves
// precompressed files (nginx gzip_static / brotli_static, Caddy precompressed, Netlify, ...) sends
// them without compressing on every request. Prints what a first visit transfers, plain and
// compressed. Only copies that are really smaller are kept.
//
//   node scripts/precompress.mjs [dir]   (default dist)
import { readdirSync, readFileSync, statSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = process.argv[2] ?? 'dist';
const COMPRESSIBLE = /\.(js|mjs|css|html|json|wasm|bin|tflite|svg|webmanifest)$/;
const MIN_BYTES = 1024;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

const sizes = new Map(); // path in root -> { plain, gzip, brotli }
let written = 0;
for (const path of [...files(root)]) {
  if (/\.(br|gz)$/.test(path)) continue;
  if (!COMPRESSIBLE.test(path) || statSync(path).size < MIN_BYTES) continue;
  const data = readFileSync(path);
  const gzip = gzipSync(data);
  // Quality 6 (gzip: its default 6): within a few per cent of the slowest settings on these
  // files, in seconds instead of a minute, since every build runs this.
  const brotli = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
  for (const [suffix, copy] of [['.gz', gzip], ['.br', brotli]]) {
    if (copy.length < data.length * 0.95) {
      writeFileSync(path + suffix, copy);
      written++;
    } else if (existsSync(path + suffix)) rmSync(path + suffix);
  }
  sizes.set(relative(root, path), { plain: data.length, gzip: Math.min(gzip.length, data.length), brotli: Math.min(brotli.length, data.length) });
}

const worker = join(root, 'sw.js');
const precached = existsSync(worker) ? [...readFileSync(worker, 'utf8').matchAll(/url:"([^"]+)"/g)].map((m) => m[1]) : [];
const totals = { plain: 0, gzip: 0, brotli: 0 };
for (const url of new Set(precached)) {
  const plain = statSync(join(root, url)).size;
  const size = sizes.get(url) ?? { plain, gzip: plain, brotli: plain }; // small or incompressible
  for (const kind of Object.keys(totals)) totals[kind] += size[kind];
}
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
console.log(`precompress: ${written} copies (.br, .gz) in ${relative(process.cwd(), root) || '.'}`);
if (precached.length > 0) {
  console.log(
    `precompress: a first visit downloads ${new Set(precached).size} files (what the service worker caches): ` +
      `${mb(totals.plain)} plain, ${mb(totals.gzip)} gzip, ${mb(totals.brotli)} brotli`,
  );
}

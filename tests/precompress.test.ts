/** scripts/precompress.mjs: .br and .gz copies a host can serve as they are, and what a first visit downloads. */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const dist = mkdtempSync(join(tmpdir(), 'moodlens-precompress-'));
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe('precompress', () => {
  it('writes decodable copies of large compressible files only, and sums what the service worker caches', () => {
    const script = 'export const model = ' + JSON.stringify(Array.from({ length: 4000 }, (_, i) => i % 7)) + ';\n';
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'assets', 'app.js'), script);
    writeFileSync(join(dist, 'tiny.json'), '{}');
    const noise = randomBytes(5000);
    writeFileSync(join(dist, 'noise.bin'), noise); // incompressible: no copy
    writeFileSync(join(dist, 'sw.js'), 'precacheAndRoute([{url:"assets/app.js",revision:null},{url:"tiny.json",revision:"1"}])');

    const printed = execFileSync(process.execPath, ['scripts/precompress.mjs', dist], { encoding: 'utf8' });

    expect(brotliDecompressSync(readFileSync(join(dist, 'assets', 'app.js.br'))).toString()).toBe(script);
    expect(gunzipSync(readFileSync(join(dist, 'assets', 'app.js.gz'))).toString()).toBe(script);
    expect(existsSync(join(dist, 'tiny.json.br'))).toBe(false);
    expect(existsSync(join(dist, 'noise.bin.br'))).toBe(false);
    expect(printed).toMatch(/a first visit downloads 2 files \(what the service worker caches\): 0\.0 MB plain/);
  });
});

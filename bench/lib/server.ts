/**
 * A small static server for the bench pages: the built pages, the app's own runtime files
 * (static/vendor, static/models), the peers' model folders from node_modules and the frames,
 * all from one local origin (nothing comes from a CDN). It logs every file it serves with its
 * size, which is how the benchmark measures what each pipeline downloads.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
};

export interface Served {
  path: string;
  bytes: number;
  /** Bytes as a static host sends them gzipped (level 9); 0 when answered from the browser's cache. */
  gzipped: number;
}

/** Files gzipped (level 9), by path and modification time: each file is compressed once per run. */
const gzipped = new Map<string, Buffer>();

function gzippedFile(key: string, read: () => Buffer): Buffer {
  let body = gzipped.get(key);
  if (body === undefined) {
    body = gzipSync(read(), { level: 9 });
    gzipped.set(key, body);
  }
  return body;
}

export interface BenchServer {
  readonly origin: string;
  /** Files served since the last `takeLog()`. */
  takeLog(): Served[];
  /** Serves `prefix<name>` from memory: `provide(name)` returns the bytes or undefined (404). */
  setDynamic(prefix: string, provide: (name: string) => Buffer | undefined): void;
  /** On: files go out gzipped to browsers that accept it, as a static host sends them (off by
   * default: on one machine, inflating costs time that no network saves). */
  compress: boolean;
  close(): Promise<void>;
}

/** `mounts` maps URL prefixes (ending in '/') to folders; '/' is the fallback. */
export async function startServer(mounts: Record<string, string>): Promise<BenchServer> {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const dynamic = new Map<string, (name: string) => Buffer | undefined>();
  let log: Served[] = [];

  function fileFor(urlPath: string): string | undefined {
    const prefix = prefixes.find((p) => urlPath.startsWith(p));
    if (prefix === undefined) return undefined;
    const root = mounts[prefix];
    const rest = urlPath.slice(prefix.length) || 'index.html';
    const file = normalize(join(root, rest));
    if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined; // no ../ escapes
    return file;
  }

  const server: Server = createServer((request, response) => {
    const urlPath = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const headers = { 'Cache-Control': 'no-cache', 'Content-Type': TYPES[extname(urlPath)] ?? 'application/octet-stream' };
    for (const [prefix, provide] of dynamic) {
      if (!urlPath.startsWith(prefix)) continue;
      const body = provide(urlPath.slice(prefix.length));
      if (!body) break;
      log.push({ path: urlPath, bytes: body.length, gzipped: gzipSync(body, { level: 9 }).length });
      response.writeHead(200, { ...headers, 'Content-Length': body.length });
      response.end(body);
      return;
    }
    const file = fileFor(urlPath);
    let size = -1;
    try {
      if (file) size = statSync(file).isFile() ? statSync(file).size : -1;
    } catch {
      size = -1;
    }
    if (!file || size < 0) {
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end(`not found: ${urlPath}`);
      return;
    }
    // Revalidation as a static host answers it, so that a repeat visit uses the browser's cache.
    const etag = `"${size}-${Math.round(statSync(file).mtimeMs)}"`;
    if (request.headers['if-none-match'] === etag) {
      log.push({ path: urlPath, bytes: 0, gzipped: 0 });
      response.writeHead(304, { ETag: etag, 'Cache-Control': 'no-cache' });
      response.end();
      return;
    }
    headers['Content-Type'] = TYPES[extname(file)] ?? headers['Content-Type']; // '/' is index.html
    const packed = gzippedFile(`${file}@${etag}`, () => readFileSync(file));
    log.push({ path: urlPath, bytes: size, gzipped: packed.length });
    if (bench.compress && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      response.writeHead(200, { ...headers, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding', 'Content-Length': packed.length, ETag: etag });
      response.end(packed);
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Length': size, ETag: etag });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  const bench: BenchServer = {
    compress: false,
    origin: `http://127.0.0.1:${port}`,
    takeLog() {
      const taken = log;
      log = [];
      return taken;
    },
    setDynamic(prefix, provide) {
      dynamic.set(prefix, provide);
    },
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
  return bench;
}

/** Bytes per kind: model files, wasm, JavaScript, the rest (pages, frames). */
export function classify(log: readonly Served[]): { models: number; wasm: number; js: number; other: number; gzipped: number } {
  const totals = { models: 0, wasm: 0, js: 0, other: 0, gzipped: 0 };
  for (const { path, bytes, gzipped } of log) {
    totals.gzipped += gzipped;
    if (/^\/(models|peers)\//.test(path) || path.endsWith('.tflite')) totals.models += bytes;
    else if (path.endsWith('.wasm')) totals.wasm += bytes;
    else if (path.endsWith('.js')) totals.js += bytes;
    else totals.other += bytes;
  }
  return totals;
}

#!/usr/bin/env node
// A tiny static file server for the widget tests (started by playwright.config.ts):
//   node e2e/widget/static-server.mjs --port 4318 --dir /=widget-dist [--dir /fixtures/=path]
//        [--cors] [--replace __KEY__=value]
// --cors answers every request with Access-Control-Allow-Origin: * (the widget folder is loaded
// cross-origin by the host pages); --replace substitutes text in served .html files (the host
// pages name the widget's origin). Pages named *isolated*.html are served cross-origin isolated
// (COOP + COEP). Binds 127.0.0.1 only; GET and HEAD only.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename, extname, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.css': 'text/css; charset=utf-8',
};

function parseArgs(argv) {
  const options = { port: 0, dirs: [], cors: false, replacements: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    const pair = (text) => {
      const at = text.indexOf('=');
      if (at < 1) throw new Error(`${flag} expects KEY=VALUE, got ${text}`);
      return [text.slice(0, at), text.slice(at + 1)];
    };
    if (flag === '--port') options.port = Number(value());
    else if (flag === '--cors') options.cors = true;
    else if (flag === '--dir') {
      const [prefix, dir] = pair(value());
      options.dirs.push({ prefix, root: resolve(dir) });
    } else if (flag === '--replace') options.replacements.push(pair(value()));
    else throw new Error(`unknown option ${flag}`);
  }
  if (!Number.isInteger(options.port) || options.port <= 0) throw new Error('--port must be a port number');
  if (options.dirs.length === 0) throw new Error('at least one --dir PREFIX=PATH is needed');
  // Longest prefix first, so /fixtures/ wins over /.
  options.dirs.sort((a, b) => b.prefix.length - a.prefix.length);
  return options;
}

/** The file for a URL path, or null when it is outside every served folder. */
function fileFor(pathname, dirs) {
  const mount = dirs.find((d) => pathname.startsWith(d.prefix));
  if (!mount) return null;
  const file = resolve(mount.root, `.${sep}${decodeURIComponent(pathname.slice(mount.prefix.length))}`);
  return file === mount.root || file.startsWith(mount.root + sep) ? file : null;
}

const options = parseArgs(process.argv.slice(2));

const server = createServer((request, response) => {
  const headers = { 'Cache-Control': 'no-store' };
  if (options.cors) {
    headers['Access-Control-Allow-Origin'] = '*';
    // Also loadable by cross-origin-isolated pages (COEP: require-corp), e.g. MediaPipe's loader script.
    headers['Cross-Origin-Resource-Policy'] = 'cross-origin';
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  let file = fileFor(url.pathname, options.dirs);
  try {
    if (file && statSync(file).isDirectory()) file = resolve(file, 'index.html');
    if (!file || !statSync(file).isFile()) throw new Error('not a file');
  } catch {
    response.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  headers['Content-Type'] = TYPES[extname(file)] ?? 'application/octet-stream';
  // Pages named *isolated*.html are cross-origin isolated, as apps that need SharedArrayBuffer are.
  if (extname(file) === '.html' && basename(file).includes('isolated')) {
    headers['Cross-Origin-Opener-Policy'] = 'same-origin';
    headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
  }
  if (extname(file) === '.html' && options.replacements.length > 0) {
    let text = readFileSync(file, 'utf8');
    for (const [key, replacement] of options.replacements) text = text.replaceAll(key, replacement);
    response.writeHead(200, headers).end(request.method === 'HEAD' ? undefined : text);
    return;
  }
  headers['Content-Length'] = String(statSync(file).size);
  response.writeHead(200, headers);
  if (request.method === 'HEAD') response.end();
  else createReadStream(file).pipe(response);
});

server.listen(options.port, '127.0.0.1', () => {
  console.log(`static-server: http://127.0.0.1:${options.port}/ -> ${options.dirs.map((d) => `${d.prefix} ${d.root}`).join(', ')}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));

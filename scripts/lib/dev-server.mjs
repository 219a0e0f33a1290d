// A Vite dev server over the repository for a measuring page (scripts/bench/, scripts/face-detectors/):
// the app's own code compiled on the fly, models and wasm served straight from the repository.
import { join } from 'node:path';
import { createServer } from 'vite';

/** @param {string} repoRoot @param {string} page the page's path from the root, e.g. 'scripts/bench/index.html' */
export async function startDevServer(repoRoot, page) {
  const server = await createServer({
    configFile: false,
    root: repoRoot,
    publicDir: false,
    cacheDir: join(repoRoot, 'node_modules/.vite-bench'),
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, hmr: false, watch: null, fs: { strict: false } },
    optimizeDeps: { entries: [page] },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the dev server has no port');
  return { server, url: `http://127.0.0.1:${address.port}` };
}

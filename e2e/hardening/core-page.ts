/**
 * A blank page of the app's origin that loads the core API (src/lib) and nothing else, for tests
 * that drive the library directly (re-creating detectors, switching models) rather than the UI.
 * src/lib/index.ts is bundled on the fly with Vite's build API (not written to disk) and served
 * through page.route under /__core/; /vendor and /models come from the app's server as usual.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { build, type Rolldown } from 'vite';

const ENTRY = fileURLToPath(new URL('../../src/lib/index.ts', import.meta.url));
const PREFIX = '/__core/';

let bundle: Promise<Map<string, string>> | undefined;

async function bundleCore(): Promise<Map<string, string>> {
  const output = (await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      lib: { entry: ENTRY, formats: ['es'], fileName: 'index' },
    },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const files = new Map<string, string>();
  for (const result of Array.isArray(output) ? output : [output]) {
    for (const chunk of result.output) if (chunk.type === 'chunk') files.set(chunk.fileName, chunk.code);
  }
  if (!files.has('index.js')) throw new Error(`core bundle has no index.js (got ${[...files.keys()].join(', ')})`);
  return files;
}

/** Opens the blank core page; `window.__core` is then the module of src/lib/index.ts. */
export async function openCorePage(page: Page): Promise<void> {
  bundle ??= bundleCore();
  const files = await bundle;
  await page.route(`**${PREFIX}**`, (route) => {
    const name = new URL(route.request().url()).pathname.slice(PREFIX.length);
    if (name === 'page.html') {
      return route.fulfill({
        contentType: 'text/html',
        // The same policy as the app (index.html): the core must work under it.
        body: `<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; img-src 'self' data: blob:; worker-src 'self'"><title>core</title>
<script type="module" src="${PREFIX}boot.js"></script>`,
      });
    }
    if (name === 'boot.js') {
      return route.fulfill({
        contentType: 'text/javascript',
        body: `window.__core = await import('${PREFIX}index.js'); window.__coreReady = true;`,
      });
    }
    const code = files.get(name);
    return code === undefined ? route.fulfill({ status: 404 }) : route.fulfill({ contentType: 'text/javascript', body: code });
  });
  await page.goto(`${PREFIX}page.html`);
  await page.waitForFunction(() => (window as unknown as { __coreReady?: boolean }).__coreReady === true);
}

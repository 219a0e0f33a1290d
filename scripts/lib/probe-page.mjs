// A measuring page of the repository (e.g. scripts/scene-probe/index.html) on a Vite dev server,
// open in headless Chromium (Debian's where installed) once the page has set `window[ready]`.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { startDevServer } from './dev-server.mjs';

/**
 * @param {string} repoRoot
 * @param {string} pagePath the page's path from the root, e.g. 'scripts/scene-probe/index.html'
 * @param {string} ready the global the page sets when it is ready
 * @returns {Promise<{ page: import('@playwright/test').Page, close: () => Promise<void> }>}
 */
export async function openProbePage(repoRoot, pagePath, ready) {
  const { server, url } = await startDevServer(repoRoot, pagePath);
  const browser = await chromium.launch(existsSync('/usr/bin/chromium') ? { executablePath: '/usr/bin/chromium' } : {});
  const close = async () => {
    await browser.close();
    await server.close();
  };
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.goto(`${url}/${pagePath}`);
    await page.waitForFunction((name) => window[name] !== undefined, ready, { timeout: 120_000 });
    return { page, close };
  } catch (error) {
    await close();
    throw error;
  }
}

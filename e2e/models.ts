/** Serves a random-weight export (see global-setup.ts) as the app's attention model, or hides it,
 * whatever models/ holds: tests must not depend on which attention model a build ships. */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Page } from '@playwright/test';
import { RANDOM_MODELS } from './fixtures/paths';

export type AttentionArchitecture = 'aer-cnn' | 'deep-emotion' | 'deep-emotion-seq';

const TYPES: Record<string, string> = { '.json': 'application/json', '.bin': 'application/octet-stream' };

/** The shipped blend.json measured the shipped attention model, not the one a test serves. */
async function hideBlend(page: Page): Promise<void> {
  await page.route('**/models/blend.json', (route) => route.fulfill({ status: 404, body: 'Not found' }));
}

export async function serveAttentionModel(page: Page, architecture: AttentionArchitecture): Promise<void> {
  await hideBlend(page);
  await page.route('**/models/attention/*', (route) => {
    const file = basename(new URL(route.request().url()).pathname);
    try {
      const body = readFileSync(join(RANDOM_MODELS, architecture, file));
      return route.fulfill({ status: 200, body, contentType: TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' });
    } catch {
      return route.fulfill({ status: 404, body: 'Not found' });
    }
  });
}

/** A build without the attention model. */
export async function hideAttentionModel(page: Page): Promise<void> {
  await hideBlend(page);
  await page.route('**/models/attention/**', (route) => route.fulfill({ status: 404, body: 'Not found' }));
}

/** A speed.json as `npm run bench:models` writes it (only what the app reads). */
export async function serveSpeed(page: Page, msPerFace: Record<string, number>): Promise<void> {
  const models = Object.fromEntries(Object.entries(msPerFace).map(([name, ms]) => [name, { msPerFace: ms, msPerFaceBatch8: ms / 2, runs: 30 }]));
  await page.route('**/models/speed.json', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ backend: 'wasm', models }) }),
  );
}

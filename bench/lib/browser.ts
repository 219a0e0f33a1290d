/** Headless Chromium for the bench pages, with the e2e tests' launch settings (Debian's chromium when present). */
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { launchOptions } from '../../e2e/browser';
import { UsageError } from './args';
import type { BenchApi, ColdStart } from '../pages/main';

export type { BenchApi, Browser, BrowserContext, ColdStart, Page };

export function launchBrowser(): Promise<Browser> {
  return chromium.launch(launchOptions([]));
}

/** Remembers every request that leaves `origin` (the pages' CSP blocks them; the report lists them). */
export async function newContext(browser: Browser, origin: string, external: string[]): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) external.push(url);
  });
  return context;
}

export interface PageQuery {
  pipeline: string;
  backend: string;
  model?: string;
  /** URL of the frame to run first (the cold-start frame); none: the page only loads the pipeline. */
  frame?: string;
}

export function pageUrl(origin: string, query: PageQuery): string {
  const params = new URLSearchParams({ pipeline: query.pipeline, backend: query.backend });
  if (query.model) params.set('model', query.model);
  if (query.frame) params.set('frame', query.frame);
  return `${origin}/index.html?${params}`;
}

/** A network link for the page, as Chromium's DevTools throttling emulates it. */
export interface Link {
  mbps: number;
  rttMs: number;
}

/** --network's "10/40" (Mbit/s down / round trip ms) to a link; "none" to null. */
export function parseLink(value: string): Link | null {
  if (value === 'none') return null;
  const match = /^(\d+(?:\.\d+)?)\/(\d+)$/.exec(value);
  if (!match || Number(match[1]) <= 0) throw new UsageError(`--network: a link is Mbit/s/round-trip ms, e.g. 10/40, or none (got ${JSON.stringify(value)})`);
  return { mbps: Number(match[1]), rttMs: Number(match[2]) };
}

export function linkName(link: Link): string {
  return `${link.mbps} Mbit/s, ${link.rttMs} ms round trip`;
}

/** From now on `page`'s requests go over `link` (Chromium's DevTools throttling). */
export async function emulateLink(context: BrowserContext, page: Page, link: Link): Promise<void> {
  const devtools = await context.newCDPSession(page);
  await devtools.send('Network.enable');
  const bytesPerSecond = (link.mbps * 1e6) / 8;
  await devtools.send('Network.emulateNetworkConditions', { offline: false, latency: link.rttMs, downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond });
}

/** Opens a bench page (over `link` when given) and waits for its first result; page errors fail
 * loudly with the page's own message. */
export async function openBenchPage(context: BrowserContext, url: string, link: Link | null = null, timeoutMs = 180_000): Promise<{ page: Page; cold: ColdStart }> {
  const page = await context.newPage();
  if (link) await emulateLink(context, page, link);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url);
  try {
    const cold = await page.evaluate((timeout) => {
      const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no first result within ${timeout} ms`)), timeout));
      return Promise.race([window.__bench.started, timer]);
    }, timeoutMs);
    return { page, cold };
  } catch (error) {
    throw new Error(`${url}: ${(error as Error).message}${errors.length ? `\npage errors:\n  ${errors.join('\n  ')}` : ''}`, { cause: error });
  }
}

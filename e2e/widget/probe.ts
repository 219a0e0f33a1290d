/**
 * Observes widgets from outside, as a host page would: their events (listened for on the
 * document, so they must bubble out of the shadow root), the camera streams handed out by
 * getUserMedia, CSP violations, and every request of the browser context. Installed as an init
 * script, which runs before the page's own scripts and is not subject to its CSP.
 */
import { expect, type BrowserContext, type Page } from '@playwright/test';
import type { EmotionsDetail, ReadyDetail, WidgetErrorDetail } from '../../src/widget';
import { HOST_ORIGIN, WIDGET_ORIGIN } from './servers';

export interface WidgetLog {
  counts: Record<string, Record<string, number>>;
  ready: Record<string, ReadyDetail>;
  emotions: Record<string, EmotionsDetail[]>;
  errors: Record<string, WidgetErrorDetail[]>;
  cspViolations: string[];
}

declare global {
  interface Window {
    __widgetLog: WidgetLog;
    __streams: MediaStream[];
  }
}

/** Keeps the first and the last few `emotions` events of each widget. */
const KEEP_EMOTIONS = 5;

export async function installProbe(page: Page): Promise<void> {
  await page.addInitScript((keep) => {
    const log: WidgetLog = { counts: {}, ready: {}, emotions: {}, errors: {}, cspViolations: [] };
    window.__widgetLog = log;
    window.__streams = [];
    for (const type of ['ready', 'emotions', 'error']) {
      document.addEventListener(type, (event) => {
        const target = event.target as Element | null;
        if (!(event instanceof CustomEvent) || target?.tagName !== 'EMOTION-DETECTOR') return;
        const id = target.id || '(no id)';
        const counts = (log.counts[id] ??= {});
        counts[type] = (counts[type] ?? 0) + 1;
        if (type === 'ready') log.ready[id] = event.detail;
        if (type === 'error') (log.errors[id] ??= []).push(event.detail);
        if (type === 'emotions') {
          const list = (log.emotions[id] ??= []);
          list.push(event.detail);
          if (list.length > keep) list.splice(1, 1); // keep the first one and the latest ones
        }
      });
    }
    document.addEventListener('securitypolicyviolation', (event) => log.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
    const devices = navigator.mediaDevices;
    const getUserMedia = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      const stream = await getUserMedia(constraints);
      window.__streams.push(stream);
      return stream;
    };
  }, KEEP_EMOTIONS);
}

export function widgetLog(page: Page): Promise<WidgetLog> {
  return page.evaluate(() => window.__widgetLog);
}

export function eventCount(page: Page, id: string, type: 'ready' | 'emotions' | 'error'): Promise<number> {
  return page.evaluate(([id, type]) => window.__widgetLog.counts[id]?.[type] ?? 0, [id, type] as const);
}

/** Waits until a widget has sent `count` `emotions` events in all (failing early on its `error`); returns the latest. */
export async function waitForEmotions(page: Page, id: string, count = 1, timeout = 90_000): Promise<EmotionsDetail> {
  await expect
    .poll(
      async () => {
        const log = await widgetLog(page);
        const errors = log.errors[id];
        if (errors?.length) throw new Error(`#${id} reported ${JSON.stringify(errors)}`);
        return log.counts[id]?.emotions ?? 0;
      },
      { timeout, intervals: [200] },
    )
    .toBeGreaterThanOrEqual(count);
  const log = await widgetLog(page);
  return log.emotions[id].at(-1)!;
}

export async function waitForError(page: Page, id: string): Promise<WidgetErrorDetail> {
  await expect.poll(() => eventCount(page, id, 'error'), { timeout: 60_000 }).toBeGreaterThan(0);
  return (await widgetLog(page)).errors[id][0];
}

/** readyState of every track of every stream getUserMedia handed out. */
export function trackStates(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__streams.flatMap((stream) => stream.getTracks().map((track) => track.readyState)));
}

/** Every URL the context requests (page, scripts, wasm, models, images...). */
export function recordRequests(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on('request', (request) => urls.push(request.url()));
  return urls;
}

/** Requests to anything but the two test servers (blob: and data: URLs never leave the page). */
export function foreignRequests(urls: readonly string[]): string[] {
  return urls.filter((url) => ![HOST_ORIGIN, WIDGET_ORIGIN].some((origin) => url.startsWith(`${origin}/`)) && !/^(blob|data):/.test(url));
}

export const widgetUrl = (path: string) => `${WIDGET_ORIGIN}/${path}`;

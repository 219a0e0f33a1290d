import { afterEach, describe, expect, it } from 'vitest';
import { bodySize, createLoadTracker, describeProgress, formatBytes } from './loadProgress';
import type { LoadProgress } from './types';

const realFetch = globalThis.fetch;

/** A server: each URL answers `size` bytes in chunks of 1000, with or without a stated size. */
function serve(files: Record<string, { size: number; headers?: Record<string, string> }>): string[] {
  const asked: string[] = [];
  globalThis.fetch = (async (input: RequestInfo | URL) => {
    const url = String(input instanceof Request ? input.url : input);
    asked.push(url);
    const file = files[url];
    if (!file) return new Response('missing', { status: 404 });
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const n = Math.min(1000, file.size - sent);
        if (n <= 0) return controller.close();
        sent += n;
        controller.enqueue(new Uint8Array(n).fill(7));
      },
    });
    return new Response(body, { headers: { 'content-type': 'application/wasm', ...(file.headers ?? { 'content-length': String(file.size) }) } });
  }) as typeof fetch;
  return asked;
}

afterEach(() => {
  globalThis.fetch = realFetch;
});

describe('load progress', () => {
  it('counts the bytes of the asset folder as they arrive, with their total', async () => {
    serve({ 'https://app.test/assets/a.wasm': { size: 5500 }, 'https://app.test/assets/b.bin': { size: 2500 }, 'https://other.test/x': { size: 10 } });
    const seen: LoadProgress[] = [];
    const tracker = createLoadTracker((p) => seen.push(p));
    const plain = globalThis.fetch;
    const stop = tracker.watch('https://app.test/assets/');
    expect(globalThis.fetch).not.toBe(plain);

    const a = await fetch('https://app.test/assets/a.wasm');
    expect(a.headers.get('content-type')).toBe('application/wasm'); // what streaming compilation checks
    expect((await a.arrayBuffer()).byteLength).toBe(5500);
    const b = await (await fetch('https://app.test/assets/b.bin')).arrayBuffer();
    expect(b.byteLength).toBe(2500);
    await (await fetch('https://other.test/x')).arrayBuffer(); // not ours: not counted
    tracker.stage('models', 'done'); // stage changes always report

    const last = seen.at(-1)!;
    expect(last.loaded).toBe(8000);
    expect(last.total).toBe(8000);
    expect(last.stages.models).toBe('done');
    stop();
    expect(globalThis.fetch).toBe(plain);
  });

  it('leaves other responses untouched and never goes backwards', async () => {
    serve({ 'https://app.test/a': { size: 3000 }, 'https://app.test/late': { size: 9000 } });
    const fractions: number[] = [];
    const tracker = createLoadTracker((p) => fractions.push(p.fraction));
    const stop = tracker.watch('https://app.test/');
    await (await fetch('https://app.test/a')).arrayBuffer();
    tracker.stage('code', 'done');
    await (await fetch('https://app.test/late')).arrayBuffer(); // a file that starts late adds to the total
    const missing = await fetch('https://app.test/none');
    expect(missing.status).toBe(404);
    for (const stage of ['faceDetector', 'backend', 'models', 'warmUp'] as const) tracker.stage(stage, 'done');
    stop();
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
    expect(fractions.at(-1)).toBe(1);
  });

  it('counts a compressed file (its stated size is not what is read) as it arrives', async () => {
    serve({
      'https://app.test/a.wasm': { size: 4000, headers: { 'content-encoding': 'br', 'content-length': '1200' } },
      'https://app.test/b.bin': { size: 6000 },
    });
    let last: LoadProgress | undefined;
    const tracker = createLoadTracker((p) => (last = p));
    const stop = tracker.watch('https://app.test/');
    await (await fetch('https://app.test/a.wasm')).arrayBuffer();
    await (await fetch('https://app.test/b.bin')).arrayBuffer();
    tracker.stage('code', 'done');
    stop();
    expect(last).toMatchObject({ loaded: 10000, total: 10000 });
    expect(describeProgress(last!)).toBe('Loading · 10 KB of 10 KB');
  });

  it('restores fetch only when the last of two loads ends', () => {
    const plain = globalThis.fetch;
    const stopFirst = createLoadTracker(() => {}).watch('https://a.test/');
    const stopSecond = createLoadTracker(() => {}).watch('https://b.test/');
    stopFirst();
    expect(globalThis.fetch).not.toBe(plain);
    stopSecond();
    expect(globalThis.fetch).toBe(plain);
  });

  it('reads sizes and writes lines a person can read', () => {
    expect(bodySize(new Headers({ 'content-length': '12' }))).toBe(12);
    expect(bodySize(new Headers({ 'content-length': '12', 'content-encoding': 'gzip' }))).toBeNull();
    expect(bodySize(new Headers())).toBeNull();
    expect(formatBytes(13_900_000)).toBe('13.9 MB');
    expect(formatBytes(830_000)).toBe('830 KB');
    const stages = { code: 'done', faceDetector: 'loading', backend: 'done', models: 'loading', warmUp: 'waiting' } as const;
    expect(describeProgress({ stages, loaded: 4_200_000, total: 13_900_000, fraction: 0.3 })).toBe(
      'Loading the face detector, emotion models · 4.2 MB of 13.9 MB',
    );
  });
});

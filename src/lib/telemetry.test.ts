import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { disableUsageLogging, USAGE_LOG_HOST } from './telemetry';

/** Shaped like the logger inside @mediapipe/tasks-vision 1.1.0: a queue posting to the log host
 * every 60 s and on close, held (via a wrapper) in a minified field of the task. */
class UsageQueue {
  events: unknown[] = [];
  timer: ReturnType<typeof setInterval> | undefined;
  constructor(private readonly send: typeof fetch) {
    this.timer = setInterval(() => this.flush(), 60_000);
  }
  close() {
    clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
  }
  flush(done?: () => void) {
    if (this.events.length === 0) return done?.();
    const body = JSON.stringify(this.events);
    this.events = [];
    void this.send('https://odml.pa.googleapis.com/v1/log', { method: 'POST', body }).then(() => done?.());
  }
}

function fakeTask(send: typeof fetch) {
  const queue = new UsageQueue(send);
  const logger = { v: 0, m: queue, close: () => queue.close(), record: (e: unknown) => queue.events.push(e) };
  return {
    h: { graph: true },
    o: logger as typeof logger | undefined,
    detect() {
      this.o?.record('detect');
    },
    close() {
      this.o?.record('close');
      this.o?.close();
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('disableUsageLogging', () => {
  it('would otherwise send logs (the fake behaves like MediaPipe)', () => {
    vi.useFakeTimers();
    const send = vi.fn(async () => new Response('')) as unknown as typeof fetch;
    const task = fakeTask(send);
    task.detect();
    vi.advanceTimersByTime(60_000);
    task.close();
    expect(send).toHaveBeenCalledWith(`https://${USAGE_LOG_HOST}/v1/log`, expect.anything());
  });

  it('stops the logger: no request on the timer, on detect or on close', () => {
    vi.useFakeTimers();
    const send = vi.fn(async () => new Response('')) as unknown as typeof fetch;
    const task = fakeTask(send);
    task.detect(); // queued before we got hold of the task
    expect(disableUsageLogging(task)).toBe(true);
    expect(task.o).toBeUndefined();
    task.detect();
    vi.advanceTimersByTime(10 * 60_000);
    task.close();
    expect(send).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves other objects alone and reports when there is no logger', () => {
    const task = { h: { flush: () => 'not a logger' }, name: 'x' };
    expect(disableUsageLogging(task)).toBe(false);
    expect(task.h.flush()).toBe('not a logger');
  });
});

describe('the installed @mediapipe/tasks-vision', () => {
  // These facts are what disableUsageLogging relies on; an upgrade that changes them must fail here.
  const bundlePath = createRequire(import.meta.url).resolve('@mediapipe/tasks-vision');
  const bundle = readFileSync(bundlePath, 'utf8');

  it('names the log host in exactly one place, inside a flush() method', () => {
    expect(bundle.split(USAGE_LOG_HOST).length - 1).toBe(1);
    const at = bundle.indexOf(USAGE_LOG_HOST);
    const flushAt = bundle.lastIndexOf('flush(', at);
    expect(flushAt).toBeGreaterThan(-1);
    expect(at - flushAt).toBeLessThan(600);
    expect(bundle.slice(flushAt, at)).not.toMatch(/\bclass\b|function\s/);
  });

  it('still has no working switch to turn logging off', () => {
    expect(bundle).not.toContain('enableLogging');
  });
});

/**
 * @mediapipe/tasks-vision 1.1.0 sends usage logs to https://odml.pa.googleapis.com/v1/log.
 *
 * What the bundle does (vision_bundle.mjs): every task, once created, holds a usage logger (a
 * minified private field). The logger queues events (graph started, per-call latency, closing),
 * flushes the queue with fetch() every 60 s and again on task.close(). There is no option to turn
 * it off: vision.d.ts declares `enableLogging()`, but the bundle has no such method. All task
 * code reads the field as `this.logger?.…`, so removing it is safe.
 *
 * We cannot name a minified field, so we find the logger by what it does: an object whose
 * `flush` method body contains the logging URL. Its queue is dropped, its timer stopped, and the
 * task's reference removed. The app's CSP (`connect-src 'self'`) is the second layer.
 */

export const USAGE_LOG_HOST = 'odml.pa.googleapis.com';

interface Flusher {
  flush: (...args: unknown[]) => unknown;
  close?: () => void;
}

function isUsageQueue(value: unknown): value is Flusher {
  if (typeof value !== 'object' || value === null) return false;
  const flush = (value as { flush?: unknown }).flush;
  return typeof flush === 'function' && Function.prototype.toString.call(flush).includes(USAGE_LOG_HOST);
}

function findUsageQueue(logger: object): Flusher | undefined {
  if (isUsageQueue(logger)) return logger;
  for (const value of Object.values(logger)) if (isUsageQueue(value)) return value;
  return undefined;
}

/**
 * Disables the usage logger of a MediaPipe task, right after creating it (nothing has been sent
 * before the first 60 s timer). Returns whether a logger was found and disabled.
 */
export function disableUsageLogging(task: object): boolean {
  const record = task as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (typeof value !== 'object' || value === null) continue;
    const queue = findUsageQueue(value);
    if (!queue) continue;
    // Own no-op flush first: close() stops the 60 s timer and then flushes.
    queue.flush = (onDone?: unknown) => {
      if (typeof onDone === 'function') onDone();
    };
    queue.close?.();
    record[key] = undefined;
    return true;
  }
  return false;
}

/**
 * Collects what a page reports as going wrong: uncaught exceptions and unhandled promise
 * rejections ('pageerror') and console errors. A few console errors are expected and allowed,
 * each matched narrowly (see BENIGN and `allowFailedLoads`).
 */
import type { ConsoleMessage, Page } from '@playwright/test';

/**
 * Console errors that say nothing is wrong.
 *
 * MediaPipe's wasm writes TensorFlow Lite's log lines to stderr, which Emscripten maps to
 * console.error; this INFO line is printed by every face detector when TFLite sets up its CPU
 * (XNNPACK) delegate, i.e. on every successful load. Its warnings ("OpenGL error checking is
 * disabled", "Feedback manager requires a model with a single signature...") are console warnings,
 * which are not collected.
 */
const BENIGN: readonly RegExp[] = [/^INFO: Created TensorFlow Lite XNNPACK delegate for CPU\.$/];

const FAILED_LOAD = /^Failed to load resource: the server responded with a status of (\d{3})/;

export interface PageProblems {
  /** Lines describing each problem, empty when there is none. */
  list(): string[];
  /**
   * Allows Chromium's own "Failed to load resource" console error for responses the test itself
   * made fail (e.g. a routed 404 for a missing model), but only for URLs matching `url`.
   */
  allowFailedLoads(url: RegExp): void;
  /** Allows console errors whose text matches `text`: for failures a test provokes on purpose,
   * which a library logs on its own before the app reports them. */
  allowConsoleErrors(text: RegExp): void;
}

export function watchPageProblems(page: Page): PageProblems {
  const problems: string[] = [];
  const allowedFailures: RegExp[] = [];
  const allowedTexts: RegExp[] = [...BENIGN];
  const expected = (message: ConsoleMessage) => {
    const text = message.text();
    if (allowedTexts.some((pattern) => pattern.test(text))) return true;
    const resource = message.location().url;
    return FAILED_LOAD.test(text) && allowedFailures.some((url) => url.test(resource));
  };
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.name}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !expected(message)) {
      problems.push(`console.error: ${message.text()} (${message.location().url})`);
    }
  });
  return {
    list: () => [...problems],
    allowFailedLoads: (url) => allowedFailures.push(url),
    allowConsoleErrors: (text) => allowedTexts.push(text),
  };
}

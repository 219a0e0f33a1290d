/**
 * Settings both Playwright configs share (the app's, playwright.config.ts, and the widget's,
 * playwright.widget.config.ts): one place for the timeouts and CI policy.
 */
import type { PlaywrightTestConfig } from '@playwright/test';

export const SHARED_CONFIG = {
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  // Tests wait for events, not for a speed: a busy 2-core machine loads models and analyses
  // frames several times slower than a quiet one, so every bound is generous (see helpers.ts).
  timeout: 300_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
} satisfies PlaywrightTestConfig;

/**
 * Settings both Playwright configs share (the app's, playwright.config.ts, and the widget's,
 * playwright.widget.config.ts): one place for the timeouts and CI policy.
 */
import type { PlaywrightTestConfig } from '@playwright/test';

export const SHARED_CONFIG = {
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  // The wasm backend runs in software on small CI machines: give model loading room.
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
} satisfies PlaywrightTestConfig;

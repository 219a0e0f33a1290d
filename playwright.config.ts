import { defineConfig } from '@playwright/test';
import { ALLOW_CAMERA, FAKE_CAMERA, launchOptions } from './e2e/browser';

const PORT = 4173;

export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  // The wasm backend runs in software on small CI machines: give model loading room.
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    viewport: { width: 1280, height: 900 },
  },
  projects: [
    {
      name: 'app',
      testIgnore: [/no-webgl\.spec\.ts/, /hardening\//],
      use: { launchOptions: launchOptions([ALLOW_CAMERA, ...FAKE_CAMERA]) },
    },
    {
      // Long sessions, hostile input, leak checks (minutes): `npx playwright test --project=hardening`.
      name: 'hardening',
      testMatch: /hardening\/.*\.spec\.ts/,
      use: { launchOptions: launchOptions([ALLOW_CAMERA, ...FAKE_CAMERA]) },
    },
    {
      // A browser without any WebGL, like a machine with no usable GPU: the engine must fall back.
      // (--disable-webgl is not enough: it leaves WebGL on OffscreenCanvas, which TF.js uses.)
      name: 'no-webgl',
      testMatch: /no-webgl\.spec\.ts/,
      use: { launchOptions: launchOptions([ALLOW_CAMERA, ...FAKE_CAMERA, '--disable-gpu', '--disable-software-rasterizer']) },
    },
  ],
  webServer: {
    // `npm test` builds first; `npm run test:e2e` alone expects a fresh `npm run build`.
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});

import { defineConfig } from '@playwright/test';
import { ALLOW_CAMERA, FAKE_CAMERA, launchOptions } from './e2e/browser';
import { SHARED_CONFIG } from './e2e/shared-config';

const PORT = 4173;

export default defineConfig({
  ...SHARED_CONFIG,
  workers: 2,
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

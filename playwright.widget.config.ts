/**
 * End-to-end tests of the embeddable widget (`npm run test:e2e:widget`, which builds widget-dist/
 * first). Two static servers on two ports: widget-dist/ with CORS (as on a CDN-like host of the
 * owner's choice) and plain host pages, so every test embeds the widget cross-origin.
 */
import { defineConfig } from '@playwright/test';
import { ALLOW_CAMERA, FAKE_CAMERA, launchOptions } from './e2e/browser';
import { SHARED_CONFIG } from './e2e/shared-config';
import { HOST_ORIGIN, HOST_PORT, WIDGET_ORIGIN, WIDGET_PORT } from './e2e/widget/servers';

const SERVER = 'node e2e/widget/static-server.mjs';
const FIXTURES = '/fixtures/=e2e/fixtures/generated';

export default defineConfig({
  ...SHARED_CONFIG,
  // *.e2e.ts under widget/ and hardening/, so that the app's config (*.spec.ts) does not pick these up.
  testMatch: /(widget|hardening)\/.*\.e2e\.ts$/,
  workers: 1,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report/widget' }]] : 'list',
  outputDir: 'test-results/widget',
  use: {
    baseURL: HOST_ORIGIN,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    viewport: { width: 1280, height: 900 },
    launchOptions: launchOptions([ALLOW_CAMERA, ...FAKE_CAMERA]),
  },
  webServer: [
    {
      command: `${SERVER} --port ${WIDGET_PORT} --cors --dir /=widget-dist --dir ${FIXTURES}`,
      url: `${WIDGET_ORIGIN}/emotion-detector.js`,
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
    },
    {
      command: `${SERVER} --port ${HOST_PORT} --dir /=e2e/widget/pages --dir ${FIXTURES} --replace __WIDGET_ORIGIN__=${WIDGET_ORIGIN}`,
      url: `${HOST_ORIGIN}/bare.html`,
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
    },
  ],
});

/**
 * Every end-to-end test, in one run (`npm run test:e2e`; `npm test` builds the app and the widget
 * first), so that the two workers share all the work and every failure shows in one report:
 * - the app (vite preview of dist/), its hardening specs (long sessions, hostile input, leaks) and
 *   a browser without WebGL;
 * - the embeddable widget (*.e2e.ts), on two static servers: widget-dist/ with CORS (as on a host
 *   of the owner's choice) and plain host pages, so every test embeds the widget cross-origin.
 */
import { defineConfig } from '@playwright/test';
import { ALLOW_CAMERA, FAKE_CAMERA, launchOptions } from './e2e/browser';
import { HOST_ORIGIN, HOST_PORT, WIDGET_ORIGIN, WIDGET_PORT } from './e2e/widget/servers';

const APP_PORT = 4173;
const APP_ORIGIN = `http://127.0.0.1:${APP_PORT}`;
const STATIC_SERVER = 'node e2e/widget/static-server.mjs';
const FIXTURES = '/fixtures/=e2e/fixtures/generated';
const WITH_CAMERA = { launchOptions: launchOptions([ALLOW_CAMERA, ...FAKE_CAMERA]) };
const LONG_SESSIONS = /hardening\/long-session\.spec\.ts/;
const WIDGET_CYCLES = /hardening\/widget-recreate\.e2e\.ts/;

export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  // Tests wait for events, not for a speed: a busy 2-core machine loads models and analyses
  // frames several times slower than a quiet one, so every bound is generous (see helpers.ts).
  timeout: 300_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    browserName: 'chromium',
    // Only when a test is retried: recording a trace (a screenshot of every repaint, a snapshot
    // of every action) made a live-camera test three times slower on a busy 2-core machine
    // (camera start 11 s -> 25-37 s, 10.6 -> 3.6 frames/s).
    trace: 'on-first-retry',
    viewport: { width: 1280, height: 900 },
    // Each test starts from an empty browser; a service worker would precache 16 MB in every one
    // of them. The offline test allows it.
    serviceWorkers: 'block',
  },
  projects: [
    {
      // First, so that the longest file runs beside all the others instead of after them.
      // (Projects start in this order; each file runs whole on one worker.)
      name: 'long-sessions',
      testMatch: LONG_SESSIONS,
      use: { baseURL: APP_ORIGIN, ...WITH_CAMERA },
    },
    {
      // The next longest (the widget created and removed 50 times), on the other worker.
      name: 'widget-cycles',
      testMatch: WIDGET_CYCLES,
      use: { baseURL: HOST_ORIGIN, ...WITH_CAMERA },
    },
    {
      // Hostile input and leak checks: `npx playwright test --project=hardening`.
      name: 'hardening',
      testMatch: /hardening\/.*\.spec\.ts/,
      testIgnore: LONG_SESSIONS,
      use: { baseURL: APP_ORIGIN, ...WITH_CAMERA },
    },
    {
      name: 'app',
      testMatch: /.*\.spec\.ts/,
      testIgnore: [/no-webgl\.spec\.ts/, /hardening\//],
      use: { baseURL: APP_ORIGIN, ...WITH_CAMERA },
    },
    {
      // A browser without any WebGL, like a machine with no usable GPU: the engine must fall back.
      // (--disable-webgl is not enough: it leaves WebGL on OffscreenCanvas, which TF.js uses.)
      name: 'no-webgl',
      testMatch: /no-webgl\.spec\.ts/,
      use: { baseURL: APP_ORIGIN, launchOptions: launchOptions([ALLOW_CAMERA, ...FAKE_CAMERA, '--disable-gpu', '--disable-software-rasterizer']) },
    },
    {
      // The widget (`npm run test:e2e:widget` builds widget-dist/ and runs only these).
      name: 'widget',
      testMatch: /(widget|hardening)\/.*\.e2e\.ts$/,
      testIgnore: WIDGET_CYCLES,
      use: { baseURL: HOST_ORIGIN, ...WITH_CAMERA },
    },
  ],
  webServer: [
    {
      // `npm test` builds first; `npm run test:e2e` alone expects a fresh `npm run build`.
      command: `npx vite preview --host 127.0.0.1 --port ${APP_PORT} --strictPort`,
      url: APP_ORIGIN,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: `${STATIC_SERVER} --port ${WIDGET_PORT} --cors --dir /=widget-dist --dir ${FIXTURES}`,
      url: `${WIDGET_ORIGIN}/emotion-detector.js`,
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
    },
    {
      command: `${STATIC_SERVER} --port ${HOST_PORT} --dir /=e2e/widget/pages --dir ${FIXTURES} --replace __WIDGET_ORIGIN__=${WIDGET_ORIGIN}`,
      url: `${HOST_ORIGIN}/bare.html`,
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
    },
  ],
});

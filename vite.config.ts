import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';

const UNIT_TESTS = ['src/**/*.test.ts', 'tests/**/*.test.ts'];
const ISOLATED_TESTS = ['src/lib/backend.test.ts'];

/** What the service worker precaches (paths in dist/): the app shell, the wasm builds that
 * browsers with SIMD load (every current one; older ones fetch theirs from the network), the face
 * models and the two shipped emotion models. Not the factory's other models, not test data. */
const PRECACHE = [
  'index.html',
  'assets/*.{js,css}',
  'icons/*.png',
  'vendor/mediapipe/vision_wasm_internal.{js,wasm}',
  'vendor/tfjs/tfjs-backend-wasm-simd.wasm',
  'vendor/face_detector.tflite',
  'vendor/face_detector_full_range.tflite',
  'vendor/blazeface/*',
  'models/{mini-xception,attention}/{model.json,metadata.json,weights.bin}',
  'models/{blend,speed,results}.json',
];

// `static/` is the public folder: scripts/copy-assets.mjs fills static/vendor (MediaPipe and
// TF.js wasm, the face model) and static/models (the shipped emotion models) before dev/build,
// so every file the app needs is served by the app itself.
export default defineConfig({
  plugins: [
    svelte(),
    // Installable and offline (see src/app/offline.ts): a Workbox service worker generated at build.
    VitePWA({
      registerType: 'prompt',
      includeManifestIcons: false, // icons/*.png are in PRECACHE already
      injectRegister: false,
      manifest: {
        name: 'moodlens: facial expressions, on your device',
        short_name: 'moodlens',
        description: 'See the emotions on faces in your webcam or photos. Runs entirely in your browser.',
        theme_color: '#5b5bd6',
        background_color: '#ffffff',
        display: 'standalone',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: PRECACHE,
        // MediaPipe's wasm is 13 MB.
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  publicDir: 'static',
  server: { port: 5173, strictPort: false },
  // Scan the app's own page for dependencies, not the test pages under e2e/ (whose widget URLs
  // are placeholders filled in by the test server).
  optimizeDeps: { entries: ['index.html'] },
  preview: { port: 4173 },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  test: {
    // Most files share their workers' modules (isolate: false): TF.js and the models load once per
    // worker instead of once per file, minutes less on a busy 2-core machine. Files that change
    // TF.js's global state (backend.test.ts removes backends) run apart, each in a fresh worker.
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: UNIT_TESTS, exclude: ISOLATED_TESTS, isolate: false },
      },
      {
        extends: true,
        test: { name: 'unit (isolated)', include: ISOLATED_TESTS },
      },
    ],
    environment: 'node',
    setupFiles: ['src/lib/testing/quiet-tfjs.ts'],
    testTimeout: 60_000,
  },
});

import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// `static/` is the public folder: scripts/copy-assets.mjs fills static/vendor (MediaPipe and
// TF.js wasm, the face model) and static/models (the shipped emotion models) before dev/build,
// so every file the app needs is served by the app itself.
export default defineConfig({
  plugins: [svelte()],
  publicDir: 'static',
  server: { port: 5173, strictPort: false },
  // Scan the app's own page for dependencies, not the test pages under e2e/ (whose widget URLs
  // are placeholders filled in by the test server).
  optimizeDeps: { entries: ['index.html'] },
  preview: { port: 4173 },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['src/lib/testing/quiet-tfjs.ts'],
    testTimeout: 60_000,
  },
});

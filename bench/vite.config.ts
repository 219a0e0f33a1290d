/**
 * Builds the bench pages (bench/pages) into node_modules/.cache/moodlens-bench/pages. All three pipelines use the one
 * @tensorflow/tfjs of this repository: the peers' package names point at their "no-bundle" builds.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('./pages'),
  base: '/',
  publicDir: false,
  resolve: {
    alias: [
      // The no-bundle builds: the peers run on this repository's @tensorflow/tfjs 4.22.0, like ours.
      { find: /^@vladmandic\/face-api$/, replacement: here('../node_modules/@vladmandic/face-api/dist/face-api.esm-nobundle.js') },
      { find: /^@vladmandic\/human$/, replacement: here('../node_modules/@vladmandic/human/dist/human.esm-nobundle.js') },
      // Human's no-bundle build imports the WebGPU backend, which is not installed: no pipeline here uses WebGPU.
      { find: '@tensorflow/tfjs-backend-webgpu/dist/index.js', replacement: here('./pages/stubs/no-webgpu.ts') },
    ],
  },
  build: {
    outDir: here('../node_modules/.cache/moodlens-bench/pages'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8192,
    reportCompressedSize: false,
  },
});

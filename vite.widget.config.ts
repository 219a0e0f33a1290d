/**
 * Builds the embeddable widget into widget-dist/ (`npm run build:widget`):
 *   emotion-detector.js      the ES module: <emotion-detector> + the programmatic API (small)
 *   chunks/*.js              the core, TF.js and MediaPipe, imported on first use
 *   vendor/, models/         wasm binaries, face model and emotion models (from static/, filled by
 *                            `npm run assets`)
 *   emotion-detector.d.ts    types (declarations emitted by tsc into types/, see src/widget/tsconfig.types.json)
 *   README.md                how to embed and host it (src/widget/README.md)
 * Everything is located relative to the module's URL, so the folder can be copied to any static host.
 */
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { mirrorDir } from './scripts/lib/mirror-dir.mjs';

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const OUT_DIR = at('./widget-dist');
const STATIC = at('./static');

// FilesetResolver.forVisionTasks() (without its module flag) loads one of these two pairs.
const MEDIAPIPE_FILES = /^vision_wasm_(nosimd_)?internal\.(js|wasm)$/;

/** Copies the runtime assets from static/ (see scripts/copy-assets.mjs) beside the module. */
function widgetAssets(): Plugin {
  return {
    name: 'moodlens-widget-assets',
    apply: 'build',
    buildStart() {
      const required = ['vendor/mediapipe', 'vendor/tfjs', 'vendor/face_detector.tflite', 'vendor/blazeface', 'models/mini-xception/model.json'];
      const missing = required.filter((path) => !existsSync(resolve(STATIC, path)));
      if (missing.length) throw new Error(`static/${missing.join(', static/')} missing: run \`npm run assets\` first`);
    },
    closeBundle() {
      mirrorDir(resolve(STATIC, 'vendor/mediapipe'), resolve(OUT_DIR, 'vendor/mediapipe'), (name) => MEDIAPIPE_FILES.test(name));
      mirrorDir(resolve(STATIC, 'vendor/tfjs'), resolve(OUT_DIR, 'vendor/tfjs'));
      copyFileSync(resolve(STATIC, 'vendor/face_detector.tflite'), resolve(OUT_DIR, 'vendor/face_detector.tflite'));
      mirrorDir(resolve(STATIC, 'vendor/blazeface'), resolve(OUT_DIR, 'vendor/blazeface'));
      for (const model of readdirSync(resolve(STATIC, 'models'), { withFileTypes: true })) {
        if (!model.isDirectory()) continue;
        // parity.json is the model factory's test data, not needed at run time.
        mirrorDir(resolve(STATIC, 'models', model.name), resolve(OUT_DIR, 'models', model.name), (name) => name !== 'parity.json');
      }
      writeFileSync(resolve(OUT_DIR, 'emotion-detector.d.ts'), "export * from './types/widget/index';\n");
      copyFileSync(at('./src/widget/README.md'), resolve(OUT_DIR, 'README.md'));
    },
  };
}

export default defineConfig({
  publicDir: false,
  // A ready-to-serve browser bundle: no bundler downstream will replace these.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  plugins: [widgetAssets()],
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 4096,
    lib: {
      entry: at('./src/widget/index.ts'),
      formats: ['es'],
      fileName: () => 'emotion-detector.js',
    },
    rolldownOptions: {
      output: { chunkFileNames: 'chunks/[name]-[hash].js', minify: true },
    },
  },
});

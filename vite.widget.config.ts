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
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin } from 'vite';
import { mirrorDir } from './scripts/lib/mirror-dir.mjs';

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const OUT_DIR = at('./widget-dist');
const STATIC = at('./static');

// The emotion models the widget offers (model="fast|accurate|both"); the factory's other exports
// stay in the app, where ?model= can name them.
const PACKAGED_MODELS = new Set(['mini-xception', 'attention']);

// FilesetResolver.forVisionTasks() (without its module flag) loads one of these two pairs.
const MEDIAPIPE_FILES = /^vision_wasm_(nosimd_)?internal\.(js|wasm)$/;

const PIPELINE = at('./src/lib/pipeline.ts');

/**
 * The pipeline (src/lib/detector.ts: TF.js, MediaPipe) is built on its own into pipeline/ and
 * imported at run time from the asset base, like the wasm files and models: a page that bundles
 * the widget module with its own bundler then never re-bundles TF.js (which breaks its kernels).
 */
function pipelineAsAsset(): Plugin {
  return {
    name: 'moodlens-pipeline-asset',
    apply: 'build',
    load(id) {
      if (id !== PIPELINE) return null;
      return `export function importPipeline(assetBase) {
  // A worker has no document: relative asset bases resolve against its own location there.
  const base = typeof document !== 'undefined' ? document.baseURI : self.location.href;
  return import(/* @vite-ignore */ new URL('pipeline/detector.js', new URL(assetBase, base)).href);
}`;
    },
    async closeBundle() {
      await build({
        configFile: false,
        publicDir: false,
        logLevel: 'warn',
        define: { 'process.env.NODE_ENV': JSON.stringify('production') },
        build: {
          outDir: resolve(OUT_DIR, 'pipeline'),
          emptyOutDir: true,
          target: 'es2022',
          chunkSizeWarningLimit: 4096,
          lib: { entry: at('./src/lib/detector.ts'), formats: ['es'], fileName: () => 'detector.js' },
          rolldownOptions: { output: { chunkFileNames: '[name]-[hash].js', minify: true } },
        },
      });
    },
  };
}

/** widget-dist/ is also the npm package (`npm run package` packs it): self-contained, no dependencies. */
function packageJson(): string {
  const root = JSON.parse(readFileSync(at('./package.json'), 'utf8')) as Record<string, unknown>;
  const manifest = {
    name: root.name,
    version: root.version,
    description: root.description,
    license: root.license,
    type: 'module',
    exports: { '.': { types: './emotion-detector.d.ts', import: './emotion-detector.js' }, './package.json': './package.json' },
    // Importing the module defines <emotion-detector>.
    sideEffects: ['./emotion-detector.js'],
    bin: { 'moodlens-assets': './bin/moodlens-assets.mjs' },
    files: ['emotion-detector.js', 'emotion-detector.d.ts', 'pipeline/', 'types/', 'vendor/', 'models/', 'bin/', 'README.md'],
    engines: root.engines,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Copies the runtime assets from static/ (see scripts/copy-assets.mjs) beside the module. */
function widgetAssets(): Plugin {
  return {
    name: 'moodlens-widget-assets',
    apply: 'build',
    buildStart() {
      const required = ['vendor/mediapipe', 'vendor/tfjs', 'vendor/face_detector.tflite', 'vendor/face_detector_full_range.tflite', 'vendor/blazeface', 'models/mini-xception/model.json'];
      const missing = required.filter((path) => !existsSync(resolve(STATIC, path)));
      if (missing.length) throw new Error(`static/${missing.join(', static/')} missing: run \`npm run assets\` first`);
    },
    closeBundle() {
      mirrorDir(resolve(STATIC, 'vendor/mediapipe'), resolve(OUT_DIR, 'vendor/mediapipe'), (name) => MEDIAPIPE_FILES.test(name));
      mirrorDir(resolve(STATIC, 'vendor/tfjs'), resolve(OUT_DIR, 'vendor/tfjs'));
      for (const model of ['face_detector.tflite', 'face_detector_full_range.tflite']) copyFileSync(resolve(STATIC, `vendor/${model}`), resolve(OUT_DIR, `vendor/${model}`));
      mirrorDir(resolve(STATIC, 'vendor/blazeface'), resolve(OUT_DIR, 'vendor/blazeface'));
      for (const model of readdirSync(resolve(STATIC, 'models'), { withFileTypes: true })) {
        if (!model.isDirectory() || !PACKAGED_MODELS.has(model.name)) continue;
        // parity.json is the model factory's test data, not needed at run time.
        mirrorDir(resolve(STATIC, 'models', model.name), resolve(OUT_DIR, 'models', model.name), (name) => name !== 'parity.json');
      }
      writeFileSync(resolve(OUT_DIR, 'emotion-detector.d.ts'), "export * from './types/widget/index';\n");
      copyFileSync(at('./src/widget/README.md'), resolve(OUT_DIR, 'README.md'));
      mkdirSync(resolve(OUT_DIR, 'bin'), { recursive: true });
      copyFileSync(at('./src/widget/package/moodlens-assets.mjs'), resolve(OUT_DIR, 'bin/moodlens-assets.mjs'));
      writeFileSync(resolve(OUT_DIR, 'package.json'), packageJson());
    },
  };
}

export default defineConfig({
  publicDir: false,
  // A ready-to-serve browser bundle: no bundler downstream will replace these.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  plugins: [widgetAssets(), pipelineAsAsset()],
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

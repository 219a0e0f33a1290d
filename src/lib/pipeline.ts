/**
 * Imports the pipeline's code (TF.js, MediaPipe). The app's bundler splits it into a chunk of its
 * own. The widget build replaces this module (vite.widget.config.ts): there the pipeline is a
 * prebuilt asset under `assetBase` (pipeline/detector.js), loaded at run time like the wasm files
 * and models, so a page's own bundler never re-bundles it.
 */
export type Pipeline = typeof import('./detector');

export function importPipeline(_assetBase: string): Promise<Pipeline> {
  return import('./detector');
}

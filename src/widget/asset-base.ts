/** The widget's assets (vendor/, models/) live beside its module unless `asset-base` says otherwise. */

// Through a variable: Vite rewrites the literal `new URL('./', import.meta.url)` as an asset import.
const moduleUrl = import.meta.url;
export const DEFAULT_ASSET_BASE = new URL('./', moduleUrl).href;

/** Stands in for @tensorflow/tfjs-backend-webgpu, which Human's no-bundle build re-exports but the benchmark never uses. */
export {};

/** Whether this browser can create any WebGL context (MediaPipe's face detector cannot run without one). */
export function hasWebGL(): boolean {
  try {
    const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : document.createElement('canvas');
    return (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) !== null;
  } catch {
    return false;
  }
}

export const NO_WEBGL_MESSAGE =
  'Face detection cannot run: this browser has WebGL switched off or unavailable (no graphics acceleration), and MediaPipe needs it even on the CPU. Turn on hardware acceleration in the browser settings, or try another browser.';

/** Turns anything thrown into one sentence a person can read. */
import { MoodlensError } from '../lib';
import { hasWebGL, NO_WEBGL_MESSAGE } from './webgl';

// What this app offers besides the camera, added to the core's camera messages.
const CAMERA_HINT: Partial<Record<string, string>> = {
  'camera-denied': ' The Photo tab works without a camera.',
  'camera-missing': ' Or use the Photo tab.',
};

export function errorMessage(error: unknown): string {
  if (error instanceof MoodlensError) return error.message + (CAMERA_HINT[error.code] ?? '');
  // MediaPipe fails deep inside its wasm (e.g. "reading 'activeTexture'") when there is no WebGL.
  if (!hasWebGL()) return NO_WEBGL_MESSAGE;
  const detail = error instanceof Error ? error.message : String(error);
  return `Something went wrong: ${detail}`;
}

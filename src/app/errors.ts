/** Turns anything thrown into one sentence a person can read. */
import { MoodlensError } from '../lib';
import { CameraError } from './camera';
import { hasWebGL, NO_WEBGL_MESSAGE } from './webgl';

export function errorMessage(error: unknown): string {
  if (error instanceof MoodlensError || error instanceof CameraError) return error.message;
  // MediaPipe fails deep inside its wasm (e.g. "reading 'activeTexture'") when there is no WebGL.
  if (!hasWebGL()) return NO_WEBGL_MESSAGE;
  const detail = error instanceof Error ? error.message : String(error);
  return `Something went wrong: ${detail}`;
}

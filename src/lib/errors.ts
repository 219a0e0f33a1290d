/** Every failure the core reports on purpose carries one of these codes, so the UI can react
 * (e.g. offer a retry for 'camera-denied') without parsing messages. */
export type MoodlensErrorCode =
  | 'not-an-image'
  | 'image-decode'
  | 'video-decode'
  | 'model-missing'
  | 'model-fetch'
  | 'model-corrupt'
  | 'model-shape'
  | 'metadata-invalid'
  | 'face-detector-load'
  | 'pipeline-load'
  | 'camera-denied'
  | 'camera-missing'
  | 'camera-busy'
  | 'camera-ended'
  | 'camera-unsupported'
  | 'backend-unavailable'
  | 'invalid-option'
  | 'closed';

/** Marks every MoodlensError, whichever copy of this module made it (the widget's module and its
 * pipeline, loaded at run time, are separate builds): `instanceof` checks the mark. */
const MARK = Symbol.for('moodlens.error');

export class MoodlensError extends Error {
  readonly code: MoodlensErrorCode;

  constructor(code: MoodlensErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MoodlensError';
    this.code = code;
    Object.defineProperty(this, MARK, { value: true });
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARK] === true;
  }
}

export function isMoodlensError(error: unknown, code?: MoodlensErrorCode): error is MoodlensError {
  return error instanceof MoodlensError && (code === undefined || error.code === code);
}

/** The message of anything thrown (MediaPipe sometimes rejects with a DOM Event, not an Error). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (typeof Event !== 'undefined' && error instanceof Event) return `${error.type} event`;
  return String(error);
}

/** Maps a getUserMedia failure (a DOMException by name) to a MoodlensError with advice. */
export function cameraError(error: unknown): MoodlensError {
  const name = error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new MoodlensError(
        'camera-denied',
        'Camera permission was denied. Allow the camera for this site in the browser (the icon in the address bar), then try again.',
        { cause: error },
      );
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new MoodlensError('camera-missing', 'No camera was found. Connect a camera, or analyse a photo instead.', {
        cause: error,
      });
    case 'NotReadableError':
    case 'AbortError':
      return new MoodlensError(
        'camera-busy',
        'The camera could not be started: another application may be using it. Close it and try again.',
        { cause: error },
      );
    case 'TypeError':
      return new MoodlensError(
        'camera-unsupported',
        'This page cannot use the camera (it needs https or localhost and a browser with getUserMedia).',
        { cause: error },
      );
    default:
      return new MoodlensError('camera-missing', `The camera could not be started: ${describeError(error)}`, {
        cause: error,
      });
  }
}

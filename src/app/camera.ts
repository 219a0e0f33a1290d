/** Thin wrappers over getUserMedia: open, list and release cameras, and explain failures. */

export class CameraError extends Error {
  constructor(
    readonly reason: 'unsupported' | 'denied' | 'not-found' | 'busy' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'CameraError';
  }
}

function mediaDevices(): MediaDevices {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new CameraError(
      'unsupported',
      'This browser gives no camera access here. Cameras need a secure page (https or localhost) and a recent browser.',
    );
  }
  return navigator.mediaDevices;
}

/** Maps getUserMedia's DOMException names to something a person can act on. */
export function toCameraError(error: unknown): CameraError {
  if (error instanceof CameraError) return error;
  const name = error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new CameraError(
        'denied',
        'Camera permission was denied. Allow the camera for this site in the browser (the icon in the address bar), then press Start again. The Photo tab works without a camera.',
      );
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new CameraError('not-found', 'No camera was found. Plug one in and press Start again, or use the Photo tab.');
    case 'NotReadableError':
    case 'AbortError':
      return new CameraError(
        'busy',
        'The camera could not be started: another application may be using it. Close it and press Start again.',
      );
    default:
      return new CameraError('failed', `The camera could not be started (${error instanceof Error ? error.message : String(error)}).`);
  }
}

export async function listCameras(): Promise<MediaDeviceInfo[]> {
  const devices = await mediaDevices().enumerateDevices();
  return devices.filter((device) => device.kind === 'videoinput');
}

/** Asks for the camera (this is what shows the permission prompt). */
export async function openCamera(deviceId?: string): Promise<MediaStream> {
  const devices = mediaDevices();
  // Before permission, browsers still list one entry per camera kind: none at all means no camera.
  const cameras = await listCameras();
  if (cameras.length === 0) throw toCameraError(new DOMException('No camera', 'NotFoundError'));
  try {
    return await devices.getUserMedia({
      audio: false,
      video: {
        deviceId: deviceId ? { exact: deviceId } : undefined,
        width: { ideal: 640 },
        height: { ideal: 480 },
        facingMode: deviceId ? undefined : 'user',
      },
    });
  } catch (error) {
    throw toCameraError(error);
  }
}

export function stopStream(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/**
 * The camera, for the app and the widget alike: opened only on request, listed, released
 * (every track stopped), with getUserMedia failures mapped to coded errors (see cameraError).
 */
import { cameraError } from './errors';

function mediaDevices(): MediaDevices {
  if (!navigator.mediaDevices?.getUserMedia) throw cameraError(new TypeError('navigator.mediaDevices.getUserMedia is not available'));
  return navigator.mediaDevices;
}

export async function listCameras(): Promise<MediaDeviceInfo[]> {
  const devices = await mediaDevices().enumerateDevices();
  return devices.filter((device) => device.kind === 'videoinput');
}

/** Asks for the camera (this is what shows the permission prompt): a given device, or the
 * front camera. */
export async function openCamera(deviceId?: string): Promise<MediaStream> {
  const devices = mediaDevices();
  // Before permission, browsers still list one entry per camera kind: none at all means no camera.
  if ((await listCameras()).length === 0) throw cameraError(new DOMException('No camera', 'NotFoundError'));
  try {
    return await devices.getUserMedia({
      audio: false,
      video: {
        deviceId: deviceId ? { exact: deviceId } : undefined,
        facingMode: deviceId ? undefined : 'user',
        width: { ideal: 640 },
        height: { ideal: 480 },
      },
    });
  } catch (error) {
    throw cameraError(error);
  }
}

export function stopStream(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

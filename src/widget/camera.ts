/** The camera of one widget: opened on request, every track stopped on release. */
import { cameraError } from '../lib/errors';

export async function openCamera(): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw cameraError(new TypeError('navigator.mediaDevices.getUserMedia is not available'));
  try {
    return await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 } },
    });
  } catch (error) {
    throw cameraError(error);
  }
}

export function stopStream(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** Resolves on the next decoded video frame (true), or false once `signal` aborts. */
export function nextVideoFrame(video: HTMLVideoElement, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      signal.removeEventListener('abort', aborted);
      resolve(value);
    };
    const aborted = () => done(false);
    signal.addEventListener('abort', aborted);
    if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback(() => done(true));
    else requestAnimationFrame(() => done(true));
  });
}

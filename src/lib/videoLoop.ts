/**
 * The video loop both shells run: one analysis per new video frame, the next only once the last
 * has finished, until the session's signal aborts; and a watch on the camera that fed it.
 */
import type { EmotionResult, VideoSession } from './types';

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

/**
 * Analyses `video` frame after frame with `session` and hands each result (and when its frame
 * was taken, performance.now()) to `onResult`. Ends when `signal` aborts; rejects with the
 * session's error otherwise. Frames without a picture yet are skipped.
 */
export async function runVideoLoop(
  video: HTMLVideoElement,
  session: Pick<VideoSession, 'detect'>,
  onResult: (result: EmotionResult, takenAt: number) => void,
  signal: AbortSignal,
): Promise<void> {
  while (await nextVideoFrame(video, signal)) {
    if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) continue;
    const takenAt = performance.now();
    const result = await session.detect(video);
    if (signal.aborted) return;
    if (result.width === 0) continue;
    onResult(result, takenAt);
  }
}

/** How often a camera is checked for a track that ended without an 'ended' event. */
const CAMERA_CHECK_MS = 1000;

/**
 * Calls `onLost` once if the camera's video stops: 'ended' fires when the browser ends a track
 * (unplugged, permission revoked), and a check every second catches a track stopped by another
 * script, which fires nothing. Stops watching when `signal` aborts.
 */
export function watchCamera(stream: MediaStream, signal: AbortSignal, onLost: () => void): void {
  const tracks = stream.getVideoTracks();
  let lost = false;
  const lose = () => {
    if (lost || signal.aborted) return;
    lost = true;
    onLost();
  };
  for (const track of tracks) track.addEventListener('ended', lose, { signal });
  const check = setInterval(() => {
    if (tracks.some((track) => track.readyState === 'ended')) lose();
  }, CAMERA_CHECK_MS);
  signal.addEventListener('abort', () => clearInterval(check), { once: true });
}

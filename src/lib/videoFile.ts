/**
 * Video files, analysed at their own pace rather than in real time: the video is seeked to one
 * moment after another and each picture goes through a video session, so faces keep their ids
 * from one moment to the next however slow the machine is.
 */
import { MoodlensError } from './errors';
import type { EmotionResult, VideoSession } from './types';

/** Moments analysed per second of video by default: enough to follow a change of expression. */
export const DEFAULT_SAMPLES_PER_SECOND = 10;

export interface VideoFileOptions {
  /** Moments analysed per second of video (default 10; at most the video's own frame rate is useful). */
  samplesPerSecond?: number;
  /** Stops the analysis at the next moment; the moments already analysed stay reported. */
  signal?: AbortSignal;
  /** Each analysed moment, in order, with its time in the video (seconds). */
  onResult?: (result: EmotionResult, time: number) => void;
}

export interface VideoFileSummary {
  /** Moments analysed. */
  samples: number;
  /** The video's length in seconds. */
  duration: number;
  /** Whether the signal stopped it before the end. */
  aborted: boolean;
}

function once(video: HTMLVideoElement, event: string, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      video.removeEventListener(event, onEvent);
      video.removeEventListener('error', onError);
      signal?.removeEventListener('abort', onEvent);
    };
    const onEvent = () => {
      cleanup();
      resolve();
    };
    const onError = () => {
      cleanup();
      reject(unreadable(video));
    };
    video.addEventListener(event, onEvent);
    video.addEventListener('error', onError);
    signal?.addEventListener('abort', onEvent);
  });
}

function unreadable(video: HTMLVideoElement): MoodlensError {
  const detail = video.error?.message ? ` (${video.error.message})` : '';
  return new MoodlensError(
    'video-decode',
    `This video cannot be played by this browser${detail}. Try an MP4 (H.264) or WebM file.`,
    { cause: video.error },
  );
}

/**
 * Points `video` at `file` and resolves with its length in seconds once its first picture can be
 * drawn. Files recorded in a browser (MediaRecorder WebM) often declare no length: the browser
 * finds it when asked to seek past the end. Rejects with code 'video-decode' for a file the
 * browser cannot play, and 'invalid-option' for one that is not a video.
 */
export async function openVideoFile(video: HTMLVideoElement, file: Blob, signal?: AbortSignal): Promise<number> {
  if (file.type && !file.type.startsWith('video/') && file.type !== 'application/octet-stream') {
    throw new MoodlensError('invalid-option', `This is not a video file (${file.type}).`);
  }
  video.muted = true;
  video.playsInline = true;
  video.preload = 'auto';
  const loaded = once(video, 'loadeddata', signal);
  video.src = URL.createObjectURL(file);
  await loaded;
  if (video.videoWidth === 0) throw new MoodlensError('video-decode', 'This file has no picture (only sound?).');
  if (!Number.isFinite(video.duration)) {
    const found = once(video, 'durationchange', signal);
    video.currentTime = Number.MAX_SAFE_INTEGER;
    await found;
    await seek(video, 0, signal);
  }
  if (!(video.duration > 0)) throw new MoodlensError('video-decode', 'This video is empty: it has no length.');
  return video.duration;
}

/** Frees the object URL that openVideoFile made. */
export function closeVideoFile(video: HTMLVideoElement): void {
  const url = video.src;
  video.removeAttribute('src');
  video.load();
  if (url.startsWith('blob:')) URL.revokeObjectURL(url);
}

/** Seeks and resolves once the picture at `time` can be drawn. */
async function seek(video: HTMLVideoElement, time: number, signal?: AbortSignal): Promise<void> {
  const seeked = once(video, 'seeked', signal);
  video.currentTime = time;
  await seeked;
}

/** The moments to analyse: from 0, one every 1/samplesPerSecond, the last just before the end. */
export function sampleTimes(duration: number, samplesPerSecond: number): number[] {
  if (!(samplesPerSecond > 0) || !Number.isFinite(samplesPerSecond)) {
    throw new MoodlensError('invalid-option', 'samplesPerSecond must be a positive number.');
  }
  const times: number[] = [];
  const step = 1 / samplesPerSecond;
  // Rounded so that 0.1 steps print as 0.1, 0.2, … and never land past the last picture.
  for (let i = 0; ; i++) {
    const time = Math.round(i * step * 1000) / 1000;
    if (time >= duration) break;
    times.push(time);
  }
  return times;
}

/**
 * Analyses an opened video (see openVideoFile) moment by moment with `session`, reporting each
 * result to `onResult`. The video is left paused at the last moment analysed.
 */
export async function analyseVideoFile(
  video: HTMLVideoElement,
  session: Pick<VideoSession, 'detect'>,
  options: VideoFileOptions = {},
): Promise<VideoFileSummary> {
  const { signal } = options;
  const duration = video.duration;
  if (!(duration > 0) || !Number.isFinite(duration)) throw new MoodlensError('video-decode', 'The video has no known length: open it with openVideoFile first.');
  const times = sampleTimes(duration, options.samplesPerSecond ?? DEFAULT_SAMPLES_PER_SECOND);
  video.pause();
  let samples = 0;
  for (const time of times) {
    if (signal?.aborted) break;
    await seek(video, time, signal);
    if (signal?.aborted) break;
    const result = await session.detect(video);
    if (signal?.aborted) break;
    samples++;
    options.onResult?.(result, time);
  }
  return { samples, duration, aborted: signal?.aborted ?? false };
}

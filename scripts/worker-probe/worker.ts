/** The pipeline in a module worker (scripts/probe-worker.mjs): created on 'init', then one video
 * session per stream (as the bench has one per frame file) and one detect() per transferred
 * ImageBitmap, answered with the number of faces found. */
import { createEmotionDetector, type EmotionDetector, type VideoSession } from '../../src/lib';

let detector: EmotionDetector | undefined;
const sessions = new Map<number, VideoSession>();
self.onmessage = async (event: MessageEvent<{ kind: 'init' } | { kind: 'frame'; stream: number; bitmap: ImageBitmap }>) => {
  const message = event.data;
  if (message.kind === 'init') {
    detector = await createEmotionDetector({ assetBase: '/static/', backend: 'wasm', models: ['mini-xception'], runningMode: 'VIDEO' });
    self.postMessage({ kind: 'ready', faceDetector: detector.faceDetector });
    return;
  }
  let session = sessions.get(message.stream);
  if (!session) sessions.set(message.stream, (session = detector!.openVideoSession()));
  const result = await session.detect(message.bitmap);
  message.bitmap.close();
  self.postMessage({ kind: 'result', faces: result.faces.length, timings: result.timings });
};

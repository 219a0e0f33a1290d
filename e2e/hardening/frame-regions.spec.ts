/**
 * The crop-first path reads each face's pixels out of a VideoFrame of the frame canvas where the
 * browser has WebCodecs, else with getImageData() (src/lib/frame.ts), and also when copying fails.
 * All must give the same faces and the same probabilities, and every VideoFrame made must be closed.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { FIXTURES } from '../fixtures/paths';
import { openCorePage } from './core-page';
import { watchPageProblems } from './page-problems';

test('faces read from VideoFrame copies match getImageData reads, a failing copy falls back, and every VideoFrame is closed', async ({ page }) => {
  const problems = watchPageProblems(page);
  await openCorePage(page);
  const photo = readFileSync(FIXTURES.group).toString('base64');
  /** 'copies': WebCodecs as the browser has it; 'failing': VideoFrame.copyTo() throws (as where a
   * browser cannot copy a region out); 'none': no WebCodecs at all. */
  const run = (webCodecs: 'copies' | 'failing' | 'none') =>
    page.evaluate(
      async ({ base64, webCodecs }) => {
        const w = window as unknown as { __core: typeof import('../../src/lib'); VideoFrame?: typeof VideoFrame };
        const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: 'image/jpeg' }));
        const native = w.VideoFrame!;
        const frames = { made: 0, open: 0 };
        // Counts the frames the core makes, or hides WebCodecs so that it falls back to getImageData().
        w.VideoFrame =
          webCodecs === 'none'
            ? undefined
            : (class extends native {
                constructor(image: CanvasImageSource, init?: VideoFrameInit) {
                  super(image, init);
                  frames.made++;
                  frames.open++;
                }
                close() {
                  frames.open--;
                  super.close();
                }
                copyTo(...args: Parameters<VideoFrame['copyTo']>) {
                  if (webCodecs === 'failing') throw new TypeError('copyTo is not supported here');
                  return super.copyTo(...args);
                }
              } as typeof VideoFrame);
        try {
          const detector = await w.__core.createEmotionDetector({ backend: 'wasm', models: ['mini-xception'] });
          const inPhoto = await detector.detect(bitmap);
          const session = detector.openVideoSession({ smoothing: false });
          const inVideo = [];
          for (let i = 0; i < 3; i++) inVideo.push(await session.detect(bitmap));
          session.close();
          detector.close();
          await new Promise((resolve) => setTimeout(resolve, 0)); // close() frees once the queue is idle
          const probabilities = (faces: { probabilities: Record<string, number> }[]) => faces.map((face) => Object.values(face.probabilities));
          return { photo: probabilities(inPhoto.faces), video: inVideo.map((result) => probabilities(result.faces)), frames };
        } finally {
          w.VideoFrame = native;
        }
      },
      { base64: photo, webCodecs },
    );

  const copied = await run('copies');
  const failing = await run('failing');
  const read = await run('none');
  expect(copied.photo).toHaveLength(6);
  expect(copied.frames.made).toBeGreaterThanOrEqual(4); // one per analysed frame: the photo, 3 video frames
  expect(copied.frames.open).toBe(0);
  expect(read.frames.made).toBe(0);
  // Each frame reader (the photo's, the video session's) tries once, then reads with getImageData().
  expect(failing.frames.made).toBe(2);
  expect(failing.frames.open).toBe(0);
  const same = (a: number[][], b: number[][]) => {
    expect(a).toHaveLength(b.length);
    a.forEach((face, i) => face.forEach((p, k) => expect(p).toBeCloseTo(b[i][k], 5)));
  };
  for (const other of [copied, failing]) {
    same(other.photo, read.photo);
    other.video.forEach((faces, i) => same(faces, read.video[i]));
  }
  expect(problems.list()).toEqual([]);
});

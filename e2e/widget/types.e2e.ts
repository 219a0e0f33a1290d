/**
 * widget-dist/emotion-detector.d.ts serves a TypeScript user who copied the folder: a consumer
 * file type-checks against it alone (no node_modules, no src/), and misuse is caught.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';

const TSC = resolve('node_modules/typescript/bin/tsc');
const BUNDLE = resolve('widget-dist/emotion-detector.js');

const CONSUMER = `
import { createEmotionDetector, EMOTIONS, MoodlensError, type EmotionResult } from '${BUNDLE}';

export async function run(photo: HTMLImageElement): Promise<string[]> {
  const detector = await createEmotionDetector({ models: ['mini-xception'], backend: 'wasm' });
  const result: EmotionResult = await detector.detect(photo);
  detector.close();
  const widget = document.querySelector('emotion-detector');
  widget?.addEventListener('emotions', (event) => console.log(event.detail.faces[0]?.top.label, event.detail.source));
  widget?.addEventListener('error', (event) => console.log(event.detail.code === 'camera-denied'));
  const made = document.createElement('emotion-detector');
  await made.start();
  made.stop();
  const classified = await made.detect(photo);
  if (classified.faces.length > 9) throw new MoodlensError('invalid-option', 'too many');
  // @ts-expect-error -- probabilities are numbers per emotion
  const wrong: string = result.faces[0].probabilities.happy;
  // @ts-expect-error -- no such option
  await createEmotionDetector({ modle: 'fast' });
  return [...EMOTIONS, wrong, made.state];
}
`;

test('the bundled type declarations type-check a consumer and catch misuse', () => {
  const dir = mkdtempSync(join(tmpdir(), 'widget-types-'));
  try {
    writeFileSync(join(dir, 'consumer.ts'), CONSUMER);
    const compilerOptions = {
      noEmit: true,
      strict: true,
      target: 'es2022',
      module: 'esnext',
      moduleResolution: 'bundler',
      lib: ['es2022', 'dom', 'dom.iterable'],
      types: [],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
    const args = ['-p', join(dir, 'tsconfig.json')];
    let output = '';
    try {
      execFileSync(process.execPath, [TSC, ...args], { cwd: dir, encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe('');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

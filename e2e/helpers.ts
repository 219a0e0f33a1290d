/** Shared steps and probes for the end-to-end tests. */
import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import type { EmotionResult } from '../src/lib/types';
import { FIXTURES } from './fixtures/paths';

export interface FixtureManifest {
  video: { width: number; height: number; face: Box };
  group: { width: number; height: number; faces: number };
  huge: { width: number; height: number };
  smallCrowd: { width: number; height: number; faces: Box[] };
  sizes: { width: number; height: number; faces: Box[] };
}
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function manifest(): FixtureManifest {
  return JSON.parse(readFileSync(FIXTURES.manifest, 'utf8')) as FixtureManifest;
}

/** The app URL with the debug hook on; WASM by default (WebGL is software-rendered and slow here). */
export function appUrl(params: Record<string, string> = {}, view: 'webcam' | 'photo' | 'video' = 'webcam'): string {
  const query = new URLSearchParams({ backend: 'wasm', ...params });
  return `/?${query}&debug#${view}`;
}

export async function analysedFrames(page: Page): Promise<number> {
  return page.evaluate(() => window.__moodlens?.frames ?? 0);
}

/** Loading MediaPipe and the models, and analysing frames, take what the machine gives: on a busy
 * 2-core machine, tens of seconds. Waits are bounded generously; only a hang should fail them. */
export const LOAD_TIMEOUT = 180_000;

export async function waitForFrames(page: Page, count: number, timeout = LOAD_TIMEOUT): Promise<void> {
  await page.waitForFunction((n) => (window.__moodlens?.frames ?? 0) >= n, count, { timeout, polling: 100 });
}

export async function lastResult(page: Page): Promise<EmotionResult> {
  const result = await page.evaluate(() => window.__moodlens?.lastResult ?? null);
  if (!result) throw new Error('no result analysed yet');
  return result;
}

export async function numTensors(page: Page): Promise<number> {
  return page.evaluate(() => window.__moodlens!.numTensors());
}

/** Starts the camera and waits until a few frames were analysed. */
export async function startCamera(page: Page, frames = 3): Promise<void> {
  const before = await analysedFrames(page);
  await page.getByTestId('start-camera').click();
  await expect(page.getByTestId('webcam-stage')).toHaveAttribute('data-phase', 'running', { timeout: LOAD_TIMEOUT });
  await waitForFrames(page, before + frames);
}

/** Keeps a handle on the live camera track in the page (window.__track) for later checks. */
export async function holdCameraTrack(page: Page): Promise<void> {
  await page.evaluate(() => {
    const stream = document.querySelector('video')?.srcObject as MediaStream | null;
    const track = stream?.getVideoTracks()[0];
    if (!track) throw new Error('no live camera track');
    (window as unknown as { __track: MediaStreamTrack }).__track = track;
  });
}

export async function heldTrackState(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as { __track: MediaStreamTrack }).__track.readyState);
}

export function intersectionOverUnion(a: Box, b: Box): number {
  const width = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const height = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const intersection = width * height;
  return intersection / (a.width * a.height + b.width * b.height - intersection);
}

export function probabilitySum(probabilities: Record<string, number>): number {
  return Object.values(probabilities).reduce((sum, p) => sum + p, 0);
}

/** Emotions sorted from most to least likely. */
export function ranked(probabilities: Record<string, number>): string[] {
  return Object.entries(probabilities)
    .sort((a, b) => b[1] - a[1])
    .map(([emotion]) => emotion);
}

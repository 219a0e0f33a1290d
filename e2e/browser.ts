/** Chromium launch settings shared by playwright.config.ts and tests that need another browser. */
import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';
import { FIXTURES } from './fixtures/paths';

// Debian's Chromium when present (Playwright cannot download its own browser everywhere).
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

// Keep the browser itself quiet: the privacy test must only see what the app asks for.
const QUIET_BROWSER = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-domain-reliability',
  '--no-first-run',
  '--no-default-browser-check',
  '--metrics-recording-only',
];

/** Permission prompts are answered "allow". Without it, Playwright's headless Chromium answers "block". */
export const ALLOW_CAMERA = '--use-fake-ui-for-media-stream';

/** A fake camera playing the astronaut clip (see fixtures/make-fixtures.py). */
export const FAKE_CAMERA = ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${FIXTURES.video}`];

export function launchOptions(args: string[]): LaunchOptions {
  return {
    args: [...QUIET_BROWSER, ...args],
    ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
  };
}

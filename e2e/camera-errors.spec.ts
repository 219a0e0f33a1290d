/** Camera failures at start (simulated in the page: no camera, busy camera): each gets a clear message. */
import { expect, test } from '@playwright/test';
import { appUrl } from './helpers';

test('no camera at all', async ({ page }) => {
  // Like a machine without a camera: no video input is listed and getUserMedia finds none.
  await page.addInitScript(() => {
    const devices = navigator.mediaDevices;
    const enumerate = devices.enumerateDevices.bind(devices);
    devices.enumerateDevices = async () => (await enumerate()).filter((device) => device.kind !== 'videoinput');
    devices.getUserMedia = () => Promise.reject(new DOMException('Requested device not found', 'NotFoundError'));
  });
  await page.goto(appUrl());
  await page.getByTestId('start-camera').click();
  await expect(page.getByTestId('webcam-error')).toContainText('No camera was found');
  await expect(page.getByTestId('start-camera')).toBeEnabled();
});

test('a camera listed but gone when asked for', async ({ page }) => {
  await page.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Requested device not found', 'NotFoundError'));
  });
  await page.goto(appUrl());
  await page.getByTestId('start-camera').click();
  await expect(page.getByTestId('webcam-error')).toContainText('No camera was found');
});

test('a camera busy in another application', async ({ page }) => {
  await page.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Could not start video source', 'NotReadableError'));
  });
  await page.goto(appUrl());
  await page.getByTestId('start-camera').click();
  await expect(page.getByTestId('webcam-error')).toContainText('another application');
});

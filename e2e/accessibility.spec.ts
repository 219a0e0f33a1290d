/** What a person with a screen reader or low vision meets: contrast in both colour schemes, and
 * the live webcam results announced without flooding. */
import { expect, test, type Page } from '@playwright/test';
import { appUrl, startCamera } from './helpers';

/** WCAG contrast ratio of an element's text colour against its background colour. */
async function contrast(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((element) => {
    const rgb = (value: string) => (value.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const luminance = (value: string) => {
      const [r, g, b] = rgb(value).map((c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const style = getComputedStyle(element);
    const [a, b] = [luminance(style.color), luminance(style.backgroundColor)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  });
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the main button reads at WCAG AA contrast in ${colorScheme} mode`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.goto(appUrl());
    expect(await contrast(page, 'start-camera')).toBeGreaterThanOrEqual(4.5);
    await startCamera(page, 1);
    expect(await contrast(page, 'stop-camera')).toBeGreaterThanOrEqual(4.5);
  });
}

test('the faces in view are announced to screen readers', async ({ page }) => {
  await page.goto(appUrl());
  await startCamera(page, 3);
  const announcer = page.getByTestId('webcam-announce');
  await expect(announcer).toHaveAttribute('aria-live', 'polite');
  await expect(announcer).toHaveText(/^1 face: face \d+ (angry|disgust|fear|happy|sad|surprise|neutral)\.$/);
  await page.getByTestId('stop-camera').click();
  await expect(announcer).toHaveText('');
});

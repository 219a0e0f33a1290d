/**
 * Finding every face, small and far ones included.
 *
 * The six group photos that ship with @vladmandic/face-api (22 faces, many of
 * them small in a 1920 px picture), each against reference boxes checked by eye
 * (fixtures/face-api-demo-faces.json). A reference face counts as found when a box overlaps it
 * with IoU >= 0.3 (detectors frame faces differently); a box that overlaps no reference face is a
 * false detection. Target: at least 21 of 22 faces, at most 1 false detection in all six.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { FIXTURES } from './fixtures/paths';
import { appUrl, intersectionOverUnion, lastResult, manifest } from './helpers';

const DEMO = 'node_modules/@vladmandic/face-api/demo';
const REFERENCE: { photos: Record<string, { x: number; y: number; width: number; height: number }[]> } = JSON.parse(
  readFileSync(join('e2e', 'fixtures', 'face-api-demo-faces.json'), 'utf8'),
);

test('finds the faces of face-api\'s six demo photos, with at most one false detection', async ({ page }) => {
  await page.goto(appUrl({}, 'photo'));
  let found = 0;
  let total = 0;
  let falseFinds = 0;
  const report: string[] = [];
  for (const [photo, faces] of Object.entries(REFERENCE.photos)) {
    await page.getByTestId('photo-input').setInputFiles(join(DEMO, photo));
    await expect(page.getByTestId('photo-summary')).toContainText(photo, { timeout: 120_000 });
    const result = await lastResult(page);
    expect(result.width).toBe(1920);
    const boxes = result.faces.map((face) => face.box);
    const matched = faces.filter((reference) => boxes.some((box) => intersectionOverUnion(box, reference) >= 0.3));
    const extra = boxes.filter((box) => !faces.some((reference) => intersectionOverUnion(box, reference) >= 0.3));
    found += matched.length;
    total += faces.length;
    falseFinds += extra.length;
    report.push(`${photo}: ${matched.length}/${faces.length} found, ${extra.length} false`);
    // The face list has a row for every face found.
    await expect(page.getByTestId('face-row')).toHaveCount(result.faces.length);
  }
  test.info().annotations.push({ type: 'measured', description: report.join('; ') });
  expect(total).toBe(22);
  expect(found, report.join('\n')).toBeGreaterThanOrEqual(21);
  expect(falseFinds, report.join('\n')).toBeLessThanOrEqual(1);
});

/** How many `expected` boxes some box of `found` overlaps (IoU >= 0.3), and how many boxes overlap none. */
function score(found: { x: number; y: number; width: number; height: number }[], expected: typeof found) {
  return {
    matched: expected.filter((reference) => found.some((box) => intersectionOverUnion(box, reference) >= 0.3)).length,
    extra: found.filter((box) => !expected.some((reference) => intersectionOverUnion(box, reference) >= 0.3)).length,
  };
}

test('finds a crowd of small faces (40 to 140 px) in a 1920 x 1080 picture', async ({ page }) => {
  const crowd = manifest().smallCrowd;
  await page.goto(appUrl({}, 'photo'));
  await page.getByTestId('photo-input').setInputFiles(FIXTURES.smallCrowd);
  await expect(page.getByTestId('photo-summary')).toContainText('small-crowd.jpg', { timeout: 120_000 });
  const { matched, extra } = score((await lastResult(page)).faces.map((f) => f.box), crowd.faces);
  expect(matched).toBeGreaterThanOrEqual(Math.ceil(crowd.faces.length * 0.9));
  expect(extra).toBeLessThanOrEqual(1);
});

test('the sensitivity control trades small faces for certainty', async ({ page }) => {
  const sizes = manifest().sizes.faces; // 30, 60 and 150 px
  await page.goto(appUrl({}, 'photo'));
  await page.getByTestId('photo-input').setInputFiles(FIXTURES.sizes);
  await expect(page.getByTestId('photo-summary')).toHaveText('2 faces in sizes.jpg', { timeout: 120_000 });
  expect(score((await lastResult(page)).faces.map((f) => f.box), sizes.slice(1))).toEqual({ matched: 2, extra: 0 });

  // The same picture again, without a flash: the result stays while it is re-analysed.
  await page.getByTestId('sensitivity').selectOption('more');
  await expect(page.getByTestId('photo-summary')).toHaveText('3 faces in sizes.jpg', { timeout: 120_000 });
  expect(score((await lastResult(page)).faces.map((f) => f.box), sizes)).toEqual({ matched: 3, extra: 0 });

  await page.getByTestId('sensitivity').selectOption('large');
  await expect(page.getByTestId('photo-summary')).toHaveText('1 face in sizes.jpg', { timeout: 120_000 });
  expect(score((await lastResult(page)).faces.map((f) => f.box), sizes.slice(2))).toEqual({ matched: 1, extra: 0 });
});

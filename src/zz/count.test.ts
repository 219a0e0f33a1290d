import { test } from 'vitest';
import { planTwoNetworks, BLAZEFACE_FULL, BLAZEFACE_SHORT } from '../lib/scan';
test('x', () => {
for (const [w, h] of [[1920,1080],[1920,1280],[1920,1537],[1280,720],[640,480],[4032,3024],[1000,750]]) {
  const t = planTwoNetworks({ width: w, height: h }, { ...BLAZEFACE_FULL, minFaceSize: 32 }, BLAZEFACE_SHORT);
  const lv = [0,1,2,3,4].map((l) => t.filter((x) => x.level === l).length).filter(Boolean);
  const fine = t.filter((x) => x.fine).length;
  const sides = [...new Set(t.map((x) => Math.max(x.rect.width, x.rect.height)))];
  console.log(`${w}x${h}: ${t.length} looks, per level ${lv.join('/')}, fine ${fine}, sides ${sides.slice(0,6).join(',')}`);
}
});

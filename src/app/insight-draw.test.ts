import { describe, expect, it } from 'vitest';
import { greyToRgba, HEAT_SCALE_CSS, heatColor, heatOverlay, quadViewport } from './insight-draw';

const pixel = (rgba: Uint8ClampedArray, i: number) => Array.from(rgba.subarray(i * 4, i * 4 + 4));

describe('greyToRgba', () => {
  it('maps the model range [-1, 1] to opaque grey 0..255', () => {
    const rgba = greyToRgba(new Float32Array([-1, 0, 1, 3]));
    expect(pixel(rgba, 0)).toEqual([0, 0, 0, 255]);
    expect(pixel(rgba, 1)).toEqual([128, 128, 128, 255]);
    expect(pixel(rgba, 2)).toEqual([255, 255, 255, 255]);
    expect(pixel(rgba, 3)).toEqual([255, 255, 255, 255]);
  });
});

describe('heatColor', () => {
  it('runs from blue (cold) to red (hot)', () => {
    const [cold, hot] = [heatColor(0), heatColor(1)];
    expect(cold[2]).toBeGreaterThan(cold[0]);
    expect(hot[0]).toBeGreaterThan(hot[2]);
    expect(heatColor(-2)).toEqual(cold);
    expect(heatColor(7)).toEqual(hot);
  });
});

describe('heatOverlay', () => {
  it('tints hot places strongly and cold ones lightly, keeping the face visible', () => {
    const crop = new Float32Array([0, 0, 1]);
    const rgba = heatOverlay(crop, new Float32Array([0, 1, 0]));
    const [cold, hot, brightCold] = [pixel(rgba, 0), pixel(rgba, 1), pixel(rgba, 2)];
    expect(hot[0]).toBeGreaterThan(cold[0] + 60); // red where the model looks
    expect(cold[2]).toBeGreaterThan(cold[0]); // bluish where it does not
    expect(brightCold[0]).toBeGreaterThan(cold[0] + 60); // the face still shows through
    expect(rgba.every((_, i) => i % 4 !== 3 || rgba[i] === 255)).toBe(true);
  });

  it('stretches a map that never reaches 1 to the whole scale: its peak is red', () => {
    const rgba = heatOverlay(new Float32Array([0, 0, 0]), new Float32Array([0.2, 0.35, 0.5]));
    const [least, peak] = [pixel(rgba, 0), pixel(rgba, 2)];
    expect(peak[0]).toBeGreaterThan(peak[1] + 80); // red, not orange or yellow
    expect(least[2]).toBeGreaterThan(least[0]);
    expect(HEAT_SCALE_CSS).toBe('linear-gradient(to right, rgb(20 30 140) 0%, rgb(0 170 255) 35%, rgb(255 225 0) 65%, rgb(230 30 0) 100%)');
  });

  it('refuses a heatmap of another size', () => {
    expect(() => heatOverlay(new Float32Array(4), new Float32Array(9))).toThrow(/differ in size/);
  });
});

describe('quadViewport', () => {
  const square = (x0: number, y0: number, x1: number, y1: number) => [
    { x: x0, y: y0 },
    { x: x1, y: y0 },
    { x: x1, y: y1 },
    { x: x0, y: y1 },
  ];

  it('shows the crop (with a margin) when the region lies inside it', () => {
    expect(quadViewport(square(12, 12, 36, 36), 48)).toEqual({ x: -1.5, y: -1.5, side: 51 });
  });

  it('zooms out to include a region reaching past the crop, centred on both', () => {
    const view = quadViewport(square(-24, 0, 48, 48), 48, 0);
    expect(view).toEqual({ x: -24, y: -12, side: 72 });
  });

  it('does not zoom out without limit', () => {
    expect(quadViewport(square(-1e6, -1e6, 1e6, 1e6), 48, 0).side).toBe(48 * 3);
  });
});

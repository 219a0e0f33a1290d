import { describe, expect, it } from 'vitest';
import { isMoodlensError } from '../lib';
import { readSettings } from './attributes';

const PAGE = 'https://shop.example/products/page.html';
const ASSETS = 'https://cdn.example/widget/';

function element(attributes: Record<string, string>) {
  return {
    getAttribute: (name: string) => attributes[name] ?? null,
    hasAttribute: (name: string) => name in attributes,
  };
}

const read = (attributes: Record<string, string>) => readSettings(element(attributes), PAGE, ASSETS);

function failure(attributes: Record<string, string>): string {
  try {
    read(attributes);
  } catch (error) {
    if (isMoodlensError(error, 'invalid-option')) return error.message;
    throw error;
  }
  throw new Error('no error');
}

describe('readSettings', () => {
  it('has defaults for every attribute: the camera, the fast model, assets beside the module', () => {
    expect(read({})).toEqual({
      source: { kind: 'camera' },
      model: 'fast',
      showBoxes: false,
      mirrored: false,
      maxFaces: 20,
      minFaceSize: 32,
      minDetectionConfidence: 0.5,
      smoothing: 0.6,
      assetBase: ASSETS,
      backend: 'auto',
      autostart: false,
    });
  });

  it('reads every attribute, resolving URLs against the page', () => {
    const settings = read({
      source: '../photos/team.jpg',
      model: 'Both',
      'show-boxes': '',
      mirrored: '',
      'max-faces': '3',
      'min-face-size': '24',
      'min-confidence': '0.6',
      smoothing: 'off',
      'asset-base': '/static/widget',
      backend: 'WASM',
      autostart: '',
    });
    expect(settings).toEqual({
      source: { kind: 'image', url: 'https://shop.example/photos/team.jpg' },
      model: 'both',
      showBoxes: true,
      mirrored: true,
      maxFaces: 3,
      minFaceSize: 24,
      minDetectionConfidence: 0.6,
      smoothing: false,
      assetBase: 'https://shop.example/static/widget/',
      backend: 'wasm',
      autostart: true,
    });
  });

  it('accepts "camera" in any case and a smoothing weight as a number', () => {
    expect(read({ source: ' Camera ' }).source).toEqual({ kind: 'camera' });
    expect(read({ smoothing: 'on' }).smoothing).toBe(0.6);
    expect(read({ smoothing: '0.3' }).smoothing).toBe(0.3);
  });

  it('names the attribute and the expected values when one is wrong', () => {
    expect(failure({ model: 'best' })).toBe('<emotion-detector> model="best": expected fast, accurate or both');
    expect(failure({ 'max-faces': '0' })).toBe('<emotion-detector> max-faces="0": expected a whole number from 1 to 100');
    expect(failure({ 'max-faces': '2.5' })).toContain('max-faces="2.5"');
    expect(failure({ smoothing: '1' })).toBe('<emotion-detector> smoothing="1": expected on, off or a number from 0 to below 1');
    expect(failure({ 'min-face-size': '3' })).toBe('<emotion-detector> min-face-size="3": expected a size in pixels from 8 up');
    expect(failure({ 'min-confidence': 'high' })).toBe('<emotion-detector> min-confidence="high": expected a number from 0 to 1');
    expect(failure({ backend: 'gpu' })).toBe('<emotion-detector> backend="gpu": expected auto, webgl, wasm or cpu');
    expect(failure({ source: 'http://[bad' })).toBe('<emotion-detector> source="http://[bad": expected a URL');
  });
});

/**
 * Reads the element's attributes into settings, rejecting bad values with a message that names
 * the attribute (reported through the element's `error` event).
 */
import { DEFAULT_MAX_FACES, DEFAULT_MIN_CONFIDENCE, DEFAULT_MIN_FACE_SIZE, DEFAULT_SMOOTHING, MODEL_CHOICES, MoodlensError, type Backend, type ModelChoice } from '../lib';


export type WidgetSource = { kind: 'camera' } | { kind: 'image'; url: string };

export interface WidgetSettings {
  source: WidgetSource;
  model: ModelChoice;
  showBoxes: boolean;
  mirrored: boolean;
  maxFaces: number;
  /** The smallest face to find (pixels of the analysed picture) and the score a face needs. */
  minFaceSize: number;
  minDetectionConfidence: number;
  /** Weight of the past for the per-face smoothing (camera only), or false. */
  smoothing: number | false;
  /** Absolute URL of the folder holding vendor/ and models/, ending in '/'. */
  assetBase: string;
  backend: Backend | 'auto';
  autostart: boolean;
}

/** The attributes that take effect only when the element (re)starts. */
export const RESTART_ATTRIBUTES = ['source', 'model', 'max-faces', 'min-face-size', 'min-confidence', 'asset-base', 'backend'] as const;
/** The attributes read live, on every frame. */
export const LIVE_ATTRIBUTES = ['show-boxes', 'mirrored', 'smoothing'] as const;
export const OBSERVED_ATTRIBUTES = [...RESTART_ATTRIBUTES, ...LIVE_ATTRIBUTES, 'autostart'];

const MAX_FACES_LIMIT = 100;
const BACKENDS = ['auto', 'webgl', 'wasm', 'cpu'] as const;

/** What the parser needs from an element (an Element fits). */
export interface AttributeReader {
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
}

function invalid(attribute: string, expected: string, value: string): MoodlensError {
  return new MoodlensError('invalid-option', `<emotion-detector> ${attribute}="${value}": expected ${expected}`);
}

/** Trimmed, lower-cased value; null when the attribute is absent or empty. */
function keyword(element: AttributeReader, name: string): string | null {
  const value = element.getAttribute(name)?.trim().toLowerCase();
  return value ? value : null;
}

function resolveUrl(value: string, baseUrl: string, attribute: string): string {
  try {
    return new URL(value, baseUrl).href;
  } catch {
    throw invalid(attribute, 'a URL', value);
  }
}

export function parseSource(element: AttributeReader, baseUrl: string): WidgetSource {
  const raw = element.getAttribute('source')?.trim();
  if (!raw || raw.toLowerCase() === 'camera') return { kind: 'camera' };
  return { kind: 'image', url: resolveUrl(raw, baseUrl, 'source') };
}

export function parseModel(element: AttributeReader): ModelChoice {
  const value = keyword(element, 'model') ?? 'fast';
  if (!(MODEL_CHOICES as readonly string[]).includes(value)) throw invalid('model', 'fast, accurate or both', value);
  return value as ModelChoice;
}

export function parseMaxFaces(element: AttributeReader): number {
  const raw = element.getAttribute('max-faces')?.trim();
  if (!raw) return DEFAULT_MAX_FACES;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > MAX_FACES_LIMIT) {
    throw invalid('max-faces', `a whole number from 1 to ${MAX_FACES_LIMIT}`, raw);
  }
  return value;
}

/** A number attribute within [min, max], or `fallback` when absent. */
function parseNumber(element: AttributeReader, name: string, fallback: number, min: number, max: number, expected: string): number {
  const raw = element.getAttribute(name)?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!(value >= min && value <= max)) throw invalid(name, expected, raw);
  return value;
}

export const parseMinFaceSize = (element: AttributeReader) =>
  parseNumber(element, 'min-face-size', DEFAULT_MIN_FACE_SIZE, 8, 4096, 'a size in pixels from 8 up');
export const parseMinConfidence = (element: AttributeReader) =>
  parseNumber(element, 'min-confidence', DEFAULT_MIN_CONFIDENCE, 0, 1, 'a number from 0 to 1');

/** "on" (default) or "off"; a number in [0, 1) sets the weight of the past directly. */
export function parseSmoothing(element: AttributeReader): number | false {
  const value = keyword(element, 'smoothing');
  if (value === null || value === 'on') return DEFAULT_SMOOTHING;
  if (value === 'off') return false;
  const weight = Number(value);
  if (weight >= 0 && weight < 1) return weight;
  throw invalid('smoothing', 'on, off or a number from 0 to below 1', value);
}

export function parseBackend(element: AttributeReader): Backend | 'auto' {
  const value = keyword(element, 'backend') ?? 'auto';
  if (!(BACKENDS as readonly string[]).includes(value)) throw invalid('backend', 'auto, webgl, wasm or cpu', value);
  return value as Backend | 'auto';
}

/** `asset-base` resolved against the page, with the trailing '/' the core expects. */
export function parseAssetBase(element: AttributeReader, baseUrl: string, defaultAssetBase: string): string {
  const raw = element.getAttribute('asset-base')?.trim();
  if (!raw) return defaultAssetBase;
  const url = resolveUrl(raw, baseUrl, 'asset-base');
  return url.endsWith('/') ? url : `${url}/`;
}

/** Every setting at once; throws MoodlensError('invalid-option') on the first bad attribute. */
export function readSettings(element: AttributeReader, baseUrl: string, defaultAssetBase: string): WidgetSettings {
  return {
    source: parseSource(element, baseUrl),
    model: parseModel(element),
    showBoxes: element.hasAttribute('show-boxes'),
    mirrored: element.hasAttribute('mirrored'),
    maxFaces: parseMaxFaces(element),
    minFaceSize: parseMinFaceSize(element),
    minDetectionConfidence: parseMinConfidence(element),
    smoothing: parseSmoothing(element),
    assetBase: parseAssetBase(element, baseUrl, defaultAssetBase),
    backend: parseBackend(element),
    autostart: element.hasAttribute('autostart'),
  };
}

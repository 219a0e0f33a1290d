/**
 * Fetching a model's files with a specific error for each way that can fail (missing, an HTML page
 * instead of JSON, unreadable), and its metadata.json alone. No TF.js here: describing a model (the
 * app's picker) must not load the inference code.
 */
import { describeError, MoodlensError } from './errors';
import { parseMetadata } from './metadata';
import type { ModelMetadata } from './types';

export type Fetch = typeof fetch;

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function defaultFetch(): Fetch {
  if (typeof globalThis.fetch !== 'function') throw new MoodlensError('model-fetch', 'fetch() is not available here');
  return globalThis.fetch.bind(globalThis);
}

/** Servers (e.g. Vite's dev server) answer unknown paths with their index.html and status 200. */
export function looksLikeHtml(response: Response, text?: string): boolean {
  const type = response.headers.get('content-type') ?? '';
  return type.includes('text/html') || (text !== undefined && /^\s*</.test(text));
}

export async function request(fetchImpl: Fetch, url: string, what: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (error) {
    throw new MoodlensError('model-fetch', `Could not download ${what} (${url}): ${describeError(error)}`, {
      cause: error,
    });
  }
  if (response.status === 404) {
    throw new MoodlensError('model-missing', `${what} not found: ${url} returned 404. Run \`npm run assets\` or check the model name.`);
  }
  if (!response.ok) {
    throw new MoodlensError('model-fetch', `Could not download ${what}: ${url} returned HTTP ${response.status}`);
  }
  return response;
}

export async function fetchJson(fetchImpl: Fetch, url: string, what: string, corruptCode: 'model-corrupt' | 'metadata-invalid') {
  const response = await request(fetchImpl, url, what);
  const text = await response.text();
  if (looksLikeHtml(response, text)) {
    throw new MoodlensError('model-missing', `${what} not found: ${url} returned a web page instead of JSON (the file is probably missing).`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new MoodlensError(corruptCode, `${what} (${url}) is not valid JSON: ${describeError(error)}`, { cause: error });
  }
}

export function checkModelName(name: string): void {
  if (!MODEL_NAME.test(name)) throw new MoodlensError('invalid-option', `Invalid model name ${JSON.stringify(name)}`);
}

/**
 * Reads and validates `<modelsBase><name>/metadata.json` alone, e.g. to describe a model (accuracy,
 * size) or to find out whether a build ships it ('model-missing') before loading it.
 */
export async function loadModelMetadata(modelsBase: string, name: string, fetchImpl: Fetch = defaultFetch()): Promise<ModelMetadata> {
  checkModelName(name);
  const url = `${modelsBase}${name}/metadata.json`;
  return parseMetadata(await fetchJson(fetchImpl, url, `Metadata of model '${name}'`, 'metadata-invalid'), url);
}

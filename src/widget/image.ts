/** An image URL (the `source` attribute) -> a decoded bitmap, with clear reasons on failure. */
import { decodeImageFile, describeError } from '../lib';
import { WidgetError } from './errors';

/** The last path segment, for messages such as "group.jpg is not an image". */
function fileName(url: string): string {
  const path = new URL(url).pathname;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || url;
}

/**
 * Fetches the image (so the page's CSP `connect-src` governs it, and so that a picture from
 * another site needs CORS: pixels of an opaque image could not be read anyway), then decodes it,
 * shrinking it to at most `maxSide` pixels.
 */
export async function loadImage(url: string, maxSide: number, signal?: AbortSignal): Promise<ImageBitmap> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new WidgetError(
      'image-fetch',
      `The image ${url} could not be loaded (${describeError(error)}). An image on another site must be served with CORS ` +
        `(Access-Control-Allow-Origin) and allowed by the page's Content-Security-Policy connect-src.`,
      { cause: error },
    );
  }
  if (!response.ok) {
    throw new WidgetError('image-fetch', `The image ${url} could not be loaded: HTTP ${response.status} ${response.statusText}`.trim());
  }
  const blob = await response.blob();
  return decodeImageFile(new File([blob], fileName(url), { type: blob.type }), { maxSide });
}

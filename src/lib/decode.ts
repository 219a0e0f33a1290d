/** Turns a user's file into an ImageBitmap, or a clear reason why not. */
import { describeError, MoodlensError } from './errors';
import { fitWithin } from './geometry';

export type SniffedType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp' | 'image/bmp' | 'image/avif' | 'image/heic' | 'image/tiff';

const DECODABLE = new Set<SniffedType>(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/bmp', 'image/avif']);

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  return signature.every((byte, i) => bytes[offset + i] === byte);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

/** The image format from a file's first bytes (its "magic number"), or null. */
export function sniffImageType(bytes: Uint8Array): SniffedType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp';
  if (ascii(bytes, 0, 2) === 'BM' && bytes.length >= 26) return 'image/bmp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (ascii(bytes, 4, 8) === 'ftyp') {
    const brand = ascii(bytes, 8, 12);
    if (brand === 'avif' || brand === 'avis') return 'image/avif';
    if (['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'image/heic';
  }
  return null;
}

export interface DecodeOptions {
  /** If set, images with a longer side are shrunk right after decoding (frees memory early). */
  maxSide?: number;
  /** The decoder; createImageBitmap by default (injectable for tests). */
  decode?: (source: ImageBitmapSource, options?: ImageBitmapOptions) => Promise<ImageBitmap>;
}

/**
 * Decodes an image file (JPEG, PNG, GIF, WebP, BMP, AVIF), respecting its EXIF orientation.
 * Errors: 'not-an-image' (empty, not an image, or an unsupported format such as HEIC or SVG) and
 * 'image-decode' (looks like an image but is damaged). The caller closes the bitmap.
 */
export async function decodeImageFile(file: Blob, options: DecodeOptions = {}): Promise<ImageBitmap> {
  const name = 'name' in file && typeof file.name === 'string' && file.name ? `"${file.name}"` : 'The file';
  if (file.size === 0) throw new MoodlensError('not-an-image', `${name} is empty.`);
  if (file.type === 'image/svg+xml') {
    throw new MoodlensError('not-an-image', `${name} is an SVG drawing; choose a photo (JPEG, PNG, WebP, GIF, BMP or AVIF).`);
  }
  const type = sniffImageType(new Uint8Array(await file.slice(0, 32).arrayBuffer()));
  if (type === 'image/heic' || type === 'image/tiff') {
    const format = type === 'image/heic' ? 'HEIC/HEIF' : 'TIFF';
    throw new MoodlensError('not-an-image', `${name} is a ${format} image, which browsers cannot open; save it as JPEG or PNG first.`);
  }
  if (type === null || !DECODABLE.has(type)) {
    const declared = file.type ? ` (${file.type})` : '';
    throw new MoodlensError('not-an-image', `${name}${declared} is not an image: choose a JPEG, PNG, WebP, GIF, BMP or AVIF file.`);
  }

  const decode = options.decode ?? ((source, opts) => createImageBitmap(source, opts));
  let bitmap: ImageBitmap;
  try {
    bitmap = await decode(file, { imageOrientation: 'from-image' });
  } catch (error) {
    throw new MoodlensError('image-decode', `${name} looks like a ${type.slice(6).toUpperCase()} image but could not be decoded; it may be damaged or incomplete (${describeError(error)}).`, {
      cause: error,
    });
  }
  if (bitmap.width === 0 || bitmap.height === 0) {
    bitmap.close();
    throw new MoodlensError('image-decode', `${name} decoded to an empty image.`);
  }
  if (options.maxSide === undefined) return bitmap;
  const target = fitWithin(bitmap, options.maxSide);
  if (target.scale === 1) return bitmap;
  try {
    return await decode(bitmap, { resizeWidth: target.width, resizeHeight: target.height, resizeQuality: 'high' });
  } finally {
    bitmap.close();
  }
}

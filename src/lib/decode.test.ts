import { describe, expect, it, vi } from 'vitest';
import { decodeImageFile, sniffImageType } from './decode';
import { failure } from './testing/failure';

const bytes = (...values: (number | string)[]) =>
  new Uint8Array(values.flatMap((v) => (typeof v === 'string' ? [...v].map((c) => c.charCodeAt(0)) : [v])));

const PNG = bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 'IHDR');
const JPEG = bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16, 'JFIF', 0);

function fakeBitmap(width: number, height: number) {
  return { width, height, close: vi.fn() } as unknown as ImageBitmap;
}


describe('sniffImageType', () => {
  it('recognises common formats by their first bytes', () => {
    expect(sniffImageType(JPEG)).toBe('image/jpeg');
    expect(sniffImageType(PNG)).toBe('image/png');
    expect(sniffImageType(bytes('GIF89a', 1, 0))).toBe('image/gif');
    expect(sniffImageType(bytes('RIFF', 0, 0, 0, 0, 'WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageType(bytes('BM', ...new Array(30).fill(0)))).toBe('image/bmp');
    expect(sniffImageType(bytes(0, 0, 0, 28, 'ftypavif'))).toBe('image/avif');
    expect(sniffImageType(bytes(0, 0, 0, 24, 'ftypheic'))).toBe('image/heic');
    expect(sniffImageType(bytes(0x49, 0x49, 0x2a, 0))).toBe('image/tiff');
  });

  it('returns null for anything else', () => {
    expect(sniffImageType(bytes('%PDF-1.7'))).toBeNull();
    expect(sniffImageType(bytes('hello world'))).toBeNull();
    expect(sniffImageType(bytes(0, 0, 0, 24, 'ftypmp42'))).toBeNull(); // an MP4 video
    expect(sniffImageType(new Uint8Array())).toBeNull();
  });
});

describe('decodeImageFile', () => {
  it('decodes an image, keeping its EXIF orientation', async () => {
    const bitmap = fakeBitmap(640, 480);
    const decode = vi.fn(async () => bitmap);
    const file = new File([JPEG], 'me.jpg', { type: 'image/jpeg' });
    expect(await decodeImageFile(file, { decode })).toBe(bitmap);
    expect(decode).toHaveBeenCalledWith(file, { imageOrientation: 'from-image' });
  });

  it('trusts the bytes, not the file name or declared type', async () => {
    const decode = vi.fn(async () => fakeBitmap(10, 10));
    await decodeImageFile(new File([PNG], 'photo.txt', { type: 'text/plain' }), { decode });
    expect(decode).toHaveBeenCalledOnce();
    const error = await failure(decodeImageFile(new File(['just text'], 'photo.jpg', { type: 'image/jpeg' }), { decode }));
    expect(error.code).toBe('not-an-image');
    expect(error.message).toMatch(/"photo\.jpg" \(image\/jpeg\) is not an image/);
  });

  it('rejects empty, SVG, HEIC and TIFF files with advice, without decoding', async () => {
    const decode = vi.fn(async () => fakeBitmap(10, 10));
    const cases: [File, RegExp][] = [
      [new File([], 'empty.png', { type: 'image/png' }), /is empty/],
      [new File(['<svg xmlns="http://www.w3.org/2000/svg"/>'], 'a.svg', { type: 'image/svg+xml' }), /SVG drawing/],
      [new File([bytes(0, 0, 0, 24, 'ftypheic', 0, 0)], 'IMG_1.HEIC'), /HEIC\/HEIF image.*save it as JPEG/],
      [new File([bytes(0x4d, 0x4d, 0, 0x2a, 0, 0)], 'scan.tif'), /TIFF image/],
      [new File(['%PDF-1.7'], 'doc.pdf', { type: 'application/pdf' }), /not an image/],
    ];
    for (const [file, message] of cases) {
      const error = await failure(decodeImageFile(file, { decode }));
      expect(error.code).toBe('not-an-image');
      expect(error.message).toMatch(message);
    }
    expect(decode).not.toHaveBeenCalled();
  });

  it('reports a damaged image as image-decode', async () => {
    const decode = vi.fn(async () => {
      throw new DOMException('The source image could not be decoded.', 'InvalidStateError');
    });
    const error = await failure(decodeImageFile(new File([JPEG], 'broken.jpg'), { decode }));
    expect(error.code).toBe('image-decode');
    expect(error.message).toMatch(/"broken\.jpg" looks like a JPEG image but could not be decoded.*could not be decoded/);
  });

  it('shrinks huge images right after decoding when asked', async () => {
    const huge = fakeBitmap(8000, 6000);
    const small = fakeBitmap(1920, 1440);
    const decode = vi.fn(async (_source: ImageBitmapSource, options?: ImageBitmapOptions) => (options?.resizeWidth ? small : huge));
    expect(await decodeImageFile(new File([PNG], 'big.png'), { decode, maxSide: 1920 })).toBe(small);
    expect(decode).toHaveBeenLastCalledWith(huge, { resizeWidth: 1920, resizeHeight: 1440, resizeQuality: 'high' });
    expect(huge.close).toHaveBeenCalled();
  });

  it('keeps images that are small enough as they are', async () => {
    const bitmap = fakeBitmap(800, 600);
    const decode = vi.fn(async () => bitmap);
    expect(await decodeImageFile(new File([PNG], 'ok.png'), { decode, maxSide: 1920 })).toBe(bitmap);
    expect(decode).toHaveBeenCalledOnce();
  });
});

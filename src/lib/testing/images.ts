/** Test fixtures: synthetic RGB images as plain pixel arrays and tensors. */
import * as tf from '@tensorflow/tfjs';

export interface RgbImage {
  width: number;
  height: number;
  /** RGB, row-major, 3 bytes per pixel. */
  rgb: Uint8Array;
}

/** An image whose pixel (x, y) (pixel centre at x + 0.5, y + 0.5) gets the colour `paint` returns. */
export function paintImage(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): RgbImage {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      rgb.set(paint(x + 0.5, y + 0.5), (y * width + x) * 3);
    }
  }
  return { width, height, rgb };
}

export function toTensor(image: RgbImage): tf.Tensor3D {
  return tf.tensor3d(image.rgb, [image.height, image.width, 3], 'int32');
}

/** RGBA pixel data as tf.browser.fromPixels accepts it (also in Node). */
export function toPixelData(image: RgbImage): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(image.width * image.height * 4);
  for (let i = 0; i < image.width * image.height; i++) {
    data.set(image.rgb.subarray(i * 3, i * 3 + 3), i * 4);
    data[i * 4 + 3] = 255;
  }
  return { width: image.width, height: image.height, data };
}

/** A point rotated by `angle` (radians, y down: positive is clockwise on screen) about `center`. */
export function rotateAbout(x: number, y: number, center: { x: number; y: number }, angle: number) {
  const dx = x - center.x;
  const dy = y - center.y;
  return {
    x: center.x + Math.cos(angle) * dx - Math.sin(angle) * dy,
    y: center.y + Math.sin(angle) * dx + Math.cos(angle) * dy,
  };
}

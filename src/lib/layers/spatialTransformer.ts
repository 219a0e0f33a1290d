/**
 * The spatial transformer's sampler as a TF.js layer (TF.js has no grid_sample): warps feature
 * maps [N, H, W, C] by one affine transform per image (theta [N, 6], row-major 2x3, mapping
 * output to input in normalised coordinates). Same semantics as PyTorch's
 * `grid_sample(x, affine_grid(theta, align_corners=False), 'bilinear', padding_mode='zeros')`,
 * which the model factory trains with; the parity test holds the two to 1e-4.
 */
import * as tf from '@tensorflow/tfjs';

/** Pixel-centre coordinates in [-1, 1] for `size` pixels (align_corners=False). */
function centres(size: number): tf.Tensor1D {
  return tf.sub(tf.div(tf.add(tf.mul(tf.range(0, size, 1, 'float32'), 2), 1), size), 1);
}

/** Samples `image` [N, H, W, C] at the output grid that `theta` [N, 6] maps into it. */
export function affineSample(image: tf.Tensor4D, theta: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, height, width, channels] = image.shape;
    const gridX = tf.tile(tf.reshape(centres(width), [1, width]), [height, 1]).reshape([1, height * width]);
    const gridY = tf.tile(tf.reshape(centres(height), [height, 1]), [1, width]).reshape([1, height * width]);
    const t = (k: number) => tf.slice(theta, [0, k], [-1, 1]); // [N, 1], broadcasts over positions
    const sourceX = tf.add(tf.add(tf.mul(t(0), gridX), tf.mul(t(1), gridY)), t(2));
    const sourceY = tf.add(tf.add(tf.mul(t(3), gridX), tf.mul(t(4), gridY)), t(5));
    // Normalised -> pixel coordinates (align_corners=False): pixel i covers [i, i+1), centre i+0.5.
    const px = tf.div(tf.sub(tf.mul(tf.add(sourceX, 1), width), 1), 2);
    const py = tf.div(tf.sub(tf.mul(tf.add(sourceY, 1), height), 1), 2);
    const x0 = tf.floor(px);
    const y0 = tf.floor(py);
    const fx = tf.sub(px, x0);
    const fy = tf.sub(py, y0);
    const flat = tf.reshape(image, [batch * height * width, channels]);
    const offsets = tf.reshape(tf.mul(tf.range(0, batch, 1, 'int32'), tf.scalar(height * width, 'int32')), [batch, 1]);
    const corner = (dx: number, dy: number, weight: tf.Tensor): tf.Tensor => {
      const x = tf.add(x0, dx);
      const y = tf.add(y0, dy);
      // Samples outside the map read zeros (padding_mode='zeros'): mask them out of the weight.
      const inside = tf.logicalAnd(
        tf.logicalAnd(tf.greaterEqual(x, 0), tf.lessEqual(x, width - 1)),
        tf.logicalAnd(tf.greaterEqual(y, 0), tf.lessEqual(y, height - 1)),
      );
      const index = tf.add(
        tf.add(
          tf.mul(tf.cast(tf.clipByValue(y, 0, height - 1), 'int32'), tf.scalar(width, 'int32')),
          tf.cast(tf.clipByValue(x, 0, width - 1), 'int32'),
        ),
        offsets,
      );
      const values = tf.gather(flat, tf.reshape(index, [-1])); // [N * H * W, C]
      const w = tf.reshape(tf.mul(weight, tf.cast(inside, 'float32')), [-1, 1]);
      return tf.mul(values, w);
    };
    const one = tf.scalar(1);
    const sampled = tf.addN([
      corner(0, 0, tf.mul(tf.sub(one, fx), tf.sub(one, fy))),
      corner(1, 0, tf.mul(fx, tf.sub(one, fy))),
      corner(0, 1, tf.mul(tf.sub(one, fx), fy)),
      corner(1, 1, tf.mul(fx, fy)),
    ]);
    return tf.reshape(sampled, [batch, height, width, channels]) as tf.Tensor4D;
  });
}

export class SpatialTransformer extends tf.layers.Layer {
  static readonly className = 'SpatialTransformer';

  computeOutputShape(inputShape: tf.Shape[]): tf.Shape {
    return inputShape[0];
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [image, theta] = inputs as tf.Tensor[];
    return affineSample(image as tf.Tensor4D, theta as tf.Tensor2D);
  }
}

tf.serialization.registerClass(SpatialTransformer);
